// PCA, t-SNE, cosine neighbours and genre centroids (engine/projection).
#include <QtTest>

#include <omp.h>
#include <Eigen/Eigenvalues>
#include <algorithm>
#include <atomic>
#include <cmath>
#include <map>
#include <numeric>
#include <set>
#include <thread>

#include "data/Genre.h"
#include "data/Split.h"
#include "models/AlsModel.h"
#include "models/GenrePriorAls.h"
#include "models/TrainData.h"
#include "projection/CosineNeighbours.h"
#include "projection/GenreCentroids.h"
#include "projection/MapEmbeddings.h"
#include "projection/Pca.h"
#include "projection/Tsne.h"
#include "projection/TsneControl.h"
#include "synth/SyntheticGenerator.h"
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

// `clusters` Gaussian blobs (sd 1) around centres drawn with sd `spread`; labels returned.
EmbeddingMatrix plantedClusters(int clusters, int perCluster, int d, double spread,
                                std::uint64_t seed, std::vector<int>& labels) {
    Pcg32 random(seed);
    Eigen::MatrixXd centres(clusters, d);
    for (int c = 0; c < clusters; ++c)
        for (int j = 0; j < d; ++j) centres(c, j) = random.normal() * spread;
    EmbeddingMatrix points(clusters * perCluster, d);
    labels.clear();
    for (int c = 0; c < clusters; ++c)
        for (int m = 0; m < perCluster; ++m) {
            const int i = c * perCluster + m;
            for (int j = 0; j < d; ++j)
                points(i, j) = static_cast<float>(centres(c, j) + random.normal());
            labels.push_back(c);
        }
    return points;
}

// Per point: the fraction of its k nearest 2D neighbours that carry its own label.
std::vector<double> sameLabelNeighbourFractions(const EmbeddingMatrix& layout,
                                                const std::vector<int>& labels, int k) {
    const auto n = static_cast<int>(layout.rows());
    std::vector<double> fractions(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) {
        std::vector<std::pair<float, int>> distances;
        for (int j = 0; j < n; ++j)
            if (j != i) distances.push_back({(layout.row(i) - layout.row(j)).squaredNorm(), j});
        std::partial_sort(distances.begin(), distances.begin() + k, distances.end());
        int same = 0;
        for (int m = 0; m < k; ++m)
            same +=
                labels[static_cast<std::size_t>(distances[static_cast<std::size_t>(m)].second)] ==
                labels[static_cast<std::size_t>(i)];
        fractions[static_cast<std::size_t>(i)] = static_cast<double>(same) / k;
    }
    return fractions;
}

}  // namespace

class TestProjection : public QObject {
    Q_OBJECT

private slots:
    void pcaMatchesExactEigenDecomposition_data();
    void pcaMatchesExactEigenDecomposition();
    void pcaKnownAxisAndSignConvention();
    void pcaUnitNormRows();
    void pcaRejectsTooFewPoints();
    void tsneKeepsPlantedClustersApart_data();
    void tsneKeepsPlantedClustersApart();
    void tsneIsDeterministicForASeed_data();
    void tsneIsDeterministicForASeed();
    void tsneObserverSeesProgressAndCanStop();
    void tsneSmallInputClampsPerplexity();
    void cosineMatrixOnHandVectors();
    void nearestRowsAndNeighbours();
    void genreCentroidsPlainAndWeighted();
    void tsneControlPausesResumesAndStops();
    void genreVectorsFromEachSource();
    void plantedRelatedGenresAreNearestForGenrePriorTheta();
};

void TestProjection::pcaMatchesExactEigenDecomposition_data() {
    QTest::addColumn<int>("rows");
    QTest::addColumn<int>("cols");
    QTest::addColumn<int>("components");
    QTest::newRow("400x6, k=2") << 400 << 6 << 2;
    QTest::newRow("400x6, k=6") << 400 << 6 << 6;
    QTest::newRow("2000x16, k=3") << 2000 << 16 << 3;
}

void TestProjection::pcaMatchesExactEigenDecomposition() {
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

void TestProjection::pcaKnownAxisAndSignConvention() {
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

void TestProjection::pcaUnitNormRows() {
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

void TestProjection::pcaRejectsTooFewPoints() {
    EmbeddingMatrix one(1, 4);
    one.setOnes();
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, runPca(one));
    EmbeddingMatrix two(2, 4);
    two.setRandom();
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, runPca(two, {0, false}));
}

void TestProjection::tsneKeepsPlantedClustersApart_data() {
    QTest::addColumn<int>("method");
    QTest::newRow("exact") << static_cast<int>(TsneMethod::Exact);
    QTest::newRow("barnes-hut") << static_cast<int>(TsneMethod::BarnesHut);
}

void TestProjection::tsneKeepsPlantedClustersApart() {
    QFETCH(int, method);
    std::vector<int> labels;
    const EmbeddingMatrix points = plantedClusters(5, 100, 20, 4.0, 11, labels);
    TsneConfig config;
    config.method = static_cast<TsneMethod>(method);
    config.iterations = 600;
    config.seed = 5;
    const TsneResult result = runTsne(points, config);
    QCOMPARE(result.exact, config.method == TsneMethod::Exact);
    QCOMPARE(result.layout.rows(), 500);
    QCOMPARE(result.layout.cols(), 2);
    QVERIFY(result.layout.allFinite());
    QCOMPARE(result.iterationsRun, 600);
    QVERIFY(!result.stoppedEarly);
    QVERIFY(result.klDivergence > 0.0 && result.klDivergence < 3.0);

    // Stated level: on average > 0.95 of each point's 10 nearest 2D neighbours are from its own
    // cluster, and at least 90 % of points have > 0.9 of them from it.
    const std::vector<double> fractions = sameLabelNeighbourFractions(result.layout, labels, 10);
    const double mean = std::accumulate(fractions.begin(), fractions.end(), 0.0) / 500.0;
    const auto wellPlaced =
        std::count_if(fractions.begin(), fractions.end(), [](double f) { return f > 0.9; });
    qInfo("same-cluster 10-NN fraction: mean %.4f, points above 0.9: %d / 500, KL %.3f, %.2f s",
          mean, static_cast<int>(wellPlaced), result.klDivergence, result.seconds);
    QVERIFY(mean > 0.95);
    QVERIFY(wellPlaced >= 450);

    // Control: the random initial layout (1 iteration) does not separate the clusters.
    config.iterations = 1;
    const TsneResult initial = runTsne(points, config);
    const std::vector<double> before = sameLabelNeighbourFractions(initial.layout, labels, 10);
    QVERIFY(std::accumulate(before.begin(), before.end(), 0.0) / 500.0 < 0.5);
}

void TestProjection::tsneIsDeterministicForASeed_data() {
    QTest::addColumn<int>("method");
    QTest::newRow("exact") << static_cast<int>(TsneMethod::Exact);
    QTest::newRow("barnes-hut") << static_cast<int>(TsneMethod::BarnesHut);
}

void TestProjection::tsneIsDeterministicForASeed() {
    QFETCH(int, method);
    std::vector<int> labels;
    const EmbeddingMatrix points = plantedClusters(3, 60, 10, 4.0, 23, labels);
    TsneConfig config;
    config.method = static_cast<TsneMethod>(method);
    config.iterations = 120;
    config.perplexity = 15;
    config.seed = 99;
    const TsneResult first = runTsne(points, config);
    const TsneResult second = runTsne(points, config);
    QVERIFY(first.layout == second.layout);
    // The thread count does not change the result (per-point results are summed serially).
    const int threads = omp_get_max_threads();
    omp_set_num_threads(1);
    const TsneResult single = runTsne(points, config);
    omp_set_num_threads(threads);
    QVERIFY(single.layout == first.layout);
    config.seed = 100;
    const TsneResult other = runTsne(points, config);
    QVERIFY(!(other.layout == first.layout));
}

void TestProjection::tsneObserverSeesProgressAndCanStop() {
    std::vector<int> labels;
    const EmbeddingMatrix points = plantedClusters(3, 40, 8, 4.0, 31, labels);
    TsneConfig config;
    config.iterations = 300;
    config.observeEvery = 25;
    config.perplexity = 10;
    std::vector<int> seen;
    auto observer = [&](const TsneProgress& progress) {
        seen.push_back(progress.iteration);
        if (progress.layout == nullptr || progress.layout->rows() != 120 ||
            progress.layout->cols() != 2 || progress.totalIterations != 300)
            return false;
        return progress.iteration < 100;  // stop after the 4th report
    };
    const TsneResult result = runTsne(points, config, observer);
    QCOMPARE(seen, (std::vector<int>{25, 50, 75, 100}));
    QCOMPARE(result.iterationsRun, 100);
    QVERIFY(result.stoppedEarly);
    QCOMPARE(result.layout.rows(), 120);
    QVERIFY(result.layout.allFinite());

    // Barnes-Hut reports too, and running to the end is not "stopped early".
    config.method = TsneMethod::BarnesHut;
    config.iterations = 60;
    int calls = 0;
    const TsneResult full = runTsne(points, config, [&](const TsneProgress& p) {
        ++calls;
        return p.klDivergence >= 0.0;
    });
    QCOMPARE(calls, 3);  // 25, 50 and the last (60)
    QVERIFY(!full.stoppedEarly);
    QCOMPARE(full.iterationsRun, 60);
}

void TestProjection::tsneSmallInputClampsPerplexity() {
    // 19 genres with the default perplexity 30: clamped to (n-1)/3 = 6, still a finite layout.
    std::vector<int> labels;
    const EmbeddingMatrix points = plantedClusters(19, 1, 16, 1.0, 41, labels);
    TsneConfig config;
    config.iterations = 200;
    const TsneResult result = runTsne(points, config);
    QVERIFY(result.exact);
    QCOMPARE(result.perplexity, 6.0);
    QVERIFY(result.layout.allFinite());
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, runTsne(points.topRows(1), config));
    EmbeddingMatrix bad = points;
    bad(3, 3) = std::numeric_limits<float>::quiet_NaN();
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, runTsne(bad, config));
}

void TestProjection::cosineMatrixOnHandVectors() {
    EmbeddingMatrix rows(5, 2);
    rows << 1, 0,  // 0
        0, 2,      // 1
        3, 3,      // 2
        -1, 0,     // 3
        0, 0;      // 4: zero vector
    const Eigen::MatrixXf s = cosineSimilarityMatrix(rows);
    const float r = 1.0F / std::sqrt(2.0F);
    const float expected[5][5] = {
        {1, 0, r, -1, 0}, {0, 1, r, 0, 0}, {r, r, 1, -r, 0}, {-1, 0, -r, 1, 0}, {0, 0, 0, 0, 0}};
    for (int i = 0; i < 5; ++i)
        for (int j = 0; j < 5; ++j)
            QVERIFY2(std::abs(s(i, j) - expected[i][j]) < 1e-6F,
                     qPrintable(QStringLiteral("s(%1,%2) = %3").arg(i).arg(j).arg(s(i, j))));
}

void TestProjection::nearestRowsAndNeighbours() {
    EmbeddingMatrix rows(4, 3);
    rows << 1, 0, 0,    //
        0.9F, 0.1F, 0,  //
        0, 1, 0,        //
        0.5F, 0.5F, 0.7F;
    const auto nearest = nearestRowsByCosine(cosineSimilarityMatrix(rows), 2);
    QCOMPARE(static_cast<int>(nearest.size()), 4);
    QCOMPARE(nearest[0][0].index, 1);
    QCOMPARE(nearest[2][0].index, 3);
    QCOMPARE(static_cast<int>(nearest[0].size()), 2);
    for (const auto& list : nearest) QVERIFY(list[0].similarity >= list[1].similarity);
    // Excluding row 1 from the candidates.
    const auto restricted =
        nearestRowsByCosine(cosineSimilarityMatrix(rows), 3, {true, false, true, true});
    QCOMPARE(static_cast<int>(restricted[0].size()), 2);
    QCOMPARE(restricted[0][0].index, 3);

    // Movie neighbours agree with a brute-force ranking of the cosine matrix.
    std::vector<int> labels;
    const EmbeddingMatrix movies = plantedClusters(4, 250, 12, 2.0, 5, labels);
    const Eigen::MatrixXf all = cosineSimilarityMatrix(movies);
    const auto found = nearestNeighboursByCosine(movies, 17, 10);
    QCOMPARE(static_cast<int>(found.size()), 10);
    std::vector<int> order(1000);
    std::iota(order.begin(), order.end(), 0);
    order.erase(order.begin() + 17);
    std::stable_sort(order.begin(), order.end(),
                     [&](int a, int b) { return all(17, a) > all(17, b); });
    for (int m = 0; m < 10; ++m) {
        QCOMPARE(found[m].index, order[m]);
        QVERIFY(std::abs(found[m].similarity - all(17, order[m])) < 1e-5F);
    }
    QVERIFY_THROWS_EXCEPTION(std::out_of_range, nearestNeighboursByCosine(movies, 1000, 3));
}

void TestProjection::genreCentroidsPlainAndWeighted() {
    EmbeddingMatrix movies(4, 2);
    movies << 1, 0,  //
        3, 2,        //
        0, 4,        //
        9, 9;
    const GenreMask action = 1U << 0, comedy = 1U << 4;
    const std::vector<GenreMask> masks = {action, action | comedy, comedy, 0U};
    const GenreCentroids plain = genreCentroids(movies, masks);
    QCOMPARE(plain.centroids.rows(), kGenreCount);
    QCOMPARE(plain.movieCount[0], 2);
    QCOMPARE(plain.movieCount[4], 2);
    QCOMPARE(plain.movieCount[1], 0);
    QVERIFY((plain.centroids.row(0) - Eigen::RowVector2f(2, 1)).norm() < 1e-6F);
    QVERIFY((plain.centroids.row(4) - Eigen::RowVector2f(1.5F, 3)).norm() < 1e-6F);
    QVERIFY(plain.centroids.row(1).isZero());  // no Adventure movie

    const std::vector<float> weights = {3, 1, 0, 5};
    const GenreCentroids weighted = genreCentroids(movies, masks, weights);
    QVERIFY((weighted.centroids.row(0) - Eigen::RowVector2f(1.5F, 0.5F)).norm() < 1e-6F);
    QVERIFY((weighted.centroids.row(4) - Eigen::RowVector2f(3, 2)).norm() < 1e-6F);
    QCOMPARE(weighted.totalWeight[0], 4.0);

    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                             genreCentroids(movies, std::vector<GenreMask>{action}));
    const std::vector<float> negative = {1, -1, 1, 1};
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, genreCentroids(movies, masks, negative));
}

void TestProjection::tsneControlPausesResumesAndStops() {
    std::vector<int> labels;
    const EmbeddingMatrix points = plantedClusters(3, 60, 8, 4.0, 17, labels);
    TsneConfig config;
    config.iterations = 100000;  // only a stop ends this run
    config.observeEvery = 5;
    config.perplexity = 10;
    TsneControl control;
    std::atomic<int> published{0};
    TsneResult result;
    control.pause();  // paused before the first report: the worker must wait there
    std::thread worker([&] {
        result = runTsne(points, config, control.observer([&](const TsneProgress& p) {
            if (p.layout && p.layout->rows() == 180) published.fetch_add(1);
        }));
    });
    // Wait for the first report, then check that no further report comes while paused.
    for (int i = 0; i < 500 && published.load() == 0; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    QCOMPARE(published.load(), 1);
    std::this_thread::sleep_for(std::chrono::milliseconds(150));
    QCOMPARE(published.load(), 1);
    QCOMPARE(control.lastIteration(), 5);
    QCOMPARE(control.lastLayout().rows(), 180);
    QVERIFY(control.isPaused());
    // Resumed: reports continue.
    control.resume();
    for (int i = 0; i < 500 && published.load() < 4; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    QVERIFY(published.load() >= 4);
    // Pause again, then stop while paused: stop wakes the worker, which ends early.
    control.pause();
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    control.stop();
    worker.join();
    QVERIFY(result.stoppedEarly);
    QVERIFY(result.iterationsRun < config.iterations);
    QCOMPARE(result.iterationsRun, control.lastIteration());
    QVERIFY(result.layout.allFinite());
    QVERIFY(result.layout == control.lastLayout());
}

void TestProjection::genreVectorsFromEachSource() {
    // A small trained ALS and genre-prior ALS on a planted fixture with genres.
    Pcg32 random(8);
    const std::size_t users = 120, items = 80;
    std::vector<RatingTriplet> train;
    for (std::uint32_t u = 0; u < users; ++u)
        for (std::uint32_t i = 0; i < items; ++i)
            if (random.uniform() < 0.3)
                train.push_back({u, i, static_cast<float>(1 + random.below(9)) * 0.5F});
    std::vector<GenreMask> genres(items);
    for (std::size_t i = 0; i < items; ++i)
        genres[i] = (GenreMask{1} << (i % 5)) | (i % 7 == 0 ? GenreMask{1} << 10 : 0);
    const TrainData data = TrainData::fromTriplets(users, items, train, {}, genres);
    AlsConfig als;
    als.factors = 6;
    als.iterations = 3;
    als.reportMetrics = false;
    AlsModel plain(als);
    plain.fit(data);
    GenrePriorAls prior(als);
    prior.fit(data);
    std::vector<float> popularity(items);
    for (std::size_t i = 0; i < items; ++i)
        popularity[i] = static_cast<float>(data.byItem.rowSize(i));

    // Only the 6 genres with movies are listed, in genre order, with their counts.
    const GenreVectors centroids = genreVectors(plain, genres, popularity, GenreSource::Centroids);
    QCOMPARE(centroids.genres, (std::vector<int>{0, 1, 2, 3, 4, 10}));
    QCOMPARE(centroids.movieCount, (std::vector<int>{16, 16, 16, 16, 16, 12}));
    QCOMPARE(centroids.vectors.cols(), 6);
    const EmbeddingMatrix movies = movieVectors(plain);
    const GenreCentroids expected = genreCentroids(movies, genres);
    QVERIFY((centroids.vectors.row(5) - expected.centroids.row(10)).norm() < 1e-6F);
    const GenreVectors weighted =
        genreVectors(plain, genres, popularity, GenreSource::WeightedCentroids);
    QVERIFY((weighted.vectors.row(0) - genreCentroids(movies, genres, popularity).centroids.row(0))
                .norm() < 1e-6F);
    QVERIFY((weighted.vectors.row(0) - centroids.vectors.row(0)).norm() > 0.0F);
    // Theta: the genre-prior model's own rows; a plain ALS has none.
    const GenreVectors theta = genreVectors(prior, genres, {}, GenreSource::Theta);
    QCOMPARE(theta.genres, centroids.genres);
    QVERIFY((theta.vectors.row(1) - EmbeddingMatrix(prior.genreFactors()).row(1)).norm() == 0.0F);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                             genreVectors(plain, genres, {}, GenreSource::Theta));
    QCOMPARE(defaultGenreSource(plain), GenreSource::Centroids);
    QCOMPARE(defaultGenreSource(prior), GenreSource::Theta);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                             genreVectors(plain, genres, {}, GenreSource::WeightedCentroids));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, genreVectors(plain, std::span(genres).first(10),
                                                                 {}, GenreSource::Centroids));

    // The Movies source: genres sit at the mean 2D position of their movies.
    GenreMapConfig config;
    config.source = GenreSource::Movies;
    const GenreMap map = computeGenreMap(plain, genres, popularity, config);
    QCOMPARE(map.movieLayout.rows(), static_cast<Eigen::Index>(items));
    QCOMPARE(map.layout.rows(), 6);
    Eigen::RowVector2f mean = Eigen::RowVector2f::Zero();
    for (std::size_t i = 0; i < items; ++i)
        if (hasGenre(genres[i], 10)) mean += map.movieLayout.row(static_cast<Eigen::Index>(i));
    QVERIFY((map.layout.row(5) - mean / 12.0F).norm() < 1e-4F);
    QCOMPARE(static_cast<int>(map.explainedVarianceRatio.size()), 2);
    QCOMPARE(static_cast<int>(map.nearest.size()), 6);
    QCOMPARE(parseGenreSource(genreSourceName(GenreSource::WeightedCentroids)),
             GenreSource::WeightedCentroids);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, parseGenreSource("thetas"));
    QCOMPARE(primaryGenre((GenreMask{1} << 7) | (GenreMask{1} << 4)), 4);
    QCOMPARE(primaryGenre(0), -1);
}

void TestProjection::plantedRelatedGenresAreNearestForGenrePriorTheta() {
    // The demo dataset (100,000 ratings) plants taste clusters of related genres; the genre-prior
    // ALS's theta must recover them. Stated level: for every planted pair (a, b), b is among a's
    // 3 nearest genres by cosine of theta, or a among b's; and for at least 3/4 of the genres in
    // planted pairs the single nearest genre is a planted partner (not all: a genre planted in two
    // clusters, such as Musical, can sit closest to another two-cluster genre, such as Comedy).
    SyntheticConfig synth;
    synth.tags = false;
    const Dataset dataset = generateSyntheticDataset(synth);
    const Split split = makeSplit(dataset, SplitSpec::parse("per-user:0.1", 1));
    const TrainData data = TrainData::build(dataset, split);
    AlsConfig als;
    als.factors = 16;
    als.iterations = 8;
    als.reportMetrics = false;
    GenrePriorAls model(als);
    QCOMPARE(model.fit(data), FitStatus::Completed);

    GenreMapConfig config;
    config.source = GenreSource::Theta;
    const GenreMap map = computeGenreMap(model, dataset.genres, {}, config);
    auto rowOf = [&](const std::string& name) {
        const int id = *genreIdFromName(name);
        const auto it = std::find(map.genres.genres.begin(), map.genres.genres.end(), id);
        return it == map.genres.genres.end() ? -1
                                             : static_cast<int>(it - map.genres.genres.begin());
    };
    auto nameOf = [&](int row) {
        return QString::fromUtf8(
            kGenreNames[static_cast<std::size_t>(map.genres.genres[static_cast<std::size_t>(row)])]
                .data());
    };
    auto inTop = [&](int from, int to, int k) {
        const auto& list = map.nearest[static_cast<std::size_t>(from)];
        for (int m = 0; m < k && m < static_cast<int>(list.size()); ++m)
            if (list[static_cast<std::size_t>(m)].index == to) return true;
        return false;
    };
    const auto pairs = plantedRelatedGenres();
    QVERIFY(pairs.size() >= 8);
    std::map<int, std::set<int>> partners;
    for (const auto& [a, b] : pairs) {
        const int ra = rowOf(a), rb = rowOf(b);
        QVERIFY2(ra >= 0 && rb >= 0, (a + " / " + b + " missing from the map").c_str());
        partners[ra].insert(rb);
        partners[rb].insert(ra);
        QVERIFY2(inTop(ra, rb, 3) || inTop(rb, ra, 3),
                 qPrintable(QStringLiteral("%1 / %2 not among each other's 3 nearest (cos %3)")
                                .arg(nameOf(ra), nameOf(rb))
                                .arg(map.similarity(ra, rb))));
    }
    int nearestIsPartner = 0;
    QStringList report;
    for (const auto& [row, related] : partners) {
        const int nearest = map.nearest[static_cast<std::size_t>(row)][0].index;
        nearestIsPartner += static_cast<int>(related.count(nearest));
        report << QStringLiteral("%1->%2").arg(nameOf(row), nameOf(nearest));
    }
    qInfo("nearest genre by theta cosine: %s", qPrintable(report.join(QStringLiteral(", "))));
    QVERIFY2(4 * nearestIsPartner >= 3 * static_cast<int>(partners.size()),
             qPrintable(QStringLiteral("only %1 of %2 genres have a planted partner as nearest")
                            .arg(nearestIsPartner)
                            .arg(partners.size())));
}

QTEST_GUILESS_MAIN(TestProjection)
#include "tst_projection.moc"
