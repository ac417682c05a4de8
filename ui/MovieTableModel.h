#pragma once
// The movies of a dataset as a table: id, title, year, genres, number of ratings, mean rating.
//
// Per-movie statistics come from the by-movie (CSC) rating matrix: the count is the column's
// length and the mean is (sum of half stars) / (2 * count). Display text is formatted
// (thousands separators, two decimals, an empty year or mean shown as a dash); SortRole gives
// the raw number so the proxy sorts numerically ("10" after "9"), unrated movies last by mean.
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

    explicit MovieTableModel(QObject* parent = nullptr);

    // What the table shows of each movie beside the dataset's own arrays: titles and genre text
    // as QStrings, rating counts and means (a pass over every rating: ~0.1 s at ML-32M's size),
    // computed apart so that a worker can make them (the Load panel does).
    struct Columns {
        QStringList titles;
        QStringList genreText;
        std::vector<int> ratingCounts;
        std::vector<double> meanRatings;  // NaN for unrated movies
    };
    static Columns columnsOf(const Dataset& dataset);

    void setDataset(std::shared_ptr<const Dataset> dataset, Columns columns);
    void setDataset(std::shared_ptr<const Dataset> dataset);  // computes its columns here
    const Dataset* dataset() const { return dataset_.get(); }

    // Without QAbstractTableModel's virtual rowCount/columnCount round trip: the proxy's sort
    // makes two indices per comparison (1.4 M for 87k movies).
    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    // The title as shown (cached; the proxy's search reads it without a QVariant).
    const QString& title(int row) const { return titles_[row]; }
    int ratingCount(int row) const { return ratingCounts_[static_cast<std::size_t>(row)]; }
    GenreMask genreMask(int row) const;
    // Whether row a sorts before row b in `column` by SortRole's values, compared as the
    // proxy compares them, without a QVariant per comparison (87k movies sorted on the GUI
    // thread as a release arrives).
    bool sortsBefore(int column, int a, int b, bool localeAware, Qt::CaseSensitivity cs) const;

private:
    std::shared_ptr<const Dataset> dataset_;
    QStringList titles_;
    QStringList genreText_;
    std::vector<int> ratingCounts_;
    std::vector<double> meanRatings_;  // NaN for unrated movies
};

}  // namespace lens::ui
