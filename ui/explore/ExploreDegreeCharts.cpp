#include "explore/ExploreDegreeCharts.h"

#include <QChart>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QScatterSeries>
#include <QValueAxis>

#include "explore/ExploreChartKit.h"
#include "explore/ExploreFigures.h"

namespace lens::ui::explore {

namespace {

// The non-empty bins of a log-binned PDF as (geometric centre, density).
QList<QPointF> pdfPoints(const LogBinnedPdf& pdf) {
    QList<QPointF> out;
    for (std::size_t k = 0; k < pdf.bins(); ++k)
        if (!pdf.empty[k] && pdf.density[k] > 0) out.append({pdf.centres[k], pdf.density[k]});
    return out;
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

}  // namespace

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

}  // namespace lens::ui::explore
