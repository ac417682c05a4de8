#pragma once
// Stage 2-3, Train: pick a model (RecommenderFactory), edit its hyper-parameters (a form
// generated from Recommender::hyperparameters()) or apply a preset of the study, choose the
// split protocol and seed, then Start. Training runs in TrainingRunner's worker; every finished
// iteration arrives as a TrainingSnapshot and moves the progress bar (iteration, elapsed, ETA =
// elapsed / done x remaining), extends the live charts (train/test RMSE, or HR@10 / NDCG@10 for
// ranking models; the objective with an optional log scale) and adds a log line. Stop ends the
// run within one iteration and keeps the partial model ("stopped"); Start while a run is going
// queues the new one.
//
// Every run is a row of the run history (RunHistoryModel), persisted in
// QStandardPaths::AppDataLocation/training-runs with its saved model. Selecting rows overlays
// their curves; "Make active" puts the run's model in the ModelLibrary and activates it for the
// Rank and Map panels (finished runs are added to the library automatically, saved ones are
// loaded in the background when the panel starts).
//
// shutdown() (called by the destructor, and by MainWindow::closeEvent) cancels a running job,
// waits at most about one second for the worker and records the run as "cancelled".
#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QPointer>
#include <QStringList>
#include <QWidget>
#include <memory>

#include "charts/Figure.h"
#include "train/SavedModelLoader.h"
#include "train/TrainingRun.h"
#include "train/TrainingRunner.h"

class QAction;
class QComboBox;
class QDateTimeEdit;
class QDoubleSpinBox;
class QLabel;
class QLineSeries;
class QPlainTextEdit;
class QProgressBar;
class QScrollArea;
class QSortFilterProxyModel;
class QSpinBox;
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
class SavedModelLoader;

class TrainPanel : public QWidget {
    Q_OBJECT
public:
    // A preset: model kind and hyper-parameters (the study's practicals, or the model defaults).
    struct Preset {
        QString name;
        QString tooltip;
        QString modelKind;  // empty: keep the current model (tuned defaults)
        HyperparameterValues values;
    };
    static QList<Preset> presets();

    TrainPanel(DatasetController* controller, ModelLibrary* models, QWidget* parent = nullptr);
    ~TrainPanel() override;  // shutdown()

    // Charts for "Save all charts" and the report: accuracy per iteration, objective per
    // iteration (of the runs shown).
    QList<const Figure*> figures() const;
    ChartFigure* accuracyChart() const { return accuracyChart_; }
    ChartFigure* objectiveChart() const { return objectiveChart_; }
    FigureCard* accuracyCard() const { return accuracyCard_; }
    FigureCard* objectiveCard() const { return objectiveCard_; }

    RunHistoryModel* history() const { return history_; }
    TrainingRunner* runner() const { return runner_; }
    HyperparameterForm* form() const { return form_; }
    QTableView* historyView() const { return historyView_; }
    QScrollArea* settingsArea() const { return settingsScroll_; }  // the settings column
    QProgressBar* progressBar() const { return progress_; }
    QLabel* progressLabel() const { return progressLabel_; }
    QPlainTextEdit* logView() const { return log_; }
    QAction* startAction() const { return startAction_; }
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
    QStringList shownRuns() const { return shownRuns_; }

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
    // Closing the window: cancel the running job, wait at most ~1 s for the worker, record the
    // run as "cancelled" and save the history. Idempotent; the panel accepts no new runs after.
    void shutdown();

signals:
    void runStarted(const QString& runId);
    void progressChanged(const QString& runId, int iteration, int totalIterations);
    void runFinished(const QString& runId, lens::ui::RunStatus status);
    void savedModelsLoaded();

private:
    struct RunSeries {
        QLineSeries* trainRmse = nullptr;
        QLineSeries* testRmse = nullptr;
        QLineSeries* hr10 = nullptr;
        QLineSeries* ndcg10 = nullptr;
        QLineSeries* objective = nullptr;
    };

    void buildUi();
    void createActions();
    void onDatasetChanged(std::shared_ptr<const lens::Dataset> dataset);
    void onJobStarted(quint64 jobId, const QString& runId);
    void onSnapshot(quint64 jobId, const lens::TrainingSnapshot& snapshot);
    void onJobFinished(const TrainingRunner::Outcome& outcome);
    void onQueueCleared(const QStringList& runIds);
    void onSelectionChanged();
    void updateActions();
    void updateSplitEditors();
    void updateSettingsWidth();  // the settings column's minimum width from the filled form
    void updateQueueLabel();
    void appendLog(const QString& line);
    void saveHistory();
    void loadSavedModels();
    void onSavedModelsLoaded(const QList<SavedModelLoader::Loaded>& loaded);
    void addToLibrary(const QString& runId, std::shared_ptr<const lens::Recommender> model,
                      std::shared_ptr<const lens::Dataset> dataset);
    void rebuildCharts();
    void appendPoint(const RunSeries& series, const lens::TrainingSnapshot& s);
    void updateAxes();
    void updateCardTexts();
    bool isRankingRun(const RunRecord& record) const;
    QString newRunId() const;

    DatasetController* controller_;
    // Guarded: MainWindow may destroy the library before this panel (shutdown() then skips it).
    QPointer<ModelLibrary> models_;
    std::shared_ptr<const lens::Dataset> dataset_;
    TrainingRunner* runner_;
    RunHistoryModel* history_;
    QSortFilterProxyModel* historyProxy_;

    QComboBox* modelCombo_ = nullptr;
    QComboBox* presetCombo_ = nullptr;
    HyperparameterForm* form_ = nullptr;
    QComboBox* splitCombo_ = nullptr;
    QDoubleSpinBox* fractionSpin_ = nullptr;
    QDateTimeEdit* cutoffEdit_ = nullptr;
    QSpinBox* seedSpin_ = nullptr;
    QLabel* datasetLabel_ = nullptr;
    QScrollArea* settingsScroll_ = nullptr;
    QLabel* queueLabel_ = nullptr;
    QProgressBar* progress_ = nullptr;
    QLabel* progressLabel_ = nullptr;
    QPlainTextEdit* log_ = nullptr;
    QTableView* historyView_ = nullptr;
    ChartFigure* accuracyChart_ = nullptr;
    ChartFigure* objectiveChart_ = nullptr;
    FigureCard* accuracyCard_ = nullptr;
    FigureCard* objectiveCard_ = nullptr;

    QAction* startAction_ = nullptr;
    QAction* stopAction_ = nullptr;
    QAction* clearQueueAction_ = nullptr;
    QAction* makeActiveAction_ = nullptr;
    QAction* logScaleAction_ = nullptr;

    QStringList shownRuns_;
    QHash<QString, RunSeries> series_;
    bool logScale_ = false;
    QElapsedTimer runClock_;
    QStringList loadProblems_;
    QString pendingActivation_;
    SavedModelLoader* savedModels_;
    bool shutDown_ = false;
};

}  // namespace lens::ui
