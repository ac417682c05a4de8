#include "MovieTableModel.h"

#include <QLocale>
#include <cmath>
#include <limits>

namespace lens::ui {

MovieTableModel::MovieTableModel(QObject* parent) : QAbstractTableModel(parent) {}

MovieTableModel::Columns MovieTableModel::columnsOf(const Dataset& d) {
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
        const auto stars = d.byMovie.rowHalfStars(m);
        c.ratingCounts[m] = static_cast<int>(stars.size());
        if (!stars.empty() && !d.scale.implicit) {  // implicit feedback: no mean rating
            std::uint64_t sum = 0;
            for (HalfStars h : stars) sum += h;
            // offset + step * mean code (half stars: 0.5 * mean code)
            c.meanRatings[m] = static_cast<double>(d.scale.offset) +
                               static_cast<double>(d.scale.step) * static_cast<double>(sum) /
                                   static_cast<double>(stars.size());
        }
    }
    return c;
}

void MovieTableModel::setDataset(std::shared_ptr<const Dataset> dataset) {
    Columns columns = dataset ? columnsOf(*dataset) : Columns{};
    setDataset(std::move(dataset), std::move(columns));
}

void MovieTableModel::setDataset(std::shared_ptr<const Dataset> dataset, Columns columns) {
    beginResetModel();
    dataset_ = std::move(dataset);
    titles_ = std::move(columns.titles);
    genreText_ = std::move(columns.genreText);
    ratingCounts_ = std::move(columns.ratingCounts);
    meanRatings_ = std::move(columns.meanRatings);
    const auto rows = static_cast<std::size_t>(titles_.size());
    if (!dataset_ || rows != dataset_->movieCount() || genreText_.size() != titles_.size() ||
        ratingCounts_.size() != rows || meanRatings_.size() != rows) {
        dataset_.reset();  // columns of another dataset: show nothing rather than misalign
        titles_.clear();
        genreText_.clear();
        ratingCounts_.clear();
        meanRatings_.clear();
    }
    endResetModel();
}

GenreMask MovieTableModel::genreMask(int row) const {
    const auto m = static_cast<std::size_t>(row);
    return dataset_ && m < dataset_->genres.size() ? dataset_->genres[m] : 0;
}

bool MovieTableModel::sortsBefore(int column, int a, int b, bool localeAware,
                                  Qt::CaseSensitivity cs) const {
    const auto ma = static_cast<std::size_t>(a), mb = static_cast<std::size_t>(b);
    auto text = [&](const QStringList& list) {
        return localeAware ? list[a].localeAwareCompare(list[b]) < 0
                           : list[a].compare(list[b], cs) < 0;
    };
    auto mean = [this](std::size_t m) {
        return std::isnan(meanRatings_[m]) ? -1.0 : meanRatings_[m];  // as SortRole
    };
    const Dataset& d = *dataset_;
    switch (column) {
        case IdColumn:
            return d.movieIds[ma] < d.movieIds[mb];
        case TitleColumn:
            return text(titles_);
        case YearColumn: {
            const int ya = ma < d.years.size() ? d.years[ma] : 0;
            const int yb = mb < d.years.size() ? d.years[mb] : 0;
            return ya < yb;
        }
        case GenresColumn:
            return text(genreText_);
        case RatingCountColumn:
            return ratingCounts_[ma] < ratingCounts_[mb];
        case MeanRatingColumn:
            return mean(ma) < mean(mb);
    }
    return false;
}

QModelIndex MovieTableModel::index(int row, int column, const QModelIndex& parent) const {
    if (parent.isValid() || row < 0 || column < 0 || row >= titles_.size() || column >= ColumnCount)
        return {};
    return createIndex(row, column);
}

int MovieTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(titles_.size());
}

int MovieTableModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant MovieTableModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const int row = index.row();
    const auto m = static_cast<std::size_t>(row);
    const Dataset& d = *dataset_;
    const std::int64_t id = d.movieIds[m];
    const int year = m < d.years.size() ? d.years[m] : 0;
    const double mean = meanRatings_[m];

    switch (role) {
        case GenreMaskRole:
            return QVariant::fromValue<qulonglong>(m < d.genres.size() ? d.genres[m] : 0);
        case RatingCountRole:
            return ratingCounts_[m];
        case MovieIndexRole:
            return row;
        case Qt::TextAlignmentRole:
            return index.column() == TitleColumn || index.column() == GenresColumn
                       ? QVariant(Qt::AlignLeft | Qt::AlignVCenter)
                       : QVariant(Qt::AlignRight | Qt::AlignVCenter);
        case Qt::ToolTipRole:
            if (index.column() == TitleColumn || index.column() == GenresColumn)
                return QStringLiteral("%1\n%2").arg(titles_[row], genreText_[row].isEmpty()
                                                                      ? tr("(no genres listed)")
                                                                      : genreText_[row]);
            return {};
        case SortRole:
            switch (index.column()) {
                case IdColumn:
                    return QVariant::fromValue<qlonglong>(id);
                case TitleColumn:
                    return titles_[row];
                case YearColumn:
                    return year;
                case GenresColumn:
                    return genreText_[row];
                case RatingCountColumn:
                    return ratingCounts_[m];
                case MeanRatingColumn:
                    return std::isnan(mean) ? -1.0 : mean;  // unrated sort below 0.5
            }
            return {};
        case Qt::DisplayRole: {
            const QLocale locale;
            switch (index.column()) {
                case IdColumn:  // as the data spells it (string ids: the key)
                    return d.movieKeys.empty() ? QString::number(id)
                                               : QString::fromStdString(d.movieLabel(m));
                case TitleColumn:
                    return titles_[row];
                case YearColumn:
                    return year ? QString::number(year) : QStringLiteral("–");
                case GenresColumn:
                    return genreText_[row].isEmpty() ? tr("(none)") : genreText_[row];
                case RatingCountColumn:
                    return locale.toString(ratingCounts_[m]);
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
