// `lens-atlas train` checks the memory estimate (engine/models/MemoryEstimate.h) against the
// available memory before training: above 80 % it warns and trains, above 100 % it refuses with
// exit 1 and the figures, unless --force. LENS_ATLAS_AVAILABLE_MEMORY rehearses a small machine.
#include <QTemporaryDir>
#include <QtTest>

#include "CliTestSupport.h"

#include "data/Split.h"
#include "io/DatasetLoader.h"
#include "models/MemoryEstimate.h"
#include "models/RecommenderFactory.h"

namespace {

using lens::test::CliRun;

CliRun runTrain(const QString& release, const QString& availableBytes, bool force) {
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("LENS_ATLAS_AVAILABLE_MEMORY", availableBytes);
    QStringList args{"train", release, "--model", "als", "--k", "8", "--iterations", "2"};
    if (force) args << "--force";
    return lens::test::runLensAtlas(args, 120'000, env);
}

}  // namespace

class TestCliTrainMemory : public QObject {
    Q_OBJECT

private:
    QTemporaryDir dir_;
    QString release_;

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        release_ = dir_.filePath("demo");
        const CliRun gen = lens::test::runLensAtlas(
            {"generate", "--out", release_, "--ratings", "20000", "--seed", "3"});
        QVERIFY2(gen.exitCode == 0, gen.err.constData());
    }

    void verdicts_data() {
        QTest::addColumn<double>("availableOverEstimate");  // LENS_ATLAS_AVAILABLE_MEMORY
        QTest::addColumn<bool>("force");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("stderrFragment");  // empty: no memory message at all
        QTest::newRow("plenty") << 1000.0 << false << 0 << QString();
        QTest::newRow("estimate at 90 % of available")
            << 1.0 / 0.9 << false << 0 << "warning: training needs about";
        QTest::newRow("estimate twice the available")
            << 0.5 << false << 1 << "refusing (use --force to train anyway)";
        QTest::newRow("twice the available, --force")
            << 0.5 << true << 0 << "error: training needs about";
    }

    void verdicts() {
        QFETCH(double, availableOverEstimate);
        QFETCH(bool, force);
        // The same estimate the command makes (same data, model settings and thread count).
        auto model = lens::createRecommender("als");
        model->setHyperparameter("k", "8");
        const lens::Dataset dataset = lens::loadDataset(release_.toStdString());
        const auto need = lens::estimateTrainingMemory(
            *model, lens::TrainingShape::of(dataset, lens::SplitSpec::parse("per-user:0.2")));
        const QString available =
            QString::number(qulonglong(double(need.total()) * availableOverEstimate));
        QFETCH(int, exitCode);
        QFETCH(QString, stderrFragment);
        const CliRun run = runTrain(release_, available, force);
        QVERIFY2(run.exitCode == exitCode, run.err.constData());
        if (stderrFragment.isEmpty()) {
            QVERIFY2(!run.err.contains("training needs about"), run.err.constData());
        } else {
            QVERIFY2(run.err.contains(stderrFragment.toUtf8()), run.err.constData());
            QVERIFY2(run.err.contains("train data"), run.err.constData());  // the figures
        }
        if (exitCode == 0) QVERIFY2(run.out.contains("train RMSE"), run.out.constData());
    }
};

QTEST_GUILESS_MAIN(TestCliTrainMemory)
#include "tst_cli_train_memory.moc"
