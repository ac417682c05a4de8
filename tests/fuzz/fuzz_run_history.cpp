// libFuzzer target: the run history reader of the engine (lens::parseRunHistory: the index
// <folder>/runs.json of the Train panel, which parses every entry with runHistoryEntryFromJson).
// The bytes are the whole index. Every problem must start with the index's name and be bounded;
// and writing the runs that loaded, then reading them again, must give the same runs without a
// problem (a run that loads once is never lost on the next start). A broken property throws
// std::logic_error, which libFuzzer reports as a crash. Engine only: no Qt, no UI code, no files
// (tests/ui/tst_fuzz_regressions_ui replays the inputs through RunHistoryModel::load as well).
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <string_view>

#include "io/RunHistoryFile.h"

namespace {

const std::string kIndexName = "runs.json";

void require(bool condition, const std::string& what) {
    if (!condition) throw std::logic_error(what);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    const lens::RunHistoryContents contents = lens::parseRunHistory(bytes, kIndexName);
    for (const std::string& p : contents.problems)
        require(p.starts_with(kIndexName) && p.size() < 4000,
                "run history problem does not name the index or is unbounded: " + p.substr(0, 300));
    if (contents.unusable)
        require(contents.runs.empty() && contents.unusable->size() < 4000,
                "an unusable index kept runs or an unbounded reason");

    // Save and load again: the same runs, no problems.
    const lens::RunHistoryContents reloaded =
        lens::parseRunHistory(lens::serializeRunHistory(contents.runs), kIndexName);
    require(
        reloaded.problems.empty() && !reloaded.unusable,
        "a saved run history does not load back: " +
            (reloaded.problems.empty() ? reloaded.unusable.value_or("") : reloaded.problems.front())
                .substr(0, 300));
    require(reloaded.runs.size() == contents.runs.size(), "run history round trip lost runs");
    for (std::size_t i = 0; i < contents.runs.size(); ++i) {
        const lens::RunHistoryEntry &a = contents.runs[i], &b = reloaded.runs[i];
        require(a.split.kind == b.split.kind && a.split.fraction == b.split.fraction &&
                    a.split.cutoff == b.split.cutoff && a.split.predefined == b.split.predefined &&
                    a.split.seed == b.split.seed && a.started == b.started,
                "run history round trip changed the split or start of run " + a.id.substr(0, 100));
        require(lens::runHistoryEntryToJson(a) == lens::runHistoryEntryToJson(b),
                "run history round trip changed run " + a.id.substr(0, 100));
    }
    return 0;
}
