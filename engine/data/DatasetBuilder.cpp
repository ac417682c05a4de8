#include "data/DatasetBuilder.h"

#include <algorithm>
#include <numeric>

namespace lens {

void RawRatings::append(const RawRatings& other) {
    userIds.insert(userIds.end(), other.userIds.begin(), other.userIds.end());
    movieIds.insert(movieIds.end(), other.movieIds.begin(), other.movieIds.end());
    halfStars.insert(halfStars.end(), other.halfStars.begin(), other.halfStars.end());
    timestamps.insert(timestamps.end(), other.timestamps.begin(), other.timestamps.end());
}

namespace {

// Maps release ids to dense indices. Ids in a modest non-negative range use a direct table
// (one load per lookup); anything else (negative, or near 2^63) a binary search over the
// sorted unique ids.
class IdIndex {
public:
    explicit IdIndex(std::vector<std::int64_t> sortedUnique) : ids_(std::move(sortedUnique)) {
        if (!ids_.empty() && ids_.front() >= 0 && ids_.back() < kDirectLimit) {
            direct_.assign(static_cast<std::size_t>(ids_.back()) + 1, UINT32_MAX);
            for (std::size_t i = 0; i < ids_.size(); ++i)
                direct_[static_cast<std::size_t>(ids_[i])] = static_cast<std::uint32_t>(i);
        }
    }
    std::uint32_t operator()(std::int64_t id) const {
        if (!direct_.empty()) return direct_[static_cast<std::size_t>(id)];
        return static_cast<std::uint32_t>(std::lower_bound(ids_.begin(), ids_.end(), id) - ids_.begin());
    }
    const std::vector<std::int64_t>& ids() const { return ids_; }
    std::vector<std::int64_t> release() { return std::move(ids_); }

private:
    static constexpr std::int64_t kDirectLimit = std::int64_t{1} << 26;
    std::vector<std::int64_t> ids_;
    std::vector<std::uint32_t> direct_;
};

std::vector<std::int64_t> sortedUnique(std::vector<std::int64_t> v) {
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
    return v;
}

// Unique ids of a large column without sorting all of it when the ids are small.
std::vector<std::int64_t> uniqueIds(const std::vector<std::int64_t>& column) {
    std::int64_t lo = INT64_MAX, hi = INT64_MIN;
    for (auto id : column) {
        lo = std::min(lo, id);
        hi = std::max(hi, id);
    }
    if (column.empty()) return {};
    if (lo >= 0 && hi < (std::int64_t{1} << 26)) {
        std::vector<std::uint8_t> seen(static_cast<std::size_t>(hi) + 1, 0);
        for (auto id : column) seen[static_cast<std::size_t>(id)] = 1;
        std::vector<std::int64_t> out;
        for (std::size_t i = 0; i < seen.size(); ++i)
            if (seen[i]) out.push_back(static_cast<std::int64_t>(i));
        return out;
    }
    return sortedUnique(column);
}

}  // namespace

Dataset buildDataset(RawRatings&& ratings, std::vector<RawMovie>&& movies, std::vector<RawTag>&& tags,
                     const RawLinks* links) {
    Dataset ds;
    const std::size_t n = ratings.size();

    // Movies: those of the movies file plus rated (or tagged) ones it does not list.
    std::vector<std::int64_t> movieIdList = uniqueIds(ratings.movieIds);
    for (const auto& m : movies) movieIdList.push_back(m.id);
    for (const auto& t : tags) movieIdList.push_back(t.movieId);
    IdIndex movieIndex(sortedUnique(std::move(movieIdList)));
    const std::size_t movieCount = movieIndex.ids().size();

    std::vector<std::int64_t> userIdList = uniqueIds(ratings.userIds);
    for (const auto& t : tags) userIdList.push_back(t.userId);
    IdIndex userIndex(sortedUnique(std::move(userIdList)));
    const std::size_t userCount = userIndex.ids().size();

    ds.titles.assign(movieCount, {});
    ds.years.assign(movieCount, 0);
    ds.genres.assign(movieCount, 0);
    std::vector<std::uint8_t> listed(movieCount, 0);
    for (auto& m : movies) {
        const std::uint32_t i = movieIndex(m.id);
        ds.years[i] = static_cast<std::int16_t>(parseYearFromTitle(m.title));
        ds.titles[i] = std::move(m.title);
        ds.genres[i] = m.genres;
        listed[i] = 1;
    }
    for (std::size_t i = 0; i < movieCount; ++i) {
        if (!listed[i]) {
            ds.titles[i] = "unknown #" + std::to_string(movieIndex.ids()[i]);
            ++ds.report.unknownMovies;
        }
    }
    if (links) {
        ds.imdbIds.assign(movieCount, 0);
        ds.tmdbIds.assign(movieCount, 0);
        for (std::size_t k = 0; k < links->movieIds.size(); ++k) {
            const auto id = links->movieIds[k];
            const std::uint32_t i = movieIndex(id);
            if (i < movieCount && movieIndex.ids()[i] == id) {
                ds.imdbIds[i] = links->imdbIds[k];
                ds.tmdbIds[i] = links->tmdbIds[k];
            }
        }
    }

    // Dense columns, then a counting sort by user.
    std::vector<std::uint32_t> rowOf(n), colOf(n);
#pragma omp parallel for schedule(static)
    for (std::int64_t k = 0; k < static_cast<std::int64_t>(n); ++k) {
        rowOf[static_cast<std::size_t>(k)] = userIndex(ratings.userIds[static_cast<std::size_t>(k)]);
        colOf[static_cast<std::size_t>(k)] = movieIndex(ratings.movieIds[static_cast<std::size_t>(k)]);
    }
    std::vector<std::int64_t>().swap(ratings.userIds);
    std::vector<std::int64_t>().swap(ratings.movieIds);

    std::vector<std::uint64_t> offsets(userCount + 1, 0);
    for (auto r : rowOf) ++offsets[r + 1];
    std::partial_sum(offsets.begin(), offsets.end(), offsets.begin());
    std::vector<std::uint32_t> order(n);  // input positions grouped by user, input order kept
    {
        std::vector<std::uint64_t> cursor(offsets.begin(), offsets.end() - 1);
        for (std::size_t k = 0; k < n; ++k) order[cursor[rowOf[k]]++] = static_cast<std::uint32_t>(k);
    }
    std::vector<std::uint32_t>().swap(rowOf);

    // Within each user: sort by movie, keep the last of equal movies (stable sort + scan).
    std::vector<std::uint32_t> keptPerRow(userCount, 0);
    std::size_t duplicates = 0;
#pragma omp parallel for schedule(dynamic, 256) reduction(+ : duplicates)
    for (std::int64_t u = 0; u < static_cast<std::int64_t>(userCount); ++u) {
        auto first = order.begin() + static_cast<std::ptrdiff_t>(offsets[static_cast<std::size_t>(u)]);
        auto last = order.begin() + static_cast<std::ptrdiff_t>(offsets[static_cast<std::size_t>(u) + 1]);
        const bool sorted = std::is_sorted(first, last, [&](std::uint32_t a, std::uint32_t b) {
            return colOf[a] < colOf[b];
        });
        if (!sorted)
            std::stable_sort(first, last, [&](std::uint32_t a, std::uint32_t b) { return colOf[a] < colOf[b]; });
        // Compact in place: for a run of equal movies the last entry (latest in input) wins.
        auto out = first;
        for (auto it = first; it != last; ++it) {
            if (it + 1 != last && colOf[*(it + 1)] == colOf[*it]) {
                ++duplicates;
                continue;
            }
            *out++ = *it;
        }
        keptPerRow[static_cast<std::size_t>(u)] = static_cast<std::uint32_t>(out - first);
    }
    ds.report.duplicateRatings = duplicates;

    RatingMatrix& csr = ds.byUser;
    csr.offsets.assign(userCount + 1, 0);
    for (std::size_t u = 0; u < userCount; ++u) csr.offsets[u + 1] = csr.offsets[u] + keptPerRow[u];
    const std::size_t kept = csr.offsets[userCount];
    csr.index.resize(kept);
    csr.halfStars.resize(kept);
    ds.timestamps.resize(kept);
#pragma omp parallel for schedule(dynamic, 256)
    for (std::int64_t u = 0; u < static_cast<std::int64_t>(userCount); ++u) {
        const std::size_t src = offsets[static_cast<std::size_t>(u)];
        const std::size_t dst = csr.offsets[static_cast<std::size_t>(u)];
        for (std::size_t j = 0; j < keptPerRow[static_cast<std::size_t>(u)]; ++j) {
            const std::uint32_t k = order[src + j];
            csr.index[dst + j] = colOf[k];
            csr.halfStars[dst + j] = ratings.halfStars[k];
            ds.timestamps[dst + j] = ratings.timestamps[k];
        }
    }
    std::vector<std::uint32_t>().swap(order);
    std::vector<std::uint32_t>().swap(colOf);
    ratings = RawRatings{};

    // CSC by a counting sort over the CSR: walking users in order keeps each column sorted.
    RatingMatrix& csc = ds.byMovie;
    csc.offsets.assign(movieCount + 1, 0);
    for (auto m : csr.index) ++csc.offsets[m + 1];
    std::partial_sum(csc.offsets.begin(), csc.offsets.end(), csc.offsets.begin());
    csc.index.resize(kept);
    csc.halfStars.resize(kept);
    {
        std::vector<std::uint64_t> cursor(csc.offsets.begin(), csc.offsets.end() - 1);
        for (std::size_t u = 0; u < userCount; ++u) {
            for (std::size_t e = csr.offsets[u]; e < csr.offsets[u + 1]; ++e) {
                const std::uint64_t pos = cursor[csr.index[e]]++;
                csc.index[pos] = static_cast<std::uint32_t>(u);
                csc.halfStars[pos] = csr.halfStars[e];
            }
        }
    }

    ds.tags.reserve(tags.size());
    for (auto& t : tags)
        ds.tags.push_back(Tag{userIndex(t.userId), movieIndex(t.movieId), std::move(t.text), t.timestamp});

    ds.userIds = userIndex.release();
    ds.movieIds = movieIndex.release();
    ds.rebuildIdMaps();
    return ds;
}

}  // namespace lens
