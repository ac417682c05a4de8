#include "data/LoadFilters.h"

#include "data/DatasetBuilder.h"
#include "io/InteractionReader.h"
#include "util/Calendar.h"
#include "util/HugePages.h"

#include <algorithm>
#include <cstdio>
#include <limits>
#include <stdexcept>

namespace lens {

// Helpers in a named namespace: the engine compiles in unity batches, where every file's
// anonymous namespace is one.
namespace load_filters_detail {

constexpr std::int64_t kSecondsPerDay = 86400;
constexpr std::uint32_t kGone = std::numeric_limits<std::uint32_t>::max();

// The bare date when the time of day is `dateTime` seconds, else the full UTC date-time.
std::string timeText(std::uint32_t seconds, std::int64_t dateTime) {
    const std::int64_t days = seconds / kSecondsPerDay;
    const std::int64_t rest = seconds % kSecondsPerDay;
    std::string out = isoDate(days * kSecondsPerDay);
    if (rest == dateTime) return out;
    char buf[16];
    std::snprintf(buf, sizeof buf, "T%02lld:%02lld:%02lldZ", static_cast<long long>(rest / 3600),
                  static_cast<long long>(rest / 60 % 60), static_cast<long long>(rest % 60));
    return out + buf;
}

// The survivors of the filters while they run: a rating (byUser entry e of user u, movie m) is
// still there when its date is in range and both u and m are alive; the degrees count, for each
// alive user / movie, its ratings still there (exactly, between steps).
struct FilterState {
    const Dataset& ds;
    std::vector<std::uint8_t> dateOk;         // per byUser entry; empty: every date is in range
    std::vector<std::uint8_t> dateOkByMovie;  // the same per byMovie entry
    std::vector<std::uint32_t> userDegree, movieDegree;
    std::vector<std::uint8_t> userAlive, movieAlive;

    explicit FilterState(const Dataset& d) : ds(d) {
        const std::size_t users = ds.byUser.rows(), movies = ds.byMovie.rows();
        userDegree.resize(users);
        movieDegree.resize(movies);
        for (std::size_t u = 0; u < users; ++u)
            userDegree[u] = static_cast<std::uint32_t>(ds.byUser.rowSize(u));
        for (std::size_t m = 0; m < movies; ++m)
            movieDegree[m] = static_cast<std::uint32_t>(ds.byMovie.rowSize(m));
        userAlive.assign(users, 1);
        movieAlive.assign(movies, 1);
    }

    bool inRange(std::size_t e) const { return dateOk.empty() || dateOk[e]; }
    bool inRangeByMovie(std::size_t p) const { return dateOkByMovie.empty() || dateOkByMovie[p]; }

    struct Counts {
        std::size_t ratings = 0, users = 0, movies = 0;
    };
    Counts counts() const {
        Counts c;
        for (std::size_t u = 0; u < userDegree.size(); ++u) {
            if (!userAlive[u] || userDegree[u] == 0) continue;
            c.ratings += userDegree[u];
            ++c.users;
        }
        for (std::size_t m = 0; m < movieDegree.size(); ++m)
            c.movies += movieAlive[m] && movieDegree[m] > 0;
        return c;
    }

    // Drops the ratings whose time fails `keep` (date steps run first: everyone is alive).
    template <class Keep>
    void filterDates(Keep keep) {
        if (dateOk.empty()) dateOk.assign(ds.byUser.nnz(), 1);
        for (std::size_t u = 0; u < ds.byUser.rows(); ++u) {
            for (std::size_t e = ds.byUser.offsets[u]; e < ds.byUser.offsets[u + 1]; ++e) {
                if (!dateOk[e] || keep(ds.timestamps[e])) continue;
                dateOk[e] = 0;
                --userDegree[u];
                --movieDegree[ds.byUser.index[e]];
            }
        }
    }

    // dateOk in byMovie order: walking users in order, a per-movie cursor meets each rating
    // at its byMovie position (columns are sorted by user).
    void mapDatesToMovies() {
        if (dateOk.empty()) return;
        const RatingMatrix& csc = ds.byMovie;
        std::vector<std::uint64_t> cursor(csc.offsets.begin(), csc.offsets.end() - 1);
        dateOkByMovie.assign(csc.nnz(), 0);
        for (std::size_t u = 0; u < ds.byUser.rows(); ++u) {
            for (std::size_t e = ds.byUser.offsets[u]; e < ds.byUser.offsets[u + 1]; ++e) {
                const std::uint64_t p = cursor[ds.byUser.index[e]]++;
                if (p >= csc.nnz())
                    throw std::logic_error("applyLoadFilters: byMovie does not match byUser");
                dateOkByMovie[p] = dateOk[e];
            }
        }
        // Checking csc.index[p] == u above would read byMovie at random (most of the filters'
        // time on ML-20M); counts per column catch a mismatched matrix more cheaply.
        for (std::size_t m = 0; m < csc.rows(); ++m)
            if (cursor[m] != csc.offsets[m + 1])
                throw std::logic_error("applyLoadFilters: byMovie does not match byUser");
    }

    // Removes user u (already marked dead): its ratings leave their movies' degrees; a movie
    // that falls below `below` dies and is pushed on `movies`.
    void dropUserRatings(std::size_t u, std::uint32_t below, std::vector<std::uint32_t>* movies) {
        for (std::size_t e = ds.byUser.offsets[u]; e < ds.byUser.offsets[u + 1]; ++e) {
            const std::uint32_t m = ds.byUser.index[e];
            if (!inRange(e) || !movieAlive[m]) continue;
            if (--movieDegree[m] < below && movies) {
                movieAlive[m] = 0;
                movies->push_back(m);
            }
        }
    }
    void dropMovieRatings(std::size_t m, std::uint32_t below, std::vector<std::uint32_t>* users) {
        for (std::size_t p = ds.byMovie.offsets[m]; p < ds.byMovie.offsets[m + 1]; ++p) {
            const std::uint32_t u = ds.byMovie.index[p];
            if (!inRangeByMovie(p) || !userAlive[u]) continue;
            if (--userDegree[u] < below && users) {
                userAlive[u] = 0;
                users->push_back(u);
            }
        }
    }

    // One pass: users (then, separately, movies) with fewer than n ratings go.
    void minimumPerUser(std::uint32_t n) {
        for (std::size_t u = 0; u < userDegree.size(); ++u) {
            if (!userAlive[u] || userDegree[u] >= n) continue;
            userAlive[u] = 0;
            dropUserRatings(u, 0, nullptr);
        }
    }
    void minimumPerMovie(std::uint32_t n) {
        for (std::size_t m = 0; m < movieDegree.size(); ++m) {
            if (!movieAlive[m] || movieDegree[m] >= n) continue;
            movieAlive[m] = 0;
            dropMovieRatings(m, 0, nullptr);
        }
    }

    // The k-core: everyone below k dies and goes on a work list; removing them lowers the
    // degrees of the others, who die and join the list when they fall below k. Each rating is
    // looked at at most once from each side.
    void kCore(std::uint32_t k) {
        std::vector<std::uint32_t> users, movies;
        for (std::size_t u = 0; u < userDegree.size(); ++u) {
            if (!userAlive[u] || userDegree[u] >= k) continue;
            userAlive[u] = 0;
            users.push_back(static_cast<std::uint32_t>(u));
        }
        for (std::size_t m = 0; m < movieDegree.size(); ++m) {
            if (!movieAlive[m] || movieDegree[m] >= k) continue;
            movieAlive[m] = 0;
            movies.push_back(static_cast<std::uint32_t>(m));
        }
        while (!users.empty() || !movies.empty()) {
            while (!users.empty()) {
                const std::uint32_t u = users.back();
                users.pop_back();
                dropUserRatings(u, k, &movies);
            }
            while (!movies.empty()) {
                const std::uint32_t m = movies.back();
                movies.pop_back();
                dropMovieRatings(m, k, &users);
            }
        }
    }
};

// Old index -> new index (kGone for dropped ones); returns how many are kept.
std::size_t renumber(const std::vector<std::uint8_t>& alive,
                     const std::vector<std::uint32_t>& degree, std::vector<std::uint32_t>& out) {
    out.assign(alive.size(), kGone);
    std::uint32_t next = 0;
    for (std::size_t i = 0; i < alive.size(); ++i)
        if (alive[i] && degree[i] > 0) out[i] = next++;
    return next;
}

// Gives back the memory of dropped entries when that is worth a copy: when at least a quarter
// went. The copy's pages are backed by 2 MB pages where the kernel allows (adviseHugePages):
// with 4 KB pages, faulting them in costs more than all the filtering on ML-20M.
template <class T>
void shrinkIfWorthIt(std::vector<T>& v) {
    if (v.size() >= v.capacity() / 4 * 3) return;
    std::vector<T> copy;
    reserveHuge(copy, v.size());
    copy.insert(copy.end(), std::make_move_iterator(v.begin()), std::make_move_iterator(v.end()));
    v.swap(copy);
}

// Keeps the elements whose new index is set, in order. Arrays of another length (absent ones,
// e.g. imdbIds without links.csv or keys of numeric ids) are left alone.
template <class T>
void keepIndexed(std::vector<T>& v, const std::vector<std::uint32_t>& newIndex) {
    if (v.size() != newIndex.size()) return;
    std::size_t out = 0;
    for (std::size_t i = 0; i < v.size(); ++i) {
        if (newIndex[i] == kGone) continue;
        if (out != i) v[out] = std::move(v[i]);
        ++out;
    }
    v.resize(out);
    shrinkIfWorthIt(v);
}

// Compacts a CSR/CSC in place to the kept rows and the entries `keep(position)` accepts, the
// columns renumbered by `newColumn`; `alongside(from, to)` moves data aligned with the entries.
template <class Keep, class Alongside>
void compactMatrix(RatingMatrix& matrix, const std::vector<std::uint32_t>& newRow,
                   std::size_t keptRows, const std::vector<std::uint32_t>& newColumn, Keep keep,
                   Alongside alongside) {
    std::vector<std::uint64_t> offsets;
    offsets.reserve(keptRows + 1);
    std::size_t out = 0;
    for (std::size_t r = 0; r < matrix.rows(); ++r) {
        if (newRow[r] == kGone) continue;
        offsets.push_back(out);
        for (std::size_t e = matrix.offsets[r]; e < matrix.offsets[r + 1]; ++e) {
            const std::uint32_t c = newColumn[matrix.index[e]];
            if (c == kGone || !keep(e)) continue;
            matrix.index[out] = c;
            matrix.halfStars[out] = matrix.halfStars[e];
            alongside(e, out);
            ++out;
        }
    }
    offsets.push_back(out);
    matrix.offsets = std::move(offsets);
    matrix.index.resize(out);
    shrinkIfWorthIt(matrix.index);
    matrix.halfStars.resize(out);
    shrinkIfWorthIt(matrix.halfStars);
}

std::string sinceText(std::uint32_t t) {
    return "since " + timeText(t, 0);
}
std::string untilText(std::uint32_t t) {
    return "until " + timeText(t, kSecondsPerDay - 1);
}
std::string perUserText(int n) {
    return ">= " + std::to_string(n) + " per user";
}
std::string perItemText(int n) {
    return ">= " + std::to_string(n) + " per item";
}
std::string kCoreText(int k) {
    return "k-core " + std::to_string(k);
}

}  // namespace load_filters_detail

std::string LoadFilters::text() const {
    using namespace load_filters_detail;
    std::vector<std::string> parts;
    if (since) parts.push_back(sinceText(*since));
    if (until) parts.push_back(untilText(*until));
    if (minUserRatings > 0) parts.push_back(perUserText(minUserRatings));
    if (minItemRatings > 0) parts.push_back(perItemText(minItemRatings));
    if (kCore > 0) parts.push_back(kCoreText(kCore));
    std::string out;
    for (const auto& p : parts) out += (out.empty() ? "" : ", ") + p;
    return out;
}

std::optional<std::uint32_t> parseDateArgument(std::string_view text, bool endOfDay) {
    // The interaction reader's times (Unix seconds, ISO 8601 dates and date-times with or without
    // a zone); a bare date ends at 23:59:59 for `until`.
    using load_filters_detail::kSecondsPerDay;
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    const auto t = parseTimestamp(text);
    if (!t) return std::nullopt;
    const bool bareDate = text.size() == 10 && text[4] == '-';
    if (!endOfDay || !bareDate) return t;
    if (*t > std::numeric_limits<std::uint32_t>::max() - (kSecondsPerDay - 1)) return std::nullopt;
    return static_cast<std::uint32_t>(*t + kSecondsPerDay - 1);
}

void applyLoadFilters(Dataset& dataset, const LoadFilters& filters) {
    using namespace load_filters_detail;
    if (!filters.any()) return;
    FilterState state(dataset);
    std::vector<FilterStep> steps;
    FilterState::Counts before = state.counts();
    const FilterState::Counts original = before;
    auto record = [&](std::string name) {
        const FilterState::Counts after = state.counts();
        steps.push_back({std::move(name), before.ratings - after.ratings,
                         before.users - after.users, before.movies - after.movies});
        before = after;
    };
    if (filters.since) {
        const std::uint32_t since = *filters.since;
        state.filterDates([since](std::uint32_t t) { return t >= since; });
        record(sinceText(since));
    }
    if (filters.until) {
        const std::uint32_t until = *filters.until;
        state.filterDates([until](std::uint32_t t) { return t <= until; });
        record(untilText(until));
    }
    state.mapDatesToMovies();
    if (filters.minUserRatings > 0) {
        state.minimumPerUser(static_cast<std::uint32_t>(filters.minUserRatings));
        record(perUserText(filters.minUserRatings));
    }
    if (filters.minItemRatings > 0) {
        state.minimumPerMovie(static_cast<std::uint32_t>(filters.minItemRatings));
        record(perItemText(filters.minItemRatings));
    }
    if (filters.kCore > 0) {
        state.kCore(static_cast<std::uint32_t>(filters.kCore));
        record(kCoreText(filters.kCore));
    }
    const std::string text = filters.text();
    if (before.ratings == 0) {
        std::string why = "the filters left no ratings (" + text + ")";
        if (filters.since && filters.until && *filters.since > *filters.until)
            why += ": `since` is after `until`";
        throw DataError(dataset.name, 0, why);
    }

    // Nothing has changed yet; from here on the dataset is rewritten in place.
    std::vector<std::uint32_t> newUser, newMovie;
    const std::size_t users = renumber(state.userAlive, state.userDegree, newUser);
    const std::size_t movies = renumber(state.movieAlive, state.movieDegree, newMovie);
    const bool ratingsRemoved = before.ratings != original.ratings;
    {
        std::vector<std::uint32_t>& ts = dataset.timestamps;
        compactMatrix(
            dataset.byUser, newUser, users, newMovie,
            [&](std::size_t e) { return state.inRange(e); },
            [&ts](std::size_t from, std::size_t to) { ts[to] = ts[from]; });
        ts.resize(dataset.byUser.nnz());
        shrinkIfWorthIt(ts);
        compactMatrix(
            dataset.byMovie, newMovie, movies, newUser,
            [&](std::size_t p) { return state.inRangeByMovie(p); },
            [](std::size_t, std::size_t) {});
    }

    const bool userKeys = dataset.userKeys.size() == dataset.userIds.size();
    const bool movieKeys = dataset.movieKeys.size() == dataset.movieIds.size();
    keepIndexed(dataset.userIds, newUser);
    keepIndexed(dataset.userKeys, newUser);
    UserDemographics& demo = dataset.demographics;
    if (!demo.empty()) {
        keepIndexed(demo.gender, newUser);
        keepIndexed(demo.ageGroup, newUser);
        keepIndexed(demo.occupation, newUser);
        demo.usersListed = 0;
        for (std::size_t u = 0; u < demo.gender.size(); ++u)
            demo.usersListed += demo.gender[u] != kUnknownDemographic ||
                                demo.ageGroup[u] != kUnknownDemographic ||
                                demo.occupation[u] != kUnknownDemographic;
    }
    keepIndexed(dataset.movieIds, newMovie);
    keepIndexed(dataset.movieKeys, newMovie);
    keepIndexed(dataset.titles, newMovie);
    keepIndexed(dataset.years, newMovie);
    keepIndexed(dataset.genres, newMovie);
    keepIndexed(dataset.imdbIds, newMovie);
    keepIndexed(dataset.tmdbIds, newMovie);
    // String keys number their ids 1..n in the keys' order (Dataset.h): again after dropping.
    if (userKeys && !dataset.userKeys.empty())
        for (std::size_t u = 0; u < dataset.userIds.size(); ++u)
            dataset.userIds[u] = static_cast<std::int64_t>(u) + 1;
    if (movieKeys && !dataset.movieKeys.empty())
        for (std::size_t m = 0; m < dataset.movieIds.size(); ++m)
            dataset.movieIds[m] = static_cast<std::int64_t>(m) + 1;
    dataset.rebuildIdMaps();

    std::size_t keptTags = 0;
    for (auto& tag : dataset.tags) {
        const std::uint32_t u = tag.user < newUser.size() ? newUser[tag.user] : kGone;
        const std::uint32_t m = tag.movie < newMovie.size() ? newMovie[tag.movie] : kGone;
        if (u == kGone || m == kGone) continue;
        Tag& out = dataset.tags[keptTags++];
        if (&out != &tag) out = std::move(tag);
        out.user = u;
        out.movie = m;
    }
    dataset.tags.resize(keptTags);

    if (ratingsRemoved && !dataset.predefinedSplits.empty()) {
        std::string names;
        for (const auto& split : dataset.predefinedSplits)
            names += (names.empty() ? "" : ", ") + split.name;
        dataset.report.warnings.push_back("the predefined splits (" + names +
                                          ") are dropped: the load filters (" + text +
                                          ") removed ratings they refer to");
        dataset.predefinedSplits.clear();
    }
    for (auto& step : steps) dataset.filterSteps.push_back(std::move(step));
    dataset.name += " [" + text + "]";
}

}  // namespace lens
