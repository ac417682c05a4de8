#include "train/TrainingRunner.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QThreadPool>
#include <chrono>
#include <utility>

#include "JobTracker.h"
#include "data/Dataset.h"
#include "data/Split.h"
#include "io/RunHistoryFile.h"
#include "models/ModelFile.h"
#include "models/RecommenderFactory.h"
#include "models/TrainData.h"
#include "tuning/Sweep.h"
#include "tuning/ValidatedTraining.h"
#include "tuning/ValidationData.h"
#include "util/Errors.h"

#ifdef __linux__
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace lens::ui {

namespace {

// Lowers the calling thread's priority (Linux: per-thread nice). Threads it creates later,
// such as the OpenMP team of this pool thread, inherit it.
void lowerCurrentThreadPriority(int nice) {
#ifdef __linux__
    if (nice <= 0) return;
    const auto tid = static_cast<id_t>(::syscall(SYS_gettid));
    const int current = ::getpriority(PRIO_PROCESS, tid);
    if (current < nice) ::setpriority(PRIO_PROCESS, tid, nice);
#else
    (void)nice;
#endif
}

}  // namespace

TrainingRunner::TrainingRunner(QObject* parent)
    : QObject(parent), pool_(new QThreadPool), tracker_(new JobTracker(nullptr, pool_)) {
    pool_->setMaxThreadCount(1);
    // Keep the worker thread (and its niced OpenMP team) between runs.
    pool_->setExpiryTimeout(-1);
}

TrainingRunner::~TrainingRunner() {
    // An owner that called shutdown() has waited already: only look whether the worker is done.
    const bool workerDone = shutDown_ ? tracker_->waitForAll(0) : shutdown(1000);
    if (workerDone) {
        delete tracker_;  // nothing left to wait for
        delete pool_;     // joins the idle thread
    }
    // else: a worker is still winding down. Leave the tracker (which drops what the cancelled job
    // delivers) and its pool alive for it rather than block the GUI thread until it ends.
}

quint64 TrainingRunner::currentJobId() const {
    return current_ ? current_->id : 0;
}

QString TrainingRunner::currentRunId() const {
    return current_ ? current_->runId : QString();
}

QStringList TrainingRunner::queuedRunIds() const {
    QStringList ids;
    for (const Job& job : queue_) ids << job.runId;
    return ids;
}

void TrainingRunner::setDataset(std::shared_ptr<const Dataset> dataset) {
    cancelCurrent();
    clearQueue();
    dataset_ = std::move(dataset);
    emit idle();
}

quint64 TrainingRunner::enqueue(const QString& runId, const RunSpec& spec) {
    if (!dataset_ || shutDown_) return 0;
    Job job;
    job.id = nextJobId_++;
    job.runId = runId;
    job.spec = spec;
    job.spec.split.seed = spec.seed;
    job.dataset = dataset_;
    job.nice = workerNice_;
    if (!modelDirectory_.isEmpty())
        job.modelPath = QDir(modelDirectory_).filePath(runId + QStringLiteral(".lamodel"));
    const quint64 id = job.id;
    queue_.push_back(std::move(job));
    if (!current_) startNext();
    return id;
}

void TrainingRunner::startNext() {
    if (current_ || queue_.empty() || shutDown_) return;
    current_ = std::move(queue_.front());
    queue_.pop_front();
    emit jobStarted(current_->id, current_->runId);
    const quint64 id = current_->id;
    const QString runId = current_->runId;
    tracker_->start(
        [this, job = *current_](const JobContext& context) { return runJob(job, context); },
        [this](Outcome outcome) { finish(std::move(outcome)); },
        // runJob reports its own errors in the Outcome; this is the last resort.
        [this, id, runId](const QString& error) {
            Outcome outcome;
            outcome.jobId = id;
            outcome.runId = runId;
            outcome.status = RunStatus::Failed;
            outcome.message = error;
            finish(std::move(outcome));
        });
}

void TrainingRunner::finish(Outcome outcome) {
    current_.reset();
    emit jobFinished(outcome);
    startNext();
    if (!current_) emit idle();
}

void TrainingRunner::stop() {
    if (current_) tracker_->stop();  // the outcome (the partial model) is still delivered
}

void TrainingRunner::clearQueue() {
    if (queue_.empty()) return;
    QStringList ids = queuedRunIds();
    queue_.clear();
    emit queueCleared(ids);
}

QStringList TrainingRunner::removeQueued(const QStringList& runIds) {
    QStringList removed;
    for (auto it = queue_.begin(); it != queue_.end();) {
        if (runIds.contains(it->runId)) {
            removed << it->runId;
            it = queue_.erase(it);
        } else {
            ++it;
        }
    }
    if (!removed.isEmpty()) emit queueCleared(removed);
    return removed;
}

bool TrainingRunner::shutdown(int msecs) {
    shutDown_ = true;
    cancelCurrent();
    queue_.clear();
    return tracker_->waitForAll(msecs);
}

void TrainingRunner::cancelCurrent() {
    if (!current_) return;
    current_->cancelled->store(true);  // before the stop request: the worker must not save
    tracker_->cancel();                // stops the job and drops everything it still sends
    current_.reset();
}

// On the pool thread. Reads only `job` (its own copy) and posts to this runner through
// `context`, whose posts run on the GUI thread and only while the job is current.
TrainingRunner::Outcome TrainingRunner::runJob(const Job& job, const JobContext& context) {
    using Clock = std::chrono::steady_clock;
    const auto t0 = Clock::now();
    lowerCurrentThreadPriority(job.nice);
    const quint64 id = job.id;
    auto message = [&](const QString& text) {
        context.post([this, id, text] { emit jobMessage(id, text); });
    };
    Outcome out;
    out.jobId = id;
    out.runId = job.runId;
    try {
        std::unique_ptr<Recommender> model = job.spec.createModel();
        model->setHyperparameter("seed", std::to_string(job.spec.seed));

        message(QStringLiteral("building split: %1").arg(job.spec.splitText()));
        const Split split = makeSplit(*job.dataset, job.spec.split);
        if (context.cancelled()) throw Cancelled();

        const RecommenderDescriptor* descriptor = findRecommender(model->kind());
        const bool rankingModel = descriptor && descriptor->ranking;
        auto observer = [this, context, id](const TrainingSnapshot& s) {
            context.post([this, id, s] { emit snapshotReady(id, s); });
            return true;
        };
        FitStatus status = FitStatus::Untrained;
        if (job.spec.sweep) {
            // A sweep's run (tuning/Sweep.h, shared with runSweep): a trial fits on the fit part
            // with validation curves and is scored on validation only; the final run fits on
            // training + validation and is scored on the test part once.
            SweepFitOptions options;
            options.rankingModel = job.spec.sweep->metric != "rmse";  // as runSweep
            options.control.stopToken = context.stopToken();
            options.control.observer = observer;
            options.abandoned = [&job] { return job.cancelled->load(); };
            SweepFit fit;
            if (job.spec.sweep->final) {
                message(
                    QStringLiteral("retraining the sweep's best on training + validation; "
                                   "the test part is scored once at the end"));
                options.perUser = true;
                fit = fitSweepFinal(*model, *job.dataset, split, options);
                if (fit.scored) {
                    out.finalTest = fit.figures;
                    out.perUser = std::make_shared<const PerUserMetrics>(std::move(fit.perUser));
                }
            } else {
                const TrainData validation = validationTrainData(
                    *job.dataset, split, ValidationSpec::forSplit(job.spec.split));
                out.validationRatings = validation.testCount();
                message(QStringLiteral("%1 train / %2 validation ratings; training %3 (sweep "
                                       "trial: scored on validation only, never on the test "
                                       "part)")
                            .arg(validation.trainCount())
                            .arg(validation.testCount())
                            .arg(QString::fromStdString(model->displayName())));
                options.curves = true;
                fit = fitSweepTrial(*model, validation, options);
                if (fit.scored) out.finalValidation = fit.figures;
            }
            status = fit.status;
            out.history = model->history();
            if (fit.scored) out.trainRmse = fit.trainRmse;
        } else {
            ValidatedTrainingOptions options;
            options.validation = ValidationSpec::forSplit(job.spec.split);
            options.rankingModel = rankingModel;
            options.onPrepared = [&](const PartSizes& sizes) {
                message(QStringLiteral("%1 train / %2 validation / %3 test ratings; training %4 "
                                       "(curves on validation, the test part scored once at the "
                                       "end)")
                            .arg(sizes.fit)
                            .arg(sizes.validation)
                            .arg(sizes.test)
                            .arg(QString::fromStdString(model->displayName())));
            };
            options.onEvaluate = [&](EvaluatedPart part, const TrainData&) {
                if (part == EvaluatedPart::Test) message(QStringLiteral("scoring the test part"));
            };
            options.control.stopToken = context.stopToken();
            options.abandoned = job.cancelled.get();  // cancelled (not stopped): no test scoring
            options.control.observer = observer;
            options.budget.seconds = job.spec.budgetSeconds;
            ValidatedTrainingResult result = trainValidated(*model, *job.dataset, split, options);
            status = result.status;
            if (result.stop.reason != StopReason::None) out.stopReason = result.stop.reason;
            if (result.stop.reason == StopReason::Budget)
                out.message = QString::fromStdString(result.stop.describe());
            out.history = model->history();
            out.validationRatings = result.sizes.validation;
            if (result.tested) {
                out.finalValidation = result.validation;
                out.finalTest = result.test;
                out.trainRmse = result.trainRmse;
                out.perUser = std::make_shared<const PerUserMetrics>(std::move(result.perUser));
            }
        }
        if (*job.cancelled) {
            out.status = RunStatus::Cancelled;  // dropped by the tracker; never saved
        } else {
            out.status = status == FitStatus::Completed ? RunStatus::Completed : RunStatus::Stopped;
            if (out.status == RunStatus::Stopped && out.message.isEmpty())
                out.message = QStringLiteral("stopped after %1 of %2 iterations")
                                  .arg(out.history.size())
                                  .arg(model->iterations());
            if (!job.modelPath.isEmpty()) {
                try {
                    saveModel(*model, job.modelPath.toStdString());
                    out.modelPath = job.modelPath;
                } catch (const std::exception& e) {
                    out.message =
                        QStringLiteral("model not saved: %1").arg(QString::fromUtf8(e.what()));
                }
                if (out.perUser) {
                    // Beside the model: <runId>.peruser.
                    const QString path = QFileInfo(job.modelPath)
                                             .dir()
                                             .filePath(job.runId + QStringLiteral(".peruser"));
                    try {
                        savePerUserMetrics(QFile::encodeName(path).toStdString(), *out.perUser,
                                           job.dataset->userCount());
                        out.perUserPath = path;
                    } catch (const std::exception& e) {
                        out.message = QStringLiteral("per-user metrics not saved: %1")
                                          .arg(QString::fromUtf8(e.what()));
                    }
                }
            }
        }
        out.model = std::shared_ptr<const Recommender>(std::move(model));
    } catch (const Cancelled&) {
        out.status = *job.cancelled ? RunStatus::Cancelled : RunStatus::Stopped;
        out.message = QStringLiteral("stopped before the first iteration");
    } catch (const std::exception& e) {
        out.status = RunStatus::Failed;
        out.message = QString::fromUtf8(e.what());
    }
    out.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    return out;
}

}  // namespace lens::ui
