#pragma once
// Reads the run history's saved models (<runs folder>/<run id>.lamodel) off the GUI thread and
// checks each against a dataset, one background job through a JobTracker.
//
// A model is "for" the dataset it was checked against: Loaded::dataset is that dataset when the
// model's user and movie ids match it (lens::checkModelMatchesDataset), null when it was trained
// on another release (kept, the library flags it) or when there was no dataset. A new dataset
// while a load is going supersedes the load: it starts again against the new dataset and what the
// old job still delivers is dropped, so no model is ever paired with a dataset it was not checked
// against.
#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>
#include <memory>

namespace lens {
class Dataset;
class Recommender;
}  // namespace lens

namespace lens::ui {

class JobTracker;
class RunHistoryModel;

class SavedModelLoader : public QObject {
    Q_OBJECT
public:
    struct Request {
        QString runId;
        QString path;
    };
    struct Loaded {
        QString runId;
        std::shared_ptr<const lens::Recommender> model;  // null when the file was unreadable
        std::shared_ptr<const lens::Dataset> dataset;    // checked and matching; else null
        QString error;                                   // why the file was unreadable
    };

    explicit SavedModelLoader(QObject* parent = nullptr);
    ~SavedModelLoader() override;  // cancels the load and waits for it (one model at most)

    // The saved models of the history's runs. Runs whose file is missing are left out, with one
    // line each in *problems ("run X: model file Y is missing").
    static QList<Request> requestsFor(const RunHistoryModel& history, QStringList* problems);

    // Loads `requests` and checks them against `dataset` (may be null); supersedes a load in
    // progress. Nothing to load: nothing happens (no finished()).
    void load(QList<Request> requests, std::shared_ptr<const lens::Dataset> dataset);
    // The dataset changed: a load in progress starts again against it. Idle: nothing to do.
    void setDataset(std::shared_ptr<const lens::Dataset> dataset);
    // Drops the load in progress (nothing of it is delivered).
    void cancel();
    bool isLoading() const;

signals:
    // Every requested model (in request order), read or not, of the current load.
    void finished(const QList<lens::ui::SavedModelLoader::Loaded>& models);

private:
    JobTracker* tracker_;
    QList<Request> pending_;  // the requests of the load in progress
};

}  // namespace lens::ui
