// The Train panel end to end on a small synthetic release: the hyper-parameter form follows the
// engine's ranges, presets apply, Start (Ctrl+Return) trains in the worker with one progress
// signal and one chart point per finished iteration, Stop (Esc) keeps a consistent partial model
// and a "stopped" history row, runs queue, a new dataset drops the running job's late results,
// destroying the panel mid-training returns within about a second and records "cancelled", the
// history (checked by QAbstractItemModelTester) survives a restart with its saved models, and a
// corrupt history entry or model file is skipped with a message. At 1280 px the history shows its
// result columns without scrolling and the settings column is as wide as every model's form; run
// labels and figure footers name the seed once.
#include <QAbstractItemModelTester>
#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFontInfo>
#include <QGroupBox>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QScrollArea>
#include <QScrollBar>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>
#include <memory>

#include "DatasetController.h"
#include "charts/ChartFigure.h"
#include "charts/Figure.h"
#include "charts/FigureCard.h"
#include "data/Dataset.h"
#include "models/ModelLibrary.h"
#include "models/Recommender.h"
#include "models/RecommenderFactory.h"
#include "synth/SyntheticGenerator.h"
#include "train/HyperparameterForm.h"
#include "train/RunHistoryModel.h"
#include "train/TrainPanel.h"
#include "train/TrainingRunner.h"

using namespace lens;
using namespace lens::ui;

namespace {

// Points of every XY series of a chart, by series name.
QMap<QString, int> pointCounts(const ChartFigure* chart) {
    QMap<QString, int> counts;
    for (QAbstractSeries* s : chart->chart()->series())
        counts[s->name()] = static_cast<int>(static_cast<QXYSeries*>(s)->count());
    return counts;
}

int finiteCount(const std::vector<TrainingSnapshot>& history, double TrainingSnapshot::*m) {
    int n = 0;
    for (const auto& s : history) n += std::isfinite(s.*m);
    return n;
}

// A finished run for the history without training: the model's default hyper-parameters (as the
// form would send them), one iteration with the given final metrics.
RunRecord finishedRun(const QString& id, const QString& kind, double testRmse, double hr10,
                      int secondsAgo) {
    RunRecord r;
    r.id = id;
    r.spec.modelKind = kind;
    for (const Hyperparameter& h : createRecommender(kind.toStdString())->hyperparameters())
        if (h.key != "seed")
            r.spec.hyperparameters.append(
                {QString::fromStdString(h.key), QString::fromStdString(h.value)});
    r.spec.seed = 42;
    r.spec.split = SplitSpec::parse("per-user:0.2", r.spec.seed);
    r.modelDisplayName = QString::fromStdString(findRecommender(kind.toStdString())->displayName);
    r.datasetName = QStringLiteral("fixture");
    r.status = RunStatus::Completed;
    r.started = QDateTime::currentDateTimeUtc().addSecs(-secondsAgo);
    r.durationSeconds = 1.5;
    TrainingSnapshot s;
    s.iteration = s.totalIterations = 1;
    s.trainRmse = std::isfinite(testRmse) ? testRmse - 0.1 : kNoMetric;
    s.testRmse = testRmse;
    s.objective = 100.0;
    s.hr10 = hr10;
    s.ndcg10 = std::isfinite(hr10) ? hr10 / 2 : kNoMetric;
    r.history.push_back(s);
    return r;
}

int occurrences(const QString& text, const QString& word) {
    return static_cast<int>(text.count(word));
}

}  // namespace

class TstTrainPanel : public QObject {
    Q_OBJECT

    QTemporaryDir home_;
    std::unique_ptr<DatasetController> controller_;
    std::unique_ptr<ModelLibrary> library_;
    std::shared_ptr<const Dataset> dataset_;

    // The Train stage's share of a 1280 x 800 main window (its stage list takes ~140 px, the
    // menu and status bars ~60 px).
    static constexpr QSize kLaptopStage{1280 - 140, 800 - 60};

    // A fresh panel on the loaded dataset.
    std::unique_ptr<TrainPanel> makePanel() {
        auto panel = std::make_unique<TrainPanel>(controller_.get(), library_.get(), nullptr);
        panel->resize(1200, 800);
        return panel;
    }

    // ALS settings that take a while per run (for Stop and close tests).
    static void setLongAls(TrainPanel& panel) {
        panel.setModelKind(QStringLiteral("als"));
        QVERIFY(panel.form()->setValue(QStringLiteral("k"), QStringLiteral("48")));
        QVERIFY(panel.form()->setValue(QStringLiteral("iterations"), QStringLiteral("1000")));
        QVERIFY(panel.form()->setValue(QStringLiteral("cg_steps"), QStringLiteral("0")));
    }
    static void setShortAls(TrainPanel& panel, int iterations) {
        panel.setModelKind(QStringLiteral("als"));
        QVERIFY(panel.form()->setValue(QStringLiteral("k"), QStringLiteral("8")));
        QVERIFY(panel.form()->setValue(QStringLiteral("iterations"), QString::number(iterations)));
    }

    QString runFolder() const { return TrainPanel::defaultRunFolder(); }

    // Data rows for a test run once per registered model kind: column "kind", row = kind name.
    static void addModelKindRows() {
        QTest::addColumn<QString>("kind");
        for (const auto& d : recommenderRegistry())
            QTest::newRow(d.name.c_str()) << QString::fromStdString(d.name);
    }

private slots:
    void initTestCase() {
        QVERIFY(home_.isValid());
        // A clean application data folder: test mode puts it under $HOME/.qttest.
        qputenv("HOME", home_.path().toLocal8Bit());
        qputenv("XDG_RUNTIME_DIR", home_.path().toLocal8Bit());
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("LensAtlasTest"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_train_panel"));
        QVERIFY2(runFolder().startsWith(home_.path()), qPrintable(runFolder()));
        QVERIFY2(!QFontInfo(QGuiApplication::font()).family().isEmpty(), "no font installed");

        SyntheticConfig config;
        config.ratings = 40'000;
        config.tags = false;
        dataset_ = std::make_shared<const Dataset>(generateSyntheticDataset(config));
        controller_ = std::make_unique<DatasetController>();
        const Dataset copy = *dataset_;
        controller_->setLoadFunction(
            [copy](const std::filesystem::path&, const LoadOptions&) { return copy; });
        QSignalSpy changed(controller_.get(), &DatasetController::datasetChanged);
        controller_->openPath(QStringLiteral("synthetic"));
        QVERIFY(changed.wait(30000));
        library_ = std::make_unique<ModelLibrary>();
    }

    void init() {
        QDir(runFolder()).removeRecursively();
        for (const auto& e : library_->entries()) library_->remove(e.id);
    }

    void formFollowsEngine_data() { addModelKindRows(); }
    void formFollowsEngine() {
        QFETCH(QString, kind);
        HyperparameterForm form;
        form.setModelKind(kind);
        const auto model = createRecommender(kind.toStdString());
        QStringList expected;
        for (const auto& h : model->hyperparameters())
            if (h.key != "seed") expected << QString::fromStdString(h.key);
        QCOMPARE(form.keys(), expected);
        for (const QString& key : expected) {
            QWidget* editor = form.editor(key);
            QVERIFY(editor);
            QVERIFY2(editor->toolTip().contains(key), qPrintable(key));
            QCOMPARE(form.value(key),
                     QString::fromStdString(model->hyperparameter(key.toStdString())));
        }
        QVERIFY(form.isValid());
    }

    void formRejectsBadValues() {
        auto panel = makePanel();
        panel->setModelKind(QStringLiteral("als"));
        QVERIFY(panel->startAction()->isEnabled());
        QVERIFY(!panel->form()->setValue(QStringLiteral("lambda"), QStringLiteral("-1")));
        QVERIFY(!panel->form()->isValid());
        QVERIFY(panel->form()->errors().contains(QStringLiteral("lambda")));
        QVERIFY(!panel->startAction()->isEnabled());
        QVERIFY(panel->start().isEmpty());
        QVERIFY(panel->form()->setValue(QStringLiteral("lambda"), QStringLiteral("0.2")));
        QVERIFY(panel->startAction()->isEnabled());
        QCOMPARE(panel->currentSpec().value(QStringLiteral("lambda")), QStringLiteral("0.2"));
    }

    void presetsApply_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("value");
        QTest::addColumn<int>("iterations");
        QTest::newRow("practical 2") << "Practical 2: biases"
                                     << "bias"
                                     << "user_lambda"
                                     << "10" << 15;
        QTest::newRow("practical 3") << "Practical 3: MF"
                                     << "als"
                                     << "k"
                                     << "10" << 20;
        QTest::newRow("practical 4") << "Practical 4: MF"
                                     << "als"
                                     << "lambda"
                                     << "1" << 15;
        QTest::newRow("practical 5") << "Practical 5: genre prior"
                                     << "als-genre"
                                     << "lambda"
                                     << "0.1" << 20;
    }
    void presetsApply() {
        QFETCH(QString, name);
        QFETCH(QString, kind);
        QFETCH(QString, key);
        QFETCH(QString, value);
        QFETCH(int, iterations);
        auto panel = makePanel();
        panel->applyPreset(name);
        QCOMPARE(panel->modelKind(), kind);
        const RunSpec spec = panel->currentSpec();
        QCOMPARE(spec.value(key), value);
        QCOMPARE(spec.value(QStringLiteral("iterations")).toInt(), iterations);
        QCOMPARE(spec.seed, quint64(42));
        QCOMPARE(spec.split.kind, SplitKind::PerUserHoldout);
        // Tuned defaults go back to the model's own defaults.
        panel->applyPreset(QStringLiteral("Tuned defaults"));
        QCOMPARE(panel->currentSpec().value(QStringLiteral("iterations")),
                 QString::fromStdString(
                     createRecommender(kind.toStdString())->hyperparameter("iterations")));
    }

    void startTrainsWithLiveProgress() {
        auto panel = makePanel();
        QAbstractItemModelTester tester(panel->history(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        panel->show();
        QVERIFY(QTest::qWaitForWindowExposed(panel.get()));
        panel->activateWindow();
        setShortAls(*panel, 6);
        QSignalSpy progress(panel.get(), &TrainPanel::progressChanged);
        QSignalSpy snapshots(panel->runner(), &TrainingRunner::snapshotReady);
        QSignalSpy finished(panel.get(), &TrainPanel::runFinished);
        QSignalSpy libraryChanged(library_.get(), &ModelLibrary::entriesChanged);
        panel->setFocus();
        QTest::keyClick(panel.get(), Qt::Key_Return, Qt::ControlModifier);  // Start
        QVERIFY(finished.wait(30000));
        QCOMPARE(finished.first().at(1).value<RunStatus>(), RunStatus::Completed);
        QCOMPARE(progress.count(), 6);
        QCOMPARE(progress.last().at(1).toInt(), 6);
        QCOMPARE(progress.last().at(2).toInt(), 6);
        QCOMPARE(snapshots.count(), 6);
        QCOMPARE(panel->progressBar()->value(), panel->progressBar()->maximum());

        const QString runId = finished.first().at(0).toString();
        const RunRecord* record = panel->history()->find(runId);
        QVERIFY(record);
        QCOMPARE(record->status, RunStatus::Completed);
        QCOMPARE(record->finishedIterations(), 6);
        QVERIFY(std::isfinite(record->finalMetric(&TrainingSnapshot::testRmse)));
        QVERIFY(QFile::exists(QDir(runFolder()).filePath(record->modelFile)));
        // One chart point per finished iteration.
        const auto acc = pointCounts(panel->accuracyChart());
        QCOMPARE(acc.value(QStringLiteral("train RMSE")), 6);
        QCOMPARE(acc.value(QStringLiteral("test RMSE")), 6);
        QCOMPARE(pointCounts(panel->objectiveChart()).value(QStringLiteral("objective")), 6);
        QVERIFY(libraryChanged.count() >= 1);
        QVERIFY(library_->find(runId));
        QVERIFY(panel->logView()->toPlainText().contains(QStringLiteral("iteration 6/6")));

        // Log scale keeps the points and uses a log axis.
        panel->setLogScale(true);
        QVERIFY(qobject_cast<QLogValueAxis*>(
            panel->objectiveChart()->chart()->axes(Qt::Vertical).first()));
        QCOMPARE(pointCounts(panel->objectiveChart()).value(QStringLiteral("objective")), 6);

        // Make active.
        QSignalSpy active(library_.get(), &ModelLibrary::activeChanged);
        QVERIFY(panel->makeActive(runId));
        QCOMPARE(library_->activeId(), runId);
        QVERIFY(active.count() >= 1);

        // Figures render and export.
        QCOMPARE(panel->figures().size(), 2);
        QTemporaryDir out;
        QString error;
        for (const Figure* f : panel->figures()) {
            QVERIFY(imageHasContent(
                renderFigureImage(*f, {QSize(600, 400), 96, QStringLiteral("footer")})));
            QVERIFY2(exportFigure(*f, out.filePath(f->figureFileStem() + ".png"), {}, &error),
                     qPrintable(error));
        }
    }

    void stopKeepsConsistentModel() {
        auto panel = makePanel();
        QAbstractItemModelTester tester(panel->history(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        panel->show();
        QVERIFY(QTest::qWaitForWindowExposed(panel.get()));
        panel->activateWindow();
        setLongAls(*panel);
        QSignalSpy progress(panel.get(), &TrainPanel::progressChanged);
        QSignalSpy finished(panel.get(), &TrainPanel::runFinished);
        const QString runId = panel->start();
        QVERIFY(!runId.isEmpty());
        QVERIFY(progress.wait(30000));
        QVERIFY(panel->stopAction()->isEnabled());
        panel->setFocus();
        QTest::keyClick(panel.get(), Qt::Key_Escape);  // Stop
        QVERIFY(finished.wait(30000));
        QCOMPARE(finished.first().at(1).value<RunStatus>(), RunStatus::Stopped);
        const RunRecord* record = panel->history()->find(runId);
        QVERIFY(record);
        QCOMPARE(record->status, RunStatus::Stopped);
        const int done = record->finishedIterations();
        QVERIFY2(done >= 1 && done < 1000, qPrintable(QString::number(done)));
        QCOMPARE(progress.count(), done);
        QCOMPARE(pointCounts(panel->accuracyChart()).value(QStringLiteral("test RMSE")), done);
        QCOMPARE(pointCounts(panel->objectiveChart()).value(QStringLiteral("objective")), done);
        QCOMPARE(panel->history()
                     ->data(panel->history()->index(panel->history()->rowOf(runId),
                                                    RunHistoryModel::StatusColumn))
                     .toString(),
                 QStringLiteral("stopped"));
        // The partial model is consistent: stopped status, finite predictions everywhere sampled.
        const ModelLibrary::Entry* entry = library_->find(runId);
        QVERIFY(entry && entry->model);
        QCOMPARE(entry->model->status(), FitStatus::Stopped);
        QCOMPARE(static_cast<int>(entry->model->history().size()), done);
        for (std::uint32_t u = 0; u < entry->model->userCount(); u += 7)
            for (std::uint32_t i = 0; i < entry->model->itemCount(); i += 53)
                QVERIFY(std::isfinite(entry->model->predict(u, i)));
        QVERIFY(!record->modelFile.isEmpty());
        QVERIFY(!panel->stopAction()->isEnabled());
    }

    void runsQueue() {
        auto panel = makePanel();
        QAbstractItemModelTester tester(panel->history(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        setShortAls(*panel, 3);
        QSignalSpy finished(panel.get(), &TrainPanel::runFinished);
        const QString first = panel->start();
        QVERIFY(panel->form()->setValue(QStringLiteral("k"), QStringLiteral("4")));
        const QString second = panel->start();
        QVERIFY(!first.isEmpty() && !second.isEmpty() && first != second);
        QCOMPARE(panel->runner()->queuedRunIds(), QStringList{second});
        QCOMPARE(panel->history()->find(second)->status, RunStatus::Queued);
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 2, 30000);
        QCOMPARE(finished.at(0).at(0).toString(), first);
        QCOMPARE(finished.at(1).at(0).toString(), second);
        QCOMPARE(panel->history()->find(second)->spec.value(QStringLiteral("k")),
                 QStringLiteral("4"));
        // A queued run can be removed before it starts.
        setLongAls(*panel);
        const QString running = panel->start();
        const QString queued = panel->start();
        panel->clearQueue();
        QVERIFY(!panel->history()->find(queued));
        panel->stop();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 3, 30000);
        QCOMPARE(finished.at(2).at(0).toString(), running);
    }

    void newDatasetDropsRunningJob() {
        auto panel = makePanel();
        setLongAls(*panel);
        QSignalSpy progress(panel.get(), &TrainPanel::progressChanged);
        QSignalSpy finished(panel.get(), &TrainPanel::runFinished);
        const QString runId = panel->start();
        QVERIFY(progress.wait(30000));
        QSignalSpy changed(controller_.get(), &DatasetController::datasetChanged);
        controller_->openPath(QStringLiteral("synthetic again"));
        QVERIFY(changed.wait(30000));
        const int seen = panel->history()->find(runId)->finishedIterations();
        QCOMPARE(panel->history()->find(runId)->status, RunStatus::Cancelled);
        QVERIFY(!panel->runner()->isRunning());
        // Late snapshots and the outcome of the superseded job never arrive.
        QTest::qWait(300);
        QCOMPARE(finished.count(), 0);
        QCOMPARE(panel->history()->find(runId)->finishedIterations(), seen);
        QVERIFY(!library_->find(runId));
        QVERIFY(panel->startAction()->isEnabled());
    }

    void destroyDuringTrainingIsQuick() {
        auto panel = makePanel();
        setLongAls(*panel);
        QSignalSpy progress(panel.get(), &TrainPanel::progressChanged);
        const QString runId = panel->start();
        QVERIFY(progress.wait(30000));
        QElapsedTimer timer;
        timer.start();
        panel.reset();  // ~TrainPanel -> shutdown()
        const qint64 ms = timer.elapsed();
        qInfo("panel destroyed during training in %lld ms", ms);
        QVERIFY2(ms < 1200, qPrintable(QString::number(ms)));
        // The run is recorded as cancelled, and the next session reads it.
        auto next = makePanel();
        const RunRecord* record = next->history()->find(runId);
        QVERIFY(record);
        QCOMPARE(record->status, RunStatus::Cancelled);
        QVERIFY(record->finishedIterations() >= 1);
        QVERIFY(next->loadProblems().isEmpty());
    }

    void shutdownSlotRecordsCancelled() {
        auto panel = makePanel();
        setLongAls(*panel);
        QSignalSpy progress(panel.get(), &TrainPanel::progressChanged);
        const QString runId = panel->start();
        const QString queued = panel->start();
        QVERIFY(progress.wait(30000));
        QElapsedTimer timer;
        timer.start();
        panel->shutdown();
        QVERIFY2(timer.elapsed() < 1200, qPrintable(QString::number(timer.elapsed())));
        QCOMPARE(panel->history()->find(runId)->status, RunStatus::Cancelled);
        QVERIFY(!panel->history()->find(queued));
        QVERIFY(!panel->startAction()->isEnabled());
        QVERIFY(panel->start().isEmpty());
    }

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
        QCOMPARE(pointCounts(panel.accuracyChart()).value(QStringLiteral("test RMSE")), 4);
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

    void overlaySeveralRuns() {
        auto panel = makePanel();
        setShortAls(*panel, 3);
        QSignalSpy finished(panel.get(), &TrainPanel::runFinished);
        const QString a = panel->start();
        QVERIFY(panel->form()->setValue(QStringLiteral("iterations"), QStringLiteral("5")));
        const QString b = panel->start();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 2, 30000);
        panel->historyView()->selectAll();
        QCOMPARE(panel->shownRuns().size(), 2);
        const auto counts = pointCounts(panel->accuracyChart());
        QCOMPARE(counts.size(), 4);  // train and test RMSE of each run
        int three = 0, five = 0;
        for (int n : counts) three += n == 3, five += n == 5;
        QCOMPARE(three, 2);
        QCOMPARE(five, 2);
        QCOMPARE(pointCounts(panel->objectiveChart()).size(), 2);
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

    void everyModelKindTrains_data() { addModelKindRows(); }
    void everyModelKindTrains() {
        QFETCH(QString, kind);
        auto panel = makePanel();
        panel->setModelKind(kind);
        HyperparameterForm* form = panel->form();
        for (const char* key : {"iterations", "epochs"})
            if (form->editor(QString::fromLatin1(key)))
                QVERIFY(form->setValue(QString::fromLatin1(key), "2"));
        for (const char* key : {"k", "factors"})
            if (form->editor(QString::fromLatin1(key)))
                QVERIFY(form->setValue(QString::fromLatin1(key), "4"));
        if (form->editor(QStringLiteral("layers")))
            QVERIFY(form->setValue(QStringLiteral("layers"), "16,8"));
        if (form->editor(QStringLiteral("eval_every")))
            QVERIFY(form->setValue(QStringLiteral("eval_every"), "1"));
        QSignalSpy finished(panel.get(), &TrainPanel::runFinished);
        QSignalSpy progress(panel.get(), &TrainPanel::progressChanged);
        const QString runId = panel->start();
        QVERIFY(finished.wait(120000));
        const RunRecord* record = panel->history()->find(runId);
        QVERIFY2(record->status == RunStatus::Completed, qPrintable(record->message));
        QCOMPARE(progress.count(), record->finishedIterations());
        // Every metric series holds one point per iteration that reported that metric.
        const auto acc = pointCounts(panel->accuracyChart());
        QVERIFY(!acc.isEmpty());
        if (acc.contains(QStringLiteral("test RMSE")))
            QCOMPARE(acc.value(QStringLiteral("test RMSE")),
                     finiteCount(record->history, &TrainingSnapshot::testRmse));
        if (acc.contains(QStringLiteral("HR@10")))
            QCOMPARE(acc.value(QStringLiteral("HR@10")),
                     finiteCount(record->history, &TrainingSnapshot::hr10));
        QCOMPARE(pointCounts(panel->objectiveChart()).value(QStringLiteral("objective")),
                 finiteCount(record->history, &TrainingSnapshot::objective));
        QVERIFY(library_->find(runId));
    }

    // The columns a user compares come first; the Seed column is gone because the Split column
    // always names the seed.
    void historyColumnsPutResultsFirst() {
        RunHistoryModel model;
        QStringList headers;
        for (int c = 0; c < model.columnCount(); ++c)
            headers << model.headerData(c, Qt::Horizontal).toString();
        const QStringList leading{QStringLiteral("Started"),          QStringLiteral("Model"),
                                  QStringLiteral("Test RMSE"),        QStringLiteral("HR@10"),
                                  QStringLiteral("NDCG@10"),          QStringLiteral("Status"),
                                  QStringLiteral("Hyper-parameters"), QStringLiteral("Split")};
        QCOMPARE(headers.mid(0, leading.size()), leading);
        QVERIFY2(!headers.contains(QStringLiteral("Seed")), qPrintable(headers.join(", ")));
        for (const char* rest : {"Train RMSE", "Iterations", "Duration"})
            QVERIFY2(headers.contains(QLatin1String(rest)), rest);
        for (int c = 0; c < model.columnCount(); ++c)
            QVERIFY2(!model.headerData(c, Qt::Horizontal, Qt::ToolTipRole).toString().isEmpty(),
                     qPrintable(headers[c]));

        // Every enum value reads the value its header names.
        model.addRun(finishedRun(QStringLiteral("a"), QStringLiteral("als"), 0.8765, kNoMetric, 5));
        model.addRun(
            finishedRun(QStringLiteral("b"), QStringLiteral("neumf"), kNoMetric, 0.625, 4));
        auto text = [&](int row, int column) {
            return model.data(model.index(row, column)).toString();
        };
        auto headerOf = [&](int column) { return headers.at(column); };
        QCOMPARE(headerOf(RunHistoryModel::TestRmseColumn), QStringLiteral("Test RMSE"));
        QCOMPARE(text(0, RunHistoryModel::TestRmseColumn), QStringLiteral("0.8765"));
        QCOMPARE(headerOf(RunHistoryModel::TrainRmseColumn), QStringLiteral("Train RMSE"));
        QCOMPARE(text(0, RunHistoryModel::TrainRmseColumn), QStringLiteral("0.7765"));
        QCOMPARE(headerOf(RunHistoryModel::Hr10Column), QStringLiteral("HR@10"));
        QCOMPARE(text(1, RunHistoryModel::Hr10Column), QStringLiteral("0.6250"));
        QCOMPARE(headerOf(RunHistoryModel::Ndcg10Column), QStringLiteral("NDCG@10"));
        QCOMPARE(text(1, RunHistoryModel::Ndcg10Column), QStringLiteral("0.3125"));
        QCOMPARE(headerOf(RunHistoryModel::StatusColumn), QStringLiteral("Status"));
        QCOMPARE(text(0, RunHistoryModel::StatusColumn), QStringLiteral("completed"));
        QCOMPARE(headerOf(RunHistoryModel::ModelColumn), QStringLiteral("Model"));
        QCOMPARE(text(1, RunHistoryModel::ModelColumn), model.record(1).modelDisplayName);
        QCOMPARE(headerOf(RunHistoryModel::HyperparametersColumn),
                 QStringLiteral("Hyper-parameters"));
        QCOMPARE(text(1, RunHistoryModel::HyperparametersColumn),
                 model.record(1).spec.hyperparameterText());
        QCOMPARE(headerOf(RunHistoryModel::SplitColumn), QStringLiteral("Split"));
        QCOMPARE(text(0, RunHistoryModel::SplitColumn),
                 QStringLiteral("per-user holdout 20% (seed 42)"));
        QCOMPARE(headerOf(RunHistoryModel::IterationsColumn), QStringLiteral("Iterations"));
        QCOMPARE(text(0, RunHistoryModel::IterationsColumn), QStringLiteral("1/1"));
        QCOMPARE(headerOf(RunHistoryModel::DurationColumn), QStringLiteral("Duration"));
        QCOMPARE(text(0, RunHistoryModel::DurationColumn), formatDuration(1.5));
        // Numbers right-aligned, text left.
        auto alignment = [&](int column) {
            return model.data(model.index(0, column), Qt::TextAlignmentRole).value<Qt::Alignment>();
        };
        for (int c : {RunHistoryModel::TestRmseColumn, RunHistoryModel::Hr10Column,
                      RunHistoryModel::Ndcg10Column, RunHistoryModel::TrainRmseColumn,
                      RunHistoryModel::IterationsColumn, RunHistoryModel::DurationColumn})
            QVERIFY2(alignment(c) & Qt::AlignRight, qPrintable(headers[c]));
        for (int c : {RunHistoryModel::ModelColumn, RunHistoryModel::HyperparametersColumn,
                      RunHistoryModel::SplitColumn, RunHistoryModel::StatusColumn})
            QVERIFY2(!(alignment(c) & Qt::AlignRight), qPrintable(headers[c]));

        // The Hyper-parameters cell's tooltip holds every setting in full.
        const QString tip =
            model.data(model.index(1, RunHistoryModel::HyperparametersColumn), Qt::ToolTipRole)
                .toString();
        QVERIFY(model.record(1).spec.hyperparameters.size() >= 5);
        for (const auto& [key, value] : model.record(1).spec.hyperparameters)
            QVERIFY2(tip.contains(QStringLiteral("%1 %2").arg(key, value)),
                     qPrintable(key + QStringLiteral(": ") + tip));
    }

    // In a 1280 px window the panel shows the result columns without scrolling, and sorting by a
    // result column orders the runs by that number.
    void historyResultsVisibleAt1280() {
        auto panel = makePanel();
        panel->resize(kLaptopStage);
        for (const char* kind : {"neumf", "als", "bias"})
            panel->history()->addRun(
                finishedRun(QStringLiteral("run-%1").arg(kind), QLatin1String(kind),
                            kind == std::string("neumf") ? kNoMetric
                            : kind == std::string("als") ? 0.85
                                                         : 0.95,
                            kind == std::string("neumf") ? 0.6 : kNoMetric, kind[0]));
        panel->show();
        QVERIFY(QTest::qWaitForWindowExposed(panel.get()));
        QTableView* view = panel->historyView();
        QHeaderView* header = view->horizontalHeader();
        const int viewportWidth = view->viewport()->width();
        for (int c : {RunHistoryModel::StartedColumn, RunHistoryModel::ModelColumn,
                      RunHistoryModel::TestRmseColumn, RunHistoryModel::Hr10Column,
                      RunHistoryModel::Ndcg10Column, RunHistoryModel::StatusColumn}) {
            const int right = header->sectionViewportPosition(c) + header->sectionSize(c);
            QVERIFY2(right <= viewportWidth,
                     qPrintable(QStringLiteral("column %1 ends at %2 of %3 px")
                                    .arg(panel->history()->headerData(c, Qt::Horizontal).toString())
                                    .arg(right)
                                    .arg(viewportWidth)));
            // Wide enough for its values (not elided).
            for (int row = 0; row < view->model()->rowCount(); ++row) {
                const QString value = view->model()->index(row, c).data().toString();
                QVERIFY2(view->fontMetrics().horizontalAdvance(value) < header->sectionSize(c),
                         qPrintable(value));
            }
        }
        // Sorting by test RMSE: numbers, runs without the metric ("-") first.
        view->sortByColumn(RunHistoryModel::TestRmseColumn, Qt::AscendingOrder);
        QStringList order;
        for (int row = 0; row < view->model()->rowCount(); ++row)
            order << view->model()->index(row, 0).data(RunHistoryModel::RunIdRole).toString();
        QCOMPARE(order, (QStringList{"run-neumf", "run-als", "run-bias"}));
        view->sortByColumn(RunHistoryModel::Hr10Column, Qt::DescendingOrder);
        QCOMPARE(view->model()->index(0, 0).data(RunHistoryModel::RunIdRole).toString(),
                 QStringLiteral("run-neumf"));
    }

    // The settings column is as wide as the filled form of every model: no group box, label or
    // field cut at the right edge (the horizontal scroll bar is off).
    void settingsColumnFitsForm_data() { addModelKindRows(); }
    void settingsColumnFitsForm() {
        QFETCH(QString, kind);
        auto panel = makePanel();
        panel->resize(kLaptopStage);
        panel->show();
        QVERIFY(QTest::qWaitForWindowExposed(panel.get()));
        panel->setModelKind(kind);
        QScrollArea* area = panel->settingsArea();
        QWidget* settings = area->widget();
        QVERIFY(area->horizontalScrollBarPolicy() == Qt::ScrollBarAlwaysOff);
        // The splitter and the scroll area apply the new minimum in the next layout pass.
        QTRY_VERIFY2(settings->width() <= area->viewport()->width() &&
                         settings->width() >= settings->sizeHint().width(),
                     qPrintable(QStringLiteral("settings %1 px (wants %2) in a %3 px viewport")
                                    .arg(settings->width())
                                    .arg(settings->sizeHint().width())
                                    .arg(area->viewport()->width())));
        const int right = area->viewport()->width();
        auto rightEdge = [&](QWidget* w) {
            return w->mapTo(area->viewport(), QPoint(w->width(), 0)).x();
        };
        const auto boxes = settings->findChildren<QGroupBox*>();
        QCOMPARE(boxes.size(), 2);
        for (QGroupBox* box : boxes) {
            QVERIFY2(rightEdge(box) <= right, qPrintable(QStringLiteral("%1 ends at %2 of %3 px")
                                                             .arg(box->title())
                                                             .arg(rightEdge(box))
                                                             .arg(right)));
        }
        int checked = 0;
        for (QWidget* w : settings->findChildren<QWidget*>()) {
            if (!w->isVisibleTo(settings) || w->parentWidget()->inherits("QAbstractSpinBox") ||
                w->parentWidget()->inherits("QComboBox") || qobject_cast<QScrollBar*>(w))
                continue;
            const auto* label = qobject_cast<QLabel*>(w);
            if (label && label->wordWrap()) {
                // Wrapped text keeps inside the column.
                QVERIFY2(rightEdge(w) <= right, qPrintable(label->text()));
                continue;
            }
            // Form labels ("Test share") at their full text, fields at least at their minimum.
            const int wanted = label ? w->sizeHint().width() : w->minimumSizeHint().width();
            QVERIFY2(w->width() >= wanted && rightEdge(w) <= right,
                     qPrintable(QStringLiteral("%1 \"%2\": %3 px of %4, right edge %5 of %6")
                                    .arg(QLatin1String(w->metaObject()->className()),
                                         label ? label->text() : w->toolTip().left(40))
                                    .arg(w->width())
                                    .arg(wanted)
                                    .arg(rightEdge(w))
                                    .arg(right)));
            ++checked;
        }
        QVERIFY(checked >= 10);
    }

    // The seed is named once: in the split's text ("(seed 42)"), or as "model seed N" where
    // the split's text does not name it (or names a different one).
    void labelsNameTheSeedOnce_data() {
        QTest::addColumn<QString>("split");
        QTest::addColumn<quint64>("splitSeed");
        QTest::addColumn<quint64>("modelSeed");
        QTest::addColumn<QString>("expected");
        QTest::newRow("per-user") << "per-user:0.2" << quint64(42) << quint64(42)
                                  << "per-user holdout 20% (seed 42)";
        QTest::newRow("random") << "random:0.1" << quint64(9) << quint64(9)
                                << "global random 10% (seed 9)";
        QTest::newRow("leave-one-out") << "loo" << quint64(42) << quint64(42)
                                       << "leave-one-out latest per user · model seed 42";
        QTest::newRow("temporal") << "time:1200000000" << quint64(7) << quint64(7)
                                  << "model seed 7";
        QTest::newRow("split seed differs") << "per-user:0.2" << quint64(7) << quint64(42)
                                            << "per-user holdout 20% (seed 7) · model seed 42";
    }
    void labelsNameTheSeedOnce() {
        QFETCH(QString, split);
        QFETCH(quint64, splitSeed);
        QFETCH(quint64, modelSeed);
        QFETCH(QString, expected);
        RunRecord r =
            finishedRun(QStringLiteral("seeded"), QStringLiteral("als"), 0.9, kNoMetric, 1);
        r.spec.split = SplitSpec::parse(split.toStdString(), splitSeed);
        r.spec.seed = modelSeed;
        const QString seedWord = QStringLiteral("seed %1").arg(modelSeed);
        for (const QString& text : {r.label(), r.spec.splitAndSeedText()}) {
            QVERIFY2(text.contains(expected), qPrintable(text));
            QVERIFY2(occurrences(text, seedWord) == 1, qPrintable(text));
        }
        QCOMPARE(r.label(), QStringLiteral("ALS k %1 · %2 · test RMSE 0.900")
                                .arg(r.spec.value(QStringLiteral("k")), r.spec.splitAndSeedText()));

        // The history's Split column and the chart footer say the same, the seed once.
        auto panel = makePanel();
        panel->history()->addRun(r);
        QCOMPARE(panel->history()
                     ->data(panel->history()->index(0, RunHistoryModel::SplitColumn))
                     .toString(),
                 r.spec.splitAndSeedText());
        panel->showRuns({r.id});
        const QString footer = panel->accuracyCard()->exportOptions().footer;
        QVERIFY2(footer.contains(expected) && occurrences(footer, seedWord) == 1,
                 qPrintable(footer));
    }

    // A run started from the panel logs its settings with the seed once.
    void startLogsTheSeedOnce() {
        auto panel = makePanel();
        setShortAls(*panel, 1);
        panel->setSeed(17);
        QSignalSpy finished(panel.get(), &TrainPanel::runFinished);
        const QString runId = panel->start();
        QVERIFY(!runId.isEmpty());
        QVERIFY(finished.wait(30000));
        QString line;
        for (const QString& l : panel->logView()->toPlainText().split(QLatin1Char('\n')))
            if (line.isEmpty() && l.contains(QStringLiteral("run %1:").arg(runId))) line = l;
        QVERIFY2(line.contains(QStringLiteral("per-user holdout 20% (seed 17)")), qPrintable(line));
        QCOMPARE(occurrences(line, QStringLiteral("seed")), 1);
        const QString label = panel->history()->find(runId)->label();
        QCOMPARE(occurrences(label, QStringLiteral("seed")), 1);
        QVERIFY(library_->find(runId));
        QCOMPARE(occurrences(library_->find(runId)->label, QStringLiteral("seed")), 1);
    }
};

QTEST_MAIN(TstTrainPanel)
#include "tst_train_panel.moc"
