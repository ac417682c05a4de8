#pragma once
// Train > Sweep… (Ctrl+Shift+W): a hyper-parameter search (lens::runSweep) of the Train
// settings' model. The user ticks one or more numeric hyper-parameters (SweepAxesForm) with the
// values to try, grid or random search of N trials and the validation metric (RMSE for rating
// models; NDCG@10, HR@10 sampled or over all movies for ranking models); every other setting,
// the split and the seed are the Train settings' when the dialog opened.
//
// Run starts the sweep through the Train stage's RunQueue (SweepSession): every trial is a
// queued training run of its own, in the run history as "sweep N, trial i/n" (so the Compare
// stage can pick it), trained on the training part minus a validation part and scored on
// validation only (a trial never touches the test part: its history row has validation figures
// and no test figures). Its row, its chart points (SweepCharts) and the progress bar follow the
// runs' outcomes as they finish. The best trial by validation is then queued once more, retrained
// on the whole training part and tested once (the sweep's final run, "best (trial i/n)
// retrained"): the result box shows its validation figure (the trial's) and test figure, and
// "Apply best settings" writes the best values (with the settings the sweep held fixed, its split
// and seed) into the Train settings, ready for a normal Start.
// Cancel (and closing the dialog) removes the sweep's queued runs and stops its running one
// (kept as "stopped"); finished trials stay in the history. The dialog never waits for a worker:
// the queue owns the training (and waits, bounded, when the window closes).
#include <QDialog>
#include <QPointer>
#include <memory>
#include <optional>

#include "charts/Figure.h"
#include "train/TrainingRun.h"
#include "tuning/Sweep.h"

class QComboBox;
class QGroupBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QRadioButton;
class QSpinBox;
class QTableView;

namespace lens {
class Dataset;
}

namespace lens::ui {

class RunQueue;
class SweepAxesForm;
class SweepCharts;
class SweepSession;
class SweepTrialModel;
class TrainSettingsForm;

class SweepDialog : public QDialog {
    Q_OBJECT
public:
    // Reads the model, its settings, the split and the seed from `settings` (which "Apply best
    // settings" writes back to; not owned, may go away first). Trials run through `queue` (the
    // Train stage's; not owned, may go away first).
    SweepDialog(std::shared_ptr<const lens::Dataset> dataset, TrainSettingsForm* settings,
                RunQueue* queue, QWidget* parent = nullptr);
    ~SweepDialog() override;  // cancels a running sweep (its finished trials stay in history)

    QString modelKind() const { return spec_.modelKind; }
    const RunSpec& baseSpec() const { return spec_; }
    // The sweep the dialog's controls describe (meaningful when isValid()).
    lens::SweepConfig config() const;
    lens::SplitSpec split() const { return spec_.split; }
    bool isValid() const;
    QString problems() const;  // why Run is disabled (one line per problem), empty when valid
    bool isRunning() const;
    // The sweep last started (null before Run): its runs' ids, its state.
    SweepSession* session() const { return session_; }
    // The finished sweep, if the last one finished (not cancelled or failed).
    const std::optional<lens::SweepResult>& result() const { return result_; }

    SweepAxesForm* axesForm() const { return axes_; }
    QComboBox* metricCombo() const { return metric_; }
    QRadioButton* gridButton() const { return grid_; }
    QRadioButton* randomButton() const { return random_; }
    QSpinBox* randomTrialsSpin() const { return randomTrials_; }
    QPushButton* runButton() const { return runButton_; }
    QPushButton* cancelButton() const { return cancelButton_; }
    QPushButton* applyButton() const { return applyButton_; }
    QLabel* messageLabel() const { return message_; }
    QLabel* bestLabel() const { return bestLabel_; }
    QGroupBox* resultBox() const { return resultBox_; }
    QProgressBar* progressBar() const { return progress_; }
    QLabel* progressLabel() const { return progressLabel_; }
    SweepTrialModel* trialModel() const { return trials_; }
    QTableView* trialView() const { return trialView_; }
    SweepCharts* charts() const { return charts_; }

public slots:
    bool run();  // false when invalid or already running
    void cancel();
    bool applyBest();  // false without a result or without the Train settings

    void done(int r) override;  // closing cancels a running sweep

signals:
    void trialFinished(int index, int total);
    void sweepFinished();
    void sweepCancelled();
    void sweepFailed(const QString& message);
    void bestApplied();

private:
    QWidget* buildSetup();
    QWidget* buildResults();
    void fillMetrics();
    void updateState();
    void onTrial(std::size_t index, std::size_t total, const lens::SweepTrial& trial);
    void onFinalQueued(int best);
    void onFinished();
    void onFailed(const QString& message);
    void onCancelled(const QString& why);
    QString metricLabel(const QString& metric) const;
    QString paramText(const std::vector<std::pair<std::string, std::string>>& params) const;
    Provenance provenance() const;

    std::shared_ptr<const lens::Dataset> dataset_;
    QPointer<TrainSettingsForm> settings_;
    QPointer<RunQueue> queue_;
    RunSpec spec_;
    QString modelName_;
    QString specError_;  // the Train settings could not be read
    bool ratingModel_ = true;

    SweepAxesForm* axes_ = nullptr;
    QComboBox* metric_ = nullptr;
    QRadioButton* grid_ = nullptr;
    QRadioButton* random_ = nullptr;
    QSpinBox* randomTrials_ = nullptr;
    QLabel* trialCount_ = nullptr;
    QLabel* message_ = nullptr;
    QPushButton* runButton_ = nullptr;
    QPushButton* cancelButton_ = nullptr;
    QProgressBar* progress_ = nullptr;
    QLabel* progressLabel_ = nullptr;
    QWidget* setup_ = nullptr;
    SweepCharts* charts_ = nullptr;
    SweepTrialModel* trials_ = nullptr;
    QTableView* trialView_ = nullptr;
    QGroupBox* resultBox_ = nullptr;
    QLabel* bestLabel_ = nullptr;
    QPushButton* applyButton_ = nullptr;

    std::size_t finishedTrials_ = 0, totalTrials_ = 0;
    std::optional<lens::SweepResult> result_;
    SweepSession* session_ = nullptr;  // the sweep last started (a child)
};

}  // namespace lens::ui
