#include "MovieFilterProxyModel.h"

#include "MovieTableModel.h"
#include "data/Genre.h"

namespace lens::ui {

MovieFilterProxyModel::MovieFilterProxyModel(QObject* parent) : QSortFilterProxyModel(parent) {
    setSortRole(MovieTableModel::SortRole);
    setSortCaseSensitivity(Qt::CaseInsensitive);
    setSortLocaleAware(true);
}

void MovieFilterProxyModel::setTitleFilter(const QString& text) {
    const QString trimmed = text.trimmed();
    if (trimmed == titleFilter_) return;
    titleFilter_ = trimmed;
    invalidateFilter();
}

void MovieFilterProxyModel::setGenre(int genre) {
    if (genre < -1 || genre >= kMaxGenreVocabulary) genre = -1;
    if (genre == genre_) return;
    genre_ = genre;
    invalidateFilter();
}

void MovieFilterProxyModel::setMinimumRatings(int count) {
    count = std::max(0, count);
    if (count == minimumRatings_) return;
    minimumRatings_ = count;
    invalidateFilter();
}

bool MovieFilterProxyModel::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const {
    const auto* movies = qobject_cast<const MovieTableModel*>(sourceModel());
    if (!movies) return QSortFilterProxyModel::filterAcceptsRow(sourceRow, sourceParent);
    const QModelIndex index = movies->index(sourceRow, 0, sourceParent);
    if (minimumRatings_ > 0 &&
        index.data(MovieTableModel::RatingCountRole).toInt() < minimumRatings_)
        return false;
    if (genre_ >= 0 &&
        !hasGenre(static_cast<GenreMask>(index.data(MovieTableModel::GenreMaskRole).toULongLong()),
                  genre_))
        return false;
    if (!titleFilter_.isEmpty() &&
        !movies->title(sourceRow).contains(titleFilter_, Qt::CaseInsensitive))
        return false;
    return true;
}

}  // namespace lens::ui
