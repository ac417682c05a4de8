#include "DatasetController.h"

#include <QDir>
#include <QFileInfo>
#include <chrono>
#include <new>
#include <stdexcept>

#include "synth/SyntheticGenerator.h"
#include "util/Errors.h"

namespace lens::ui {

DatasetController::DatasetController(QObject* parent)
    : QObject(parent), load_([](const std::filesystem::path& path, const LoadOptions& options) {
          return loadDataset(path, options);
      }) {
    connect(&jobs_, &JobTracker::progressChanged, this, &DatasetController::loadProgress);
}

// jobs_ stops every load and waits for its worker; their late results die with it.
DatasetController::~DatasetController() = default;

QString DatasetController::demoDisplayName() {
    return tr("Demo dataset (synthetic)");
}

quint64 DatasetController::openPath(const QString& path) {
    return openPath(path, LoadOptions{});
}

quint64 DatasetController::openPath(const QString& path, const LoadOptions& options) {
    const QString absolute = QFileInfo(path).absoluteFilePath();
    const std::filesystem::path fsPath = QDir::toNativeSeparators(absolute).toStdString();
    LoadFunction load = load_;
    return startJob(
        tr("Loading %1").arg(QFileInfo(absolute).fileName()), absolute,
        [load, fsPath](const LoadOptions& jobOptions) { return load(fsPath, jobOptions); },
        options);
}

quint64 DatasetController::openDemo() {
    return startJob(tr("Generating the demo dataset"), QString(), [](const LoadOptions& options) {
        // The generator has no progress hook: say what happens, then honour a cancel at the end.
        if (options.progress && !options.progress(0.0, "generating synthetic ratings"))
            throw Cancelled();
        Dataset generated = generateSyntheticDataset(SyntheticConfig{});
        if (options.progress && !options.progress(1.0, "done")) throw Cancelled();
        return generated;
    });
}

void DatasetController::cancel() {
    if (jobs_.cancel()) emit loadCancelled();  // whatever the job still delivers is dropped
}

quint64 DatasetController::startJob(const QString& description, const QString& sourcePath,
                                    Work work, LoadOptions options) {
    options.lenient = lenient_;
    options.progress = nullptr;  // the job's own, set in the worker
    LoadOptions retryOptions = options;
    const quint64 jobId = jobs_.start(
        [options, sourcePath, work = std::move(work)](const JobContext& context) mutable {
            options.progress = [context](double fraction, const std::string& stage) {
                return context.progress(fraction, stage);
            };
            const auto start = std::chrono::steady_clock::now();
            Outcome outcome;
            try {
                outcome.dataset = std::make_shared<const Dataset>(work(options));
            } catch (const Cancelled&) {
                // Stopped by this controller: dropped anyway. Cancelled by the load function
                // itself: say so (a null dataset) rather than leave the panels waiting.
                return outcome;
            } catch (const std::bad_alloc&) {
                throw std::runtime_error(
                    tr("%1: not enough memory to load this dataset").arg(sourcePath).toStdString());
            }
            outcome.seconds =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
            return outcome;
        },
        [this, sourcePath](const Outcome& outcome) { finishJob(sourcePath, outcome); },
        [this, sourcePath, retryOptions](const QString& message) {
            failedPath_ = sourcePath;
            failedOptions_ = retryOptions;
            emit loadFailed(message);
        });
    // Before anything of the job: its progress and outcome are queued calls to this thread.
    emit loadStarted(jobId, description);
    return jobId;
}

void DatasetController::finishJob(const QString& sourcePath, const Outcome& outcome) {
    if (!outcome.dataset) {
        emit loadCancelled();
        return;
    }
    dataset_ = outcome.dataset;
    sourcePath_ = sourcePath;
    failedPath_.clear();
    failedOptions_ = {};
    lastLoadSeconds_ = outcome.seconds;
    emit datasetChanged(dataset_);
}

}  // namespace lens::ui
