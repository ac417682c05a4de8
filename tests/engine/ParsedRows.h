#pragma once
// The rows a ratings parse produced, flattened for comparison with an independent reference
// (tst_fast_load, tst_chunked_load): both storages of RatingsParseResult (compact blocks, or
// the wide 64-bit arrays).
#include <cstdint>
#include <vector>

#include "io/RatingsParser.h"

namespace lens::test {

struct ParsedRow {
    std::uint64_t user = 0, movie = 0;
    int half = 0;
    std::uint64_t ts = 0;
    bool operator==(const ParsedRow&) const = default;
};

inline std::vector<ParsedRow> parsedRowsOf(const RatingsParseResult& result) {
    std::vector<ParsedRow> rows;
    if (result.wide) {
        for (std::size_t i = 0; i < result.raw.size(); ++i)
            rows.push_back({static_cast<std::uint64_t>(result.raw.userIds[i]),
                            static_cast<std::uint64_t>(result.raw.movieIds[i]),
                            result.raw.halfStars[i], result.raw.timestamps[i]});
        return rows;
    }
    for (const RatingBlock& b : result.compact.blocks)
        for (std::size_t i = 0; i < b.size; ++i)
            rows.push_back({b.users[i], b.movies[i], b.halfStars[i], b.timestamps[i]});
    return rows;
}

}  // namespace lens::test
