#include "train/SweepSession.h"

#include <QDateTime>
#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "train/RunHistoryModel.h"
#include "train/RunQueue.h"

namespace lens::ui {

SweepSession::SweepSession(RunQueue* queue, QObject* parent) : QObject(parent), queue_(queue) {
    if (!queue_) return;
    connect(queue_, &RunQueue::runFinished, this, &SweepSession::onRunFinished);
    connect(queue_, &RunQueue::runsRemoved, this, [this](const QStringList& ids) {
        onRunsGone(ids, tr("its queued trials were removed from the queue"));
    });
    connect(queue_, &RunQueue::runCancelled, this, [this](const QString& id) {
        onRunsGone({id}, tr("its running trial was cancelled (another dataset, or the window "
                            "closed)"));
    });
}

RunSpec SweepSession::specFor(const SweepTrial& trial, int trialNumber, bool final) const {
    RunSpec spec = base_;
    std::vector<std::pair<std::string, std::string>> settings;
    for (const auto& [key, value] : base_.hyperparameters)
        settings.emplace_back(key.toStdString(), value.toStdString());
    spec.hyperparameters.clear();
    for (const auto& [key, value] : withTrialValues(std::move(settings), trial))
        spec.hyperparameters.append({QString::fromStdString(key), QString::fromStdString(value)});
    SweepMembership m;
    m.id = sweepId_.toStdString();
    m.number = number_;
    m.trial = trialNumber;
    m.trials = static_cast<int>(result_.trials.size());
    m.final = final;
    m.metric = result_.metric;
    spec.sweep = m;
    return spec;
}

bool SweepSession::start(const RunSpec& base, const QString& modelDisplayName,
                         const SweepConfig& config, QString* error) {
    auto fail = [&](const QString& why) {
        if (error) *error = why;
        return false;
    };
    if (state_ != State::Idle) return fail(tr("this sweep has already run"));
    if (!queue_ || queue_->isShutDown() || !queue_->dataset())
        return fail(tr("the Train stage takes no runs (no dataset, or it is closing)"));
    base_ = base;
    base_.sweep.reset();
    modelDisplayName_ = modelDisplayName;
    config_ = config;
    try {
        result_ = {};
        result_.modelKind = config.modelKind;
        result_.metric = sweepMetric(config);
        result_.lowerIsBetter = evaluationMetricLowerIsBetter(result_.metric);
        result_.trials = sweepTrials(config);
        result_.gridSize = 1;
        for (const auto& axis : config.axes) result_.gridSize *= axis.values.size();
    } catch (const std::exception& e) {
        return fail(QString::fromUtf8(e.what()));
    }
    for (SweepTrial& t : result_.trials) t.validation = kNoMetric;
    // Numbered after the sweeps the history holds.
    number_ = 1;
    for (const RunRecord& r : queue_->history()->runs())
        if (r.spec.sweep) number_ = std::max(number_, r.spec.sweep->number + 1);
    sweepId_ = QStringLiteral("%1-%2")
                   .arg(QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd-HHmmss")))
                   .arg(number_);
    state_ = State::Trials;
    for (std::size_t t = 0; t < result_.trials.size(); ++t) {
        const QString id =
            queue_->start(specFor(result_.trials[t], int(t) + 1, false), modelDisplayName_);
        if (id.isEmpty()) {
            abandon(State::Failed);
            return fail(tr("the Train stage did not take trial %1").arg(t + 1));
        }
        trialRunIds_ << id;
    }
    return true;
}

void SweepSession::onRunFinished(const TrainingRunner::Outcome& outcome) {
    if (state_ == State::Trials) {
        const auto index = trialRunIds_.indexOf(outcome.runId);
        if (index < 0) return;
        SweepTrial& trial = result_.trials[static_cast<std::size_t>(index)];
        trial.seconds = outcome.seconds;
        trial.status = outcome.status == RunStatus::Completed ? FitStatus::Completed
                       : outcome.status == RunStatus::Stopped ? FitStatus::Stopped
                                                              : FitStatus::Untrained;
        // Only a completed trial competes: a stopped one's figure is of a partial model.
        trial.validation = outcome.status == RunStatus::Completed && outcome.finalValidation
                               ? heldOutMetric(*outcome.finalValidation, result_.metric)
                               : kNoMetric;
        if (outcome.validationRatings > 0) result_.validationRatings = outcome.validationRatings;
        ++finished_;
        emit trialFinished(int(index), int(result_.trials.size()), trial);
        if (finished_ == result_.trials.size() && state_ == State::Trials) queueFinal();
    } else if (state_ == State::Final && outcome.runId == finalRunId_) {
        if (!outcome.finalTest) {
            state_ = State::Failed;
            emit failed(
                outcome.message.isEmpty()
                    ? tr("the best trial's retraining was %1").arg(runStatusName(outcome.status))
                    : outcome.message);
            return;
        }
        result_.bestTest = heldOutMetric(*outcome.finalTest, result_.metric);
        state_ = State::Finished;
        emit finished();
    }
}

void SweepSession::queueFinal() {
    const bool anyFigure =
        std::any_of(result_.trials.begin(), result_.trials.end(),
                    [](const SweepTrial& t) { return std::isfinite(t.validation); });
    if (!anyFigure) {
        state_ = State::Failed;
        emit failed(tr("no trial completed with a validation figure"));
        return;
    }
    result_.best = bestSweepTrial(result_.trials, result_.lowerIsBetter);
    result_.bestValidation = result_.trials[result_.best].validation;
    state_ = State::Final;
    finalRunId_ =
        queue_ ? queue_->start(specFor(result_.trials[result_.best], int(result_.best) + 1, true),
                               modelDisplayName_)
               : QString();
    if (finalRunId_.isEmpty()) {
        state_ = State::Failed;
        emit failed(tr("the Train stage did not take the best trial's retraining"));
        return;
    }
    emit finalQueued(int(result_.best));
}

void SweepSession::onRunsGone(const QStringList& runIds, const QString& why) {
    if (!isRunning()) return;
    const bool ours = std::any_of(runIds.begin(), runIds.end(), [&](const QString& id) {
        return trialRunIds_.contains(id) || (!finalRunId_.isEmpty() && id == finalRunId_);
    });
    if (!ours) return;
    abandon(State::Cancelled);
    emit cancelled(why);
}

void SweepSession::cancel() {
    if (!isRunning()) return;
    abandon(State::Cancelled);
    emit cancelled(tr("cancelled"));
}

void SweepSession::abandon(State state) {
    state_ = state;  // first: the removals below come back through onRunsGone
    if (!queue_) return;
    QStringList ours = trialRunIds_;
    if (!finalRunId_.isEmpty()) ours << finalRunId_;
    queue_->removeRuns(ours);
}

}  // namespace lens::ui
