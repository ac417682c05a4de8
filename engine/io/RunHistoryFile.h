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
//                                "ndcg10": null } ] } ] }
// Metrics are named and written as eval/MetricKeys.h says (absent: null). The seed is text (a
// 64-bit seed is not exact as a JSON number).
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
#include "models/Recommender.h"
#include "util/Calendar.h"

namespace lens {

enum class RunStatus { Queued, Running, Completed, Stopped, Cancelled, Failed };

const char* runStatusKey(RunStatus status);  // "queued", "running", "completed", ...
std::optional<RunStatus> parseRunStatus(std::string_view key);

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

}  // namespace lens
