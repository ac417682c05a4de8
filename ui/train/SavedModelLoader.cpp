#include "train/SavedModelLoader.h"

#include <QDir>
#include <QFileInfo>

#include "JobTracker.h"
#include "data/Dataset.h"
#include "models/ModelFile.h"
#include "models/Recommender.h"
#include "train/RunHistoryModel.h"
#include "util/Errors.h"

namespace lens::ui {

SavedModelLoader::SavedModelLoader(QObject* parent)
    : QObject(parent), tracker_(new JobTracker(this)) {}

SavedModelLoader::~SavedModelLoader() = default;  // ~JobTracker cancels and waits

QList<SavedModelLoader::Request> SavedModelLoader::requestsFor(const RunHistoryModel& history,
                                                               QStringList* problems) {
    QList<Request> requests;
    for (const RunRecord& r : history.runs()) {
        if (r.modelFile.isEmpty()) continue;
        const QString path = QDir(history.folder()).filePath(r.modelFile);
        if (!QFileInfo::exists(path)) {
            if (problems) *problems << tr("run %1: model file %2 is missing").arg(r.id, path);
            continue;
        }
        requests.append({r.id, path});
    }
    return requests;
}

bool SavedModelLoader::isLoading() const {
    return tracker_->isRunning();
}

void SavedModelLoader::cancel() {
    tracker_->cancel();
    pending_.clear();
}

void SavedModelLoader::setDataset(std::shared_ptr<const Dataset> dataset) {
    if (isLoading()) load(pending_, std::move(dataset));
}

void SavedModelLoader::load(QList<Request> requests, std::shared_ptr<const Dataset> dataset) {
    if (requests.isEmpty()) {
        cancel();
        return;
    }
    pending_ = requests;
    tracker_->start(
        [requests = std::move(requests), dataset = std::move(dataset)](const JobContext& context) {
            QList<Loaded> out;
            for (const Request& request : requests) {
                if (context.cancelled()) throw Cancelled();  // superseded: drop the rest
                Loaded loaded;
                loaded.runId = request.runId;
                const std::string path = request.path.toStdString();
                try {
                    auto model = loadModel(path);
                    if (dataset) {
                        try {
                            checkModelMatchesDataset(*model, *dataset, path);
                            loaded.dataset = dataset;
                        } catch (const std::exception&) {
                            // Trained on another release: kept, without a dataset (flagged).
                        }
                    }
                    loaded.model = std::shared_ptr<const Recommender>(std::move(model));
                } catch (const std::exception& e) {
                    loaded.error = QString::fromUtf8(e.what());
                }
                out.append(loaded);
            }
            return out;
        },
        [this](QList<Loaded> models) {
            pending_.clear();
            emit finished(models);
        });
}

}  // namespace lens::ui
