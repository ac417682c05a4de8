#pragma once
// The charts of stage 1 (Explore), built from an already computed lens::EdaReport: each one a
// Qt Charts chart in a ChartFigure, so it exports (PNG/SVG/PDF) and copies like every figure of
// the app, plus a caption of two or three teaching sentences quoting the fitted numbers.
// Nothing here needs a shown window: the Explore panel shows these figures, the `eda --out` and
// `report` commands render them offscreen.
//
// What is drawn:
// - DegreePdf: log-binned PDF of ratings per user and per movie (density = count / (n * bin
//   width)) with the fitted discrete power law P(k) = k^-alpha / zeta(alpha, x_min), averaged
//   over each bin at or above x_min and scaled by the tail share n_tail / n.
// - Ccdf: P(X >= k) at every distinct degree, with the fitted tail
//   n_tail / n * zeta(alpha, k) / zeta(alpha, x_min).
// - RankFrequency: the degree of rank r (1 = largest), Zipf's view of the same law.
// - RatingHistogram: ratings per half star with the mean and median marked.
// - MovieMeans: each movie's mean rating (movies with at least a minimum number of ratings).
// - Lorenz: share of ratings held by the least active fraction p of users / movies, the
//   equality diagonal, Gini in the legend.
// - RatingsPerYear: ratings per UTC calendar year.
// - Genres: share of movies carrying each genre and share of ratings going to those movies.
//
// Log axes: QLogValueAxis (base 10) with ranges snapped to whole decades; points that are zero
// or negative (empty PDF bins) are left off and the caption says how many.
#include <QList>
#include <QString>
#include <memory>
#include <vector>

#include "charts/Figure.h"
#include "stats/Eda.h"

class QChart;
class QWidget;

namespace lens::ui {

class ChartFigure;

enum class ExploreChart {
    DegreePdf,
    Ccdf,
    RankFrequency,
    RatingHistogram,
    MovieMeans,
    Lorenz,
    RatingsPerYear,
    Genres,
};

// Every chart in the order the panel and the exports show them.
const QList<ExploreChart>& exploreCharts();
// File stem of a chart's exports ("degree-pdf", "rating-histogram", ...).
QString exploreChartStem(ExploreChart chart);

// A new chart (caller owns it) with title (naming `datasetName`), axes, series and legend.
QChart* createExploreChart(ExploreChart chart, const EdaReport& report, const QString& datasetName);
// The per-movie mean histogram for another minimum-ratings filter (see lens::movieMeanHistogram).
QChart* createMovieMeanChart(const MovieMeanHistogram& histogram, const QString& datasetName);

// The chart in a ChartFigure with hover tooltips (exact values) installed.
ChartFigure* createExploreFigure(ExploreChart chart, const EdaReport& report,
                                 const QString& datasetName, QWidget* parent = nullptr);
// Every chart, in exploreCharts() order.
std::vector<std::unique_ptr<ChartFigure>> createExploreFigures(const EdaReport& report,
                                                               const QString& datasetName);
// Replaces the chart shown by `figure` (deleting the old one) and re-installs the tooltips.
void replaceFigureChart(ChartFigure* figure, QChart* chart, ExploreChart kind);

// "What this shows": two or three sentences with the fitted numbers (rich text, no markup
// beyond entities, so plain-text consumers can use it too).
QString exploreCaption(ExploreChart chart, const EdaReport& report);
QString movieMeanCaption(const MovieMeanHistogram& histogram);

// Points of the PDF series that are left off log axes because their bin is empty (users +
// movies); the caption of DegreePdf quotes it.
int emptyPdfBinsLeftOff(const EdaReport& report);

// Export footer: "<dataset> (N ratings, U users, M movies)".
Provenance exploreProvenance(const EdaReport& report, const QString& datasetName);

// Smallest and largest whole decades (10^floor(log10 lo), 10^ceil(log10 hi)) around the positive
// values of `values`; at least one decade wide; {1, 10} when none is positive.
struct DecadeRange {
    double lo = 1.0;
    double hi = 10.0;
};
DecadeRange decadeRange(const std::vector<double>& values);

}  // namespace lens::ui
