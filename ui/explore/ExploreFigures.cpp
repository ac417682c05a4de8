#include "explore/ExploreFigures.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QCursor>
#include <QHorizontalBarSeries>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLocale>
#include <QLogValueAxis>
#include <QPen>
#include <QScatterSeries>
#include <QToolTip>
#include <QValueAxis>
#include <QVariant>
#include <algorithm>
#include <cmath>
#include <limits>

#include "charts/ChartFigure.h"

namespace lens::ui {

namespace {

// Series colours (Tableau 10): users blue, movies orange; a chart's own colours, not the
// widget palette, so exports on white look the same on every theme.
const QColor kUsersColour(0x1f, 0x77, 0xb4);
const QColor kMoviesColour(0xff, 0x7f, 0x0e);
const QColor kBarColour(0x4c, 0x72, 0xb0);
const QColor kSecondBarColour(0xdd, 0x84, 0x52);
const QColor kMeanColour(0xc4, 0x4e, 0x52);
const QColor kMedianColour(0x2c, 0xa0, 0x2c);
const QColor kReferenceColour(0x80, 0x80, 0x80);

QString grouped(std::uint64_t value) {
    return QLocale(QLocale::English).toString(static_cast<qulonglong>(value));
}
QString fixed(double value, int decimals) {
    return QString::number(value, 'f', decimals);
}
QString percent(double share, int decimals = 1) {
    return QStringLiteral("%1 %").arg(fixed(100.0 * share, decimals));
}

QString titled(const QString& what, const QString& datasetName) {
    return datasetName.isEmpty() ? what : QStringLiteral("%1 — %2").arg(what, datasetName);
}

QChart* newChart(const QString& title) {
    auto* chart = new QChart;
    chart->setTitle(title);
    QFont font = chart->titleFont();
    font.setBold(true);
    font.setPointSizeF(std::max(font.pointSizeF(), 11.0));
    chart->setTitleFont(font);
    chart->legend()->setAlignment(Qt::AlignBottom);
    chart->setAnimationOptions(QChart::NoAnimation);
    return chart;
}

// Points with both coordinates positive (the only ones a log-log chart can place).
QList<QPointF> positivePoints(const std::vector<XY>& xy) {
    QList<QPointF> out;
    out.reserve(static_cast<qsizetype>(xy.size()));
    for (const XY& p : xy)
        if (p.x > 0 && p.y > 0 && std::isfinite(p.x) && std::isfinite(p.y)) out.append({p.x, p.y});
    return out;
}

// The non-empty bins of a log-binned PDF as (geometric centre, density).
QList<QPointF> pdfPoints(const LogBinnedPdf& pdf) {
    QList<QPointF> out;
    for (std::size_t k = 0; k < pdf.bins(); ++k)
        if (!pdf.empty[k] && pdf.density[k] > 0) out.append({pdf.centres[k], pdf.density[k]});
    return out;
}

QLineSeries* lineSeries(const QString& name, const QList<QPointF>& points, const QColor& colour,
                        Qt::PenStyle style = Qt::SolidLine, double width = 2.0) {
    auto* series = new QLineSeries;
    series->setName(name);
    series->replace(points);
    // Not cosmetic: the width scales with the export (a 300 dpi PNG keeps the on-screen look).
    series->setPen(QPen(colour, width, style));
    return series;
}

QScatterSeries* scatterSeries(const QString& name, const QList<QPointF>& points,
                              const QColor& colour) {
    auto* series = new QScatterSeries;
    series->setName(name);
    series->replace(points);
    series->setColor(colour);
    series->setBorderColor(colour.darker(130));
    series->setMarkerSize(8.0);
    return series;
}

DecadeRange rangeOf(const QList<QList<QPointF>>& sets, bool xAxis) {
    std::vector<double> values;
    for (const auto& set : sets)
        for (const QPointF& p : set) values.push_back(xAxis ? p.x() : p.y());
    return decadeRange(values);
}

QLogValueAxis* logAxis(const QString& title, DecadeRange range) {
    auto* axis = new QLogValueAxis;
    axis->setBase(10.0);
    axis->setLabelFormat(QStringLiteral("%g"));
    axis->setMinorTickCount(-1);
    axis->setRange(range.lo, range.hi);
    axis->setTitleText(title);
    return axis;
}

QValueAxis* valueAxis(const QString& title, double lo, double hi, const QString& format) {
    auto* axis = new QValueAxis;
    axis->setRange(lo, hi);
    axis->setTitleText(title);
    axis->setLabelFormat(format);
    return axis;
}

// A count axis from 0 to a little above `peak`, with round ticks.
QValueAxis* countAxis(const QString& title, double peak) {
    auto* axis = valueAxis(title, 0.0, std::max(1.0, peak * 1.05), QStringLiteral("%.0f"));
    axis->applyNiceNumbers();
    return axis;
}

void attach(QChart* chart, QAbstractSeries* series, QAbstractAxis* x, QAbstractAxis* y) {
    chart->addSeries(series);
    series->attachAxis(x);
    series->attachAxis(y);
}

// A vertical marker line from 0 to `top` at `x`, on the chart's hidden rating-unit axis.
void addMarker(QChart* chart, const QString& name, double x, double top, const QColor& colour,
               Qt::PenStyle style, QAbstractAxis* xAxis, QAbstractAxis* yAxis) {
    attach(chart, lineSeries(name, {{x, 0.0}, {x, top}}, colour, style, 2.5), xAxis, yAxis);
}

// The legend names the data series with its fitted exponent ("users, fit α = 2.93 ± 0.17"); the
// fitted line has no entry of its own: four entries did not fit a legend row of half a panel's
// width. x_min is where the fitted line starts, and the caption gives it in words.
QString fitLegend(const char* who, const PowerLawFit& fit, bool shown) {
    if (!shown) return QLatin1String(who);
    return QStringLiteral("%1, fit α = %2 ± %3")
        .arg(QLatin1String(who), fixed(fit.alpha, 2), fixed(fit.alphaStdErr, 2));
}

void attachFitLine(QChart* chart, QLineSeries* line, QAbstractAxis* x, QAbstractAxis* y) {
    attach(chart, line, x, y);
    for (QLegendMarker* marker : chart->legend()->markers(line)) marker->setVisible(false);
}

// The two log-log degree charts: users and movies (scatter points for the binned PDF, lines for
// the CCDF) with their fitted tails (solid for the PDF, darker dashes for the CCDF).
struct DegreeCurves {
    QList<QPointF> users, movies, userFit, movieFit;
};

QChart* degreeChart(const EdaReport& r, const QString& title, const QString& yTitle,
                    const DegreeCurves& c, bool points) {
    QChart* chart = newChart(title);
    const QList<QList<QPointF>> all = {c.users, c.movies, c.userFit, c.movieFit};
    auto* x = logAxis(QStringLiteral("ratings k (log scale)"), rangeOf(all, true));
    auto* y = logAxis(yTitle, rangeOf(all, false));
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    auto add = [&](const char* who, const PowerLawFit& fit, const QList<QPointF>& data,
                   const QList<QPointF>& fitted, const QColor& colour) {
        const bool shown = fit.valid && !fitted.isEmpty();
        const QString name = fitLegend(who, fit, shown);
        attach(chart,
               points ? static_cast<QXYSeries*>(scatterSeries(name, data, colour))
                      : lineSeries(name, data, colour),
               x, y);
        if (shown)
            attachFitLine(chart,
                          lineSeries(QStringLiteral("%1 fit").arg(QLatin1String(who)), fitted,
                                     points ? colour : colour.darker(140),
                                     points ? Qt::SolidLine : Qt::DashLine),
                          x, y);
    };
    add("users", r.userDegrees.fit, c.users, c.userFit, kUsersColour);
    add("movies", r.movieDegrees.fit, c.movies, c.movieFit, kMoviesColour);
    return chart;
}

// ---------------------------------------------------------------------------------------------
// The charts.

QChart* degreePdfChart(const EdaReport& r, const QString& name) {
    return degreeChart(
        r, titled(QStringLiteral("Degree distribution (log-binned PDF)"), name),
        QStringLiteral("density P(k) (log)"),
        {pdfPoints(r.userDegrees.pdf), pdfPoints(r.movieDegrees.pdf),
         positivePoints(r.userDegrees.pdfFit), positivePoints(r.movieDegrees.pdfFit)},
        true);
}

QChart* ccdfChart(const EdaReport& r, const QString& name) {
    return degreeChart(
        r, titled(QStringLiteral("Complementary CDF P(X ≥ k)"), name),
        QStringLiteral("P(X ≥ k) (log scale)"),
        {positivePoints(r.userDegrees.ccdf), positivePoints(r.movieDegrees.ccdf),
         positivePoints(r.userDegrees.ccdfFit), positivePoints(r.movieDegrees.ccdfFit)},
        false);
}

QChart* rankFrequencyChart(const EdaReport& r, const QString& name) {
    QChart* chart = newChart(titled(QStringLiteral("Rank-frequency (Zipf) plot"), name));
    const QList<QPointF> users = positivePoints(r.userDegrees.rankFrequency);
    const QList<QPointF> movies = positivePoints(r.movieDegrees.rankFrequency);
    auto* x = logAxis(QStringLiteral("rank (1 = most ratings, log scale)"),
                      rangeOf({users, movies}, true));
    auto* y = logAxis(QStringLiteral("ratings (log scale)"), rangeOf({users, movies}, false));
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    attach(chart, lineSeries(QStringLiteral("users"), users, kUsersColour), x, y);
    attach(chart, lineSeries(QStringLiteral("movies"), movies, kMoviesColour), x, y);
    return chart;
}

QChart* ratingHistogramChart(const EdaReport& r, const QString& name) {
    const RatingHistogram& h = r.ratingHistogram;
    QChart* chart = newChart(titled(QStringLiteral("Rating histogram (half stars)"), name));
    auto* set = new QBarSet(QStringLiteral("ratings"));
    set->setColor(kBarColour);
    QStringList categories;
    double peak = 0.0;
    for (std::size_t i = 0; i < h.counts.size(); ++i) {
        set->append(static_cast<double>(h.counts[i]));
        categories << fixed(RatingHistogram::ratingOf(i), 1);
        peak = std::max(peak, static_cast<double>(h.counts[i]));
    }
    auto* bars = new QBarSeries;
    bars->append(set);
    bars->setBarWidth(0.85);
    auto* x = new QBarCategoryAxis;
    x->append(categories);
    x->setTitleText(QStringLiteral("rating (stars)"));
    auto* y = countAxis(QStringLiteral("ratings"), peak);
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    attach(chart, bars, x, y);
    // Category i is centred on rating 0.5 (i + 1) and spans half a star: a hidden axis in
    // rating units from 0.25 to 5.25 lines up with the categories for the marker lines.
    auto* ratingAxis = valueAxis({}, 0.25, 5.25, QStringLiteral("%.2f"));
    ratingAxis->setVisible(false);
    chart->addAxis(ratingAxis, Qt::AlignBottom);
    const double top = y->max();
    if (h.total) {
        // The median first (solid), the mean dashed on top: both stay visible when they meet.
        addMarker(chart, QStringLiteral("median %1").arg(fixed(h.median, 1)), h.median, top,
                  kMedianColour, Qt::SolidLine, ratingAxis, y);
        addMarker(chart, QStringLiteral("mean %1").arg(fixed(h.mean, 3)), h.mean, top, kMeanColour,
                  Qt::DashLine, ratingAxis, y);
    }
    return chart;
}

QString binLabel(double lo, double hi) {
    return QStringLiteral("%1–%2").arg(fixed(lo, 2), fixed(hi, 2));
}

QChart* movieMeanChartImpl(const MovieMeanHistogram& h, const QString& name) {
    QChart* chart = newChart(titled(QStringLiteral("Mean rating per movie (≥ %1 rating%2)")
                                        .arg(h.minRatings)
                                        .arg(h.minRatings == 1 ? "" : "s"),
                                    name));
    auto* set = new QBarSet(QStringLiteral("movies"));
    set->setColor(kBarColour);
    QStringList categories;
    double peak = 0.0;
    for (std::size_t k = 0; k < h.counts.size(); ++k) {
        set->append(static_cast<double>(h.counts[k]));
        categories << fixed(h.edges[k], 2);  // bin start: short enough to stay upright
        peak = std::max(peak, static_cast<double>(h.counts[k]));
    }
    auto* bars = new QBarSeries;
    bars->append(set);
    bars->setBarWidth(0.95);
    auto* x = new QBarCategoryAxis;
    x->append(categories);
    x->setTitleText(
        QStringLiteral("mean rating of the movie (start of a %1-star bin)")
            .arg(h.edges.size() >= 2 ? fixed(h.edges[1] - h.edges[0], 2) : QStringLiteral("0.25")));
    if (categories.size() > 24) x->setLabelsAngle(-90);
    auto* y = countAxis(QStringLiteral("movies"), peak);
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    attach(chart, bars, x, y);
    if (h.moviesCounted && h.edges.size() >= 2) {
        // Bins of equal width from edges[0]: the hidden axis spans them in rating units.
        const double width = h.edges[1] - h.edges[0];
        auto* ratingAxis = valueAxis({}, h.edges.front(),
                                     h.edges.front() + width * static_cast<double>(h.counts.size()),
                                     QStringLiteral("%.2f"));
        ratingAxis->setVisible(false);
        chart->addAxis(ratingAxis, Qt::AlignBottom);
        addMarker(chart, QStringLiteral("mean of the means %1").arg(fixed(h.meanOfMeans, 3)),
                  h.meanOfMeans, y->max(), kMeanColour, Qt::SolidLine, ratingAxis, y);
    }
    return chart;
}

QChart* lorenzChart(const EdaReport& r, const QString& name) {
    QChart* chart = newChart(titled(QStringLiteral("Lorenz curves of ratings"), name));
    auto* x = valueAxis(QStringLiteral("share of users / movies, least active first"), 0.0, 1.0,
                        QStringLiteral("%.1f"));
    x->setTickCount(6);
    auto* y = valueAxis(QStringLiteral("share of all ratings"), 0.0, 1.0, QStringLiteral("%.1f"));
    y->setTickCount(6);
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    auto toPoints = [](const std::vector<XY>& xy) {
        QList<QPointF> out;
        for (const XY& p : xy) out.append({p.x, p.y});
        return out;
    };
    attach(chart,
           lineSeries(QStringLiteral("perfect equality (Gini 0)"), {{0.0, 0.0}, {1.0, 1.0}},
                      kReferenceColour, Qt::DashLine, 1.5),
           x, y);
    attach(chart,
           lineSeries(QStringLiteral("users (Gini %1)").arg(fixed(r.userDegrees.gini, 3)),
                      toPoints(r.userDegrees.lorenz), kUsersColour),
           x, y);
    attach(chart,
           lineSeries(QStringLiteral("movies (Gini %1)").arg(fixed(r.movieDegrees.gini, 3)),
                      toPoints(r.movieDegrees.lorenz), kMoviesColour),
           x, y);
    return chart;
}

QChart* ratingsPerYearChart(const EdaReport& r, const QString& name) {
    QChart* chart = newChart(titled(QStringLiteral("Ratings per year"), name));
    auto* set = new QBarSet(QStringLiteral("ratings"));
    set->setColor(kBarColour);
    QStringList categories;
    double peak = 0.0;
    for (const YearCount& y : r.ratingsPerYear) {
        set->append(static_cast<double>(y.ratings));
        categories << QString::number(y.year);
        peak = std::max(peak, static_cast<double>(y.ratings));
    }
    auto* bars = new QBarSeries;
    bars->append(set);
    bars->setBarWidth(0.85);
    auto* x = new QBarCategoryAxis;
    x->append(categories);
    x->setTitleText(QStringLiteral("year of the rating (UTC)"));
    if (categories.size() > 12) x->setLabelsAngle(-90);
    auto* y = countAxis(QStringLiteral("ratings"), peak);
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    attach(chart, bars, x, y);
    chart->legend()->setVisible(false);
    return chart;
}

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

void installTooltips(ChartFigure* figure, ExploreChart kind) {
    switch (kind) {
        case ExploreChart::DegreePdf:
            figure->enableHoverTooltips(QStringLiteral("ratings k"), QStringLiteral("P(k)"));
            break;
        case ExploreChart::Ccdf:
            figure->enableHoverTooltips(QStringLiteral("ratings k"), QStringLiteral("P(X ≥ k)"));
            break;
        case ExploreChart::RankFrequency:
            figure->enableHoverTooltips(QStringLiteral("rank"), QStringLiteral("ratings"));
            break;
        case ExploreChart::RatingHistogram:
        case ExploreChart::MovieMeans:
            figure->enableHoverTooltips(QStringLiteral("rating"), QStringLiteral("count"));
            break;
        case ExploreChart::Lorenz:
            figure->enableHoverTooltips(QStringLiteral("population share"),
                                        QStringLiteral("rating share"));
            break;
        case ExploreChart::RatingsPerYear:
            figure->enableHoverTooltips(QStringLiteral("year"), QStringLiteral("ratings"));
            break;
        case ExploreChart::Genres:
            installGenreTooltips(figure);
            break;
    }
}

// ---------------------------------------------------------------------------------------------
// Captions.

// "movies α = 1.93 ± 0.02 above x_min = 12 (KS 0.031, 4,050 of 9,724 movies in the tail)".
QString fitClause(const char* who, const DegreeStats& d) {
    const PowerLawFit& f = d.fit;
    if (!f.valid)
        return QStringLiteral("%1 too few distinct values to fit").arg(QLatin1String(who));
    return QStringLiteral("%1 α = %2 ± %3 above x_min = %4 (KS %5, %6 of %7 %1 in the tail)")
        .arg(QLatin1String(who), fixed(f.alpha, 2), fixed(f.alphaStdErr, 2))
        .arg(f.xmin)
        .arg(fixed(f.ks, 3), grouped(f.nTail), grouped(f.n));
}

QString degreePdfCaption(const EdaReport& r) {
    const int leftOff = emptyPdfBinsLeftOff(r);
    const QString empties =
        leftOff == 0 ? QStringLiteral(
                           "Every logarithmic bin holds at least one user or movie, so no bin "
                           "is left off the log axes.")
                     : QStringLiteral(
                           "%1 empty bin%2 (no user or movie with that many ratings) %3 left "
                           "off the log axes.")
                           .arg(leftOff)
                           .arg(leftOff == 1 ? "" : "s")
                           .arg(leftOff == 1 ? "is" : "are");
    return QStringLiteral(
               "On log-log axes a power law P(k) ∝ k^−α is a straight line of slope −α: a few "
               "users and movies have very many ratings, most have few. Maximum-likelihood fits: "
               "%1; %2. %3")
        .arg(fitClause("movies", r.movieDegrees), fitClause("users", r.userDegrees), empties);
}

QString ccdfCaption(const EdaReport& r) {
    auto slope = [](const DegreeStats& d) {
        return d.fit.valid ? fixed(d.fit.alpha - 1.0, 2) : QStringLiteral("n/a");
    };
    return QStringLiteral(
               "The share of users or movies with at least k ratings needs no binning: a power "
               "law appears as a straight line of slope −(α − 1), here %1 for movies (α = %2) "
               "and %3 for users (α = %4). The dashed lines are the fitted tails; the KS "
               "distance of the fit is the largest gap between them and the data above x_min.")
        .arg(slope(r.movieDegrees),
             r.movieDegrees.fit.valid ? fixed(r.movieDegrees.fit.alpha, 2) : QStringLiteral("n/a"),
             slope(r.userDegrees),
             r.userDegrees.fit.valid ? fixed(r.userDegrees.fit.alpha, 2) : QStringLiteral("n/a"));
}

QString rankFrequencyCaption(const EdaReport& r) {
    const DegreeStats& m = r.movieDegrees;
    const DegreeStats& u = r.userDegrees;
    QString zipf;
    if (m.fit.valid && m.fit.alpha > 1.0)
        zipf = QStringLiteral(
                   " For a power law with α = %1 the top of this curve falls with slope "
                   "−1/(α − 1) ≈ %2.")
                   .arg(fixed(m.fit.alpha, 2), fixed(-1.0 / (m.fit.alpha - 1.0), 2));
    return QStringLiteral(
               "Users and movies sorted from most to fewest ratings (Zipf's view of the same "
               "distribution). The most-rated movie has %1 ratings while the median movie has "
               "%2; the most active user rated %3 movies, the median user %4.%5")
        .arg(grouped(m.max), QString::number(m.median), grouped(u.max), QString::number(u.median),
             zipf);
}

QString ratingHistogramCaption(const EdaReport& r) {
    const RatingHistogram& h = r.ratingHistogram;
    if (!h.total) return QStringLiteral("No ratings.");
    std::size_t mode = 0;
    std::uint64_t whole = 0, half = 0, high = 0;
    for (std::size_t i = 0; i < h.counts.size(); ++i) {
        if (h.counts[i] > h.counts[mode]) mode = i;
        ((i % 2) ? whole : half) += h.counts[i];
        if (RatingHistogram::ratingOf(i) >= 3.0) high += h.counts[i];
    }
    const double total = static_cast<double>(h.total);
    return QStringLiteral(
               "Ratings are biased toward the top of the scale: %1 of the %2 ratings are 3 "
               "stars or more, the mean is %3 and the median %4 stars. The most common rating "
               "is %5 (%6); whole stars take %7 of all ratings, half stars %8.")
        .arg(percent(static_cast<double>(high) / total), grouped(h.total), fixed(h.mean, 2),
             fixed(h.median, 1), fixed(RatingHistogram::ratingOf(mode), 1),
             percent(static_cast<double>(h.counts[mode]) / total),
             percent(static_cast<double>(whole) / total),
             percent(static_cast<double>(half) / total));
}

QString lorenzCaption(const EdaReport& r) {
    const DegreeStats& m = r.movieDegrees;
    const DegreeStats& u = r.userDegrees;
    return QStringLiteral(
               "Each curve gives the share of all ratings held by the least active fraction of "
               "movies or users; the diagonal would mean everyone has the same number. The Gini "
               "coefficient (twice the area between curve and diagonal) is %1 for movies and %2 "
               "for users. The top 1 % of movies hold %3 of the ratings and the top 10 % hold "
               "%4; the top 10 % of users gave %5.")
        .arg(fixed(m.gini, 3), fixed(u.gini, 3), percent(m.top1Share), percent(m.top10Share),
             percent(u.top10Share));
}

QString ratingsPerYearCaption(const EdaReport& r) {
    if (r.ratingsPerYear.empty()) return QStringLiteral("No rating timestamps.");
    const YearCount* busiest = &r.ratingsPerYear.front();
    int emptyYears = 0;
    for (const YearCount& y : r.ratingsPerYear) {
        if (y.ratings > busiest->ratings) busiest = &y;
        if (!y.ratings) ++emptyYears;
    }
    QString gaps;
    if (emptyYears)
        gaps = QStringLiteral(" %1 year%2 in between had no ratings.")
                   .arg(emptyYears)
                   .arg(emptyYears == 1 ? "" : "s");
    return QStringLiteral(
               "When the ratings were given (calendar years, UTC) from %1 to %2: the busiest "
               "year is %3 with %4 ratings (%5). MovieLens grew in bursts, so the years are "
               "far from equal.%6")
        .arg(r.ratingsPerYear.front().year)
        .arg(r.ratingsPerYear.back().year)
        .arg(busiest->year)
        .arg(grouped(busiest->ratings),
             percent(static_cast<double>(busiest->ratings) /
                     std::max<double>(1.0, static_cast<double>(r.ratings))),
             gaps);
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

}  // namespace

DecadeRange decadeRange(const std::vector<double>& values) {
    double lo = std::numeric_limits<double>::infinity(), hi = 0.0;
    for (double v : values) {
        if (!(v > 0) || !std::isfinite(v)) continue;
        lo = std::min(lo, v);
        hi = std::max(hi, v);
    }
    if (hi <= 0.0) return {};
    DecadeRange range;
    // A hair of slack so that 1000 stays in [100, 1000] rather than jumping a decade.
    range.lo = std::pow(10.0, std::floor(std::log10(lo) + 1e-9));
    range.hi = std::pow(10.0, std::ceil(std::log10(hi) - 1e-9));
    if (range.hi <= range.lo) range.hi = range.lo * 10.0;
    return range;
}

Provenance exploreProvenance(const EdaReport& report, const QString& datasetName) {
    Provenance p;
    p.dataset = QStringLiteral("%1 (%2 ratings, %3 users, %4 movies)")
                    .arg(datasetName, grouped(report.ratings), grouped(report.users),
                         grouped(report.movies));
    return p;
}

const QList<ExploreChart>& exploreCharts() {
    static const QList<ExploreChart> charts{
        ExploreChart::DegreePdf,       ExploreChart::Ccdf,       ExploreChart::RankFrequency,
        ExploreChart::RatingHistogram, ExploreChart::MovieMeans, ExploreChart::Lorenz,
        ExploreChart::RatingsPerYear,  ExploreChart::Genres,
    };
    return charts;
}

QString exploreChartStem(ExploreChart chart) {
    switch (chart) {
        case ExploreChart::DegreePdf:
            return QStringLiteral("degree-pdf");
        case ExploreChart::Ccdf:
            return QStringLiteral("degree-ccdf");
        case ExploreChart::RankFrequency:
            return QStringLiteral("rank-frequency");
        case ExploreChart::RatingHistogram:
            return QStringLiteral("rating-histogram");
        case ExploreChart::MovieMeans:
            return QStringLiteral("movie-mean-histogram");
        case ExploreChart::Lorenz:
            return QStringLiteral("lorenz");
        case ExploreChart::RatingsPerYear:
            return QStringLiteral("ratings-per-year");
        case ExploreChart::Genres:
            return QStringLiteral("genres");
    }
    return {};
}

int emptyPdfBinsLeftOff(const EdaReport& r) {
    int n = 0;
    for (const LogBinnedPdf* pdf : {&r.userDegrees.pdf, &r.movieDegrees.pdf})
        for (std::size_t k = 0; k < pdf->bins(); ++k)
            if (pdf->empty[k] || !(pdf->density[k] > 0)) ++n;
    return n;
}

QChart* createMovieMeanChart(const MovieMeanHistogram& histogram, const QString& datasetName) {
    return movieMeanChartImpl(histogram, datasetName);
}

QChart* createExploreChart(ExploreChart chart, const EdaReport& report,
                           const QString& datasetName) {
    switch (chart) {
        case ExploreChart::DegreePdf:
            return degreePdfChart(report, datasetName);
        case ExploreChart::Ccdf:
            return ccdfChart(report, datasetName);
        case ExploreChart::RankFrequency:
            return rankFrequencyChart(report, datasetName);
        case ExploreChart::RatingHistogram:
            return ratingHistogramChart(report, datasetName);
        case ExploreChart::MovieMeans:
            return movieMeanChartImpl(report.movieMeans, datasetName);
        case ExploreChart::Lorenz:
            return lorenzChart(report, datasetName);
        case ExploreChart::RatingsPerYear:
            return ratingsPerYearChart(report, datasetName);
        case ExploreChart::Genres:
            return genresChart(report, datasetName);
    }
    return newChart(datasetName);
}

ChartFigure* createExploreFigure(ExploreChart chart, const EdaReport& report,
                                 const QString& datasetName, QWidget* parent) {
    auto* figure = new ChartFigure(exploreChartStem(chart),
                                   createExploreChart(chart, report, datasetName), parent);
    installTooltips(figure, chart);
    return figure;
}

std::vector<std::unique_ptr<ChartFigure>> createExploreFigures(const EdaReport& report,
                                                               const QString& datasetName) {
    std::vector<std::unique_ptr<ChartFigure>> figures;
    for (ExploreChart chart : exploreCharts())
        figures.emplace_back(createExploreFigure(chart, report, datasetName));
    return figures;
}

void replaceFigureChart(ChartFigure* figure, QChart* chart, ExploreChart kind) {
    QChart* old = figure->chart();
    figure->setChart(chart);  // releases (does not delete) the old chart
    delete old;
    installTooltips(figure, kind);
}

QString movieMeanCaption(const MovieMeanHistogram& h) {
    if (!h.moviesCounted)
        return QStringLiteral("No movie has %1 or more ratings: lower the minimum.")
            .arg(h.minRatings);
    std::size_t mode = 0;
    for (std::size_t k = 0; k < h.counts.size(); ++k)
        if (h.counts[k] > h.counts[mode]) mode = k;
    const std::uint64_t extremes = h.counts.front() + (h.counts.size() > 1 ? h.counts.back() : 0);
    return QStringLiteral(
               "The mean rating of each of the %1 movies with at least %2 rating%3: the mean of "
               "these means is %4 and the most common bin is %5 stars. Movies with few ratings "
               "scatter to the extremes (%6 movies sit in the lowest or highest bin); raise the "
               "minimum number of ratings and the spread narrows toward the middle.")
        .arg(grouped(h.moviesCounted))
        .arg(h.minRatings)
        .arg(h.minRatings == 1 ? "" : "s")
        .arg(fixed(h.meanOfMeans, 2), binLabel(h.edges[mode], h.edges[mode + 1]),
             grouped(extremes));
}

QString exploreCaption(ExploreChart chart, const EdaReport& report) {
    switch (chart) {
        case ExploreChart::DegreePdf:
            return degreePdfCaption(report);
        case ExploreChart::Ccdf:
            return ccdfCaption(report);
        case ExploreChart::RankFrequency:
            return rankFrequencyCaption(report);
        case ExploreChart::RatingHistogram:
            return ratingHistogramCaption(report);
        case ExploreChart::MovieMeans:
            return movieMeanCaption(report.movieMeans);
        case ExploreChart::Lorenz:
            return lorenzCaption(report);
        case ExploreChart::RatingsPerYear:
            return ratingsPerYearCaption(report);
        case ExploreChart::Genres:
            return genresCaption(report);
    }
    return {};
}

}  // namespace lens::ui
