// t-SNE (engine/projection/Tsne) and its pause/resume/stop control (TsneControl): planted
// clusters stay apart, a seed gives one layout whatever the thread count, the observer sees
// progress and can stop, small inputs clamp the perplexity.
#include <QtTest>

#include <omp.h>
#include <algorithm>
#include <atomic>
#include <cmath>
#include <thread>

#include "PlantedClusters.h"
#include "projection/Tsne.h"
#include "projection/TsneControl.h"

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
};

void TestTsne::tsneKeepsPlantedClustersApart_data() {
    QTest::addColumn<int>("method");
    QTest::newRow("exact") << static_cast<int>(TsneMethod::Exact);
    QTest::newRow("barnes-hut") << static_cast<int>(TsneMethod::BarnesHut);
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

QTEST_GUILESS_MAIN(TestTsne)
#include "tst_tsne.moc"
