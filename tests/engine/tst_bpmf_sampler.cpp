// Bayesian probabilistic matrix factorisation, the sampling kernels (BpmfSampler) against
// independent references: Gamma and Wishart moments; the Normal-Wishart posterior and one row's
// conditional recomputed from the formulas in double with loops and our own elimination (also at
// the widths where the fused Gram kernel changes tiles); the empirical mean and covariance of
// many row draws against that conditional; the genre prior's conditional and draws.
#include <QtTest>
#include <cmath>

#include "BpmfTestSupport.h"
#include "models/BpmfSampler.h"
#include "models/TrainData.h"
#include "util/Random.h"

using namespace lens;
using namespace lens::test::bpmf;

class TestBpmfSampler : public QObject {
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
    // At k 13 and 33 the draw's Cholesky factor runs through several panels of four columns
    // and padded blocks of eight (BpmfSampler.cpp factorSystem, forwardSolve, backwardSolve).
    void rowDrawsFollowTheConditional_data() {
        QTest::addColumn<int>("k");
        QTest::addColumn<bool>("biases");
        for (int k : {4, 13, 33}) {
            QTest::addRow("k %d", k) << k << false;
            QTest::addRow("k %d biases", k) << k << true;
        }
    }
    void rowDrawsFollowTheConditional() {
        QFETCH(int, k);
        QFETCH(bool, biases);
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
        spacedRatings(1, 70, 2, items, ratings);
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

    // The AVX2 and AVX-512 kernels of Y^T Y give the same system to the last bit (each entry is
    // the same sequence of fused multiply-adds), so a seed draws the same chain on any x86-64-v3
    // processor; the AVX-512 half runs where the processor has it.
    void rowSystemSameOnBothKernels() {
        if (!gramKernelAvailable(GramKernel::Avx512))
            QSKIP("this processor has no AVX-512: only the AVX2 kernel can run here");
        for (int k : {9, 17, 24, 33, 41}) {
            const FactorMatrix other = randomFactors(300, k, 13);
            std::vector<std::uint32_t> items;
            std::vector<float> ratings;
            spacedRatings(0, 300, 3, items, ratings);
            const GaussianHyper hyper = someHyper(k);
            Eigen::MatrixXf p2, p512;
            Eigen::VectorXf m2, m512;
            pinGramKernel(GramKernel::Avx2);
            rowConditional(items, ratings, other, 1.5f, 3.4f, hyper, true, p2, m2);
            pinGramKernel(GramKernel::Avx512);
            rowConditional(items, ratings, other, 1.5f, 3.4f, hyper, true, p512, m512);
            pinGramKernel(GramKernel::Auto);
            QVERIFY2(p2 == p512 && m2 == m512, qPrintable(QString("k %1").arg(k)));
        }
    }

    // The genre prior: Theta's conditional from the formulas (P = Lambda (x) F^T F + tau I over
    // the rated movies), draws against it, and rows without ratings at their shifted mean.
    void genreWeightsFollowTheConditional() {
        const int k = 2, g = 3, movies = 9;
        const FactorMatrix v = randomFactors(movies, k, 21);
        Eigen::MatrixXf f = Eigen::MatrixXf::Zero(movies, g);
        for (int i = 0; i < movies; ++i) {
            f(i, i % g) = 0.5f;
            f(i, (i + 1) % g) += 0.5f;
        }
        f.row(4).setZero();  // a movie without genres
        std::vector<RatingTriplet> train;
        for (std::uint32_t i = 0; i < movies; ++i)
            if (i != 7) train.push_back({0, i, 4.0f});  // movie 7 has no ratings
        const TrainData data = TrainData::fromTriplets(1, movies, train, {});
        const GaussianHyper hyper = someHyper(k);
        const double tau = 0.7;
        const GenreWeightsConditional c = genreWeightsConditional(v, data.byItem, f, hyper, tau);
        const int d = g * k;
        Dense p(d, std::vector<double>(d, 0.0));
        std::vector<double> b(d, 0.0);
        for (int i = 0; i < movies; ++i) {
            if (i == 7) continue;
            for (int a = 0; a < k; ++a)
                for (int gi = 0; gi < g; ++gi) {
                    for (int bb = 0; bb < k; ++bb) {
                        for (int h = 0; h < g; ++h)
                            p[a * g + gi][bb * g + h] +=
                                double(f(i, gi)) * f(i, h) * hyper.precision(a, bb);
                        b[a * g + gi] += double(f(i, gi)) * hyper.precision(a, bb) *
                                         (double(v(i, bb)) - hyper.mean[bb]);
                    }
                }
        }
        for (int a = 0; a < d; ++a) p[a][a] += tau;
        const Dense cov = inverse(p);
        for (int a = 0; a < d; ++a) {
            double m = 0;
            for (int bb = 0; bb < d; ++bb) {
                m += cov[a][bb] * b[bb];
                QVERIFY(std::fabs(c.precision(a, bb) - p[a][bb]) < 1e-5);
            }
            QVERIFY2(std::fabs(c.mean[a] - m) < 1e-5,
                     qPrintable(QString("mean %1: %2 vs %3").arg(a).arg(c.mean[a]).arg(m)));
        }
        const int n = 20000;
        std::vector<double> sum(d, 0.0), sq(d, 0.0);
        for (int r = 0; r < n; ++r) {
            Pcg32 rng(deriveSeed(5, r));
            const Eigen::MatrixXf theta = sampleGenreWeights(c, g, rng);
            QCOMPARE(theta.rows(), Eigen::Index(g));
            for (int a = 0; a < k; ++a)
                for (int gi = 0; gi < g; ++gi) {
                    const double x = theta(gi, a) - c.mean[a * g + gi];
                    sum[a * g + gi] += x;
                    sq[a * g + gi] += x * x;
                }
        }
        for (int a = 0; a < d; ++a) {
            QVERIFY(std::fabs(sum[a] / n) < 5 * std::sqrt(cov[a][a] / n));
            QVERIFY2(std::fabs(sq[a] / n - cov[a][a]) < 5 * std::sqrt(2.0 / n) * cov[a][a],
                     qPrintable(QString("var %1: %2 vs %3").arg(a).arg(sq[a] / n).arg(cov[a][a])));
        }
        // sampleSide with a shift: a row without ratings takes mu + its shift.
        FactorMatrix shift = FactorMatrix::Constant(movies, k, 0.25f);
        FactorMatrix drawn(movies, k);
        const FactorMatrix users = randomFactors(1, k, 3);
        sampleSide(data.byItem, users, 2.0f, 3.0f, hyper, false, 9, drawn, &shift);
        for (int a = 0; a < k; ++a) QCOMPARE(drawn(7, a), hyper.mean[a] + 0.25f);
        // ... and the Normal-Wishart posterior is that of the rows minus their shifts.
        FactorMatrix moved = v + shift;
        const NormalWishartPosterior plain = normalWishartPosterior(v, data.byItem, {});
        const NormalWishartPosterior shifted =
            normalWishartPosterior(moved, data.byItem, {}, &shift);
        QVERIFY((plain.mean - shifted.mean).norm() < 1e-5);
        QVERIFY((plain.scale - shifted.scale).norm() < 1e-5);
    }
};

QTEST_GUILESS_MAIN(TestBpmfSampler)
#include "tst_bpmf_sampler.moc"
