#include "map/NearestGenresModel.h"

#include <QHeaderView>
#include <QLocale>
#include <QSortFilterProxyModel>
#include <QTreeView>

#include "TableCopy.h"
#include "map/MapFigures.h"

namespace lens::ui {

NearestGenresModel::NearestGenresModel(QObject* parent) : QAbstractTableModel(parent) {}

QTreeView* NearestGenresModel::createView(NearestGenresModel* model, QWidget* parent) {
    auto* view = new QTreeView(parent);
    auto* sorted = new QSortFilterProxyModel(view);
    sorted->setSourceModel(model);
    sorted->setSortRole(SortRole);
    view->setModel(sorted);
    view->setRootIsDecorated(false);
    view->setUniformRowHeights(true);
    view->setAlternatingRowColors(true);
    view->setTextElideMode(Qt::ElideRight);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setSortingEnabled(true);
    view->sortByColumn(GenreColumn, Qt::AscendingOrder);
    // The nearest-genres text takes the remaining width; its full text is in the cell's tooltip.
    view->header()->setStretchLastSection(true);
    view->header()->setSectionResizeMode(GenreColumn, QHeaderView::ResizeToContents);
    view->header()->setSectionResizeMode(MoviesColumn, QHeaderView::ResizeToContents);
    view->setToolTip(
        tr("Each genre's most similar genres by cosine in the full space; select one to mark it "
           "on the map. Click a column title to sort; Ctrl+C copies the selected rows"));
    enableTableCopy(view);
    return view;
}

void NearestGenresModel::setGenreMap(const GenreMap& map) {
    beginResetModel();
    rows_.clear();
    for (std::size_t r = 0; r < map.genres.genres.size(); ++r) {
        Row row;
        row.genre = genreName(map.genreNames, map.genres.genres[r]);
        row.movies = map.genres.movieCount[r];
        row.nearest = nearestGenresText(map, r);
        row.topSimilarity = map.nearest[r].empty() ? 0.0 : map.nearest[r].front().similarity;
        rows_ << row;
    }
    endResetModel();
}

void NearestGenresModel::clear() {
    beginResetModel();
    rows_.clear();
    endResetModel();
}

int NearestGenresModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(rows_.size());
}

int NearestGenresModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant NearestGenresModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row& row = rows_[index.row()];
    const QLocale locale;
    switch (role) {
        case Qt::DisplayRole:
            switch (index.column()) {
                case GenreColumn:
                    return row.genre;
                case MoviesColumn:
                    return locale.toString(row.movies);
                case NearestColumn:
                    return row.nearest;
            }
            break;
        case SortRole:
            switch (index.column()) {
                case GenreColumn:
                    return row.genre;
                case MoviesColumn:
                    return row.movies;
                case NearestColumn:
                    return row.topSimilarity;
            }
            break;
        case GenreIndexRole:
            return index.row();
        case Qt::ToolTipRole:
            if (index.column() == NearestColumn)
                return tr("Nearest genres of %1 by cosine similarity: %2")
                    .arg(row.genre, row.nearest);
            return tr("%1: %2 movies").arg(row.genre, locale.toString(row.movies));
        case Qt::TextAlignmentRole:
            if (index.column() == MoviesColumn)
                return QVariant::fromValue(Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter));
            break;
        default:
            break;
    }
    return {};
}

QVariant NearestGenresModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
        case GenreColumn:
            return tr("Genre");
        case MoviesColumn:
            return tr("Movies");
        case NearestColumn:
            return tr("Nearest genres (cosine)");
    }
    return {};
}

}  // namespace lens::ui
