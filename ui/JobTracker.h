#pragma once
// The one way the UI runs background work (after KDAB hotspot's JobTracker).
//
// A tracker owns a sequence of jobs of one kind (a panel's EDA, a dataset load, a report): each
// start() gets a new job id and supersedes the job before it, whose stop token is requested and
// whose result is dropped. The work runs on a QThreadPool (jobThreadPool() unless the tracker is
// given its own) and receives a JobContext: its std::stop_token, a thinned progress poster and
// post() for values the GUI wants while the job runs (training snapshots). What it returns is
// handed to `deliver` on the tracker's (GUI) thread, and only while the job is still the
// current one; an exception other than lens::Cancelled goes to `fail` the same way.
//
//   cancel(): stop the current job and drop whatever it still delivers (a superseded load).
//   stop():   stop the current job but deliver what it returns (training keeps the partial
//             model).
//
// The destructor cancels every job and waits for all of them, so no worker outlives the
// objects its posts are meant for (a work function should still capture values, not its
// owner's members: the owner's own destructor runs before its members'). waitForAll(ms) waits
// for the workers without destroying anything. Every delivery, progress and post runs on the
// tracker's thread (asserted in debug builds).
#include <QObject>
#include <QString>
#include <QThreadPool>
#include <QtConcurrent/QtConcurrentRun>
#include <atomic>
#include <condition_variable>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <stop_token>
#include <string>
#include <type_traits>
#include <utility>

#include "util/Errors.h"

namespace lens::ui {

class JobTracker;

// The threads of the app's background jobs. Not QThreadPool::globalInstance(): Qt's raster
// engine (6.4) splits wide fills into tasks on the global pool and blocks the GUI thread until
// they ran, so a job there (two fill the global pool of a 2-core machine) froze painting for as
// long as it ran. Jobs of several panels run side by side here (a short job never queues behind
// a long t-SNE); idle threads expire.
QThreadPool* jobThreadPool();

namespace detail {
// What workers share with the tracker. A JobContext copied into something that outlives the
// job (and the worker's last moments after it counted itself out) may outlive the tracker, so
// workers reach the tracker only through this state, under its mutex, and never once it is
// gone.
struct JobTrackerState {
    std::mutex mutex;
    std::condition_variable idle;
    JobTracker* owner = nullptr;  // null once the tracker is destroyed
    int running = 0;              // workers not yet returned
    std::atomic<quint64> current{0};

    // Runs `f` on the owner's thread if the tracker still exists; f checks currency itself.
    void postToOwner(std::function<void()> f);
};

// Lowers the calling thread to kBackgroundNice, once per thread (every job's work runs so). On a
// 2-core machine a job's OpenMP team (started by this thread, so at its priority) fills both
// cores; at the same priority the GUI thread and Qt's own painting helpers (the raster engine
// fills wide areas on Qt's GUI thread pool and waits for them) queued behind it for up to 0.2 s.
inline constexpr int kBackgroundNice = 10;
void runAtBackgroundPriority();
}  // namespace detail

// What a job's work sees (a cheap value; copy it into engine callbacks freely).
class JobContext {
public:
    quint64 id() const { return id_; }
    std::stop_token stopToken() const { return stop_; }
    bool cancelled() const { return stop_.stop_requested(); }
    // Posts (fraction in [0,1], stage text) to JobTracker::progressChanged, at most once per
    // half percent unless the text changes (the first report of 1.0 always passes). Returns
    // !cancelled(), so it serves directly as an engine progress callback ("return false to
    // stop"). Thread-safe: an engine may report from several threads.
    bool progress(double fraction, const std::string& stage = {}) const;
    // Runs `f` on the tracker's thread while this job is current (dropped once superseded,
    // cancelled or delivered).
    void post(std::function<void()> f) const;

private:
    friend class JobTracker;
    struct Thinning {
        std::mutex mutex;
        double lastFraction = -1.0;
        std::string lastStage;
    };
    quint64 id_ = 0;
    std::stop_token stop_;
    std::shared_ptr<detail::JobTrackerState> state_;
    std::shared_ptr<Thinning> thinning_;
};

class JobTracker : public QObject {
    Q_OBJECT
public:
    // `pool` (not owned) runs the work; null means jobThreadPool().
    explicit JobTracker(QObject* parent = nullptr, QThreadPool* pool = nullptr);
    ~JobTracker() override;  // cancels every job and waits for all of them

    // Starts `work(const JobContext&) -> R` in the pool; supersedes the current job. `deliver`
    // (R, or nothing for void) and `fail` (the exception's text) run on this thread only while
    // the job is current; busyChanged(false) comes just before either (or alone, when the
    // current job throws lens::Cancelled). Returns the job id (> 0).
    template <typename Work, typename Deliver>
    quint64 start(Work work, Deliver deliver, std::function<void(const QString&)> fail = {});

    // Stops the current job and drops its result. Returns whether a job was running.
    bool cancel();
    // Asks the current job to stop; what it returns is still delivered.
    void stop();
    bool isRunning() const { return current_ != 0; }
    quint64 currentJob() const { return current_; }
    bool isCurrent(quint64 jobId) const { return jobId != 0 && jobId == current_; }
    // Waits until every started worker has returned (msecs < 0: forever). True when idle.
    bool waitForAll(int msecs = -1);

signals:
    void busyChanged(bool busy);
    void progressChanged(double fraction, const QString& stage);

private:
    friend class JobContext;
    friend struct detail::JobTrackerState;
    JobContext begin();
    // On this thread: the job `jobId` has returned; true if it was current (and is now done).
    bool end(quint64 jobId);
    void assertOwnThread() const;

    QThreadPool* pool_;
    std::shared_ptr<detail::JobTrackerState> state_;
    std::stop_source currentStop_;
    quint64 current_ = 0;
    quint64 nextId_ = 1;
};

template <typename Work, typename Deliver>
quint64 JobTracker::start(Work work, Deliver deliver, std::function<void(const QString&)> fail) {
    JobContext context = begin();
    const quint64 id = context.id();
    auto state = state_;
    {
        std::lock_guard lock(state->mutex);
        ++state->running;
    }
    // The future is not needed: the outcome comes back as a queued call, and the tracker counts
    // its running workers itself (waitForAll, the destructor).
    (void)QtConcurrent::run(
        pool_, [this, context, state, work = std::move(work), deliver = std::move(deliver),
                fail = std::move(fail)]() mutable {
            detail::runAtBackgroundPriority();
            // Counted out however the work ends, after its outcome is posted.
            struct CountOut {
                detail::JobTrackerState* state;
                ~CountOut() {
                    std::lock_guard lock(state->mutex);
                    --state->running;
                    state->idle.notify_all();
                }
            } countOut{state.get()};
            using Result = std::invoke_result_t<Work&, const JobContext&>;
            const quint64 jobId = context.id();
            std::function<void()> onOwner;
            try {
                if constexpr (std::is_void_v<Result>) {
                    work(context);
                    onOwner = [this, jobId, deliver = std::move(deliver)]() mutable {
                        if (end(jobId)) deliver();
                    };
                } else {
                    auto result = std::make_shared<Result>(work(context));
                    onOwner = [this, jobId, result, deliver = std::move(deliver)]() mutable {
                        if (end(jobId)) deliver(std::move(*result));
                    };
                }
            } catch (const lens::Cancelled&) {
                onOwner = [this, jobId] { end(jobId); };
            } catch (const std::bad_alloc&) {
                onOwner = [this, jobId, fail] {
                    if (end(jobId) && fail) fail(tr("not enough memory for this job"));
                };
            } catch (const std::exception& e) {
                onOwner = [this, jobId, fail, message = QString::fromStdString(e.what())] {
                    if (end(jobId) && fail) fail(message);
                };
            } catch (...) {
                // Anything else would escape into QtConcurrent and leave the job busy for good.
                onOwner = [this, jobId, fail] {
                    if (end(jobId) && fail) fail(tr("unknown error"));
                };
            }
            state->postToOwner(std::move(onOwner));
        });
    return id;
}

}  // namespace lens::ui
