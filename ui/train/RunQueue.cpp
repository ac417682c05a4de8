#include "train/RunQueue.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <cmath>

#include "data/Dataset.h"
#include "models/RecommenderFactory.h"
#include "train/RunHistoryModel.h"
#include "train/TrainLog.h"

namespace lens::ui {

namespace {

QString fmt(double v, int precision = 4) {
    return std::isfinite(v) ? QString::number(v, 'f', precision) : QStringLiteral("-");
}

// Iterations a run of this spec will do (for the progress bar until the first snapshot).
int plannedIterations(const RunSpec& spec) {
    return spec.createModel()->iterations();
}

// "iteration 3/20  0.120 s  train RMSE 0.7012  validation RMSE 0.8811 ..." (runs score every
// iteration on their validation part)
QString snapshotLine(const TrainingSnapshot& s) {
    QString line = RunQueue::tr("iteration %1/%2  %3 s")
                       .arg(s.iteration)
                       .arg(s.totalIterations)
                       .arg(s.seconds, 0, 'f', 3);
    if (TrainingSnapshot::hasMetric(s.trainRmse))
        line += RunQueue::tr("  train RMSE %1").arg(fmt(s.trainRmse));
    if (TrainingSnapshot::hasMetric(s.testRmse))
        line += RunQueue::tr("  validation RMSE %1").arg(fmt(s.testRmse));
    if (TrainingSnapshot::hasMetric(s.testMae))
        line += RunQueue::tr("  MAE %1").arg(fmt(s.testMae));
    if (TrainingSnapshot::hasMetric(s.objective))
        line += RunQueue::tr("  objective %1").arg(fmt(s.objective, 2));
    if (TrainingSnapshot::hasMetric(s.hr10))
        line += RunQueue::tr("  validation HR@10 %1").arg(fmt(s.hr10));
    if (TrainingSnapshot::hasMetric(s.ndcg10))
        line += RunQueue::tr("  NDCG@10 %1").arg(fmt(s.ndcg10));
    return line;
}

// "RMSE 0.8600, MAE 0.6579" / "HR@10 0.7508, NDCG@10 0.5066 (sampled); HR@10 0.0754 (full)".
QString figuresText(const HeldOutFigures& f) {
    QStringList parts;
    if (std::isfinite(f.rmse))
        parts << RunQueue::tr("RMSE %1, MAE %2").arg(fmt(f.rmse), fmt(f.mae));
    if (std::isfinite(f.hr10))
        parts << RunQueue::tr("HR@10 %1, NDCG@10 %2 (sampled)").arg(fmt(f.hr10), fmt(f.ndcg10));
    if (std::isfinite(f.fullHr10))
        parts << RunQueue::tr("HR@10 %1, NDCG@10 %2 (all movies)")
                     .arg(fmt(f.fullHr10), fmt(f.fullNdcg10));
    return parts.join(QStringLiteral("; "));
}

}  // namespace

RunQueue::RunQueue(RunHistoryModel* history, TrainLog* log, QObject* parent)
    : QObject(parent), history_(history), log_(log), runner_(new TrainingRunner(this)) {
    runner_->setModelDirectory(history_->folder());
    connect(runner_, &TrainingRunner::jobStarted, this, &RunQueue::onJobStarted);
    connect(runner_, &TrainingRunner::snapshotReady, this, &RunQueue::onSnapshot);
    connect(runner_, &TrainingRunner::jobFinished, this, &RunQueue::onJobFinished);
    connect(runner_, &TrainingRunner::queueCleared, this, &RunQueue::onQueueCleared);
    connect(runner_, &TrainingRunner::jobMessage, log_,
            [this](quint64, const QString& message) { log_->appendLine(message); });
    connect(runner_, &TrainingRunner::idle, this, &RunQueue::queueChanged);
}

QString RunQueue::newRunId() const {
    const QString stem =
        QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd-HHmmss"));
    for (int n = 1;; ++n) {
        const QString id = QStringLiteral("%1-%2").arg(stem).arg(n);
        if (history_->rowOf(id) < 0) return id;
    }
}

QString RunQueue::start(const RunSpec& spec, const QString& modelDisplayName) {
    const std::shared_ptr<const Dataset> dataset = runner_->dataset();
    if (shutDown_ || !dataset) return {};
    RunRecord record;
    record.id = newRunId();
    record.spec = spec;
    record.modelDisplayName = modelDisplayName;
    record.datasetName = QString::fromStdString(dataset->name);
    record.status = RunStatus::Queued;
    record.started = QDateTime::currentDateTimeUtc();
    history_->addRun(record);
    log_->appendLine(tr("run %1: %2 · %3 · %4")
                         .arg(record.id, record.modelDisplayName, spec.hyperparameterText(),
                              spec.splitAndSeedText()));
    if (runner_->enqueue(record.id, spec) == 0) {
        history_->removeRun(record.id);
        return {};
    }
    emit queueChanged();
    return record.id;
}

void RunQueue::stop() {
    if (!runner_->isRunning()) return;
    log_->appendLine(
        tr("stopping run %1 after the current iteration…").arg(runner_->currentRunId()));
    runner_->stop();
}

void RunQueue::clearQueue() {
    runner_->clearQueue();
}

QStringList RunQueue::removeRuns(const QStringList& runIds) {
    const QStringList removed = runner_->removeQueued(runIds);  // onQueueCleared: the history
    if (runIds.contains(runner_->currentRunId())) stop();
    return removed;
}

void RunQueue::onQueueCleared(const QStringList& runIds) {
    for (const QString& id : runIds) history_->removeRun(id);
    if (!runIds.isEmpty())
        log_->appendLine(tr("%n queued run(s) removed", nullptr, static_cast<int>(runIds.size())));
    if (!runIds.isEmpty()) emit runsRemoved(runIds);
    emit queueChanged();
}

void RunQueue::recordCancelled(const QString& runId, const QString& why) {
    const RunRecord* r = history_->find(runId);
    if (!r) return;
    RunRecord updated = *r;
    updated.status = RunStatus::Cancelled;
    updated.durationSeconds = runClock_.isValid() ? runClock_.elapsed() / 1000.0 : 0.0;
    updated.message = why;
    history_->updateRun(updated);
}

void RunQueue::setDataset(std::shared_ptr<const Dataset> dataset) {
    const QString running = runner_->currentRunId();
    const QStringList queued = runner_->queuedRunIds();
    runner_->setDataset(std::move(dataset));  // cancels and drops the running job, clears the queue
    // (its queueCleared removed the queued runs from the history)
    if (!running.isEmpty() && history_->find(running)) {
        recordCancelled(running, tr("cancelled: another dataset was loaded"));
        log_->appendLine(tr("run %1 cancelled: another dataset was loaded").arg(running));
        emit runCancelled(running);
    }
    for (const QString& id : queued) history_->removeRun(id);
    if (!running.isEmpty() || !queued.isEmpty()) saveHistory();
    emit queueChanged();
}

void RunQueue::shutdown() {
    if (shutDown_) return;
    shutDown_ = true;
    const QString running = runner_->currentRunId();
    const QStringList queued = runner_->queuedRunIds();
    const bool ended = runner_->shutdown(1000);
    if (!running.isEmpty())
        recordCancelled(running, ended ? tr("cancelled: the window was closed during training")
                                       : tr("cancelled: the window was closed during training "
                                            "(the worker was still finishing)"));
    for (const QString& id : queued) history_->removeRun(id);
    saveHistory();
    if (!running.isEmpty()) emit runCancelled(running);
    if (!queued.isEmpty()) emit runsRemoved(queued);
    emit queueChanged();
}

void RunQueue::saveHistory() {
    QString error;
    if (!history_->save(&error)) log_->appendLine(tr("history not saved: %1").arg(error));
}

void RunQueue::onJobStarted(quint64, const QString& runId) {
    const RunRecord* r = history_->find(runId);
    if (!r) return;
    RunRecord updated = *r;
    updated.status = RunStatus::Running;
    updated.started = QDateTime::currentDateTimeUtc();
    updated.history.clear();
    updated.curvesOn = EvaluatedPart::Validation;  // the runner's protocol
    updated.finalValidation.reset();
    updated.finalTest.reset();
    updated.stopReason.reset();
    history_->updateRun(updated);
    runClock_.start();
    saveHistory();
    emit runStarted(runId, updated.modelDisplayName, plannedIterations(updated.spec));
    emit queueChanged();
}

void RunQueue::onSnapshot(quint64, const TrainingSnapshot& s) {
    const QString runId = runner_->currentRunId();
    history_->appendSnapshot(runId, s);
    log_->appendLine(snapshotLine(s));
    emit snapshotRecorded(runId, s);
}

void RunQueue::onJobFinished(const TrainingRunner::Outcome& outcome) {
    if (const RunRecord* r = history_->find(outcome.runId)) {
        RunRecord updated = *r;
        updated.status = outcome.status;
        updated.durationSeconds = outcome.seconds;
        if (!outcome.history.empty() || outcome.model) updated.history = outcome.history;
        updated.modelFile =
            outcome.modelPath.isEmpty() ? QString() : QFileInfo(outcome.modelPath).fileName();
        updated.message = outcome.message;
        updated.curvesOn = EvaluatedPart::Validation;
        updated.validationRatings = outcome.validationRatings;
        updated.finalValidation = outcome.finalValidation;
        updated.finalTest = outcome.finalTest;
        updated.trainRmse = outcome.trainRmse;
        updated.stopReason = outcome.stopReason;
        updated.perUserFile =
            outcome.perUserPath.isEmpty() ? QString() : QFileInfo(outcome.perUserPath).fileName();
        history_->updateRun(updated);
        if (outcome.finalTest)
            log_->appendLine(tr("run %1 on the test part (scored once): %2; on validation: %3")
                                 .arg(outcome.runId, figuresText(*outcome.finalTest),
                                      outcome.finalValidation
                                          ? figuresText(*outcome.finalValidation)
                                          : QStringLiteral("-")));
        QString summary =
            tr("run %1 %2 in %3")
                .arg(outcome.runId, runStatusName(outcome.status), formatDuration(outcome.seconds));
        if (!outcome.message.isEmpty()) summary += QStringLiteral(": ") + outcome.message;
        summary += QStringLiteral("  ·  ") + updated.label();
        log_->appendLine(summary);
    }
    saveHistory();
    emit runFinished(outcome);
    emit queueChanged();
}

}  // namespace lens::ui
