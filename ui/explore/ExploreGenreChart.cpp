#include "explore/ExploreGenreChart.h"

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QChart>
#include <QCursor>
#include <QHorizontalBarSeries>
#include <QToolTip>
#include <QValueAxis>
#include <QVariant>
#include <algorithm>
#include <cmath>

#include "charts/ChartFigure.h"
#include "explore/ExploreChartKit.h"

namespace lens::ui::explore {

namespace {

struct GenreRow {
    QString name;
    std::uint64_t movies = 0, ratings = 0;
};

std::vector<GenreRow> genreRows(const EdaReport& r) {
    std::vector<GenreRow> rows;
    for (const GenreStat& g : r.genres)
        if (g.movies) rows.push_back({QString::fromStdString(g.name), g.movies, g.ratings});
    if (r.moviesWithoutGenre)
        rows.push_back({QStringLiteral("(no genre)"), r.moviesWithoutGenre, r.ratingsWithoutGenre});
    // Most rated first in reading order (horizontal bars stack bottom-up: sort ascending).
    std::stable_sort(rows.begin(), rows.end(), [](const GenreRow& a, const GenreRow& b) {
        return a.ratings != b.ratings ? a.ratings < b.ratings : a.movies < b.movies;
    });
    return rows;
}

}  // namespace

QChart* genresChart(const EdaReport& r, const QString& name) {
    QChart* chart = newChart(titled(QStringLiteral("Movies and ratings per genre"), name));
    const std::vector<GenreRow> rows = genreRows(r);
    auto* movies = new QBarSet(QStringLiteral("% of movies carrying the genre"));
    auto* ratings = new QBarSet(QStringLiteral("% of ratings going to those movies"));
    movies->setColor(kBarColour);
    ratings->setColor(kSecondBarColour);
    QStringList categories;
    QVariantList movieCounts, ratingCounts;
    double peak = 0.0;
    const double movieTotal = std::max<double>(1.0, static_cast<double>(r.movies));
    const double ratingTotal = std::max<double>(1.0, static_cast<double>(r.ratings));
    for (const GenreRow& row : rows) {
        categories << row.name;
        const double m = 100.0 * static_cast<double>(row.movies) / movieTotal;
        const double n = 100.0 * static_cast<double>(row.ratings) / ratingTotal;
        movies->append(m);
        ratings->append(n);
        movieCounts << QVariant::fromValue<qulonglong>(row.movies);
        ratingCounts << QVariant::fromValue<qulonglong>(row.ratings);
        peak = std::max({peak, m, n});
    }
    // The exact counts ride along for the hover tooltip (see installGenreTooltips).
    movies->setProperty("counts", movieCounts);
    movies->setProperty("unit", QStringLiteral("movies"));
    ratings->setProperty("counts", ratingCounts);
    ratings->setProperty("unit", QStringLiteral("ratings"));
    auto* bars = new QHorizontalBarSeries;
    bars->append(movies);
    bars->append(ratings);
    bars->setBarWidth(0.8);
    auto* y = new QBarCategoryAxis;
    y->append(categories);
    auto* x = valueAxis(QStringLiteral("percent (a movie can carry several genres)"), 0.0,
                        std::max(1.0, std::ceil(peak / 10.0) * 10.0), QStringLiteral("%.0f"));
    x->applyNiceNumbers();
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    attach(chart, bars, x, y);
    return chart;
}

void installGenreTooltips(ChartFigure* figure) {
    for (QAbstractSeries* series : figure->chart()->series()) {
        auto* bars = qobject_cast<QAbstractBarSeries*>(series);
        if (!bars) continue;
        QObject::connect(bars, &QAbstractBarSeries::hovered, figure,
                         [figure](bool state, int index, QBarSet* set) {
                             if (!state || !set) {
                                 QToolTip::hideText();
                                 return;
                             }
                             QString category = QString::number(index);
                             for (QAbstractAxis* axis : figure->chart()->axes(Qt::Vertical))
                                 if (auto* categories = qobject_cast<QBarCategoryAxis*>(axis))
                                     if (index < categories->count())
                                         category = categories->at(index);
                             const QVariantList counts = set->property("counts").toList();
                             const qulonglong n =
                                 index < counts.size() ? counts[index].toULongLong() : 0;
                             QToolTip::showText(QCursor::pos(),
                                                QStringLiteral("%1\n%2 %3 (%4 %)")
                                                    .arg(category, grouped(std::uint64_t{n}),
                                                         set->property("unit").toString(),
                                                         fixed(set->at(index), 2)),
                                                figure);
                         });
    }
}

QString genresCaption(const EdaReport& r) {
    const std::vector<GenreRow> rows = genreRows(r);
    if (rows.empty()) return QStringLiteral("No genres.");
    const GenreRow& mostRated = rows.back();
    const GenreRow* mostMovies = &rows.front();
    for (const GenreRow& row : rows)
        if (row.movies > mostMovies->movies) mostMovies = &row;
    const double movies = std::max<double>(1.0, static_cast<double>(r.movies));
    const double ratings = std::max<double>(1.0, static_cast<double>(r.ratings));
    return QStringLiteral(
               "For each genre, the share of movies that carry it and the share of ratings those "
               "movies received; a movie can carry several genres, so each colour adds up to "
               "more than 100 %. %1 is the most common genre (%2 movies, %3 of them), while %4 "
               "movies receive the most ratings (%5 ratings, %6): where the orange bar outgrows "
               "the blue one, a genre's movies are watched more than their number suggests.")
        .arg(mostMovies->name, grouped(mostMovies->movies),
             percent(static_cast<double>(mostMovies->movies) / movies), mostRated.name,
             grouped(mostRated.ratings), percent(static_cast<double>(mostRated.ratings) / ratings));
}

}  // namespace lens::ui::explore
