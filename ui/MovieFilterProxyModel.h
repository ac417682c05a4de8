#pragma once
// Sort/filter proxy over MovieTableModel: case-insensitive title search (substring, as the user
// types), one genre, and a minimum number of ratings. Over a MovieTableModel the view's sort is
// the model's own (MovieTableModel::sort: numeric columns as numbers, rows ordered by a worker as
// a release arrives); the proxy only filters. Over another model it sorts as Qt's proxy does.
#include <QSortFilterProxyModel>

namespace lens::ui {

class MovieTableModel;

class MovieFilterProxyModel : public QSortFilterProxyModel {
    Q_OBJECT
public:
    explicit MovieFilterProxyModel(QObject* parent = nullptr);
    void setSourceModel(QAbstractItemModel* source) override;
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

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
    // The source when it is a MovieTableModel (no cast per row or comparison); null once the
    // source is gone (the proxy then holds Qt's empty model).
    MovieTableModel* movies() const;
    MovieTableModel* movies_ = nullptr;
    QString titleFilter_;
    int genre_ = -1;
    int minimumRatings_ = 0;
};

}  // namespace lens::ui
