#pragma once
// The fast path for the one large file of a release: ratings lines "user<sep>movie<sep>rating
// <sep>timestamp" with sep = ',' (CSV releases), '\t' (ml-100k u.data) or "::" (ml-1m/10m).
//
// The file is cut into pieces (about eight per OpenMP thread, one for a single thread) that the
// threads take in file order as they become free, so a thread the machine slows down holds
// back one piece, not half the file. A piece owns the lines that start in it; its thread reads
// them in large pieces into one reused buffer (pread for a file on disk, so no page of the file
// stays resident) and parses them with hand-written digit loops into 32-bit columns, packed
// after the thread's earlier pieces in one storage. A rating is turned straight into half stars
// ("3.5" -> 7). A line the fast loop refuses is diagnosed by a slow, precise checker, which
// yields the "file:line: problem" message. Line numbers are local to a piece while parsing and
// made absolute afterwards from the line counts of the pieces before it, so the first error
// reported in strict mode is the first one in the file.
//
// Ids that do not fit 32 bits (but fit int64) switch the whole parse to 64-bit ids.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "data/DatasetBuilder.h"

namespace lens {

enum class RatingsSeparator { Comma, Tab, DoubleColon };

// Longest line accepted anywhere (MovieLens lines are under 1 KB).
inline constexpr std::size_t kMaxLineBytes = 100'000;

struct RatingsParseConfig {
    RatingsSeparator separator = RatingsSeparator::Comma;
    bool lenient = false;
    int threads = 0;                  // 0 = all
    std::uint64_t pieceBytes = 0;     // bytes per piece; 0 = automatic (tests force small ones)
    std::string displayName;          // used in error messages
    std::uint64_t dataOffset = 0;     // first byte of the data lines (after BOM and header)
    std::size_t firstLineNumber = 1;  // line number of the line at dataOffset
    std::size_t maxWarnings = 10;
    // Fraction 0..1 of this file; false cancels (lens::Cancelled is thrown).
    std::function<bool(double)> progress;
};

struct RatingsParseResult {
    bool wide = false;
    CompactRatings compact;  // when !wide: ids are the release ids as 32-bit keys
    RawRatings raw;          // when wide
    std::size_t lines = 0;   // data lines seen (including skipped and empty ones)
    std::size_t skippedLines = 0;
    std::vector<std::string> warnings;  // "file:line: problem", in file order
    std::size_t ratingCount() const { return wide ? raw.size() : compact.size(); }
};

// Parses a file on disk (pread, in pieces).
RatingsParseResult parseRatingsFile(const std::filesystem::path& path,
                                    const RatingsParseConfig& config);
// Parses bytes held in memory.
RatingsParseResult parseRatingsMemory(std::string_view data, const RatingsParseConfig& config);

// The precise problem of one ratings line (without its line end), or "" when it is valid.
// Exposed for tests.
std::string diagnoseRatingsLine(std::string_view line, RatingsSeparator separator);

// The fields of `line` between every occurrence of `sep` (empty fields kept; one field when `sep`
// does not occur). Shared by the ratings diagnostics and the user-file readers.
std::vector<std::string_view> splitFields(std::string_view line, std::string_view sep);

}  // namespace lens
