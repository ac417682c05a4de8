#pragma once
// A wall-time budget for a training run (issue #21): `train --budget 10m`, `report --budget 10m`
// (per model) and the Train stage's Budget field. Implemented once, in the driver
// (tuning/ValidatedTraining): after each iteration, once the model has reported it (its figures
// are in the history and the caller's observer has seen them), BudgetWatch compares the time
// since the run started with the budget; when it is used up, the driver's observer returns false,
// which every model treats as "stop after this iteration". So the budget never stops a fit in
// the middle of an iteration or epoch (a stop request through FitControl's stop token does,
// within a half-sweep), the model ends as its contract says for a stop (NCF with validation:
// the best epoch so far; others: the last finished iteration), and a run may overrun its budget
// by up to one iteration plus the final test scoring. The last configured iteration is never
// reported as a budget stop: that run completed.
//
// How a fit ended is recorded as a TrainingStop ("stopped: budget of 10m used after epoch 4 of
// 20"): `train` prints it and writes `stop_reason`, the run history keeps it (RunHistoryFile).
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "models/Recommender.h"

namespace lens {

// Seconds on a monotonic clock. Tests inject their own (never wall-clock thresholds).
using BudgetClock = std::function<double()>;
double steadyClockSeconds();

struct TrainingBudget {
    double seconds = 0.0;  // <= 0: no budget
    BudgetClock clock;     // empty: steadyClockSeconds
    bool active() const { return seconds > 0.0; }
    double now() const { return clock ? clock() : steadyClockSeconds(); }
};

// "90s", "10m", "1h", "1.5h", "0" (no budget): a non-negative number followed by s, m or h (a
// bare 0 needs none). Throws std::invalid_argument("expected a duration such as 90s, 10m or 1h,
// got 'x'") for anything else, and for budgets above 1000 hours.
double parseBudget(std::string_view text);
// The shortest text parseBudget reads back: "10m", "90s", "1h", "2.5s", "1h30m" -> "90m".
std::string formatBudget(double seconds);

enum class StopReason {
    None,       // no fit (an error, or stopped before the first iteration)
    Completed,  // every configured iteration ran
    EarlyStop,  // the model's own rule ended it early (NCF patience)
    Budget,     // the budget was used up (at an iteration boundary)
    Requested,  // the caller asked (Stop button, cancel, an observer returning false)
};
// "none", "completed", "early_stop", "budget", "requested" (the JSON keys).
const char* stopReasonKey(StopReason reason);
std::optional<StopReason> parseStopReason(std::string_view key);

struct TrainingStop {
    StopReason reason = StopReason::None;
    int iterations = 0;          // iterations (epochs) finished
    int totalIterations = 0;     // as configured
    double budgetSeconds = 0.0;  // the run's budget; 0: none
    bool epochs = false;         // the model counts epochs (NCF): the text says "epoch"
    // "stopped: budget of 10m used after epoch 4 of 20", "stopped on request after iteration 3
    // of 20", "stopped early by the model after epoch 7 of 20", "completed 20 of 20 iterations",
    // "no iteration finished".
    std::string describe() const;
    bool operator==(const TrainingStop&) const = default;
};

// Watches one run's budget: construct when the run starts.
class BudgetWatch {
public:
    explicit BudgetWatch(TrainingBudget budget);
    // After an iteration: true when training may go on, false when the budget is used up and
    // this iteration was not the last configured one (then exhausted() is true).
    bool allowsNextIteration(const TrainingSnapshot& finished);
    bool exhausted() const { return exhausted_; }
    double elapsed() const { return budget_.now() - start_; }
    const TrainingBudget& budget() const { return budget_; }

private:
    TrainingBudget budget_;
    double start_ = 0.0;
    bool exhausted_ = false;
};

// How a fit of `model` ended: its status and history, and whether the budget stopped it.
TrainingStop trainingStopOf(const Recommender& model, FitStatus status, const BudgetWatch& watch);

}  // namespace lens
