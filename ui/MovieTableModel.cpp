#include "MovieTableModel.h"

#include <QHash>
#include <QLocale>
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace lens::ui {

namespace {

int yearOf(const Dataset& d, std::size_t m) {
    return m < d.years.size() ? d.years[m] : 0;
}

double sortMean(double mean) {
    return std::isnan(mean) ? -1.0 : mean;  // unrated sort below 0.5
}

// Each text's place in locale-aware order (QString::localeAwareCompare, as a locale-aware
// QSortFilterProxyModel compares), texts that compare equal sharing it.
std::vector<int> collationRanks(const QStringList& texts) {
    // Each distinct text once (genre lists repeat: a few thousand among 87k movies).
    QHash<QString, int> indexOf;
    QStringList distinct;
    std::vector<int> textIndex(static_cast<std::size_t>(texts.size()));
    for (qsizetype k = 0; k < texts.size(); ++k) {
        auto it = indexOf.constFind(texts[k]);
        if (it == indexOf.constEnd()) {
            it = indexOf.insert(texts[k], static_cast<int>(distinct.size()));
            distinct << texts[k];
        }
        textIndex[static_cast<std::size_t>(k)] = it.value();
    }
    std::vector<int> order(static_cast<std::size_t>(distinct.size()));
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(),
              [&](int a, int b) { return distinct[a].localeAwareCompare(distinct[b]) < 0; });
    std::vector<int> distinctRank(order.size(), 0);
    int rank = 0;
    for (std::size_t k = 1; k < order.size(); ++k) {
        if (distinct[order[k - 1]].localeAwareCompare(distinct[order[k]]) < 0) ++rank;
        distinctRank[static_cast<std::size_t>(order[k])] = rank;
    }
    std::vector<int> ranks(textIndex.size());
    for (std::size_t k = 0; k < ranks.size(); ++k)
        ranks[k] = distinctRank[static_cast<std::size_t>(textIndex[k])];
    return ranks;
}

// Whether movie a sorts before movie b by SortRole's values in `column`, compared as a
// locale-aware QSortFilterProxyModel compares them, without a QVariant per comparison.
bool sortsBefore(const Dataset& d, const MovieTableModel::Columns& c, int column, std::size_t a,
                 std::size_t b) {
    switch (column) {
        case MovieTableModel::IdColumn:
            return d.movieIds[a] < d.movieIds[b];
        case MovieTableModel::TitleColumn:
            return c.titleRanks[a] < c.titleRanks[b];
        case MovieTableModel::YearColumn:
            return yearOf(d, a) < yearOf(d, b);
        case MovieTableModel::GenresColumn:
            return c.genreRanks[a] < c.genreRanks[b];
        case MovieTableModel::RatingCountColumn:
            return c.ratingCounts[a] < c.ratingCounts[b];
        case MovieTableModel::MeanRatingColumn:
            return sortMean(c.meanRatings[a]) < sortMean(c.meanRatings[b]);
    }
    return false;
}

// The movies in `key`'s order, ties in movie order (a stable sort of the movies' own order).
std::vector<int> rowOrder(const Dataset& d, const MovieTableModel::Columns& c,
                          MovieTableModel::SortKey key) {
    std::vector<int> rows(c.ratingCounts.size());
    std::iota(rows.begin(), rows.end(), 0);
    if (key.column < 0 || key.column >= MovieTableModel::ColumnCount) return rows;
    const auto before = [&](int a, int b) {
        return sortsBefore(d, c, key.column, static_cast<std::size_t>(a),
                           static_cast<std::size_t>(b));
    };
    if (key.order == Qt::AscendingOrder)
        std::stable_sort(rows.begin(), rows.end(), before);
    else
        std::stable_sort(rows.begin(), rows.end(), [&](int a, int b) { return before(b, a); });
    return rows;
}

}  // namespace

MovieTableModel::MovieTableModel(QObject* parent) : QAbstractTableModel(parent) {}

MovieTableModel::Columns MovieTableModel::columnsOf(const Dataset& d, SortKey sortedBy) {
    Columns c;
    const std::size_t movies = d.movieCount();
    c.titles.reserve(static_cast<qsizetype>(movies));
    c.genreText.reserve(static_cast<qsizetype>(movies));
    c.ratingCounts.resize(movies, 0);
    c.meanRatings.resize(movies, std::numeric_limits<double>::quiet_NaN());
    const bool haveColumns = d.byMovie.rows() == movies;
    for (std::size_t m = 0; m < movies; ++m) {
        c.titles << (m < d.titles.size() ? QString::fromStdString(d.titles[m]) : QString());
        const GenreMask mask = m < d.genres.size() ? d.genres[m] : 0;
        c.genreText
            << (mask
                    ? QString::fromStdString(d.genreListOf(mask)).replace('|', QStringLiteral(", "))
                    : QString());
        if (!haveColumns) continue;
        c.ratingCounts[m] = static_cast<int>(d.byMovie.rowSize(m));
        c.meanRatings[m] = d.movieMeanRating(m);  // NaN: no ratings, or implicit feedback
    }
    c.titleRanks = collationRanks(c.titles);
    c.genreRanks = collationRanks(c.genreText);
    c.sortedBy = sortedBy;
    c.rows = rowOrder(d, c, sortedBy);
    return c;
}

void MovieTableModel::setDataset(std::shared_ptr<const Dataset> dataset) {
    Columns columns = dataset ? columnsOf(*dataset, sortKey_) : Columns{};
    setDataset(std::move(dataset), std::move(columns));
}

void MovieTableModel::setDataset(std::shared_ptr<const Dataset> dataset, Columns columns) {
    beginResetModel();
    dataset_ = std::move(dataset);
    columns_ = std::move(columns);
    const auto rows = static_cast<std::size_t>(columns_.titles.size());
    if (!dataset_ || rows != dataset_->movieCount() ||
        columns_.genreText.size() != columns_.titles.size() ||
        columns_.ratingCounts.size() != rows || columns_.meanRatings.size() != rows ||
        columns_.titleRanks.size() != rows || columns_.genreRanks.size() != rows ||
        columns_.rows.size() != rows) {
        dataset_.reset();  // columns of another dataset: show nothing rather than misalign
        columns_ = {};
    } else if (columns_.sortedBy != sortKey_) {  // sorted while the columns were computed
        columns_.rows = rowOrder(*dataset_, columns_, sortKey_);
        columns_.sortedBy = sortKey_;
    }
    endResetModel();
}

void MovieTableModel::sort(int column, Qt::SortOrder order) {
    const SortKey key{column >= 0 && column < ColumnCount ? column : -1, order};
    if (key == sortKey_) return;
    sortKey_ = key;
    if (!dataset_) return;  // the key orders the next dataset
    std::vector<int> rows = rowOrder(*dataset_, columns_, key);
    emit layoutAboutToBeChanged({}, QAbstractItemModel::VerticalSortHint);
    std::vector<int> rowOfMovie(rows.size());
    for (std::size_t r = 0; r < rows.size(); ++r)
        rowOfMovie[static_cast<std::size_t>(rows[r])] = static_cast<int>(r);
    const QModelIndexList before = persistentIndexList();
    QModelIndexList after;
    after.reserve(before.size());
    for (const QModelIndex& i : before)
        after << createIndex(rowOfMovie[static_cast<std::size_t>(movieAt(i.row()))], i.column());
    columns_.rows = std::move(rows);
    columns_.sortedBy = key;
    changePersistentIndexList(before, after);
    emit layoutChanged({}, QAbstractItemModel::VerticalSortHint);
}

GenreMask MovieTableModel::genreMask(int row) const {
    const auto m = static_cast<std::size_t>(movieAt(row));
    return m < dataset_->genres.size() ? dataset_->genres[m] : 0;
}

QModelIndex MovieTableModel::index(int row, int column, const QModelIndex& parent) const {
    if (parent.isValid() || row < 0 || column < 0 || row >= columns_.titles.size() ||
        column >= ColumnCount)
        return {};
    return createIndex(row, column);
}

int MovieTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(columns_.titles.size());
}

int MovieTableModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant MovieTableModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const int movie = movieAt(index.row());
    const auto m = static_cast<std::size_t>(movie);
    const Dataset& d = *dataset_;
    const std::int64_t id = d.movieIds[m];
    const int year = yearOf(d, m);
    const double mean = columns_.meanRatings[m];
    const QString& title = columns_.titles[movie];
    const QString& genres = columns_.genreText[movie];

    switch (role) {
        case GenreMaskRole:
            return QVariant::fromValue<qulonglong>(m < d.genres.size() ? d.genres[m] : 0);
        case RatingCountRole:
            return columns_.ratingCounts[m];
        case MovieIndexRole:
            return movie;
        case Qt::TextAlignmentRole:
            return index.column() == TitleColumn || index.column() == GenresColumn
                       ? QVariant(Qt::AlignLeft | Qt::AlignVCenter)
                       : QVariant(Qt::AlignRight | Qt::AlignVCenter);
        case Qt::ToolTipRole:
            if (index.column() == TitleColumn || index.column() == GenresColumn)
                return QStringLiteral("%1\n%2").arg(
                    title, genres.isEmpty() ? tr("(no genres listed)") : genres);
            return {};
        case SortRole:
            switch (index.column()) {
                case IdColumn:
                    return QVariant::fromValue<qlonglong>(id);
                case TitleColumn:
                    return title;
                case YearColumn:
                    return year;
                case GenresColumn:
                    return genres;
                case RatingCountColumn:
                    return columns_.ratingCounts[m];
                case MeanRatingColumn:
                    return sortMean(mean);
            }
            return {};
        case Qt::DisplayRole: {
            const QLocale locale;
            switch (index.column()) {
                case IdColumn:  // as the data spells it (string ids: the key)
                    return d.movieKeys.empty() ? QString::number(id)
                                               : QString::fromStdString(d.movieLabel(m));
                case TitleColumn:
                    return title;
                case YearColumn:
                    return year ? QString::number(year) : QStringLiteral("–");
                case GenresColumn:
                    return genres.isEmpty() ? tr("(none)") : genres;
                case RatingCountColumn:
                    return locale.toString(columns_.ratingCounts[m]);
                case MeanRatingColumn:
                    return std::isnan(mean) ? QStringLiteral("–") : locale.toString(mean, 'f', 2);
            }
            return {};
        }
        default:
            return {};
    }
}

QVariant MovieTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount) return {};
    if (role == Qt::DisplayRole) {
        switch (section) {
            case IdColumn:
                return tr("Id");
            case TitleColumn:
                return tr("Title");
            case YearColumn:
                return tr("Year");
            case GenresColumn:
                return tr("Genres");
            case RatingCountColumn:
                return tr("Ratings");
            case MeanRatingColumn:
                return tr("Mean");
        }
    }
    if (role == Qt::ToolTipRole) {
        switch (section) {
            case IdColumn:
                return tr("The movie id of the release (movieId)");
            case TitleColumn:
                return tr("Title as in the release, year included");
            case YearColumn:
                return tr("Release year parsed from the title");
            case GenresColumn:
                return tr("Genres, unified across releases");
            case RatingCountColumn:
                return tr("Number of ratings the movie received");
            case MeanRatingColumn:
                return tr("Mean of the movie's ratings (on the dataset's rating scale)");
        }
    }
    if (role == Qt::TextAlignmentRole)
        return section == TitleColumn || section == GenresColumn
                   ? QVariant(Qt::AlignLeft | Qt::AlignVCenter)
                   : QVariant(Qt::AlignRight | Qt::AlignVCenter);
    return {};
}

}  // namespace lens::ui
