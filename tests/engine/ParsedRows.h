#pragma once
// The rows a ratings parse produced, flattened for comparison with an independent reference
// (tst_fast_load, tst_chunked_load): both storages of RatingsParseResult (compact blocks, or
// the wide 64-bit arrays).
#include <QtTest>
#include <algorithm>
#include <cstdint>
#include <map>
#include <utility>
#include <vector>

#include "data/Dataset.h"
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

// A built dataset against a reference map (user id, movie id) -> (half stars, timestamp) of the
// rating kept for each pair: the rows by user in the map's order, every movie's column sorted
// by user and found in the map. `everyUserRated`: no user row is empty (no tag-only users).
// QtTest style: the caller checks QTest::currentTestFailed() afterwards.
template <typename Id, typename Time>
void compareWithReference(const Dataset& ds,
                          const std::map<std::pair<Id, Id>, std::pair<int, Time>>& reference,
                          bool everyUserRated) {
    auto it = reference.begin();
    for (std::size_t u = 0; u < ds.userCount(); ++u) {
        if (everyUserRated) QVERIFY(ds.byUser.offsets[u] < ds.byUser.offsets[u + 1]);
        for (std::size_t k = ds.byUser.offsets[u]; k < ds.byUser.offsets[u + 1]; ++k, ++it) {
            QCOMPARE(Id(ds.userIds[u]), it->first.first);
            QCOMPARE(Id(ds.movieIds[ds.byUser.index[k]]), it->first.second);
            QCOMPARE(int(ds.byUser.halfStars[k]), it->second.first);
            QCOMPARE(Time(ds.timestamps[k]), it->second.second);
        }
    }
    QVERIFY(it == reference.end());
    // CSC: every column sorted by user, each entry found in the reference with the same rating.
    std::size_t seen = 0;
    for (std::size_t m = 0; m < ds.movieCount(); ++m) {
        const auto users = ds.byMovie.rowIndex(m);
        QVERIFY(std::is_sorted(users.begin(), users.end()));
        for (std::size_t k = 0; k < users.size(); ++k, ++seen) {
            const auto found = reference.find({Id(ds.userIds[users[k]]), Id(ds.movieIds[m])});
            QVERIFY(found != reference.end());
            QCOMPARE(int(ds.byMovie.rowHalfStars(m)[k]), found->second.first);
        }
    }
    QCOMPARE(seen, reference.size());
}

}  // namespace lens::test
