// The training memory estimate (engine/models/MemoryEstimate.h): the meminfo parser, the
// warn/refuse thresholds, and the estimate itself against the measured peak RSS growth of real
// fits on synthetic data (building the TrainData and training), within a factor 0.5-2.
#include <malloc.h>

#include <QFile>
#include <QtTest>
#include <map>
#include <memory>

#include "data/Split.h"
#include "eval/ModelEvaluation.h"
#include "models/MemoryEstimate.h"
#include "models/RecommenderFactory.h"
#include "models/TrainData.h"
#include "synth/SyntheticGenerator.h"

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define LENS_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define LENS_SANITIZED 1
#endif
#endif

using namespace lens;

namespace {

// VmRSS or VmHWM of this process in bytes.
std::uint64_t statusBytes(const char* key) {
    QFile f("/proc/self/status");
    if (!f.open(QIODevice::ReadOnly)) return 0;
    for (const QByteArray& line : f.readAll().split('\n'))
        if (line.startsWith(key))
            return line.mid(int(qstrlen(key))).trimmed().split(' ')[0].toULongLong() * 1024;
    return 0;
}

bool resetPeakRss() {
    QFile f("/proc/self/clear_refs");
    return f.open(QIODevice::WriteOnly) && f.write("5") == 1;
}

}  // namespace

class TestMemoryEstimate : public QObject {
    Q_OBJECT

private:
    std::map<int, Dataset> datasets_;  // synthetic sets by rating count, generated once

    const Dataset& dataset(int ratings) {
        auto it = datasets_.find(ratings);
        if (it == datasets_.end()) {
            SyntheticConfig config;
            config.ratings = std::size_t(ratings);
            config.tags = false;
            it = datasets_.emplace(ratings, generateSyntheticDataset(config)).first;
        }
        return it->second;
    }

private slots:
    void initTestCase() {
        // Large blocks straight from mmap and freed memory handed back, so that RSS growth
        // measures what a fit allocates rather than what earlier rows left in malloc's arenas.
        mallopt(M_MMAP_THRESHOLD, 256 * 1024);
    }

    void parseMeminfo() {
        const char* text =
            "MemTotal:       24570432 kB\nMemFree:        20000000 kB\n"
            "MemAvailable:   21474836 kB\nBuffers:           12345 kB\n";
        QCOMPARE(parseMemAvailable(text), std::optional<std::uint64_t>(21474836ULL * 1024));
        QVERIFY(!parseMemAvailable("MemTotal: 1 kB\n"));
        QVERIFY(!parseMemAvailable("MemAvailable: lots\n"));
        const auto real = availableMemoryBytes();
        QVERIFY(real.has_value());
        QVERIFY(*real > (std::uint64_t{16} << 20));
    }

    void thresholds() {
        QCOMPARE(judgeMemory(79, 100), MemoryVerdict::Fits);
        QCOMPARE(judgeMemory(80, 100), MemoryVerdict::Fits);
        QCOMPARE(judgeMemory(81, 100), MemoryVerdict::Warn);
        QCOMPARE(judgeMemory(100, 100), MemoryVerdict::Warn);
        QCOMPARE(judgeMemory(101, 100), MemoryVerdict::Refuse);
        QCOMPARE(QString::fromStdString(formatByteSize(3 << 20)), QString("3.0 MiB"));
        QCOMPARE(QString::fromStdString(formatByteSize(640)), QString("640 B"));
    }

    // The estimate grows with what it should: k for ALS, negatives and Adam for NCF.
    void monotone() {
        TrainingShape shape;
        shape.users = 10'000;
        shape.items = 5'000;
        shape.ratings = 1'000'000;
        shape.maxRowRatings = 2'000;
        shape.threads = 2;
        auto als = createRecommender("als");
        als->setHyperparameter("k", "16");
        const auto small = estimateTrainingMemory(*als, shape);
        als->setHyperparameter("k", "128");
        const auto large = estimateTrainingMemory(*als, shape);
        QVERIFY(large.parameterBytes > 7 * small.parameterBytes);
        QCOMPARE(large.trainDataBytes, small.trainDataBytes);
        // Train ratings twice at 8 bytes, test at 12: between 12 and 16 bytes per rating.
        QVERIFY(small.trainDataBytes > 12 * shape.ratings &&
                small.trainDataBytes < 17 * shape.ratings);
        auto ncf = createRecommender("neumf");
        const auto adam = estimateTrainingMemory(*ncf, shape);
        QVERIFY(adam.optimizerBytes > 2 * (shape.users + shape.items) * 4);
        ncf->setHyperparameter("optimizer", "sgd");
        QCOMPARE(estimateTrainingMemory(*ncf, shape).optimizerBytes, std::uint64_t(0));
        ncf->setHyperparameter("negatives", "8");
        QVERIFY(estimateTrainingMemory(*ncf, shape).workspaceBytes > adam.workspaceBytes);
        QVERIFY(QString::fromStdString(adam.describe()).contains("optimiser"));
    }

    void againstMeasuredRss_data() {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<int>("ratings");
        QTest::addColumn<QString>("settings");  // key=value;key=value
        QTest::newRow("als k=64") << "als" << 1'000'000 << "k=64;iterations=1";
        QTest::newRow("als-genre k=32") << "als-genre" << 1'000'000 << "k=32;iterations=1";
        QTest::newRow("als-implicit k=32") << "als-implicit" << 1'000'000 << "k=32;iterations=1";
        QTest::newRow("neumf") << "neumf" << 400'000 << "epochs=1";
        QTest::newRow("gmf validation 0.1") << "gmf" << 400'000 << "epochs=1;validation=0.1";
    }

    void againstMeasuredRss() {
#ifdef LENS_ATLAS_SANITIZED
        QSKIP("RSS under a sanitizer includes shadow memory and the free quarantine");
#endif
        QFETCH(QString, kind);
        QFETCH(int, ratings);
        QFETCH(QString, settings);
        const Dataset& data0 = dataset(ratings);
        auto model = createRecommender(kind.toStdString());
        for (const QString& kv : settings.split(';'))
            model->setHyperparameter(kv.section('=', 0, 0).toStdString(),
                                     kv.section('=', 1).toStdString());
        const SplitSpec spec = SplitSpec::parse("per-user:0.2");
        const MemoryEstimate estimate =
            estimateTrainingMemory(*model, TrainingShape::of(data0, spec));

        malloc_trim(0);
        if (!resetPeakRss()) QSKIP("/proc/self/clear_refs is not writable here");
        const std::uint64_t before = statusBytes("VmRSS:");
        {
            const Split split = makeSplit(data0, spec);
            const TrainData data = TrainData::build(data0, split);
            FitControl control;  // as the app's drivers train: with per-iteration evaluation
            control.evaluate = heldOutEvaluation(data);
            model->fit(data, control);
        }
        const std::uint64_t growth = statusBytes("VmHWM:") - before;
        const double ratio = double(estimate.total()) / double(growth);
        qInfo("%s on %d ratings: estimate %s, measured peak RSS growth %s, ratio %.2f",
              qPrintable(kind), ratings, estimate.describe().c_str(),
              formatByteSize(growth).c_str(), ratio);
        QVERIFY2(ratio >= 0.5 && ratio <= 2.0, qPrintable(QString::number(ratio)));
    }
};

QTEST_GUILESS_MAIN(TestMemoryEstimate)
#include "tst_memory_estimate.moc"
