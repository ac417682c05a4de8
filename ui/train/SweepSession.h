#pragma once
// One sweep of the Sweep dialog, run through the Train stage's RunQueue (issue #17): every trial
// is a queued training run of its own, recorded in the run history with the sweep's membership
// (RunSpec::sweep: "sweep 3, trial 2/12"; its settings are the base settings with the trial's
// values, lens::withTrialValues). The runner trains a trial on the fit part with validation
// curves and scores it on validation only, never on the test part (tuning/Sweep.h
// fitSweepTrial). As the trials' runs finish, trialFinished brings each one's validation figure
// (completed trials only: a stopped or failed trial has none and is never chosen). When all have
// finished, the best by validation (lens::bestSweepTrial, as runSweep chooses) is queued once
// more as the sweep's final run, retrained on training + validation and scored on the test part
// once (fitSweepFinal); its outcome completes the result (a lens::SweepResult, as runSweep
// returns it, plus the runs' ids).
//
// cancel() removes the sweep's queued runs (from the queue and the history) and stops its running
// one (kept in the history as "stopped"); finished trials stay in the history. A sweep whose runs
// are removed or cancelled from elsewhere (Clear queue, a new dataset, the window closing) ends
// as cancelled too. The session never waits for a worker: the queue owns the training.
#include <QObject>
#include <QPointer>
#include <QString>
#include <QStringList>

#include "train/TrainingRun.h"
#include "train/TrainingRunner.h"
#include "tuning/Sweep.h"

namespace lens::ui {

class RunQueue;

class SweepSession : public QObject {
    Q_OBJECT
public:
    enum class State { Idle, Trials, Final, Finished, Cancelled, Failed };

    explicit SweepSession(RunQueue* queue, QObject* parent = nullptr);

    // Queues the trials of `config` (its metric resolved, lens::sweepMetric) on `base` (model,
    // other settings, split, seed). False with *error for a bad config, a session already used,
    // or a queue that takes no runs (no dataset, shut down).
    bool start(const RunSpec& base, const QString& modelDisplayName,
               const lens::SweepConfig& config, QString* error = nullptr);
    void cancel();  // only while running

    State state() const { return state_; }
    bool isRunning() const { return state_ == State::Trials || state_ == State::Final; }
    int number() const { return number_; }  // "sweep 3"; 0 before start()
    // The trials' run ids in trial order, and the final run's (empty until queued).
    const QStringList& trialRunIds() const { return trialRunIds_; }
    QString finalRunId() const { return finalRunId_; }
    std::size_t finishedTrials() const { return finished_; }
    // The trials (figures NaN until their run finished), and once finished the best and the
    // test figure of the final run.
    const lens::SweepResult& result() const { return result_; }

signals:
    void trialFinished(int index, int total, const lens::SweepTrial& trial);
    void finalQueued(int bestIndex);  // all trials finished; the best is retrained
    void finished();                  // result() is whole
    void cancelled(const QString& why);
    void failed(const QString& message);

private:
    void onRunFinished(const lens::ui::TrainingRunner::Outcome& outcome);
    void onRunsGone(const QStringList& runIds, const QString& why);
    void queueFinal();
    // Ends the sweep as cancelled: its queued runs removed, its running one stopped.
    void abandon(State state);
    RunSpec specFor(const lens::SweepTrial& trial, int trialNumber, bool final) const;

    QPointer<RunQueue> queue_;
    State state_ = State::Idle;
    RunSpec base_;
    QString modelDisplayName_;
    lens::SweepConfig config_;
    lens::SweepResult result_;
    int number_ = 0;
    QString sweepId_;
    QStringList trialRunIds_;
    QString finalRunId_;
    std::size_t finished_ = 0;
};

}  // namespace lens::ui
