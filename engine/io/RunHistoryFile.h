#pragma once
// The Train panel's run history as a file: the index <folder>/runs.json of the application data
// folder, one entry per training run (the request: model kind, hyper-parameters, split, seed;
// and what became of it: status, per-iteration metrics, duration, saved model file, message).
//
//   { "format": "lens-atlas-runs", "version": 1,
//     "runs": [ { "id": "20261127-032233-1", "model": "als", "model_display_name": "...",
//                 "hyperparameters": [["k", "32"], ...], "split": "per-user:0.2",
//                 "seed": "42", "dataset": "ml-latest-small", "status": "completed",
//                 "started": "2026-11-27T03:22:33.250Z", "duration_seconds": 1.25,
//                 "model_file": "20261127-032233-1.lamodel", "message": "",
//                 "history": [ { "iteration": 1, "total": 20, "seconds": 0.2, "eval_seconds": 0.01,
//                                "elapsed": 0.21, "train_rmse": 0.8, "test_rmse": 0.9,
//                                "test_mae": 0.7, "objective": 812.5, "hr10": null,
//                                "ndcg10": null } ],
//                 "curves_on": "validation", "validation_ratings": 8067,
//                 "final_validation": { "rmse": 0.88, "mae": 0.68, "hr10": null, ... },
//                 "final_test": { "rmse": 0.87, "mae": 0.67, "hr10": null, "ndcg10": null,
//                                 "full_hr10": null, "full_ndcg10": null },
//                 "train_rmse": 0.62, "per_user_file": "20261127-032233-1.peruser" } ] }
// Metrics are named and written as eval/MetricKeys.h says (absent: null). The seed is text (a
// 64-bit seed is not exact as a JSON number).
//
// Validation (issue #17, tuning/ValidatedTraining.h): "curves_on" says what the held-out figures
// of "history" (test_rmse, test_mae, hr10, ndcg10) were measured on: "validation" for runs that
// fit on the training part minus a validation part, "test" for runs written before validation
// existed (the key is then absent). "final_validation" and "final_test" are the finished model's
// figures on each part (the test part scored once, when the run ended); absent when the run
// never produced a model (and in older files). "train_rmse" is the final model's on the ratings
// it was fitted on.
//
// Sweeps (Train > Sweep…, ui/train/SweepSession): each trial of a sweep is a run of its own, and
// so is the best trial retrained on training + validation and tested once (the sweep's final
// run). Their entries carry an optional "sweep" object; ordinary runs and older files have none:
//     "sweep": { "id": "20261206-013000-1", "number": 3, "trial": 2, "trials": 12,
//                "final": false, "metric": "rmse" }
// "id" is shared by the sweep's runs (the id of its first trial), "number" is what users see
// ("sweep 3"), "trial" counts from 1 (for the final run: the trial it retrains), "metric" is the
// validation metric the trials are compared by (tuning/Sweep.h). A trial's entry has
// "final_validation" and no "final_test": trials are never scored on the test part.
//
// The training budget (issue #21, tuning/TrainingBudget.h): optional "budget_seconds" (the run's
// budget; absent: none) and "stop_reason" (why the fit ended: "completed", "early_stop",
// "budget", "requested", "none"; absent in older files and for runs without a fit):
//     "budget_seconds": 600, "stop_reason": "budget"
//
// Per-user metrics of the test part (eval/PerUserMetrics.h) live beside the index in a small
// binary file per run, "per_user_file" (absent: none, as in older files; the Compare stage then
// recomputes them). Float32 per user and metric: 138,493 users x 7 ranking metrics is 3.9 MB, a
// tenth of the same numbers as JSON text, and the index stays small enough to rewrite after every
// change. Layout (little-endian): "LAPERUSR", u32 version (1), u32 cutoff, u64 dataset users,
// u64 users with test cases, u64 n users stored, u32 columns; n x u32 dense user indices
// (ascending); per column: u32 name length, the name (a PerUserMetrics column name), n x f32.
//
// Reading is forgiving at the level of the index and strict at the level of an entry: an entry
// with a missing or mistyped field is skipped with a message naming the index, the entry and the
// field ("runs.json: entry 3 skipped: run 2026...: field 'status' missing or unknown"), so a
// corrupt entry never shows as half a run; an index that is not JSON or not ours is unusable as a
// whole (loadRunHistory sets it aside as runs.json.corrupt, never overwriting it silently); an
// index of a newer version is left alone. Runs that were queued or running when the application
// ended come back as cancelled. Never a crash, whatever the bytes (tests/fuzz/fuzz_run_history).
// Writing is atomic (temporary file + rename) and leaves queued runs out.
#include <cstdint>
#include <filesystem>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "data/Split.h"
#include "eval/PerUserMetrics.h"
#include "models/Recommender.h"
#include "tuning/TrainingBudget.h"
#include "tuning/ValidatedTraining.h"
#include "util/Calendar.h"

namespace lens {

enum class RunStatus { Queued, Running, Completed, Stopped, Cancelled, Failed };

const char* runStatusKey(RunStatus status);  // "queued", "running", "completed", ...
std::optional<RunStatus> parseRunStatus(std::string_view key);

// A run's place in a sweep (see above).
struct SweepMembership {
    std::string id;      // shared by the sweep's runs
    int number = 0;      // "sweep 3" (1, 2, ... in the order sweeps started)
    int trial = 0;       // 1-based; the final run: the trial it retrains
    int trials = 0;      // trials in the sweep
    bool final = false;  // the best trial retrained on training + validation, tested once
    std::string metric;  // "rmse", "ndcg10", ... (tuning/Sweep.h)
    bool operator==(const SweepMembership&) const = default;
};

struct RunHistoryEntry {
    std::string id;         // unique, sortable: "20261127-032233-1"
    std::string modelKind;  // RecommenderFactory name: "bias", "als", ...
    std::vector<std::pair<std::string, std::string>> hyperparameters;  // key, value (form order)
    SplitSpec split;                                                   // split.seed == seed
    std::uint64_t seed = 42;                                           // model and split seed
    std::string modelDisplayName;                                      // "Biased MF (ALS)"
    std::string datasetName;
    RunStatus status = RunStatus::Queued;
    std::optional<UtcMilliseconds> started;  // absent or unreadable: nullopt
    double durationSeconds = 0.0;
    std::vector<TrainingSnapshot> history;
    std::string modelFile;  // a plain file name inside the runs folder; empty when none was saved
    std::string message;    // error or note ("stopped after 3 of 20 iterations")

    // What the held-out figures of `history` were measured on (absent in files written before
    // validation: the test part).
    EvaluatedPart curvesOn = EvaluatedPart::Test;
    std::size_t validationRatings = 0;  // 0: unknown or none
    // The finished model's figures (nullopt: no model, or an older file).
    std::optional<HeldOutFigures> finalValidation, finalTest;
    double trainRmse = kNoMetric;  // the final model on the ratings it was fitted on
    std::string perUserFile;       // a plain file name inside the runs folder; empty when none
    std::optional<SweepMembership> sweep;  // absent: not part of a sweep (and older files)
    double budgetSeconds = 0.0;            // the run's training budget; 0: none
    std::optional<StopReason> stopReason;  // absent: unknown (older files) or no fit

    // Why the fit ended, with the counts of the history ("stopped: budget of 10m used after
    // epoch 4 of 20"); reason None when stopReason is absent.
    TrainingStop trainingStop() const;
};

nlohmann::json runHistoryEntryToJson(const RunHistoryEntry& entry);
// Throws nothing: nullopt and *error ("run 2026...: field 'status' missing or unknown") for a
// bad entry. Unknown model kinds are bad entries.
std::optional<RunHistoryEntry> runHistoryEntryFromJson(const nlohmann::json& object,
                                                       std::string* error);

struct RunHistoryContents {
    std::vector<RunHistoryEntry> runs;
    // One message per problem, each starting with the index's name: "runs.json: entry 2 skipped:
    // duplicate run id 2026...".
    std::vector<std::string> problems;
    // Set when the index as a whole is unusable ("not valid JSON at line 3 (...)", "not a Lens
    // Atlas runs index"): no runs, and the message without the index's name.
    std::optional<std::string> unusable;
};

// The runs of an index's bytes; `indexName` starts every problem.
RunHistoryContents parseRunHistory(std::string_view bytes, const std::string& indexName);
std::string serializeRunHistory(const std::vector<RunHistoryEntry>& runs);

// Reads the index file (absent: no runs and no problem). An unusable index is renamed to
// "<index>.corrupt" (replacing an older one) and reported as "<index>: <why>; set aside as
// runs.json.corrupt and starting an empty history".
RunHistoryContents loadRunHistory(const std::filesystem::path& indexFile);
// Creates the folder when needed and writes atomically; throws DataError naming the file.
void saveRunHistory(const std::filesystem::path& indexFile,
                    const std::vector<RunHistoryEntry>& runs);

// Per-user metrics files (layout above). `datasetUsers`: the dataset's user count, checked on
// reading (0 there: not checked). Reading throws DataError naming the file for anything that is
// not such a file (wrong magic or version, sizes that do not add up, users out of order or range).
std::string serializePerUserMetrics(const PerUserMetrics& metrics, std::size_t datasetUsers);
PerUserMetrics parsePerUserMetrics(std::string_view bytes, const std::string& fileName,
                                   std::size_t datasetUsers = 0);
void savePerUserMetrics(const std::filesystem::path& file, const PerUserMetrics& metrics,
                        std::size_t datasetUsers);
PerUserMetrics loadPerUserMetrics(const std::filesystem::path& file, std::size_t datasetUsers = 0);

}  // namespace lens
