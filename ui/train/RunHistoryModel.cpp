#include "train/RunHistoryModel.h"

#include <QDir>
#include <QFile>
#include <cmath>

#include "io/RunHistoryFile.h"
#include "util/Errors.h"

namespace lens::ui {

namespace {

QVariant metricText(double v) {
    return std::isfinite(v) ? QVariant(QString::number(v, 'f', 4)) : QVariant(QStringLiteral("-"));
}
QVariant metricSort(double v) {
    return std::isfinite(v) ? QVariant(v) : QVariant(-1.0);
}

}  // namespace

RunHistoryModel::RunHistoryModel(QObject* parent) : QAbstractTableModel(parent) {}

int RunHistoryModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(runs_.size());
}

int RunHistoryModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RunHistoryModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const RunRecord& r = runs_[static_cast<std::size_t>(index.row())];
    if (role == RunIdRole) return r.id;
    const double trainRmse = r.finalTrainRmse();
    const double testRmse = r.testFigure(&HeldOutFigures::rmse);
    const double hr = r.testFigure(&HeldOutFigures::hr10);
    const double ndcg = r.testFigure(&HeldOutFigures::ndcg10);
    if (role == Qt::DisplayRole || role == SortRole) {
        const bool sort = role == SortRole;
        switch (index.column()) {
            case StartedColumn:
                return sort ? QVariant(r.started)
                            : QVariant(r.started.toLocalTime().toString(
                                  QStringLiteral("yyyy-MM-dd HH:mm:ss")));
            case ModelColumn:
                return r.modelDisplayName;
            case HyperparametersColumn:
                return r.spec.hyperparameterText();
            case SplitColumn:
                return r.spec.splitAndSeedText();
            case IterationsColumn:
                return sort ? QVariant(r.finishedIterations())
                            : QVariant(r.totalIterations() > 0
                                           ? QStringLiteral("%1/%2")
                                                 .arg(r.finishedIterations())
                                                 .arg(r.totalIterations())
                                           : QString::number(r.finishedIterations()));
            case TrainRmseColumn:
                return sort ? metricSort(trainRmse) : metricText(trainRmse);
            case TestRmseColumn:
                return sort ? metricSort(testRmse) : metricText(testRmse);
            case Hr10Column:
                return sort ? metricSort(hr) : metricText(hr);
            case Ndcg10Column:
                return sort ? metricSort(ndcg) : metricText(ndcg);
            case DurationColumn:
                return sort ? QVariant(r.durationSeconds)
                            : QVariant(formatDuration(r.durationSeconds));
            case StatusColumn:
                // A run the budget stopped says so (the tooltip has the whole sentence).
                if (r.stopReason == lens::StopReason::Budget)
                    return QStringLiteral("%1 (budget)").arg(runStatusName(r.status));
                return runStatusName(r.status);
            case ValidationRmseColumn: {
                const double v = r.validationFigure(&HeldOutFigures::rmse);
                return sort ? metricSort(v) : metricText(v);
            }
            case ValidationHr10Column: {
                const double v = r.validationFigure(&HeldOutFigures::hr10);
                return sort ? metricSort(v) : metricText(v);
            }
            case SweepColumn:
                if (!sort) return r.spec.sweepText();
                // By sweep, then trial, the final run after its trials; other runs first.
                return r.spec.sweep
                           ? QVariant(qint64(r.spec.sweep->number) * 1'000'000 +
                                      (r.spec.sweep->final ? 999'999 : r.spec.sweep->trial))
                           : QVariant(qint64(0));
            default:
                return {};
        }
    }
    if (role == Qt::ToolTipRole) {
        if (index.column() == HyperparametersColumn) {
            // The full settings, one per line: the cell itself is often elided.
            QStringList lines{QStringLiteral("%1 hyper-parameters:").arg(r.modelDisplayName)};
            for (const auto& [key, value] : r.spec.hyperparameters)
                lines << QStringLiteral("  %1 %2").arg(key, value);
            if (r.spec.hyperparameters.isEmpty()) lines << QStringLiteral("  (none)");
            return lines.join(QLatin1Char('\n'));
        }
        if (index.column() == SweepColumn && r.spec.sweep) {
            const lens::SweepMembership& m = *r.spec.sweep;
            return m.final ? QStringLiteral(
                                 "Sweep %1: the best of its %2 trials by validation %3 "
                                 "(trial %4), retrained on training + validation and "
                                 "tested once")
                                 .arg(m.number)
                                 .arg(m.trials)
                                 .arg(QString::fromStdString(m.metric))
                                 .arg(m.trial)
                           : QStringLiteral(
                                 "Sweep %1, trial %2 of %3: trained on the training "
                                 "part minus validation, scored on validation %4 only "
                                 "(never on the test part)")
                                 .arg(m.number)
                                 .arg(m.trial)
                                 .arg(m.trials)
                                 .arg(QString::fromStdString(m.metric));
        }
        QString tip =
            QStringLiteral("%1\n%2\n%3\nDataset: %4")
                .arg(r.modelDisplayName, r.spec.hyperparameterText(), r.spec.splitAndSeedText(),
                     r.datasetName.isEmpty() ? QStringLiteral("-") : r.datasetName);
        if (!r.message.isEmpty()) tip += QStringLiteral("\n") + r.message;
        return tip;
    }
    if (role == Qt::TextAlignmentRole) {
        switch (index.column()) {
            case TestRmseColumn:
            case Hr10Column:
            case Ndcg10Column:
            case TrainRmseColumn:
            case IterationsColumn:
            case DurationColumn:
            case ValidationRmseColumn:
            case ValidationHr10Column:
                return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
            default:
                break;
        }
    }
    return {};
}

QVariant RunHistoryModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount) return {};
    // Indexed by Column, so the order follows the enum.
    struct Header {
        Column column;
        const char* name;
        const char* tip;
    };
    static constexpr Header headers[ColumnCount] = {
        {StartedColumn, "Started", "When the run started (local time)"},
        {ModelColumn, "Model", "Model kind"},
        {TestRmseColumn, "Test RMSE",
         "RMSE on the test part (clipped predictions), scored once when the run ended (runs "
         "recorded before validation: the last test figure of their curve)"},
        {Hr10Column, "HR@10",
         "Hit rate at 10 on the test part (ranking models, NCF protocol: 100 sampled "
         "negatives), scored once when the run ended"},
        {Ndcg10Column, "NDCG@10",
         "NDCG at 10 on the test part (ranking models, NCF protocol: 100 sampled negatives), "
         "scored once when the run ended"},
        {StatusColumn, "Status",
         "completed, stopped (partial model kept), cancelled, failed, running, queued"},
        {HyperparametersColumn, "Hyper-parameters",
         "Hyper-parameters the run used (hover a cell for all of them)"},
        {SplitColumn, "Split",
         "Train/test split protocol and seed (one seed drives the split and the model's "
         "initialisation; \"model seed N\" where the split's text does not name it)"},
        {TrainRmseColumn, "Train RMSE",
         "RMSE of the final model on the ratings it was fitted on (training minus validation)"},
        {IterationsColumn, "Iterations", "Finished iterations (epochs) of those configured"},
        {DurationColumn, "Duration", "Wall time of the whole run"},
        {ValidationRmseColumn, "Validation RMSE",
         "RMSE of the final model on the validation part (carved from the training ratings; "
         "what the live curves show)"},
        {ValidationHr10Column, "Validation HR@10",
         "Hit rate at 10 of the final model on the validation part (ranking models, sampled)"},
        {SweepColumn, "Sweep",
         "The sweep (Train > Sweep…) a run belongs to: one of its trials (scored on validation "
         "only) or its best trial retrained on training + validation and tested once"},
    };
    static_assert([] {
        for (int i = 0; i < ColumnCount; ++i)
            if (headers[i].column != i) return false;
        return true;
    }());
    if (role == Qt::DisplayRole) return QString::fromLatin1(headers[section].name);
    if (role == Qt::ToolTipRole) return QString::fromLatin1(headers[section].tip);
    return {};
}

const RunRecord* RunHistoryModel::find(const QString& runId) const {
    const int row = rowOf(runId);
    return row < 0 ? nullptr : &runs_[static_cast<std::size_t>(row)];
}

int RunHistoryModel::rowOf(const QString& runId) const {
    for (std::size_t i = 0; i < runs_.size(); ++i)
        if (runs_[i].id == runId) return static_cast<int>(i);
    return -1;
}

void RunHistoryModel::addRun(RunRecord record) {
    const int row = static_cast<int>(runs_.size());
    beginInsertRows({}, row, row);
    runs_.push_back(std::move(record));
    endInsertRows();
}

void RunHistoryModel::updateRun(const RunRecord& record) {
    const int row = rowOf(record.id);
    if (row < 0) return;
    runs_[static_cast<std::size_t>(row)] = record;
    emitRowChanged(row);
}

void RunHistoryModel::removeRun(const QString& runId) {
    const int row = rowOf(runId);
    if (row < 0) return;
    beginRemoveRows({}, row, row);
    runs_.erase(runs_.begin() + row);
    endRemoveRows();
}

void RunHistoryModel::appendSnapshot(const QString& runId, const TrainingSnapshot& snapshot) {
    const int row = rowOf(runId);
    if (row < 0) return;
    runs_[static_cast<std::size_t>(row)].history.push_back(snapshot);
    emitRowChanged(row);
}

void RunHistoryModel::emitRowChanged(int row) {
    emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

QString RunHistoryModel::indexPath() const {
    return QDir(folder_).filePath(QStringLiteral("runs.json"));
}

QStringList RunHistoryModel::load() {
    lens::RunHistoryContents contents;
    if (!folder_.isEmpty())
        contents = lens::loadRunHistory(QFile::encodeName(indexPath()).toStdString());
    QStringList problems;
    for (const std::string& p : contents.problems) problems << QString::fromStdString(p);
    std::vector<RunRecord> loaded;
    loaded.reserve(contents.runs.size());
    for (const lens::RunHistoryEntry& entry : contents.runs)
        loaded.push_back(RunRecord::fromEntry(entry));
    beginResetModel();
    runs_ = std::move(loaded);
    endResetModel();
    return problems;
}

bool RunHistoryModel::save(QString* error) const {
    if (folder_.isEmpty()) {
        if (error) *error = QStringLiteral("no folder for the run history");
        return false;
    }
    std::vector<lens::RunHistoryEntry> entries;
    entries.reserve(runs_.size());
    for (const RunRecord& r : runs_) entries.push_back(r.toEntry());
    try {
        lens::saveRunHistory(QFile::encodeName(indexPath()).toStdString(), entries);
    } catch (const lens::DataError& e) {
        if (error) *error = QString::fromStdString(e.what());
        return false;
    }
    return true;
}

}  // namespace lens::ui
