#pragma once
// Stage 2-3, Train: pick a model, edit its hyper-parameters or apply a preset of the study,
// choose the split protocol and seed (TrainSettingsForm), then Start. Runs go through RunQueue:
// a TrainingRunner worker trains them one at a time, each finished iteration moves the progress
// row (RunProgress), extends the live charts (TrainingCharts) and adds a line to the log
// (TrainLog). Stop ends the run within one iteration and keeps the partial model ("stopped");
// Start while a run is going queues the new one.
//
// Every run is a row of the run history (RunHistoryModel), persisted in
// QStandardPaths::AppDataLocation/training-runs with its saved model. Selecting rows overlays
// their curves; "Make active" puts the run's model in the ModelLibrary and activates it for the
// Rank and Map panels. Finished runs are added to the library automatically (the first one
// becomes the active model when none is), saved ones are loaded in the background when the
// panel starts (SavedModelLoader).
//
// Sweep… (Ctrl+Shift+W) opens a SweepDialog on the current settings: a hyper-parameter search by
// validation whose trials (and the best retrained, tested once) are runs of this queue and rows
// of the history ("sweep 3, trial 2/12"), and whose best settings can be applied back to the form.
//
// This class assembles those parts, owns the actions (with their keys) and routes them.
// shutdown() (called by the destructor, and by MainWindow::closeEvent) cancels a running job,
// waits at most about one second for the worker and records the run as "cancelled".
#include <QList>
#include <QPointer>
#include <QStringList>
#include <QWidget>
#include <memory>

#include "charts/Figure.h"
#include "train/SavedModelLoader.h"
#include "train/TrainSettingsForm.h"
#include "train/TrainingRun.h"
#include "train/TrainingRunner.h"

class QAction;
class QLabel;
class QPlainTextEdit;
class QProgressBar;
class QScrollArea;
class QSortFilterProxyModel;
class QTableView;

namespace lens {
class Dataset;
class Recommender;
}  // namespace lens

namespace lens::ui {

class ChartFigure;
class DatasetController;
class FigureCard;
class HyperparameterForm;
class ModelLibrary;
class RunHistoryModel;
class RunProgress;
class RunQueue;
class SweepDialog;
class TrainLog;
class TrainingCharts;

class TrainPanel : public QWidget {
    Q_OBJECT
public:
    using Preset = TrainSettingsForm::Preset;
    static QList<Preset> presets() { return TrainSettingsForm::presets(); }

    TrainPanel(DatasetController* controller, ModelLibrary* models, QWidget* parent = nullptr);
    ~TrainPanel() override;  // shutdown()

    // Charts for "Save all charts" and the report: accuracy per iteration, objective per
    // iteration (of the runs shown).
    QList<const Figure*> figures() const;
    ChartFigure* accuracyChart() const;
    ChartFigure* objectiveChart() const;
    FigureCard* accuracyCard() const;
    FigureCard* objectiveCard() const;

    RunHistoryModel* history() const { return history_; }
    TrainingRunner* runner() const;
    HyperparameterForm* form() const;
    QTableView* historyView() const { return historyView_; }
    QScrollArea* settingsArea() const { return settingsScroll_; }  // the settings column
    QProgressBar* progressBar() const;
    QLabel* progressLabel() const;
    QPlainTextEdit* logView() const;
    QAction* startAction() const { return startAction_; }
    QAction* sweepAction() const { return sweepAction_; }
    QAction* stopAction() const { return stopAction_; }
    QAction* clearQueueAction() const { return clearQueueAction_; }
    QAction* makeActiveAction() const { return makeActiveAction_; }
    QAction* logScaleAction() const { return logScaleAction_; }

    // The folder of the run history and saved models (AppDataLocation/training-runs).
    static QString defaultRunFolder();
    QString runFolder() const;
    // Problems met while reading the history and the saved models (also in the log pane).
    QStringList loadProblems() const { return loadProblems_; }
    bool savedModelsLoading() const;

    // The form's settings as a run request.
    RunSpec currentSpec() const;
    QString modelKind() const;
    void setModelKind(const QString& kind);
    void setSplit(const lens::SplitSpec& split);
    void setSeed(quint64 seed);

    // Shows these runs' curves (synchronously, from the history; no worker needed).
    void showRuns(const QStringList& runIds);
    QStringList shownRuns() const;

public slots:
    // Starts (or queues, when a run is going) a run of the current settings; returns its id,
    // empty when there is no dataset or the form is invalid.
    QString start();
    void stop();        // current run stops within one iteration; partial model kept
    void clearQueue();  // removes runs that have not started
    void applyPreset(const QString& name);
    // Activates the run's model (the selected run when empty) in the ModelLibrary; false when
    // the run has no usable model.
    bool makeActive(const QString& runId = {});
    void setLogScale(bool on);
    // Opens the Sweep dialog on the current settings (raises the open one; a finished or idle one
    // for another model is replaced). Returns it, null without a dataset or after shutdown().
    SweepDialog* openSweep();
    SweepDialog* sweepDialog() const;
    // Closing the window: cancel the running job, wait at most ~1 s for the worker, record the
    // run as "cancelled" and save the history. Idempotent; the panel accepts no new runs after.
    void shutdown();

signals:
    void runStarted(const QString& runId);
    void progressChanged(const QString& runId, int iteration, int totalIterations);
    void runFinished(const QString& runId, lens::ui::RunStatus status);
    void savedModelsLoaded();

private:
    void createActions();
    void buildUi();
    QTableView* buildHistoryView();
    void connectParts();
    void onDatasetChanged(std::shared_ptr<const lens::Dataset> dataset);
    void onRunStarted(const QString& runId, const QString& modelName, int plannedIterations);
    void onSnapshot(const QString& runId, const lens::TrainingSnapshot& snapshot);
    void onRunFinished(const TrainingRunner::Outcome& outcome);
    void onSelectionChanged();
    void updateActions();
    void updateSettingsWidth();  // the settings column's minimum width from the filled form
    void updateQueueLabel();
    void appendLog(const QString& line);
    void loadSavedModels();
    void onSavedModelsLoaded(const QList<SavedModelLoader::Loaded>& loaded);
    void addToLibrary(const QString& runId, std::shared_ptr<const lens::Recommender> model,
                      std::shared_ptr<const lens::Dataset> dataset);

    DatasetController* controller_;
    // Guarded: MainWindow may destroy the library before this panel (shutdown() then skips it).
    QPointer<ModelLibrary> models_;
    std::shared_ptr<const lens::Dataset> dataset_;
    RunHistoryModel* history_;
    QSortFilterProxyModel* historyProxy_;
    TrainLog* log_;
    RunQueue* runs_;
    SavedModelLoader* savedModels_;

    TrainSettingsForm* settings_ = nullptr;
    QScrollArea* settingsScroll_ = nullptr;
    QLabel* queueLabel_ = nullptr;
    RunProgress* progress_ = nullptr;
    TrainingCharts* charts_ = nullptr;
    QTableView* historyView_ = nullptr;

    QAction* startAction_ = nullptr;
    QAction* sweepAction_ = nullptr;
    QAction* stopAction_ = nullptr;
    QAction* clearQueueAction_ = nullptr;
    QAction* makeActiveAction_ = nullptr;
    QAction* logScaleAction_ = nullptr;

    QPointer<SweepDialog> sweepDialog_;
    QStringList loadProblems_;
    QString pendingActivation_;
};

}  // namespace lens::ui
