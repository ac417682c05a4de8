// Per-user metrics (eval/PerUserMetrics.h) against the aggregate figures the rest of the app
// reports (eval/RankingMetrics.h), which were computed independently of them: user means
// weighted by test cases give the case means; the per-user RMSE recombines to the overall RMSE;
// and a tiny exact case is ranked by hand.
#include <QtTest>
#include <cmath>

#include "AlsTestSupport.h"
#include "eval/PerUserMetrics.h"
#include "eval/RankingMetrics.h"
#include "models/RecommenderFactory.h"

using namespace lens;

namespace {

std::unique_ptr<Recommender> trained(const std::string& kind, const TrainData& data) {
    auto model = createRecommender(kind);
    for (const auto& h : model->hyperparameters())
        if (h.key == "iterations" || h.key == "epochs") model->setHyperparameter(h.key, "4");
    model->fit(data);
    return model;
}

// Mean of a per-user column weighted by each user's number of test cases.
double caseWeightedMean(const TrainData& data, const PerUserMetrics& m, const char* name) {
    std::vector<double> cases(data.userCount(), 0);
    for (const auto& t : data.test) cases[t.user] += 1;
    const PerUserColumn* c = m.column(name);
    double sum = 0, weight = 0;
    for (std::size_t k = 0; k < m.users.size(); ++k) {
        sum += c->values[k] * cases[m.users[k]];
        weight += cases[m.users[k]];
    }
    return sum / weight;
}

}  // namespace

class TestPerUserMetrics : public QObject {
    Q_OBJECT

    TrainData data_ = test::plantedTrainData();

private slots:
    void ratingErrorsRecombine() {
        auto model = trained("als", data_);
        const PerUserMetrics m = computePerUserMetrics(data_, *model, nullptr);
        QVERIFY(m.column(kUserRmse));
        QVERIFY(!m.column(kUserHrSampled));  // no negatives given
        QCOMPARE(m.users.size(), m.usersWithTests);
        const RatingErrors overall =
            ratingErrors(data_.test, [&](auto u, auto i) { return model->predict(u, i); });
        std::vector<double> cases(data_.userCount(), 0);
        for (const auto& t : data_.test) cases[t.user] += 1;
        double sq = 0, abs = 0;
        for (std::size_t k = 0; k < m.users.size(); ++k) {
            const double n = cases[m.users[k]];
            sq += m.column(kUserRmse)->values[k] * m.column(kUserRmse)->values[k] * n;
            abs += m.column(kUserMae)->values[k] * n;
        }
        QVERIFY(std::abs(std::sqrt(sq / data_.test.size()) - overall.rmse) < 1e-9);
        QVERIFY(std::abs(abs / data_.test.size() - overall.mae) < 1e-9);
    }

    void rankingMeansMatchTheAggregates_data() {
        QTest::addColumn<QString>("kind");
        QTest::newRow("bias") << "bias";
        QTest::newRow("als-implicit") << "als-implicit";
    }
    void rankingMeansMatchTheAggregates() {
        QFETCH(QString, kind);
        auto model = trained(kind.toStdString(), data_);
        const SampledNegatives negatives = sampleNegatives(data_, 100, 7);
        const PerUserMetrics m = computePerUserMetrics(data_, *model, &negatives);
        const RankingResult sampled = evaluateSampled(data_, negatives, *model, 10);
        const RankingResult full = evaluateFullRanking(data_, *model, 10);
        const TopNResult topN = evaluateTopN(data_, *model, 10);
        QVERIFY(std::abs(caseWeightedMean(data_, m, kUserHrSampled) - sampled.hitRate) < 1e-9);
        QVERIFY(std::abs(caseWeightedMean(data_, m, kUserNdcgSampled) - sampled.ndcg) < 1e-9);
        QVERIFY(std::abs(caseWeightedMean(data_, m, kUserHrFull) - full.hitRate) < 1e-9);
        QVERIFY(std::abs(caseWeightedMean(data_, m, kUserNdcgFull) - full.ndcg) < 1e-9);
        QVERIFY(std::abs(m.mean(kUserRecallFull) - topN.recall) < 1e-9);
        // Reciprocal rank lies in (0, 1] and is at least the hit's share of 1/N.
        for (double rr : m.column(kUserRrFull)->values) QVERIFY(rr > 0 && rr <= 1);
    }

    // Two users, four items, leave-one-out by hand; a model whose scores we know: the bias
    // baseline ranks items by their bias, i.e. by mean training rating.
    void exactRanksByHand() {
        // Item means in training: item 0: 5, item 1: 4, item 2: 2, item 3: 1.
        const std::vector<RatingTriplet> train = {{0, 0, 5}, {0, 3, 1}, {1, 0, 5}, {1, 1, 4},
                                                  {2, 1, 4}, {2, 2, 2}, {2, 3, 1}};
        // User 0's test item 1 ranks first among {1, 2} (not rated by user 0): rank 0.
        // User 1's test item 3 ranks after item 2 among {2, 3}: rank 1.
        const std::vector<RatingTriplet> test = {{0, 1, 4}, {1, 3, 1}};
        const TrainData data = TrainData::fromTriplets(3, 4, train, test);
        auto model = createRecommender("bias");
        model->fit(data);
        PerUserOptions options;
        options.cutoff = 1;
        options.sampled = false;
        const PerUserMetrics m = computePerUserMetrics(data, *model, nullptr, options);
        QCOMPARE(m.users, (std::vector<std::uint32_t>{0, 1}));
        QCOMPARE(m.column(kUserHrFull)->values, (std::vector<double>{1.0, 0.0}));
        QCOMPARE(m.column(kUserRrFull)->values, (std::vector<double>{1.0, 0.5}));
        QCOMPARE(m.column(kUserRecallFull)->values, (std::vector<double>{1.0, 0.0}));
        QCOMPARE(m.column(kUserNdcgFull)->values, (std::vector<double>{1.0, 0.0}));
    }

    void userSampleIsSeededAndShared() {
        PerUserOptions options;
        options.maxUsers = 50;
        options.seed = 3;
        const auto a = perUserSample(data_, options);
        QCOMPARE(a.size(), std::size_t(50));
        QVERIFY(std::is_sorted(a.begin(), a.end()));
        QCOMPARE(perUserSample(data_, options), a);
        options.seed = 4;
        QVERIFY(perUserSample(data_, options) != a);
        auto model = trained("bias", data_);
        options.seed = 3;
        options.sampled = false;
        const PerUserMetrics m = computePerUserMetrics(data_, *model, nullptr, options);
        QCOMPARE(m.users, a);
        QVERIFY(m.usersWithTests > 50);
        QCOMPARE(m.column(kUserHrFull)->values.size(), std::size_t(50));
    }
};

QTEST_APPLESS_MAIN(TestPerUserMetrics)
#include "tst_per_user_metrics.moc"
