#pragma once
// The building blocks every Explore chart is made of (internal to ui/explore): the series
// colours, number formats for titles and captions, a titled chart, line and scatter series, log
// axes snapped to whole decades (see decadeRange in ExploreFigures.h), linear and count axes, and
// vertical marker lines. The charts themselves live in ExploreDegreeCharts, ExploreRatingCharts
// and ExploreGenreChart; ExploreFigures.h is the public entry point.
#include <QColor>
#include <QList>
#include <QPointF>
#include <QString>
#include <cstdint>
#include <vector>

#include "explore/ExploreFigures.h"

class QAbstractAxis;
class QAbstractSeries;
class QLineSeries;
class QLogValueAxis;
class QScatterSeries;
class QValueAxis;

namespace lens::ui::explore {

// Series colours (Tableau 10): users blue, movies orange; a chart's own colours, not the
// widget palette, so exports on white look the same on every theme.
inline const QColor kUsersColour(0x1f, 0x77, 0xb4);
inline const QColor kMoviesColour(0xff, 0x7f, 0x0e);
inline const QColor kBarColour(0x4c, 0x72, 0xb0);
inline const QColor kSecondBarColour(0xdd, 0x84, 0x52);
inline const QColor kMeanColour(0xc4, 0x4e, 0x52);
inline const QColor kMedianColour(0x2c, 0xa0, 0x2c);
inline const QColor kReferenceColour(0x80, 0x80, 0x80);

// "12,345" (English grouping), "3.14", "12.5 %".
QString grouped(std::uint64_t value);
QString fixed(double value, int decimals);
QString percent(double share, int decimals = 1);

// "What — dataset" (just "What" without a dataset name).
QString titled(const QString& what, const QString& datasetName);

// A new chart with a bold title, the legend at the bottom and no animation.
QChart* newChart(const QString& title);

// Points with both coordinates positive (the only ones a log-log chart can place).
QList<QPointF> positivePoints(const std::vector<XY>& xy);

QLineSeries* lineSeries(const QString& name, const QList<QPointF>& points, const QColor& colour,
                        Qt::PenStyle style = Qt::SolidLine, double width = 2.0);
QScatterSeries* scatterSeries(const QString& name, const QList<QPointF>& points,
                              const QColor& colour);

// The whole decades around the x (or y) values of every point of `sets`.
DecadeRange rangeOf(const QList<QList<QPointF>>& sets, bool xAxis);
QLogValueAxis* logAxis(const QString& title, DecadeRange range);
QValueAxis* valueAxis(const QString& title, double lo, double hi, const QString& format);
// A count axis from 0 to a little above `peak`, with round ticks.
QValueAxis* countAxis(const QString& title, double peak);

// Adds `series` to `chart` on axes `x` and `y`.
void attach(QChart* chart, QAbstractSeries* series, QAbstractAxis* x, QAbstractAxis* y);

// A vertical marker line from 0 to `top` at `x`, on the chart's hidden rating-unit axis.
void addMarker(QChart* chart, const QString& name, double x, double top, const QColor& colour,
               Qt::PenStyle style, QAbstractAxis* xAxis, QAbstractAxis* yAxis);

}  // namespace lens::ui::explore
