#pragma once
// The trained models the session knows (from the Train panel's run history or opened from files),
// and which one is active for the Rank and Map panels. Models are shared and immutable once here:
// panels read them from the GUI thread and from workers alike.
// Every model is tied to the dataset it was trained on; entries for another dataset than the
// current one are kept but flagged (the Rank and Map panels only offer matching ones).
#include <QList>
#include <QObject>
#include <QString>
#include <memory>

namespace lens {
class Dataset;
class Recommender;
}  // namespace lens

namespace lens::ui {

class ModelLibrary : public QObject {
    Q_OBJECT
public:
    struct Entry {
        QString id;     // unique (run id of the Train panel, or the file path)
        QString label;  // "ALS k 32 · per-user 20 % · seed 42 · test RMSE 0.851"
        std::shared_ptr<const lens::Recommender> model;
        std::shared_ptr<const lens::Dataset> dataset;  // what it was trained on (may be null)
        QString datasetName;                           // the model's datasetName()
    };

    explicit ModelLibrary(QObject* parent = nullptr);

    QList<Entry> entries() const { return entries_; }
    const Entry* find(const QString& id) const;  // null when absent
    // Adds or replaces (same id). Emits entriesChanged; if it replaced the active one,
    // activeChanged.
    void add(Entry entry);
    void remove(const QString& id);     // clears the active one if it was it
    void setActive(const QString& id);  // empty or unknown: none active
    QString activeId() const { return activeId_; }
    const Entry* active() const { return find(activeId_); }

signals:
    void entriesChanged();
    void activeChanged();

private:
    QList<Entry> entries_;
    QString activeId_;
};

}  // namespace lens::ui
