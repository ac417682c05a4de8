#pragma once
// Runs training jobs off the GUI thread, one at a time, from a queue.
//
// Each queued run (a RunSpec on the current dataset) gets a job id at once; when it starts, it
// runs through a JobTracker on the runner's own one-thread, low-priority QThreadPool: build the
// split, create the model from RecommenderFactory and train it by the validation protocol
// (lens::trainValidated, tuning/ValidatedTraining.h: the model fits on the training part minus a
// validation part carved with the split's seed, each iteration is scored on validation, the test
// part once when the fit ends) with a lens::FitControl whose std::stop_token is the job's, then
// save the trained model with lens::saveModel and its per-user test metrics beside it
// (<runId>.peruser, engine/io/RunHistoryFile.h), both atomically. Every iteration's
// TrainingSnapshot (a plain value) and the final Outcome reach the GUI thread through the tracker,
// which drops whatever a superseded or cancelled job still sends, so panels only see live results.
//
// A sweep's runs (RunSpec::sweep, SweepSession) train as tuning/Sweep.h says instead: a trial
// fits on the fit part with validation curves and is scored on validation only (never on the
// test part: no test figures, no per-user file); the final run fits on training + validation
// and is scored on the test part once (test figures and per-user metrics, no validation figure).
//
// stop() asks the current job to stop (JobTracker::stop): the engine stops within one half-sweep
// (one mini-batch chunk for NCF) and the partial model is kept, saved and reported as
// RunStatus::Stopped. A new dataset and shutdown() cancel the job (JobTracker::cancel: nothing of
// it is delivered or saved) and clear the queue; shutdown() waits at most a given time for the
// worker. A worker that does not end in time is left to finish on its own: the tracker and the
// pool are then left alive (never deleted) so the worker has something to return to, and the
// tracker drops what it delivers.
//
// Worker threads run at a lower scheduling priority (Linux nice, inherited by the engine's
// OpenMP team, which is created by the pool thread) so the GUI thread keeps a responsive event
// loop on a fully loaded machine (bench_gui_latency measures it).
#include <QObject>
#include <QString>
#include <QStringList>
#include <atomic>
#include <deque>
#include <memory>
#include <optional>
#include <vector>

#include "eval/PerUserMetrics.h"
#include "models/Recommender.h"
#include "train/TrainingRun.h"
#include "tuning/ValidatedTraining.h"

class QThreadPool;

namespace lens {
class Dataset;
}

namespace lens::ui {

class JobContext;
class JobTracker;

class TrainingRunner : public QObject {
    Q_OBJECT
public:
    // What a finished job produced (a value; the model is shared and immutable from now on).
    struct Outcome {
        quint64 jobId = 0;
        QString runId;
        RunStatus status = RunStatus::Failed;            // Completed, Stopped, Cancelled or Failed
        std::shared_ptr<const lens::Recommender> model;  // null when failed or never fitted
        std::vector<lens::TrainingSnapshot> history;
        double seconds = 0.0;  // wall time of the whole job (split, data, fit, save)
        QString modelPath;     // saved model file; empty when not saved
        QString message;       // error text or note
        // The validation protocol: snapshots hold validation figures; the final model's
        // figures on validation and (scored once, after the fit) on the test part.
        std::size_t validationRatings = 0;
        std::optional<lens::HeldOutFigures> finalValidation, finalTest;
        double trainRmse = lens::kNoMetric;  // final model, on the ratings it was fitted on
        std::shared_ptr<const lens::PerUserMetrics> perUser;  // test part; null when not tested
        QString perUserPath;                         // saved per-user metrics; empty when not saved
        std::optional<lens::StopReason> stopReason;  // why the fit ended; absent: no fit
    };

    explicit TrainingRunner(QObject* parent = nullptr);
    ~TrainingRunner() override;  // shutdown(1000)

    // The dataset jobs train on. Changing it cancels the running job (its results are dropped)
    // and clears the queue.
    void setDataset(std::shared_ptr<const lens::Dataset> dataset);
    std::shared_ptr<const lens::Dataset> dataset() const { return dataset_; }
    // Folder where trained models are saved as <runId>.lamodel; empty: models are not saved.
    void setModelDirectory(const QString& directory) { modelDirectory_ = directory; }
    QString modelDirectory() const { return modelDirectory_; }
    // Linux nice value of worker threads (0 keeps the GUI's priority). Default 10.
    void setWorkerNice(int nice) { workerNice_ = nice; }

    // Queues a run; it starts at once when the runner is idle. Returns the job id (0 when there
    // is no dataset).
    quint64 enqueue(const QString& runId, const RunSpec& spec);

    bool isRunning() const { return current_.has_value(); }
    quint64 currentJobId() const;
    QString currentRunId() const;
    QStringList queuedRunIds() const;

public slots:
    // Stops the running job within one iteration; its partial model is kept ("stopped").
    void stop();
    // Removes the queued (not started) runs; emits queueCleared with their ids.
    void clearQueue();
    // Removes those of `runIds` that are queued (not started); emits queueCleared with them
    // (when any) and returns them.
    QStringList removeQueued(const QStringList& runIds);
    // Cancels the running job and clears the queue, then waits at most `msecs` for the worker.
    // Returns true when no worker is left running. Results of the cancelled job are dropped.
    bool shutdown(int msecs = 1000);

signals:
    void jobStarted(quint64 jobId, const QString& runId);
    void jobMessage(quint64 jobId, const QString& message);  // "building split", ...
    void snapshotReady(quint64 jobId, const lens::TrainingSnapshot& snapshot);
    void jobFinished(const lens::ui::TrainingRunner::Outcome& outcome);
    void queueCleared(const QStringList& runIds);
    void idle();  // no job running and none queued

private:
    // A queued or running run, as the GUI thread knows it.
    struct Job {
        quint64 id = 0;
        QString runId;
        RunSpec spec;
        std::shared_ptr<const lens::Dataset> dataset;
        QString modelPath;  // empty: do not save
        int nice = 0;
        // Set when the job is cancelled (not merely stopped): its model is not saved.
        std::shared_ptr<std::atomic<bool>> cancelled = std::make_shared<std::atomic<bool>>(false);
    };
    // The work of one job, on the pool thread. Posts messages and snapshots through `context`.
    Outcome runJob(const Job& job, const JobContext& context);
    void startNext();
    void finish(Outcome outcome);
    void cancelCurrent();

    std::shared_ptr<const lens::Dataset> dataset_;
    QString modelDirectory_;
    int workerNice_ = 10;
    // One worker thread. Both are deleted by the destructor only once no worker runs (see the
    // header comment); the tracker has no parent for that reason.
    QThreadPool* pool_;
    JobTracker* tracker_;
    quint64 nextJobId_ = 1;
    std::optional<Job> current_;
    std::deque<Job> queue_;
    bool shutDown_ = false;
};

}  // namespace lens::ui
