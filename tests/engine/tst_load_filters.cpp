// Load filters (data/LoadFilters.h): on ml-latest-small every combination is compared, rating by
// rating and step by step, with a plain reference written here (ratings as a list of ids, maps
// of counts, full passes repeated until nothing changes); the k-core invariant, idempotence, the
// name, per-movie arrays, tags and the "nothing left" error are checked on the same data. A
// hand-made dataset with string keys, a custom genre vocabulary, a 1-10 scale, demographics, a
// tag-only user, an unrated movie and a predefined split checks that everything stays aligned.
// Dates are checked against timegm.
#include <QtTest>
#include <algorithm>
#include <ctime>
#include <map>
#include <set>
#include <string>
#include <tuple>

#include "TestData.h"
#include "data/DatasetBuilder.h"
#include "data/LoadFilters.h"
#include "io/DatasetLoader.h"
#include "util/Errors.h"

using namespace lens;

namespace load_filters_test {

// One rating by release ids, as the reference sees it.
struct IdRating {
    std::int64_t user = 0, movie = 0;
    float value = 0;
    std::uint32_t time = 0;
    auto key() const { return std::tie(user, movie, value, time); }
    bool operator<(const IdRating& o) const { return key() < o.key(); }
    bool operator==(const IdRating& o) const { return key() == o.key(); }
};

std::vector<IdRating> ratingsOf(const Dataset& ds) {
    std::vector<IdRating> out;
    for (std::size_t u = 0; u < ds.userCount(); ++u)
        for (std::size_t e = ds.byUser.offsets[u]; e < ds.byUser.offsets[u + 1]; ++e)
            out.push_back({ds.userIds[u], ds.movieIds[ds.byUser.index[e]],
                           ds.ratingValue(ds.byUser.halfStars[e]), ds.timestamps[e]});
    std::sort(out.begin(), out.end());
    return out;
}

struct Totals {
    std::size_t ratings = 0, users = 0, movies = 0;
};

Totals totalsOf(const std::vector<IdRating>& r) {
    std::set<std::int64_t> users, movies;
    for (const auto& x : r) {
        users.insert(x.user);
        movies.insert(x.movie);
    }
    return {r.size(), users.size(), movies.size()};
}

// Drops the ratings of users (byUser) or movies (!byUser) with fewer than n ratings; returns
// whether anything went.
bool dropBelow(std::vector<IdRating>& r, int n, bool byUser) {
    std::map<std::int64_t, int> count;
    for (const auto& x : r) ++count[byUser ? x.user : x.movie];
    const auto before = r.size();
    std::erase_if(r, [&](const IdRating& x) { return count[byUser ? x.user : x.movie] < n; });
    return r.size() != before;
}

// The filters by their definition; `steps` gets the totals after each filter that is set.
std::vector<IdRating> referenceFilter(std::vector<IdRating> r, const LoadFilters& f,
                                      std::vector<Totals>& steps) {
    steps.clear();
    if (f.since) {
        std::erase_if(r, [&](const IdRating& x) { return x.time < *f.since; });
        steps.push_back(totalsOf(r));
    }
    if (f.until) {
        std::erase_if(r, [&](const IdRating& x) { return x.time > *f.until; });
        steps.push_back(totalsOf(r));
    }
    if (f.minUserRatings > 0) {
        dropBelow(r, f.minUserRatings, true);
        steps.push_back(totalsOf(r));
    }
    if (f.minItemRatings > 0) {
        dropBelow(r, f.minItemRatings, false);
        steps.push_back(totalsOf(r));
    }
    if (f.kCore > 0) {
        for (bool changed = true; changed;) {
            const bool users = dropBelow(r, f.kCore, true);
            const bool movies = dropBelow(r, f.kCore, false);
            changed = users || movies;
        }
        steps.push_back(totalsOf(r));
    }
    return r;
}

struct TagById {
    std::int64_t user = 0, movie = 0;
    std::string text;
    std::int64_t time = 0;
    bool operator<(const TagById& o) const {
        return std::tie(user, movie, text, time) < std::tie(o.user, o.movie, o.text, o.time);
    }
    bool operator==(const TagById& o) const {
        return std::tie(user, movie, text, time) == std::tie(o.user, o.movie, o.text, o.time);
    }
};

std::vector<TagById> tagsOf(const Dataset& ds) {
    std::vector<TagById> out;
    for (const auto& t : ds.tags)
        out.push_back({ds.userIds[t.user], ds.movieIds[t.movie], t.text, t.timestamp});
    std::sort(out.begin(), out.end());
    return out;
}

// byMovie holds exactly byUser's ratings, columns sorted by user; rows sorted by movie.
bool matricesAgree(const Dataset& ds) {
    if (ds.byUser.rows() != ds.userCount() || ds.byMovie.rows() != ds.movieCount()) return false;
    if (ds.timestamps.size() != ds.byUser.nnz()) return false;
    std::vector<std::tuple<std::uint32_t, std::uint32_t, HalfStars>> a, b;
    for (std::size_t u = 0; u < ds.byUser.rows(); ++u) {
        const auto row = ds.byUser.rowIndex(u);
        if (!std::is_sorted(row.begin(), row.end())) return false;
        for (std::size_t k = 0; k < row.size(); ++k)
            a.emplace_back(static_cast<std::uint32_t>(u), row[k], ds.byUser.rowHalfStars(u)[k]);
    }
    for (std::size_t m = 0; m < ds.byMovie.rows(); ++m) {
        const auto col = ds.byMovie.rowIndex(m);
        if (!std::is_sorted(col.begin(), col.end())) return false;
        for (std::size_t k = 0; k < col.size(); ++k)
            b.emplace_back(col[k], static_cast<std::uint32_t>(m), ds.byMovie.rowHalfStars(m)[k]);
    }
    std::sort(b.begin(), b.end());
    return a == b;
}

// "2015-01-01T12:00:00Z" by timegm, the reference for parseDateArgument.
std::uint32_t utcSeconds(int y, int mo, int d, int h = 0, int mi = 0, int s = 0) {
    std::tm t{};
    t.tm_year = y - 1900;
    t.tm_mon = mo - 1;
    t.tm_mday = d;
    t.tm_hour = h;
    t.tm_min = mi;
    t.tm_sec = s;
    return static_cast<std::uint32_t>(timegm(&t));
}

}  // namespace load_filters_test

using namespace load_filters_test;

class TestLoadFilters : public QObject {
    Q_OBJECT
    Dataset small_;  // ml-latest-small, unfiltered (empty where absent)
    bool haveSmall_ = false;

    std::uint32_t medianTime() const {
        std::vector<std::uint32_t> t = small_.timestamps;
        std::nth_element(t.begin(), t.begin() + static_cast<std::ptrdiff_t>(t.size() / 2), t.end());
        return t[t.size() / 2];
    }

private slots:
    void initTestCase() {
        const QString path = lens::test::releasePath(QStringLiteral("ml-latest-small"));
        if (path.isEmpty()) return;
        small_ = loadDataset(path.toStdString());
        haveSmall_ = true;
    }

    void againstReference_data() {
        QTest::addColumn<int>("kCore");
        QTest::addColumn<int>("minUser");
        QTest::addColumn<int>("minItem");
        QTest::addColumn<int>("sinceDays");  // days from the median time; 9999: unset
        QTest::addColumn<int>("untilDays");
        constexpr int no = 9999;
        QTest::newRow("k-core 5") << 5 << 0 << 0 << no << no;
        QTest::newRow("k-core 10") << 10 << 0 << 0 << no << no;
        QTest::newRow("k-core 20") << 20 << 0 << 0 << no << no;
        QTest::newRow("min user 50") << 0 << 50 << 0 << no << no;
        QTest::newRow("min item 10") << 0 << 0 << 10 << no << no;
        QTest::newRow("since median") << 0 << 0 << 0 << 0 << no;
        QTest::newRow("until median") << 0 << 0 << 0 << no << 0;
        QTest::newRow("a year around the median") << 0 << 0 << 0 << -183 << 182;
        QTest::newRow("combined") << 10 << 20 << 5 << -730 << 365;
        QTest::newRow("min user and item") << 0 << 30 << 15 << no << no;
    }
    void againstReference() {
        QFETCH(int, kCore);
        QFETCH(int, minUser);
        QFETCH(int, minItem);
        QFETCH(int, sinceDays);
        QFETCH(int, untilDays);
        if (!haveSmall_) {
            LENS_REQUIRE_RELEASE(path, "ml-latest-small");
        }
        LoadFilters f;
        f.kCore = kCore;
        f.minUserRatings = minUser;
        f.minItemRatings = minItem;
        const auto median = static_cast<std::int64_t>(medianTime());
        if (sinceDays != 9999) f.since = static_cast<std::uint32_t>(median + sinceDays * 86400LL);
        if (untilDays != 9999) f.until = static_cast<std::uint32_t>(median + untilDays * 86400LL);

        const std::vector<IdRating> original = ratingsOf(small_);
        std::vector<Totals> refSteps;
        const std::vector<IdRating> expected = referenceFilter(original, f, refSteps);
        QVERIFY(!expected.empty());
        QVERIFY(expected.size() < original.size());  // every row filters something

        Dataset ds = small_;
        applyLoadFilters(ds, f);
        // Every kept rating: user id, movie id, value, timestamp.
        QCOMPARE(ds.ratingCount(), expected.size());
        QVERIFY(ratingsOf(ds) == expected);
        // The time range of the kept ratings (taken once, where the dataset is rebuilt).
        const auto [first, last] = std::minmax_element(
            expected.begin(), expected.end(),
            [](const IdRating& a, const IdRating& b) { return a.time < b.time; });
        QCOMPARE(ds.minTimestamp(), first->time);
        QCOMPARE(ds.maxTimestamp(), last->time);
        const Totals totals = totalsOf(expected);
        QCOMPARE(ds.userCount(), totals.users);
        QCOMPARE(ds.movieCount(), totals.movies);
        QCOMPARE(ds.ratedMovieCount(), totals.movies);
        QVERIFY(matricesAgree(ds));
        QVERIFY(std::is_sorted(ds.userIds.begin(), ds.userIds.end()));
        QVERIFY(std::is_sorted(ds.movieIds.begin(), ds.movieIds.end()));
        for (std::size_t u = 0; u < ds.userCount(); ++u)
            QCOMPARE(ds.userIndex(ds.userIds[u]), static_cast<std::int64_t>(u));
        // Per-movie arrays follow their movies.
        QCOMPARE(ds.titles.size(), ds.movieCount());
        QCOMPARE(ds.imdbIds.size(), ds.movieCount());
        for (std::size_t m = 0; m < ds.movieCount(); ++m) {
            QCOMPARE(ds.movieIndex(ds.movieIds[m]), static_cast<std::int64_t>(m));
            const auto o = static_cast<std::size_t>(small_.movieIndex(ds.movieIds[m]));
            QCOMPARE(ds.titles[m], small_.titles[o]);
            QCOMPARE(ds.years[m], small_.years[o]);
            QCOMPARE(ds.genres[m], small_.genres[o]);
            QCOMPARE(ds.imdbIds[m], small_.imdbIds[o]);
            QCOMPARE(ds.tmdbIds[m], small_.tmdbIds[o]);
        }
        // Tags: those of kept users on kept movies, by id.
        std::vector<TagById> expectedTags;
        for (const auto& t : tagsOf(small_))
            if (ds.userIndex(t.user) >= 0 && ds.movieIndex(t.movie) >= 0) expectedTags.push_back(t);
        QVERIFY(tagsOf(ds) == expectedTags);
        // Steps: what each filter removed, as the reference counts it, adding up.
        QCOMPARE(ds.filterSteps.size(), refSteps.size());
        Totals previous = totalsOf(original), removed;
        for (std::size_t s = 0; s < refSteps.size(); ++s) {
            const FilterStep& step = ds.filterSteps[s];
            QCOMPARE(step.removedRatings, previous.ratings - refSteps[s].ratings);
            QCOMPARE(step.removedUsers, previous.users - refSteps[s].users);
            QCOMPARE(step.removedMovies, previous.movies - refSteps[s].movies);
            removed.ratings += step.removedRatings;
            removed.users += step.removedUsers;
            removed.movies += step.removedMovies;
            previous = refSteps[s];
        }
        QCOMPARE(removed.ratings + ds.ratingCount(), small_.ratingCount());
        QCOMPARE(removed.users + ds.userCount(), small_.userCount());
        QCOMPARE(removed.movies + ds.movieCount(), small_.ratedMovieCount());
        QCOMPARE(ds.name, small_.name + " [" + f.text() + "]");
        if (kCore > 0) {
            QCOMPARE(ds.filterSteps.back().filter, "k-core " + std::to_string(kCore));
            // The invariant, directly.
            for (std::size_t u = 0; u < ds.userCount(); ++u)
                QVERIFY(ds.byUser.rowSize(u) >= static_cast<std::size_t>(kCore));
            for (std::size_t m = 0; m < ds.movieCount(); ++m)
                QVERIFY(ds.byMovie.rowSize(m) >= static_cast<std::size_t>(kCore));
            // Idempotent: the k-core again removes nothing.
            const auto before = ratingsOf(ds);
            LoadFilters again;
            again.kCore = kCore;
            applyLoadFilters(ds, again);
            QVERIFY(ratingsOf(ds) == before);
            QCOMPARE(ds.filterSteps.size(), refSteps.size() + 1);
            QCOMPARE(ds.filterSteps.back().removedRatings, std::size_t{0});
            QCOMPARE(ds.filterSteps.back().removedUsers, std::size_t{0});
            QCOMPARE(ds.filterSteps.back().removedMovies, std::size_t{0});
        }
    }

    void nothingLeft() {
        if (!haveSmall_) {
            LENS_REQUIRE_RELEASE(path, "ml-latest-small");
        }
        Dataset ds = small_;
        LoadFilters f;
        f.kCore = 400;  // more than any movie's raters
        try {
            applyLoadFilters(ds, f);
            QFAIL("expected a DataError");
        } catch (const DataError& e) {
            QCOMPARE(e.file(), small_.name);
            QCOMPARE(e.line(), std::size_t{0});
            QVERIFY2(e.problem().find("the filters left no ratings") == 0, e.what());
            QVERIFY2(e.problem().find("k-core 400") != std::string::npos, e.what());
        }
        // Left as it was.
        QCOMPARE(ds.name, small_.name);
        QVERIFY(ratingsOf(ds) == ratingsOf(small_));
        QVERIFY(ds.filterSteps.empty());
        // Timestamps changed by hand without rebuildIdMaps: the range follows them.
        Dataset grown = small_;
        grown.timestamps.push_back(small_.maxTimestamp() + 5);
        QCOMPARE(grown.maxTimestamp(), small_.maxTimestamp() + 5);
        QCOMPARE(grown.minTimestamp(), small_.minTimestamp());
        // An empty date range.
        LoadFilters range;
        range.since = small_.maxTimestamp() + 1;
        QVERIFY_THROWS_EXCEPTION(DataError, applyLoadFilters(ds, range));
        range.since = 2000;
        range.until = 1000;
        QVERIFY_THROWS_EXCEPTION(DataError, applyLoadFilters(ds, range));
    }

    void noFilterIsNoOp() {
        if (!haveSmall_) {
            LENS_REQUIRE_RELEASE(path, "ml-latest-small");
        }
        Dataset ds = small_;
        applyLoadFilters(ds, LoadFilters{});
        QCOMPARE(ds.name, small_.name);
        QCOMPARE(ds.movieCount(), small_.movieCount());  // unrated movies stay
        QVERIFY(ds.filterSteps.empty());
        // k-core 1 removes no rating, but the unrated movies go (uncounted).
        LoadFilters one;
        one.kCore = 1;
        applyLoadFilters(ds, one);
        QCOMPARE(ds.ratingCount(), small_.ratingCount());
        QCOMPARE(ds.movieCount(), small_.ratedMovieCount());
        QVERIFY(ds.movieCount() < small_.movieCount());
        QCOMPARE(ds.filterSteps.size(), std::size_t{1});
        QCOMPARE(ds.filterSteps[0].removedMovies, std::size_t{0});
        QVERIFY(matricesAgree(ds));
    }

    // Users "alice".."eve" rate movies "m-a".."m-d"; "frank" only tags; "m-e" is unrated.
    // k-core 2: eve (one rating) goes, then m-d (dave's alone), then dave (m-c alone).
    void handMadeWithKeys() {
        const std::vector<std::string> userKeys = {"alice", "bob", "carol", "dave", "eve", "frank"};
        const std::vector<std::string> movieKeys = {"m-a", "m-b", "m-c", "m-d", "m-e"};
        // (user, movie, value 1..10, time): ids are 1 + the key's index (sorted keys).
        const std::vector<std::tuple<int, int, int, std::uint32_t>> rows = {
            {1, 1, 7, 100}, {1, 2, 3, 110}, {1, 3, 10, 120}, {2, 1, 1, 130}, {2, 2, 9, 140},
            {3, 2, 4, 150}, {3, 3, 5, 160}, {4, 3, 6, 170},  {4, 4, 2, 180}, {5, 4, 8, 190}};
        RawRatings raw;
        for (const auto& [u, m, v, t] : rows) raw.push(u, m, static_cast<HalfStars>(v), t);
        std::vector<RawMovie> movies;
        for (int m = 1; m <= 5; ++m)
            movies.push_back({m, "Title " + movieKeys[static_cast<std::size_t>(m - 1)],
                              GenreMask{1} << (m % 3)});
        std::vector<RawTag> tags = {{6, 1, "frank's", 5}, {5, 4, "eve's", 6}, {1, 3, "alice's", 7}};
        Dataset ds = buildDataset(std::move(raw), std::move(movies), std::move(tags));
        ds.name = "mine";
        ds.source = "/data/mine.tsv";
        ds.layout = Layout::Interactions;
        ds.userKeys = userKeys;
        ds.movieKeys = movieKeys;
        ds.scale = RatingScale{0.0f, 1.0f, 1.0f, 10.0f, false};
        ds.genreVocabulary = {"jazz", "rock", "pop"};
        ds.report.warnings = {"mine.tsv:3: something"};
        ds.demographics.gender = {0, 1, 0, 1, 0, kUnknownDemographic};
        ds.demographics.ageGroup = {1, 2, 3, 4, 5, kUnknownDemographic};
        ds.demographics.occupation = {6, 7, 8, 9, 10, kUnknownDemographic};
        ds.demographics.occupationNames = {"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k"};
        ds.demographics.usersListed = 5;
        ds.predefinedSplits.push_back({"u1", std::vector<std::uint8_t>(ds.ratingCount(), 0), {}});
        QCOMPARE(ds.userCount(), std::size_t{6});
        QCOMPARE(ds.movieCount(), std::size_t{5});
        const Dataset original = ds;

        LoadFilters f;
        f.kCore = 2;
        applyLoadFilters(ds, f);
        QCOMPARE(ds.userKeys, (std::vector<std::string>{"alice", "bob", "carol"}));
        QCOMPARE(ds.movieKeys, (std::vector<std::string>{"m-a", "m-b", "m-c"}));
        QCOMPARE(ds.userIds, (std::vector<std::int64_t>{1, 2, 3}));
        QCOMPARE(ds.movieIds, (std::vector<std::int64_t>{1, 2, 3}));
        QCOMPARE(ds.ratingCount(), std::size_t{7});
        QVERIFY(matricesAgree(ds));
        // Every kept rating by keys, against the reference on the original (ids = key order).
        std::vector<Totals> refSteps;
        const auto expected = referenceFilter(ratingsOf(original), f, refSteps);
        auto byKeys = [](const Dataset& d, const std::vector<IdRating>& r) {
            std::vector<std::tuple<std::string, std::string, float, std::uint32_t>> out;
            for (const auto& x : r)
                out.emplace_back(d.userKeys[static_cast<std::size_t>(d.userIndex(x.user))],
                                 d.movieKeys[static_cast<std::size_t>(d.movieIndex(x.movie))],
                                 x.value, x.time);
            std::sort(out.begin(), out.end());
            return out;
        };
        QVERIFY(byKeys(ds, ratingsOf(ds)) == byKeys(original, expected));
        QCOMPARE(ds.ratingValue(ds.byUser.halfStars[0]), 7.0f);  // alice's m-a on the 1-10 scale
        // Per-movie and per-user data follow their keys.
        for (std::size_t m = 0; m < ds.movieCount(); ++m) {
            const auto o = static_cast<std::size_t>(
                std::find(movieKeys.begin(), movieKeys.end(), ds.movieKeys[m]) - movieKeys.begin());
            QCOMPARE(ds.titles[m], original.titles[o]);
            QCOMPARE(ds.genreListOf(ds.genres[m]), original.genreListOf(original.genres[o]));
        }
        QCOMPARE(ds.genreListOf(ds.genres[2]), std::string("jazz"));  // m-c: bit 3 % 3 = 0
        QCOMPARE(ds.demographics.gender, (std::vector<std::uint8_t>{0, 1, 0}));
        QCOMPARE(ds.demographics.ageGroup, (std::vector<std::uint8_t>{1, 2, 3}));
        QCOMPARE(ds.demographics.occupation, (std::vector<std::uint8_t>{6, 7, 8}));
        QCOMPARE(ds.demographics.usersListed, std::size_t{3});
        QCOMPARE(ds.demographics.occupationNames, original.demographics.occupationNames);
        // Tags: frank's (a tag-only user) and eve's go; alice's stays, on m-c.
        QCOMPARE(ds.tags.size(), std::size_t{1});
        QCOMPARE(ds.tags[0].text, std::string("alice's"));
        QCOMPARE(ds.userLabel(ds.tags[0].user), std::string("alice"));
        QCOMPARE(ds.movieLabel(ds.tags[0].movie), std::string("m-c"));
        // What stays as it was.
        QCOMPARE(ds.genreVocabulary, original.genreVocabulary);
        QCOMPARE(ds.scale.step, 1.0f);
        QCOMPARE(ds.scale.max, 10.0f);
        QCOMPARE(ds.source, original.source);
        QCOMPARE(ds.layout, Layout::Interactions);
        QCOMPARE(ds.name, std::string("mine [k-core 2]"));
        // Steps: eve, dave (users with ratings: 5 -> 3), m-d (movies with ratings: 4 -> 3).
        QCOMPARE(ds.filterSteps.size(), std::size_t{1});
        QCOMPARE(ds.filterSteps[0].filter, std::string("k-core 2"));
        QCOMPARE(ds.filterSteps[0].removedRatings, std::size_t{3});
        QCOMPARE(ds.filterSteps[0].removedUsers, std::size_t{2});
        QCOMPARE(ds.filterSteps[0].removedMovies, std::size_t{1});
        // The split referred to removed ratings: dropped, with a warning.
        QVERIFY(ds.predefinedSplits.empty());
        QCOMPARE(ds.report.warnings.size(), std::size_t{2});
        QCOMPARE(ds.report.warnings[0], original.report.warnings[0]);
        QVERIFY(ds.report.warnings[1].find("u1") != std::string::npos);

        // A filter that removes no rating keeps the split (its entries are unchanged).
        Dataset kept = original;
        LoadFilters one;
        one.minUserRatings = 1;
        applyLoadFilters(kept, one);
        QCOMPARE(kept.predefinedSplits.size(), std::size_t{1});
        QCOMPARE(kept.predefinedSplits[0].isTest.size(), kept.ratingCount());
        QCOMPARE(kept.userCount(), std::size_t{5});   // frank (tags only) goes
        QCOMPARE(kept.movieCount(), std::size_t{4});  // m-e (unrated) goes
        QCOMPARE(kept.userKeys.back(), std::string("eve"));
        QCOMPARE(kept.filterSteps[0].removedUsers, std::size_t{0});
    }

    void dates() {
        QCOMPARE(parseDateArgument("2015-01-01"), std::optional(utcSeconds(2015, 1, 1)));
        QCOMPARE(parseDateArgument("2015-01-01", true),
                 std::optional(utcSeconds(2015, 1, 1, 23, 59, 59)));
        QCOMPARE(parseDateArgument("2015-01-01T12:00:00Z"),
                 std::optional(utcSeconds(2015, 1, 1, 12)));
        QCOMPARE(parseDateArgument("2015-01-01T12:00:00Z", true),
                 std::optional(utcSeconds(2015, 1, 1, 12)));
        QCOMPARE(parseDateArgument("2016-02-29 23:59"),
                 std::optional(utcSeconds(2016, 2, 29, 23, 59)));
        QCOMPARE(parseDateArgument("1999-12-31T01:02:03"),
                 std::optional(utcSeconds(1999, 12, 31, 1, 2, 3)));
        QCOMPARE(parseDateArgument(" 1420070400 "), std::optional(std::uint32_t{1420070400}));
        QCOMPARE(parseDateArgument("0"), std::optional(std::uint32_t{0}));
        QCOMPARE(parseDateArgument("4294967295"), std::optional(std::uint32_t{4294967295u}));
        for (const char* bad : {"", "abc", "4294967296", "-5", "2015-13-01", "2015-02-29",
                                "2015-1-1", "2015-01-01T24:00:00Z", "2015-01-01T12", "1969-12-31",
                                "2015-01-01Z", "2015-01-01T12:00:00+2", "2200-01-01"})
            QVERIFY2(!parseDateArgument(bad), bad);
        // Zones as the interaction reader takes them: local time minus the offset.
        QCOMPARE(parseDateArgument("2015-01-01T12:00:00+02:00"),
                 std::optional(utcSeconds(2015, 1, 1, 10)));
        QCOMPARE(parseDateArgument("2015-01-01T12:00-0530", true),
                 std::optional(utcSeconds(2015, 1, 1, 17, 30)));

        LoadFilters f;
        QCOMPARE(f.text(), std::string());
        QVERIFY(!f.any());
        f.since = utcSeconds(2015, 1, 1);
        f.until = utcSeconds(2016, 12, 31, 23, 59, 59);
        f.minUserRatings = 5;
        f.minItemRatings = 3;
        f.kCore = 10;
        QCOMPARE(f.text(), std::string("since 2015-01-01, until 2016-12-31, >= 5 per user, "
                                       ">= 3 per item, k-core 10"));
        f = LoadFilters{};
        f.since = utcSeconds(2015, 1, 1, 6, 30);
        f.until = utcSeconds(2016, 12, 31);
        QCOMPARE(f.text(), std::string("since 2015-01-01T06:30:00Z, until 2016-12-31T00:00:00Z"));
        // Round trip of a date's text.
        const auto parsed = parseDateArgument("2009-07-14T08:09:10Z");
        QVERIFY(parsed);
        f = LoadFilters{};
        f.since = *parsed;
        QCOMPARE(f.text(), std::string("since 2009-07-14T08:09:10Z"));
    }
};

QTEST_GUILESS_MAIN(TestLoadFilters)
#include "tst_load_filters.moc"
