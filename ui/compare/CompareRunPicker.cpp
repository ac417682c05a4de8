#include "compare/CompareRunPicker.h"

#include <QLabel>
#include <QListWidget>
#include <QSet>
#include <QVBoxLayout>
#include <algorithm>

#include "train/RunHistoryModel.h"

namespace lens::ui {

namespace {

constexpr int kRunIdRole = Qt::UserRole + 1;

bool listed(const RunRecord& r) {
    return r.status == RunStatus::Completed && !r.modelFile.isEmpty();
}

bool sameSplit(const RunRecord& a, const RunRecord& b) {
    return a.spec.split.text() == b.spec.split.text() && a.spec.split.seed == b.spec.split.seed;
}

QString runName(const RunRecord& r) {
    return QStringLiteral("%1 (%2)").arg(
        r.modelDisplayName.isEmpty() ? r.spec.modelKind : r.modelDisplayName, r.id);
}

}  // namespace

CompareRunPicker::CompareRunPicker(RunHistoryModel* history, QWidget* parent)
    : QWidget(parent), history_(history) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    list_ = new QListWidget(this);
    list_->setObjectName(QStringLiteral("compareRuns"));
    list_->setToolTip(
        tr("Completed runs of the Train stage that saved a model. Tick two or more trained on "
           "the loaded dataset with the same split and seed: they are scored on the same test "
           "users, so their figures pair up user by user."));
    list_->setAlternatingRowColors(true);
    reason_ = new QLabel(this);
    reason_->setObjectName(QStringLiteral("compareReason"));
    reason_->setWordWrap(true);
    reason_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(list_, 1);
    layout->addWidget(reason_);

    connect(list_, &QListWidget::itemChanged, this, [this](QListWidgetItem*) {
        if (rebuilding_) return;
        userTouched_ = true;
        updateReason();
        emit selectionChanged();
    });
    connect(history_, &QAbstractItemModel::modelReset, this, &CompareRunPicker::rebuild);
    connect(history_, &QAbstractItemModel::layoutChanged, this, [this] { rebuild(); });
    connect(history_, &QAbstractItemModel::rowsInserted, this, &CompareRunPicker::rebuild);
    connect(history_, &QAbstractItemModel::rowsRemoved, this, &CompareRunPicker::rebuild);
    connect(history_, &QAbstractItemModel::dataChanged, this,
            [this](const QModelIndex& topLeft, const QModelIndex& bottomRight) {
                // A live run refreshes its row every iteration: rebuild only when what the list
                // shows can have changed (status or the saved model come with the run's end).
                if (topLeft.column() <= RunHistoryModel::StatusColumn &&
                    bottomRight.column() >= RunHistoryModel::StatusColumn)
                    rebuild();
            });
    rebuild();
}

void CompareRunPicker::setDatasetName(const QString& name) {
    if (name == datasetName_) return;
    datasetName_ = name;
    userTouched_ = false;  // a new dataset: the latest runs on it are the sensible default
    rebuild();
}

QStringList CompareRunPicker::listedRuns() const {
    QStringList ids;
    for (int i = 0; i < list_->count(); ++i) ids << list_->item(i)->data(kRunIdRole).toString();
    return ids;
}

QStringList CompareRunPicker::checkedRuns() const {
    QStringList ids;
    for (int i = 0; i < list_->count(); ++i)
        if (list_->item(i)->checkState() == Qt::Checked)
            ids << list_->item(i)->data(kRunIdRole).toString();
    return ids;
}

QList<RunRecord> CompareRunPicker::checkedRecords() const {
    QList<RunRecord> records;
    for (const QString& id : checkedRuns())
        if (const RunRecord* r = history_->find(id)) records << *r;
    return records;
}

void CompareRunPicker::setCheckedRuns(const QStringList& runIds) {
    rebuilding_ = true;
    for (int i = 0; i < list_->count(); ++i) {
        QListWidgetItem* item = list_->item(i);
        item->setCheckState(runIds.contains(item->data(kRunIdRole).toString()) ? Qt::Checked
                                                                               : Qt::Unchecked);
    }
    rebuilding_ = false;
    updateReason();
    emit selectionChanged();
}

void CompareRunPicker::checkDefaultRuns() {
    // Latest first: the first run on this dataset with a later partner on the same split.
    QList<const RunRecord*> runs;
    for (const QString& id : listedRuns())
        if (const RunRecord* r = history_->find(id); r && r->datasetName == datasetName_) runs << r;
    QStringList pick;
    for (int i = 0; i < runs.size() && pick.isEmpty(); ++i)
        for (int j = i + 1; j < runs.size(); ++j)
            if (sameSplit(*runs[i], *runs[j])) {
                pick = {runs[i]->id, runs[j]->id};
                break;
            }
    if (pick.isEmpty() && !runs.isEmpty()) pick = {runs.front()->id};
    setCheckedRuns(pick);
}

QString CompareRunPicker::incompatibility(const QList<RunRecord>& runs,
                                          const QString& datasetName) {
    if (datasetName.isEmpty()) return tr("Load a dataset first.");
    if (runs.size() < 2)
        return tr("Tick at least two runs: a comparison needs a model A and a model B.");
    for (const RunRecord& r : runs) {
        if (!listed(r)) return tr("%1 did not complete with a saved model.").arg(runName(r));
        if (r.datasetName != datasetName)
            return tr("%1 was trained on '%2', but the loaded dataset is '%3': load that "
                      "dataset, or tick runs trained on this one.")
                .arg(runName(r), r.datasetName, datasetName);
    }
    const RunRecord& first = runs.front();
    for (const RunRecord& r : runs.mid(1)) {
        if (!sameSplit(first, r))
            return tr("%1 used %2, but %3 used %4: models compare only on the same split and "
                      "split seed (the same test users).")
                .arg(runName(first), QString::fromStdString(first.spec.split.describe()),
                     runName(r), QString::fromStdString(r.spec.split.describe()));
    }
    return {};
}

QString CompareRunPicker::comparedName(int index, const RunRecord& run) {
    const QString letter = index < 26 ? QString(QChar('A' + index)) : QString::number(index + 1);
    return QStringLiteral("%1 %2").arg(letter, run.spec.modelKind);
}

QString CompareRunPicker::problem() const {
    return incompatibility(checkedRecords(), datasetName_);
}

void CompareRunPicker::rebuild() {
    const QStringList before = checkedRuns();
    std::vector<const RunRecord*> runs;
    for (const RunRecord& r : history_->runs())
        if (listed(r)) runs.push_back(&r);
    std::stable_sort(runs.begin(), runs.end(), [](const RunRecord* a, const RunRecord* b) {
        return a->started != b->started ? a->started > b->started : a->id > b->id;
    });
    rebuilding_ = true;
    list_->clear();
    for (const RunRecord* r : runs) {
        const bool here = r->datasetName == datasetName_;
        auto* item = new QListWidgetItem(
            here ? r->label() : tr("%1 · on %2").arg(r->label(), r->datasetName), list_);
        item->setData(kRunIdRole, r->id);
        item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsUserCheckable);
        item->setCheckState(before.contains(r->id) ? Qt::Checked : Qt::Unchecked);
        item->setToolTip(tr("%1\nrun %2 · dataset %3 · %4")
                             .arg(r->label(), r->id, r->datasetName, r->spec.splitAndSeedText()));
        if (!here) item->setForeground(list_->palette().brush(QPalette::Disabled, QPalette::Text));
    }
    rebuilding_ = false;
    if (!userTouched_) {
        checkDefaultRuns();
        return;
    }
    updateReason();
    if (checkedRuns() != before) emit selectionChanged();
}

void CompareRunPicker::updateReason() {
    if (list_->count() == 0) {
        reason_->setText(
            tr("No completed runs with a saved model yet: train two models in the "
               "Train stage (Ctrl+3) on the same split."));
        return;
    }
    const QString why = problem();
    if (!why.isEmpty()) {
        reason_->setText(why);
        return;
    }
    // Ready: say which run is model A, B, ... (the list's order, latest first).
    QStringList names;
    const QList<RunRecord> runs = checkedRecords();
    for (int i = 0; i < runs.size(); ++i)
        names << QStringLiteral("%1 (%2)").arg(comparedName(i, runs[i]),
                                               runs[i].spec.hyperparameterText());
    reason_->setText(tr("Ready to compare: %1.").arg(names.join(QStringLiteral("; "))));
}

}  // namespace lens::ui
