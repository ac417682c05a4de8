#include "data/DatasetBuilder.h"

#include <omp.h>

#include <algorithm>
#include <limits>
#include <numeric>

#include "util/HugePages.h"

namespace lens {

namespace {

// The four columns of a RatingBlock, each backed by huge pages where the kernel allows.
struct RatingStorage {
    HugeArray<std::uint32_t> users, movies, timestamps;
    HugeArray<HalfStars> halfStars;
};

}  // namespace

RatingBlock::RatingBlock(std::size_t cap) : capacity(cap) {
    auto owned = std::make_shared<RatingStorage>();
    owned->users = hugeArray<std::uint32_t>(cap);
    owned->movies = hugeArray<std::uint32_t>(cap);
    owned->halfStars = hugeArray<HalfStars>(cap);
    owned->timestamps = hugeArray<std::uint32_t>(cap);
    users = owned->users.get();
    movies = owned->movies.get();
    halfStars = owned->halfStars.get();
    timestamps = owned->timestamps.get();
    storage = std::move(owned);
}

RatingBlock RatingBlock::carve(std::size_t cap) const {
    RatingBlock block;
    block.storage = storage;
    block.users = users + size;
    block.movies = movies + size;
    block.halfStars = halfStars + size;
    block.timestamps = timestamps + size;
    block.capacity = std::min(cap, capacity - size);
    return block;
}

void RawRatings::append(const RawRatings& other) {
    userIds.insert(userIds.end(), other.userIds.begin(), other.userIds.end());
    movieIds.insert(movieIds.end(), other.movieIds.begin(), other.movieIds.end());
    halfStars.insert(halfStars.end(), other.halfStars.begin(), other.halfStars.end());
    timestamps.insert(timestamps.end(), other.timestamps.begin(), other.timestamps.end());
}

namespace {

constexpr std::int64_t kDirectLimit = std::int64_t{1} << 27;

std::vector<std::int64_t> sortedUnique(std::vector<std::int64_t> v) {
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
    return v;
}

std::uint32_t denseOf(const std::vector<std::int64_t>& sortedIds, std::int64_t id) {
    return static_cast<std::uint32_t>(std::lower_bound(sortedIds.begin(), sortedIds.end(), id) -
                                      sortedIds.begin());
}

// Titles, years, genres and links of every movie; "unknown #id" for rated movies the movie
// list lacks.
void fillMovies(Dataset& ds, const std::vector<std::int64_t>& movieIds,
                std::vector<RawMovie>& movies, const RawLinks* links) {
    const std::size_t movieCount = movieIds.size();
    ds.titles.assign(movieCount, {});
    ds.years.assign(movieCount, 0);
    ds.genres.assign(movieCount, 0);
    std::vector<std::uint8_t> listed(movieCount, 0);
    for (auto& m : movies) {
        const std::uint32_t i = denseOf(movieIds, m.id);
        ds.years[i] = static_cast<std::int16_t>(parseYearFromTitle(m.title));
        ds.titles[i] = std::move(m.title);
        ds.genres[i] = m.genres;
        listed[i] = 1;
    }
    for (std::size_t i = 0; i < movieCount; ++i) {
        if (!listed[i]) {
            ds.titles[i] = "unknown #" + std::to_string(movieIds[i]);
            ++ds.report.unknownMovies;
        }
    }
    if (links) {
        ds.imdbIds.assign(movieCount, 0);
        ds.tmdbIds.assign(movieCount, 0);
        for (std::size_t k = 0; k < links->movieIds.size(); ++k) {
            const auto id = links->movieIds[k];
            const std::uint32_t i = denseOf(movieIds, id);
            if (i < movieCount && movieIds[i] == id) {
                ds.imdbIds[i] = links->imdbIds[k];
                ds.tmdbIds[i] = links->tmdbIds[k];
            }
        }
    }
}

// In parallel: ML-20M has 465,000 tags. Their ids are looked up in the direct tables of
// indexColumn where it built them (they cover the tags' ids), else binary-searched.
void fillTags(Dataset& ds, std::vector<RawTag>& tags, const std::vector<std::uint32_t>& userTable,
              const std::vector<std::uint32_t>& movieTable, int threads) {
    const auto n = static_cast<std::int64_t>(tags.size());
    resizeHuge(ds.tags, tags.size());
#pragma omp parallel for num_threads( \
    std::max(1, std::min <int>(threads, static_cast <int>(n / 20000) + 1)))
    for (std::int64_t k = 0; k < n; ++k) {
        RawTag& t = tags[static_cast<std::size_t>(k)];
        const std::uint32_t user = userTable.empty()
                                       ? denseOf(ds.userIds, t.userId)
                                       : userTable[static_cast<std::size_t>(t.userId)];
        const std::uint32_t movie = movieTable.empty()
                                        ? denseOf(ds.movieIds, t.movieId)
                                        : movieTable[static_cast<std::size_t>(t.movieId)];
        ds.tags[static_cast<std::size_t>(k)] = Tag{user, movie, std::move(t.text), t.timestamp};
    }
}

// Per user: entries sorted by movie; of equal movies the last in input order is kept.
// Returns the number of duplicates dropped; `kept[u]` is the row's new length.
std::size_t sortRowsAndDropDuplicates(RatingMatrix& csr, std::vector<std::uint32_t>& timestamps,
                                      std::vector<std::uint32_t>& kept) {
    const std::size_t rows = csr.rows();
    kept.assign(rows, 0);
    std::size_t duplicates = 0;
#pragma omp parallel reduction(+ : duplicates)
    {
        std::vector<std::uint64_t> keys;
        std::vector<std::uint32_t> idx, ts;
        std::vector<HalfStars> hs;
#pragma omp for schedule(dynamic, 1024)
        for (std::int64_t r = 0; r < static_cast<std::int64_t>(rows); ++r) {
            const std::size_t b = csr.offsets[static_cast<std::size_t>(r)];
            const std::size_t e = csr.offsets[static_cast<std::size_t>(r) + 1];
            bool strictlyIncreasing = true;
            for (std::size_t k = b + 1; k < e && strictlyIncreasing; ++k)
                strictlyIncreasing = csr.index[k - 1] < csr.index[k];
            if (strictlyIncreasing) {
                kept[static_cast<std::size_t>(r)] = static_cast<std::uint32_t>(e - b);
                continue;
            }
            const std::size_t len = e - b;
            keys.resize(len);
            for (std::size_t j = 0; j < len; ++j)
                keys[j] = (std::uint64_t{csr.index[b + j]} << 32) | j;
            std::sort(keys.begin(), keys.end());  // by movie, then input order
            idx.assign(csr.index.begin() + static_cast<std::ptrdiff_t>(b),
                       csr.index.begin() + static_cast<std::ptrdiff_t>(e));
            hs.assign(csr.halfStars.begin() + static_cast<std::ptrdiff_t>(b),
                      csr.halfStars.begin() + static_cast<std::ptrdiff_t>(e));
            ts.assign(timestamps.begin() + static_cast<std::ptrdiff_t>(b),
                      timestamps.begin() + static_cast<std::ptrdiff_t>(e));
            std::size_t out = b;
            for (std::size_t j = 0; j < len; ++j) {
                if (j + 1 < len && (keys[j + 1] >> 32) == (keys[j] >> 32)) {
                    ++duplicates;  // a later rating of the same movie follows
                    continue;
                }
                const std::size_t from = keys[j] & 0xFFFFFFFFu;
                csr.index[out] = idx[from];
                csr.halfStars[out] = hs[from];
                timestamps[out] = ts[from];
                ++out;
            }
            kept[static_cast<std::size_t>(r)] = static_cast<std::uint32_t>(out - b);
        }
    }
    return duplicates;
}

// Moves rows left over the gaps duplicates left and fixes the offsets.
void compactRows(RatingMatrix& csr, std::vector<std::uint32_t>& timestamps,
                 const std::vector<std::uint32_t>& kept) {
    std::size_t out = 0;
    for (std::size_t r = 0; r < kept.size(); ++r) {
        const std::size_t b = csr.offsets[r];
        csr.offsets[r] = out;
        if (out != b) {
            std::copy_n(csr.index.begin() + static_cast<std::ptrdiff_t>(b), kept[r],
                        csr.index.begin() + static_cast<std::ptrdiff_t>(out));
            std::copy_n(csr.halfStars.begin() + static_cast<std::ptrdiff_t>(b), kept[r],
                        csr.halfStars.begin() + static_cast<std::ptrdiff_t>(out));
            std::copy_n(timestamps.begin() + static_cast<std::ptrdiff_t>(b), kept[r],
                        timestamps.begin() + static_cast<std::ptrdiff_t>(out));
        }
        out += kept[r];
    }
    csr.offsets[kept.size()] = out;
    csr.index.resize(out);
    csr.halfStars.resize(out);
    timestamps.resize(out);
}

// CSC from CSR by a counting sort, parallel over user ranges (about four per thread, taken as
// threads become free) with per-range column cursors; walking users in order keeps each column
// sorted by user.
void buildByMovie(const RatingMatrix& csr, std::size_t movieCount, RatingMatrix& csc) {
    const std::size_t users = csr.rows();
    const std::size_t nnz = csr.nnz();
    const int threads =
        std::max(1, std::min(omp_get_max_threads(), static_cast<int>(nnz / 100000) + 1));
    const std::size_t parts = threads == 1 ? 1 : static_cast<std::size_t>(threads) * 4;
    std::vector<std::size_t> userSplit(parts + 1, users);
    userSplit[0] = 0;
    for (std::size_t t = 1; t < parts; ++t) {
        const std::uint64_t target = nnz * t / parts;
        userSplit[t] = static_cast<std::size_t>(
            std::upper_bound(csr.offsets.begin(), csr.offsets.end(), target) - csr.offsets.begin() -
            1);
    }
    std::vector<std::vector<std::uint64_t>> counts(parts);
    csc.offsets.assign(movieCount + 1, 0);
    resizeHuge(csc.index, nnz);
    resizeHuge(csc.halfStars, nnz);
    const auto partCount = static_cast<std::int64_t>(parts);
#pragma omp parallel num_threads(threads)
    {
#pragma omp for schedule(dynamic, 1)
        for (std::int64_t t = 0; t < partCount; ++t) {
            auto& count = counts[static_cast<std::size_t>(t)];
            reservePopulated(count, movieCount);
            count.assign(movieCount, 0);
            const std::size_t eb = csr.offsets[userSplit[static_cast<std::size_t>(t)]];
            const std::size_t ee = csr.offsets[userSplit[static_cast<std::size_t>(t) + 1]];
            for (std::size_t e = eb; e < ee; ++e) ++count[csr.index[e]];
        }
#pragma omp single
        {
            // Column offsets, then each range's cursor = column start + counts of earlier ranges.
            std::uint64_t total = 0;
            for (std::size_t m = 0; m < movieCount; ++m) {
                csc.offsets[m] = total;
                for (auto& c : counts) {
                    const std::uint64_t here = c[m];
                    c[m] = total;
                    total += here;
                }
            }
            csc.offsets[movieCount] = total;
        }
#pragma omp for schedule(dynamic, 1)
        for (std::int64_t t = 0; t < partCount; ++t) {
            auto& cursor = counts[static_cast<std::size_t>(t)];
            for (std::size_t u = userSplit[static_cast<std::size_t>(t)];
                 u < userSplit[static_cast<std::size_t>(t) + 1]; ++u) {
                for (std::size_t e = csr.offsets[u]; e < csr.offsets[u + 1]; ++e) {
                    const std::uint64_t pos = cursor[csr.index[e]]++;
                    csc.index[pos] = static_cast<std::uint32_t>(u);
                    csc.halfStars[pos] = csr.halfStars[e];
                }
            }
        }
    }
}

void finishDataset(Dataset& ds, std::vector<std::uint32_t>& kept) {
    ds.report.duplicateRatings = sortRowsAndDropDuplicates(ds.byUser, ds.timestamps, kept);
    if (ds.report.duplicateRatings) compactRows(ds.byUser, ds.timestamps, kept);
    std::vector<std::uint32_t>().swap(kept);
    buildByMovie(ds.byUser, ds.movieIds.size(), ds.byMovie);
    ds.rebuildIdMaps();
}

// Global positions [begin, end) of a block list, visited block by block.
template <class Fn>
void forEachInRange(CompactRatings& ratings, std::size_t begin, std::size_t end, Fn&& fn) {
    std::size_t base = 0;
    for (auto& block : ratings.blocks) {
        const std::size_t b = std::max(begin, base), e = std::min(end, base + block.size);
        if (b < e) fn(block, b - base, e - base);
        base += block.size;
        if (base >= end) break;
    }
}

// True when the ratings come sorted by user, as the MovieLens files do: the rows by user are
// then the input order and need no counting sort.
bool usersInInputOrder(const CompactRatings& ratings, int threads) {
    const auto& blocks = ratings.blocks;
    const auto blockCount = static_cast<std::int64_t>(blocks.size());
    bool sorted = true;
#pragma omp parallel for num_threads(threads) schedule(dynamic, 1) reduction(&& : sorted)
    for (std::int64_t k = 0; k < blockCount; ++k) {
        const RatingBlock& b = blocks[static_cast<std::size_t>(k)];
        if (b.size == 0) continue;
        std::int64_t j = k - 1;  // the previous block that holds ratings
        while (j >= 0 && blocks[static_cast<std::size_t>(j)].size == 0) --j;
        bool ok =
            j < 0 || blocks[static_cast<std::size_t>(j)]
                             .users[blocks[static_cast<std::size_t>(j)].size - 1] <= b.users[0];
        for (std::size_t i = 1; i < b.size && ok; ++i) ok = b.users[i - 1] <= b.users[i];
        sorted = sorted && ok;
    }
    return sorted;
}

// The rows by user of ratings sorted by user: entry i of the input is entry i of the rows, and
// a user's row starts where the user first appears (users without ratings get empty rows).
// Blocks are copied in parallel, each written once.
template <class UserOf, class MovieOf>
void fillRowsInInputOrder(const CompactRatings& ratings, UserOf userOf, MovieOf movieOf,
                          RatingMatrix& csr, std::vector<std::uint32_t>& timestamps, int threads) {
    const auto& blocks = ratings.blocks;
    const std::size_t n = csr.index.size();
    std::vector<std::size_t> base(blocks.size() + 1, 0);
    for (std::size_t k = 0; k < blocks.size(); ++k) base[k + 1] = base[k] + blocks[k].size;
    std::fill(csr.offsets.begin(), csr.offsets.end(), n);
    constexpr auto kNone = std::numeric_limits<std::uint64_t>::max();
    const auto blockCount = static_cast<std::int64_t>(blocks.size());
#pragma omp parallel for num_threads(threads) schedule(dynamic, 1)
    for (std::int64_t k = 0; k < blockCount; ++k) {
        const RatingBlock& b = blocks[static_cast<std::size_t>(k)];
        std::int64_t j = k - 1;  // a user continued from the previous block starts there
        while (j >= 0 && blocks[static_cast<std::size_t>(j)].size == 0) --j;
        std::uint64_t previous =
            j < 0 ? kNone
                  : userOf(blocks[static_cast<std::size_t>(j)]
                               .users[blocks[static_cast<std::size_t>(j)].size - 1]);
        const std::size_t at = base[static_cast<std::size_t>(k)];
        for (std::size_t i = 0; i < b.size; ++i) {
            const std::uint64_t user = userOf(b.users[i]);
            if (user != previous) csr.offsets[user] = at + i;
            previous = user;
            csr.index[at + i] = movieOf(b.movies[i]);
        }
        std::copy_n(b.halfStars, b.size, csr.halfStars.begin() + static_cast<std::ptrdiff_t>(at));
        std::copy_n(b.timestamps, b.size, timestamps.begin() + static_cast<std::ptrdiff_t>(at));
    }
    for (std::size_t u = csr.offsets.size() - 1; u-- > 0;)
        csr.offsets[u] = std::min(csr.offsets[u], csr.offsets[u + 1]);
}

// Sorted unique ids of one column plus extra ids; in place maps the column to dense indices
// when its keys are too large for a direct table. Returns the dense index of each key
// (empty when the column now holds dense indices already).
std::vector<std::uint32_t> indexColumn(CompactRatings& ratings, bool users,
                                       std::vector<std::int64_t> extra,
                                       std::vector<std::int64_t>& sortedIds, int threads) {
    auto column = [users](RatingBlock& b) { return users ? b.users : b.movies; };
    // One parallel region over all blocks (not one per block: each region ends in a barrier
    // that waits for a thread the machine has descheduled).
    std::uint32_t maxKey = 0;
    const auto blockCount = static_cast<std::int64_t>(ratings.blocks.size());
#pragma omp parallel for num_threads(threads) schedule(dynamic, 1) reduction(max : maxKey)
    for (std::int64_t k = 0; k < blockCount; ++k) {
        RatingBlock& b = ratings.blocks[static_cast<std::size_t>(k)];
        const std::uint32_t* c = column(b);
        std::uint32_t blockMax = 0;
        for (std::size_t i = 0; i < b.size; ++i) blockMax = std::max(blockMax, c[i]);
        maxKey = std::max(maxKey, blockMax);
    }
    const bool extraSmall = std::all_of(
        extra.begin(), extra.end(), [](std::int64_t id) { return id >= 0 && id < kDirectLimit; });
    const std::size_t n = ratings.size();
    std::int64_t hi = maxKey;
    if (extraSmall)
        for (auto id : extra) hi = std::max(hi, id);
    // Direct tables cost (largest id) bytes per thread: only when ids are dense enough for the
    // data (a tiny file with one id near 2^27 would otherwise allocate about a gigabyte).
    const auto denseLimit = static_cast<std::int64_t>(8 * (n + extra.size()) + (1u << 20));
    if (maxKey < kDirectLimit && extraSmall && hi <= denseLimit) {
        std::vector<std::uint8_t> seen(static_cast<std::size_t>(hi) + 1, 0);
        std::vector<std::vector<std::uint8_t>> local(static_cast<std::size_t>(threads));
#pragma omp parallel num_threads(threads)
        {
            const int t = omp_get_thread_num(), nt = omp_get_num_threads();
            auto& mine = local[static_cast<std::size_t>(t)];
            mine.assign(seen.size(), 0);
            forEachInRange(ratings, n * static_cast<std::size_t>(t) / static_cast<std::size_t>(nt),
                           n * static_cast<std::size_t>(t + 1) / static_cast<std::size_t>(nt),
                           [&](RatingBlock& b, std::size_t from, std::size_t to) {
                               const std::uint32_t* c = column(b);
                               for (std::size_t i = from; i < to; ++i) mine[c[i]] = 1;
                           });
        }
        for (auto& mine : local)
            for (std::size_t k = 0; k < mine.size(); ++k) seen[k] |= mine[k];
        for (auto id : extra) seen[static_cast<std::size_t>(id)] = 1;
        sortedIds.clear();
        std::vector<std::uint32_t> table(seen.size(), std::numeric_limits<std::uint32_t>::max());
        for (std::size_t k = 0; k < seen.size(); ++k) {
            if (!seen[k]) continue;
            table[k] = static_cast<std::uint32_t>(sortedIds.size());
            sortedIds.push_back(static_cast<std::int64_t>(k));
        }
        return table;
    }
    // Large keys: sort a copy, then binary-search each entry into a dense index in place.
    std::vector<std::int64_t> all(std::move(extra));
    all.reserve(all.size() + n);
    for (auto& b : ratings.blocks) {
        const std::uint32_t* c = column(b);
        all.insert(all.end(), c, c + b.size);
    }
    sortedIds = sortedUnique(std::move(all));
    for (auto& b : ratings.blocks) {
        std::uint32_t* c = column(b);
#pragma omp parallel for num_threads(threads)
        for (std::int64_t i = 0; i < static_cast<std::int64_t>(b.size); ++i)
            c[i] = denseOf(sortedIds, c[i]);
    }
    return {};
}

}  // namespace

Dataset buildDataset(CompactRatings&& ratings, std::vector<RawMovie>&& movies,
                     std::vector<RawTag>&& tags, const RawLinks* links) {
    Dataset ds;
    const std::size_t n = ratings.size();
    const int threads =
        std::max(1, std::min(omp_get_max_threads(), static_cast<int>(n / 200000) + 1));

    std::vector<std::int64_t> extraMovies, extraUsers;
    reservePopulated(extraMovies, movies.size() + tags.size());
    reservePopulated(extraUsers, tags.size());
    for (const auto& m : movies) extraMovies.push_back(m.id);
    for (const auto& t : tags) {
        extraMovies.push_back(t.movieId);
        extraUsers.push_back(t.userId);
    }
    const std::vector<std::uint32_t> movieTable =
        indexColumn(ratings, false, std::move(extraMovies), ds.movieIds, threads);
    const std::vector<std::uint32_t> userTable =
        indexColumn(ratings, true, std::move(extraUsers), ds.userIds, threads);
    const std::size_t userCount = ds.userIds.size();
    fillMovies(ds, ds.movieIds, movies, links);

    // Rows by user: the input order when it is sorted by user, else a counting sort, stable:
    // thread t owns input range t and writes, for each user, after the entries of the same user
    // from earlier ranges.
    auto userOf = [&](std::uint32_t key) { return userTable.empty() ? key : userTable[key]; };
    auto movieOf = [&](std::uint32_t key) { return movieTable.empty() ? key : movieTable[key]; };
    std::vector<std::vector<std::uint64_t>> cursors(static_cast<std::size_t>(threads));
    RatingMatrix& csr = ds.byUser;
    csr.offsets.assign(userCount + 1, 0);
    resizeHuge(csr.index, n);
    resizeHuge(csr.halfStars, n);
    resizeHuge(ds.timestamps, n);
    const bool inOrder = usersInInputOrder(ratings, threads);
    if (inOrder)
        fillRowsInInputOrder(ratings, userOf, movieOf, csr, ds.timestamps, threads);
    else
#pragma omp parallel num_threads(threads)
    {
        const int t = omp_get_thread_num(), nt = omp_get_num_threads();
        const std::size_t begin = n * static_cast<std::size_t>(t) / static_cast<std::size_t>(nt);
        const std::size_t end = n * static_cast<std::size_t>(t + 1) / static_cast<std::size_t>(nt);
        auto& count = cursors[static_cast<std::size_t>(t)];
        reservePopulated(count, userCount);
        count.assign(userCount, 0);
        forEachInRange(ratings, begin, end, [&](RatingBlock& b, std::size_t from, std::size_t to) {
            for (std::size_t i = from; i < to; ++i) ++count[userOf(b.users[i])];
        });
#pragma omp barrier
#pragma omp single
        {
            std::uint64_t total = 0;
            for (std::size_t u = 0; u < userCount; ++u) {
                csr.offsets[u] = total;
                for (int s = 0; s < nt; ++s) {
                    auto& c = cursors[static_cast<std::size_t>(s)][u];
                    const std::uint64_t here = c;
                    c = total;
                    total += here;
                }
            }
            csr.offsets[userCount] = total;
        }
        auto& cursor = cursors[static_cast<std::size_t>(t)];
        forEachInRange(ratings, begin, end, [&](RatingBlock& b, std::size_t from, std::size_t to) {
            for (std::size_t i = from; i < to; ++i) {
                const std::uint64_t pos = cursor[userOf(b.users[i])]++;
                csr.index[pos] = movieOf(b.movies[i]);
                csr.halfStars[pos] = b.halfStars[i];
                ds.timestamps[pos] = b.timestamps[i];
            }
        });
    }
    ratings = CompactRatings{};
    std::vector<std::vector<std::uint64_t>>().swap(cursors);

    std::vector<std::uint32_t> kept;
    finishDataset(ds, kept);
    fillTags(ds, tags, userTable, movieTable, omp_get_max_threads());
    return ds;
}

Dataset buildDataset(RawRatings&& ratings, std::vector<RawMovie>&& movies,
                     std::vector<RawTag>&& tags, const RawLinks* links) {
    const std::size_t n = ratings.size();
    constexpr auto kMax32 = static_cast<std::int64_t>(std::numeric_limits<std::uint32_t>::max());
    bool fits = true;
    for (std::size_t k = 0; k < n && fits; ++k)
        fits = ratings.userIds[k] >= 0 && ratings.userIds[k] <= kMax32 &&
               ratings.movieIds[k] >= 0 && ratings.movieIds[k] <= kMax32;
    CompactRatings compact;
    if (fits) {
        compact.blocks.emplace_back(n);
        RatingBlock& b = compact.blocks.back();
        for (std::size_t k = 0; k < n; ++k)
            b.push(static_cast<std::uint32_t>(ratings.userIds[k]),
                   static_cast<std::uint32_t>(ratings.movieIds[k]), ratings.halfStars[k],
                   ratings.timestamps[k]);
        ratings = RawRatings{};
        return buildDataset(std::move(compact), std::move(movies), std::move(tags), links);
    }
    // 64-bit ids: map both columns to dense indices first, then index those.
    std::vector<std::int64_t> users = ratings.userIds, moviesAll = ratings.movieIds;
    for (const auto& m : movies) moviesAll.push_back(m.id);
    for (const auto& t : tags) {
        users.push_back(t.userId);
        moviesAll.push_back(t.movieId);
    }
    const std::vector<std::int64_t> userIds = sortedUnique(std::move(users));
    const std::vector<std::int64_t> movieIds = sortedUnique(std::move(moviesAll));
    compact.blocks.emplace_back(n);
    RatingBlock& b = compact.blocks.back();
    for (std::size_t k = 0; k < n; ++k)
        b.push(denseOf(userIds, ratings.userIds[k]), denseOf(movieIds, ratings.movieIds[k]),
               ratings.halfStars[k], ratings.timestamps[k]);
    ratings = RawRatings{};
    // Index by dense keys with placeholder movie/tag ids, then put the real ids back.
    std::vector<RawMovie> denseMovies = std::move(movies);
    for (auto& m : denseMovies) m.id = denseOf(movieIds, m.id);
    std::vector<RawTag> denseTags = std::move(tags);
    for (auto& t : denseTags) {
        t.userId = denseOf(userIds, t.userId);
        t.movieId = denseOf(movieIds, t.movieId);
    }
    RawLinks denseLinks;
    if (links) {
        denseLinks = *links;
        for (auto& id : denseLinks.movieIds) {
            const auto i = denseOf(movieIds, id);
            id = i < movieIds.size() && movieIds[i] == id ? static_cast<std::int64_t>(i) : -1;
        }
    }
    Dataset ds = buildDataset(std::move(compact), std::move(denseMovies), std::move(denseTags),
                              links ? &denseLinks : nullptr);
    // Every dense key is present, so dense index i is key i; restore the release ids.
    for (std::size_t i = 0; i < ds.movieIds.size(); ++i) {
        const std::int64_t realId = movieIds[static_cast<std::size_t>(ds.movieIds[i])];
        if (ds.titles[i].rfind("unknown #", 0) == 0)
            ds.titles[i] = "unknown #" + std::to_string(realId);
        ds.movieIds[i] = realId;
    }
    for (auto& id : ds.userIds) id = userIds[static_cast<std::size_t>(id)];
    ds.rebuildIdMaps();
    return ds;
}

}  // namespace lens
