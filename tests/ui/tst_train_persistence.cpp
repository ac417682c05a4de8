// The Train panel across sessions: the run history (checked by QAbstractItemModelTester)
// survives a restart with its saved models, which load in the background and pair with the
// dataset they were checked against (a dataset arriving during the load supersedes it), and a
// corrupt history entry, model file or index is skipped or set aside with a message.
#include <QAbstractItemModelTester>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPlainTextEdit>

#include "tst_train_fixture.h"

using namespace lens;
using namespace lens::ui;
using namespace lens::test;

class TstTrainPersistence : public QObject, private TrainFixture {
    Q_OBJECT

private slots:
    void initTestCase() { setUpFixture("tst_train_persistence"); }
    void init() { emptyRunsAndLibrary(); }

    void historySurvivesRestart() {
        QString runId;
        double rmse = 0;
        {
            auto panel = makePanel();
            setShortAls(*panel, 4);
            QSignalSpy finished(panel.get(), &TrainPanel::runFinished);
            runId = panel->start();
            QVERIFY(finished.wait(30000));
            rmse = panel->history()->find(runId)->finalMetric(&TrainingSnapshot::testRmse);
        }
        ModelLibrary freshLibrary;
        TrainPanel panel(controller_.get(), &freshLibrary, nullptr);
        QAbstractItemModelTester tester(panel.history(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(panel.loadProblems().isEmpty());
        QCOMPARE(panel.history()->rowCount(), 1);
        const RunRecord* record = panel.history()->find(runId);
        QVERIFY(record);
        QCOMPARE(record->status, RunStatus::Completed);
        QCOMPARE(record->finishedIterations(), 4);
        QCOMPARE(record->finalMetric(&TrainingSnapshot::testRmse), rmse);
        // Overlay from the history alone (no worker): curves of the saved run.
        panel.showRuns({runId});
        QCOMPARE(pointCounts(panel.accuracyChart()).value(QStringLiteral("validation RMSE")), 4);
        // The saved model loads in the background and can be made active.
        QTRY_VERIFY_WITH_TIMEOUT(freshLibrary.find(runId), 30000);
        QVERIFY(panel.makeActive(runId));
        QCOMPARE(freshLibrary.activeId(), runId);
        const auto* entry = freshLibrary.active();
        QVERIFY(entry->dataset);  // matches the loaded dataset
        QCOMPARE(entry->model->kind(), std::string("als"));
    }

    // A dataset that arrives while the saved models load supersedes the load: the models are
    // checked against the new dataset, and none is paired with a dataset it was not checked
    // against. Here the model was trained on the fixture, so it does not match the smaller
    // release and comes without a dataset (the library flags it).
    void savedModelsFollowANewDataset() {
        QString runId;
        {
            auto panel = makePanel();
            setShortAls(*panel, 2);
            QSignalSpy finished(panel.get(), &TrainPanel::runFinished);
            runId = panel->start();
            QVERIFY(finished.wait(30000));
        }
        DatasetController controller;
        const Dataset copy = *dataset_;
        controller.setLoadFunction(
            [copy](const std::filesystem::path&, const LoadOptions&) { return copy; });
        QSignalSpy changed(&controller, &DatasetController::datasetChanged);
        controller.openPath(QStringLiteral("synthetic"));
        QVERIFY(changed.wait(30000));
        SyntheticConfig config;
        config.ratings = 20'000;
        config.tags = false;
        config.seed = 7;
        const auto other = std::make_shared<const Dataset>(generateSyntheticDataset(config));

        ModelLibrary freshLibrary;
        TrainPanel panel(&controller, &freshLibrary, nullptr);
        QSignalSpy loaded(&panel, &TrainPanel::savedModelsLoaded);
        // The controller delivers another dataset before the load has delivered anything (no
        // event is processed between the panel's start and this).
        emit controller.datasetChanged(other);
        QVERIFY(loaded.wait(30000));
        QCOMPARE(loaded.count(), 1);
        const ModelLibrary::Entry* entry = freshLibrary.find(runId);
        QVERIFY(entry && entry->model);
        QVERIFY2(!entry->dataset, "the model is paired with a dataset it was not checked against");
        QVERIFY(!panel.savedModelsLoading());
    }

    void corruptEntriesAreSkipped() {
        // A good run first.
        QString goodId;
        {
            auto panel = makePanel();
            setShortAls(*panel, 2);
            QSignalSpy finished(panel.get(), &TrainPanel::runFinished);
            goodId = panel->start();
            QVERIFY(finished.wait(30000));
            const QString second = panel->start();
            QVERIFY(finished.wait(30000));
            // Corrupt the second run's model file (truncate it).
            QFile model(QDir(runFolder()).filePath(panel->history()->find(second)->modelFile));
            QVERIFY(model.open(QIODevice::ReadWrite));
            QVERIFY(model.resize(model.size() / 2));
        }
        const QString indexPath = QDir(runFolder()).filePath(QStringLiteral("runs.json"));
        QFile index(indexPath);
        QVERIFY(index.open(QIODevice::ReadOnly));
        QJsonObject root = QJsonDocument::fromJson(index.readAll()).object();
        index.close();
        QJsonArray runs = root["runs"].toArray();
        QCOMPARE(runs.size(), 2);
        QJsonObject broken = runs[0].toObject();
        broken["id"] = QStringLiteral("broken-run");
        broken.remove(QStringLiteral("status"));
        runs.append(broken);
        runs.append(QStringLiteral("not an object"));
        root["runs"] = runs;
        QVERIFY(index.open(QIODevice::WriteOnly | QIODevice::Truncate));
        index.write(QJsonDocument(root).toJson());
        index.close();

        ModelLibrary freshLibrary;
        TrainPanel panel(controller_.get(), &freshLibrary, nullptr);
        QSignalSpy loaded(&panel, &TrainPanel::savedModelsLoaded);
        QCOMPARE(panel.history()->rowCount(), 2);
        QVERIFY(!panel.history()->find(QStringLiteral("broken-run")));
        QVERIFY(loaded.wait(30000));
        const QStringList problems = panel.loadProblems();
        qInfo() << problems;
        QCOMPARE(problems.size(), 3);  // entry 3, entry 4, the truncated model file
        QVERIFY(problems[0].contains(QStringLiteral("entry 3")) &&
                problems[0].contains(QStringLiteral("status")));
        QVERIFY(problems[1].contains(QStringLiteral("entry 4")));
        QVERIFY(problems[2].contains(QStringLiteral("model file skipped")));
        QVERIFY(panel.logView()->toPlainText().contains(QStringLiteral("entry 3 skipped")));
        QVERIFY(freshLibrary.find(goodId));
        QCOMPARE(freshLibrary.entries().size(), 1);
    }

    void unreadableIndexIsSetAside() {
        QVERIFY(QDir().mkpath(runFolder()));
        const QString indexPath = QDir(runFolder()).filePath(QStringLiteral("runs.json"));
        QFile index(indexPath);
        QVERIFY(index.open(QIODevice::WriteOnly));
        index.write("{ this is not json");
        index.close();
        auto panel = makePanel();
        QCOMPARE(panel->history()->rowCount(), 0);
        QCOMPARE(panel->loadProblems().size(), 1);
        QVERIFY(panel->loadProblems().first().contains(QStringLiteral("not valid JSON")));
        QVERIFY(QFile::exists(indexPath + QStringLiteral(".corrupt")));
        // Training still works and writes a fresh index.
        setShortAls(*panel, 1);
        QSignalSpy finished(panel.get(), &TrainPanel::runFinished);
        panel->start();
        QVERIFY(finished.wait(30000));
        QVERIFY(QFile::exists(indexPath));
    }
};

QTEST_MAIN(TstTrainPersistence)
#include "tst_train_persistence.moc"
