#pragma once
// The movies of a dataset as a table: id, title, year, genres, number of ratings, mean rating.
//
// Per-movie statistics come from the by-movie (CSC) rating matrix: the count is the column's
// length and the mean is (sum of half stars) / (2 * count). Display text is formatted
// (thousands separators, two decimals, an empty year or mean shown as a dash); SortRole gives
// the raw number ("10" after "9"), unrated movies last by mean.
//
// The model sorts itself (sort(); MovieFilterProxyModel forwards the view's sort to it): its rows
// are the movies in the order of the sort key, a permutation that columnsOf computes on a worker
// with the columns, so an 87k-movie release fills the table without a sort on the GUI thread.
// The order is SortRole's, compared as a locale-aware QSortFilterProxyModel compares it, ties in
// movie order (the order Qt's proxy gives over an unsorted model).
#include <QAbstractTableModel>
#include <QStringList>
#include <memory>
#include <vector>

#include "data/Dataset.h"

namespace lens::ui {

class MovieTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        IdColumn,
        TitleColumn,
        YearColumn,
        GenresColumn,
        RatingCountColumn,
        MeanRatingColumn,
        ColumnCount
    };
    enum Role {
        SortRole = Qt::UserRole + 1,  // numbers for numeric columns, text otherwise
        GenreMaskRole,                // lens::GenreMask as qulonglong (any column)
        RatingCountRole,              // int (any column)
        MovieIndexRole,               // dense movie index (any column)
    };
    // A sort: a column (-1: the movies' own order) and a direction.
    struct SortKey {
        int column = -1;
        Qt::SortOrder order = Qt::AscendingOrder;
        bool operator==(const SortKey&) const = default;
    };

    explicit MovieTableModel(QObject* parent = nullptr);

    // What the table shows of each movie beside the dataset's own arrays: titles and genre text
    // as QStrings, rating counts and means (a pass over every rating: ~0.1 s at ML-32M's size),
    // the texts' collation order and the row order for a sort key, computed apart so that a
    // worker can make them (the Load panel does).
    struct Columns {
        QStringList titles;
        QStringList genreText;
        std::vector<int> ratingCounts;
        std::vector<double> meanRatings;  // NaN for unrated movies
        // Each movie's place among the titles and genre texts in locale-aware order (equal
        // texts share it): sorting by those columns compares integers (87k titles: ~80 ms
        // of collation on the GUI thread otherwise, per click).
        std::vector<int> titleRanks, genreRanks;
        SortKey sortedBy;
        std::vector<int> rows;  // movie index per row, in sortedBy's order
    };
    static Columns columnsOf(const Dataset& dataset, SortKey sortedBy);
    static Columns columnsOf(const Dataset& dataset) { return columnsOf(dataset, SortKey{}); }

    // Columns sorted by another key than sortKey() are sorted again here.
    void setDataset(std::shared_ptr<const Dataset> dataset, Columns columns);
    void setDataset(std::shared_ptr<const Dataset> dataset);  // computes its columns here
    const Dataset* dataset() const { return dataset_.get(); }

    // Orders the rows (moving persistent indices with their movies); kept for the next dataset.
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;
    SortKey sortKey() const { return sortKey_; }
    int movieAt(int row) const { return columns_.rows[static_cast<std::size_t>(row)]; }

    // Without QAbstractTableModel's virtual rowCount/columnCount round trip (the proxy maps
    // every row of an 87k-movie table when it filters).
    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    // The title as shown (cached; the proxy's search reads it without a QVariant).
    const QString& title(int row) const { return columns_.titles[movieAt(row)]; }
    int ratingCount(int row) const {
        return columns_.ratingCounts[static_cast<std::size_t>(movieAt(row))];
    }
    GenreMask genreMask(int row) const;

private:
    std::shared_ptr<const Dataset> dataset_;
    Columns columns_;
    SortKey sortKey_;
};

}  // namespace lens::ui
