#pragma once
// The top-N list of one model for one persona, as a table: rank, title, year, genres,
// predicted rating (0.5..5 scale, clipped) and raw score, number of ratings, mean rating.
//
// Rows are plain RankRow values filled by the Rank panel from the engine's ranking; the
// model only formats them. The tooltip of every cell is the row's explanation (the persona's
// rated movies that contributed most); rows also present in the other model's list (side by
// side comparison) carry OverlapRole = true and a highlighted background taken from the
// palette. toCsv() writes the list as RFC 4180 CSV (the Export CSV action).
#include <QAbstractTableModel>
#include <QList>
#include <QSet>
#include <QString>
#include <QStringList>

namespace lens::ui {

// One rated movie of the persona and its share of a recommendation's raw score.
struct RankContribution {
    qint64 movieId = 0;
    QString title;
    double rating = 0.0;        // the persona's rating
    double contribution = 0.0;  // share of the raw score (ALS); similarity (nearest-movie models)
};

struct RankRow {
    int rank = 0;    // 1-based
    int movie = -1;  // dense movie index in the dataset
    qint64 movieId = 0;
    QString title;
    int year = 0;  // 0: unknown
    QString genres;
    double predictedRating = 0.0;  // clipped to 0.5..5; NaN for preference (implicit) models
    double rawScore = 0.0;         // the score the list is ranked by (variant included)
    double modelOutput = 0.0;      // the model's raw output for the persona (unclipped)
    int ratingCount = 0;
    double meanRating = 0.0;          // NaN: unrated
    QList<RankContribution> because;  // most contributing first
    QString explanationNote;          // how `because` was computed ("per-movie share of the solve")
};

class TopNTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        RankColumn,
        TitleColumn,
        YearColumn,
        GenresColumn,
        PredictedColumn,
        ScoreColumn,
        RatingCountColumn,
        MeanRatingColumn,
        ColumnCount
    };
    enum Role {
        MovieIdRole = Qt::UserRole + 1,  // qint64
        MovieIndexRole,                  // int, dense index
        OverlapRole,                     // bool: also in the other list
        SortRole,                        // raw number or text
    };

    explicit TopNTableModel(QObject* parent = nullptr);

    void setRows(QList<RankRow> rows);
    const QList<RankRow>& rows() const { return rows_; }
    const RankRow* row(int r) const;
    // Movie ids of the other list; rows whose id is in it are highlighted.
    void setOverlapIds(const QSet<qint64>& ids);
    int overlapCount() const;
    QList<qint64> movieIds() const;
    // Whether the predicted column holds ratings (explicit models) or preference scores.
    void setPredictsRatings(bool predicts);
    bool predictsRatings() const { return predictsRatings_; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    // Display text of a cell (what the table and the exported figure show).
    QString cellText(int row, int column) const;
    // Rich-text explanation of a row (tooltip and side panel).
    QString explanation(int row) const;

    // rank,movie_id,title,year,genres,predicted_rating,score,raw_score,ratings_count,
    // mean_rating,because (because: contributing movie ids separated by spaces; score: the
    // ranking value, raw_score: the model's output); numbers unformatted, empty when absent.
    QString toCsv() const;

private:
    QList<RankRow> rows_;
    QSet<qint64> overlapIds_;
    bool predictsRatings_ = true;
};

}  // namespace lens::ui
