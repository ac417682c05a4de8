#include "map/MovieMapFigure.h"

#include <QFontInfo>
#include <QFontMetricsF>
#include <QGuiApplication>
#include <QLocale>
#include <QPainter>
#include <QPainterPath>
#include <algorithm>
#include <cmath>

namespace lens::ui {

namespace {

constexpr double kFitMargin = 0.95;
constexpr int kLegendMargin = 8;

// A qualitative palette (Tableau 20 order, strong colours first) for up to 20 categories;
// further categories get golden-angle hues.
constexpr QRgb kPalette[] = {0x1f77b4, 0xff7f0e, 0x2ca02c, 0xd62728, 0x9467bd, 0x8c564b, 0xe377c2,
                             0x7f7f7f, 0xbcbd22, 0x17becf, 0xaec7e8, 0xffbb78, 0x98df8a, 0xff9896,
                             0xc5b0d5, 0xc49c94, 0xf7b6d2, 0xc7c7c7, 0xdbdb8d, 0x9edae5};

}  // namespace

MovieMapFigure::MovieMapFigure()
    : font_(pixelFont(QGuiApplication::font())), figureTitle_(tr("Movie map")) {
    overlays_.resize(OverlaySlotCount);
}

QColor MovieMapFigure::defaultCategoryColor(int category) {
    constexpr int paletteSize = static_cast<int>(std::size(kPalette));
    if (category >= 0 && category < paletteSize) return QColor::fromRgb(kPalette[category]);
    const int hue = static_cast<int>(std::fmod(std::abs(category) * 137.508, 360.0));
    return QColor::fromHsv(hue, 200, 220);
}

QFont MovieMapFigure::pixelFont(const QFont& base) {
    QFont f = base;
    f.setPixelSize(std::max(9, QFontInfo(base).pixelSize()));
    return f;
}

QPalette MovieMapFigure::exportPalette(const QPalette& screen) {
    QPalette light = screen;
    for (const auto role : {QPalette::Base, QPalette::Window})
        light.setColor(QPalette::All, role, Qt::white);
    for (const auto role : {QPalette::Text, QPalette::WindowText})
        light.setColor(QPalette::All, role, Qt::black);
    light.setColor(QPalette::Disabled, QPalette::WindowText, QColor(0x90, 0x90, 0x90));
    light.setColor(QPalette::All, QPalette::Mid, QColor(0xa0, 0xa0, 0xa0));
    return light;
}

// ---- data and filters ----------------------------------------------------------------------

void MovieMapFigure::setPoints(std::vector<QPointF> positions, std::vector<int> categories) {
    categories.resize(positions.size(), -1);
    positions_ = std::move(positions);
    pointCategories_ = std::move(categories);
    weights_.clear();
    minimumWeight_ = 0.0;
    for (auto& overlay : overlays_) overlay.indices.clear();
    highlighted_ = -1;
    int maxCategory = static_cast<int>(categories_.size()) - 1;
    for (int c : pointCategories_) maxCategory = std::max(maxCategory, c);
    categoryCounts_.assign(static_cast<std::size_t>(maxCategory + 1), 0);
    for (int c : pointCategories_)
        if (c >= 0) ++categoryCounts_[static_cast<std::size_t>(c)];
    categoryVisible_.resize(static_cast<std::size_t>(maxCategory + 1), true);
    bounds_ = computeBounds();
    refreshShown();
}

void MovieMapFigure::setCategories(const QList<Category>& categories) {
    categories_ = categories;
    if (categoryVisible_.size() < static_cast<std::size_t>(categories_.size()))
        categoryVisible_.resize(static_cast<std::size_t>(categories_.size()), true);
    if (categoryCounts_.size() < static_cast<std::size_t>(categories_.size()))
        categoryCounts_.resize(static_cast<std::size_t>(categories_.size()), 0);
}

QPointF MovieMapFigure::pointPosition(int index) const {
    return index >= 0 && index < pointCount() ? positions_[static_cast<std::size_t>(index)]
                                              : QPointF();
}

int MovieMapFigure::pointCategory(int index) const {
    return index >= 0 && index < pointCount() ? pointCategories_[static_cast<std::size_t>(index)]
                                              : -1;
}

QColor MovieMapFigure::categoryColor(int category) const {
    if (category >= 0 && category < categories_.size() && categories_[category].color.isValid())
        return categories_[category].color;
    if (category < 0) return QColor(0x9a, 0x9a, 0x9a);
    return defaultCategoryColor(category);
}

QString MovieMapFigure::categoryLabel(int category) const {
    const QString name = category < categories_.size() ? categories_[category].name
                                                       : tr("Category %1").arg(category);
    return QStringLiteral("%1 (%2)").arg(
        name, QLocale().toString(categoryCounts_[static_cast<std::size_t>(category)]));
}

bool MovieMapFigure::setCategoryVisible(int category, bool visible) {
    if (category < 0 || category >= static_cast<int>(categoryVisible_.size())) return false;
    if (categoryVisible_[static_cast<std::size_t>(category)] == visible) return false;
    categoryVisible_[static_cast<std::size_t>(category)] = visible;
    refreshShown();
    return true;
}

bool MovieMapFigure::isCategoryVisible(int category) const {
    if (category < 0 || category >= static_cast<int>(categoryVisible_.size())) return true;
    return categoryVisible_[static_cast<std::size_t>(category)];
}

void MovieMapFigure::setPointWeights(std::vector<float> weights) {
    if (!weights.empty()) weights.resize(positions_.size(), 0.0F);
    weights_ = std::move(weights);
    refreshShown();
}

void MovieMapFigure::setMinimumWeight(double minimum) {
    minimumWeight_ = minimum;
    refreshShown();
}

bool MovieMapFigure::isPointShown(int index) const {
    return index >= 0 && index < pointCount() && shown_[static_cast<std::size_t>(index)] != 0;
}

void MovieMapFigure::refreshShown() {
    shown_.assign(positions_.size(), 0);
    shownCount_ = 0;
    for (std::size_t i = 0; i < positions_.size(); ++i) {
        const bool weightOk = weights_.empty() || weights_[i] >= minimumWeight_;
        const bool show = weightOk && isCategoryVisible(pointCategories_[i]);
        shown_[i] = show ? 1 : 0;
        shownCount_ += show ? 1 : 0;
    }
}

QRectF MovieMapFigure::computeBounds() const {
    if (positions_.empty()) return {-1.0, -1.0, 2.0, 2.0};
    double minX = positions_[0].x(), maxX = minX, minY = positions_[0].y(), maxY = minY;
    for (const QPointF& p : positions_) {
        minX = std::min(minX, p.x());
        maxX = std::max(maxX, p.x());
        minY = std::min(minY, p.y());
        maxY = std::max(maxY, p.y());
    }
    QRectF bounds(QPointF(minX, minY), QPointF(maxX, maxY));
    if (bounds.width() <= 0.0) bounds.adjust(-0.5, 0.0, 0.5, 0.0);
    if (bounds.height() <= 0.0) bounds.adjust(0.0, -0.5, 0.0, 0.5);
    return bounds;
}

// ---- overlays ------------------------------------------------------------------------------

void MovieMapFigure::setOverlay(int slot, Overlay overlay) {
    if (slot < 0) return;
    if (slot >= static_cast<int>(overlays_.size()))
        overlays_.resize(static_cast<std::size_t>(slot) + 1);
    std::erase_if(overlay.indices, [this](int i) { return i < 0 || i >= pointCount(); });
    overlays_[static_cast<std::size_t>(slot)] = std::move(overlay);
}

void MovieMapFigure::clearOverlay(int slot) {
    if (slot < 0 || slot >= static_cast<int>(overlays_.size())) return;
    overlays_[static_cast<std::size_t>(slot)] = Overlay{};
}

MovieMapFigure::Overlay MovieMapFigure::overlay(int slot) const {
    if (slot < 0 || slot >= static_cast<int>(overlays_.size())) return {};
    return overlays_[static_cast<std::size_t>(slot)];
}

void MovieMapFigure::setHighlighted(int index) {
    highlighted_ = index >= 0 && index < pointCount() ? index : -1;
}

void MovieMapFigure::setPointRadius(double pixels) {
    pointRadius_ = std::clamp(pixels, 0.5, 20.0);
}

// ---- geometry ------------------------------------------------------------------------------

double MovieMapFigure::fitScale(const QSizeF& size) const {
    const double w = std::max(1.0, size.width()), h = std::max(1.0, size.height());
    return std::min(w / bounds_.width(), h / bounds_.height()) * kFitMargin;
}

MovieMapFigure::Transform MovieMapFigure::fittedTransform(const QSizeF& size) const {
    return {bounds_.center(), fitScale(size), size};
}

QRectF MovieMapFigure::legendLayout(const QRectF& area, std::vector<QRectF>* categoryRows,
                                    std::vector<QRectF>* overlayRows) const {
    const QFontMetricsF metrics(font_);
    const double rowHeight = std::ceil(metrics.height() + 4.0);
    const double swatch = 16.0;
    double textWidth = 0.0;
    int rows = 0;
    const auto categoryCount = static_cast<int>(categoryCounts_.size());
    for (int c = 0; c < categoryCount; ++c) {
        if (categoryCounts_[static_cast<std::size_t>(c)] == 0) continue;
        textWidth = std::max(textWidth, metrics.horizontalAdvance(categoryLabel(c)));
        ++rows;
    }
    for (const Overlay& overlay : overlays_)
        if (!overlay.indices.empty()) {
            textWidth = std::max(textWidth, metrics.horizontalAdvance(overlay.label));
            ++rows;
        }
    if (rows == 0) return {};
    const double width = swatch + 6.0 + textWidth + 12.0;
    const double height = rows * rowHeight + 8.0;
    const QRectF box(area.right() - kLegendMargin - width, area.top() + kLegendMargin, width,
                     height);
    double y = box.top() + 4.0;
    if (categoryRows) categoryRows->assign(static_cast<std::size_t>(categoryCount), QRectF());
    for (int c = 0; c < categoryCount; ++c) {
        if (categoryCounts_[static_cast<std::size_t>(c)] == 0) continue;
        if (categoryRows)
            (*categoryRows)[static_cast<std::size_t>(c)] =
                QRectF(box.left() + 2, y, width - 4, rowHeight);
        y += rowHeight;
    }
    if (overlayRows) overlayRows->assign(overlays_.size(), QRectF());
    for (std::size_t o = 0; o < overlays_.size(); ++o)
        if (!overlays_[o].indices.empty()) {
            if (overlayRows) (*overlayRows)[o] = QRectF(box.left() + 2, y, width - 4, rowHeight);
            y += rowHeight;
        }
    return box;
}

// ---- painting ------------------------------------------------------------------------------

void MovieMapFigure::paintOverlays(QPainter& painter, const Transform& transform,
                                   const QPalette& colours) const {
    const QRectF area(QPointF(0, 0), transform.size);
    for (const Overlay& overlay : overlays_) {
        if (overlay.indices.empty()) continue;
        const QColor colour =
            overlay.color.isValid() ? overlay.color : colours.color(QPalette::Text);
        const double size = pointRadius_ + 3.5;
        for (int index : overlay.indices) {
            const QPointF p = transform.map(positions_[static_cast<std::size_t>(index)]);
            if (!area.adjusted(-10, -10, 10, 10).contains(p)) continue;
            if (overlay.marker == Marker::Ring) {
                painter.setPen(QPen(colour, 1.8));
                painter.setBrush(Qt::NoBrush);
                painter.drawEllipse(p, size, size);
            } else {
                QPainterPath diamond;
                diamond.moveTo(p + QPointF(0, -size - 1));
                diamond.lineTo(p + QPointF(size + 1, 0));
                diamond.lineTo(p + QPointF(0, size + 1));
                diamond.lineTo(p + QPointF(-size - 1, 0));
                diamond.closeSubpath();
                painter.setPen(QPen(colours.color(QPalette::Base), 1.0));
                painter.setBrush(colour);
                painter.drawPath(diamond);
            }
        }
    }
    if (highlighted_ >= 0) {
        const QPointF p = transform.map(positions_[static_cast<std::size_t>(highlighted_)]);
        const QColor colour = colours.color(QPalette::Highlight);
        painter.setBrush(Qt::NoBrush);
        painter.setPen(QPen(colours.color(QPalette::Base), 4.0));
        painter.drawEllipse(p, 11.0, 11.0);
        painter.setPen(QPen(colour, 2.0));
        painter.drawEllipse(p, 11.0, 11.0);
        painter.drawLine(p + QPointF(-18, 0), p + QPointF(-13, 0));
        painter.drawLine(p + QPointF(13, 0), p + QPointF(18, 0));
        painter.drawLine(p + QPointF(0, -18), p + QPointF(0, -13));
        painter.drawLine(p + QPointF(0, 13), p + QPointF(0, 18));
    }
}

void MovieMapFigure::paintLegend(QPainter& painter, const QRectF& area,
                                 const QPalette& colours) const {
    std::vector<QRectF> categoryRows, overlayRows;
    const QRectF box = legendLayout(area, &categoryRows, &overlayRows);
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
    for (std::size_t c = 0; c < categoryRows.size(); ++c) {
        const QRectF row = categoryRows[c];
        if (row.isEmpty()) continue;
        const auto category = static_cast<int>(c);
        const bool visible = isCategoryVisible(category);
        const QRectF swatch(row.left() + 4, row.center().y() - 5, 10, 10);
        if (visible) {
            painter.setPen(Qt::NoPen);
            painter.setBrush(categoryColor(category));
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

void MovieMapFigure::paintScene(QPainter& painter, const Transform& transform,
                                const QPalette& colours) const {
    const QRectF mapArea(QPointF(0, 0), transform.size);
    painter.save();
    painter.fillRect(mapArea, colours.color(QPalette::Base));
    painter.setClipRect(mapArea);
    painter.setRenderHint(QPainter::Antialiasing, false);
    painter.setPen(Qt::NoPen);
    // Vector points: one batch of small squares per category, in the screen stamp's size.
    const double side = std::max(1.0, 2.0 * pointRadius_ - 1.0);
    std::vector<QList<QRectF>> batches(categoryCounts_.size() + 1);
    const QRectF visible = mapArea.adjusted(-side, -side, side, side);
    for (std::size_t i = 0; i < positions_.size(); ++i) {
        if (!shown_[i]) continue;
        const QPointF p = transform.map(positions_[i]);
        if (!visible.contains(p)) continue;
        const int c = pointCategories_[i];
        batches[c >= 0 ? static_cast<std::size_t>(c) : batches.size() - 1].append(
            QRectF(p.x() - side / 2.0, p.y() - side / 2.0, side, side));
    }
    for (std::size_t c = 0; c < batches.size(); ++c) {
        if (batches[c].isEmpty()) continue;
        painter.setBrush(categoryColor(c + 1 == batches.size() ? -1 : static_cast<int>(c)));
        painter.drawRects(batches[c].constData(), static_cast<int>(batches[c].size()));
    }
    painter.setRenderHint(QPainter::Antialiasing, true);
    paintOverlays(painter, transform, colours);
    if (legendVisible_) paintLegend(painter, mapArea, colours);
    painter.restore();
}

void MovieMapFigure::paintFigure(QPainter& painter, const QRectF& target) const {
    painter.save();
    painter.translate(target.topLeft());
    paintScene(painter, fittedTransform(target.size()), exportPalette(QGuiApplication::palette()));
    painter.restore();
}

}  // namespace lens::ui
