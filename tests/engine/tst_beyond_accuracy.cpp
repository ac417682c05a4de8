// Beyond-accuracy metrics of top-N lists (coverage, novelty, intra-list diversity, popularity,
// exposure Gini, long-tail share, calibration) and the Compare stage's segments (user activity
// buckets, movie popularity tiers, per-segment means with bootstrap intervals), on tiny inputs
// whose every value is worked out by hand in the comments.
#include <QtTest>

#include <omp.h>

#include <cmath>
#include <numbers>
#include <numeric>
#include <vector>

#include "data/Dataset.h"
#include "data/Split.h"
#include "eval/BeyondAccuracy.h"
#include "eval/Segments.h"
#include "stats/Bootstrap.h"
#include "util/Random.h"

using namespace lens;

namespace {

constexpr GenreMask bit(int g) {
    return GenreMask{1} << g;
}
constexpr int kAction = 0, kComedy = 4, kDrama = 7, kHorror = 10;

#define LENS_NEAR(value, expected)                                                          \
    QVERIFY2(std::fabs((value) - (expected)) <= 1e-12 * std::max(1.0, std::fabs(expected)), \
             qPrintable(QStringLiteral("%1 = %2, expected %3")                              \
                            .arg(QStringLiteral(#value))                                    \
                            .arg(static_cast<double>(value), 0, 'g', 17)                    \
                            .arg(static_cast<double>(expected), 0, 'g', 17)))

// Six movies; training popularity k = (8, 4, 2, 1, 1, 0) of |U| = 8 users, 16 ratings.
//   m0 Action|Comedy  m1 Action  m2 Comedy|Drama  m3 Drama  m4 (no genre)  m5 Horror
// Item factors: m0 (1, 0), m1 (0, 1), m2 (1, 1), m3 (-1, 0), m4 (0, 0), m5 (2, 0).
// Lists: u0 = [m0, m1], u1 = [m0, m2, m3], u2 = [], u3 = [m5, m0].
// Histories (training movies): u0 = [m1, m3], u1 = [m4], u2 = [m0], u3 = [m5, m2].
struct Tiny {
    std::vector<std::uint64_t> popularity{8, 4, 2, 1, 1, 0};
    std::vector<GenreMask> genres{bit(kAction) | bit(kComedy),
                                  bit(kAction),
                                  bit(kComedy) | bit(kDrama),
                                  bit(kDrama),
                                  0,
                                  bit(kHorror)};
    std::vector<std::vector<std::uint32_t>> lists{{0, 1}, {0, 2, 3}, {}, {5, 0}};
    std::vector<std::uint64_t> historyOffsets{0, 2, 3, 4, 6};
    std::vector<std::uint32_t> historyItems{1, 3, 4, 0, 5, 2};
    Eigen::MatrixXf factors;
    Tiny() {
        factors.resize(6, 2);
        factors << 1, 0, 0, 1, 1, 1, -1, 0, 0, 0, 2, 0;
    }
    BeyondAccuracyInput input() const {
        BeyondAccuracyInput in;
        in.lists = lists;
        in.popularity = popularity;
        in.genres = genres;
        in.userCount = 8;
        in.histories = {historyOffsets, historyItems};
        in.itemFactors = &factors;
        return in;
    }
};

// A dataset of 3 users and 4 movies; entries in CSR order with the split's test mask:
//   u0: m0 m1 m2 (m2 test)   u1: m0 m3 (m3 test)   u2: m0
Dataset tinyRankingDataset() {
    Dataset ds;
    ds.userIds = {10, 20, 30};
    ds.movieIds = {1, 2, 3, 4};
    ds.titles = {"a", "b", "c", "d"};
    ds.genres = {0, 0, 0, 0};
    ds.byUser.offsets = {0, 3, 5, 6};
    ds.byUser.index = {0, 1, 2, 0, 3, 0};
    ds.byUser.halfStars = {8, 8, 8, 8, 8, 8};
    ds.rebuildIdMaps();
    return ds;
}

}  // namespace

class TestBeyondAccuracy : public QObject {
    Q_OBJECT

private slots:
    void pieces();
    void tinyCatalogue();
    void tinyCalibration();
    void perfectCalibrationIsZero();
    void userCountFromHistories();
    void withoutOptionalInputs();
    void rejectsBadInput();
    void sameForAnyThreadCount();
    void activityQuartilesAndCold();
    void activityTies();
    void popularityTiersByShare();
    void popularityTiersTies();
    void trainingCounts();
    void segmentMeansStratified();
    void segmentMeanDifferences();
};

void TestBeyondAccuracy::pieces() {
    // Jaccard distance of genre sets.
    LENS_NEAR(jaccardDistance(bit(kAction) | bit(kComedy), bit(kAction)), 0.5);
    LENS_NEAR(jaccardDistance(bit(kAction), bit(kDrama)), 1.0);
    LENS_NEAR(jaccardDistance(0, 0), 0.0);
    // Gini of (0, 0, 0, 4): sorted coefficients (2j - 5) = -3, -1, 1, 3 -> 3 * 4 / (4 * 4) = 0.75.
    LENS_NEAR(giniCoefficient({0, 4, 0, 0}), 0.75);
    LENS_NEAR(giniCoefficient({2, 2, 2}), 0.0);
    QVERIFY(std::isnan(giniCoefficient({0, 0})));
    // Genre distribution of {Action|Comedy, Action, no genre}: A = (1/2 + 1) / 2, C = 1/4.
    const std::vector<GenreMask> genres{bit(kAction) | bit(kComedy), bit(kAction), 0};
    const std::vector<std::uint32_t> items{0, 1, 2};
    const std::vector<double> p = genreDistribution(items, genres);
    LENS_NEAR(p[kAction], 0.75);
    LENS_NEAR(p[kComedy], 0.25);
    LENS_NEAR(std::accumulate(p.begin(), p.end(), 0.0), 1.0);
}

void TestBeyondAccuracy::tinyCatalogue() {
    const Tiny t;
    const BeyondAccuracyResult r = beyondAccuracy(t.input());
    QCOMPARE(r.users, std::size_t{3});
    QCOMPARE(r.recommendations, std::size_t{7});
    // C = {m0..m4} (k > 0), R = {m0, m1, m2, m3, m5}: coverage |R| / |C u R| = 5 / 6.
    QCOMPARE(r.distinctItems, std::size_t{5});
    QCOMPARE(r.catalogueSize, std::size_t{6});
    LENS_NEAR(r.coverage, 5.0 / 6.0);

    // Self-information log2(8 / k): m0 0, m1 1, m2 2, m3 3, m5 (k = 0 counts as 1) 3.
    // u0 (0 + 1) / 2 = 0.5, u1 (0 + 2 + 3) / 3 = 5/3, u3 (3 + 0) / 2 = 1.5; mean 11/9.
    LENS_NEAR(r.perUserNovelty[0], 0.5);
    LENS_NEAR(r.perUserNovelty[1], 5.0 / 3.0);
    QVERIFY(std::isnan(r.perUserNovelty[2]));
    LENS_NEAR(r.perUserNovelty[3], 1.5);
    LENS_NEAR(r.novelty, 11.0 / 9.0);

    // Genre ILD: u0 J(AC, A) = 1/2; u1 J(AC, CD) = 2/3, J(AC, D) = 1, J(CD, D) = 1/2, mean 13/18;
    // u3 J(H, AC) = 1. Mean (1/2 + 13/18 + 1) / 3 = 20/27.
    LENS_NEAR(r.perUserIldGenre[0], 0.5);
    LENS_NEAR(r.perUserIldGenre[1], 13.0 / 18.0);
    LENS_NEAR(r.perUserIldGenre[3], 1.0);
    LENS_NEAR(r.ildGenre, 20.0 / 27.0);

    // Cosine ILD: u0 1 - cos(m0, m1) = 1; u1 (1 - 1/sqrt2) + (1 + 1) + (1 + 1/sqrt2) = 4, mean 4/3;
    // u3 1 - cos(m5, m0) = 0. Mean (1 + 4/3 + 0) / 3 = 7/9 (float factors: 1e-6).
    QVERIFY(std::fabs(r.perUserIldEmbedding[0] - 1.0) < 1e-6);
    QVERIFY(std::fabs(r.perUserIldEmbedding[1] - 4.0 / 3.0) < 1e-6);
    QVERIFY(std::fabs(r.perUserIldEmbedding[3] - 0.0) < 1e-6);
    QVERIFY(std::fabs(r.ildEmbedding - 7.0 / 9.0) < 1e-6);

    // Average popularity: u0 (8 + 4) / 2 = 6, u1 (8 + 2 + 1) / 3 = 11/3, u3 (0 + 8) / 2 = 4;
    // mean 41/9.
    LENS_NEAR(r.perUserAveragePopularity[1], 11.0 / 3.0);
    LENS_NEAR(r.averagePopularity, 41.0 / 9.0);

    // Exposure over C u R = 6 movies: e = (3, 1, 1, 1, 0, 1), sorted (0, 1, 1, 1, 1, 3), sum 7;
    // coefficients 2j - 7 = -5, -3, -1, 1, 3, 5: (-3 - 1 + 1 + 3 + 15) / (6 * 7) = 15/42 = 5/14.
    LENS_NEAR(r.exposureGini, 5.0 / 14.0);

    // Head at 20 % of 16 ratings: m0 alone (8 >= 3.2), h = 8. Non-head slots 4 of 7.
    QCOMPARE(r.headMinCount, std::uint64_t{8});
    QCOMPARE(r.headItems, std::size_t{1});
    LENS_NEAR(r.longTailShare, 4.0 / 7.0);
    LENS_NEAR(r.perUserLongTailShare[0], 0.5);
    LENS_NEAR(r.perUserLongTailShare[1], 2.0 / 3.0);
    LENS_NEAR(r.perUserLongTailShare[3], 0.5);
}

void TestBeyondAccuracy::tinyCalibration() {
    const Tiny t;
    const BeyondAccuracyResult r = beyondAccuracy(t.input());
    // u0: p = (A 1/2, D 1/2) from [m1, m3]; q = (A 3/4, C 1/4) from [m0, m1].
    //   q~(A) = 0.99 * 0.75 + 0.01 * 0.5 = 0.7475, q~(D) = 0.01 * 0.5 = 0.005;
    //   KL = 0.5 ln(0.5 / 0.7475) + 0.5 ln(0.5 / 0.005).
    const double u0 = 0.5 * std::log(0.5 / 0.7475) + 0.5 * std::log(100.0);
    LENS_NEAR(r.perUserCalibrationKl[0], u0);
    // u1: the history [m4] has no genre; u2: no list.
    QVERIFY(std::isnan(r.perUserCalibrationKl[1]));
    QVERIFY(std::isnan(r.perUserCalibrationKl[2]));
    // u3: p = (H 1/2, C 1/4, D 1/4) from [m5, m2]; q = (H 1/2, A 1/4, C 1/4) from [m5, m0].
    //   q~(H) = 1/2 and q~(C) = 1/4 (terms 0), q~(D) = 0.01 * 0.25: KL = 0.25 ln 100.
    const double u3 = 0.25 * std::log(100.0);
    LENS_NEAR(r.perUserCalibrationKl[3], u3);
    LENS_NEAR(r.calibrationKl, (u0 + u3) / 2.0);
}

void TestBeyondAccuracy::perfectCalibrationIsZero() {
    const std::vector<double> p{0.5, 0.25, 0.25};
    LENS_NEAR(calibrationKl(p, p), 0.0);
    // A list sharing no genre with the profile: q~ = alpha p, KL = ln(1 / alpha).
    const std::vector<double> none{0.0, 0.0, 0.0};
    LENS_NEAR(calibrationKl(p, none), std::log(100.0));
    QVERIFY(std::isnan(calibrationKl(none, p)));
}

void TestBeyondAccuracy::userCountFromHistories() {
    const Tiny t;
    BeyondAccuracyInput in = t.input();
    in.userCount = 0;  // four users have a history: |U| = 4, log2 4 = 2
    const BeyondAccuracyResult r = beyondAccuracy(in);
    // u0: (log2(4/8) clamped to 0 + log2(4/4) = 0) / 2 = 0; u1: (0 + 1 + 2) / 3 = 1.
    LENS_NEAR(r.perUserNovelty[0], 0.0);
    LENS_NEAR(r.perUserNovelty[1], 1.0);
}

void TestBeyondAccuracy::withoutOptionalInputs() {
    const Tiny t;
    BeyondAccuracyInput in = t.input();
    in.itemFactors = nullptr;
    in.histories = {};
    const BeyondAccuracyResult r = beyondAccuracy(in);
    QVERIFY(std::isnan(r.ildEmbedding));
    QVERIFY(std::isnan(r.calibrationKl));
    LENS_NEAR(r.ildGenre, 20.0 / 27.0);
    // A zero factor row has cosine 0 with everything: distance 1.
    in.itemFactors = &t.factors;
    const std::vector<std::vector<std::uint32_t>> zero{{4, 0}};
    in.lists = zero;
    QVERIFY(std::fabs(beyondAccuracy(in).ildEmbedding - 1.0) < 1e-12);
    // No list at all.
    in.lists = {};
    const BeyondAccuracyResult empty = beyondAccuracy(in);
    QCOMPARE(empty.users, std::size_t{0});
    QCOMPARE(empty.coverage, 0.0);
    QVERIFY(std::isnan(empty.novelty) && std::isnan(empty.exposureGini));
}

void TestBeyondAccuracy::rejectsBadInput() {
    const Tiny t;
    BeyondAccuracyInput in = t.input();
    const std::vector<std::vector<std::uint32_t>> outOfRange{{0, 6}};
    in.lists = outOfRange;
    in.histories = {};
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, beyondAccuracy(in));
    in = t.input();
    const std::vector<GenreMask> short_{0, 0};
    in.genres = short_;
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, beyondAccuracy(in));
    in = t.input();
    in.userCount = 0;
    in.histories = {};
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, beyondAccuracy(in));
}

// Random lists for 3,000 users over 400 movies: the per-user vectors and aggregates are the same
// on 1 and 2 threads, and every metric lies in its range.
void TestBeyondAccuracy::sameForAnyThreadCount() {
    const std::size_t users = 3000, movies = 400;
    Pcg32 rng(5);
    std::vector<std::uint64_t> popularity(movies);
    std::vector<GenreMask> genres(movies);
    Eigen::MatrixXf factors(movies, 8);
    for (std::size_t i = 0; i < movies; ++i) {
        popularity[i] = rng.below(50) * rng.below(50);
        genres[i] = rng.below(1U << 6);
        for (int k = 0; k < 8; ++k)
            factors(static_cast<Eigen::Index>(i), k) = static_cast<float>(rng.normal());
    }
    std::vector<std::vector<std::uint32_t>> lists(users);
    std::vector<std::uint64_t> offsets{0};
    std::vector<std::uint32_t> items;
    for (std::size_t u = 0; u < users; ++u) {
        for (int k = 0; k < 10; ++k)
            lists[u].push_back(rng.below(static_cast<std::uint32_t>(movies)));
        for (int k = 0; k < 20; ++k) items.push_back(rng.below(static_cast<std::uint32_t>(movies)));
        offsets.push_back(items.size());
    }
    BeyondAccuracyInput in;
    in.lists = lists;
    in.popularity = popularity;
    in.genres = genres;
    in.userCount = users;
    in.histories = {offsets, items};
    in.itemFactors = &factors;
    const int saved = omp_get_max_threads();
    omp_set_num_threads(1);
    const BeyondAccuracyResult one = beyondAccuracy(in);
    omp_set_num_threads(2);
    const BeyondAccuracyResult two = beyondAccuracy(in);
    omp_set_num_threads(saved);
    QVERIFY(one.perUserIldEmbedding == two.perUserIldEmbedding);
    QVERIFY(one.perUserCalibrationKl == two.perUserCalibrationKl);
    QCOMPARE(one.calibrationKl, two.calibrationKl);
    QCOMPARE(one.novelty, two.novelty);
    QVERIFY(one.coverage > 0.9 && one.coverage <= 1.0);  // 30,000 draws over 400 movies
    QVERIFY(one.exposureGini >= 0.0 && one.exposureGini < 0.5);
    QVERIFY(one.ildGenre >= 0.0 && one.ildGenre <= 1.0);
    QVERIFY(one.ildEmbedding > 0.5 && one.ildEmbedding < 1.5);  // random directions: about 1
    QVERIFY(one.calibrationKl >= 0.0 && one.calibrationKl <= std::log(100.0));
    QVERIFY(one.longTailShare > 0.0 && one.longTailShare < 1.0);
}

// Counts 1..20 (and one user without training ratings): t_0.1 = c_(2) = 2, t_0.25 = c_(5) = 5,
// t_0.5 = c_(10) = 10, t_0.75 = c_(15) = 15.
void TestBeyondAccuracy::activityQuartilesAndCold() {
    std::vector<std::uint64_t> counts(20);
    std::iota(counts.begin(), counts.end(), std::uint64_t{1});
    counts.push_back(0);
    const ActivitySegments seg = activitySegments(counts);
    QCOMPARE(seg.upperCount[0], std::uint64_t{2});
    QCOMPARE(seg.upperCount[1], std::uint64_t{5});
    QCOMPARE(seg.upperCount[2], std::uint64_t{10});
    QCOMPARE(seg.upperCount[3], std::uint64_t{15});
    QCOMPARE(seg.sizes[0], std::size_t{3});  // 1, 2 and the user with none
    QCOMPARE(seg.sizes[1], std::size_t{3});  // 3..5
    QCOMPARE(seg.sizes[2], std::size_t{5});
    QCOMPARE(seg.sizes[3], std::size_t{5});
    QCOMPARE(seg.sizes[4], std::size_t{5});
    QCOMPARE(seg.bucketOf[20], std::uint8_t{0});
    QCOMPARE(seg.bucketOf[5], static_cast<std::uint8_t>(ActivityBucket::Q2));  // count 6
    QCOMPARE(seg.bucketOf[19], static_cast<std::uint8_t>(ActivityBucket::Q4));
    QCOMPARE(QString::fromStdString(activityBucketName(ActivityBucket::Cold)),
             QStringLiteral("cold (lightest 10 %)"));
    QCOMPARE(QString::fromStdString(activityBucketName(ActivityBucket::Q1)),
             QStringLiteral("Q1 (10-25 %)"));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, activitySegments(counts, 0.3));
}

// Eight users with 5 ratings and two with 9: every threshold is 5, so the 5s are all cold and
// the 9s heavy; Q1..Q3 are empty.
void TestBeyondAccuracy::activityTies() {
    const std::vector<std::uint64_t> counts{5, 5, 9, 5, 5, 5, 9, 5, 5, 5};
    const ActivitySegments seg = activitySegments(counts);
    QCOMPARE(seg.sizes[0], std::size_t{8});
    QCOMPARE(seg.sizes[1] + seg.sizes[2] + seg.sizes[3], std::size_t{0});
    QCOMPARE(seg.sizes[4], std::size_t{2});
}

// Counts (50, 20, 10, 8, 5, 3, 2, 1, 1, 0), 100 ratings. Head: 50 >= 20 % of 100, h = 50.
// Tail from the least popular: 1, 2, 4, 7, 12, 20 >= 20 at the movie with 8, l = 8.
void TestBeyondAccuracy::popularityTiersByShare() {
    const std::vector<std::uint64_t> counts{50, 20, 10, 8, 5, 3, 2, 1, 1, 0};
    const PopularityTiers tiers = popularityTiers(counts);
    QCOMPARE(tiers.headMinCount, std::uint64_t{50});
    QCOMPARE(tiers.tailMaxCount, std::uint64_t{8});
    QCOMPARE(tiers.sizes[0], std::size_t{1});
    QCOMPARE(tiers.sizes[1], std::size_t{2});  // 20, 10
    QCOMPARE(tiers.sizes[2], std::size_t{7});  // 8, 5, 3, 2, 1, 1 and the unrated movie
    LENS_NEAR(tiers.ratingShare[0], 0.5);
    LENS_NEAR(tiers.ratingShare[1], 0.3);
    LENS_NEAR(tiers.ratingShare[2], 0.2);
    QVERIFY(tiers.isHead(0) && !tiers.isHead(1));
    QCOMPARE(tiers.tierOf[9], static_cast<std::uint8_t>(PopularityTier::Tail));
    // 60 % head: 50, 70 >= 60 at the movie with 20.
    const PopularityTiers wide = popularityTiers(counts, 0.6, 0.2);
    QCOMPARE(wide.headMinCount, std::uint64_t{20});
    QCOMPARE(wide.sizes[0], std::size_t{2});
    QCOMPARE(QString(popularityTierName(PopularityTier::Tail)), QStringLiteral("long tail"));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, popularityTiers(counts, 0.7, 0.4));
}

// Four movies with 10 ratings each: h = 10, every rated movie is head (ties share a tier).
void TestBeyondAccuracy::popularityTiersTies() {
    const std::vector<std::uint64_t> counts{10, 10, 10, 10, 0};
    const PopularityTiers tiers = popularityTiers(counts);
    QCOMPARE(tiers.sizes[0], std::size_t{4});
    QCOMPARE(tiers.sizes[1], std::size_t{0});
    QCOMPARE(tiers.sizes[2], std::size_t{1});
    const PopularityTiers noHead = popularityTiers(counts, 0.0, 0.2);
    QCOMPARE(noHead.sizes[0], std::size_t{0});
    QCOMPARE(noHead.sizes[2], std::size_t{5});
}

void TestBeyondAccuracy::trainingCounts() {
    const Dataset ds = tinyRankingDataset();
    Split split;
    split.isTest = {0, 0, 1, 0, 1, 0};
    const std::vector<std::uint64_t> perUser = trainingRatingsPerUser(ds, split);
    QCOMPARE(perUser, (std::vector<std::uint64_t>{2, 1, 1}));
    const std::vector<std::uint64_t> perMovie = trainingRatingsPerMovie(ds, split);
    QCOMPARE(perMovie, (std::vector<std::uint64_t>{3, 1, 0, 0}));
    const Split all;  // no mask: every rating is training
    QCOMPARE(trainingRatingsPerMovie(ds, all), (std::vector<std::uint64_t>{3, 1, 1, 1}));
    Split wrong;
    wrong.isTest = {0, 1};
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, trainingRatingsPerUser(ds, wrong));
}

// Segment s is bootstrapped alone with seed deriveSeed(seed, s); NaN values are left out.
void TestBeyondAccuracy::segmentMeansStratified() {
    const std::vector<double> values{1.0, 2.0, std::nan(""), 4.0, 10.0, 20.0, 30.0, 7.0};
    const std::vector<std::uint8_t> segment{0, 0, 0, 0, 1, 1, 1, 9};  // 9: in no segment
    BootstrapOptions options;
    options.seed = 3;
    const std::vector<SegmentMean> means = segmentMeans(values, segment, 3, options);
    QCOMPARE(means.size(), std::size_t{3});
    QCOMPARE(means[0].units, std::size_t{3});
    LENS_NEAR(means[0].ci.estimate, 7.0 / 3.0);
    QCOMPARE(means[1].units, std::size_t{3});
    LENS_NEAR(means[1].ci.estimate, 20.0);
    QCOMPARE(means[2].units, std::size_t{0});
    QVERIFY(std::isnan(means[2].ci.estimate) && std::isnan(means[2].ci.lower));
    BootstrapOptions own = options;
    own.seed = deriveSeed(3, 1);
    const std::vector<double> group{10.0, 20.0, 30.0};
    const BootstrapCI alone = bootstrapMeanCI(group, own);
    QCOMPARE(means[1].ci.lower, alone.lower);
    QCOMPARE(means[1].ci.upper, alone.upper);
    QVERIFY(means[1].ci.lower >= 10.0 && means[1].ci.upper <= 30.0);
    const std::vector<std::uint8_t> shortSegments{0, 1};
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, segmentMeans(values, shortSegments, 2));
}

void TestBeyondAccuracy::segmentMeanDifferences() {
    const std::vector<double> a{0.5, 0.7, 0.2, std::nan(""), 0.9, 0.4};
    const std::vector<double> b{0.4, 0.5, 0.3, 0.1, 0.6, std::nan("")};
    const std::vector<std::uint8_t> segment{0, 0, 0, 1, 1, 1};
    const std::vector<SegmentMean> d = lens::segmentMeanDifferences(a, b, segment, 2);
    // Segment 0: (0.1 + 0.2 - 0.1) / 3; segment 1: only the user with both values, 0.3.
    QCOMPARE(d[0].units, std::size_t{3});
    QVERIFY(std::fabs(d[0].ci.estimate - 0.2 / 3.0) < 1e-12);
    QCOMPARE(d[1].units, std::size_t{1});
    QVERIFY(std::fabs(d[1].ci.estimate - 0.3) < 1e-12);
    QVERIFY(std::fabs(d[1].ci.lower - 0.3) < 1e-12 && std::fabs(d[1].ci.upper - 0.3) < 1e-12);
}

QTEST_GUILESS_MAIN(TestBeyondAccuracy)
#include "tst_beyond_accuracy.moc"
