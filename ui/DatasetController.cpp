#include "DatasetController.h"

#include <QDir>
#include <QFileInfo>
#include <QMetaObject>
#include <QtConcurrent/QtConcurrentRun>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <exception>
#include <mutex>

#include "synth/SyntheticGenerator.h"
#include "util/Errors.h"

namespace lens::ui {

DatasetController::DatasetController(QObject* parent)
    : QObject(parent), load_([](const std::filesystem::path& path, const LoadOptions& options) {
          return loadDataset(path, options);
      }) {}

DatasetController::~DatasetController() {
    if (activeCancel_) activeCancel_->store(true);
    // Superseded jobs had their flags set when they were superseded; wait for all of them so no
    // worker posts to a destroyed object. Their queued posts die with this object.
    for (auto& future : running_) future.waitForFinished();
}

QString DatasetController::demoDisplayName() {
    return tr("Demo dataset (synthetic)");
}

quint64 DatasetController::openPath(const QString& path) {
    const QString absolute = QFileInfo(path).absoluteFilePath();
    const std::filesystem::path fsPath = QDir::toNativeSeparators(absolute).toStdString();
    LoadFunction load = load_;
    return startJob(tr("Loading %1").arg(QFileInfo(absolute).fileName()), absolute,
                    [load, fsPath](const LoadOptions& options) { return load(fsPath, options); });
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
    if (!activeJob_) return;
    activeCancel_->store(true);
    activeJob_ = 0;  // whatever the job still delivers is dropped
    activeCancel_.reset();
    emit loadCancelled();
}

quint64 DatasetController::startJob(const QString& description, const QString& sourcePath,
                                    Work work) {
    if (activeCancel_) activeCancel_->store(true);  // supersede the running job
    running_.erase(std::remove_if(running_.begin(), running_.end(),
                                  [](const QFuture<void>& f) { return f.isFinished(); }),
                   running_.end());

    const quint64 jobId = nextJob_++;
    auto cancelFlag = std::make_shared<std::atomic<bool>>(false);
    activeJob_ = jobId;
    activeCancel_ = cancelFlag;
    emit loadStarted(jobId, description);

    LoadOptions options;
    options.lenient = lenient_;
    DatasetController* receiver = this;  // outlives the worker: the destructor waits for it

    // The loader may report from several threads: the thinning state is shared and locked.
    struct Thinning {
        std::mutex mutex;
        double lastFraction = -1.0;
        std::string lastStage;
    };
    auto thinning = std::make_shared<Thinning>();
    options.progress = [receiver, jobId, cancelFlag, thinning](double fraction,
                                                               const std::string& stage) {
        if (cancelFlag->load()) return false;
        {
            std::lock_guard lock(thinning->mutex);
            if (std::abs(fraction - thinning->lastFraction) < 0.005 && stage == thinning->lastStage)
                return true;
            thinning->lastFraction = fraction;
            thinning->lastStage = stage;
        }
        const QString text = QString::fromStdString(stage);
        QMetaObject::invokeMethod(
            receiver,
            [receiver, jobId, fraction, text] {
                if (receiver->activeJob_ == jobId) emit receiver->loadProgress(fraction, text);
            },
            Qt::QueuedConnection);
        return true;
    };

    QFuture<void> future = QtConcurrent::run(
        [receiver, jobId, sourcePath, cancelFlag, options, work = std::move(work)] {
            Outcome outcome;
            const auto start = std::chrono::steady_clock::now();
            try {
                outcome.dataset = std::make_shared<const Dataset>(work(options));
                if (cancelFlag->load()) outcome.cancelled = true;
            } catch (const Cancelled&) {
                outcome.cancelled = true;
            } catch (const DataError& e) {
                outcome.error = QString::fromStdString(e.what());
            } catch (const std::bad_alloc&) {
                outcome.error =
                    QObject::tr("%1: not enough memory to load this dataset").arg(sourcePath);
            } catch (const std::exception& e) {
                outcome.error = QString::fromStdString(e.what());
            }
            outcome.seconds =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
            QMetaObject::invokeMethod(
                receiver,
                [receiver, jobId, sourcePath, outcome] {
                    receiver->finishJob(jobId, sourcePath, outcome);
                },
                Qt::QueuedConnection);
        });
    running_.push_back(future);
    return jobId;
}

void DatasetController::finishJob(quint64 jobId, const QString& sourcePath,
                                  const Outcome& outcome) {
    if (jobId != activeJob_) return;  // superseded or cancelled: drop the late result
    activeJob_ = 0;
    activeCancel_.reset();
    if (outcome.cancelled) {
        emit loadCancelled();
        return;
    }
    if (!outcome.error.isEmpty() || !outcome.dataset) {
        failedPath_ = sourcePath;
        emit loadFailed(outcome.error.isEmpty() ? tr("Loading produced no dataset")
                                                : outcome.error);
        return;
    }
    dataset_ = outcome.dataset;
    sourcePath_ = sourcePath;
    failedPath_.clear();
    lastLoadSeconds_ = outcome.seconds;
    emit datasetChanged(dataset_);
}

}  // namespace lens::ui
