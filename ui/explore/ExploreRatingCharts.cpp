#include "explore/ExploreRatingCharts.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QLegend>
#include <QValueAxis>
#include <algorithm>

#include "explore/ExploreChartKit.h"

namespace lens::ui::explore {

namespace {

// A rating value as the chart and caption print it: one decimal for half stars ("4.0"),
// otherwise the shortest form ("7", "2.25").
QString ratingText(const RatingScale& scale, double value) {
    return scale.isHalfStars() ? fixed(value, 1) : QString::number(value, 'g', 6);
}

// Position of `value` on the histogram's category axis (bin i centred on i), interpolated
// between the bins around it (the bins of a non-half-star scale are the values present).
double binPosition(const RatingHistogram& h, double value) {
    const auto& v = h.values;
    if (v.size() < 2 || value <= v.front()) return 0.0;
    for (std::size_t i = 1; i < v.size(); ++i)
        if (value <= v[i])
            return static_cast<double>(i - 1) + (value - v[i - 1]) / (v[i] - v[i - 1]);
    return static_cast<double>(v.size() - 1);
}

QString binLabel(double lo, double hi) {
    return QStringLiteral("%1–%2").arg(fixed(lo, 2), fixed(hi, 2));
}

}  // namespace

QChart* ratingHistogramChart(const EdaReport& r, const QString& name) {
    const RatingHistogram& h = r.ratingHistogram;
    if (h.implicit) {
        // Implicit feedback: every interaction is a 1, a histogram would be one bar.
        QChart* chart = newChart(
            titled(QStringLiteral("No ratings: implicit feedback (interactions only)"), name));
        chart->legend()->setVisible(false);
        return chart;
    }
    QChart* chart =
        newChart(titled(r.scale.isHalfStars() ? QStringLiteral("Rating histogram (half stars)")
                                              : QStringLiteral("Rating histogram"),
                        name));
    auto* set = new QBarSet(QStringLiteral("ratings"));
    set->setColor(kBarColour);
    QStringList categories;
    double peak = 0.0;
    for (std::size_t i = 0; i < h.counts.size(); ++i) {
        set->append(static_cast<double>(h.counts[i]));
        categories << ratingText(r.scale, h.ratingOf(i));
        peak = std::max(peak, static_cast<double>(h.counts[i]));
    }
    auto* bars = new QBarSeries;
    bars->append(set);
    bars->setBarWidth(0.85);
    auto* x = new QBarCategoryAxis;
    x->append(categories);
    x->setTitleText(r.scale.isHalfStars() ? QStringLiteral("rating (stars)")
                                          : QStringLiteral("rating"));
    auto* y = countAxis(QStringLiteral("ratings"), peak);
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    attach(chart, bars, x, y);
    // Category i is centred on i and spans one unit: a hidden axis from -0.5 to n - 0.5 lines
    // up with the categories; the markers sit at the mean's and median's positions between the
    // bins around them (half stars: bin i is rating 0.5 (i + 1), so that is linear in rating).
    auto* ratingAxis =
        valueAxis({}, -0.5, static_cast<double>(h.counts.size()) - 0.5, QStringLiteral("%.2f"));
    ratingAxis->setVisible(false);
    chart->addAxis(ratingAxis, Qt::AlignBottom);
    const double top = y->max();
    if (h.total) {
        // The median first (solid), the mean dashed on top: both stay visible when they meet.
        addMarker(chart, QStringLiteral("median %1").arg(fixed(h.median, 1)),
                  binPosition(h, h.median), top, kMedianColour, Qt::SolidLine, ratingAxis, y);
        addMarker(chart, QStringLiteral("mean %1").arg(fixed(h.mean, 3)), binPosition(h, h.mean),
                  top, kMeanColour, Qt::DashLine, ratingAxis, y);
    }
    return chart;
}

QChart* movieMeanChart(const MovieMeanHistogram& h, const QString& name) {
    if (h.implicit) {
        QChart* chart = newChart(
            titled(QStringLiteral("No mean ratings: implicit feedback (interactions only)"), name));
        chart->legend()->setVisible(false);
        return chart;
    }
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

QString ratingHistogramCaption(const EdaReport& r) {
    const RatingHistogram& h = r.ratingHistogram;
    if (h.implicit)
        return QStringLiteral(
            "No ratings: the data is implicit feedback (which user interacted with which item), "
            "so there is no rating distribution to show. Ranking models apply; rating models "
            "do not.");
    if (!h.total) return QStringLiteral("No ratings.");
    std::size_t mode = 0;
    std::uint64_t whole = 0, half = 0, high = 0;
    // The upper half of the scale: 3 stars or more on half stars (midpoint 2.75).
    const double middle = 0.5 * (static_cast<double>(r.scale.min) + r.scale.max);
    for (std::size_t i = 0; i < h.counts.size(); ++i) {
        if (h.counts[i] > h.counts[mode]) mode = i;
        ((i % 2) ? whole : half) += h.counts[i];
        if (h.ratingOf(i) >= middle) high += h.counts[i];
    }
    const double total = static_cast<double>(h.total);
    if (!r.scale.isHalfStars())
        return QStringLiteral(
                   "Ratings on a scale of %1 to %2: %3 of the %4 ratings are in its upper half "
                   "(%5 or more), the mean is %6 and the median %7. The most common rating is "
                   "%8 (%9).")
            .arg(ratingText(r.scale, r.scale.min), ratingText(r.scale, r.scale.max),
                 percent(static_cast<double>(high) / total), grouped(h.total),
                 ratingText(r.scale, middle), fixed(h.mean, 2), ratingText(r.scale, h.median),
                 ratingText(r.scale, h.ratingOf(mode)),
                 percent(static_cast<double>(h.counts[mode]) / total));
    return QStringLiteral(
               "Ratings are biased toward the top of the scale: %1 of the %2 ratings are 3 "
               "stars or more, the mean is %3 and the median %4 stars. The most common rating "
               "is %5 (%6); whole stars take %7 of all ratings, half stars %8.")
        .arg(percent(static_cast<double>(high) / total), grouped(h.total), fixed(h.mean, 2),
             fixed(h.median, 1), fixed(h.ratingOf(mode), 1),
             percent(static_cast<double>(h.counts[mode]) / total),
             percent(static_cast<double>(whole) / total),
             percent(static_cast<double>(half) / total));
}

QString movieMeanCaption(const MovieMeanHistogram& h) {
    if (h.implicit)
        return QStringLiteral(
            "No mean ratings: the data is implicit feedback (which user interacted with which "
            "item), so a movie has interactions but no ratings to average.");
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

}  // namespace lens::ui::explore
