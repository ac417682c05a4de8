#include "tuning/TrainingBudget.h"

#include <chrono>
#include <cmath>
#include <stdexcept>

namespace lens {

double steadyClockSeconds() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

namespace {

constexpr double kMaxBudgetSeconds = 1000.0 * 3600.0;

[[noreturn]] void badBudget(std::string_view text) {
    throw std::invalid_argument("expected a duration such as 90s, 10m or 1h, got '" +
                                std::string(text) + "'");
}

}  // namespace

double parseBudget(std::string_view text) {
    if (text == "0") return 0.0;
    if (text.size() < 2) badBudget(text);
    double unit = 0.0;
    switch (text.back()) {
        case 's':
            unit = 1.0;
            break;
        case 'm':
            unit = 60.0;
            break;
        case 'h':
            unit = 3600.0;
            break;
        default:
            badBudget(text);
    }
    const std::string number(text.substr(0, text.size() - 1));
    // Digits and at most one decimal point: no sign, exponent, spaces, "inf" or "nan".
    int points = 0;
    for (char c : number) {
        if (c == '.')
            ++points;
        else if (c < '0' || c > '9')
            badBudget(text);
    }
    if (points > 1 || number == ".") badBudget(text);
    const double seconds = std::stod(number) * unit;
    if (!(seconds <= kMaxBudgetSeconds)) badBudget(text);
    return seconds;
}

std::string formatBudget(double seconds) {
    if (!(seconds > 0.0)) return "0";
    if (std::fmod(seconds, 3600.0) == 0.0) return formatReal(seconds / 3600.0) + "h";
    if (std::fmod(seconds, 60.0) == 0.0) return formatReal(seconds / 60.0) + "m";
    return formatReal(seconds) + "s";
}

namespace {

struct ReasonKey {
    StopReason reason;
    const char* key;
};
constexpr ReasonKey kReasonKeys[] = {
    {StopReason::None, "none"},
    {StopReason::Completed, "completed"},
    {StopReason::EarlyStop, "early_stop"},
    {StopReason::Budget, "budget"},
    {StopReason::Requested, "requested"},
};

}  // namespace

const char* stopReasonKey(StopReason reason) {
    for (const auto& k : kReasonKeys)
        if (k.reason == reason) return k.key;
    return "none";
}

std::optional<StopReason> parseStopReason(std::string_view key) {
    for (const auto& k : kReasonKeys)
        if (key == k.key) return k.reason;
    return std::nullopt;
}

std::string TrainingStop::describe() const {
    const std::string unit = epochs ? "epoch" : "iteration";
    const std::string at =
        unit + " " + std::to_string(iterations) + " of " + std::to_string(totalIterations);
    switch (reason) {
        case StopReason::Completed:
            return "completed " + std::to_string(iterations) + " of " +
                   std::to_string(totalIterations) + " " + unit + "s";
        case StopReason::EarlyStop:
            return "stopped early by the model after " + at;
        case StopReason::Budget:
            return "stopped: budget of " + formatBudget(budgetSeconds) + " used after " + at;
        case StopReason::Requested:
            return "stopped on request after " + at;
        case StopReason::None:
            break;
    }
    return "no " + unit + " finished";
}

BudgetWatch::BudgetWatch(TrainingBudget budget) : budget_(std::move(budget)) {
    start_ = budget_.now();
}

bool BudgetWatch::allowsNextIteration(const TrainingSnapshot& finished) {
    if (!budget_.active()) return true;
    if (finished.totalIterations > 0 && finished.iteration >= finished.totalIterations)
        return true;  // the last one: the run completes
    if (elapsed() < budget_.seconds) return true;
    exhausted_ = true;
    return false;
}

TrainingStop trainingStopOf(const Recommender& model, FitStatus status, const BudgetWatch& watch) {
    TrainingStop stop;
    const auto& history = model.history();
    stop.iterations = history.empty() ? 0 : history.back().iteration;
    stop.totalIterations = history.empty() ? model.iterations() : history.back().totalIterations;
    stop.budgetSeconds = watch.budget().active() ? watch.budget().seconds : 0.0;
    stop.epochs = !model.hyperparameter("epochs").empty();
    if (history.empty() || status == FitStatus::Untrained)
        stop.reason = StopReason::None;
    else if (status == FitStatus::Completed)
        stop.reason =
            stop.iterations < stop.totalIterations ? StopReason::EarlyStop : StopReason::Completed;
    else
        stop.reason = watch.exhausted() ? StopReason::Budget : StopReason::Requested;
    return stop;
}

}  // namespace lens
