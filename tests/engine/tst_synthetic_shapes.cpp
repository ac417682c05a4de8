// Release shapes of the synthetic generator (`generate --shape ml-20m|ml-25m|ml-32m`): the plan
// at full size (exact counts of the real releases, id sparsity, ratings per user, a first rater
// for every rated movie) checked against the published figures, and small scaled releases
// generated end to end through the same code path, whose files must follow their plan exactly.
// Nothing here generates a full-size release (bench_synthetic SHAPE does).
#include <QtTest>
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <map>
#include <numeric>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "synth/SyntheticGenerator.h"
#include "synth/SyntheticShape.h"

using namespace lens;

namespace {

// The figures GroupLens publishes for each release (its README), independent of the code.
struct Published {
    const char* name;
    SyntheticShape shape;
    std::size_t ratings, users, ratedMovies, movies;
    std::int64_t maxMovieId;
};
const std::vector<Published>& published() {
    static const std::vector<Published> p = {
        {"ml-20m", SyntheticShape::Ml20m, 20'000'263, 138'493, 26'744, 27'278, 131'262},
        {"ml-25m", SyntheticShape::Ml25m, 25'000'095, 162'541, 59'047, 62'423, 209'171},
        {"ml-32m", SyntheticShape::Ml32m, 32'000'204, 200'948, 84'432, 87'585, 292'757},
    };
    return p;
}

SyntheticConfig shapeConfig(SyntheticShape shape, double scale = 1.0, std::uint64_t seed = 42) {
    SyntheticConfig c;
    c.shape = shape;
    c.shapeScale = scale;
    c.seed = seed;
    return c;
}

void addShapeRows() {
    QTest::addColumn<int>("index");
    for (std::size_t i = 0; i < published().size(); ++i)
        QTest::newRow(published()[i].name) << static_cast<int>(i);
}

struct RatingRow {
    long user, movie;
    int halfStars;
    long timestamp;
};

// ratings.csv rows, strictly: userId,movieId,d.d,timestamp with the rating a half star.
std::vector<RatingRow> parseRatings(const std::string& text, std::string& error) {
    std::vector<RatingRow> rows;
    std::istringstream in(text);
    std::string line;
    std::getline(in, line);
    if (line != "userId,movieId,rating,timestamp") error = "ratings.csv header: " + line;
    while (error.empty() && std::getline(in, line)) {
        RatingRow r{};
        char rating[8] = {};
        if (std::sscanf(line.c_str(), "%ld,%ld,%7[0-9.],%ld", &r.user, &r.movie, rating,
                        &r.timestamp) != 4 ||
            std::string(rating).size() != 3 || rating[1] != '.' ||
            (rating[2] != '0' && rating[2] != '5')) {
            error = "ratings.csv row: " + line;
            break;
        }
        r.halfStars = (rating[0] - '0') * 2 + (rating[2] == '5' ? 1 : 0);
        rows.push_back(r);
    }
    return rows;
}

// The first field of every movies.csv row after the header.
std::vector<long> parseMovieIds(const std::string& text) {
    std::vector<long> ids;
    std::istringstream in(text);
    std::string line;
    std::getline(in, line);
    while (std::getline(in, line)) ids.push_back(std::stol(line.substr(0, line.find(','))));
    return ids;
}

}  // namespace

class TestSyntheticShapes : public QObject {
    Q_OBJECT

private slots:
    void shapesAreFoundByName() {
        for (const auto& p : published()) {
            const auto shape = syntheticShapeFromName(p.name);
            QVERIFY2(shape.has_value(), p.name);
            QCOMPARE(*shape, p.shape);
        }
        QVERIFY(!syntheticShapeFromName("ml-100k").has_value());
        QVERIFY(!syntheticShapeFromName("").has_value());
        QVERIFY(!syntheticShapeFromName("ML-20M").has_value());
    }

    // Full size: the counts are the published ones, exactly.
    void sizesAreThePublishedFigures_data() { addShapeRows(); }
    void sizesAreThePublishedFigures() {
        QFETCH(int, index);
        const Published& p = published()[static_cast<std::size_t>(index)];
        const SyntheticSizes s = resolveSyntheticSizes(shapeConfig(p.shape));
        QCOMPARE(s.ratings, p.ratings);
        QCOMPARE(s.users, p.users);
        QCOMPARE(s.movies, p.movies);
        QCOMPARE(s.ratedMovies, p.ratedMovies);
        QCOMPARE(s.maxMovieId, p.maxMovieId);
        // A shape ignores the demo's size options.
        SyntheticConfig c = shapeConfig(p.shape);
        c.ratings = 1000;
        c.users = 10;
        c.movies = 50;
        QCOMPARE(resolveSyntheticSizes(c).ratings, p.ratings);
    }

    // The plan the writer follows, at full size: every count exact.
    void planHasExactCounts_data() { addShapeRows(); }
    void planHasExactCounts() {
        QFETCH(int, index);
        const Published& p = published()[static_cast<std::size_t>(index)];
        const SyntheticShapePlan plan = planSyntheticShape(shapeConfig(p.shape));

        // movies.csv: p.movies ids from 1 to the largest id, ascending.
        QCOMPARE(plan.movieIds.size(), p.movies);
        QCOMPARE(plan.movieIds.front(), std::int64_t{1});
        QCOMPARE(plan.movieIds.back(), p.maxMovieId);
        QVERIFY(std::adjacent_find(plan.movieIds.begin(), plan.movieIds.end(),
                                   [](auto a, auto b) { return a >= b; }) == plan.movieIds.end());

        // Exactly p.ratedMovies rated, the largest id among them.
        QCOMPARE(plan.rated.size(), p.movies);
        QCOMPARE(static_cast<std::size_t>(std::count(plan.rated.begin(), plan.rated.end(), 1)),
                 p.ratedMovies);
        QCOMPARE(static_cast<std::size_t>(std::count(plan.rated.begin(), plan.rated.end(), 0)),
                 p.movies - p.ratedMovies);
        QCOMPARE(plan.rated.back(), std::uint8_t{1});

        // Users 1..N, each with 20 to all rated movies, p.ratings in all.
        QCOMPARE(plan.ratingsPerUser.size(), p.users);
        const std::uint64_t total = std::accumulate(plan.ratingsPerUser.begin(),
                                                    plan.ratingsPerUser.end(), std::uint64_t{0});
        QCOMPARE(total, static_cast<std::uint64_t>(p.ratings));
        const auto [lo, hi] =
            std::minmax_element(plan.ratingsPerUser.begin(), plan.ratingsPerUser.end());
        QVERIFY2(*lo >= 20, qPrintable(QString::number(*lo)));
        QVERIFY2(*hi <= p.ratedMovies, qPrintable(QString::number(*hi)));
        // Heavy-tailed like the real ones: the most active user far above the median.
        std::vector<std::uint32_t> sorted = plan.ratingsPerUser;
        std::sort(sorted.begin(), sorted.end());
        QVERIFY2(
            sorted.back() > 20 * sorted[sorted.size() / 2],
            qPrintable(
                QString("max %1 median %2").arg(sorted.back()).arg(sorted[sorted.size() / 2])));

        // Every rated movie has exactly one first rater, no unrated movie has one, and no user
        // has more first ratings than half their ratings.
        QCOMPARE(plan.firstRatingOffsets.size(), p.users + 1);
        QCOMPARE(plan.firstRatingOffsets.back(), static_cast<std::uint64_t>(p.ratedMovies));
        QCOMPARE(plan.firstRatings.size(), p.ratedMovies);
        std::vector<int> firstRaters(p.movies, 0);
        for (std::size_t u = 0; u < p.users; ++u) {
            const std::uint64_t from = plan.firstRatingOffsets[u],
                                to = plan.firstRatingOffsets[u + 1];
            QVERIFY(to >= from);
            QVERIFY2(to - from <= plan.ratingsPerUser[u] / 2,
                     qPrintable(QString("user %1: %2 first of %3")
                                    .arg(u + 1)
                                    .arg(to - from)
                                    .arg(plan.ratingsPerUser[u])));
            for (std::uint64_t k = from; k < to; ++k) ++firstRaters.at(plan.firstRatings[k]);
        }
        for (std::size_t i = 0; i < p.movies; ++i)
            QVERIFY2(firstRaters[i] == plan.rated[i],
                     qPrintable(QString("movie %1: %2 first raters, rated %3")
                                    .arg(plan.movieIds[i])
                                    .arg(firstRaters[i])
                                    .arg(plan.rated[i])));
    }

    // Ids like MovieLens's: not 1..N; the old catalogue (ML-1M's 3,952 ids) nearly full; above
    // it the ids thin out steadily towards the largest, with no huge hole.
    void idsAreSparseLikeTheRealOnes_data() { addShapeRows(); }
    void idsAreSparseLikeTheRealOnes() {
        QFETCH(int, index);
        const Published& p = published()[static_cast<std::size_t>(index)];
        const std::vector<std::int64_t> ids = planSyntheticShape(shapeConfig(p.shape)).movieIds;
        const std::int64_t oldCatalogue = 3'952;
        const auto inOld = std::count_if(ids.begin(), ids.end(),
                                         [&](std::int64_t id) { return id <= oldCatalogue; });
        QVERIFY2(inOld >= 0.9 * oldCatalogue && inOld <= oldCatalogue,
                 qPrintable(QString::number(inOld)));

        // Four equal stretches above the old catalogue: each holds fewer ids than the one before,
        // the last far fewer than the first.
        const double width = static_cast<double>(p.maxMovieId - oldCatalogue) / 4.0;
        std::array<long, 4> perStretch{};
        for (std::int64_t id : ids)
            if (id > oldCatalogue)
                ++perStretch[std::min<std::size_t>(
                    3,
                    static_cast<std::size_t>(static_cast<double>(id - oldCatalogue - 1) / width))];
        for (int k = 1; k < 4; ++k)
            QVERIFY2(perStretch[k] < perStretch[k - 1],
                     qPrintable(QString("stretch %1: %2, before %3")
                                    .arg(k)
                                    .arg(perStretch[k])
                                    .arg(perStretch[k - 1])));
        QVERIFY2(perStretch[3] * 2 < perStretch[0],
                 qPrintable(QString("%1 vs %2").arg(perStretch[3]).arg(perStretch[0])));
        // Above the old catalogue no stretch is nearly full or nearly empty.
        for (long n : perStretch) QVERIFY(n > 0.03 * width && n < 0.8 * width);

        // Gaps: most ids in the old catalogue follow their neighbour, the largest gap is small
        // against the range (ids are spread, not a dense block and a jump).
        std::int64_t largestGap = 0;
        long unitGapsOld = 0;
        for (std::size_t i = 1; i < ids.size(); ++i) {
            largestGap = std::max(largestGap, ids[i] - ids[i - 1]);
            if (ids[i] <= oldCatalogue && ids[i] - ids[i - 1] == 1) ++unitGapsOld;
        }
        QVERIFY(unitGapsOld > 0.85 * oldCatalogue);
        QVERIFY2(largestGap < p.maxMovieId / 1000, qPrintable(QString::number(largestGap)));
    }

    // The movies nobody rated are mostly recent additions (high ids), as in the real releases.
    void unratedMoviesAreMostlyNewIds_data() { addShapeRows(); }
    void unratedMoviesAreMostlyNewIds() {
        QFETCH(int, index);
        const Published& p = published()[static_cast<std::size_t>(index)];
        const SyntheticShapePlan plan = planSyntheticShape(shapeConfig(p.shape));
        double unratedPosition = 0.0;
        std::size_t unrated = 0;
        for (std::size_t i = 0; i < plan.rated.size(); ++i)
            if (!plan.rated[i]) {
                unratedPosition += static_cast<double>(i) / static_cast<double>(p.movies);
                ++unrated;
            }
        QCOMPARE(unrated, p.movies - p.ratedMovies);
        QVERIFY2(unratedPosition / static_cast<double>(unrated) > 0.6,
                 qPrintable(QString::number(unratedPosition / unrated)));
    }

    void planDependsOnTheSeedOnly() {
        const auto a = planSyntheticShape(shapeConfig(SyntheticShape::Ml20m, 0.1, 7));
        const auto b = planSyntheticShape(shapeConfig(SyntheticShape::Ml20m, 0.1, 7));
        const auto c = planSyntheticShape(shapeConfig(SyntheticShape::Ml20m, 0.1, 8));
        QVERIFY(a.movieIds == b.movieIds && a.rated == b.rated &&
                a.ratingsPerUser == b.ratingsPerUser && a.firstRatings == b.firstRatings);
        QVERIFY(a.movieIds != c.movieIds);
        QVERIFY(a.ratingsPerUser != c.ratingsPerUser);
        // Same counts whatever the seed.
        QCOMPARE(a.movieIds.back(), c.movieIds.back());
        QCOMPARE(std::count(a.rated.begin(), a.rated.end(), 1),
                 std::count(c.rated.begin(), c.rated.end(), 1));
    }

    // --scale: ratings and users by the scale, movies and ids by scale^0.4.
    void scaledSizesFollowTheLaw_data() {
        QTest::addColumn<int>("index");
        QTest::addColumn<double>("scale");
        for (std::size_t i = 0; i < published().size(); ++i)
            for (double scale : {0.5, 0.01, 0.001})
                QTest::addRow("%s at %g", published()[i].name, scale)
                    << static_cast<int>(i) << scale;
    }
    void scaledSizesFollowTheLaw() {
        QFETCH(int, index);
        QFETCH(double, scale);
        const Published& p = published()[static_cast<std::size_t>(index)];
        const SyntheticSizes s = resolveSyntheticSizes(shapeConfig(p.shape, scale));
        const double m = std::pow(scale, 0.4);
        auto near = [](std::size_t got, double want) {
            return std::abs(static_cast<double>(got) - want) <= 0.5;
        };
        QVERIFY(near(s.ratings, static_cast<double>(p.ratings) * scale));
        QVERIFY(near(s.users, static_cast<double>(p.users) * scale));
        QVERIFY(near(s.movies, static_cast<double>(p.movies) * m));
        QVERIFY(near(s.ratedMovies, static_cast<double>(p.ratedMovies) * m));
        QVERIFY(
            near(static_cast<std::size_t>(s.maxMovieId), static_cast<double>(p.maxMovieId) * m));
    }

    void badScalesAreRejected_data() {
        QTest::addColumn<double>("scale");
        QTest::newRow("zero") << 0.0;
        QTest::newRow("negative") << -0.5;
        QTest::newRow("above one") << 1.5;
        QTest::newRow("not a number") << std::nan("");
        QTest::newRow("too small for the rated movies") << 1e-5;
        QTest::newRow("no user left") << 1e-7;
    }
    void badScalesAreRejected() {
        QFETCH(double, scale);
        const SyntheticConfig c = shapeConfig(SyntheticShape::Ml32m, scale);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, resolveSyntheticSizes(c));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, planSyntheticShape(c));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, generateSyntheticFiles(c));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 planSyntheticShape(shapeConfig(SyntheticShape::None)));
    }

    // End to end on small scaled releases: the files follow the plan exactly (ids, rated
    // movies, ratings per user, first raters), with plausible ratings and timestamps.
    void scaledReleaseFollowsThePlan_data() { addShapeRows(); }
    void scaledReleaseFollowsThePlan() {
        QFETCH(int, index);
        const Published& p = published()[static_cast<std::size_t>(index)];
        const SyntheticConfig config = shapeConfig(p.shape, 0.001, 5);
        const SyntheticShapePlan plan = planSyntheticShape(config);
        const auto files = generateSyntheticFiles(config);
        QCOMPARE(files.size(), std::size_t{3});
        QVERIFY(files.count("tags.csv"));

        const std::vector<long> movieIds = parseMovieIds(files.at("movies.csv"));
        QCOMPARE(movieIds.size(), plan.sizes.movies);
        QVERIFY(std::equal(movieIds.begin(), movieIds.end(), plan.movieIds.begin()));

        std::string error;
        const std::vector<RatingRow> rows = parseRatings(files.at("ratings.csv"), error);
        QVERIFY2(error.empty(), error.c_str());
        QCOMPARE(rows.size(), plan.sizes.ratings);

        std::map<long, std::size_t> indexOfId;
        for (std::size_t i = 0; i < movieIds.size(); ++i) indexOfId[movieIds[i]] = i;
        std::vector<std::uint32_t> perUser(plan.sizes.users, 0);
        std::vector<std::uint8_t> seen(plan.sizes.movies, 0);
        std::set<std::pair<long, long>> pairs;
        const long dataStart = 789'000'000;  // 1995-01-01
        const long dataEnd = 1'700'000'000;  // 2023-11-14
        for (const RatingRow& r : rows) {
            QVERIFY(r.user >= 1 && r.user <= static_cast<long>(plan.sizes.users));
            ++perUser[static_cast<std::size_t>(r.user - 1)];
            const auto it = indexOfId.find(r.movie);
            QVERIFY2(it != indexOfId.end(), qPrintable(QString::number(r.movie)));
            seen[it->second] = 1;
            QVERIFY(pairs.emplace(r.user, r.movie).second);  // no repeated (user, movie)
            QVERIFY(r.halfStars >= 1 && r.halfStars <= 10);  // 0.5 .. 5.0
            QVERIFY(r.timestamp >= dataStart && r.timestamp <= dataEnd);
        }
        QVERIFY(perUser == plan.ratingsPerUser);
        QVERIFY(seen == plan.rated);  // exactly the planned movies are rated
        QCOMPARE(static_cast<std::size_t>(std::count(seen.begin(), seen.end(), 1)),
                 plan.sizes.ratedMovies);
        long maxRated = 0;
        for (const RatingRow& r : rows) maxRated = std::max(maxRated, r.movie);
        QCOMPARE(static_cast<std::int64_t>(maxRated), plan.sizes.maxMovieId);
        // Each planned first rating is there.
        for (std::size_t u = 0; u < plan.sizes.users; ++u)
            for (std::uint64_t k = plan.firstRatingOffsets[u]; k < plan.firstRatingOffsets[u + 1];
                 ++k)
                QVERIFY(pairs.count({static_cast<long>(u + 1),
                                     static_cast<long>(plan.movieIds[plan.firstRatings[k]])}));
        // Half stars are used, and the marginal is MovieLens-like (mean about 3.5).
        double mean = 0.0;
        long halves = 0;
        for (const RatingRow& r : rows) {
            mean += r.halfStars / 2.0;
            halves += r.halfStars % 2;
        }
        mean /= static_cast<double>(rows.size());
        QVERIFY2(mean > 3.2 && mean < 3.8, qPrintable(QString::number(mean)));
        QVERIFY(halves > static_cast<long>(rows.size() / 10));
    }

    // The shape's timestamps span the real release's years.
    void timestampsFollowTheRelease() {
        const auto files = generateSyntheticFiles(shapeConfig(SyntheticShape::Ml32m, 0.002));
        std::string error;
        const std::vector<RatingRow> rows = parseRatings(files.at("ratings.csv"), error);
        QVERIFY2(error.empty(), error.c_str());
        const auto [lo, hi] = std::minmax_element(
            rows.begin(), rows.end(),
            [](const RatingRow& a, const RatingRow& b) { return a.timestamp < b.timestamp; });
        QVERIFY2(lo->timestamp < 852'076'800, qPrintable(QString::number(lo->timestamp)));  // 1997
        QVERIFY2(hi->timestamp > 1'640'995'200,
                 qPrintable(QString::number(hi->timestamp)));  // 2022
        QVERIFY(hi->timestamp < 1'704'067'200);                // 2024
    }

    void shapeDoesNotDependOnThreadCount() {
        SyntheticConfig one = shapeConfig(SyntheticShape::Ml25m, 0.001),
                        two = shapeConfig(SyntheticShape::Ml25m, 0.001);
        one.threads = 1;
        two.threads = 2;
        QVERIFY(generateSyntheticFiles(one) == generateSyntheticFiles(two));
    }
};

QTEST_GUILESS_MAIN(TestSyntheticShapes)
#include "tst_synthetic_shapes.moc"
