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

    void setDataset(std::shared_ptr<const Dataset> dataset);
    const Dataset* dataset() const { return dataset_.get(); }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    // The title as shown (cached; the proxy's search reads it without a QVariant).
    const QString& title(int row) const { return titles_[row]; }

private:
    std::shared_ptr<const Dataset> dataset_;
    QStringList titles_;
    QStringList genreText_;
    std::vector<int> ratingCounts_;
    std::vector<double> meanRatings_;  // NaN for unrated movies
};

}  // namespace lens::ui
