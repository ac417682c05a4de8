// Training the NCF models (NcfTrainer, NcfRecommender): parallel small batches equal to one
// thread, a separable problem learned to near-perfect accuracy, determinism (seed and thread
// count), the explicit loss decreasing, invalid shapes rejected, and the accuracy of NeuMF on
// ml-latest-small.
#include <omp.h>
#include <QtTest>

#include <cmath>

#include "NcfFixtures.h"
#include "TestData.h"
#include "data/Split.h"
#include "eval/ModelEvaluation.h"
#include "eval/RankingMetrics.h"
#include "io/DatasetLoader.h"
#include "models/TrainData.h"
#include "ncf/NcfRecommender.h"
#include "ncf/NcfTrainer.h"
#include "util/Random.h"

using namespace lens;
using lens::test::sameParameters;
using lens::test::separableData;
using lens::test::smallConfig;

class TestNcfTraining : public QObject {
    Q_OBJECT

private slots:
    void parallelSmallBatchesMatchOneThread_data();
    void parallelSmallBatchesMatchOneThread();
    void separableProblemIsLearned_data();
    void separableProblemIsLearned();
    void sameSeedSameModelWhateverThreads();
    void explicitLossDecreases();
    void invalidShapesAreRejected();
    void neuMfImplicitOnMlLatestSmall_data();
    void neuMfImplicitOnMlLatestSmall();
    void neuMfExplicitOnMlLatestSmall();
};

// The parallel step at small batches (2 threads, chunks and table columns shared out) gives
// the same model, bit for bit, as one thread. The two-thread run switches ways too: its first
// segment of NcfTrainer::kSegmentBatches steps runs on the threads, the second on one thread.
// With 3 threads a batch of 256 has fewer chunks than threads (the third only steps columns);
// on these small tables most columns are touched by samples of several chunks, and must wait
// for all of their passes.
void TestNcfTraining::parallelSmallBatchesMatchOneThread_data() {
    QTest::addColumn<int>("batch");
    QTest::newRow("256") << 256;
    QTest::newRow("1024") << 1024;
    QTest::newRow("300 (partial chunk)") << 300;
}

void TestNcfTraining::parallelSmallBatchesMatchOneThread() {
    QFETCH(int, batch);
    const TrainData data = separableData(200, 150);
    NcfConfig c = smallConfig(NcfArchitecture::NeuMf, NcfObjective::Implicit);
    c.batchSize = batch;
    c.epochs = 2;
    std::size_t batchesPerEpoch = 0;
    auto train = [&](int threads, int parallelFrom) {
        const int keep = omp_get_max_threads();
        omp_set_num_threads(threads);
        NcfConfig cs = c;
        cs.parallelFromBatch = parallelFrom;
        NcfParameters<float> p;
        NcfTrainer trainer(cs, data, p);
        trainer.initialiseParameters();
        trainer.train({}, {});
        omp_set_num_threads(keep);
        const auto b = static_cast<std::size_t>(batch);
        batchesPerEpoch = (trainer.sampleCount() + b - 1) / b;
        return p;
    };
    const auto serial = train(1, 0), parallel = train(2, batch), three = train(3, batch);
    // More than one segment per epoch: both ways ran in the two-thread run.
    QVERIFY2(batchesPerEpoch > NcfTrainer::kSegmentBatches,
             qPrintable(QString::number(batchesPerEpoch)));
    QVERIFY(sameParameters(serial, parallel));
    QVERIFY(sameParameters(serial, three));
    QVERIFY(serial.userEmbedding.allFinite());
}

void TestNcfTraining::separableProblemIsLearned_data() {
    QTest::addColumn<NcfArchitecture>("architecture");
    QTest::addColumn<QString>("optimizer");
    QTest::newRow("gmf-adam") << NcfArchitecture::Gmf << "adam";
    QTest::newRow("mlp-adam") << NcfArchitecture::Mlp << "adam";
    QTest::newRow("neumf-adam") << NcfArchitecture::NeuMf << "adam";
    QTest::newRow("neumf-sgd") << NcfArchitecture::NeuMf << "sgd";
}

void TestNcfTraining::separableProblemIsLearned() {
    QFETCH(NcfArchitecture, architecture);
    QFETCH(QString, optimizer);
    const TrainData data = separableData(60, 40);
    NcfRecommender model(architecture);
    NcfConfig c = smallConfig(architecture, NcfObjective::Implicit);
    c.epochs = 30;
    if (optimizer == "sgd") {
        c.optimizer.kind = NcfOptimizerKind::Sgd;
        c.optimizer.learningRate = 0.5;
    }
    model.setConfig(c);
    QCOMPARE(model.fit(data), FitStatus::Completed);
    std::size_t correct = 0, total = 0;
    for (std::uint32_t u = 0; u < 60; ++u)
        for (std::uint32_t i = 0; i < 40; ++i) {
            const bool watched = (u % 2) == (i % 2);
            correct += (model.predict(u, i) > 0.5f) == watched;
            ++total;
        }
    const double accuracy = static_cast<double>(correct) / static_cast<double>(total);
    QVERIFY2(accuracy >= 0.99, qPrintable(QStringLiteral("accuracy %1").arg(accuracy)));
    // The loss went down over the epochs.
    QVERIFY(model.history().back().objective < 0.5 * model.history().front().objective);
}

void TestNcfTraining::sameSeedSameModelWhateverThreads() {
    const TrainData data = separableData(300, 200);  // batches of several chunks
    NcfConfig c = smallConfig(NcfArchitecture::NeuMf, NcfObjective::Implicit);
    c.batchSize = 2048;  // >= NcfConfig::parallelFromBatch: the parallel path
    c.validationFraction = 0.1;
    auto train = [&](std::uint64_t seed, int threads) {
        const int keep = omp_get_max_threads();
        omp_set_num_threads(threads);
        NcfRecommender model(NcfArchitecture::NeuMf);
        NcfConfig cs = c;
        cs.seed = seed;
        model.setConfig(cs);
        model.fit(data);
        omp_set_num_threads(keep);
        return model.parameters();
    };
    const auto a = train(5, 2), b = train(5, 1), d = train(6, 2);
    QVERIFY(sameParameters(a, b));
    QVERIFY(!sameParameters(a, d));
    QVERIFY(a.userEmbedding.allFinite());
}

void TestNcfTraining::explicitLossDecreases() {
    // Ratings r = 3 + (user effect) + (item effect): explicit models fit them closely.
    std::vector<RatingTriplet> train, test;
    Pcg32 rng(11);
    for (std::uint32_t u = 0; u < 80; ++u)
        for (std::uint32_t i = 0; i < 50; ++i) {
            if (rng.uniform() > 0.5) continue;
            const float r = std::clamp(3.0f + 0.8f * std::sin(static_cast<float>(u)) +
                                           0.7f * std::cos(1.7f * static_cast<float>(i)),
                                       0.5f, 5.0f);
            (rng.uniform() < 0.1 ? test : train).push_back({u, i, r});
        }
    const TrainData data = TrainData::fromTriplets(80, 50, train, test);
    NcfRecommender model(NcfArchitecture::NeuMf);
    NcfConfig c = smallConfig(NcfArchitecture::NeuMf, NcfObjective::Explicit);
    c.epochs = 60;
    c.batchSize = 32;
    c.optimizer.learningRate = 0.01;
    model.setConfig(c);
    FitControl control;
    control.evaluate = heldOutEvaluation(data);  // per-epoch test RMSE
    QCOMPARE(model.fit(data, control), FitStatus::Completed);
    QVERIFY(model.predictsRatings());
    const auto& h = model.history();
    QVERIFY(TrainingSnapshot::hasMetric(h.back().testRmse));
    QVERIFY2(h.back().trainRmse < 0.2, qPrintable(QString::number(h.back().trainRmse)));
    QVERIFY2(h.back().testRmse < 0.4, qPrintable(QString::number(h.back().testRmse)));
}

void TestNcfTraining::invalidShapesAreRejected() {
    NcfRecommender model(NcfArchitecture::Mlp);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, model.setHyperparameter("layers", "63,32"));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, model.setHyperparameter("layers", "64,,8"));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                             model.setHyperparameter("objective", "ranking"));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, model.setHyperparameter("pretrain", "on"));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, model.setHyperparameter("nonsense", "1"));
    model.setHyperparameter("layers", "32,16");
    QCOMPARE(model.hyperparameter("layers"), std::string("32,16"));
}

// ml-latest-small, implicit NeuMF (factor 8, [64,32,16,8]) on leave-one-out latest, NCF protocol
// (100 negatives frozen by seed 42), with the shipped defaults (20 epochs, 4 negatives, batch 256,
// lr 0.003, l2 2e-5, the mean of the last 15 epochs' parameters): the HR@10 >= 0.72 and
// NDCG@10 >= 0.46 for each of the model seeds 42, 1 and 2 (measured 0.7279/0.4763,
// 0.7475/0.4937, 0.7213/0.4690; at lr 0.001, l2 0 and the last epoch they were 0.7131, 0.6934,
// 0.7082). One standard error of HR@10 over 610 test cases is 0.018, so the bound holds for these
// seeds, not for every seed: seeds 3-6 gave 0.7230, 0.7328, 0.7295, 0.7115 (`bench_ncf
// --accuracy-only --seeds ...` prints them). Popularity alone scores 0.60/0.35.
void TestNcfTraining::neuMfImplicitOnMlLatestSmall_data() {
    QTest::addColumn<int>("seed");
    for (int seed : {42, 1, 2}) QTest::newRow(qPrintable(QString("seed %1").arg(seed))) << seed;
}

void TestNcfTraining::neuMfImplicitOnMlLatestSmall() {
    QFETCH(int, seed);
    LENS_REQUIRE_RELEASE(path, "ml-latest-small");
    // Under the sanitizers the NeuMF training path on this release runs in the explicit test
    // below (same layers, same trainer) and the implicit objective on the synthetic fixtures.
    LENS_RELEASE_STAGE_ONLY_ROW("implicit NeuMF accuracy on ml-latest-small");
    static const Dataset dataset = loadDataset(path.toStdString());
    static const TrainData data = [] {
        SplitSpec spec;
        spec.kind = SplitKind::LeaveOneOutLatest;
        spec.seed = 42;
        return TrainData::build(dataset, makeSplit(dataset, spec));
    }();
    NcfRecommender model(NcfArchitecture::NeuMf);
    model.setHyperparameter("seed", std::to_string(seed));
    QCOMPARE(model.config().shape.factors, 8);
    QCOMPARE(model.config().shape.layers, (std::vector<int>{64, 32, 16, 8}));
    QCOMPARE(model.config().epochs, 20);
    QCOMPARE(model.fit(data), FitStatus::Completed);
    const RankingResult r = evaluateSampled(data, sampleNegatives(data, 100, 42), model, 10);
    qInfo(
        "implicit NeuMF seed %d: HR@10 %.4f NDCG@10 %.4f (%zu cases, %zu epochs, last epoch %.2f "
        "s)",
        seed, r.hitRate, r.ndcg, r.cases, model.history().size(), model.history().back().seconds);
    QCOMPARE(r.protocol, std::string(kSampledProtocolLabel));
    QCOMPARE(r.cases, std::size_t{610});
    QVERIFY2(r.hitRate >= 0.72, qPrintable(QString::number(r.hitRate)));
    QVERIFY2(r.ndcg >= 0.46, qPrintable(QString::number(r.ndcg)));
}

// ml-latest-small, explicit NeuMF, per-user 80/20 holdout seed 42, best epoch on validation.
void TestNcfTraining::neuMfExplicitOnMlLatestSmall() {
    LENS_REQUIRE_RELEASE(path, "ml-latest-small");
    const Dataset dataset = loadDataset(path.toStdString());
    SplitSpec spec;
    spec.kind = SplitKind::PerUserHoldout;
    spec.fraction = 0.2;
    spec.seed = 42;
    const TrainData data = TrainData::build(dataset, makeSplit(dataset, spec));
    NcfRecommender model(NcfArchitecture::NeuMf);
    model.setHyperparameter("objective", "explicit");
    FitControl control;
    control.evaluate = heldOutEvaluation(data);  // per-epoch test RMSE for the lowest seen
    QCOMPARE(model.fit(data, control), FitStatus::Completed);
    const RatingErrors e = ratingErrors(
        data.test, [&](std::uint32_t u, std::uint32_t i) { return model.predictRaw(u, i); }, true);
    double bestSeen = 1e9;
    for (const auto& s : model.history()) bestSeen = std::min(bestSeen, s.testRmse);
    qInfo(
        "explicit NeuMF: test RMSE %.4f at best validated epoch %d of %zu (lowest per-epoch %.4f)",
        e.rmse, model.bestEpoch(), model.history().size(), bestSeen);
#ifdef LENS_ATLAS_SANITIZED
    // The sanitizers' instrumentation changes the compiler's floating-point choices (FMA
    // contraction, vector widths) and training amplifies last-bit differences into a different
    // model of the same quality (implicit NeuMF seed 42: HR@10 0.7131 under ASan, 0.7279 in the
    // release build). The target is the release stage's; here the best epoch must still beat
    // the bias baseline's 0.8725.
    QVERIFY2(e.rmse <= 0.870, qPrintable(QString::number(e.rmse)));
#else
    QVERIFY2(e.rmse <= 0.860, qPrintable(QString::number(e.rmse)));
#endif
}

QTEST_GUILESS_MAIN(TestNcfTraining)
#include "tst_ncf_training.moc"
