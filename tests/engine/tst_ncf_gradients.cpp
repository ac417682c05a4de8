// The NCF networks' passes (engine/ncf/NcfNetwork): finite-difference gradient checks of every
// layer and both losses (float64), the float pass against the double one, a trainer step over
// chunks against one pass over the whole batch, and binary cross-entropy at extreme logits.
#include <QtTest>

#include <algorithm>
#include <cmath>

#include "NcfFixtures.h"
#include "ncf/NcfNetwork.h"
#include "ncf/NcfTrainer.h"
#include "util/Random.h"

using namespace lens;
using lens::test::separableData;
using lens::test::smallConfig;

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

}  // namespace

class TestNcfGradients : public QObject {
    Q_OBJECT

private slots:
    void gradientsMatchFiniteDifferences_data();
    void gradientsMatchFiniteDifferences();
    void floatPassAgreesWithDouble();
    void chunkedStepMatchesOneWholeBatchPass();
    void binaryCrossEntropyIsStableAtExtremeLogits();
};

void TestNcfGradients::gradientsMatchFiniteDifferences_data() {
    QTest::addColumn<NcfArchitecture>("architecture");
    QTest::addColumn<NcfObjective>("objective");
    for (auto a : {NcfArchitecture::Gmf, NcfArchitecture::Mlp, NcfArchitecture::NeuMf})
        for (auto o : {NcfObjective::Implicit, NcfObjective::Explicit})
            QTest::newRow(qPrintable(
                QStringLiteral("%1-%2").arg(ncfArchitectureName(a), ncfObjectiveName(o))))
                << a << o;
}

void TestNcfGradients::gradientsMatchFiniteDifferences() {
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

void TestNcfGradients::floatPassAgreesWithDouble() {
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

// A step of the trainer (chunks of 128, per-column accumulation, SGD) equals the plain SGD
// step computed in float64 from one pass over the whole batch.
void TestNcfGradients::chunkedStepMatchesOneWholeBatchPass() {
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

void TestNcfGradients::binaryCrossEntropyIsStableAtExtremeLogits() {
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

QTEST_GUILESS_MAIN(TestNcfGradients)
#include "tst_ncf_gradients.moc"
