#pragma once
// The Train panel's runs from request to record. start() adds a run of a RunSpec to the run
// history (status "queued") and to the TrainingRunner's queue; the runner's job events become
// the run's row in RunHistoryModel (running, each iteration's snapshot, the outcome with its
// saved model file), the history is saved after each change and each event gets a line in the
// log. A new dataset cancels the running job (recorded as "cancelled") and removes the queued
// runs; shutdown() does the same when the window closes, waiting at most about a second for the
// worker.
#include <QElapsedTimer>
#include <QObject>
#include <QString>
#include <QStringList>
#include <memory>

#include "models/Recommender.h"
#include "train/TrainingRun.h"
#include "train/TrainingRunner.h"

namespace lens {
class Dataset;
}

namespace lens::ui {

class RunHistoryModel;
class TrainLog;

class RunQueue : public QObject {
    Q_OBJECT
public:
    RunQueue(RunHistoryModel* history, TrainLog* log, QObject* parent = nullptr);

    TrainingRunner* runner() const { return runner_; }
    RunHistoryModel* history() const { return history_; }
    std::shared_ptr<const lens::Dataset> dataset() const { return runner_->dataset(); }
    bool isRunning() const { return runner_->isRunning(); }
    bool isShutDown() const { return shutDown_; }
    QString currentRunId() const { return runner_->currentRunId(); }
    QStringList queuedRunIds() const { return runner_->queuedRunIds(); }

    // Records and queues a run (it starts at once when none is running). Returns its id; empty
    // when there is no dataset or after shutdown().
    QString start(const RunSpec& spec, const QString& modelDisplayName);
    void stop();  // the running run stops within one iteration; its partial model is kept
    void clearQueue();
    // Removes those of `runIds` that are queued (from the queue and the history) and stops the
    // running one if it is among them (recorded as stopped, its partial model kept). Returns the
    // removed ids. A sweep's Cancel (SweepSession).
    QStringList removeRuns(const QStringList& runIds);
    // Runs train on this dataset from now on: the running run is cancelled, queued ones removed.
    void setDataset(std::shared_ptr<const lens::Dataset> dataset);
    // Closing the window: cancel the running job, wait at most ~1 s for the worker, record the
    // run as "cancelled", remove queued runs and save the history. Idempotent; no runs after.
    void shutdown();

    void saveHistory();  // reports a failure in the log

signals:
    void runStarted(const QString& runId, const QString& modelDisplayName, int plannedIterations);
    void snapshotRecorded(const QString& runId, const lens::TrainingSnapshot& snapshot);
    // After the run's record holds the outcome.
    void runFinished(const lens::ui::TrainingRunner::Outcome& outcome);
    void runCancelled(const QString& runId);  // by a new dataset or shutdown()
    // Queued runs taken out of the queue and the history (Clear queue, removeRuns(), a new
    // dataset, shutdown()).
    void runsRemoved(const QStringList& runIds);
    void queueChanged();  // a run was queued, started, removed or ended

private:
    void onJobStarted(quint64 jobId, const QString& runId);
    void onSnapshot(quint64 jobId, const lens::TrainingSnapshot& snapshot);
    void onJobFinished(const TrainingRunner::Outcome& outcome);
    void onQueueCleared(const QStringList& runIds);
    // Marks the run cancelled with `why` as its message.
    void recordCancelled(const QString& runId, const QString& why);
    QString newRunId() const;

    RunHistoryModel* history_;
    TrainLog* log_;
    TrainingRunner* runner_;
    QElapsedTimer runClock_;  // since the running run started
    bool shutDown_ = false;
};

}  // namespace lens::ui
