#pragma once
// The table beside the genre map: one row per listed genre of a GenreMap with its number of
// movies and its nearest genres by cosine similarity in the full embedding space ("Animation
// 0.83, Children 0.80, Fantasy 0.61"), most similar first.
//
// Columns: Genre, Movies, Nearest genres (cosine). SortRole gives numbers where a column has them
// (movies; the top similarity), so a QSortFilterProxyModel sorts 99 below 100; GenreIndexRole is
// the row's index in the genre map (the map's discs follow that order whatever the sorting).
// Tooltips carry the full text of the elided nearest-genres cell.
#include <QAbstractTableModel>

class QTreeView;
class QWidget;

#include "projection/MapEmbeddings.h"

namespace lens::ui {

class NearestGenresModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { GenreColumn = 0, MoviesColumn, NearestColumn, ColumnCount };
    enum Role { GenreIndexRole = Qt::UserRole, SortRole };

    explicit NearestGenresModel(QObject* parent = nullptr);

    // The table's view: sortable by clicking a column title (numbers as numbers, through a sort
    // proxy), whole rows selected, the nearest-genres column taking the remaining width, Ctrl+C
    // copying the selected rows.
    static QTreeView* createView(NearestGenresModel* model, QWidget* parent);

    void setGenreMap(const lens::GenreMap& map);
    void clear();

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    struct Row {
        QString genre;
        int movies = 0;
        QString nearest;
        double topSimilarity = 0.0;
    };
    QList<Row> rows_;
};

}  // namespace lens::ui
