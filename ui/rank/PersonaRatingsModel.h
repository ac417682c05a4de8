#pragma once
// The ratings of the persona being edited, as a two-column table (title, rating). The rating
// column is editable: any value is rounded to the nearest half star and clipped to 0.5..5,
// the MovieLens scale. A movie appears at most once; adding it again updates its rating.
#include <QAbstractTableModel>
#include <QList>
#include <QString>

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

    // Half-star rounding and clipping to 0.5..5.
    static double normaliseRating(double rating);

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
};

}  // namespace lens::ui
