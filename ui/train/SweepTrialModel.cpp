#include "train/SweepTrialModel.h"

#include <QFont>
#include <cmath>

namespace lens::ui {

SweepTrialModel::SweepTrialModel(QObject* parent) : QAbstractTableModel(parent) {}

void SweepTrialModel::reset(const QStringList& keys, const QString& metricHeading) {
    beginResetModel();
    keys_ = keys;
    metricHeading_ = metricHeading;
    trials_.clear();
    best_.reset();
    endResetModel();
}

void SweepTrialModel::clear() {
    reset({}, metricHeading_);
}

void SweepTrialModel::appendTrial(const SweepTrial& trial) {
    const int row = static_cast<int>(trials_.size());
    beginInsertRows({}, row, row);
    trials_.push_back(trial);
    endInsertRows();
}

void SweepTrialModel::setResult(const SweepResult& result) {
    beginResetModel();
    trials_ = result.trials;
    best_ = result.trials.empty() ? std::nullopt : std::optional<std::size_t>(result.best);
    endResetModel();
}

int SweepTrialModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(trials_.size());
}

int SweepTrialModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : secondsColumn() + 1;
}

QString SweepTrialModel::paramValue(const SweepTrial& trial, const QString& key) const {
    const std::string k = key.toStdString();
    for (const auto& [name, value] : trial.params)
        if (name == k) return QString::fromStdString(value);
    return {};
}

QVariant SweepTrialModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const auto row = static_cast<std::size_t>(index.row());
    const SweepTrial& t = trials_[row];
    const int column = index.column();
    const bool isBest = best_ && *best_ == row;
    switch (role) {
        case Qt::DisplayRole:
            if (column == 0) return index.row() + 1;
            if (column == validationColumn())
                return std::isfinite(t.validation) ? QString::number(t.validation, 'f', 4)
                                                   : QStringLiteral("-");
            if (column == secondsColumn()) return QString::number(t.seconds, 'f', 2);
            return paramValue(t, keys_[column - 1]);
        case SortRole:
            if (column == 0) return index.row();
            if (column == validationColumn()) return t.validation;
            if (column == secondsColumn()) return t.seconds;
            return paramValue(t, keys_[column - 1]).toDouble();
        case Qt::TextAlignmentRole:
            return static_cast<int>(Qt::AlignRight | Qt::AlignVCenter);
        case Qt::FontRole:
            if (isBest) {
                QFont bold;
                bold.setBold(true);
                return bold;
            }
            return {};
        case Qt::ToolTipRole:
            return isBest ? tr("The best trial by validation: retrained on training + "
                               "validation and tested once")
                          : QVariant();
        default:
            return {};
    }
}

QVariant SweepTrialModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || section < 0 || section >= columnCount()) return {};
    if (role == Qt::DisplayRole) {
        if (section == 0) return QStringLiteral("#");
        if (section == validationColumn()) return metricHeading_;
        if (section == secondsColumn()) return tr("seconds");
        return keys_[section - 1];
    }
    if (role == Qt::ToolTipRole) {
        if (section == 0) return tr("Trial number, in the order trained");
        if (section == validationColumn())
            return tr("The metric on the validation part (never the test part)");
        if (section == secondsColumn()) return tr("Training time of the trial");
        return tr("The value of %1 in this trial").arg(keys_[section - 1]);
    }
    return {};
}

}  // namespace lens::ui
