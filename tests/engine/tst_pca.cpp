// PCA of embedding rows (engine/projection/Pca): the exact eigen-decomposition, the sign
// convention, unit-norm rows and too few points.
#include <QtTest>

#include <Eigen/Eigenvalues>
#include <cmath>

#include "projection/Pca.h"
#include "util/Random.h"

using namespace lens;

namespace {

// n points with an anisotropic covariance: standard normals scaled per axis, then rotated by a
// random orthogonal matrix (QR of a Gaussian matrix) and shifted.
EmbeddingMatrix anisotropicCloud(int n, int d, std::uint64_t seed) {
    Pcg32 random(seed);
    Eigen::MatrixXd gaussian(d, d);
    for (int i = 0; i < d; ++i)
        for (int j = 0; j < d; ++j) gaussian(i, j) = random.normal();
    const Eigen::MatrixXd rotation = Eigen::HouseholderQR<Eigen::MatrixXd>(gaussian).householderQ();
    EmbeddingMatrix points(n, d);
    for (int i = 0; i < n; ++i) {
        Eigen::VectorXd v(d);
        for (int j = 0; j < d; ++j) v(j) = random.normal() * (d - j) * 1.5 + 3.0;  // shift 3
        points.row(i) = (rotation * v).cast<float>().transpose();
    }
    return points;
}

}  // namespace

class TestPca : public QObject {
    Q_OBJECT

private slots:
    void pcaMatchesExactEigenDecomposition_data();
    void pcaMatchesExactEigenDecomposition();
    void pcaKnownAxisAndSignConvention();
    void pcaUnitNormRows();
    void pcaRejectsTooFewPoints();
};

void TestPca::pcaMatchesExactEigenDecomposition_data() {
    QTest::addColumn<int>("rows");
    QTest::addColumn<int>("cols");
    QTest::addColumn<int>("components");
    QTest::newRow("400x6, k=2") << 400 << 6 << 2;
    QTest::newRow("400x6, k=6") << 400 << 6 << 6;
    QTest::newRow("2000x16, k=3") << 2000 << 16 << 3;
}

void TestPca::pcaMatchesExactEigenDecomposition() {
    QFETCH(int, rows);
    QFETCH(int, cols);
    QFETCH(int, components);
    const EmbeddingMatrix points = anisotropicCloud(rows, cols, 7);
    const PcaResult pca = runPca(points, {components, false});

    // Reference: Eigen's exact symmetric eigen-solver on the double covariance.
    const Eigen::MatrixXd x = points.cast<double>();
    const Eigen::RowVectorXd mean = x.colwise().mean();
    const Eigen::MatrixXd centred = x.rowwise() - mean;
    const Eigen::MatrixXd covariance = centred.transpose() * centred / (rows - 1);
    const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(covariance);
    const double trace = covariance.trace();

    QCOMPARE(pca.projected.rows(), rows);
    QCOMPARE(pca.projected.cols(), components);
    QCOMPARE(static_cast<int>(pca.explainedVarianceRatio.size()), components);
    QVERIFY((pca.mean.cast<double>().transpose() - mean).norm() < 1e-4 * (1.0 + mean.norm()));
    double ratioSum = 0.0;
    for (int c = 0; c < components; ++c) {
        const Eigen::VectorXd expectedAxis = solver.eigenvectors().col(cols - 1 - c);
        const double expectedVariance = solver.eigenvalues()(cols - 1 - c);
        const Eigen::VectorXd axis = pca.axes.row(c).transpose().cast<double>();
        QVERIFY2(std::abs(std::abs(axis.dot(expectedAxis)) - 1.0) < 1e-4,
                 qPrintable(QStringLiteral("axis %1 differs: |dot| = %2")
                                .arg(c)
                                .arg(std::abs(axis.dot(expectedAxis)))));
        QVERIFY(std::abs(pca.variances[c] - expectedVariance) < 1e-6 * trace);
        QVERIFY(std::abs(pca.explainedVarianceRatio[c] - expectedVariance / trace) < 1e-6);
        if (c > 0) QVERIFY(pca.variances[c] <= pca.variances[c - 1]);
        ratioSum += pca.explainedVarianceRatio[c];
        // Coordinates are the projections on the axis (same sign as the axis we returned).
        const Eigen::VectorXd expectedCoordinates = centred * axis;
        const Eigen::VectorXd coordinates = pca.projected.col(c).cast<double>();
        QVERIFY((coordinates - expectedCoordinates).cwiseAbs().maxCoeff() <
                1e-3 * (1.0 + expectedCoordinates.cwiseAbs().maxCoeff()));
        // Sign convention: the largest-magnitude loading is positive.
        Eigen::Index largest = 0;
        axis.cwiseAbs().maxCoeff(&largest);
        QVERIFY(axis(largest) > 0.0);
    }
    QVERIFY(ratioSum <= 1.0 + 1e-9);
    if (components == cols) QVERIFY(std::abs(ratioSum - 1.0) < 1e-6);
}

void TestPca::pcaKnownAxisAndSignConvention() {
    // Points spread along (-3, 4)/5 with small perpendicular noise: the first axis must come out
    // as (-0.6, 0.8) (largest loading 0.8 made positive), explaining almost all variance.
    Pcg32 random(3);
    EmbeddingMatrix points(500, 2);
    for (int i = 0; i < 500; ++i) {
        const double t = random.normal() * 10.0, s = random.normal() * 0.1;
        points(i, 0) = static_cast<float>(-0.6 * t + 0.8 * s + 5.0);
        points(i, 1) = static_cast<float>(0.8 * t + 0.6 * s - 2.0);
    }
    const PcaResult pca = runPca(points, {2, false});
    QVERIFY(std::abs(pca.axes(0, 0) - (-0.6F)) < 1e-3F);
    QVERIFY(std::abs(pca.axes(0, 1) - 0.8F) < 1e-3F);
    QVERIFY(pca.explainedVarianceRatio[0] > 0.999);
    QVERIFY(pca.explainedVarianceRatio[1] < 0.001);
    // A mirrored copy of the data gives the same axes (signs do not follow the input's noise).
    const PcaResult again = runPca(points, {2, false});
    QVERIFY((again.axes - pca.axes).cwiseAbs().maxCoeff() == 0.0F);
}

void TestPca::pcaUnitNormRows() {
    // Rows are multiples of two directions: after unit-norm scaling only 2 distinct points remain.
    EmbeddingMatrix points(40, 3);
    for (int i = 0; i < 40; ++i) {
        const float scale = 0.5F + static_cast<float>(i);
        if (i % 2 == 0)
            points.row(i) << scale * 1.0F, scale * 2.0F, scale * 2.0F;
        else
            points.row(i) << scale * 3.0F, 0.0F, scale * -4.0F;
    }
    const EmbeddingMatrix unit = unitNormRows(points);
    for (int i = 0; i < 40; ++i) QVERIFY(std::abs(unit.row(i).norm() - 1.0F) < 1e-5F);

    const PcaResult scaled = runPca(points, {2, true});
    const PcaResult raw = runPca(points, {2, false});
    for (int i = 2; i < 40; ++i)
        QVERIFY((scaled.projected.row(i) - scaled.projected.row(i % 2)).norm() < 1e-4F);
    // Two distinct points: the first component explains everything.
    QVERIFY(scaled.explainedVarianceRatio[0] > 0.9999);
    // Without scaling the lengths matter and the rows spread out.
    QVERIFY((raw.projected.row(2) - raw.projected.row(0)).norm() > 1.0F);
    // A zero row stays zero under scaling rather than becoming NaN.
    EmbeddingMatrix withZero = points;
    withZero.row(5).setZero();
    QVERIFY(unitNormRows(withZero).allFinite());
}

void TestPca::pcaRejectsTooFewPoints() {
    EmbeddingMatrix one(1, 4);
    one.setOnes();
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, runPca(one));
    EmbeddingMatrix two(2, 4);
    two.setRandom();
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, runPca(two, {0, false}));
}

QTEST_GUILESS_MAIN(TestPca)
#include "tst_pca.moc"
