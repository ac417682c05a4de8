// Correctness of the NCF networks and their training: finite-difference gradient checks of
// every layer and both losses (float64), lazy updates touching only a batch's rows, a
// separable problem learned to near-perfect accuracy, determinism (seed and thread count),
// and the accuracy of NeuMF on ml-latest-small.
#include <omp.h>
#include <QtTest>

#include <cmath>

#include "TestData.h"
#include "data/Split.h"
#include "eval/ModelEvaluation.h"
#include "eval/RankingMetrics.h"
#include "io/DatasetLoader.h"
#include "models/TrainData.h"
#include "ncf/NcfNetwork.h"
#include "ncf/NcfRecommender.h"
#include "ncf/NcfTrainer.h"
#include "util/Random.h"

using namespace lens;
Q_DECLARE_METATYPE(lens::NcfArchitecture)
Q_DECLARE_METATYPE(lens::NcfObjective)

namespace {

using NetD = NcfNetwork<double>;
using ParamsD = NcfParameters<double>;

struct Batch {
    std::vector<std::uint32_t> users, items;
    std::vector<float> targets;
};

// A batch with repeated users and items, so gradient accumulation per row is exercised.
Batch smallBatch(NcfObjective objective) {
    Batch b;
    b.users = {0, 1, 2, 0, 1, 2, 0};
    b.items = {0, 1, 2, 3, 0, 2, 1};
    for (std::size_t j = 0; j < b.users.size(); ++j)
        b.targets.push_back(objective == NcfObjective::Implicit
                                ? static_cast<float>(j % 2)
                                : static_cast<float>(j) * 0.4f - 1.1f);
    return b;
}

double lossOf(const ParamsD& p, const Batch& b, NcfObjective objective) {
    NcfBatchWork<double> w;
    NetD::forward(p, p.userEmbedding, b.users, p.itemEmbedding, b.items, w);
    return NetD::loss(objective, w, b.targets, static_cast<double>(b.users.size()));
}

// Analytic gradient of every parameter, flattened in the order visitParameters walks them.
template <typename Visit>
void visitParameters(ParamsD& p, Visit&& visit) {
    for (Eigen::Index k = 0; k < p.userEmbedding.size(); ++k)
        visit("user embedding", p.userEmbedding.data()[k]);
    for (Eigen::Index k = 0; k < p.itemEmbedding.size(); ++k)
        visit("item embedding", p.itemEmbedding.data()[k]);
    for (std::size_t l = 0; l < p.weights.size(); ++l) {
        for (Eigen::Index k = 0; k < p.weights[l].size(); ++k)
            visit("dense weight", p.weights[l].data()[k]);
        for (Eigen::Index k = 0; k < p.biases[l].size(); ++k)
            visit("dense bias", p.biases[l].data()[k]);
    }
    for (Eigen::Index k = 0; k < p.outputWeight.size(); ++k)
        visit("output weight", p.outputWeight.data()[k]);
    visit("output bias", p.outputBias);
}

std::vector<double> analyticGradient(const ParamsD& p, const Batch& b, NcfObjective objective) {
    NcfBatchWork<double> w;
    NcfDenseGradients<double> g;
    g.resizeLike(p);
    NetD::forward(p, p.userEmbedding, b.users, p.itemEmbedding, b.items, w);
    NetD::loss(objective, w, b.targets, static_cast<double>(b.users.size()));
    NetD::backward(p, p.userEmbedding, b.users, p.itemEmbedding, b.items, w, g);
    ParamsD grad = p;
    grad.userEmbedding.setZero();
    grad.itemEmbedding.setZero();
    for (std::size_t j = 0; j < b.users.size(); ++j) {
        grad.userEmbedding.col(b.users[j]) += w.userGradients.col(static_cast<Eigen::Index>(j));
        grad.itemEmbedding.col(b.items[j]) += w.itemGradients.col(static_cast<Eigen::Index>(j));
    }
    grad.weights = g.weights;
    grad.biases = g.biases;
    grad.outputWeight = g.outputWeight;
    grad.outputBias = g.outputBias;
    std::vector<double> flat;
    visitParameters(grad, [&](const char*, double& v) { flat.push_back(v); });
    return flat;
}

TrainData separableData(std::size_t users, std::size_t items) {
    // Two communities: users in group g watched every movie of group g and none of the other.
    std::vector<RatingTriplet> train;
    for (std::uint32_t u = 0; u < users; ++u)
        for (std::uint32_t i = 0; i < items; ++i)
            if ((u % 2) == (i % 2))
                train.push_back({u, i, 4.0f + static_cast<float>(u % 2) * 0.5f});
    return TrainData::fromTriplets(users, items, train, {});
}

NcfConfig smallConfig(NcfArchitecture a, NcfObjective o) {
    NcfConfig c;
    c.shape.architecture = a;
    c.shape.factors = 4;
    c.shape.layers = {8, 8, 4};
    c.objective = o;
    c.epochs = 3;
    c.batchSize = 64;
    c.optimizer.learningRate = 0.01;
    return c;
}

bool sameParameters(const NcfParameters<float>& a, const NcfParameters<float>& b) {
    if (a.userEmbedding != b.userEmbedding || a.itemEmbedding != b.itemEmbedding) return false;
    if (a.weights.size() != b.weights.size()) return false;
    for (std::size_t l = 0; l < a.weights.size(); ++l)
        if (a.weights[l] != b.weights[l] || a.biases[l] != b.biases[l]) return false;
    return a.outputWeight == b.outputWeight && a.outputBias == b.outputBias;
}

}  // namespace

class TestNcf : public QObject {
    Q_OBJECT

private slots:
    void gradientsMatchFiniteDifferences_data();
    void gradientsMatchFiniteDifferences();
    void floatPassAgreesWithDouble();
    void lazyStepTouchesOnlyBatchRows();
    void chunkedStepMatchesOneWholeBatchPass();
    void lazyAdamFollowsTheFormula();
    void sparseAndDenseEmbeddingAdamFollowTheFormula();
    void binaryCrossEntropyIsStableAtExtremeLogits();
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

void TestNcf::gradientsMatchFiniteDifferences_data() {
    QTest::addColumn<NcfArchitecture>("architecture");
    QTest::addColumn<NcfObjective>("objective");
    for (auto a : {NcfArchitecture::Gmf, NcfArchitecture::Mlp, NcfArchitecture::NeuMf})
        for (auto o : {NcfObjective::Implicit, NcfObjective::Explicit})
            QTest::newRow(qPrintable(
                QStringLiteral("%1-%2").arg(ncfArchitectureName(a), ncfObjectiveName(o))))
                << a << o;
}

void TestNcf::gradientsMatchFiniteDifferences() {
    QFETCH(NcfArchitecture, architecture);
    QFETCH(NcfObjective, objective);
    NcfShape shape;
    shape.architecture = architecture;
    shape.factors = 3;
    shape.layers = {6, 5, 4, 3};
    ParamsD p;
    p.initialise(shape, 3, 4, 7);
    // Larger embeddings than the N(0, 0.01) start, so every term has a visible gradient.
    p.userEmbedding *= 60.0;
    p.itemEmbedding *= 60.0;
    for (auto& b : p.biases) b.setConstant(0.05);
    p.outputBias = 0.1;
    const Batch batch = smallBatch(objective);
    const std::vector<double> analytic = analyticGradient(p, batch, objective);

    std::size_t k = 0, checked = 0, nonZero = 0;
    double worst = 0.0;
    QString worstWhere;
    const double eps = 1e-6;
    visitParameters(p, [&](const char* where, double& v) {
        const double keep = v;
        v = keep + eps;
        const double up = lossOf(p, batch, objective);
        v = keep - eps;
        const double down = lossOf(p, batch, objective);
        v = keep;
        const double numeric = (up - down) / (2 * eps) / static_cast<double>(batch.users.size());
        // lossOf returns the summed loss; the analytic gradient is of the mean.
        const double a = analytic[k++];
        const double error =
            std::abs(numeric - a) / std::max(1e-4, std::abs(numeric) + std::abs(a));
        if (error > worst) {
            worst = error;
            worstWhere = QString::fromLatin1(where);
        }
        nonZero += std::abs(a) > 1e-9;
        ++checked;
    });
    QCOMPARE(k, analytic.size());
    QVERIFY2(nonZero > checked / 2, "most gradients should be non-zero in this check");
    QVERIFY2(worst < 1e-5,
             qPrintable(QStringLiteral("relative error %1 at %2").arg(worst).arg(worstWhere)));
}

void TestNcf::floatPassAgreesWithDouble() {
    NcfShape shape;
    shape.layers = {16, 8, 4};
    ParamsD p;
    p.initialise(shape, 5, 6, 3);
    p.userEmbedding *= 30.0;
    p.itemEmbedding *= 30.0;
    const NcfParameters<float> pf = p.cast<float>();
    const Batch b = smallBatch(NcfObjective::Implicit);
    NcfBatchWork<double> wd;
    NcfBatchWork<float> wf;
    NetD::forward(p, p.userEmbedding, b.users, p.itemEmbedding, b.items, wd);
    NcfNetwork<float>::forward(pf, pf.userEmbedding, b.users, pf.itemEmbedding, b.items, wf);
    for (Eigen::Index j = 0; j < wd.logits.size(); ++j)
        QVERIFY(std::abs(wd.logits[j] - wf.logits[j]) < 1e-5);
}

void TestNcf::lazyStepTouchesOnlyBatchRows() {
    const TrainData data = separableData(40, 30);
    NcfConfig c = smallConfig(NcfArchitecture::NeuMf, NcfObjective::Implicit);
    c.optimizer.l2Embedding = 0.01;  // regularisation must not touch other rows either
    NcfParameters<float> p;
    NcfTrainer trainer(c, data, p);
    trainer.initialiseParameters();
    const NcfParameters<float> before = p;
    const std::vector<std::uint32_t> users{3, 5, 3}, items{7, 9, 9};
    const std::vector<float> targets{1, 0, 1};
    trainer.trainStep(users, items, targets);
    for (Eigen::Index u = 0; u < p.userEmbedding.cols(); ++u) {
        const bool touched = u == 3 || u == 5;
        QCOMPARE(p.userEmbedding.col(u) != before.userEmbedding.col(u), touched);
    }
    for (Eigen::Index i = 0; i < p.itemEmbedding.cols(); ++i) {
        const bool touched = i == 7 || i == 9;
        QCOMPARE(p.itemEmbedding.col(i) != before.itemEmbedding.col(i), touched);
    }
    QVERIFY(p.weights[0] != before.weights[0]);
    QVERIFY(p.outputWeight != before.outputWeight);
}

// A step of the trainer (chunks of 128, per-column accumulation, SGD) equals the plain SGD
// step computed in float64 from one pass over the whole batch.
void TestNcf::chunkedStepMatchesOneWholeBatchPass() {
    const TrainData data = separableData(40, 30);
    NcfConfig c = smallConfig(NcfArchitecture::NeuMf, NcfObjective::Implicit);
    c.optimizer.kind = NcfOptimizerKind::Sgd;
    c.optimizer.learningRate = 0.5;
    NcfParameters<float> p;
    NcfTrainer trainer(c, data, p);
    trainer.initialiseParameters();
    p.userEmbedding *= 20.0f;  // visible gradients everywhere
    p.itemEmbedding *= 20.0f;
    const NcfParameters<float> before = p;
    Batch b;
    Pcg32 rng(5);
    for (int j = 0; j < 300; ++j) {  // 3 chunks, repeated rows across chunks
        b.users.push_back(rng.below(40));
        b.items.push_back(rng.below(30));
        b.targets.push_back(static_cast<float>(rng.below(2)));
    }
    trainer.trainStep(b.users, b.items, b.targets);

    const ParamsD p0 = before.cast<double>();
    ParamsD expected = p0;
    const std::vector<double> g = analyticGradient(p0, b, NcfObjective::Implicit);
    std::size_t k = 0;
    visitParameters(expected, [&](const char*, double& v) { v -= 0.5 * g[k++]; });
    ParamsD got = p.cast<double>();
    std::vector<double> gotFlat, expectedFlat, startFlat;
    visitParameters(got, [&](const char*, double& v) { gotFlat.push_back(v); });
    visitParameters(expected, [&](const char*, double& v) { expectedFlat.push_back(v); });
    ParamsD start = p0;
    visitParameters(start, [&](const char*, double& v) { startFlat.push_back(v); });
    double worst = 0.0, largestStep = 0.0;
    for (std::size_t i = 0; i < gotFlat.size(); ++i) {
        worst = std::max(worst, std::abs(gotFlat[i] - expectedFlat[i]));
        largestStep = std::max(largestStep, std::abs(expectedFlat[i] - startFlat[i]));
    }
    QVERIFY2(largestStep > 1e-3, "the step should move the parameters");
    QVERIFY2(
        worst < 1e-5 * std::max(1.0, largestStep * 100),
        qPrintable(
            QStringLiteral("largest difference %1 (largest step %2)").arg(worst).arg(largestStep)));
}

// Lazy Adam: a column's bias correction uses its own step count, untouched columns keep
// their values and moments.
void TestNcf::lazyAdamFollowsTheFormula() {
    NcfShape shape;
    shape.architecture = NcfArchitecture::Gmf;
    shape.factors = 2;
    NcfParameters<float> p;
    p.initialise(shape, 1, 3, 1);
    NcfOptimizerConfig config;
    config.learningRate = 0.01;
    config.l2Embedding = 0.1;
    NcfOptimizer opt;
    opt.reset(config, p);
    Eigen::MatrixXf table = Eigen::MatrixXf::Constant(2, 3, 0.5f);
    const Eigen::MatrixXf start = table;
    const std::vector<std::uint32_t> first{0, 2}, second{2};
    Eigen::MatrixXf g1(2, 2), g2(2, 1);
    g1 << 0.3f, -0.2f, 0.1f, 0.4f;
    g2 << -0.5f, 0.2f;
    opt.stepColumns(table, opt.itemState(), first, g1);
    opt.stepColumns(table, opt.itemState(), second, g2);
    auto reference = [&](double theta, const std::vector<double>& grads) {
        double m = 0, v = 0;
        for (std::size_t t = 1; t <= grads.size(); ++t) {
            const double g = grads[t - 1] + config.l2Embedding * theta;
            m = 0.9 * m + 0.1 * g;
            v = 0.999 * v + 0.001 * g * g;
            const double mhat = m / (1 - std::pow(0.9, t)), vhat = v / (1 - std::pow(0.999, t));
            theta -= config.learningRate * mhat / (std::sqrt(vhat) + config.epsilon);
        }
        return theta;
    };
    for (int r = 0; r < 2; ++r) {
        QVERIFY(std::abs(table(r, 0) - reference(0.5, {g1(r, 0)})) < 1e-6);
        QVERIFY(std::abs(table(r, 2) - reference(0.5, {g1(r, 1), g2(r, 0)})) < 1e-6);
        QCOMPARE(table(r, 1), start(r, 1));
    }
    QCOMPARE(opt.itemState().steps[0], 1);
    QCOMPARE(opt.itemState().steps[1], 0);
    QCOMPARE(opt.itemState().steps[2], 2);
    QCOMPARE(opt.itemState().first(0, 1), 0.0f);
}

// The other two flavours of the embedding Adam (NcfEmbeddingAdam). GlobalSteps: one step count
// per table for the bias correction, untouched columns keep their moments (PyTorch's
// SparseAdam). Dense: a column untouched for k steps is caught up as dense Adam with zero
// gradients would have moved and decayed it.
void TestNcf::sparseAndDenseEmbeddingAdamFollowTheFormula() {
    NcfShape shape;
    shape.architecture = NcfArchitecture::Gmf;
    shape.factors = 2;
    NcfParameters<float> p;
    p.initialise(shape, 1, 2, 1);
    NcfOptimizerConfig config;
    config.learningRate = 0.01;
    // Dense Adam with zero gradients over `schedule` (NaN = column untouched that step).
    auto denseReference = [&](double theta, const std::vector<double>& schedule) {
        double m = 0, v = 0;
        for (std::size_t t = 1; t <= schedule.size(); ++t) {
            const double g = std::isnan(schedule[t - 1]) ? 0.0 : schedule[t - 1];
            m = 0.9 * m + 0.1 * g;
            v = 0.999 * v + 0.001 * g * g;
            const double mhat = m / (1 - std::pow(0.9, t)), vhat = v / (1 - std::pow(0.999, t));
            if (v > 0) theta -= config.learningRate * mhat / (std::sqrt(vhat) + config.epsilon);
        }
        return theta;
    };
    // Sparse Adam: moments only change when touched, bias correction with the table step.
    auto sparseReference = [&](double theta, const std::vector<double>& schedule) {
        double m = 0, v = 0;
        for (std::size_t t = 1; t <= schedule.size(); ++t) {
            if (std::isnan(schedule[t - 1])) continue;
            const double g = schedule[t - 1];
            m = 0.9 * m + 0.1 * g;
            v = 0.999 * v + 0.001 * g * g;
            const double mhat = m / (1 - std::pow(0.9, t)), vhat = v / (1 - std::pow(0.999, t));
            theta -= config.learningRate * mhat / (std::sqrt(vhat) + config.epsilon);
        }
        return theta;
    };
    const double skip = std::nan("");
    // Column 1 is the clock (touched every step); column 0 at steps 2001 and 2007 only.
    std::vector<double> schedule(2000, skip);
    schedule.push_back(0.3);
    for (int k = 0; k < 5; ++k) schedule.push_back(skip);
    schedule.push_back(-0.2);
    for (NcfEmbeddingAdam flavour : {NcfEmbeddingAdam::GlobalSteps, NcfEmbeddingAdam::Dense}) {
        config.embeddingAdam = flavour;
        NcfOptimizer opt;
        opt.reset(config, p);
        Eigen::MatrixXf table = Eigen::MatrixXf::Constant(2, 2, 0.5f);
        const std::vector<std::uint32_t> clock{1}, both{0, 1};
        Eigen::MatrixXf gClock = Eigen::MatrixXf::Constant(2, 1, 0.01f), gBoth(2, 2);
        for (double g : schedule) {
            if (std::isnan(g)) {
                opt.stepColumns(table, opt.itemState(), clock, gClock);
            } else {
                gBoth.col(0).setConstant(static_cast<float>(g));
                gBoth.col(1) = gClock.col(0);
                opt.stepColumns(table, opt.itemState(), both, gBoth);
            }
        }
        QCOMPARE(opt.itemState().tableSteps, static_cast<std::int64_t>(schedule.size()));
        const double expected = flavour == NcfEmbeddingAdam::Dense ? denseReference(0.5, schedule)
                                                                   : sparseReference(0.5, schedule);
        const double other = flavour == NcfEmbeddingAdam::Dense ? sparseReference(0.5, schedule)
                                                                : denseReference(0.5, schedule);
        const double moved = std::abs(expected - 0.5);
        qInfo("%s: %.7f expected %.7f (the other flavour %.7f)", ncfEmbeddingAdamName(flavour),
              table(0, 0), expected, other);
        QVERIFY(moved > 1e-3);
        // Dense neglects eps and the drift of the bias correction over the gap: 0.1% of the move.
        QVERIFY(std::abs(table(0, 0) - expected) < 1e-3 * moved + 1e-6);
        QVERIFY(std::abs(table(0, 0) - other) > 0.05 * moved);  // the flavours do differ
        QCOMPARE(table(1, 0), table(0, 0));
    }
}

void TestNcf::binaryCrossEntropyIsStableAtExtremeLogits() {
    NcfBatchWork<float> w;
    w.logits.resize(4);
    w.logits << 80.0f, -80.0f, 80.0f, -80.0f;
    const std::vector<float> targets{1, 0, 0, 1};
    const double loss = NcfNetwork<float>::loss(NcfObjective::Implicit, w, targets, 4.0);
    QVERIFY(std::isfinite(loss));
    QVERIFY(std::abs(loss - 160.0) < 1e-3);  // two right (~0) and two wrong by 80 each
    QVERIFY(w.logitGradients.allFinite());
    QVERIFY(std::abs(w.logitGradients[2] - 0.25f) < 1e-6f);
    QVERIFY(std::abs(w.logitGradients[3] + 0.25f) < 1e-6f);
    QVERIFY(std::abs(w.logitGradients[0]) < 1e-6f);
}

// The parallel step at small batches (2 threads, chunks and table updates side by side) gives
// the same model, bit for bit, as one thread.
void TestNcf::parallelSmallBatchesMatchOneThread_data() {
    QTest::addColumn<int>("batch");
    QTest::newRow("256") << 256;
    QTest::newRow("1024") << 1024;
    QTest::newRow("300 (partial chunk)") << 300;
}

void TestNcf::parallelSmallBatchesMatchOneThread() {
    QFETCH(int, batch);
    const TrainData data = separableData(200, 150);
    NcfConfig c = smallConfig(NcfArchitecture::NeuMf, NcfObjective::Implicit);
    c.batchSize = batch;
    c.epochs = 2;
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
        return p;
    };
    const auto serial = train(1, 0), parallel = train(2, batch);
    QVERIFY(sameParameters(serial, parallel));
    QVERIFY(serial.userEmbedding.allFinite());
}

void TestNcf::separableProblemIsLearned_data() {
    QTest::addColumn<NcfArchitecture>("architecture");
    QTest::addColumn<QString>("optimizer");
    QTest::newRow("gmf-adam") << NcfArchitecture::Gmf << "adam";
    QTest::newRow("mlp-adam") << NcfArchitecture::Mlp << "adam";
    QTest::newRow("neumf-adam") << NcfArchitecture::NeuMf << "adam";
    QTest::newRow("neumf-sgd") << NcfArchitecture::NeuMf << "sgd";
}

void TestNcf::separableProblemIsLearned() {
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

void TestNcf::sameSeedSameModelWhateverThreads() {
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

void TestNcf::explicitLossDecreases() {
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

void TestNcf::invalidShapesAreRejected() {
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
void TestNcf::neuMfImplicitOnMlLatestSmall_data() {
    QTest::addColumn<int>("seed");
    for (int seed : {42, 1, 2}) QTest::newRow(qPrintable(QString("seed %1").arg(seed))) << seed;
}

void TestNcf::neuMfImplicitOnMlLatestSmall() {
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
void TestNcf::neuMfExplicitOnMlLatestSmall() {
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

QTEST_GUILESS_MAIN(TestNcf)
#include "tst_ncf.moc"
