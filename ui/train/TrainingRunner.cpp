#include "train/TrainingRunner.h"

#include <QDir>
#include <QMetaObject>
#include <QThreadPool>
#include <QtConcurrent/QtConcurrentRun>
#include <chrono>
#include <mutex>
#include <stop_token>

#include "data/Dataset.h"
#include "data/Split.h"
#include "models/ModelFile.h"
#include "models/RecommenderFactory.h"
#include "models/TrainData.h"
#include "util/Errors.h"

#ifdef __linux__
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace lens::ui {

// Shared by the GUI thread and the worker. The worker posts to `sink` only under `sinkMutex`;
// the runner clears `sink` under the same mutex before it goes away or drops the job.
struct TrainingRunner::Job {
    quint64 id = 0;
    QString runId;
    RunSpec spec;
    std::shared_ptr<const Dataset> dataset;
    QString modelPath;  // empty: do not save
    int nice = 0;
    std::stop_source stop;
    std::atomic<bool> cancelled{false};  // stop + drop: the run ends as Cancelled, not saved

    std::mutex sinkMutex;
    TrainingRunner* sink = nullptr;

    Outcome outcome;  // written by the worker before its final post

    // Posts call(runner) to the GUI thread, unless the runner has let go of this job.
    template <typename F>
    void post(F call) {
        std::lock_guard lock(sinkMutex);
        if (TrainingRunner* runner = sink)
            QMetaObject::invokeMethod(
                runner, [runner, call = std::move(call)] { call(runner); }, Qt::QueuedConnection);
    }
};

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

TrainingRunner::TrainingRunner(QObject* parent) : QObject(parent), pool_(new QThreadPool) {
    pool_->setMaxThreadCount(1);
    // Keep the worker thread (and its niced OpenMP team) between runs.
    pool_->setExpiryTimeout(-1);
}

TrainingRunner::~TrainingRunner() {
    if (!shutDown_) shutdown(1000);  // an owner that called shutdown() has waited already
    if (pool_->activeThreadCount() == 0) delete pool_;  // joins the idle thread
    // else: a worker is still winding down; leave its pool alive (see shutdown()).
}

quint64 TrainingRunner::currentJobId() const {
    return current_ ? current_->id : 0;
}

QString TrainingRunner::currentRunId() const {
    return current_ ? current_->runId : QString();
}

QStringList TrainingRunner::queuedRunIds() const {
    QStringList ids;
    for (const auto& job : queue_) ids << job->runId;
    return ids;
}

void TrainingRunner::setDataset(std::shared_ptr<const Dataset> dataset) {
    if (current_) {
        current_->cancelled = true;
        current_->stop.request_stop();
        detachCurrent();
    }
    clearQueue();
    dataset_ = std::move(dataset);
    emit idle();
}

quint64 TrainingRunner::enqueue(const QString& runId, const RunSpec& spec) {
    if (!dataset_ || shutDown_) return 0;
    auto job = std::make_shared<Job>();
    job->id = nextJobId_++;
    job->runId = runId;
    job->spec = spec;
    job->spec.split.seed = spec.seed;
    job->dataset = dataset_;
    job->nice = workerNice_;
    if (!modelDirectory_.isEmpty())
        job->modelPath = QDir(modelDirectory_).filePath(runId + QStringLiteral(".lamodel"));
    queue_.push_back(job);
    if (!current_) startNext();
    return job->id;
}

void TrainingRunner::startNext() {
    if (current_ || queue_.empty() || shutDown_) return;
    current_ = queue_.front();
    queue_.pop_front();
    {
        std::lock_guard lock(current_->sinkMutex);
        current_->sink = this;
    }
    emit jobStarted(current_->id, current_->runId);
    std::shared_ptr<Job> job = current_;
    // The future is not kept: completion comes back as a posted call, and shutdown() waits on
    // the pool itself (with a time limit, which QFuture::waitForFinished lacks).
    (void)QtConcurrent::run(pool_, [job] { runJob(job); });
}

void TrainingRunner::stop() {
    if (current_) current_->stop.request_stop();
}

void TrainingRunner::clearQueue() {
    if (queue_.empty()) return;
    QStringList ids = queuedRunIds();
    queue_.clear();
    emit queueCleared(ids);
}

bool TrainingRunner::shutdown(int msecs) {
    shutDown_ = true;
    if (current_) {
        current_->cancelled = true;
        current_->stop.request_stop();
        detachCurrent();
    }
    queue_.clear();
    return pool_->waitForDone(msecs);
}

void TrainingRunner::detachCurrent() {
    {
        std::lock_guard lock(current_->sinkMutex);
        current_->sink = nullptr;
    }
    current_.reset();
}

void TrainingRunner::deliverSnapshot(quint64 jobId, const TrainingSnapshot& snapshot) {
    if (!current_ || current_->id != jobId) return;  // superseded or cancelled job
    emit snapshotReady(jobId, snapshot);
}

void TrainingRunner::deliverMessage(quint64 jobId, const QString& message) {
    if (!current_ || current_->id != jobId) return;
    emit jobMessage(jobId, message);
}

void TrainingRunner::deliverOutcome(quint64 jobId) {
    if (!current_ || current_->id != jobId) return;
    std::shared_ptr<Job> job = current_;
    detachCurrent();
    const Outcome outcome = job->outcome;  // the worker is done writing it
    emit jobFinished(outcome);
    startNext();
    if (!current_) emit idle();
}

void TrainingRunner::runJob(const std::shared_ptr<Job>& job) {
    using Clock = std::chrono::steady_clock;
    const auto t0 = Clock::now();
    lowerCurrentThreadPriority(job->nice);
    const quint64 id = job->id;
    auto message = [&](const QString& text) {
        job->post([id, text](TrainingRunner* runner) { runner->deliverMessage(id, text); });
    };
    Outcome& out = job->outcome;
    out.jobId = id;
    out.runId = job->runId;
    try {
        std::unique_ptr<Recommender> model = createRecommender(job->spec.modelKind.toStdString());
        for (const auto& [key, value] : job->spec.hyperparameters)
            model->setHyperparameter(key.toStdString(), value.toStdString());
        model->setHyperparameter("seed", std::to_string(job->spec.seed));

        message(QStringLiteral("building split: %1").arg(job->spec.splitText()));
        const Split split = makeSplit(*job->dataset, job->spec.split);
        if (job->stop.stop_requested()) throw Cancelled();
        const TrainData data = TrainData::build(*job->dataset, split);
        if (job->stop.stop_requested()) throw Cancelled();
        message(QStringLiteral("%1 train / %2 test ratings; training %3")
                    .arg(data.trainCount())
                    .arg(data.testCount())
                    .arg(QString::fromStdString(model->displayName())));

        FitControl control;
        control.stopToken = job->stop.get_token();
        control.observer = [job, id](const TrainingSnapshot& s) {
            job->post([id, s](TrainingRunner* runner) { runner->deliverSnapshot(id, s); });
            return true;
        };
        const FitStatus status = model->fit(data, control);
        out.history = model->history();
        if (job->cancelled) {
            out.status = RunStatus::Cancelled;
        } else {
            out.status = status == FitStatus::Completed ? RunStatus::Completed : RunStatus::Stopped;
            if (out.status == RunStatus::Stopped)
                out.message = QStringLiteral("stopped after %1 of %2 iterations")
                                  .arg(out.history.size())
                                  .arg(model->iterations());
            if (!job->modelPath.isEmpty()) {
                try {
                    saveModel(*model, job->modelPath.toStdString());
                    out.modelPath = job->modelPath;
                } catch (const std::exception& e) {
                    out.message =
                        QStringLiteral("model not saved: %1").arg(QString::fromUtf8(e.what()));
                }
            }
        }
        out.model = std::shared_ptr<const Recommender>(std::move(model));
    } catch (const Cancelled&) {
        out.status = job->cancelled ? RunStatus::Cancelled : RunStatus::Stopped;
        out.message = QStringLiteral("stopped before the first iteration");
    } catch (const std::exception& e) {
        out.status = RunStatus::Failed;
        out.message = QString::fromUtf8(e.what());
    }
    out.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    job->post([id](TrainingRunner* runner) { runner->deliverOutcome(id); });
}

}  // namespace lens::ui
