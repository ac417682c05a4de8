// JobTracker, the one way the UI runs background work: results come back on the tracker's
// thread, only for the current job; cancel drops, stop still delivers; failures reach `fail`,
// a cancel reaches nobody; progress is thinned and only the current job's is shown; posts run
// only while their job is current; the destructor waits for every worker.
//
// Every wait is on a state or a signal, never on time: a worker that must block does so on a
// semaphore the test releases.
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <QCoreApplication>
#include <QImage>
#include <QPainter>
#include <QSignalSpy>
#include <QThread>
#include <QThreadPool>
#include <QtTest>
#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <semaphore>
#include <stdexcept>
#include <thread>

#include "JobTracker.h"
#include "util/Errors.h"

using lens::ui::JobContext;
using lens::ui::JobTracker;

namespace {

// Runs every event already queued for `tracker` (the late results of finished workers).
void drainQueued(JobTracker& tracker) {
    QCoreApplication::sendPostedEvents(&tracker);
}

}  // namespace

class TestJobTracker : public QObject {
    Q_OBJECT
private slots:
    void deliversOnTheTrackersThread();
    void busyChangedBracketsTheJobs();
    void voidWorkDelivers();
    void workRunsBelowTheGuiThread();
    void paintingDoesNotWaitForJobs();
    void supersededResultIsDropped();
    void cancelDropsTheResultAndStopsTheWork();
    void stopStopsTheWorkButDelivers();
    void exceptionReachesFail();
    void cancelledReachesNeither();
    void progressIsThinned();
    void onlyTheCurrentJobsProgressIsShown();
    void postRunsOnlyWhileCurrent();
    void destructorWaitsForTheWorker();

private:
    // Tests block one worker while another runs: give them threads enough on any machine.
    QThreadPool pool_;

public:
    TestJobTracker() { pool_.setMaxThreadCount(4); }
};

void TestJobTracker::deliversOnTheTrackersThread() {
    JobTracker tracker(nullptr, &pool_);
    std::atomic<QThread*> workThread{nullptr};
    std::atomic<quint64> workId{0};
    QThread* deliverThread = nullptr;
    int delivered = 0;
    bool failed = false;
    const quint64 id = tracker.start(
        [&](const JobContext& context) {
            workThread = QThread::currentThread();
            workId = context.id();
            return 42;
        },
        [&](int value) {
            deliverThread = QThread::currentThread();
            delivered = value;
        },
        [&](const QString&) { failed = true; });
    QVERIFY(id > 0);
    QCOMPARE(tracker.currentJob(), id);
    QVERIFY(tracker.isCurrent(id));
    QVERIFY(tracker.isRunning());
    QTRY_COMPARE(delivered, 42);
    QVERIFY(!failed);
    QCOMPARE(deliverThread, QThread::currentThread());
    QVERIFY(workThread.load() != nullptr);
    QVERIFY(workThread.load() != QThread::currentThread());
    QCOMPARE(workId.load(), id);
    QVERIFY(!tracker.isRunning());
    QVERIFY(!tracker.isCurrent(id));
    QCOMPARE(tracker.currentJob(), quint64(0));
}

void TestJobTracker::busyChangedBracketsTheJobs() {
    JobTracker tracker(nullptr, &pool_);
    QSignalSpy busy(&tracker, &JobTracker::busyChanged);
    std::binary_semaphore release(0);
    QList<int> delivered;
    const quint64 first = tracker.start(
        [&](const JobContext&) {
            release.acquire();
            return 1;
        },
        [&](int v) { delivered << v; });
    QCOMPARE(busy.count(), 1);
    QCOMPARE(busy.at(0).at(0).toBool(), true);
    // A job that supersedes another keeps the tracker busy: no signal.
    const quint64 second =
        tracker.start([](const JobContext&) { return 2; }, [&](int v) { delivered << v; });
    QVERIFY(second > first);
    QCOMPARE(busy.count(), 1);
    QVERIFY(busy.wait());
    QCOMPARE(busy.count(), 2);
    QCOMPARE(busy.at(1).at(0).toBool(), false);
    QCOMPARE(delivered, QList<int>{2});  // delivery comes with the busy=false
    release.release();
    QVERIFY(tracker.waitForAll());
    drainQueued(tracker);
    QCOMPARE(busy.count(), 2);  // the superseded job's end changes nothing
    QCOMPARE(delivered, QList<int>{2});
}

void TestJobTracker::voidWorkDelivers() {
    JobTracker tracker(nullptr, &pool_);
    std::atomic<bool> ran{false};
    bool delivered = false;
    tracker.start([&](const JobContext&) { ran = true; }, [&] { delivered = true; });
    QTRY_VERIFY(delivered);
    QVERIFY(ran.load());
}

// Work runs at the background nice value, and so do the OpenMP threads it starts (they inherit
// it): the GUI thread, at its own, keeps a core.
void TestJobTracker::workRunsBelowTheGuiThread() {
    auto niceOfThisThread = [] {
        return ::getpriority(PRIO_PROCESS, static_cast<id_t>(::syscall(SYS_gettid)));
    };
    const int gui = niceOfThisThread();
    if (gui >= lens::ui::detail::kBackgroundNice)  // e.g. a CI runner under `nice -n 19`
        QSKIP(qPrintable(QStringLiteral("this process already runs at nice %1").arg(gui)));
    JobTracker tracker(nullptr, &pool_);
    std::optional<std::pair<int, int>> seen;  // the work's thread, a thread the work started
    tracker.start(
        [&](const JobContext&) {
            int started = -100;
            std::thread([&] { started = niceOfThisThread(); }).join();
            return std::pair{niceOfThisThread(), started};
        },
        [&](std::pair<int, int> nice) { seen = nice; });
    QTRY_VERIFY(seen.has_value());
    QCOMPARE(seen->first, lens::ui::detail::kBackgroundNice);
    QCOMPARE(seen->second, lens::ui::detail::kBackgroundNice);
    QCOMPARE(niceOfThisThread(), gui);
}

// Qt's raster engine splits wide fills into tasks on QThreadPool::globalInstance() and waits for
// them: jobs filling as many threads as that pool has must not hold the GUI thread's painting
// (they run on jobThreadPool()). With the jobs on the global pool, the painting below waited until
// they give up (the safety limit) and the test fails.
void TestJobTracker::paintingDoesNotWaitForJobs() {
    const int threads = QThreadPool::globalInstance()->maxThreadCount();
    std::counting_semaphore<> release(0);
    std::atomic<int> running{0}, gaveUp{0};
    std::vector<std::unique_ptr<JobTracker>> trackers;
    for (int i = 0; i < threads; ++i) {
        trackers.push_back(std::make_unique<JobTracker>());
        trackers.back()->start(
            [&](const JobContext&) {
                ++running;
                if (!release.try_acquire_for(std::chrono::seconds(60))) ++gaveUp;
            },
            [] {});
    }
    QTRY_COMPARE(running.load(), threads);
    QImage image(2000, 2000, QImage::Format_ARGB32_Premultiplied);
    {
        QPainter painter(&image);
        painter.fillRect(image.rect(), Qt::white);
        // Translucent: blended span by span (one per row), which the raster engine does in
        // parallel on the global pool.
        painter.fillRect(image.rect(), QColor(0, 0, 255, 128));
        painter.setPen(QPen(Qt::black, 1));
        for (int x = 0; x < image.width(); x += 4) painter.drawLine(x, 0, x, image.height() - 1);
    }
    const bool paintedWhileJobsRan = gaveUp.load() == 0;
    release.release(threads);
    trackers.clear();  // each destructor waits for its worker
    QVERIFY(paintedWhileJobsRan);
    QCOMPARE(image.pixelColor(0, 0), QColor(Qt::black));
    QCOMPARE(image.pixelColor(1, 0).blue(), 255);
    QVERIFY(image.pixelColor(1, 0).red() > 100);
}

// Job 1 blocks until released; job 2 starts and delivers; job 1, released, returns a value that
// is never delivered (and saw its stop token requested when it was superseded).
void TestJobTracker::supersededResultIsDropped() {
    JobTracker tracker(nullptr, &pool_);
    std::binary_semaphore started(0), release(0);
    std::atomic<bool> firstSawStop{false};
    std::atomic<bool> firstReturned{false};
    QList<int> delivered;
    QStringList failures;
    const auto fail = [&](const QString& message) { failures << message; };
    const quint64 first = tracker.start(
        [&](const JobContext& context) {
            started.release();
            release.acquire();
            firstSawStop = context.cancelled();
            firstReturned = true;
            return 1;
        },
        [&](int v) { delivered << v; }, fail);
    started.acquire();  // job 1 runs
    const quint64 second =
        tracker.start([](const JobContext&) { return 2; }, [&](int v) { delivered << v; }, fail);
    QVERIFY(second != first);
    QVERIFY(!tracker.isCurrent(first));
    QVERIFY(tracker.isCurrent(second));
    QTRY_COMPARE(delivered, QList<int>{2});
    release.release();
    QVERIFY(tracker.waitForAll());  // job 1 has returned and posted its result
    QVERIFY(firstReturned.load());
    QVERIFY(firstSawStop.load());
    drainQueued(tracker);
    QCOMPARE(delivered, QList<int>{2});
    QVERIFY(failures.isEmpty());
    QVERIFY(!tracker.isRunning());
}

void TestJobTracker::cancelDropsTheResultAndStopsTheWork() {
    JobTracker tracker(nullptr, &pool_);
    QSignalSpy busy(&tracker, &JobTracker::busyChanged);
    std::binary_semaphore started(0), release(0);
    std::atomic<bool> sawStop{false};
    bool delivered = false, failed = false;
    tracker.start(
        [&](const JobContext& context) {
            started.release();
            release.acquire();
            sawStop = context.stopToken().stop_requested();
            return 5;  // returns normally: the tracker must drop it
        },
        [&](int) { delivered = true; }, [&](const QString&) { failed = true; });
    started.acquire();
    QVERIFY(tracker.cancel());
    QVERIFY(!tracker.isRunning());
    QCOMPARE(busy.count(), 2);  // idle at once, not when the worker returns
    QCOMPARE(busy.at(1).at(0).toBool(), false);
    QVERIFY(!tracker.cancel());  // nothing left to cancel
    release.release();
    QVERIFY(tracker.waitForAll());
    QVERIFY(sawStop.load());
    drainQueued(tracker);
    QVERIFY(!delivered);
    QVERIFY(!failed);
    QCOMPARE(busy.count(), 2);
}

void TestJobTracker::stopStopsTheWorkButDelivers() {
    JobTracker tracker(nullptr, &pool_);
    std::binary_semaphore started(0);
    int delivered = -1;
    tracker.start(
        [&](const JobContext& context) {
            started.release();
            while (!context.cancelled()) std::this_thread::yield();  // "trains" until stopped
            return 7;                                                // the partial result
        },
        [&](int v) { delivered = v; });
    started.acquire();
    QVERIFY(tracker.isRunning());
    tracker.stop();
    QVERIFY(tracker.isRunning());  // still current: its result will come
    QTRY_COMPARE(delivered, 7);
    QVERIFY(!tracker.isRunning());
}

void TestJobTracker::exceptionReachesFail() {
    JobTracker tracker(nullptr, &pool_);
    QSignalSpy busy(&tracker, &JobTracker::busyChanged);
    bool delivered = false;
    QStringList failures;
    tracker.start([](const JobContext&) -> int { throw std::runtime_error("the disk is on fire"); },
                  [&](int) { delivered = true; },
                  [&](const QString& message) { failures << message; });
    QTRY_COMPARE(failures.size(), 1);
    QCOMPARE(failures.first(), QStringLiteral("the disk is on fire"));
    QVERIFY(!delivered);
    QCOMPARE(busy.count(), 2);
    QVERIFY(!tracker.isRunning());

    // Something that is not a std::exception still ends the job (and says so).
    tracker.start([](const JobContext&) -> int { throw 42; }, [&](int) { delivered = true; },
                  [&](const QString& message) { failures << message; });
    QTRY_COMPARE(failures.size(), 2);
    QVERIFY(!failures.last().isEmpty());
    QVERIFY(!delivered);
    QVERIFY(!tracker.isRunning());
}

void TestJobTracker::cancelledReachesNeither() {
    JobTracker tracker(nullptr, &pool_);
    QSignalSpy busy(&tracker, &JobTracker::busyChanged);
    bool delivered = false, failed = false;
    tracker.start([](const JobContext&) -> int { throw lens::Cancelled(); },
                  [&](int) { delivered = true; }, [&](const QString&) { failed = true; });
    QTRY_COMPARE(busy.count(), 2);  // the job ended: busy, then idle
    QCOMPARE(busy.at(1).at(0).toBool(), false);
    QVERIFY(tracker.waitForAll());
    drainQueued(tracker);
    QVERIFY(!delivered);
    QVERIFY(!failed);
}

// 2,001 reports in steps of 0.05 % reach the GUI as about one per half percent; a new stage text
// always passes, and so does the final 1.0.
void TestJobTracker::progressIsThinned() {
    JobTracker tracker(nullptr, &pool_);
    QSignalSpy progress(&tracker, &JobTracker::progressChanged);
    std::atomic<int> falseReturns{0};
    bool done = false;
    tracker.start(
        [&](const JobContext& context) {
            for (int i = 0; i <= 2000; ++i) {
                const double fraction = i / 2000.0;
                if (!context.progress(fraction, i < 1000 ? "first half" : "second half"))
                    ++falseReturns;
            }
            return 0;
        },
        [&](int) { done = true; });
    QTRY_VERIFY(done);
    QCOMPARE(falseReturns.load(), 0);  // not cancelled: every report says "go on"
    // Deliveries come after every progress the job posted (one queue, in order).
    QVERIFY2(progress.count() >= 150 && progress.count() <= 210,
             qPrintable(QString::number(progress.count())));
    double last = -1.0;
    bool sawSecondStage = false;
    for (const QList<QVariant>& args : std::as_const(progress)) {
        const double fraction = args.at(0).toDouble();
        QVERIFY(fraction >= last);
        last = fraction;
        if (args.at(1).toString() == QLatin1String("second half")) {
            if (!sawSecondStage) QCOMPARE(fraction, 0.5);  // the stage change passes at once
            sawSecondStage = true;
        }
    }
    QVERIFY(sawSecondStage);
    QCOMPARE(progress.first().at(0).toDouble(), 0.0);
    QCOMPARE(progress.last().at(0).toDouble(), 1.0);
}

// Job 1 reports progress, which waits in the queue while job 2 supersedes it: only job 2's
// progress reaches progressChanged. A cancelled job's report returns false (stop).
void TestJobTracker::onlyTheCurrentJobsProgressIsShown() {
    JobTracker tracker(nullptr, &pool_);
    QSignalSpy progress(&tracker, &JobTracker::progressChanged);
    std::binary_semaphore posted(0), release(0);
    std::atomic<bool> reportAfterSupersede{true};
    tracker.start(
        [&](const JobContext& context) {
            context.progress(0.3, "old job");
            posted.release();
            release.acquire();
            reportAfterSupersede = context.progress(0.4, "old job");
            return 1;
        },
        [](int) {});
    posted.acquire();  // job 1's progress is queued; no event has run since
    bool delivered = false;
    tracker.start(
        [](const JobContext& context) {
            context.progress(0.7, "new job");
            return 2;
        },
        [&](int) { delivered = true; });
    QTRY_VERIFY(delivered);
    release.release();
    QVERIFY(tracker.waitForAll());
    drainQueued(tracker);
    QVERIFY(!reportAfterSupersede.load());  // superseded means stopped
    QCOMPARE(progress.count(), 1);
    QCOMPARE(progress.at(0).at(0).toDouble(), 0.7);
    QCOMPARE(progress.at(0).at(1).toString(), QStringLiteral("new job"));
}

// A post runs on the tracker's thread while its job is current; once the job is superseded its
// posts are dropped.
void TestJobTracker::postRunsOnlyWhileCurrent() {
    JobTracker tracker(nullptr, &pool_);
    std::binary_semaphore release(0);
    QStringList ran;
    QThread* postThread = nullptr;
    tracker.start(
        [&](const JobContext& context) {
            context.post([&] {
                postThread = QThread::currentThread();
                ran << QStringLiteral("while current");
            });
            release.acquire();
            context.post([&] { ran << QStringLiteral("after superseded"); });
            return 1;
        },
        [](int) {});
    QTRY_COMPARE(ran, QStringList{QStringLiteral("while current")});
    QCOMPARE(postThread, QThread::currentThread());
    bool delivered = false;
    tracker.start([](const JobContext&) { return 2; }, [&](int) { delivered = true; });
    release.release();
    QVERIFY(tracker.waitForAll());
    drainQueued(tracker);  // job 1's second post is in this queue (or was never sent)
    QVERIFY(delivered);
    QCOMPARE(ran, QStringList{QStringLiteral("while current")});
}

// Destroying the tracker while its job runs requests the job's stop and returns only once the
// worker has returned; nothing is delivered.
void TestJobTracker::destructorWaitsForTheWorker() {
    std::binary_semaphore started(0);
    std::atomic<bool> sawStop{false};
    std::atomic<bool> returned{false};
    bool delivered = false;
    auto* tracker = new JobTracker(nullptr, &pool_);
    tracker->start(
        [&](const JobContext& context) {
            started.release();
            while (!context.stopToken().stop_requested()) std::this_thread::yield();
            sawStop = true;
            // Reports and posts of a job whose tracker is going away are harmless.
            context.progress(1.0, "leaving");
            context.post([&] { delivered = true; });
            returned = true;
            return 3;
        },
        [&](int) { delivered = true; });
    started.acquire();
    delete tracker;  // blocks until the worker has returned
    QVERIFY(sawStop.load());
    QVERIFY(returned.load());
    QCoreApplication::processEvents();
    QVERIFY(!delivered);
}

QTEST_GUILESS_MAIN(TestJobTracker)
#include "tst_job_tracker.moc"
