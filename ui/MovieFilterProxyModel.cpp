#include "MovieFilterProxyModel.h"

#include "MovieTableModel.h"
#include "data/Genre.h"

namespace lens::ui {

MovieFilterProxyModel::MovieFilterProxyModel(QObject* parent) : QSortFilterProxyModel(parent) {
    setSortRole(MovieTableModel::SortRole);
    setSortCaseSensitivity(Qt::CaseInsensitive);
    setSortLocaleAware(true);
}

void MovieFilterProxyModel::setSourceModel(QAbstractItemModel* source) {
    movies_ = qobject_cast<MovieTableModel*>(source);
    QSortFilterProxyModel::setSourceModel(source);
}

MovieTableModel* MovieFilterProxyModel::movies() const {
    return sourceModel() == static_cast<QAbstractItemModel*>(movies_) ? movies_ : nullptr;
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
    const MovieTableModel* movies = this->movies();
    if (!movies) return QSortFilterProxyModel::filterAcceptsRow(sourceRow, sourceParent);
    if (sourceParent.isValid() || sourceRow < 0 || sourceRow >= movies->rowCount()) return false;
    if (minimumRatings_ > 0 && movies->ratingCount(sourceRow) < minimumRatings_) return false;
    if (genre_ >= 0 && !hasGenre(movies->genreMask(sourceRow), genre_)) return false;
    if (!titleFilter_.isEmpty() &&
        !movies->title(sourceRow).contains(titleFilter_, Qt::CaseInsensitive))
        return false;
    return true;
}

void MovieFilterProxyModel::sort(int column, Qt::SortOrder order) {
    if (MovieTableModel* movies = this->movies())
        movies->sort(column, order);
    else
        QSortFilterProxyModel::sort(column, order);
}

}  // namespace lens::ui
