// The NCF optimisers (engine/ncf/NcfOptimizer, NcfTrainer::trainStep): a step touches only the
// embedding rows of its batch, lazy Adam's per-row bias correction (also through its table of
// factors, across the step where the table saturates and a change of step size), the sparse
// and dense embedding Adam variants against their formulas, and the epoch's shuffle (taken
// with look-ahead prefetching) against a plain Fisher-Yates.
#include <QtTest>

#include <algorithm>
#include <cmath>

#include "NcfFixtures.h"
#include "ncf/NcfNetwork.h"
#include "ncf/NcfOptimizer.h"
#include "ncf/NcfTrainer.h"
#include "util/Random.h"

using namespace lens;
using lens::test::separableData;
using lens::test::smallConfig;

class TestNcfOptimizer : public QObject {
    Q_OBJECT

private slots:
    void lazyStepTouchesOnlyBatchRows();
    void lazyAdamFollowsTheFormula();
    void sparseAndDenseEmbeddingAdamFollowTheFormula();
    void lazyAdamCorrectionTableFollowsTheFormula();
    void epochShuffleIsFisherYates();
    void implicitNegativesAreUniformUnratedDraws();
};

void TestNcfOptimizer::lazyStepTouchesOnlyBatchRows() {
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

// Lazy Adam: a column's bias correction uses its own step count, untouched columns keep
// their values and moments.
void TestNcfOptimizer::lazyAdamFollowsTheFormula() {
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
void TestNcfOptimizer::sparseAndDenseEmbeddingAdamFollowTheFormula() {
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

// Lazy Adam reads its per-row bias corrections from a table (rebuilt when the step size
// changes; past the step where 1 - b1^t and 1 - b2^t both round to 1, ~36,700 steps at
// b2 = 0.999, its last entry stands for every later step). Two columns touched at different
// rates for 45,000 steps with a change of step size half-way follow double-precision Adam with
// each column's own step count; the same reference with the corrections one step late does not.
void TestNcfOptimizer::lazyAdamCorrectionTableFollowsTheFormula() {
    NcfShape shape;
    shape.architecture = NcfArchitecture::Gmf;
    shape.factors = 1;
    NcfParameters<float> p;
    p.initialise(shape, 1, 2, 1);
    NcfOptimizerConfig config;
    config.learningRate = 0.002;
    const double lr2 = 0.0005;
    const int steps = 45000, change = 22000;
    NcfOptimizer opt;
    opt.reset(config, p);
    Eigen::MatrixXf table = Eigen::MatrixXf::Constant(1, 2, 0.5f);
    // Column 0 every step, column 1 every third; gradient of column c at table step s.
    auto gradient = [](int c, int s) { return 0.05 * std::sin(0.01 * s + c) + 0.02; };
    const std::vector<std::uint32_t> both{0, 1}, only{0};
    Eigen::MatrixXf g(1, 2);
    struct Reference {
        double theta = 0.5, m = 0, v = 0;
        int t = 0;
        void step(double grad, double lr, int lag) {
            ++t;
            m = 0.9 * m + 0.1 * grad;
            v = 0.999 * v + 0.001 * grad * grad;
            const int tc = std::max(1, t - lag);
            const double mhat = m / (1 - std::pow(0.9, tc)), vhat = v / (1 - std::pow(0.999, tc));
            theta -= lr * mhat / (std::sqrt(vhat) + 1e-8);
        }
    };
    Reference ref[2], late[2];
    double worst = 0, lateGap = 0;
    for (int s = 1; s <= steps; ++s) {
        if (s == change + 1) opt.setLearningRate(lr2);
        const double lr = s > change ? lr2 : config.learningRate;
        const bool touch1 = s % 3 == 0;
        g(0, 0) = static_cast<float>(gradient(0, s));
        g(0, 1) = static_cast<float>(gradient(1, s));
        opt.stepColumns(table, opt.itemState(), touch1 ? both : only, g);
        for (int c = 0; c <= (touch1 ? 1 : 0); ++c) {
            ref[c].step(g(0, c), lr, 0);
            late[c].step(g(0, c), lr, 1);
        }
        if (s <= 10 || s % 997 == 0 || s == steps) {
            for (int c = 0; c < 2; ++c) {
                const double scale = std::abs(ref[c].theta - 0.5) + 1e-3;
                worst = std::max(worst, std::abs(table(0, c) - ref[c].theta) / scale);
                lateGap = std::max(lateGap, std::abs(late[c].theta - ref[c].theta) / scale);
            }
        }
    }
    QCOMPARE(opt.itemState().steps[0], steps);
    QCOMPARE(opt.itemState().steps[1], steps / 3);
    qInfo("worst relative difference %.2e (corrections one step late: %.2e)", worst, lateGap);
    QVERIFY(worst < 1e-4);
    QVERIFY(lateGap > 100 * worst);
}

// The epoch's samples (explicit: every training rating in user order, target r - mu) are
// shuffled by Fisher-Yates with the epoch's stream; the trainer draws its swaps ahead to
// prefetch them. Same permutation as the plain loop, for sizes around the look-ahead.
void TestNcfOptimizer::epochShuffleIsFisherYates() {
    for (std::size_t users : {std::size_t{1}, std::size_t{2}, std::size_t{13}, std::size_t{60}}) {
        for (std::size_t items :
             {std::size_t{1}, std::size_t{2}, std::size_t{5}, std::size_t{40}}) {
            const TrainData data = separableData(users, items);
            NcfConfig c = smallConfig(NcfArchitecture::Gmf, NcfObjective::Explicit);
            c.seed = 7 + users;
            NcfParameters<float> p;
            NcfTrainer trainer(c, data, p);
            const int epoch = 3;
            const std::size_t n = trainer.buildEpochSamples(epoch);
            std::vector<std::uint32_t> u, i;
            std::vector<float> y;
            const auto& m = data.byUser;
            for (std::uint32_t r = 0; r < m.rows(); ++r)
                for (std::uint64_t e = m.offsets[r]; e < m.offsets[r + 1]; ++e) {
                    u.push_back(r);
                    i.push_back(m.index[e]);
                    y.push_back(m.values[e] - static_cast<float>(trainer.globalMean()));
                }
            QCOMPARE(n, u.size());
            Pcg32 rng(deriveSeed(deriveSeed(c.seed, 1000 + epoch), 0x100000000ULL));
            for (std::size_t k = n; k > 1; --k) {
                const std::size_t j = rng.below(static_cast<std::uint32_t>(k));
                std::swap(u[k - 1], u[j]);
                std::swap(i[k - 1], i[j]);
                std::swap(y[k - 1], y[j]);
            }
            QCOMPARE(trainer.sampleCount(), n);
            for (std::size_t k = 0; k < n; ++k) {
                const NcfTrainer::Sample s = trainer.sample(k);
                QCOMPARE(s.user, u[k]);
                QCOMPARE(s.item, i[k]);
                QCOMPARE(s.target, y[k]);
            }
        }
    }
}

// Implicit samples: after each positive, `negatives` movies the user did not rate, drawn by
// rejection from the user's stream deriveSeed(deriveSeed(seed, 1000 + epoch), u) (the trainer
// tests a bitmap of the row, this reference a binary search of it), label 0; a user who rated
// every movie gets the positive again with label 1. Then the same Fisher-Yates shuffle.
void TestNcfOptimizer::implicitNegativesAreUniformUnratedDraws() {
    for (std::size_t items : {std::size_t{2}, std::size_t{7}, std::size_t{130}}) {
        std::vector<RatingTriplet> triplets;
        Pcg32 pick(99 + items);
        const std::uint32_t users = 40;
        for (std::uint32_t u = 0; u < users; ++u)
            for (std::uint32_t i = 0; i < items; ++i)
                if (u == 0 || pick.uniform() < 0.3)  // user 0 rated every movie
                    triplets.push_back({u, i, 4.0f});
        const TrainData data = TrainData::fromTriplets(users, items, triplets, {});
        NcfConfig c = smallConfig(NcfArchitecture::Gmf, NcfObjective::Implicit);
        c.negatives = 3;
        c.seed = 5 + items;
        NcfParameters<float> p;
        NcfTrainer trainer(c, data, p);
        const int epoch = 2;
        const std::size_t n = trainer.buildEpochSamples(epoch);
        const std::uint64_t epochSeed = deriveSeed(c.seed, 1000 + epoch);
        std::vector<NcfTrainer::Sample> expected;
        const auto& m = data.byUser;
        const auto itemCount = static_cast<std::uint32_t>(items);
        for (std::uint32_t u = 0; u < m.rows(); ++u) {
            Pcg32 rng(deriveSeed(epochSeed, u));
            const auto row = m.rowIndex(u);
            for (std::uint32_t i : row) {
                expected.push_back({u, i, 1.0f});
                for (int k = 0; k < c.negatives; ++k) {
                    if (row.size() >= items) {
                        expected.push_back({u, i, 1.0f});
                        continue;
                    }
                    std::uint32_t j = 0;
                    do j = rng.below(itemCount);
                    while (std::binary_search(row.begin(), row.end(), j));
                    expected.push_back({u, j, 0.0f});
                }
            }
        }
        QCOMPARE(n, expected.size());
        Pcg32 rng(deriveSeed(epochSeed, 0x100000000ULL));
        for (std::size_t k = n; k > 1; --k)
            std::swap(expected[k - 1], expected[rng.below(static_cast<std::uint32_t>(k))]);
        QCOMPARE(trainer.sampleCount(), n);
        std::size_t negatives = 0;
        for (std::size_t k = 0; k < n; ++k) {
            const NcfTrainer::Sample s = trainer.sample(k);
            QCOMPARE(s.user, expected[k].user);
            QCOMPARE(s.item, expected[k].item);
            QCOMPARE(s.target, expected[k].target);
            negatives += s.target == 0.0f;
        }
        QVERIFY(negatives > 0);
    }
}

QTEST_GUILESS_MAIN(TestNcfOptimizer)
#include "tst_ncf_optimizer.moc"
