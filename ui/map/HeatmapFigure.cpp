#include "map/HeatmapFigure.h"

#include <QFontMetricsF>
#include <QGuiApplication>
#include <QLocale>
#include <QPainter>
#include <QPalette>
#include <algorithm>
#include <cmath>

namespace lens::ui {
namespace {

constexpr double kColourBarWidth = 14.0;
constexpr double kHeatmapGap = 8.0;

QColor mix(const QColor& a, const QColor& b, double t) {
    t = std::clamp(t, 0.0, 1.0);
    return QColor::fromRgbF(static_cast<float>(a.redF() + (b.redF() - a.redF()) * t),
                            static_cast<float>(a.greenF() + (b.greenF() - a.greenF()) * t),
                            static_cast<float>(a.blueF() + (b.blueF() - a.blueF()) * t));
}

}  // namespace

HeatmapFigure::HeatmapFigure() : figureTitle_(tr("Similarity heat map")) {}

void HeatmapFigure::setMatrix(const QStringList& labels, std::vector<double> values) {
    const auto n = static_cast<std::size_t>(labels.size());
    if (values.size() != n * n) {
        labels_.clear();
        values_.clear();
    } else {
        labels_ = labels;
        values_ = std::move(values);
    }
}

void HeatmapFigure::setRange(double minimum, double maximum) {
    if (!(maximum > minimum)) return;
    minimum_ = minimum;
    maximum_ = maximum;
}

double HeatmapFigure::value(int row, int column) const {
    if (row < 0 || column < 0 || row >= dimension() || column >= dimension()) return 0.0;
    return values_[static_cast<std::size_t>(row) * static_cast<std::size_t>(dimension()) +
                   static_cast<std::size_t>(column)];
}

QColor HeatmapFigure::colourFor(double v, const QColor& middle) const {
    const QColor low(0x2b, 0x6c, 0xb0), high(0xc0, 0x39, 0x2b);
    const double t = (v - minimum_) / (maximum_ - minimum_);  // 0..1
    return t < 0.5 ? mix(low, middle, t * 2.0) : mix(middle, high, (t - 0.5) * 2.0);
}

QRectF HeatmapFigure::gridRectIn(const QRectF& area, const QFont& font) const {
    if (labels_.isEmpty()) return {};
    const QFontMetricsF metrics(font);
    double labelWidth = 0.0;
    for (const QString& label : labels_)
        labelWidth = std::max(labelWidth, metrics.horizontalAdvance(label));
    const double left = area.left() + labelWidth + kHeatmapGap;
    const double top = area.top() + labelWidth + kHeatmapGap;  // column labels stand upright
    const double available = std::min(area.right() - left - kHeatmapGap * 3 - kColourBarWidth -
                                          metrics.horizontalAdvance(QStringLiteral("-1.00")),
                                      area.bottom() - top - kHeatmapGap);
    const double cell = std::max(1.0, std::floor(available / dimension()));
    return {left, top, cell * dimension(), cell * dimension()};
}

void HeatmapFigure::paintFigure(QPainter& painter, const QRectF& target) const {
    paintFigure(painter, target, QGuiApplication::font(), QGuiApplication::palette());
}

void HeatmapFigure::paintFigure(QPainter& painter, const QRectF& target, const QFont& font,
                                const QPalette& screen) const {
    const QPalette colours = [&screen] {
        QPalette light = screen;
        light.setColor(QPalette::Base, Qt::white);
        light.setColor(QPalette::Window, Qt::white);
        light.setColor(QPalette::WindowText, Qt::black);
        return light;
    }();
    painter.save();
    painter.fillRect(target, Qt::white);
    QFont titleFont = font;
    titleFont.setPixelSize(16);
    titleFont.setBold(true);
    const double titleHeight = std::ceil(QFontMetricsF(titleFont).height() * 1.6);
    painter.setFont(titleFont);
    painter.setPen(Qt::black);
    painter.drawText(QRectF(target.left(), target.top(), target.width(), titleHeight),
                     Qt::AlignCenter, figureTitle_);
    QFont labelFont = font;
    labelFont.setPixelSize(12);
    painter.setFont(labelFont);
    paintMap(painter, target.adjusted(kHeatmapGap, titleHeight, -kHeatmapGap, -kHeatmapGap),
             colours);
    painter.restore();
}

void HeatmapFigure::paintMap(QPainter& painter, const QRectF& area, const QPalette& colours,
                             QPoint hovered) const {
    if (labels_.isEmpty()) return;
    const QFont font = painter.font();
    const QRectF grid = gridRectIn(area, font);
    const double cell = grid.width() / dimension();
    const QColor middle = colours.color(QPalette::Base);
    for (int r = 0; r < dimension(); ++r)
        for (int c = 0; c < dimension(); ++c)
            painter.fillRect(QRectF(grid.left() + c * cell, grid.top() + r * cell, cell, cell),
                             colourFor(value(r, c), middle));
    painter.setPen(colours.color(QPalette::WindowText));
    for (int i = 0; i < dimension(); ++i) {
        painter.drawText(QRectF(area.left(), grid.top() + i * cell,
                                grid.left() - area.left() - kHeatmapGap / 2, cell),
                         Qt::AlignRight | Qt::AlignVCenter, labels_[i]);
        painter.save();
        painter.translate(grid.left() + i * cell, grid.top() - kHeatmapGap / 2);
        painter.rotate(-90);
        painter.drawText(QRectF(0, 0, grid.top() - area.top(), cell),
                         Qt::AlignLeft | Qt::AlignVCenter, labels_[i]);
        painter.restore();
    }
    if (hovered.x() >= 0 && hovered.x() < dimension() && hovered.y() < dimension()) {
        painter.setPen(QPen(colours.color(QPalette::WindowText), 2.0));
        painter.setBrush(Qt::NoBrush);
        painter.drawRect(
            QRectF(grid.left() + hovered.x() * cell, grid.top() + hovered.y() * cell, cell, cell)
                .adjusted(1, 1, -1, -1));
    }
    // Colour bar with its end values.
    const QRectF bar(grid.right() + kHeatmapGap * 2, grid.top(), kColourBarWidth, grid.height());
    const int steps = std::max(2, static_cast<int>(bar.height()));
    for (int s = 0; s < steps; ++s) {
        const double v = maximum_ - (maximum_ - minimum_) * s / (steps - 1);
        painter.fillRect(QRectF(bar.left(), bar.top() + s * bar.height() / steps, bar.width(),
                                bar.height() / steps + 1),
                         colourFor(v, middle));
    }
    painter.setPen(colours.color(QPalette::WindowText));
    const QLocale locale;
    painter.drawText(QPointF(bar.right() + 4, bar.top() + QFontMetricsF(font).ascent()),
                     locale.toString(maximum_, 'f', 2));
    painter.drawText(QPointF(bar.right() + 4, bar.bottom()), locale.toString(minimum_, 'f', 2));
}

}  // namespace lens::ui
