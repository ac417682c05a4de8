// The Train panel's runs end to end on a small synthetic release: Start (Ctrl+Return) trains in
// the worker with one progress signal and one chart point per finished iteration, the first
// completed run becomes the active model when none is, Stop (Esc) keeps a consistent partial
// model and a "stopped" history row, runs queue, a new dataset drops the running job's late
// results, destroying the panel mid-training or shutting it down cancels the run and records
// "cancelled", several runs overlay, every model kind trains, and a run's log line names the
// seed once. (Settings and history views: tst_train_settings_history; files across sessions:
// tst_train_persistence.)
#include <QAbstractItemModelTester>
#include <QFile>
#include <QFontMetrics>
#include <QLogValueAxis>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QTableView>

#include <QAbstractAxis>

#include "charts/ChartFigure.h"
#include "charts/Figure.h"
#include "charts/FigureCard.h"
#include "train/TrainingRunner.h"
#include "tst_train_fixture.h"

using namespace lens;
using namespace lens::ui;
using namespace lens::test;

class TstTrainPanel : public QObject, private TrainFixture {
    Q_OBJECT

private slots:
    void initTestCase() { setUpFixture("tst_train_panel"); }
    void init() { emptyRunsAndLibrary(); }

    void startTrainsWithLiveProgress() {
        auto panel = makePanel();
        QAbstractItemModelTester tester(panel->history(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        panel->show();
        QVERIFY(QTest::qWaitForWindowExposed(panel.get()));
        panel->activateWindow();
        setShortAls(*panel, 6);
        // No run yet: the charts say so and their axes carry no numbers.
        const auto axesNumbered = [](ChartFigure* view) {
            bool any = false;
            for (QAbstractAxis* axis : view->chart()->axes()) any = any || axis->labelsVisible();
            return any;
        };
        for (ChartFigure* view : {panel->accuracyChart(), panel->objectiveChart()}) {
            QVERIFY(!view->placeholderText().isEmpty());
            QVERIFY(!axesNumbered(view));
        }
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
        QCOMPARE(acc.value(QStringLiteral("validation RMSE")), 6);
        QCOMPARE(pointCounts(panel->objectiveChart()).value(QStringLiteral("objective")), 6);
        for (ChartFigure* view : {panel->accuracyChart(), panel->objectiveChart()}) {
            QVERIFY(view->placeholderText().isEmpty());
            QVERIFY(axesNumbered(view));
        }
        // The Status column shows "completed" whole, though the run was "running" when the
        // columns were fitted to it.
        {
            QTableView* view = panel->historyView();
            const QString status =
                view->model()->index(0, RunHistoryModel::StatusColumn).data().toString();
            QCOMPARE(status, QStringLiteral("completed"));
            QVERIFY(view->columnWidth(RunHistoryModel::StatusColumn) >=
                    QFontMetrics(view->font()).horizontalAdvance(status) + 8);
        }
        QVERIFY(libraryChanged.count() >= 1);
        QVERIFY(library_->find(runId));
        QVERIFY(panel->logView()->toPlainText().contains(QStringLiteral("iteration 6/6")));

        // Log scale keeps the points and uses a log axis.
        panel->setLogScale(true);
        QVERIFY(qobject_cast<QLogValueAxis*>(
            panel->objectiveChart()->chart()->axes(Qt::Vertical).first()));
        QCOMPARE(pointCounts(panel->objectiveChart()).value(QStringLiteral("objective")), 6);

        // No model was active: the finished run became the active one.
        QCOMPARE(library_->activeId(), runId);

        // Make active.
        library_->setActive({});
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

    // Issue #19: the first completed run becomes the active model when none is (Rank and Map
    // stop saying "No model is active"), and the log says so; later runs do not take its place,
    // and a stopped run does not become active on its own.
    void firstCompletedRunBecomesActive() {
        auto panel = makePanel();
        QVERIFY(library_->activeId().isEmpty());
        setLongAls(*panel);
        QSignalSpy progress(panel.get(), &TrainPanel::progressChanged);
        QSignalSpy finished(panel.get(), &TrainPanel::runFinished);
        QSignalSpy active(library_.get(), &ModelLibrary::activeChanged);
        const QString stopped = panel->start();
        QVERIFY(progress.wait(30000));
        panel->stop();
        QVERIFY(finished.wait(30000));
        QCOMPARE(finished.last().at(1).value<RunStatus>(), RunStatus::Stopped);
        QVERIFY(library_->find(stopped));
        QVERIFY(library_->activeId().isEmpty());

        setShortAls(*panel, 2);
        const QString first = panel->start();
        QVERIFY(finished.wait(30000));
        QCOMPARE(finished.last().at(1).value<RunStatus>(), RunStatus::Completed);
        QCOMPARE(library_->activeId(), first);
        QCOMPARE(active.count(), 1);
        QVERIFY(panel->logView()->toPlainText().contains(
            QStringLiteral("run %1 is the active model of the Rank and Map panels").arg(first)));

        const QString second = panel->start();
        QVERIFY(finished.wait(30000));
        QVERIFY(library_->find(second));
        QCOMPARE(library_->activeId(), first);
        QCOMPARE(active.count(), 1);
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
        QCOMPARE(pointCounts(panel->accuracyChart()).value(QStringLiteral("validation RMSE")),
                 done);
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
        QVERIFY(panel->startAction()->isEnabled());
        // Late snapshots and the outcome of the superseded job never arrive. The runner's one
        // worker thread takes the next run only after the superseded job has returned, so
        // whatever that job sent is delivered (or dropped) before the next run's outcome.
        setShortAls(*panel, 1);
        const QString next = panel->start();
        QVERIFY(!next.isEmpty());
        QVERIFY(finished.wait(30000));
        QCOMPARE(finished.count(), 1);
        QCOMPARE(finished.first().at(0).toString(), next);
        QCOMPARE(panel->history()->find(runId)->status, RunStatus::Cancelled);
        QCOMPARE(panel->history()->find(runId)->finishedIterations(), seen);
        QVERIFY(panel->history()->find(runId)->modelFile.isEmpty());
        QVERIFY(!QFile::exists(QDir(runFolder()).filePath(runId + QStringLiteral(".lamodel"))));
        QVERIFY(!library_->find(runId));
        QVERIFY(library_->find(next));
    }

    // Destroying the panel mid-training cancels the run instead of waiting for it to finish:
    // the record says "cancelled" with the iterations seen so far, and no model is saved.
    void destroyDuringTrainingCancels() {
        auto panel = makePanel();
        setLongAls(*panel);
        QSignalSpy progress(panel.get(), &TrainPanel::progressChanged);
        const QString runId = panel->start();
        QVERIFY(progress.wait(30000));
        panel.reset();  // ~TrainPanel -> shutdown()
        // The run is recorded as cancelled, and the next session reads it.
        auto next = makePanel();
        const RunRecord* record = next->history()->find(runId);
        QVERIFY(record);
        QCOMPARE(record->status, RunStatus::Cancelled);
        QVERIFY2(record->message.startsWith(
                     QStringLiteral("cancelled: the window was closed during training")),
                 qPrintable(record->message));
        QVERIFY2(record->finishedIterations() >= 1 && record->finishedIterations() < 1000,
                 qPrintable(QString::number(record->finishedIterations())));
        QVERIFY(record->modelFile.isEmpty());
        QVERIFY(!QFile::exists(QDir(runFolder()).filePath(runId + QStringLiteral(".lamodel"))));
        QVERIFY(next->loadProblems().isEmpty());
    }

    void shutdownSlotRecordsCancelled() {
        auto panel = makePanel();
        setLongAls(*panel);
        QSignalSpy progress(panel.get(), &TrainPanel::progressChanged);
        QSignalSpy finished(panel.get(), &TrainPanel::runFinished);
        const QString runId = panel->start();
        const QString queued = panel->start();
        QVERIFY(progress.wait(30000));
        panel->shutdown();
        // At once: the run is cancelled, the queued one gone, the runner idle, the history saved.
        QCOMPARE(panel->history()->find(runId)->status, RunStatus::Cancelled);
        QVERIFY(!panel->history()->find(queued));
        QVERIFY(!panel->runner()->isRunning());
        QVERIFY(panel->runner()->queuedRunIds().isEmpty());
        QVERIFY(!panel->stopAction()->isEnabled());
        QVERIFY(!panel->startAction()->isEnabled());
        QVERIFY(panel->start().isEmpty());
        RunHistoryModel saved;
        saved.setFolder(runFolder());
        QVERIFY(saved.load().isEmpty());
        QCOMPARE(saved.find(runId)->status, RunStatus::Cancelled);
        QVERIFY(!saved.find(queued));
        panel->shutdown();  // idempotent
        QCOMPARE(panel->history()->find(runId)->status, RunStatus::Cancelled);
        QCOMPARE(finished.count(), 0);  // the cancelled job's outcome is dropped
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
