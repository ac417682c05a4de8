#include "explore/ExploreFigures.h"

#include <QChart>
#include <algorithm>
#include <cmath>
#include <limits>

#include "charts/ChartFigure.h"
#include "explore/ExploreChartKit.h"
#include "explore/ExploreDegreeCharts.h"
#include "explore/ExploreGenreChart.h"
#include "explore/ExploreRatingCharts.h"

// Which chart is which: the degree charts (PDF, CCDF, rank-frequency, Lorenz) are in
// ExploreDegreeCharts, the rating charts (histogram, movie means, per year) in
// ExploreRatingCharts, the genre chart in ExploreGenreChart; this file dispatches on ExploreChart
// and installs the hover tooltips.

namespace lens::ui {

namespace {

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
            explore::installGenreTooltips(figure);
            break;
    }
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
                    .arg(datasetName, explore::grouped(report.ratings),
                         explore::grouped(report.users), explore::grouped(report.movies));
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
    return explore::movieMeanChart(histogram, datasetName);
}

QChart* createExploreChart(ExploreChart chart, const EdaReport& report,
                           const QString& datasetName) {
    switch (chart) {
        case ExploreChart::DegreePdf:
            return explore::degreePdfChart(report, datasetName);
        case ExploreChart::Ccdf:
            return explore::ccdfChart(report, datasetName);
        case ExploreChart::RankFrequency:
            return explore::rankFrequencyChart(report, datasetName);
        case ExploreChart::RatingHistogram:
            return explore::ratingHistogramChart(report, datasetName);
        case ExploreChart::MovieMeans:
            return explore::movieMeanChart(report.movieMeans, datasetName);
        case ExploreChart::Lorenz:
            return explore::lorenzChart(report, datasetName);
        case ExploreChart::RatingsPerYear:
            return explore::ratingsPerYearChart(report, datasetName);
        case ExploreChart::Genres:
            return explore::genresChart(report, datasetName);
    }
    return explore::newChart(datasetName);
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
    return explore::movieMeanCaption(h);
}

QString exploreCaption(ExploreChart chart, const EdaReport& report) {
    switch (chart) {
        case ExploreChart::DegreePdf:
            return explore::degreePdfCaption(report);
        case ExploreChart::Ccdf:
            return explore::ccdfCaption(report);
        case ExploreChart::RankFrequency:
            return explore::rankFrequencyCaption(report);
        case ExploreChart::RatingHistogram:
            return explore::ratingHistogramCaption(report);
        case ExploreChart::MovieMeans:
            return explore::movieMeanCaption(report.movieMeans);
        case ExploreChart::Lorenz:
            return explore::lorenzCaption(report);
        case ExploreChart::RatingsPerYear:
            return explore::ratingsPerYearCaption(report);
        case ExploreChart::Genres:
            return explore::genresCaption(report);
    }
    return {};
}

}  // namespace lens::ui
