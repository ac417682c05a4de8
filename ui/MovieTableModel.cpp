#include "MovieTableModel.h"

#include <QLocale>
#include <cmath>
#include <limits>

namespace lens::ui {

MovieTableModel::MovieTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void MovieTableModel::setDataset(std::shared_ptr<const Dataset> dataset) {
    beginResetModel();
    dataset_ = std::move(dataset);
    titles_.clear();
    genreText_.clear();
    ratingCounts_.clear();
    meanRatings_.clear();
    if (dataset_) {
        const Dataset& d = *dataset_;
        const std::size_t movies = d.movieCount();
        titles_.reserve(static_cast<qsizetype>(movies));
        genreText_.reserve(static_cast<qsizetype>(movies));
        ratingCounts_.resize(movies, 0);
        meanRatings_.resize(movies, std::numeric_limits<double>::quiet_NaN());
        const bool haveColumns = d.byMovie.rows() == movies;
        for (std::size_t m = 0; m < movies; ++m) {
            titles_ << (m < d.titles.size() ? QString::fromStdString(d.titles[m]) : QString());
            const GenreMask mask = m < d.genres.size() ? d.genres[m] : 0;
            genreText_ << (mask ? QString::fromStdString(d.genreListOf(mask))
                                      .replace('|', QStringLiteral(", "))
                                : QString());
            if (!haveColumns) continue;
            const auto stars = d.byMovie.rowHalfStars(m);
            ratingCounts_[m] = static_cast<int>(stars.size());
            if (!stars.empty() && !d.scale.implicit) {  // implicit feedback: no mean rating
                std::uint64_t sum = 0;
                for (HalfStars h : stars) sum += h;
                // offset + step * mean code (half stars: 0.5 * mean code)
                meanRatings_[m] = static_cast<double>(d.scale.offset) +
                                  static_cast<double>(d.scale.step) * static_cast<double>(sum) /
                                      static_cast<double>(stars.size());
            }
        }
    }
    endResetModel();
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
