#pragma once
// The ratings of the persona being edited, as a two-column table (title, rating). The rating
// column is editable: any value is rounded to the nearest step of the dataset's rating scale
// and clipped to its range (setScale; MovieLens: half stars 0.5..5). A movie appears at most
// once; adding it again updates its rating.
#include <QAbstractTableModel>
#include <QList>
#include <QString>

#include "data/RatingMatrix.h"

namespace lens::ui {

struct PersonaEntry {
    qint64 movieId = 0;
    int movie = -1;  // dense index in the current dataset (-1: not in this release)
    QString title;
    double rating = 0.0;
};

class PersonaRatingsModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { TitleColumn, RatingColumn, ColumnCount };
    enum Role { MovieIdRole = Qt::UserRole + 1, MovieIndexRole };

    explicit PersonaRatingsModel(QObject* parent = nullptr);

    // Rounding to the scale's steps (offset + step * n) and clipping to its min..max; NaN
    // becomes the minimum. The one-argument forms use half stars (0.5..5) / this model's scale.
    static double normaliseRating(double rating, const RatingScale& scale);
    static double normaliseRating(double rating) { return normaliseRating(rating, RatingScale{}); }
    // The scale of the current dataset; existing ratings are normalised to it.
    void setScale(const RatingScale& scale);
    const RatingScale& scale() const { return scale_; }
    // A rating as the table shows it: "4.5 ★" on half stars, "7" on another scale.
    static QString ratingText(double rating, const RatingScale& scale);

    void setEntries(QList<PersonaEntry> entries);
    const QList<PersonaEntry>& entries() const { return entries_; }
    // Adds the movie or updates its rating; returns its row.
    int addOrUpdate(const PersonaEntry& entry);
    void removeRowsAt(QList<int> rows);
    void clear();

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

signals:
    // Any change of the entries (added, removed, rating edited, replaced).
    void entriesEdited();

private:
    QList<PersonaEntry> entries_;
    RatingScale scale_;
};

}  // namespace lens::ui
