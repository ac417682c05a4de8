#pragma once
// Sort/filter proxy over MovieTableModel: case-insensitive title search (substring, as the user
// types), one genre, and a minimum number of ratings. Sorting uses MovieTableModel::SortRole,
// so numeric columns sort as numbers.
#include <QSortFilterProxyModel>

namespace lens::ui {

class MovieFilterProxyModel : public QSortFilterProxyModel {
    Q_OBJECT
public:
    explicit MovieFilterProxyModel(QObject* parent = nullptr);

    QString titleFilter() const { return titleFilter_; }
    int genre() const { return genre_; }
    int minimumRatings() const { return minimumRatings_; }

public slots:
    void setTitleFilter(const QString& text);
    void setGenre(int genre);  // a genre id of the dataset's vocabulary, or -1 for every genre
    void setMinimumRatings(int count);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

private:
    QString titleFilter_;
    int genre_ = -1;
    int minimumRatings_ = 0;
};

}  // namespace lens::ui
