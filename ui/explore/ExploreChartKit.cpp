#include "explore/ExploreChartKit.h"

#include <QChart>
#include <QFont>
#include <QLegend>
#include <QLineSeries>
#include <QLocale>
#include <QLogValueAxis>
#include <QPen>
#include <QScatterSeries>
#include <QValueAxis>
#include <algorithm>
#include <cmath>

namespace lens::ui::explore {

QString grouped(std::uint64_t value) {
    return QLocale(QLocale::English).toString(static_cast<qulonglong>(value));
}
QString fixed(double value, int decimals) {
    return QString::number(value, 'f', decimals);
}
QString percent(double share, int decimals) {
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

QLineSeries* lineSeries(const QString& name, const QList<QPointF>& points, const QColor& colour,
                        Qt::PenStyle style, double width) {
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

}  // namespace lens::ui::explore
