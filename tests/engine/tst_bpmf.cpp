// Bayesian probabilistic matrix factorisation (BpmfModel, BpmfSampler): the samplers against
// independent references (Gamma and Wishart moments; the Normal-Wishart posterior and one
// row's conditional recomputed from the formulas in double with loops and our own
// elimination; the empirical mean and covariance of many row draws against that conditional),
// the stored samples averaged into the prediction, determinism across thread counts, the model
// file, fold-in and its exact explanations, stops, the memory estimate, and the accuracy on
// ml-latest-small against ALS.
#include <omp.h>
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>

#include "AlsTestSupport.h"
#include "TestData.h"
#include "eval/ModelEvaluation.h"
#include "io/DatasetLoader.h"
#include "models/BpmfModel.h"
#include "models/MemoryEstimate.h"
#include "models/ModelFile.h"
#include "models/RecommenderFactory.h"

using namespace lens;
using lens::test::allScores;

namespace {

using Dense = std::vector<std::vector<double>>;

// Inverse by Gauss-Jordan elimination with partial pivoting (no Eigen).
Dense inverse(Dense a) {
    const std::size_t n = a.size();
    Dense inv(n, std::vector<double>(n, 0.0));
    for (std::size_t i = 0; i < n; ++i) inv[i][i] = 1.0;
    for (std::size_t c = 0; c < n; ++c) {
        std::size_t p = c;
        for (std::size_t r = c + 1; r < n; ++r)
            if (std::fabs(a[r][c]) > std::fabs(a[p][c])) p = r;
        std::swap(a[c], a[p]);
        std::swap(inv[c], inv[p]);
        const double d = a[c][c];
        for (std::size_t j = 0; j < n; ++j) {
            a[c][j] /= d;
            inv[c][j] /= d;
        }
        for (std::size_t r = 0; r < n; ++r) {
            if (r == c) continue;
            const double f = a[r][c];
            for (std::size_t j = 0; j < n; ++j) {
                a[r][j] -= f * a[c][j];
                inv[r][j] -= f * inv[c][j];
            }
        }
    }
    return inv;
}

std::vector<double> times(const Dense& m, const std::vector<double>& v) {
    std::vector<double> out(m.size(), 0.0);
    for (std::size_t i = 0; i < m.size(); ++i)
        for (std::size_t j = 0; j < v.size(); ++j) out[i] += m[i][j] * v[j];
    return out;
}

// A fixed symmetric positive definite k x k matrix and a mean.
GaussianHyper someHyper(int k) {
    GaussianHyper h;
    h.mean.resize(k);
    h.precision.resize(k, k);
    for (int i = 0; i < k; ++i) {
        h.mean[i] = 0.1f * static_cast<float>(i) - 0.15f;
        for (int j = 0; j < k; ++j)
            h.precision(i, j) = (i == j ? 1.5f : 0.0f) + 0.2f / static_cast<float>(1 + i + j);
    }
    return h;
}

// The conditional of one row from the formulas: precision and mean in double.
struct RowReference {
    Dense precision;
    std::vector<double> mean;
};
// With biases the other side's last column is b_j: features [q_j, 1], targets r - mu - b_j.
RowReference rowReference(const std::vector<std::uint32_t>& items,
                          const std::vector<float>& ratings, const FactorMatrix& other,
                          double alpha, double mu, const GaussianHyper& h, bool biases = false) {
    const auto k = static_cast<std::size_t>(other.cols());
    RowReference ref;
    ref.precision.assign(k, std::vector<double>(k, 0.0));
    std::vector<double> rhs(k, 0.0);
    for (std::size_t a = 0; a < k; ++a) {
        for (std::size_t b = 0; b < k; ++b) {
            ref.precision[a][b] =
                h.precision(static_cast<Eigen::Index>(a), static_cast<Eigen::Index>(b));
            rhs[a] += ref.precision[a][b] * h.mean[static_cast<Eigen::Index>(b)];
        }
    }
    for (std::size_t j = 0; j < items.size(); ++j) {
        std::vector<double> z(k);
        for (std::size_t a = 0; a < k; ++a) z[a] = other(items[j], static_cast<Eigen::Index>(a));
        double t = ratings[j] - mu;
        if (biases) {
            t -= z[k - 1];
            z[k - 1] = 1.0;
        }
        for (std::size_t a = 0; a < k; ++a) {
            rhs[a] += alpha * z[a] * t;
            for (std::size_t b = 0; b < k; ++b) ref.precision[a][b] += alpha * z[a] * z[b];
        }
    }
    ref.mean = times(inverse(ref.precision), rhs);
    return ref;
}

FactorMatrix randomFactors(Eigen::Index rows, Eigen::Index k, std::uint64_t seed) {
    FactorMatrix m(rows, k);
    initFactors(m, 0.7f, seed, 0);
    return m;
}

std::unique_ptr<BpmfModel> makeBpmf(int k, int sweeps, int burnIn, std::uint64_t seed = 42,
                                    bool biases = false) {
    auto m = std::make_unique<BpmfModel>();
    m->setHyperparameter("biases", biases ? "on" : "off");
    m->setHyperparameter("alpha", "2");
    m->setHyperparameter("k", std::to_string(k));
    m->setHyperparameter("sweeps", std::to_string(sweeps));
    m->setHyperparameter("burn_in", std::to_string(burnIn));
    m->setHyperparameter("seed", std::to_string(seed));
    return m;
}

}  // namespace

class TestBpmf : public QObject {
    Q_OBJECT

private slots:
    void gammaMoments_data() {
        QTest::addColumn<double>("shape");
        QTest::newRow("0.6 (boosted)") << 0.6;
        QTest::newRow("1") << 1.0;
        QTest::newRow("7.5") << 7.5;
    }
    // Gamma(a, 1): mean a, variance a.
    void gammaMoments() {
        QFETCH(double, shape);
        Pcg32 rng(deriveSeed(7, 1));
        const int n = 40000;
        double s = 0, q = 0;
        for (int i = 0; i < n; ++i) {
            const double g = sampleGamma(shape, rng);
            QVERIFY(g > 0);
            s += g;
            q += g * g;
        }
        const double mean = s / n, var = q / n - mean * mean;
        QVERIFY2(std::fabs(mean - shape) < 5 * std::sqrt(shape / n),
                 qPrintable(QString::number(mean)));
        QVERIFY2(std::fabs(var - shape) < 0.06 * shape, qPrintable(QString::number(var)));
    }

    // W(S, nu): E W = nu S, Var W_ij = nu (S_ij^2 + S_ii S_jj).
    void wishartMoments() {
        Eigen::MatrixXd scale(3, 3);
        scale << 0.5, 0.1, -0.05, 0.1, 0.3, 0.02, -0.05, 0.02, 0.8;
        const double dof = 5.0;
        Pcg32 rng(deriveSeed(11, 2));
        const int n = 20000;
        Eigen::MatrixXd sum = Eigen::MatrixXd::Zero(3, 3), sq = Eigen::MatrixXd::Zero(3, 3);
        for (int i = 0; i < n; ++i) {
            const Eigen::MatrixXd w = sampleWishart(scale, dof, rng);
            QVERIFY((w - w.transpose()).norm() < 1e-12);
            sum += w;
            sq += w.cwiseProduct(w);
        }
        for (int i = 0; i < 3; ++i) {
            for (int j = 0; j < 3; ++j) {
                const double var = dof * (scale(i, j) * scale(i, j) + scale(i, i) * scale(j, j));
                const double mean = sum(i, j) / n;
                QVERIFY2(std::fabs(mean - dof * scale(i, j)) < 5 * std::sqrt(var / n),
                         qPrintable(QString("%1 %2: %3").arg(i).arg(j).arg(mean)));
                const double empiricalVar = sq(i, j) / n - mean * mean;
                QVERIFY2(
                    std::fabs(empiricalVar - var) < 0.1 * var,
                    qPrintable(
                        QString("%1 %2: var %3 vs %4").arg(i).arg(j).arg(empiricalVar).arg(var)));
            }
        }
    }

    // The posterior's parameters from the formulas, rows without ratings left out.
    void normalWishartPosteriorFromTheFormulas() {
        const int k = 3;
        const FactorMatrix f = randomFactors(9, k, 5);
        // Rows 2 and 6 have no ratings.
        std::vector<RatingTriplet> train;
        for (std::uint32_t r = 0; r < 9; ++r)
            if (r != 2 && r != 6) train.push_back({r, r % 4, 3.0f});
        const TrainData data = TrainData::fromTriplets(9, 4, train, {});
        NormalWishartPrior prior;
        prior.beta0 = 2.0;
        const NormalWishartPosterior post = normalWishartPosterior(f, data.byUser, prior);
        const double n = 7, beta0 = 2;
        std::vector<double> mean(k, 0.0);
        for (int r = 0; r < 9; ++r)
            if (r != 2 && r != 6)
                for (int a = 0; a < k; ++a) mean[a] += f(r, a) / n;
        Dense winv(k, std::vector<double>(k, 0.0));
        for (int a = 0; a < k; ++a) {
            winv[a][a] = 1.0;
            for (int b = 0; b < k; ++b) {
                for (int r = 0; r < 9; ++r)
                    if (r != 2 && r != 6) winv[a][b] += (f(r, a) - mean[a]) * (f(r, b) - mean[b]);
                winv[a][b] += beta0 * n / (beta0 + n) * mean[a] * mean[b];
            }
        }
        const Dense w = inverse(winv);
        QCOMPARE(post.rows, std::size_t(7));
        QCOMPARE(post.beta, beta0 + n);
        QCOMPARE(post.dof, k + n);
        for (int a = 0; a < k; ++a) {
            QVERIFY(std::fabs(post.mean[a] - n * mean[a] / (beta0 + n)) < 1e-6);
            for (int b = 0; b < k; ++b) QVERIFY(std::fabs(post.scale(a, b) - w[a][b]) < 1e-6);
        }
    }

    // One row's conditional against the formulas, and many draws of it (each its own stream)
    // against that mean and covariance.
    void rowDrawsFollowTheConditional_data() {
        QTest::addColumn<bool>("biases");
        QTest::newRow("no biases") << false;
        QTest::newRow("biases") << true;
    }
    void rowDrawsFollowTheConditional() {
        QFETCH(bool, biases);
        const int k = 4;
        const FactorMatrix other = randomFactors(12, k, 9);
        const std::vector<std::uint32_t> items = {1, 3, 4, 8, 11};
        const std::vector<float> ratings = {4.0f, 2.5f, 5.0f, 3.0f, 1.0f};
        const GaussianHyper hyper = someHyper(k);
        const float alpha = 2.0f, mu = 3.2f;
        const RowReference ref = rowReference(items, ratings, other, alpha, mu, hyper, biases);
        Eigen::MatrixXf precision;
        Eigen::VectorXf mean;
        rowConditional(items, ratings, other, alpha, mu, hyper, biases, precision, mean);
        for (int a = 0; a < k; ++a) {
            QVERIFY(std::fabs(mean[a] - ref.mean[a]) < 1e-5);
            for (int b = 0; b < k; ++b)
                QVERIFY(std::fabs(precision(a, b) - ref.precision[a][b]) < 1e-4);
        }

        // Draws: one user row of a 1-user matrix, stream seed varied.
        std::vector<RatingTriplet> train;
        for (std::size_t j = 0; j < items.size(); ++j) train.push_back({0, items[j], ratings[j]});
        const TrainData data = TrainData::fromTriplets(1, 12, train, {});
        const Dense cov = inverse(ref.precision);
        const int n = 20000;
        std::vector<double> s(k, 0.0);
        Dense q(k, std::vector<double>(k, 0.0));
        FactorMatrix row(1, k);
        for (int d = 0; d < n; ++d) {
            sampleSide(data.byUser, other, alpha, mu, hyper, biases, deriveSeed(3, d), row);
            for (int a = 0; a < k; ++a) {
                s[a] += row(0, a);
                for (int b = 0; b < k; ++b)
                    q[a][b] += (row(0, a) - ref.mean[a]) * (row(0, b) - ref.mean[b]);
            }
        }
        for (int a = 0; a < k; ++a) {
            QVERIFY2(
                std::fabs(s[a] / n - ref.mean[a]) < 5 * std::sqrt(cov[a][a] / n),
                qPrintable(QString("mean %1: %2 vs %3").arg(a).arg(s[a] / n).arg(ref.mean[a])));
            for (int b = 0; b < k; ++b) {
                const double tol =
                    5 * std::sqrt((cov[a][a] * cov[b][b] + cov[a][b] * cov[a][b]) / n);
                QVERIFY2(std::fabs(q[a][b] / n - cov[a][b]) < tol,
                         qPrintable(QString("cov %1 %2: %3 vs %4")
                                        .arg(a)
                                        .arg(b)
                                        .arg(q[a][b] / n)
                                        .arg(cov[a][b])));
            }
        }
    }

    // Sweeps after the burn-in are the samples; the prediction is their average.
    // The row system at widths where the fused Gram kernel uses its tiles of two column
    // blocks, a single last block and padding (features 9..33, stride 16..40), against the
    // formulas in double.
    void rowSystemAtWiderK_data() {
        QTest::addColumn<int>("k");
        QTest::addColumn<bool>("biases");
        for (int k : {9, 17, 24, 33}) {
            QTest::addRow("k %d", k) << k << false;
            QTest::addRow("k %d biases", k) << k << true;
        }
    }
    void rowSystemAtWiderK() {
        QFETCH(int, k);
        QFETCH(bool, biases);
        const FactorMatrix other = randomFactors(70, k, 11);
        std::vector<std::uint32_t> items;
        std::vector<float> ratings;
        for (std::uint32_t j = 1; j < 70; j += 2) {
            items.push_back(j);
            ratings.push_back(0.5f + 0.5f * static_cast<float>(j % 10));
        }
        const GaussianHyper hyper = someHyper(k);
        const RowReference ref = rowReference(items, ratings, other, 1.5, 3.4, hyper, biases);
        Eigen::MatrixXf precision;
        Eigen::VectorXf mean;
        rowConditional(items, ratings, other, 1.5f, 3.4f, hyper, biases, precision, mean);
        for (int a = 0; a < k; ++a) {
            QVERIFY2(std::fabs(mean[a] - ref.mean[a]) < 1e-4,
                     qPrintable(QString("mean %1: %2 vs %3").arg(a).arg(mean[a]).arg(ref.mean[a])));
            for (int b = 0; b < k; ++b)
                QVERIFY2(std::fabs(precision(a, b) - ref.precision[a][b]) <
                             1e-5 * (1 + std::fabs(ref.precision[a][b])),
                         qPrintable(QString("precision %1 %2: %3 vs %4")
                                        .arg(a)
                                        .arg(b)
                                        .arg(precision(a, b))
                                        .arg(ref.precision[a][b])));
        }
    }

    void predictionIsTheAverageOfTheSamples_data() { rowDrawsFollowTheConditional_data(); }
    void predictionIsTheAverageOfTheSamples() {
        QFETCH(bool, biases);
        const TrainData data = test::plantedTrainData();
        auto model = makeBpmf(5, 7, 3, 42, biases);
        QCOMPARE(model->fit(data), FitStatus::Completed);
        QCOMPARE(model->history().size(), std::size_t(7));
        const auto& samples = model->samples();
        QCOMPARE(samples.size(), std::size_t(4));
        QVERIFY(samples[0].users != samples[1].users);
        for (std::uint32_t u = 0; u < data.userCount(); u += 13) {
            for (std::uint32_t i = 0; i < data.itemCount(); i += 7) {
                double sum = 0;
                for (const auto& s : samples) {
                    QCOMPARE(s.users.cols(), Eigen::Index(biases ? 6 : 5));
                    for (int c = 0; c < 5; ++c) sum += double(s.users(u, c)) * s.items(i, c);
                    if (biases) sum += double(s.users(u, 5)) + s.items(i, 5);
                }
                const double expected = data.globalMean + sum / 4.0;
                QVERIFY(std::fabs(model->predictRaw(u, i) - expected) < 1e-4);
            }
        }
        std::vector<float> row(data.itemCount());
        model->scoreAll(3, row);
        for (std::uint32_t i = 0; i < data.itemCount(); ++i)
            QVERIFY(std::fabs(row[i] - model->predictRaw(3, i)) < 1e-4);
        // The train RMSE reported is that of the averaged, clipped prediction.
        double sse = 0;
        for (std::uint32_t u = 0; u < data.userCount(); ++u) {
            const auto idx = data.byUser.rowIndex(u);
            const auto val = data.byUser.rowValues(u);
            for (std::size_t j = 0; j < idx.size(); ++j) {
                const double e = val[j] - model->predict(u, idx[j]);
                sse += e * e;
            }
        }
        QVERIFY(std::fabs(model->history().back().trainRmse - std::sqrt(sse / data.trainCount())) <
                1e-4);
        // Burn-in at or above the sweeps: the last draw is the one sample.
        auto burnt = makeBpmf(5, 3, 5);
        burnt->fit(data);
        QCOMPARE(burnt->samples().size(), std::size_t(1));
    }

    void sameSeedSameModelAnyThreadCount() {
        const TrainData data = test::plantedTrainData();
        const int before = omp_get_max_threads();
        omp_set_num_threads(1);
        auto one = makeBpmf(6, 6, 2);
        one->fit(data);
        omp_set_num_threads(2);
        auto two = makeBpmf(6, 6, 2);
        two->fit(data);
        omp_set_num_threads(before);
        QVERIFY(allScores(*one) == allScores(*two));
        QCOMPARE(one->samples().size(), two->samples().size());
        for (std::size_t s = 0; s < one->samples().size(); ++s) {
            QVERIFY(one->samples()[s].users == two->samples()[s].users);
            QVERIFY(one->samples()[s].items == two->samples()[s].items);
        }
        auto other = makeBpmf(6, 6, 2, 7);
        other->fit(data);
        QVERIFY(allScores(*other) != allScores(*one));
    }

    void roundTripThroughTheModelFile() {
        const TrainData data = test::plantedTrainData();
        auto model = makeBpmf(4, 5, 1);
        model->setHyperparameter("alpha", "1.5");
        model->fit(data);
        QTemporaryDir dir;
        const std::string file = dir.filePath("bpmf.lmodel").toStdString();
        saveModel(*model, file);
        const auto loaded = loadModel(file);
        QCOMPARE(loaded->kind(), std::string("bpmf"));
        QCOMPARE(loaded->hyperparameter("alpha"), std::string("1.5"));
        const auto& b = dynamic_cast<const BpmfModel&>(*loaded);
        QCOMPARE(b.samples().size(), std::size_t(4));
        QVERIFY(allScores(*loaded) == allScores(*model));
        const std::vector<FoldInRating> persona = {{2, 5.0f}, {9, 1.0f}, {17, 4.0f}};
        QCOMPARE(loaded->foldIn(persona).factors, model->foldIn(persona).factors);
    }

    // Fold-in: per sample the conditional mean (against an independent recomputation), scores
    // the average over samples, and explanations that add up to the score less the prior's part.
    void foldInAndExplanations_data() { rowDrawsFollowTheConditional_data(); }
    void foldInAndExplanations() {
        QFETCH(bool, biases);
        const int d = biases ? 6 : 5;
        const TrainData data = test::plantedTrainData();
        auto model = makeBpmf(5, 6, 3, 42, biases);
        model->fit(data);
        const std::uint32_t user = 10;
        std::vector<FoldInRating> persona;
        std::vector<std::uint32_t> items;
        std::vector<float> ratings;
        for (std::size_t j = 0; j < data.byUser.rowSize(user); ++j) {
            persona.push_back({data.byUser.rowIndex(user)[j], data.byUser.rowValues(user)[j]});
            items.push_back(persona.back().item);
            ratings.push_back(persona.back().rating);
        }
        persona.push_back({100000, 5.0f});  // out of range: dropped
        const FoldedUser f = model->foldIn(persona);
        QCOMPARE(f.ratings.size(), items.size());
        const auto& samples = model->samples();
        const double mu = model->globalMean(), alpha = 2.0;
        std::vector<float> scores(data.itemCount());
        model->scoreAll(f, scores);
        for (std::uint32_t i = 0; i < data.itemCount(); i += 9) {
            double score = 0, prior = 0;
            for (std::size_t s = 0; s < samples.size(); ++s) {
                const auto& smp = samples[s];
                const RowReference ref =
                    rowReference(items, ratings, smp.items, alpha, mu, smp.userHyper, biases);
                for (int c = 0; c < d; ++c)
                    QVERIFY(std::fabs(f.factors[Eigen::Index(s * d + c)] - ref.mean[c]) < 1e-4);
                // The prior's share: z_i . A^-1 Lambda mu, z_i = V_i or [q_i, 1].
                std::vector<double> lm(d, 0.0);
                for (int a = 0; a < d; ++a)
                    for (int b = 0; b < d; ++b)
                        lm[a] += smp.userHyper.precision(a, b) * smp.userHyper.mean[b];
                const std::vector<double> pm = times(inverse(ref.precision), lm);
                for (int c = 0; c < d; ++c) {
                    const double z = biases && c == 5 ? 1.0 : smp.items(i, c);
                    score += z * ref.mean[c] / samples.size();
                    prior += z * pm[c] / samples.size();
                }
                if (biases) score += smp.items(i, 5) / samples.size();  // b_i: not explained
                if (biases) prior += smp.items(i, 5) / samples.size();
            }
            QVERIFY(std::fabs(scores[i] - (mu + score)) < 1e-4);
            const std::vector<float> parts = model->explain(f, i);
            QCOMPARE(parts.size(), items.size());
            double total = 0;
            for (float p : parts) total += p;
            QVERIFY2(std::fabs(total - (score - prior)) < 1e-4,
                     qPrintable(QString("%1 vs %2").arg(total).arg(score - prior)));
        }
        // The persona folded from a trained user's ratings scores like that user.
        std::vector<float> trained(data.itemCount());
        model->scoreAll(user, trained);
        double sxy = 0, sxx = 0, syy = 0, mx = 0, my = 0;
        const double n = double(data.itemCount());
        for (std::size_t i = 0; i < trained.size(); ++i) {
            mx += trained[i] / n;
            my += scores[i] / n;
        }
        for (std::size_t i = 0; i < trained.size(); ++i) {
            sxy += (trained[i] - mx) * (scores[i] - my);
            sxx += (trained[i] - mx) * (trained[i] - mx);
            syy += (scores[i] - my) * (scores[i] - my);
        }
        QVERIFY2(sxy / std::sqrt(sxx * syy) > 0.9,
                 qPrintable(QString::number(sxy / std::sqrt(sxx * syy))));
    }

    // A cancel raised during a sweep's report stops before the next sweep; a stop before the
    // first sweep leaves the starting draw as a usable model.
    void stopsWithinOneSweep() {
        const TrainData data = test::plantedTrainData();
        auto model = makeBpmf(5, 20, 2);
        std::atomic<bool> cancel{false};
        FitControl control;
        control.cancelFlag = &cancel;
        control.observer = [&](const TrainingSnapshot& s) {
            if (s.iteration == 4) cancel = true;
            return true;
        };
        QCOMPARE(model->fit(data, control), FitStatus::Stopped);
        QCOMPARE(model->history().size(), std::size_t(4));
        QCOMPARE(model->samples().size(), std::size_t(2));
        for (float s : allScores(*model)) QVERIFY(std::isfinite(s));

        auto early = makeBpmf(5, 20, 2);
        std::stop_source source;
        source.request_stop();
        FitControl stopNow;
        stopNow.stopToken = source.get_token();
        QCOMPARE(early->fit(data, stopNow), FitStatus::Stopped);
        QVERIFY(early->history().empty());
        QCOMPARE(early->samples().size(), std::size_t(1));
        for (float s : allScores(*early)) QVERIFY(std::isfinite(s));
    }

    // The estimate holds at least the stored samples and grows with them.
    void memoryEstimateCoversTheSamples() {
        const TrainData data = test::plantedTrainData();
        auto model = makeBpmf(8, 12, 2);
        model->fit(data);
        TrainingShape shape;
        shape.users = data.userCount();
        shape.items = data.itemCount();
        shape.ratings = data.trainCount() + data.testCount();
        shape.testFraction = double(data.testCount()) / double(shape.ratings);
        shape.threads = 2;
        const MemoryEstimate e = estimateTrainingMemory(*model, shape);
        std::uint64_t held = 0;
        for (const auto& s : model->samples())
            held += std::uint64_t(s.users.size() + s.items.size()) * 4;
        QVERIFY2(e.parameterBytes >= held, qPrintable(QString::fromStdString(e.describe())));
        QVERIFY(e.parameterBytes < 3 * held);
        auto more = makeBpmf(8, 40, 2);
        QVERIFY(estimateTrainingMemory(*more, shape).total() > e.total() + 20 * held / 10);
    }

    // thin n keeps sweeps burn-in + n, + 2n, ...: the same draws as the unthinned chain (each
    // sweep has its own streams), fewer of them, and the estimate counts only those.
    void thinningKeepsEveryNthSweep() {
        const TrainData data = test::plantedTrainData();
        auto all = makeBpmf(5, 11, 2, 7, true);
        QCOMPARE(all->fit(data), FitStatus::Completed);
        QCOMPARE(all->samples().size(), std::size_t(9));  // sweeps 3..11
        auto thinned = makeBpmf(5, 11, 2, 7, true);
        thinned->setHyperparameter("thin", "3");
        QCOMPARE(thinned->fit(data), FitStatus::Completed);
        QCOMPARE(thinned->samples().size(), std::size_t(3));  // sweeps 5, 8, 11
        for (std::size_t i = 0; i < 3; ++i) {
            QVERIFY(thinned->samples()[i].users == all->samples()[3 * i + 2].users);
            QVERIFY(thinned->samples()[i].items == all->samples()[3 * i + 2].items);
        }
        // Every sweep's trace after the first kept sample is the average's (sweep 6 and 7
        // repeat sweep 5's one-sample average: its training RMSE).
        const auto& h = thinned->history();
        QCOMPARE(h.size(), std::size_t(11));
        QCOMPARE(h[5].trainRmse, h[4].trainRmse);
        QCOMPARE(h[6].trainRmse, h[4].trainRmse);
        QVERIFY(h[7].trainRmse != h[4].trainRmse);
        TrainingShape shape;
        shape.users = data.userCount();
        shape.items = data.itemCount();
        shape.ratings = data.trainCount();
        shape.threads = 1;
        const std::uint64_t held =
            3 * std::uint64_t(data.userCount() + data.itemCount()) * 6 * sizeof(float);
        const MemoryEstimate e = estimateTrainingMemory(*thinned, shape);
        QVERIFY2(e.parameterBytes >= held && e.parameterBytes < 2 * held,
                 qPrintable(QString::fromStdString(e.describe())));
        QVERIFY(estimateTrainingMemory(*all, shape).parameterBytes > 2 * e.parameterBytes);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, thinned->setHyperparameter("thin", "0"));
    }

    // Averaging samples beats the point estimate of ALS at its defaults on the same split.
    void beatsAlsOnMlLatestSmall() {
        LENS_REQUIRE_RELEASE(path, "ml-latest-small");
        LENS_RELEASE_STAGE_ONLY_ROW("an accuracy figure of the release");
        const Dataset dataset = loadDataset(path.toStdString());
        const TrainData data =
            TrainData::build(dataset, makeSplit(dataset, SplitSpec::parse("per-user:0.2")));
        auto bpmf = createRecommender("bpmf");
        auto als = createRecommender("als");
        QCOMPARE(bpmf->fit(data), FitStatus::Completed);
        als->fit(data);
        const double bpmfRmse = evaluateModel(*bpmf, data, false).testRmse;
        const double alsRmse = evaluateModel(*als, data, false).testRmse;
        qInfo("ml-latest-small per-user:0.2: bpmf test RMSE %.4f, als %.4f", bpmfRmse, alsRmse);
        QVERIFY2(bpmfRmse < alsRmse - 0.005, qPrintable(QString::number(bpmfRmse)));
    }
};

QTEST_GUILESS_MAIN(TestBpmf)
#include "tst_bpmf.moc"
