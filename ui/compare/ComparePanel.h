#pragma once
// The Compare stage: is model A really better than model B? The analyst ticks two or more runs
// of the Train stage's history (CompareRunPicker: same dataset, same split and seed, with the
// reason in words when not), and Compare (Ctrl+Return) runs lens::compareModels in the
// background through a JobTracker (progress bar, Cancel; a new dataset or closing the window
// cancels). Saved models come from the ModelLibrary when it holds them, else from the run's
// model file, checked against the dataset in the worker. A run's per-user metrics file (kept by
// the Train stage when the run finished) supplies the columns it holds where it fits the
// comparison (lens::storedPerUserFit); the rest is computed, and the status line says per model
// which ("A als stored; B als computed (why)").
//
// The result (one immutable lens::Comparison) fills:
//   Tables:    each model's metrics with bootstrap CIs (ComparisonTableModel) and every pair's
//              difference with paired t, Wilcoxon and Holm p-values (PairsTableModel), with the
//              note on sampled vs full protocol disagreements;
//   Per user:  scatter of A against B for a chosen metric, and the per-user distributions;
//   Segments:  activity buckets and popularity tiers (mean and CI per model), and where the
//              release has a user file, gender, age group and occupation (largest first,
//              small groups starred); those three cards are hidden otherwise;
//   Beyond accuracy and protocols: list-level figures, and sampled vs full side by side.
// Every chart is a ChartFigure in a FigureCard (export, provenance footer, teaching caption).
#include <QWidget>
#include <array>
#include <memory>

#include "eval/ModelComparison.h"

class QAction;
class QComboBox;
class QLabel;
class QProgressBar;
class QSpinBox;
class QTabWidget;
class QTableView;

namespace lens {
class Dataset;
}

namespace lens::ui {

class ChartFigure;
class CompareRunPicker;
class ComparisonTableModel;
class DatasetController;
class Figure;
class FigureCard;
class JobTracker;
class ModelLibrary;
class PairsTableModel;
class RunHistoryModel;
struct Provenance;

// Gender, Age and Occupation are shown only for releases with a user file (ml-100k, ml-1m).
enum class CompareChart {
    Scatter,
    Histogram,
    Activity,
    Popularity,
    Beyond,
    Protocols,
    Gender,
    Age,
    Occupation,
    Count
};

class ComparePanel : public QWidget {
    Q_OBJECT
public:
    enum class RunState { Idle, Running };

    ComparePanel(DatasetController* controller, ModelLibrary* models, RunHistoryModel* history,
                 QWidget* parent = nullptr);
    ~ComparePanel() override;

    CompareRunPicker* runPicker() const { return picker_; }
    ComparisonTableModel* metricsModel() const { return metricsModel_; }
    PairsTableModel* pairsModel() const { return pairsModel_; }
    QTableView* metricsView() const { return metricsView_; }
    QTableView* pairsView() const { return pairsView_; }
    QAction* compareAction() const { return compareAction_; }
    QAction* cancelAction() const { return cancelAction_; }
    QProgressBar* progressBar() const { return progress_; }
    QLabel* statusLabel() const { return status_; }
    QLabel* protocolNoteLabel() const { return protocolNote_; }
    QSpinBox* resamplesBox() const { return resamples_; }
    QSpinBox* maxUsersBox() const { return maxUsers_; }
    QComboBox* metricBox() const { return metricBox_; }
    QComboBox* modelABox() const { return modelA_; }
    QComboBox* modelBBox() const { return modelB_; }
    QTabWidget* tabs() const { return tabs_; }

    ChartFigure* chart(CompareChart which) const;
    FigureCard* card(CompareChart which) const;
    QList<const Figure*> figures() const;  // the charts shown (not the hidden demographic ones)
    // False for the demographic charts when the comparison has no such segments.
    bool chartShown(CompareChart which) const;

    RunState runState() const { return state_; }
    // The last comparison shown (null before the first and after a new dataset).
    std::shared_ptr<const Comparison> comparison() const { return comparison_; }
    // What Compare passes to compareModels: the boxes' settings, seeded by the ticked runs'
    // split seed (users sampled and resampled alike for every model), and the dataset's
    // demographics (gender, age and occupation segments where the release has a user file).
    ComparisonOptions options() const;

public slots:
    // Starts a comparison of the ticked runs; false (reason in statusLabel()) when it cannot.
    bool compare();
    void cancel();    // stops the comparison and drops it; the last result stays
    void shutdown();  // cancels and waits (the window is closing)

signals:
    void comparisonFinished();
    void comparisonFailed(const QString& message);
    void runStateChanged(lens::ui::ComparePanel::RunState state);

private:
    void createActions();
    QWidget* buildControls();
    QWidget* buildTablesTab();
    QWidget* buildChartsTab(const QList<CompareChart>& charts, QWidget* header = nullptr);
    void onDatasetChanged(std::shared_ptr<const lens::Dataset> dataset);
    void setRunState(RunState state);
    void updateActions();
    void showComparison(std::shared_ptr<const Comparison> comparison);
    void refreshPerUserCharts();
    void refreshCaptions();
    Provenance provenance() const;

    DatasetController* controller_;
    ModelLibrary* models_;
    RunHistoryModel* history_;
    JobTracker* tracker_;
    std::shared_ptr<const lens::Dataset> dataset_;
    std::shared_ptr<const Comparison> comparison_;
    QString comparedLabels_;  // the runs behind comparison_, for provenance
    QString comparedSplit_;
    RunState state_ = RunState::Idle;

    CompareRunPicker* picker_ = nullptr;
    ComparisonTableModel* metricsModel_ = nullptr;
    PairsTableModel* pairsModel_ = nullptr;
    QTableView* metricsView_ = nullptr;
    QTableView* pairsView_ = nullptr;
    QLabel* metricsCaption_ = nullptr;
    QLabel* pairsCaption_ = nullptr;
    QAction* compareAction_ = nullptr;
    QAction* cancelAction_ = nullptr;
    QProgressBar* progress_ = nullptr;
    QLabel* status_ = nullptr;
    QLabel* protocolNote_ = nullptr;
    QSpinBox* resamples_ = nullptr;
    QSpinBox* maxUsers_ = nullptr;
    QComboBox* metricBox_ = nullptr;
    QComboBox* modelA_ = nullptr;
    QComboBox* modelB_ = nullptr;
    QTabWidget* tabs_ = nullptr;
    std::array<FigureCard*, static_cast<std::size_t>(CompareChart::Count)> cards_{};
};

}  // namespace lens::ui
