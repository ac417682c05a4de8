#include "JobTracker.h"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <QMetaObject>
#include <QThread>
#include <algorithm>
#include <chrono>
#include <cmath>

namespace lens::ui {

QThreadPool* jobThreadPool() {
    // Never destroyed: a tracker's destructor already waits for its own workers, and an idle
    // pool at exit needs no teardown (a static one would be destroyed after QApplication).
    static QThreadPool* const pool = [] {
        auto* p = new QThreadPool;
        p->setObjectName(QStringLiteral("lens-atlas jobs"));
        p->setMaxThreadCount(std::max(16, 4 * QThread::idealThreadCount()));
        return p;
    }();
    return pool;
}

void detail::runAtBackgroundPriority() {
    thread_local bool lowered = false;
    if (lowered) return;
    lowered = true;
    // Linux: a thread's nice value is its own (PRIO_PROCESS with the thread id), and threads
    // it creates inherit it. Raising it needs no privilege; failure only leaves the default.
    const auto tid = static_cast<id_t>(::syscall(SYS_gettid));
    const int now = ::getpriority(PRIO_PROCESS, tid);
    if (now < kBackgroundNice) (void)::setpriority(PRIO_PROCESS, tid, kBackgroundNice);
}

void detail::JobTrackerState::postToOwner(std::function<void()> f) {
    std::lock_guard lock(mutex);
    if (!owner) return;  // the tracker is gone: nobody is left to deliver to
    QMetaObject::invokeMethod(owner, std::move(f), Qt::QueuedConnection);
}

bool JobContext::progress(double fraction, const std::string& stage) const {
    if (cancelled()) return false;
    if (state_->current.load() != id_) return true;  // superseded: nothing to show
    {
        std::lock_guard lock(thinning_->mutex);
        const bool finishing = fraction >= 1.0 && thinning_->lastFraction < 1.0;
        if (!finishing && std::abs(fraction - thinning_->lastFraction) < 0.005 &&
            stage == thinning_->lastStage)
            return true;
        thinning_->lastFraction = fraction;
        thinning_->lastStage = stage;
    }
    const QString text = QString::fromStdString(stage);
    const quint64 id = id_;
    state_->postToOwner([state = state_, id, fraction, text] {
        JobTracker* tracker = state->owner;  // on the owner's thread: alive while this runs
        if (tracker && tracker->isCurrent(id)) emit tracker->progressChanged(fraction, text);
    });
    return !cancelled();
}

void JobContext::post(std::function<void()> f) const {
    const quint64 id = id_;
    state_->postToOwner([state = state_, id, f = std::move(f)] {
        JobTracker* tracker = state->owner;
        if (tracker && tracker->isCurrent(id)) f();
    });
}

JobTracker::JobTracker(QObject* parent, QThreadPool* pool)
    : QObject(parent),
      pool_(pool ? pool : jobThreadPool()),
      state_(std::make_shared<detail::JobTrackerState>()) {
    state_->owner = this;
}

JobTracker::~JobTracker() {
    currentStop_.request_stop();
    current_ = 0;
    state_->current = 0;
    // Superseded jobs had their stop requested when they were superseded. Wait for them all;
    // then no worker can post any more (and posts already queued die with this object).
    waitForAll();
    std::lock_guard lock(state_->mutex);
    state_->owner = nullptr;
}

void JobTracker::assertOwnThread() const {
    Q_ASSERT_X(QThread::currentThread() == thread(), "JobTracker",
               "jobs are started, delivered and cancelled on the tracker's own thread");
}

JobContext JobTracker::begin() {
    assertOwnThread();
    currentStop_.request_stop();  // supersede the running job, if any
    currentStop_ = std::stop_source();
    const bool wasBusy = current_ != 0;
    current_ = nextId_++;
    state_->current = current_;
    JobContext context;
    context.id_ = current_;
    context.stop_ = currentStop_.get_token();
    context.state_ = state_;
    context.thinning_ = std::make_shared<JobContext::Thinning>();
    if (!wasBusy) emit busyChanged(true);
    return context;
}

bool JobTracker::end(quint64 jobId) {
    assertOwnThread();
    if (!isCurrent(jobId)) return false;  // superseded or cancelled: drop
    current_ = 0;
    state_->current = 0;
    emit busyChanged(false);
    return true;
}

bool JobTracker::cancel() {
    assertOwnThread();
    currentStop_.request_stop();
    if (!current_) return false;
    current_ = 0;
    state_->current = 0;
    emit busyChanged(false);
    return true;
}

void JobTracker::stop() {
    assertOwnThread();
    currentStop_.request_stop();
}

bool JobTracker::waitForAll(int msecs) {
    std::unique_lock lock(state_->mutex);
    if (msecs < 0) {
        state_->idle.wait(lock, [this] { return state_->running == 0; });
        return true;
    }
    return state_->idle.wait_for(lock, std::chrono::milliseconds(msecs),
                                 [this] { return state_->running == 0; });
}

}  // namespace lens::ui
