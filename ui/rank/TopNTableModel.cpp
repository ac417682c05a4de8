#include "TopNTableModel.h"

#include <QApplication>
#include <QColor>
#include <QFont>
#include <QLocale>
#include <QPalette>
#include <cmath>

namespace lens::ui {

namespace {

QString csvField(const QString& text) {
    if (!text.contains(QLatin1Char(',')) && !text.contains(QLatin1Char('"')) &&
        !text.contains(QLatin1Char('\n')) && !text.contains(QLatin1Char('\r')))
        return text;
    QString quoted = text;
    quoted.replace(QLatin1String("\""), QLatin1String("\"\""));
    return QLatin1Char('"') + quoted + QLatin1Char('"');
}

QString plainNumber(double v, int decimals) {
    if (std::isnan(v)) return {};
    return QString::number(v, 'f', decimals);
}

}  // namespace

TopNTableModel::TopNTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void TopNTableModel::setRows(QList<RankRow> rows) {
    beginResetModel();
    rows_ = std::move(rows);
    endResetModel();
}

const RankRow* TopNTableModel::row(int r) const {
    return r >= 0 && r < rows_.size() ? &rows_[r] : nullptr;
}

void TopNTableModel::setOverlapIds(const QSet<qint64>& ids) {
    overlapIds_ = ids;
    if (!rows_.isEmpty())
        emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1),
                         {Qt::BackgroundRole, Qt::FontRole, OverlapRole});
}

int TopNTableModel::overlapCount() const {
    int count = 0;
    for (const RankRow& m : rows_) count += overlapIds_.contains(m.movieId) ? 1 : 0;
    return count;
}

QList<qint64> TopNTableModel::movieIds() const {
    QList<qint64> ids;
    ids.reserve(rows_.size());
    for (const RankRow& m : rows_) ids.append(m.movieId);
    return ids;
}

void TopNTableModel::setPredictsRatings(bool predicts) {
    if (predicts == predictsRatings_) return;
    predictsRatings_ = predicts;
    emit headerDataChanged(Qt::Horizontal, PredictedColumn, PredictedColumn);
}

int TopNTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(rows_.size());
}

int TopNTableModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QString TopNTableModel::cellText(int r, int column) const {
    const RankRow* m = row(r);
    if (!m) return {};
    const QLocale locale;
    switch (column) {
        case RankColumn:
            return QString::number(m->rank);
        case TitleColumn:
            return m->title;
        case YearColumn:
            return m->year > 0 ? QString::number(m->year) : QStringLiteral("–");
        case GenresColumn:
            return m->genres;
        case PredictedColumn:
            return std::isnan(m->predictedRating) ? QStringLiteral("–")
                                                  : locale.toString(m->predictedRating, 'f', 2);
        case ScoreColumn:
            // Whole-number scores (the popularity list's rating counts) without decimals.
            if (std::abs(m->rawScore) >= 1.0 && m->rawScore == std::floor(m->rawScore))
                return locale.toString(static_cast<qlonglong>(m->rawScore));
            return locale.toString(m->rawScore, 'f', 3);
        case RatingCountColumn:
            return locale.toString(m->ratingCount);
        case MeanRatingColumn:
            return std::isnan(m->meanRating) ? QStringLiteral("–")
                                             : locale.toString(m->meanRating, 'f', 2);
        default:
            return {};
    }
}

QString TopNTableModel::explanation(int r) const {
    const RankRow* m = row(r);
    if (!m) return {};
    QString html = QStringLiteral("<b>%1</b>").arg(m->title.toHtmlEscaped());
    if (m->because.isEmpty()) {
        html +=
            tr("<br>No rated movie of the persona explains this one (popularity or bias "
               "term).");
        return html;
    }
    html += QStringLiteral("<br>") + tr("Because the persona rated:") + QStringLiteral("<ul>");
    const QLocale locale;
    for (const RankContribution& c : m->because)
        html += QStringLiteral("<li>%1 — %2★ (%3)</li>")
                    .arg(c.title.toHtmlEscaped(), locale.toString(c.rating, 'f', 1),
                         locale.toString(c.contribution, 'f', 3));
    html += QStringLiteral("</ul>");
    if (!m->explanationNote.isEmpty())
        html += QStringLiteral("<i>%1</i>").arg(m->explanationNote.toHtmlEscaped());
    return html;
}

QVariant TopNTableModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const RankRow& m = rows_[index.row()];
    const bool overlap = overlapIds_.contains(m.movieId);
    switch (role) {
        case Qt::DisplayRole:
            return cellText(index.row(), index.column());
        case Qt::ToolTipRole:
            return explanation(index.row());
        case Qt::TextAlignmentRole:
            if (index.column() == TitleColumn || index.column() == GenresColumn)
                return QVariant::fromValue(Qt::AlignLeft | Qt::AlignVCenter);
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        case Qt::BackgroundRole:
            if (overlap) {
                QColor c = QApplication::palette().color(QPalette::Highlight);
                c.setAlpha(60);
                return c;
            }
            return {};
        case Qt::FontRole:
            if (overlap) {
                QFont f;
                f.setBold(true);
                return f;
            }
            return {};
        case MovieIdRole:
            return m.movieId;
        case MovieIndexRole:
            return m.movie;
        case OverlapRole:
            return overlap;
        case SortRole:
            switch (index.column()) {
                case RankColumn:
                    return m.rank;
                case TitleColumn:
                    return m.title;
                case YearColumn:
                    return m.year;
                case GenresColumn:
                    return m.genres;
                case PredictedColumn:
                    return std::isnan(m.predictedRating) ? -1.0 : m.predictedRating;
                case ScoreColumn:
                    return m.rawScore;
                case RatingCountColumn:
                    return m.ratingCount;
                case MeanRatingColumn:
                    return std::isnan(m.meanRating) ? -1.0 : m.meanRating;
                default:
                    return {};
            }
        default:
            return {};
    }
}

QVariant TopNTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal)
        return QAbstractTableModel::headerData(section, orientation, role);
    if (role == Qt::DisplayRole) {
        switch (section) {
            case RankColumn:
                return tr("#");
            case TitleColumn:
                return tr("Title");
            case YearColumn:
                return tr("Year");
            case GenresColumn:
                return tr("Genres");
            case PredictedColumn:
                return predictsRatings_ ? tr("Predicted ★") : tr("Preference");
            case ScoreColumn:
                return tr("Score");
            case RatingCountColumn:
                return tr("Ratings");
            case MeanRatingColumn:
                return tr("Mean ★");
            default:
                return {};
        }
    }
    if (role == Qt::ToolTipRole) {
        switch (section) {
            case RankColumn:
                return tr("Rank in the list (1 = best)");
            case PredictedColumn:
                return predictsRatings_
                           ? tr("The model's predicted rating, clipped to the rating scale")
                           : tr("The model's preference score (implicit model)");
            case ScoreColumn:
                return tr("The raw score the list is ranked by (the scoring variant included)");
            case RatingCountColumn:
                return tr("Number of ratings of the movie in the dataset");
            case MeanRatingColumn:
                return tr("Mean rating of the movie in the dataset");
            default:
                return {};
        }
    }
    return {};
}

QString TopNTableModel::toCsv() const {
    QString out = QStringLiteral(
        "rank,movie_id,title,year,genres,predicted_rating,score,raw_score,ratings_count,mean_"
        "rating,"
        "because\n");
    for (const RankRow& m : rows_) {
        QStringList because;
        for (const RankContribution& c : m.because) because << QString::number(c.movieId);
        const QStringList fields = {QString::number(m.rank),
                                    QString::number(m.movieId),
                                    csvField(m.title),
                                    m.year > 0 ? QString::number(m.year) : QString(),
                                    csvField(m.genres),
                                    plainNumber(m.predictedRating, 4),
                                    plainNumber(m.rawScore, 6),
                                    plainNumber(m.modelOutput, 6),
                                    QString::number(m.ratingCount),
                                    plainNumber(m.meanRating, 4),
                                    because.join(QLatin1Char(' '))};
        out += fields.join(QLatin1Char(',')) + QLatin1Char('\n');
    }
    return out;
}

}  // namespace lens::ui
