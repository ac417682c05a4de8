// Train > Sweep…: every trial is a run of the Train stage's RunQueue, recorded in the run
// history (model and file) as "sweep N, trial i/n" with its validation figure and no test
// figure, and the dialog's table matches those runs; the trials and the choice are those of an
// independent lens::runSweep call (the engine is deterministic), and the best retrained on
// training + validation is a run of its own ("best retrained") whose test figure is the engine's.
// Apply best writes the best values into the Train settings form, bad values disable Run with a
// message naming the parameter, Cancel mid-sweep removes the queued trials, stops the running one
// and keeps the finished ones in the history (and leaves the dialog usable), Clear queue in the
// Train stage cancels the sweep, the charts are drawn (log x for a lambda spanning decades), and
// the Train panel's Sweep… action (Ctrl+Shift+W) opens the dialog and closing the panel mid-sweep
// exits cleanly with the finished trials in the history file. Waits are on signals and states,
// never on time.
#include <QAbstractItemModelTester>
#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QScatterSeries>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>
#include <memory>

#include "DatasetController.h"
#include "UiTestSetup.h"
#include "charts/ChartFigure.h"
#include "charts/ImageContent.h"
#include "data/Dataset.h"
#include "io/RunHistoryFile.h"
#include "models/ModelLibrary.h"
#include "models/RecommenderFactory.h"
#include "synth/SyntheticGenerator.h"
#include "train/HyperparameterForm.h"
#include "train/RunHistoryModel.h"
#include "train/RunQueue.h"
#include "train/SweepAxesForm.h"
#include "train/SweepCharts.h"
#include "train/SweepDialog.h"
#include "train/SweepSession.h"
#include "train/SweepTrialModel.h"
#include "train/TrainLog.h"
#include "train/TrainPanel.h"
#include "train/TrainSettingsForm.h"
#include "tuning/Sweep.h"

using namespace lens;
using namespace lens::ui;

namespace {

// Types `text` into a row's line edit as a user would.
void typeValues(SweepDialog& dialog, const QString& key, const QString& text) {
    QLineEdit* edit = dialog.axesForm()->valuesEdit(key);
    QVERIFY(edit);
    edit->selectAll();
    QTest::keyClick(edit, Qt::Key_Delete);
    QTest::keyClicks(edit, text);
}

std::vector<std::pair<std::string, std::string>> fixedExcept(const HyperparameterValues& values,
                                                             const QStringList& swept) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& [key, value] : values)
        if (!swept.contains(key)) out.emplace_back(key.toStdString(), value.toStdString());
    return out;
}

}  // namespace

class TstSweepDialog : public QObject {
    Q_OBJECT
public:
    static void initMain() { lens::test::useOffscreenPlatform(); }

private slots:
    void initTestCase() {
        QVERIFY(home_.isValid());
        qputenv("HOME", home_.path().toLocal8Bit());
        QVERIFY2(lens::test::startIsolatedUiTest("tst_sweep_dialog"), "no font installed");
        SyntheticConfig config;
        config.ratings = 20'000;
        config.tags = false;
        dataset_ = std::make_shared<const Dataset>(generateSyntheticDataset(config));
    }

    void init() {
        // A Train stage's queue and history of its own for each test (the panel's parts).
        runsDir_ = std::make_unique<QTemporaryDir>();
        QVERIFY(runsDir_->isValid());
        history_ = std::make_unique<RunHistoryModel>();
        history_->setFolder(runsDir_->path());
        log_ = std::make_unique<TrainLog>();
        queue_ = std::make_unique<RunQueue>(history_.get(), log_.get());
        queue_->setDataset(dataset_);
        settings_ = std::make_unique<TrainSettingsForm>();
        settings_->setModelKind(QStringLiteral("als"));
        QVERIFY(settings_->form()->setValue(QStringLiteral("k"), QStringLiteral("12")));
        QVERIFY(settings_->form()->setValue(QStringLiteral("iterations"), QStringLiteral("2")));
    }
    void cleanup() {
        settings_.reset();
        if (queue_) queue_->shutdown();
        queue_.reset();
        log_.reset();
        history_.reset();
        runsDir_.reset();
    }

    // (1) A 2 x 2 grid of k and lambda gives the trials of an independent runSweep call.
    void gridMatchesTheEngine() {
        SweepDialog dialog(dataset_, settings_.get(), queue_.get());
        QAbstractItemModelTester tester(dialog.trialModel(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        dialog.axesForm()->setSwept(QStringLiteral("k"), true);
        dialog.axesForm()->setSwept(QStringLiteral("lambda"), true);
        typeValues(dialog, QStringLiteral("k"), QStringLiteral("4, 8"));
        typeValues(dialog, QStringLiteral("lambda"), QStringLiteral("0.05,0.5"));
        QVERIFY2(dialog.isValid(), qPrintable(dialog.problems()));
        QCOMPARE(dialog.metricCombo()->currentData().toString(), QStringLiteral("rmse"));

        // The config the test expects, built from the form independently of the dialog.
        SweepConfig expected;
        expected.modelKind = "als";
        expected.axes = {{"k", {"4", "8"}}, {"lambda", {"0.05", "0.5"}}};
        expected.seed = settings_->currentSpec().seed;
        expected.metric = "rmse";
        expected.fixed = fixedExcept(settings_->form()->values(), {"k", "lambda"});
        const SweepConfig actual = dialog.config();
        QCOMPARE(actual.modelKind, expected.modelKind);
        QCOMPARE(actual.axes.size(), expected.axes.size());
        for (std::size_t a = 0; a < expected.axes.size(); ++a) {
            QCOMPARE(actual.axes[a].key, expected.axes[a].key);
            QVERIFY(actual.axes[a].values == expected.axes[a].values);
        }
        QCOMPARE(actual.randomTrials, 0);
        QCOMPARE(actual.seed, expected.seed);
        QVERIFY(actual.fixed == expected.fixed);

        QSignalSpy trials(&dialog, &SweepDialog::trialFinished);
        QSignalSpy finished(&dialog, &SweepDialog::sweepFinished);
        QTest::mouseClick(dialog.runButton(), Qt::LeftButton);
        QVERIFY(dialog.isRunning());
        QVERIFY(!dialog.runButton()->isEnabled());
        QVERIFY(dialog.cancelButton()->isEnabled());
        QVERIFY(finished.wait(120000));
        QCOMPARE(trials.count(), 4);
        QCOMPARE(trials.last().at(1).toInt(), 4);
        QCOMPARE(dialog.progressBar()->value(), 4);
        QVERIFY(dialog.result().has_value());
        QVERIFY(dialog.resultBox()->isVisibleTo(&dialog));
        QVERIFY(dialog.bestLabel()->text().contains(QStringLiteral("tested once")));
        QVERIFY(dialog.applyButton()->isEnabled());
        QVERIFY(dialog.runButton()->isEnabled());

        const SweepResult engine = runSweep(*dataset_, settings_->currentSpec().split, expected);
        const SweepResult& shown = *dialog.result();
        QCOMPARE(shown.trials.size(), std::size_t(4));
        QCOMPARE(dialog.trialModel()->rowCount(), 4);
        for (std::size_t t = 0; t < 4; ++t) {
            QVERIFY(shown.trials[t].params == engine.trials[t].params);
            QCOMPARE(shown.trials[t].validation, engine.trials[t].validation);
            const QModelIndex cell =
                dialog.trialModel()->index(int(t), dialog.trialModel()->validationColumn());
            QCOMPARE(cell.data(SweepTrialModel::SortRole).toDouble(), engine.trials[t].validation);
        }
        QCOMPARE(shown.best, engine.best);
        QCOMPARE(shown.bestValidation, engine.bestValidation);
        QCOMPARE(shown.bestTest, engine.bestTest);
        QCOMPARE(dialog.trialModel()->best(), std::optional<std::size_t>(engine.best));
        QCOMPARE(dialog.charts()->best(), std::optional<std::size_t>(engine.best));

        // Every trial is a run in the history: the base settings with its values, validation
        // figures only (never tested), and the dialog's table row is that run's figure.
        const SweepSession* session = dialog.session();
        QCOMPARE(session->number(), 1);
        QCOMPARE(session->trialRunIds().size(), 4);
        const auto runs = sweepRuns(1);
        QCOMPARE(runs.size(), std::size_t(5));  // four trials and the best retrained
        for (int t = 0; t < 4; ++t) {
            const RunRecord* r = history_->find(session->trialRunIds()[t]);
            QVERIFY(r);
            QCOMPARE(r->status, RunStatus::Completed);
            QVERIFY(r->spec.sweep && !r->spec.sweep->final);
            QCOMPARE(r->spec.sweep->trial, t + 1);
            QCOMPARE(r->spec.sweep->trials, 4);
            QCOMPARE(r->spec.sweep->metric, std::string("rmse"));
            QCOMPARE(r->spec.sweepText(), QStringLiteral("sweep 1, trial %1/4").arg(t + 1));
            const HyperparameterValues expectedValues = [&] {
                HyperparameterValues v = settings_->form()->values();
                for (auto& [key, value] : v)
                    for (const auto& [k, val] : engine.trials[std::size_t(t)].params)
                        if (key.toStdString() == k) value = QString::fromStdString(val);
                return v;
            }();
            QVERIFY(r->spec.hyperparameters == expectedValues);
            QCOMPARE(r->validationFigure(&HeldOutFigures::rmse),
                     engine.trials[std::size_t(t)].validation);
            QVERIFY(!r->finalTest);  // the test part is not touched by a trial
            QVERIFY(std::isnan(r->testFigure(&HeldOutFigures::rmse)));
            QVERIFY(r->perUserFile.isEmpty());
            QVERIFY(!r->modelFile.isEmpty());  // the trained model is kept (Compare can use it)
            QCOMPARE(r->history.size(), std::size_t(2));  // validation curves, as any run
            QCOMPARE(dialog.trialModel()
                         ->index(t, dialog.trialModel()->validationColumn())
                         .data(SweepTrialModel::SortRole)
                         .toDouble(),
                     r->validationFigure(&HeldOutFigures::rmse));
            const QModelIndex sweepCell =
                history_->index(history_->rowOf(r->id), RunHistoryModel::SweepColumn);
            QCOMPARE(sweepCell.data().toString(), QStringLiteral("sweep 1, trial %1/4").arg(t + 1));
            QVERIFY(r->label().contains(QStringLiteral("sweep 1, trial %1/4").arg(t + 1)));
        }
        // The best, retrained on training + validation and tested once: a run of its own.
        const RunRecord* best = history_->find(session->finalRunId());
        QVERIFY(best);
        QCOMPARE(best->status, RunStatus::Completed);
        QVERIFY(best->spec.sweep && best->spec.sweep->final);
        QCOMPARE(best->spec.sweep->trial, int(engine.best) + 1);
        QVERIFY(best->spec.hyperparameters ==
                history_->find(session->trialRunIds()[int(engine.best)])->spec.hyperparameters);
        QVERIFY(best->finalTest);
        QCOMPARE(best->testFigure(&HeldOutFigures::rmse), engine.bestTest);
        QVERIFY(!best->finalValidation);  // it trained on the validation part
        QVERIFY(!best->perUserFile.isEmpty());
        QCOMPARE(history_->index(history_->rowOf(best->id), RunHistoryModel::SweepColumn)
                     .data()
                     .toString(),
                 QStringLiteral("sweep 1, best (trial %1/4) retrained").arg(engine.best + 1));
        QVERIFY(dialog.bestLabel()->text().contains(best->id));

        // The history file holds the same five runs with their membership.
        const RunHistoryContents file =
            loadRunHistory(QFile::encodeName(history_->indexPath()).toStdString());
        QVERIFY(file.problems.empty());
        QCOMPARE(file.runs.size(), std::size_t(5));
        for (const RunHistoryEntry& e : file.runs) {
            const RunRecord* r = history_->find(QString::fromStdString(e.id));
            QVERIFY(r && e.sweep);
            QVERIFY(*e.sweep == *r->spec.sweep);
            QVERIFY(e.finalValidation == r->finalValidation);
            QVERIFY(e.finalTest == r->finalTest);
        }
        QVERIFY(queue_->queuedRunIds().isEmpty());
        QVERIFY(!queue_->isRunning());
    }

    // (1b) A ranking model judged by a full-catalogue metric: the trials' runs carry every
    // validation figure (evaluateModel on validation), the same as runSweep's.
    void rankingModelByFullCatalogueMetric() {
        settings_->setModelKind(QStringLiteral("als-implicit"));
        QVERIFY(settings_->form()->setValue(QStringLiteral("k"), QStringLiteral("8")));
        QVERIFY(settings_->form()->setValue(QStringLiteral("iterations"), QStringLiteral("2")));
        SweepDialog dialog(dataset_, settings_.get(), queue_.get());
        for (const QString& key : dialog.axesForm()->keys())
            dialog.axesForm()->setSwept(key, key == QLatin1String("k"));
        typeValues(dialog, QStringLiteral("k"), QStringLiteral("4, 16"));
        dialog.metricCombo()->setCurrentIndex(
            dialog.metricCombo()->findData(QStringLiteral("full_ndcg10")));
        QCOMPARE(dialog.config().metric, std::string("full_ndcg10"));
        QSignalSpy finished(&dialog, &SweepDialog::sweepFinished);
        QVERIFY(dialog.run());
        QVERIFY(finished.wait(120000));
        const SweepResult engine =
            runSweep(*dataset_, settings_->currentSpec().split, dialog.config());
        const SweepResult& shown = *dialog.result();
        QCOMPARE(shown.trials.size(), std::size_t(2));
        for (std::size_t t = 0; t < 2; ++t) {
            QVERIFY(std::isfinite(engine.trials[t].validation));
            QCOMPARE(shown.trials[t].validation, engine.trials[t].validation);
            const RunRecord* r = history_->find(dialog.session()->trialRunIds()[int(t)]);
            QCOMPARE(r->validationFigure(&HeldOutFigures::fullNdcg10), engine.trials[t].validation);
        }
        QCOMPARE(shown.best, engine.best);
        QCOMPARE(shown.bestTest, engine.bestTest);
        QCOMPARE(
            history_->find(dialog.session()->finalRunId())->testFigure(&HeldOutFigures::fullNdcg10),
            engine.bestTest);
    }

    // (2) Apply best puts the best values, the fixed ones, the split and the seed into the form.
    void applyBestFillsTheForm() {
        SweepDialog dialog(dataset_, settings_.get(), queue_.get());
        QAbstractItemModelTester tester(dialog.trialModel(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        dialog.axesForm()->setSwept(QStringLiteral("k"), true);
        dialog.axesForm()->setSwept(QStringLiteral("lambda"), true);
        typeValues(dialog, QStringLiteral("k"), QStringLiteral("3, 6"));
        typeValues(dialog, QStringLiteral("lambda"), QStringLiteral("0.02, 2"));
        QVERIFY(!dialog.applyButton()->isEnabled());
        QVERIFY(!dialog.applyBest());  // nothing to apply yet
        QSignalSpy finished(&dialog, &SweepDialog::sweepFinished);
        QVERIFY(dialog.run());
        QVERIFY(finished.wait(120000));
        // The user changes the form meanwhile; Apply restores the sweep's settings.
        QVERIFY(settings_->form()->setValue(QStringLiteral("iterations"), QStringLiteral("7")));
        const SweepTrial& best = dialog.result()->trials[dialog.result()->best];
        QSignalSpy applied(&dialog, &SweepDialog::bestApplied);
        QTest::mouseClick(dialog.applyButton(), Qt::LeftButton);
        QCOMPARE(applied.count(), 1);
        for (const auto& [key, value] : best.params)
            QCOMPARE(settings_->form()->value(QString::fromStdString(key)).toDouble(),
                     QString::fromStdString(value).toDouble());
        QCOMPARE(settings_->form()->value(QStringLiteral("iterations")), QStringLiteral("2"));
        QVERIFY(settings_->isValid());
        QVERIFY(dialog.messageLabel()->text().contains(QStringLiteral("Applied")));
    }

    // (3) Bad values disable Run with a message naming the parameter.
    void badValuesDisableRun_data() {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("values");
        QTest::addColumn<QString>("label");
        QTest::newRow("k out of range") << "k"
                                        << "8, 300"
                                        << "Factors (k)";
        QTest::newRow("k not a number") << "k"
                                        << "8, abc"
                                        << "Factors (k)";
        QTest::newRow("k not whole") << "k"
                                     << "2.5"
                                     << "Factors (k)";
        QTest::newRow("k twice") << "k"
                                 << "4, 4"
                                 << "Factors (k)";
        QTest::newRow("k empty") << "k"
                                 << " , "
                                 << "Factors (k)";
        QTest::newRow("lambda negative") << "lambda"
                                         << "-1, 0.1"
                                         << "Factor regularisation";
        QTest::newRow("iterations zero") << "iterations"
                                         << "0"
                                         << "Iterations";
    }
    void badValuesDisableRun() {
        QFETCH(QString, key);
        QFETCH(QString, values);
        QFETCH(QString, label);
        SweepDialog dialog(dataset_, settings_.get(), queue_.get());
        dialog.axesForm()->setSwept(key, true);
        QVERIFY(dialog.runButton()->isEnabled());
        const QString good = dialog.axesForm()->valuesEdit(key)->text();
        typeValues(dialog, key, values);
        QVERIFY(!dialog.runButton()->isEnabled());
        QVERIFY(!dialog.run());
        QVERIFY2(dialog.messageLabel()->text().contains(label),
                 qPrintable(dialog.messageLabel()->text()));
        // Unticking the row, or fixing it, enables Run again.
        dialog.axesForm()->setSwept(key, false);
        dialog.axesForm()->setSwept(QStringLiteral("k"), key != QLatin1String("k"));
        if (key != QLatin1String("k")) QVERIFY(dialog.runButton()->isEnabled());
        dialog.axesForm()->setSwept(key, true);
        typeValues(dialog, key, good);
        QVERIFY2(dialog.runButton()->isEnabled(), qPrintable(dialog.messageLabel()->text()));
        QVERIFY(dialog.messageLabel()->text().isEmpty());
    }

    void noParameterDisablesRun() {
        SweepDialog dialog(dataset_, settings_.get(), queue_.get());
        for (const QString& key : dialog.axesForm()->keys())
            dialog.axesForm()->setSwept(key, false);
        QVERIFY(!dialog.runButton()->isEnabled());
        QVERIFY(dialog.messageLabel()->text().contains(QStringLiteral("at least one")));
    }

    // (4) Cancel mid-sweep: no result; the queued trials are gone from the queue and the
    // history, the running one is stopped, the finished ones stay (in the file too); the dialog
    // is usable (a new sweep, number 2, finishes).
    void cancelMidSweep() {
        SweepDialog dialog(dataset_, settings_.get(), queue_.get());
        QAbstractItemModelTester tester(dialog.trialModel(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        dialog.axesForm()->setSwept(QStringLiteral("k"), true);
        dialog.axesForm()->setSwept(QStringLiteral("iterations"), true);
        typeValues(dialog, QStringLiteral("k"), QStringLiteral("8, 16, 24, 32, 48, 64"));
        typeValues(dialog, QStringLiteral("iterations"), QStringLiteral("5, 10, 15, 20"));
        QSignalSpy trials(&dialog, &SweepDialog::trialFinished);
        QSignalSpy cancelled(&dialog, &SweepDialog::sweepCancelled);
        QSignalSpy finished(&dialog, &SweepDialog::sweepFinished);
        QVERIFY(dialog.run());
        QVERIFY(trials.wait(120000));
        const QStringList ids = dialog.session()->trialRunIds();
        QCOMPARE(ids.size(), 24);
        QTest::mouseClick(dialog.cancelButton(), Qt::LeftButton);
        QCOMPARE(cancelled.count(), 1);
        const int finishedBefore = int(trials.count());
        // Nothing of the sweep is queued; what is left in the history is what ran.
        for (const QString& id : ids) QVERIFY(!queue_->queuedRunIds().contains(id));
        QTRY_VERIFY_WITH_TIMEOUT(!queue_->isRunning(), 120000);  // the running trial stopped
        const auto left = sweepRuns(1);
        QVERIFY(int(left.size()) >= finishedBefore);
        QVERIFY(int(left.size()) <= finishedBefore + 1);
        QVERIFY(left.size() < 24);
        int completed = 0;
        for (const RunRecord* r : left) {
            QVERIFY(r->status == RunStatus::Completed || r->status == RunStatus::Stopped);
            QVERIFY(!r->spec.sweep->final);
            completed += r->status == RunStatus::Completed;
        }
        QVERIFY(completed >= finishedBefore);
        QCOMPARE(trials.count(), finishedBefore);  // a trial stopped by Cancel is not reported
        const RunHistoryContents file =
            loadRunHistory(QFile::encodeName(history_->indexPath()).toStdString());
        QCOMPARE(file.runs.size(), left.size());
        // The dialog's rows are the finished trials' runs.
        QCOMPARE(dialog.trialModel()->rowCount(), finishedBefore);
        for (int t = 0; t < finishedBefore; ++t)
            QCOMPARE(dialog.trialModel()
                         ->index(t, dialog.trialModel()->validationColumn())
                         .data(SweepTrialModel::SortRole)
                         .toDouble(),
                     history_->find(ids[t])->validationFigure(&HeldOutFigures::rmse));
        QVERIFY(!dialog.isRunning());
        QVERIFY(!dialog.result());
        QVERIFY(!dialog.resultBox()->isVisibleTo(&dialog));
        QVERIFY(!dialog.applyButton()->isEnabled());
        QVERIFY(dialog.runButton()->isEnabled());
        QVERIFY(!dialog.cancelButton()->isEnabled());
        QVERIFY(dialog.progressLabel()->text().contains(QStringLiteral("Cancelled")));
        QCOMPARE(finished.count(), 0);
        QVERIFY(dialog.trialModel()->rowCount() < 24);  // stopped mid-sweep

        // Usable: a small sweep runs to the end (the cancelled one's results never arrive).
        typeValues(dialog, QStringLiteral("k"), QStringLiteral("4"));
        typeValues(dialog, QStringLiteral("iterations"), QStringLiteral("1, 2"));
        QVERIFY(dialog.run());
        QVERIFY(finished.wait(120000));
        QCOMPARE(finished.count(), 1);
        QVERIFY(dialog.result());
        QCOMPARE(dialog.result()->trials.size(), std::size_t(2));
        QCOMPARE(dialog.trialModel()->rowCount(), 2);
        QVERIFY(dialog.resultBox()->isVisibleTo(&dialog));
        QCOMPARE(dialog.session()->number(), 2);
        QCOMPARE(sweepRuns(2).size(), std::size_t(3));
        QCOMPARE(sweepRuns(1).size(), left.size());  // the cancelled sweep's runs stay
    }

    // Clear queue in the Train stage takes the sweep's queued trials: the sweep ends cancelled.
    void clearQueueCancelsTheSweep() {
        SweepDialog dialog(dataset_, settings_.get(), queue_.get());
        dialog.axesForm()->setSwept(QStringLiteral("k"), true);
        typeValues(dialog, QStringLiteral("k"), QStringLiteral("4, 8, 16, 24"));
        QSignalSpy cancelled(&dialog, &SweepDialog::sweepCancelled);
        QVERIFY(dialog.run());
        QVERIFY(!queue_->queuedRunIds().isEmpty());
        queue_->clearQueue();
        QCOMPARE(cancelled.count(), 1);
        QVERIFY(!dialog.isRunning());
        QVERIFY(dialog.progressLabel()->text().contains(QStringLiteral("removed")));
        QTRY_VERIFY_WITH_TIMEOUT(!queue_->isRunning(), 120000);
        QVERIFY(sweepRuns(1).size() <= 1);  // at most the trial that was running
    }

    // (5) The charts are drawn: points, the best highlighted, a log x axis for lambda by decades.
    void chartShowsTheTrials() {
        SweepDialog dialog(dataset_, settings_.get(), queue_.get());
        dialog.axesForm()->setSwept(QStringLiteral("k"), true);
        dialog.axesForm()->setSwept(QStringLiteral("lambda"), true);
        typeValues(dialog, QStringLiteral("k"), QStringLiteral("4, 8"));
        typeValues(dialog, QStringLiteral("lambda"), QStringLiteral("0.01, 0.1, 1"));
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QSignalSpy finished(&dialog, &SweepDialog::sweepFinished);
        QVERIFY(dialog.run());
        QCOMPARE(dialog.charts()->charts().size(), 2);
        QVERIFY(finished.wait(120000));
        QVERIFY(!dialog.charts()->isLogScale(0));  // k 4, 8
        QVERIFY(dialog.charts()->isLogScale(1));   // lambda 0.01 .. 1
        for (ChartFigure* chart : dialog.charts()->charts()) {
            int points = 0, best = 0;
            for (QAbstractSeries* s : chart->chart()->series())
                if (auto* scatter = qobject_cast<QScatterSeries*>(s))
                    (scatter->markerSize() > 10 ? best : points) += int(scatter->count());
            QCOMPARE(points, 6);
            QCOMPARE(best, 1);
            QVERIFY(imageHasContent(chart->grab().toImage()));
        }
        QCOMPARE(dialog.charts()->figures().size(), 2);
        QVERIFY(imageHasContent(renderFigureImage(*dialog.charts()->figures().first(),
                                                  FigureExportOptions{{}, 96, {}})));
    }

    void defaultValuesAroundTheCurrentOne() {
        Hyperparameter k{"k", "12", "Factors (k)", "", 1, 256, true, {}};
        QCOMPARE(SweepAxesForm::defaultValues(k),
                 QStringList({QStringLiteral("6"), QStringLiteral("12"), QStringLiteral("24")}));
        Hyperparameter lambda{"lambda", "0.05", "lambda", "", 0, 1e6, false, {}};
        QCOMPARE(
            SweepAxesForm::defaultValues(lambda),
            QStringList({QStringLiteral("0.005"), QStringLiteral("0.05"), QStringLiteral("0.5")}));
        Hyperparameter share{"dropout", "0.5", "dropout", "", 0, 0.9, false, {}};
        QCOMPARE(SweepAxesForm::defaultValues(share).size(), 3);
        for (const QString& v : SweepAxesForm::defaultValues(share))
            QVERIFY(v.toDouble() >= 0 && v.toDouble() <= 0.9);
        // Every default row of every model kind is valid.
        for (const auto& d : recommenderRegistry()) {
            settings_->setModelKind(QString::fromStdString(d.name));
            SweepDialog dialog(dataset_, settings_.get(), queue_.get());
            QCOMPARE(dialog.modelKind(), QString::fromStdString(d.name));
            QVERIFY(!dialog.axesForm()->keys().isEmpty());
            for (const QString& key : dialog.axesForm()->keys()) {
                for (const QString& other : dialog.axesForm()->keys())
                    dialog.axesForm()->setSwept(other, other == key);
                QVERIFY2(dialog.axesForm()->problems().isEmpty(),
                         qPrintable(QString::fromStdString(d.name) + ": " +
                                    dialog.axesForm()->problems().join('\n')));
                QVERIFY(dialog.runButton()->isEnabled());
            }
            QCOMPARE(dialog.metricCombo()->currentData().toString(),
                     QString::fromLatin1(d.ranking ? "ndcg10" : "rmse"));
        }
    }

    // The Train panel's Sweep… (Ctrl+Shift+W) opens the dialog; destroying the panel mid-sweep
    // cancels it and waits for the worker.
    void trainPanelOpensAndClosesTheDialog() {
        DatasetController controller;
        const Dataset copy = *dataset_;
        controller.setLoadFunction(
            [copy](const std::filesystem::path&, const LoadOptions&) { return copy; });
        QSignalSpy changed(&controller, &DatasetController::datasetChanged);
        controller.openPath(QStringLiteral("synthetic"));
        QVERIFY(changed.wait(30000));
        ModelLibrary library;
        auto panel = std::make_unique<TrainPanel>(&controller, &library);
        QVERIFY(panel->sweepAction());
        QCOMPARE(panel->sweepAction()->shortcut(), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_W));
        QVERIFY(panel->sweepAction()->toolTip().contains(QStringLiteral("validation")));
        QVERIFY(panel->sweepAction()->isEnabled());
        panel->show();
        QVERIFY(QTest::qWaitForWindowExposed(panel.get()));
        panel->activateWindow();
        panel->setFocus();
        panel->setModelKind(QStringLiteral("als"));
        QTest::keyClick(panel.get(), Qt::Key_W, Qt::ControlModifier | Qt::ShiftModifier);
        QPointer<SweepDialog> dialog = panel->sweepDialog();
        QVERIFY(dialog);
        QCOMPARE(dialog->modelKind(), QStringLiteral("als"));
        QCOMPARE(panel->openSweep(), dialog.data());  // the open one is raised, not duplicated

        dialog->axesForm()->setSwept(QStringLiteral("k"), true);
        typeValues(*dialog, QStringLiteral("k"), QStringLiteral("8, 16, 24, 32, 48, 64"));
        QSignalSpy trials(dialog.data(), &SweepDialog::trialFinished);
        QSignalSpy cancelled(dialog.data(), &SweepDialog::sweepCancelled);
        QVERIFY(dialog->run());
        QVERIFY(trials.wait(120000));
        // The trials are runs of the panel's queue and rows of its history.
        QCOMPARE(panel->history()->find(dialog->session()->trialRunIds()[0])->spec.sweepText(),
                 QStringLiteral("sweep 1, trial 1/6"));
        const QString index = panel->history()->indexPath();
        const int finished = int(trials.count());
        panel.reset();  // shutdown closes the dialog (cancel), then the queue's (bounded) wait
        QCOMPARE(cancelled.count(), 1);
        QVERIFY(!dialog);
        // Nothing lost: the finished trials are in the history file.
        const RunHistoryContents file = loadRunHistory(QFile::encodeName(index).toStdString());
        int completed = 0;
        for (const RunHistoryEntry& e : file.runs) {
            QVERIFY(e.sweep && !e.sweep->final);
            completed += e.status == RunStatus::Completed;
        }
        QVERIFY(completed >= finished);
        QVERIFY(file.runs.size() < 6);
    }

private:
    // The sweep's runs in the history, in history order.
    std::vector<const RunRecord*> sweepRuns(int number) const {
        std::vector<const RunRecord*> runs;
        for (const RunRecord& r : history_->runs())
            if (r.spec.sweep && r.spec.sweep->number == number) runs.push_back(&r);
        return runs;
    }

    QTemporaryDir home_;
    std::unique_ptr<QTemporaryDir> runsDir_;
    std::unique_ptr<RunHistoryModel> history_;
    std::unique_ptr<TrainLog> log_;
    std::unique_ptr<RunQueue> queue_;
    std::shared_ptr<const Dataset> dataset_;
    std::unique_ptr<TrainSettingsForm> settings_;
};

QTEST_MAIN(TstSweepDialog)
#include "tst_sweep_dialog.moc"
