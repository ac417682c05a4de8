#include "PersonaRatingsModel.h"

#include <QLocale>
#include <algorithm>
#include <cmath>

namespace lens::ui {

PersonaRatingsModel::PersonaRatingsModel(QObject* parent) : QAbstractTableModel(parent) {}

double PersonaRatingsModel::normaliseRating(double rating, const RatingScale& scale) {
    const double lo = scale.min, hi = scale.max;
    if (std::isnan(rating)) return lo;
    const double offset = scale.offset, step = scale.step;
    const double snapped = offset + step * std::round((rating - offset) / step);
    return std::clamp(snapped, lo, hi);
}

void PersonaRatingsModel::setScale(const RatingScale& scale) {
    scale_ = scale;
    if (entries_.isEmpty()) return;
    for (PersonaEntry& e : entries_) e.rating = normaliseRating(e.rating, scale_);
    emit dataChanged(index(0, RatingColumn), index(rowCount() - 1, RatingColumn));
}

QString PersonaRatingsModel::ratingText(double rating, const RatingScale& scale) {
    if (scale.isHalfStars()) return QLocale().toString(rating, 'f', 1) + QStringLiteral(" ★");
    return QLocale().toString(rating, 'g', 6);
}

void PersonaRatingsModel::setEntries(QList<PersonaEntry> entries) {
    beginResetModel();
    entries_.clear();
    for (PersonaEntry& e : entries) {
        e.rating = normaliseRating(e.rating, scale_);
        auto same = std::find_if(entries_.begin(), entries_.end(),
                                 [&](const PersonaEntry& o) { return o.movieId == e.movieId; });
        if (same != entries_.end())
            same->rating = e.rating;
        else
            entries_.append(std::move(e));
    }
    endResetModel();
    emit entriesEdited();
}

int PersonaRatingsModel::addOrUpdate(const PersonaEntry& entry) {
    for (int r = 0; r < entries_.size(); ++r) {
        if (entries_[r].movieId != entry.movieId) continue;
        entries_[r].rating = normaliseRating(entry.rating, scale_);
        emit dataChanged(index(r, RatingColumn), index(r, RatingColumn));
        emit entriesEdited();
        return r;
    }
    const int row = static_cast<int>(entries_.size());
    beginInsertRows({}, row, row);
    PersonaEntry copy = entry;
    copy.rating = normaliseRating(entry.rating, scale_);
    entries_.append(copy);
    endInsertRows();
    emit entriesEdited();
    return row;
}

void PersonaRatingsModel::removeRowsAt(QList<int> rows) {
    std::sort(rows.begin(), rows.end(), std::greater<>());
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    bool changed = false;
    for (int r : rows) {
        if (r < 0 || r >= entries_.size()) continue;
        beginRemoveRows({}, r, r);
        entries_.removeAt(r);
        endRemoveRows();
        changed = true;
    }
    if (changed) emit entriesEdited();
}

void PersonaRatingsModel::clear() {
    setEntries({});
}

int PersonaRatingsModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(entries_.size());
}

int PersonaRatingsModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant PersonaRatingsModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const PersonaEntry& e = entries_[index.row()];
    switch (role) {
        case Qt::DisplayRole:
            if (index.column() == TitleColumn) return e.title;
            return ratingText(e.rating, scale_);
        case Qt::EditRole:
            if (index.column() == TitleColumn) return e.title;
            return e.rating;
        case Qt::ToolTipRole:
            if (index.column() == RatingColumn)
                return scale_.isHalfStars()
                           ? tr("Double-click to change the rating (0.5 to 5 stars, half steps)")
                           : tr("Double-click to change the rating (%1 to %2, steps of %3)")
                                 .arg(scale_.min)
                                 .arg(scale_.max)
                                 .arg(scale_.step);
            return tr("MovieLens id %1").arg(e.movieId);
        case MovieIdRole:
            return e.movieId;
        case MovieIndexRole:
            return e.movie;
        default:
            return {};
    }
}

bool PersonaRatingsModel::setData(const QModelIndex& index, const QVariant& value, int role) {
    if (role != Qt::EditRole || !checkIndex(index, CheckIndexOption::IndexIsValid) ||
        index.column() != RatingColumn)
        return false;
    bool ok = false;
    const double rating = value.toDouble(&ok);
    if (!ok) return false;
    const double normalised = normaliseRating(rating, scale_);
    if (normalised == entries_[index.row()].rating) return true;
    entries_[index.row()].rating = normalised;
    emit dataChanged(index, index);
    emit entriesEdited();
    return true;
}

Qt::ItemFlags PersonaRatingsModel::flags(const QModelIndex& index) const {
    Qt::ItemFlags f = QAbstractTableModel::flags(index);
    if (index.isValid() && index.column() == RatingColumn) f |= Qt::ItemIsEditable;
    return f;
}

QVariant PersonaRatingsModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation == Qt::Horizontal && role == Qt::DisplayRole) {
        if (section == TitleColumn) return tr("Rated movie");
        if (section == RatingColumn) return tr("Rating");
    }
    return QAbstractTableModel::headerData(section, orientation, role);
}

}  // namespace lens::ui
