// The movie map figure's legend: its layout (title, category rows, overlay rows, colour bar)
// and its painting. Part of MovieMapFigure (MovieMapFigure.h), split from MovieMapFigure.cpp.
#include <QFontMetricsF>
#include <QLocale>
#include <QPainter>
#include <QPainterPath>
#include <algorithm>
#include <cmath>

#include "map/MovieMapFigure.h"
#include "map/MovieMapStyle.h"

namespace lens::ui {

using moviemap::kLegendMargin;
using moviemap::kViridis;

QRectF MovieMapFigure::legendLayout(const QRectF& area, std::vector<QRectF>* categoryRows,
                                    std::vector<QRectF>* overlayRows) const {
    LegendParts parts = legendParts(area);
    if (categoryRows) *categoryRows = std::move(parts.categoryRows);
    if (overlayRows) *overlayRows = std::move(parts.overlayRows);
    return parts.box;
}

MovieMapFigure::LegendParts MovieMapFigure::legendParts(const QRectF& area) const {
    LegendParts parts;
    const QFontMetricsF metrics(font_);
    QFont bold = font_;
    bold.setBold(true);
    const double rowHeight = std::ceil(metrics.height() + 4.0);
    const double swatch = 16.0;
    const bool continuous = !values_.empty();
    const auto categoryCount = static_cast<int>(categoryCounts_.size());
    // The widest content of any row, and whether there is anything to list.
    double content = 0.0;
    bool any = false;
    if (!legendTitle_.isEmpty()) {
        content = QFontMetricsF(bold).horizontalAdvance(legendTitle_) + 4.0;
        any = true;
    }
    if (continuous) {
        const std::vector<ColourBarTick> ticks = colourBarTicks();
        double labels = 0.0;
        for (const ColourBarTick& tick : ticks)
            labels += metrics.horizontalAdvance(tick.label) + 12.0;
        content = std::max({content, 180.0 + 8.0, labels + 8.0});
        if (missingCount_ > 0)
            content = std::max(content, swatch + 6.0 + metrics.horizontalAdvance(missingLabel()));
        any = true;
    } else {
        for (int c = 0; c < categoryCount; ++c) {
            if (categoryCounts_[static_cast<std::size_t>(c)] == 0) continue;
            content = std::max(content, swatch + 6.0 + metrics.horizontalAdvance(categoryLabel(c)));
            any = true;
        }
    }
    for (const Overlay& overlay : overlays_)
        if (!overlay.indices.empty()) {
            content = std::max(content, swatch + 6.0 + metrics.horizontalAdvance(overlay.label));
            any = true;
        }
    if (!any) return parts;
    const double width = content + 12.0;
    const double left = area.right() - kLegendMargin - width, top = area.top() + kLegendMargin;
    const auto row = [&](double y) { return QRectF(left + 2, y, width - 4, rowHeight); };
    double y = top + 4.0;
    if (!legendTitle_.isEmpty()) {
        parts.title = row(y);
        y += rowHeight;
    }
    parts.categoryRows.assign(static_cast<std::size_t>(categoryCount), QRectF());
    if (continuous) {
        parts.colourBar = QRectF(left + 8, y + 2, width - 16, 12);
        y += 16.0;
        parts.colourBarLabels = QRectF(left + 8, y, width - 16, rowHeight);
        y += rowHeight;
        if (missingCount_ > 0) {
            parts.missing = row(y);
            y += rowHeight;
        }
    } else {
        for (int c = 0; c < categoryCount; ++c) {
            if (categoryCounts_[static_cast<std::size_t>(c)] == 0) continue;
            parts.categoryRows[static_cast<std::size_t>(c)] = row(y);
            y += rowHeight;
        }
    }
    parts.overlayRows.assign(overlays_.size(), QRectF());
    for (std::size_t o = 0; o < overlays_.size(); ++o)
        if (!overlays_[o].indices.empty()) {
            parts.overlayRows[o] = row(y);
            y += rowHeight;
        }
    parts.box = QRectF(left, top, width, y + 4.0 - top);
    return parts;
}

void MovieMapFigure::paintLegend(QPainter& painter, const QRectF& area,
                                 const QPalette& colours) const {
    const LegendParts parts = legendParts(area);
    const QRectF box = parts.box;
    const std::vector<QRectF>& categoryRows = parts.categoryRows;
    const std::vector<QRectF>& overlayRows = parts.overlayRows;
    if (box.isEmpty()) return;
    painter.save();
    painter.setFont(font_);
    QColor background = colours.color(QPalette::Window);
    background.setAlpha(225);
    painter.setPen(QPen(colours.color(QPalette::Mid), 1.0));
    painter.setBrush(background);
    painter.drawRoundedRect(box, 4, 4);
    const QColor text = colours.color(QPalette::WindowText);
    const QColor dimmed = colours.color(QPalette::Disabled, QPalette::WindowText);
    if (!parts.title.isEmpty()) {
        QFont bold = font_;
        bold.setBold(true);
        painter.setFont(bold);
        painter.setPen(text);
        painter.drawText(parts.title.adjusted(2, 0, 0, 0), Qt::AlignVCenter | Qt::AlignLeft,
                         legendTitle_);
        painter.setFont(font_);
    }
    if (!parts.colourBar.isEmpty()) {
        // The bar: the scale's anchors as gradient stops (the same linear RGB interpolation as
        // the points' colours), a tick and a label per round value, the ends labelled with the
        // range.
        const QRectF bar = parts.colourBar;
        QLinearGradient gradient(bar.topLeft(), bar.topRight());
        constexpr int anchors = static_cast<int>(std::size(kViridis));
        for (int i = 0; i < anchors; ++i)
            gradient.setColorAt(static_cast<double>(i) / (anchors - 1),
                                QColor::fromRgb(kViridis[i]));
        painter.setPen(Qt::NoPen);
        painter.setBrush(gradient);
        painter.drawRect(bar);
        const QFontMetricsF metrics(font_);
        const std::vector<ColourBarTick> ticks = colourBarTicks();
        for (std::size_t t = 0; t < ticks.size(); ++t) {
            const double x = bar.left() + ticks[t].position * bar.width();
            painter.setPen(QPen(text, 1.0));
            painter.drawLine(QPointF(x, bar.bottom()), QPointF(x, bar.bottom() + 3.0));
            const double w = metrics.horizontalAdvance(ticks[t].label);
            double labelLeft = x - w / 2.0;
            if (t == 0) labelLeft = bar.left();
            if (t + 1 == ticks.size() && ticks[t].position >= 1.0) labelLeft = bar.right() - w;
            painter.drawText(QRectF(labelLeft, parts.colourBarLabels.top() + 1.0, w + 1.0,
                                    parts.colourBarLabels.height()),
                             Qt::AlignVCenter | Qt::AlignLeft, ticks[t].label);
        }
    }
    if (!parts.missing.isEmpty()) {
        const QRectF row = parts.missing;
        painter.setPen(Qt::NoPen);
        painter.setBrush(mutedColor(colours));
        painter.drawRect(QRectF(row.left() + 4, row.center().y() - 5, 10, 10));
        painter.setPen(text);
        painter.drawText(row.adjusted(20, 0, 0, 0), Qt::AlignVCenter | Qt::AlignLeft,
                         missingLabel());
    }
    for (std::size_t c = 0; c < categoryRows.size(); ++c) {
        const QRectF row = categoryRows[c];
        if (row.isEmpty()) continue;
        const auto category = static_cast<int>(c);
        const bool visible = isCategoryVisible(category);
        const QRectF swatch(row.left() + 4, row.center().y() - 5, 10, 10);
        if (visible) {
            painter.setPen(Qt::NoPen);
            painter.setBrush(category < categories_.size() && categories_[category].muted
                                 ? mutedColor(colours)
                                 : categoryColor(category));
        } else {
            painter.setPen(QPen(dimmed, 1.0));
            painter.setBrush(Qt::NoBrush);
        }
        painter.drawRect(swatch);
        QFont f = painter.font();
        f.setStrikeOut(!visible);
        painter.setFont(f);
        painter.setPen(visible ? text : dimmed);
        painter.drawText(row.adjusted(20, 0, 0, 0), Qt::AlignVCenter | Qt::AlignLeft,
                         categoryLabel(category));
        f.setStrikeOut(false);
        painter.setFont(f);
    }
    for (std::size_t o = 0; o < overlayRows.size(); ++o) {
        const QRectF row = overlayRows[o];
        if (row.isEmpty()) continue;
        const Overlay& overlay = overlays_[o];
        const QColor colour = overlay.color.isValid() ? overlay.color : text;
        const QPointF centre(row.left() + 9, row.center().y());
        if (overlay.marker == Marker::Ring) {
            painter.setPen(QPen(colour, 1.8));
            painter.setBrush(Qt::NoBrush);
            painter.drawEllipse(centre, 4.5, 4.5);
        } else {
            painter.setPen(Qt::NoPen);
            painter.setBrush(colour);
            painter.drawPolygon(QPolygonF({centre + QPointF(0, -5.5), centre + QPointF(5.5, 0),
                                           centre + QPointF(0, 5.5), centre + QPointF(-5.5, 0)}));
        }
        painter.setPen(text);
        painter.drawText(row.adjusted(20, 0, 0, 0), Qt::AlignVCenter | Qt::AlignLeft,
                         QStringLiteral("%1 (%2)").arg(overlay.label).arg(overlay.indices.size()));
    }
    painter.restore();
}

}  // namespace lens::ui
