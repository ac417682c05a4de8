#pragma once
// The Compare stage's charts, drawn from one lens::Comparison into QCharts (shown in
// ChartFigures, so they export like every figure), and the teaching captions under them.
//
// - scatter: each user's value of a metric under model A (x) against model B (y), with the
//   diagonal y = x (points below it: A did better for that user, for higher-is-better metrics);
// - histogram: the distribution of per-user values of a metric, per model (share of users);
// - interval bars: a mean per category and model with its CI as a whisker; used for activity
//   segments, popularity tiers, demographic segments, beyond-accuracy figures and sampled vs
//   full protocols.
#include <QColor>
#include <QString>
#include <QStringList>
#include <string>
#include <vector>

#include "eval/ModelComparison.h"
#include "eval/Segments.h"

class QChart;

namespace lens::ui {

// The colour of the i-th model in every chart of the stage.
QColor compareModelColour(int model);

struct IntervalValue {
    double mean, lower, upper;  // NaN lower/upper: no whisker; NaN mean: no bar
};

// Bars of values[series][category] with CI whiskers, a legend entry per series; horizontal
// bars (categories up the left side, the first at the bottom) for many or long category names.
void fillIntervalBars(QChart* chart, const QString& title, const QStringList& categories,
                      const QStringList& series,
                      const std::vector<std::vector<IntervalValue>>& values, const QString& yTitle,
                      bool horizontal = false);

// Users scored by both models, paired by user: (value under a, value under b).
std::vector<std::pair<double, double>> pairedUserValues(const ModelResult& a, const ModelResult& b,
                                                        const std::string& metric);

void fillScatter(QChart* chart, const Comparison& c, int a, int b, const std::string& metric);
void fillHistogram(QChart* chart, const Comparison& c, const std::string& metric, int bins = 20);
void fillActivitySegments(QChart* chart, const Comparison& c);
void fillPopularityTiers(QChart* chart, const Comparison& c);
// Users by gender, age group or occupation (releases with a user file), each model's primary
// metric; labels carry the segment's users, starred below kSmallSegmentUnits; occupations come
// largest first (from the top) as horizontal bars.
void fillDemographicSegments(QChart* chart, const Comparison& c, DemographicDimension dimension);
void fillGenderSegments(QChart* chart, const Comparison& c);
void fillAgeSegments(QChart* chart, const Comparison& c);
void fillOccupationSegments(QChart* chart, const Comparison& c);
void fillBeyondAccuracy(QChart* chart, const Comparison& c);
void fillProtocols(QChart* chart, const Comparison& c);

// Per-user metrics every model of `c` has (PerUserMetrics columns, in column order).
QStringList perUserMetricNames(const Comparison& c);

// "The sampled and full protocols order every pair alike." or one sentence per disagreement
// (rich text); empty when a protocol was not computed.
QString protocolNote(const Comparison& c);

}  // namespace lens::ui
