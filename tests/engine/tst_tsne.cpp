// t-SNE (engine/projection/Tsne) and its pause/resume/stop control (TsneControl): planted
// clusters stay apart, a seed gives one layout whatever the thread count, the observer sees
// progress and can stop, small inputs clamp the perplexity; the interpolated repulsion
// (TsneInterpolation) against the direct O(n^2) sums.
#include <QtTest>

#include <omp.h>
#include <algorithm>
#include <atomic>
#include <cmath>
#include <thread>

#include "PlantedClusters.h"
#include "projection/Tsne.h"
#include "projection/TsneControl.h"
#include "projection/TsneInterpolation.h"
#include "util/Random.h"

using namespace lens;
using lens::test::plantedClusters;

namespace {

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

// A 2D layout of n points as x0, y0, x1, y1, ...: `clusters` Gaussian blobs of the given
// spread around centres uniform in [-extent, extent]^2 (0 clusters: uniform points).
std::vector<double> layoutOf(int n, double extent, int clusters, double spread,
                             std::uint64_t seed) {
    Pcg32 random(seed);
    std::vector<double> centres(static_cast<std::size_t>(2 * std::max(clusters, 1)));
    for (double& c : centres) c = extent * (2.0 * random.uniform() - 1.0);
    std::vector<double> y(static_cast<std::size_t>(2 * n));
    for (int i = 0; i < n; ++i)
        for (int d = 0; d < 2; ++d) {
            const auto c = static_cast<std::size_t>(2 * (i % std::max(clusters, 1)) + d);
            y[static_cast<std::size_t>(2 * i + d)] = clusters == 0
                                                         ? extent * (2.0 * random.uniform() - 1.0)
                                                         : centres[c] + spread * random.normal();
        }
    return y;
}

// The repulsive sums directly, O(n^2) in double: F_i = sum_j w_ij^2 (y_i - y_j) into `forces`,
// returns Z = sum_{i != j} w_ij.
double directRepulsion(const std::vector<double>& y, std::vector<double>& forces) {
    const std::size_t n = y.size() / 2;
    forces.assign(2 * n, 0.0);
    double z = 0.0;
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < n; ++j) {
            if (i == j) continue;
            const double dx = y[2 * i] - y[2 * j], dy = y[2 * i + 1] - y[2 * j + 1];
            const double w = 1.0 / (1.0 + dx * dx + dy * dy);
            z += w;
            forces[2 * i] += w * w * dx;
            forces[2 * i + 1] += w * w * dy;
        }
    return z;
}

}  // namespace

class TestTsne : public QObject {
    Q_OBJECT

private slots:
    void tsneKeepsPlantedClustersApart_data();
    void tsneKeepsPlantedClustersApart();
    void tsneIsDeterministicForASeed_data();
    void tsneIsDeterministicForASeed();
    void tsneObserverSeesProgressAndCanStop();
    void tsneSmallInputClampsPerplexity();
    void tsneControlPausesResumesAndStops();
    void interpolatedRepulsionMatchesDirectSums_data();
    void interpolatedRepulsionMatchesDirectSums();
    void wideLayoutsKeepTheGridBounded();
    void automaticMethodFollowsTheSize();
    void smoothFftSizes();
};

void TestTsne::tsneKeepsPlantedClustersApart_data() {
    QTest::addColumn<int>("method");
    QTest::newRow("exact") << static_cast<int>(TsneMethod::Exact);
    QTest::newRow("barnes-hut") << static_cast<int>(TsneMethod::BarnesHut);
    QTest::newRow("interpolation") << static_cast<int>(TsneMethod::Interpolation);
}

void TestTsne::tsneKeepsPlantedClustersApart() {
    QFETCH(int, method);
    std::vector<int> labels;
    const EmbeddingMatrix points = plantedClusters(5, 100, 20, 4.0, 11, labels);
    TsneConfig config;
    config.method = static_cast<TsneMethod>(method);
    config.iterations = 600;
    config.seed = 5;
    const TsneResult result = runTsne(points, config);
    QCOMPARE(result.exact, config.method == TsneMethod::Exact);
    QCOMPARE(result.method, config.method);
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

void TestTsne::tsneIsDeterministicForASeed_data() {
    QTest::addColumn<int>("method");
    QTest::newRow("exact") << static_cast<int>(TsneMethod::Exact);
    QTest::newRow("barnes-hut") << static_cast<int>(TsneMethod::BarnesHut);
    QTest::newRow("interpolation") << static_cast<int>(TsneMethod::Interpolation);
}

void TestTsne::tsneIsDeterministicForASeed() {
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

void TestTsne::tsneObserverSeesProgressAndCanStop() {
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

void TestTsne::tsneSmallInputClampsPerplexity() {
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

void TestTsne::tsneControlPausesResumesAndStops() {
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
    // Wait until the worker is held at its first report (a state, not a time): held, it has
    // published exactly that report.
    QVERIFY(!control.isHeld() || published.load() == 1);
    for (long i = 0; i < 100'000'000 && !control.isHeld(); ++i) std::this_thread::yield();
    QVERIFY(control.isHeld());
    QCOMPARE(published.load(), 1);
    QCOMPARE(control.lastIteration(), 5);
    QCOMPARE(control.lastLayout().rows(), 180);
    QVERIFY(control.isPaused());
    // Resumed: reports continue.
    control.resume();
    for (long i = 0; i < 100'000'000 && control.isHeld(); ++i) std::this_thread::yield();
    QVERIFY(!control.isHeld() || published.load() > 1);
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

void TestTsne::interpolatedRepulsionMatchesDirectSums_data() {
    QTest::addColumn<int>("points");
    QTest::addColumn<double>("extent");
    QTest::addColumn<int>("clusters");
    QTest::addColumn<double>("spread");
    QTest::addColumn<double>("zBound");  // stated accuracy of the default grid on the layout
    QTest::addColumn<double>("forceBound");
    // Extents below and above the 50 minimum intervals (the grid grows with the layout), uniform
    // and clustered; an early-exaggeration-like layout (everything within a unit). The bounds are
    // 2-10x the errors measured when this was written: dense clusters with neighbours closer than
    // a node spacing are the hard case (Linderman et al. report errors of this order).
    QTest::newRow("compact") << 1500 << 0.5 << 0 << 0.0 << 1e-7 << 1e-6;
    QTest::newRow("uniform-20") << 1500 << 10.0 << 0 << 0.0 << 1e-5 << 5e-4;
    QTest::newRow("clusters-60") << 1500 << 30.0 << 12 << 2.0 << 2e-3 << 1.5e-2;
    QTest::newRow("clusters-250") << 2500 << 125.0 << 40 << 3.0 << 5e-3 << 2e-2;
}

void TestTsne::interpolatedRepulsionMatchesDirectSums() {
    QFETCH(int, points);
    QFETCH(double, extent);
    QFETCH(int, clusters);
    QFETCH(double, spread);
    QFETCH(double, zBound);
    QFETCH(double, forceBound);
    const std::vector<double> y = layoutOf(points, extent, clusters, spread, 7);
    const auto n = static_cast<std::size_t>(points);
    std::vector<double> direct;
    const double z = directRepulsion(y, direct);
    // Relative errors (Z, forces as a root mean square) with p nodes per interval.
    auto errors = [&](int nodes, std::vector<double>& forces, int* gridNodes) {
        InterpolationSettings settings;
        settings.nodesPerInterval = nodes;
        InterpolatedRepulsion interpolation(settings);
        const InterpolatedRepulsionResult result = interpolation.compute(y, points, forces);
        if (gridNodes) *gridNodes = result.nodesPerDimension;
        double errorSquares = 0.0, forceSquares = 0.0;
        for (std::size_t c = 0; c < 2 * n; ++c) {
            errorSquares += (forces[c] - direct[c]) * (forces[c] - direct[c]);
            forceSquares += direct[c] * direct[c];
        }
        // The same object again (its kernel spectrum now cached) gives the same numbers.
        std::vector<double> again(2 * n);
        if (interpolation.compute(y, points, again).z != result.z || again != forces)
            return std::pair{1.0, 1.0};
        return std::pair{std::abs(result.z - z) / z, std::sqrt(errorSquares / forceSquares)};
    };
    std::vector<double> forces(2 * n), coarse(2 * n), fine(2 * n);
    int gridNodes = 0;
    const int defaultNodes = InterpolationSettings{}.nodesPerInterval;
    const auto [zError, forceError] = errors(defaultNodes, forces, &gridNodes);
    const auto [zCoarse, forceCoarse] = errors(defaultNodes - 1, coarse, nullptr);
    const auto [zFine, forceFine] = errors(defaultNodes + 1, fine, nullptr);
    qInfo(
        "%d points, extent %.1f: %d nodes per dimension; relative errors with %d / %d / %d "
        "nodes per interval: Z %.2e / %.2e / %.2e, forces %.2e / %.2e / %.2e",
        points, extent, gridNodes, defaultNodes - 1, defaultNodes, defaultNodes + 1, zCoarse,
        zError, zFine, forceCoarse, forceError, forceFine);
    QVERIFY(zError < zBound);
    QVERIFY(forceError < forceBound);
    // More nodes, smaller errors: the interpolation converges to the direct sums, down to the
    // rounding of the float grids (about 1e-6 of the largest potential).
    constexpr double kRounding = 1e-5;
    if (zError > kRounding) QVERIFY(zFine < zError);
    if (zCoarse > kRounding) QVERIFY(zError < zCoarse);
    if (forceError > kRounding) QVERIFY(forceFine < forceError);
    if (forceCoarse > kRounding) QVERIFY(forceError < forceCoarse);
    QVERIFY(gridNodes >= 50 * defaultNodes);  // at least 50 intervals
    const auto [lowest, highest] = std::minmax_element(y.begin(), y.end());
    if (*highest - *lowest > 50.0)  // a wide layout: intervals of one unit cover it
        QVERIFY(gridNodes >= (*highest - *lowest) * defaultNodes);

    // One thread gives the same numbers (the point loops run in parallel from 2,000 points).
    const int threads = omp_get_max_threads();
    omp_set_num_threads(1);
    std::vector<double> single(2 * n);
    InterpolatedRepulsion serial;
    serial.compute(y, points, single);
    omp_set_num_threads(threads);
    QVERIFY(single == forces);
}

void TestTsne::wideLayoutsKeepTheGridBounded() {
    // A layout 2,000 units wide (a diverging run, or millions of points): the grid stops at
    // maxIntervals intervals of 5 units instead of growing to 2,000 x 2,000 intervals.
    const std::vector<double> y = layoutOf(1000, 1000.0, 10, 3.0, 9);
    const auto n = static_cast<std::size_t>(1000);
    std::vector<double> direct;
    const double z = directRepulsion(y, direct);
    InterpolatedRepulsion interpolation;
    std::vector<double> forces(2 * n);
    const InterpolatedRepulsionResult result = interpolation.compute(y, 1000, forces);
    const InterpolationSettings defaults;
    qInfo("Z %.6g (direct %.6g), %d nodes per dimension", result.z, z, result.nodesPerDimension);
    QCOMPARE(result.nodesPerDimension, defaults.maxIntervals * defaults.nodesPerInterval);
    QVERIFY(std::all_of(forces.begin(), forces.end(), [](double f) { return std::isfinite(f); }));
    QVERIFY(std::abs(result.z - z) / z < 0.2);  // coarse (0.07 measured), but the same order
    // A diverged layout is an error, not a grid of NaN boxes.
    std::vector<double> broken = y;
    broken[5] = std::numeric_limits<double>::quiet_NaN();
    QVERIFY_THROWS_EXCEPTION(std::runtime_error, interpolation.compute(broken, 1000, forces));
}

void TestTsne::automaticMethodFollowsTheSize() {
    std::vector<int> labels;
    const EmbeddingMatrix points = plantedClusters(4, 100, 10, 4.0, 3, labels);
    TsneConfig config;
    config.iterations = 5;
    config.exactThreshold = 100;
    config.interpolationThreshold = 399;
    QCOMPARE(runTsne(points, config).method, TsneMethod::Interpolation);
    config.interpolationThreshold = 400;
    QCOMPARE(runTsne(points, config).method, TsneMethod::BarnesHut);
    config.exactThreshold = 400;
    const TsneResult exact = runTsne(points, config);
    QCOMPARE(exact.method, TsneMethod::Exact);
    QVERIFY(exact.exact);
}

void TestTsne::smoothFftSizes() {
    QCOMPARE(smoothFftSize(1), 1);
    QCOMPARE(smoothFftSize(50), 50);
    QCOMPARE(smoothFftSize(121), 125);  // 11^2 skipped
    QCOMPARE(smoothFftSize(211), 216);  // 211 prime, 212 = 4 * 53, ...
    QCOMPARE(smoothFftSize(2 * 2 * 2 * 3 * 5 * 7), 840);
}

QTEST_GUILESS_MAIN(TestTsne)
#include "tst_tsne.moc"
