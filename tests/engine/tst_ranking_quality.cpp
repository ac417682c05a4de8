// Ranking quality (engine/ranking/RankingQuality) on the synthetic release: its figures match
// eval/RankingMetrics, and cancel works.
#include <QtTest>
#include <algorithm>
#include <cmath>
#include <string>

#include "HeapCount.h"
#include "RankingFixture.h"
#include "eval/RankingMetrics.h"
#include "models/RecommenderFactory.h"
#include "ranking/RankingQuality.h"
#include "util/Random.h"

using namespace lens;
using namespace lens::test;

class TestRankingQuality : public QObject {
    Q_OBJECT

private slots:
    void qualityMatchesRankingMetrics();
    void qualityCancels();
    void memoryStaysNearTheLists();
    void drawnNegativesEqualStoredOnes();
};

void TestRankingQuality::qualityMatchesRankingMetrics() {
    Fixture& f = synthetic();
    const Recommender& model = f.model("als", false);
    RankingQualityConfig config;
    config.seed = 5;
    std::size_t lastDone = 0, lastTotal = 0;
    bool monotone = true;
    const RankingQuality q =
        evaluateRankingQuality(model, f.data, config, [&](const RankingQualityProgress& p) {
            if (p.stage == "top-N lists") {
                monotone &= p.done >= lastDone;
                lastDone = p.done;
                lastTotal = p.total;
            }
            return true;
        });
    QVERIFY(!q.cancelled);
    QVERIFY(monotone);
    QVERIFY(lastTotal > 0);
    QCOMPARE(lastDone, lastTotal);
    const TopNResult topN = evaluateTopN(f.data, model, 10);
    QCOMPARE(q.topN.users, topN.users);
    QCOMPARE(q.topN.precision, topN.precision);
    QCOMPARE(q.topN.ndcg, topN.ndcg);
    QCOMPARE(q.topN.map, topN.map);
    const RankingResult sampled = evaluateSampled(f.data, sampleNegatives(f.data, 100, 5), model);
    QCOMPARE(q.sampled.hitRate, sampled.hitRate);
    QCOMPARE(q.sampled.ndcg, sampled.ndcg);
    QCOMPARE(q.sampled.protocol, std::string(kSampledProtocolLabel));
    // Coverage and popularity recomputed from timesRecommended.
    std::size_t users = 0, distinct = 0, listSlots = 0;
    double popSum = 0;
    for (std::uint32_t u = 0; u < f.data.userCount(); ++u) users += f.data.byUser.rowSize(u) > 0;
    for (std::uint32_t i = 0; i < f.data.itemCount(); ++i) {
        distinct += q.timesRecommended[i] > 0;
        listSlots += q.timesRecommended[i];
        popSum += static_cast<double>(q.timesRecommended[i]) *
                  static_cast<double>(f.data.byItem.rowSize(i));
    }
    QCOMPARE(q.usersListed, users);
    QCOMPARE(listSlots, users * 10);
    QCOMPARE(q.distinctRecommended, distinct);
    QCOMPARE(q.catalogueSize, catalogueItems(f.data).size());
    QVERIFY(std::fabs(q.coverage - static_cast<double>(distinct) / q.catalogueSize) < 1e-12);
    QVERIFY(std::fabs(q.meanPopularityRecommended - popSum / static_cast<double>(listSlots)) <
            1e-9);
    double sum = 0;
    for (std::size_t b = 0; b < q.popularityCatalogue.bins(); ++b)
        sum += q.popularityCatalogue.density[b] * q.popularityCatalogue.widths[b];
    QVERIFY(std::fabs(sum - 1.0) < 1e-9);
    QVERIFY(q.popularityRecommended.bins() > 0);
}

void TestRankingQuality::qualityCancels() {
    Fixture& f = synthetic();
    const Recommender& model = f.model("als", false);
    int calls = 0;
    const RankingQuality q =
        evaluateRankingQuality(model, f.data, {}, [&](const RankingQualityProgress& p) {
            ++calls;
            return p.done < 5;  // cancel early
        });
    QVERIFY(q.cancelled);
    QVERIFY(calls >= 1);
    QVERIFY(q.usersListed < f.data.userCount());
    QCOMPARE(q.sampled.cases, std::size_t{0});
}

// The top-N lists of many users over a large catalogue, and 100 sampled negatives for each of
// their 200,000 test ratings: memory grows by the lists and per-case figures, not by a
// catalogue-sized buffer per user (20,000 x 6,000 x 4 bytes = 480 MB, which the Rank stage's
// ranking quality once kept: 16.6 GB at ML-20M's size) nor by every case's negatives at once
// (200,000 x 100 x 4 bytes = 80 MB; 2.6 GB for ML-32M's 20 % test part).
void TestRankingQuality::memoryStaysNearTheLists() {
    constexpr std::uint32_t users = 20'000, items = 6'000;
    std::vector<RatingTriplet> train, test;
    Pcg32 rng(3);
    for (std::uint32_t u = 0; u < users; ++u) {
        for (int k = 0; k < 4; ++k)
            train.push_back({u, rng.below(items), 1.0f + static_cast<float>(rng.below(5))});
        for (int k = 0; k < 10; ++k) test.push_back({u, rng.below(items), 4.0f});
    }
    std::sort(train.begin(), train.end(), [](const RatingTriplet& a, const RatingTriplet& b) {
        return a.user != b.user ? a.user < b.user : a.item < b.item;
    });
    train.erase(std::unique(train.begin(), train.end(),
                            [](const RatingTriplet& a, const RatingTriplet& b) {
                                return a.user == b.user && a.item == b.item;
                            }),
                train.end());
    const TrainData data = TrainData::fromTriplets(users, items, train, test);
    auto model = lens::createRecommender("bias");
    model->setHyperparameter("iterations", "1");
    QCOMPARE(model->fit(data), FitStatus::Completed);
    if (!HeapCount::available()) QSKIP("the heap is not counted under a sanitizer");
    HeapCount::resetPeak();
    const std::int64_t before = HeapCount::liveBytes();
    const RankingQuality q = evaluateRankingQuality(*model, data, {});
    QCOMPARE(q.usersListed, std::size_t{users});
    const std::int64_t grown = HeapCount::peakBytes() - before;
    qInfo("heap peak grew by %.1f MiB", static_cast<double>(grown) / (1 << 20));
    // The lists: 20,000 x 10 entries; the per-case figures and scores: a few MB.
    QVERIFY2(grown < 40 << 20, qPrintable(QStringLiteral("heap peak grew by %1 MiB")
                                              .arg(static_cast<double>(grown) / (1 << 20))));
}

// A test part too large to store its negatives gets the same ones drawn when asked: every case's
// span equal, and the sampled figures identical.
void TestRankingQuality::drawnNegativesEqualStoredOnes() {
    Fixture& f = synthetic();
    const SampledNegatives stored = sampleNegatives(f.data, 100, 5);
    const SampledNegatives drawn = sampleNegatives(f.data, 100, 5, 0);
    QVERIFY(!stored.drawer);
    QVERIFY(drawn.drawer);
    QVERIFY(drawn.items.empty());
    QVERIFY(f.data.test.size() > 100);
    for (std::size_t c = 0; c < f.data.test.size(); ++c) {
        const auto a = stored.of(c);
        const auto b = drawn.of(c);
        QVERIFY(std::equal(a.begin(), a.end(), b.begin(), b.end()));
    }
    const Recommender& model = f.model("als", false);
    const RankingResult x = evaluateSampled(f.data, stored, model);
    const RankingResult y = evaluateSampled(f.data, drawn, model);
    QCOMPARE(x.hitRate, y.hitRate);
    QCOMPARE(x.ndcg, y.ndcg);
}

QTEST_GUILESS_MAIN(TestRankingQuality)
#include "tst_ranking_quality.moc"
