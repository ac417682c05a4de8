#pragma once
// Owns the dataset the whole window works on and loads new ones off the GUI thread.
//
// Every load is a job of a JobTracker: the worker runs lens::loadDataset (or the synthetic
// generator) on the Qt thread pool with JobContext::progress as the loader's progress callback
// (thinned, shown only while the job is current, returning false once the job is stopped, which
// makes the loader throw lens::Cancelled). The outcome comes back on the GUI thread. Starting a
// new load supersedes the running one; a result of a superseded or cancelled job is dropped, so
// panels only ever see the latest dataset. A user's own interaction file loads the same way, with
// LoadOptions carrying its format, items file and filters (openPath with options); a failed
// load keeps its options for the retry.
// Panels observe datasetChanged(); the dataset is shared and immutable.
#include <QObject>
#include <QString>
#include <filesystem>
#include <functional>
#include <memory>

#include "JobTracker.h"
#include "data/Dataset.h"
#include "io/DatasetLoader.h"

namespace lens::ui {

class DatasetController : public QObject {
    Q_OBJECT
public:
    // Loads the dataset at a path; the default is lens::loadDataset. Tests swap in a fake.
    using LoadFunction = std::function<Dataset(const std::filesystem::path&, const LoadOptions&)>;

    explicit DatasetController(QObject* parent = nullptr);
    ~DatasetController() override;  // stops running jobs and waits for them to end

    std::shared_ptr<const Dataset> dataset() const { return dataset_; }
    // Folder or zip of the current dataset; empty for the generated demo or when none is loaded.
    QString sourcePath() const { return sourcePath_; }
    // The path of the last load that failed (empty for the demo or after a success): what a
    // "retry, skipping malformed lines" reopens.
    QString failedPath() const { return failedPath_; }
    // Wall time of the job that produced the current dataset.
    double lastLoadSeconds() const { return lastLoadSeconds_; }
    bool isLoading() const { return jobs_.isRunning(); }
    quint64 activeJobId() const { return jobs_.currentJob(); }

    // Skip malformed lines (counted in Dataset::report.skippedLines) instead of stopping.
    void setLenient(bool lenient) { lenient_ = lenient; }
    bool lenient() const { return lenient_; }

    void setLoadFunction(LoadFunction load) { load_ = std::move(load); }

    // Each returns the new job's id.
    quint64 openPath(const QString& path);
    // With `options`' format, items file and filters (a user's own interaction file, see
    // load/ImportDialog.h); its lenient flag and progress callback are the controller's.
    quint64 openPath(const QString& path, const LoadOptions& options);
    quint64 openDemo();
    // The options of the last failed load (what a retry passes again with openPath).
    const LoadOptions& failedOptions() const { return failedOptions_; }

    static QString demoDisplayName();

public slots:
    void cancel();

signals:
    void loadStarted(quint64 jobId, const QString& description);
    void loadProgress(double fraction, const QString& stage);
    void datasetChanged(std::shared_ptr<const lens::Dataset> dataset);
    void loadFailed(const QString& message);
    void loadCancelled();

private:
    struct Outcome {
        std::shared_ptr<const Dataset> dataset;  // null when the job cancelled itself
        double seconds = 0.0;
    };
    using Work = std::function<Dataset(const LoadOptions&)>;

    quint64 startJob(const QString& description, const QString& sourcePath, Work work,
                     LoadOptions options = {});
    void finishJob(const QString& sourcePath, const Outcome& outcome);

    std::shared_ptr<const Dataset> dataset_;
    QString sourcePath_;
    QString failedPath_;
    LoadOptions failedOptions_;
    double lastLoadSeconds_ = 0.0;
    bool lenient_ = false;
    LoadFunction load_;
    JobTracker jobs_;  // last: destroyed (stopping and waiting for its workers) first
};

}  // namespace lens::ui
