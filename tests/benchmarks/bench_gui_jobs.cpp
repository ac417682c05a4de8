// bench_gui_jobs: how responsive the GUI thread of the real main window stays during every kind
// of background job, on a release folder on disk (issue 21: on the ML-32M shape, Explore, Rank
// and Map stay responsive, GUI stall p99 <= 30 ms during every background job).
//
// A QTimer probe fires every `interval` ms (Qt::PreciseTimer, default 16 ms: one 60 Hz frame) in
// the GUI thread; each stall is the time between two consecutive timeouts minus the interval (0
// when on time), counted in the phase current when the timeout fires; a phase boundary inside a
// stall splits it (the part before goes to the ending phase: the delivery of its job's result).
// The probe first runs for 2 s with nothing to do (the reference, same process), then through
// these phases of one lens::ui::MainWindow, driven through its panels as a user would, each
// ending on the panel's own signal (no wall-clock waits):
//   load          LoadPanel::openPath(DIR) (File > Open folder) until datasetChanged
//   explore       the Explore panel's EDA job (started by datasetChanged) until resultsShown
//   train: ALS    Train panel, ALS k = 32, N iterations, start() until runFinished
//   map: PCA      the first completed run becomes the active model, which starts the Map
//                 panel's job (genre map + movie PCA) at once: until runStateChanged(Idle)
//   rank: top-N   Rank panel, a persona (preset, or an existing user on synthetic titles)
//                 ranked on the GUI thread, until personaChanged with its rated movies
//   rank: quality (unless --no-quality) Rank panel, "Ranking quality" tab, Run clicked, until
//                 finished
//   map: t-SNE    (--tsne) Map panel, method t-SNE, Run (F5) until runStateChanged(Idle)
//   train: bias   (unless --no-compare) a second model on the same split, for Compare (--second
//                 KIND another, e.g. neumf, with --epochs N)
//   compare       (unless --no-compare) Compare panel, both runs ticked, Compare until
//                 comparisonFinished
// Stage switches (panel shown, laid out, painted) are the user's own action, not a job: their
// stalls form a phase of their own, outside the verdict, like the idle reference.
// Prints per phase: wall seconds, CPU seconds of the GUI thread (stalls well above it are the
// GUI thread waiting for a core, not working), samples, p50 / p99 / max stall, ratio of p99 to
// 30 ms, PASS/FAIL, and the process's peak RSS (VmHWM) when the phase ended (the phase where it
// grows is where the peak came from). HOME is a temporary folder and Qt's test mode is on, so
// run history, saved models and settings never touch the real app data.
//
// Usage: bench_gui_jobs --data DIR [--interval MS] [--iterations N] [--k K] [--tsne]
//                       [--no-quality] [--no-compare] [--timeout S]
//   --data DIR       a MovieLens release folder (ratings.csv, movies.csv, ...), e.g. /tmp/ml32shape
//   --interval 16    probe interval in ms
//   --iterations 3   ALS iterations; --k 32 its factors
//   --tsne           also run t-SNE of the movies (1-3 min at ML-32M on 2 cores)
//   --no-quality     skip the Rank panel's ranking-quality job (it scores every user against the
//                    whole catalogue: minutes at ML-32M's size)
//   --no-compare     skip the second model and the Compare panel's job
//   --second bias    the second model's kind (neumf: the peak RSS with ALS and NeuMF trained);
//   --epochs N       its epochs (default: the model's)
//   --timeout 7200   safety limit in s for the whole run: beyond it the run aborts with an error
// Exit code: 0 when every phase meets p99 <= 30 ms, 1 when one does not, 2 on usage errors, 3
// when a job failed or the safety timeout passed.
#include <time.h>
#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFileInfo>
#include <QLabel>
#include <QPushButton>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTimer>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <omp.h>

#include "DatasetController.h"
#include "LoadPanel.h"
#include "MainWindow.h"
#include "benchmarks/Percentile.h"
#include "benchmarks/ProcStatus.h"
#include "compare/ComparePanel.h"
#include "compare/CompareRunPicker.h"
#include "data/Dataset.h"
#include "explore/ExplorePanel.h"
#include "map/MapPanel.h"
#include "models/ModelLibrary.h"
#include "rank/PersonaEditor.h"
#include "rank/RankPanel.h"
#include "rank/RankingQualityView.h"
#include "train/HyperparameterForm.h"
#include "train/TrainPanel.h"
#include "train/TrainingRun.h"

using namespace lens;
using namespace lens::ui;

namespace {

constexpr double kTargetP99Ms = 30.0;
constexpr const char* kStageSwitches = "stage switches";

struct Phase {
    std::string name;
    std::vector<double> ms;  // stalls
    double seconds = 0;
    double guiCpuSeconds = 0;  // CPU time of the GUI thread: work of its own, not preemption
    double peakMb = 0;         // VmHWM when the phase last ended (where it grows, it peaked)
    double percentile(double p) const { return bench::nearestRankPercentile(ms, p); }
    double max() const { return ms.empty() ? 0 : *std::max_element(ms.begin(), ms.end()); }
};

// The probe and the phases: begin() closes the current phase (its wall time) and opens the next;
// each timeout's lateness goes to the phase open when it fires.
class StallProbe : public QObject {
public:
    explicit StallProbe(int intervalMs) : intervalMs_(intervalMs) {
        timer_.setTimerType(Qt::PreciseTimer);
        timer_.setInterval(intervalMs);
        connect(&timer_, &QTimer::timeout, this, [this] {
            const qint64 now = clock_.nsecsElapsed();
            if (last_ >= 0 && current_)
                current_->ms.push_back(std::max(0.0, double(now - last_) / 1e6 - intervalMs_));
            last_ = now;
        });
        clock_.start();
        timer_.start();
    }
    // A phase begun again (by name) goes on where it left off.
    void begin(const std::string& name) {
        end();
        for (const auto& p : phases_)
            if (p->name == name) current_ = p.get();
        if (!current_) {
            phases_.push_back(std::make_unique<Phase>());
            current_ = phases_.back().get();
            current_->name = name;
        }
        phaseStart_ = clock_.nsecsElapsed();
        cpuStart_ = threadCpuSeconds();
    }
    void end() {
        if (current_) {
            // A boundary inside a stall splits it: what the GUI thread was blocked for so far
            // is the ending phase's (the delivery of its job's result), the rest the next's.
            const qint64 now = clock_.nsecsElapsed();
            if (last_ >= 0 && double(now - last_) / 1e6 > intervalMs_) {
                current_->ms.push_back(double(now - last_) / 1e6 - intervalMs_);
                last_ = now;
            }
            current_->seconds += double(clock_.nsecsElapsed() - phaseStart_) / 1e9;
            current_->guiCpuSeconds += threadCpuSeconds() - cpuStart_;
            current_->peakMb = bench::procStatusMb("VmHWM:");
        }
        current_ = nullptr;
    }
    const std::string& current() const { return current_->name; }
    const std::vector<std::unique_ptr<Phase>>& phases() const { return phases_; }

private:
    int intervalMs_;
    QTimer timer_;
    QElapsedTimer clock_;
    static double threadCpuSeconds() {
        timespec ts{};
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
        return double(ts.tv_sec) + 1e-9 * double(ts.tv_nsec);
    }

    qint64 last_ = -1, phaseStart_ = 0;
    double cpuStart_ = 0;
    Phase* current_ = nullptr;
    std::vector<std::unique_ptr<Phase>> phases_;
};

// Waits in a nested event loop (the probe keeps firing) until a handler calls finish() or fail().
// Connect the handlers with context() before starting the job: the signal may come at once, and
// the connections end with the Wait.
class Wait {
public:
    QObject* context() { return &loop_; }
    void finish() {
        done_ = true;
        loop_.quit();
    }
    void fail(const QString& message) {
        error_ = message.isEmpty() ? QStringLiteral("failed") : message;
        loop_.quit();
    }
    // Returns the error (empty on success). Gives up at the run's deadline.
    QString wait(const QElapsedTimer& run, qint64 deadlineMs) {
        if (!done_ && error_.isEmpty()) {
            const qint64 left = deadlineMs - run.elapsed();
            if (left <= 0) return QStringLiteral("safety timeout");
            QTimer::singleShot(left, &loop_, [this] { fail(QStringLiteral("safety timeout")); });
            loop_.exec();
        }
        return done_ ? QString() : error_;
    }

private:
    QEventLoop loop_;
    bool done_ = false;
    QString error_;
};

// A failed job or the safety timeout: print and leave at once (workers may still run; the
// window's destructor would wait for them).
[[noreturn]] void abortRun(const char* phase, const QString& error) {
    std::printf("ERROR in %s: %s\n", phase, qPrintable(error));
    std::fflush(stdout);
    std::_Exit(3);
}

void check(const char* phase, const QString& error) {
    if (!error.isEmpty()) abortRun(phase, error);
}

// The reference and the stage switches are not background jobs: no verdict.
bool isJob(const Phase& p) {
    return p.name.rfind("reference", 0) != 0 && p.name != kStageSwitches;
}

void printPhase(const Phase& p) {
    const double p99 = p.percentile(0.99);
    const char* verdict = !isJob(p) ? "(no job)" : p99 <= kTargetP99Ms ? "PASS" : "FAIL";
    std::printf("%-18s %8.1f %8.2f %8zu %7.2f %7.2f %8.2f %7.2f %-8s %8.0f\n", p.name.c_str(),
                p.seconds, p.guiCpuSeconds, p.ms.size(), p.percentile(0.50), p99, p.max(),
                p99 / kTargetP99Ms, verdict, p.peakMb);
}

void printHeader() {
    std::printf("%-18s %8s %8s %8s %7s %7s %8s %7s %-8s %8s\n", "phase", "wall s", "GUI cpu",
                "samples", "p50 ms", "p99 ms", "max ms", "p99/30", "verdict", "HWM MiB");
}

// Lets the event loop run for `ms` (the idle reference).
void idleFor(int ms) {
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

}  // namespace

int main(int argc, char** argv) {
    QString data;
    int interval = 16, iterations = 3, k = 32;
    qint64 timeoutSeconds = 7200;
    bool tsne = false, compare = true, quality = true, usage = false;
    QString second = QStringLiteral("bias");  // the model compared with ALS
    int secondEpochs = 0;                     // > 0: its "epochs" (NCF models)
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto next = [&] { return i + 1 < argc ? std::atoll(argv[++i]) : 0LL; };
        if (a == "--data" && i + 1 < argc)
            data = QString::fromLocal8Bit(argv[++i]);
        else if (a == "--interval")
            interval = static_cast<int>(next());
        else if (a == "--iterations")
            iterations = static_cast<int>(next());
        else if (a == "--k")
            k = static_cast<int>(next());
        else if (a == "--timeout")
            timeoutSeconds = next();
        else if (a == "--tsne")
            tsne = true;
        else if (a == "--no-compare")
            compare = false;
        else if (a == "--no-quality")
            quality = false;
        else if (a == "--second" && i + 1 < argc)
            second = QString::fromLocal8Bit(argv[++i]);
        else if (a == "--epochs")
            secondEpochs = static_cast<int>(next());
        else
            usage = true;
    }
    if (usage || data.isEmpty() || interval <= 0 || iterations <= 0 || k <= 0 ||
        timeoutSeconds <= 0) {
        std::fprintf(stderr,
                     "usage: bench_gui_jobs --data DIR [--interval MS] [--iterations N] [--k K] "
                     "[--tsne] [--no-quality] [--no-compare] [--second KIND [--epochs N]] "
                     "[--timeout S]\n");
        return 2;
    }
    data = QFileInfo(data).absoluteFilePath();
    if (!QFileInfo(data).isDir()) {
        std::fprintf(stderr, "no release folder at %s\n", qPrintable(data));
        return 2;
    }

    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM") && qEnvironmentVariableIsEmpty("DISPLAY"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QTemporaryDir home;  // run history, saved models and settings go here, not to the real ones
    qputenv("HOME", home.path().toLocal8Bit());
    for (const char* v : {"XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"})
        qunsetenv(v);
    QStandardPaths::setTestModeEnabled(true);
    QApplication app(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("LensAtlasBench"));
    QCoreApplication::setApplicationName(QStringLiteral("bench_gui_jobs"));

    std::printf("threads %d, probe interval %d ms, data %s\n", omp_get_max_threads(), interval,
                qPrintable(data));
    QElapsedTimer run;
    run.start();
    const qint64 deadline = timeoutSeconds * 1000;

    MainWindow window;
    window.resize(1280, 800);
    window.show();
    QCoreApplication::processEvents();
    DatasetController* controller = window.controller();
    TrainPanel* train = window.trainPanel();
    MapPanel* map = window.mapPanel();
    RankPanel* rank = window.rankPanel();
    ComparePanel* comparePanel = window.comparePanel();

    StallProbe probe(interval);
    probe.begin("reference (idle)");
    idleFor(2000);

    // A stage switch (the panel shown, polished, laid out and painted) is the user's own action,
    // not a background job: its stalls go to a phase of their own, outside the verdict.
    auto switchView = [&](const std::function<void()>& change) {
        const std::string resume = probe.current();
        probe.begin(kStageSwitches);
        change();
        QCoreApplication::processEvents();
        probe.begin(resume);
    };
    auto switchStage = [&](int stage) { switchView([&] { window.setStage(stage); }); };

    // 1. load, through the Load stage (what File > Open folder does).
    switchStage(MainWindow::LoadStage);
    Wait loaded, explored;
    QObject::connect(controller, &DatasetController::datasetChanged, loaded.context(),
                     [&](std::shared_ptr<const Dataset> dataset) {
                         if (!dataset) return;
                         // The Explore panel started its EDA job on this same signal.
                         probe.begin("explore (EDA)");
                         loaded.finish();
                     });
    QObject::connect(controller, &DatasetController::loadFailed, loaded.context(),
                     [&](const QString& message) { loaded.fail(message); });
    QObject::connect(controller, &DatasetController::loadCancelled, loaded.context(),
                     [&] { loaded.fail(QStringLiteral("load cancelled")); });
    QObject::connect(window.explorePanel(), &ExplorePanel::resultsShown, explored.context(),
                     [&] { explored.finish(); });
    QObject::connect(window.explorePanel(), &ExplorePanel::computeFailed, explored.context(),
                     [&](const QString& message) { explored.fail(message); });
    probe.begin("load");
    window.loadPanel()->openPath(data);
    check("load", loaded.wait(run, deadline));
    const std::shared_ptr<const Dataset> dataset = controller->dataset();
    std::printf("data: %zu ratings, %zu users, %zu movies, loaded in %.1f s\n",
                dataset->ratingCount(), dataset->userCount(), dataset->movieCount(),
                controller->lastLoadSeconds());

    // 2. explore: the EDA job runs while the Load stage shows the dataset's summary; then the
    // user looks at the charts (switching while no job runs keeps the phases apart).
    check("explore", explored.wait(run, deadline));
    switchStage(MainWindow::ExploreStage);

    // 3. train ALS in the Train stage. The first completed run becomes the active model, which
    // starts the Map panel's job before runFinished is emitted.
    switchStage(MainWindow::TrainStage);
    probe.begin("train: ALS");
    train->setModelKind(QStringLiteral("als"));
    if (!train->form()->setValue(QStringLiteral("k"), QString::number(k)) ||
        !train->form()->setValue(QStringLiteral("iterations"), QString::number(iterations)))
        abortRun("train", QStringLiteral("the ALS form rejects k or iterations"));
    Wait trained;
    QString alsRun;
    QObject::connect(
        train, &TrainPanel::runFinished, trained.context(),
        [&](const QString& runId, RunStatus status) {
            if (runId != alsRun) return;
            if (status != RunStatus::Completed)
                return trained.fail(QStringLiteral("run ended %1").arg(runStatusName(status)));
            probe.begin("map: PCA");
            trained.finish();
        });
    QElapsedTimer call;
    call.start();
    alsRun = train->start();
    std::printf("train: ALS k=%d, %d iterations; start() held the GUI thread %.1f ms\n", k,
                iterations, double(call.nsecsElapsed()) / 1e6);
    if (alsRun.isEmpty()) abortRun("train", QStringLiteral("could not start training"));
    check("train", trained.wait(run, deadline));
    if (!window.models()->active() || window.models()->activeId() != alsRun)
        abortRun("train", QStringLiteral("the ALS run did not become the active model"));

    // 4. map: the PCA job started by the activation, while the Train stage still shows; then
    // the user looks at the maps.
    {
        Wait mapped;
        QObject::connect(map, &MapPanel::runStateChanged, mapped.context(),
                         [&](MapPanel::RunState state) {
                             if (state == MapPanel::RunState::Idle) mapped.finish();
                         });
        if (map->runState() == MapPanel::RunState::Idle) mapped.finish();
        check("map: PCA", mapped.wait(run, deadline));
        if (map->movieLayout().rows() != static_cast<Eigen::Index>(dataset->movieCount()))
            abortRun("map: PCA", QStringLiteral("no movie map after the job"));
    }
    switchStage(MainWindow::MapStage);

    // 5. rank: a persona's top-N (on the GUI thread, coalesced by a timer), then the ranking
    // quality of the active model on its test split (a background job).
    switchStage(MainWindow::RankStage);
    switchView([&] { rank->tabs()->setCurrentIndex(0); });
    probe.begin("rank: top-N");
    {
        Wait ranked;
        QObject::connect(rank, &RankPanel::personaChanged, ranked.context(),
                         [&](const QList<qint64>& rated, const QList<qint64>& top) {
                             if (!rated.isEmpty() && !top.isEmpty()) ranked.finish();
                         });
        const QString preset = QStringLiteral("Lord of the Rings fan");
        if (rank->selectPersona(preset) && !rank->personaEditor()->ratedMovieIds().isEmpty()) {
            std::printf("rank: persona \"%s\"\n", qPrintable(preset));
        } else {
            // Synthetic titles hold none of the presets' movies: rank an existing user.
            const qint64 user = dataset->userIds.front();
            if (!rank->useUser(user)) abortRun("rank", QStringLiteral("useUser failed"));
            std::printf("rank: persona = user %lld's ratings\n", static_cast<long long>(user));
        }
        check("rank: top-N", ranked.wait(run, deadline));
    }
    if (quality) {
        RankingQualityView* view = rank->qualityView();
        switchView([&] { rank->tabs()->setCurrentWidget(view); });
        probe.begin("rank: quality");
        Wait evaluated;
        QObject::connect(view, &RankingQualityView::finished, evaluated.context(),
                         [&] { evaluated.finish(); });
        QObject::connect(view, &RankingQualityView::failed, evaluated.context(),
                         [&](const QString& message) { evaluated.fail(message); });
        QObject::connect(view, &RankingQualityView::cancelled, evaluated.context(),
                         [&] { evaluated.fail(QStringLiteral("evaluation cancelled")); });
        if (!view->runButton()->isEnabled())
            abortRun("rank: quality", QStringLiteral("Run is disabled"));
        view->runButton()->click();
        check("rank: quality", evaluated.wait(run, deadline));
        switchView([&] { rank->tabs()->setCurrentIndex(0); });
    } else {
        std::printf("rank: quality skipped (--no-quality)\n");
    }

    // 6. map: t-SNE of the movies (optional), from the Map stage's Run action.
    if (tsne) {
        switchStage(MainWindow::MapStage);
        MapPanel::Settings settings = map->settings();
        settings.projection.method = ProjectionMethod::Tsne;
        map->setSettings(settings);
        probe.begin("map: t-SNE");
        Wait mapped;
        QObject::connect(map, &MapPanel::runStateChanged, mapped.context(),
                         [&](MapPanel::RunState state) {
                             if (state == MapPanel::RunState::Idle) mapped.finish();
                         });
        map->runAction()->trigger();
        if (map->runState() == MapPanel::RunState::Idle)
            abortRun("map: t-SNE", QStringLiteral("Run did not start a job"));
        check("map: t-SNE", mapped.wait(run, deadline));
        std::printf("map: t-SNE, %d iterations\n", map->tsneIteration());
    }

    // 7. compare: a second model (bias) on the same split, then both compared.
    if (compare) {
        switchStage(MainWindow::TrainStage);
        const QByteArray secondPhase = ("train: " + second).toUtf8();
        probe.begin(secondPhase.constData());
        Wait trainedBias;
        QString biasRun;
        QObject::connect(train, &TrainPanel::runFinished, trainedBias.context(),
                         [&](const QString& runId, RunStatus status) {
                             if (runId != biasRun) return;
                             if (status != RunStatus::Completed)
                                 return trainedBias.fail(
                                     QStringLiteral("run ended %1").arg(runStatusName(status)));
                             trainedBias.finish();
                         });
        train->setModelKind(second);
        if (secondEpochs > 0)
            train->form()->setValue(QStringLiteral("epochs"), QString::number(secondEpochs));
        call.restart();
        biasRun = train->start();
        std::printf("train: %s; start() held the GUI thread %.1f ms\n", qPrintable(second),
                    double(call.nsecsElapsed()) / 1e6);
        if (biasRun.isEmpty()) abortRun(secondPhase.constData(), QStringLiteral("could not start"));
        check(secondPhase.constData(), trainedBias.wait(run, deadline));

        switchStage(MainWindow::CompareStage);
        comparePanel->runPicker()->setCheckedRuns({biasRun, alsRun});
        if (!comparePanel->runPicker()->canCompare())
            abortRun("compare", comparePanel->runPicker()->problem());
        probe.begin("compare");
        Wait compared;
        QObject::connect(comparePanel, &ComparePanel::comparisonFinished, compared.context(),
                         [&] { compared.finish(); });
        QObject::connect(comparePanel, &ComparePanel::comparisonFailed, compared.context(),
                         [&](const QString& message) { compared.fail(message); });
        if (!comparePanel->compare())  // what the Compare button (Ctrl+Enter) calls
            abortRun("compare", comparePanel->statusLabel()->text());
        check("compare", compared.wait(run, deadline));
    }
    probe.end();

    std::printf("\n");
    printHeader();
    bool pass = true;
    for (const auto& p : probe.phases()) {
        printPhase(*p);
        if (isJob(*p)) pass = pass && p->percentile(0.99) <= kTargetP99Ms;
    }
    std::printf("all background jobs: %s (GUI stall p99 <= %.0f ms in every phase)\n",
                pass ? "PASS" : "FAIL", kTargetP99Ms);
    std::printf("peak RSS (VmHWM) %.0f MiB, total %.1f s\n", bench::procStatusMb("VmHWM:"),
                double(run.elapsed()) / 1000.0);
    std::fflush(stdout);
    window.close();  // stops what still runs (nothing should), as closing the app does
    return pass ? 0 : 1;
}
