#include "map/MovieMapView.h"

#include <QFontInfo>
#include <QFontMetricsF>
#include <QHelpEvent>
#include <QKeyEvent>
#include <QLocale>
#include <QMouseEvent>
#include <QPageSize>
#include <QPainter>
#include <QPainterPath>
#include <QPdfWriter>
#include <QSaveFile>
#include <QSvgGenerator>
#include <QToolTip>
#include <QWheelEvent>
#include <algorithm>
#include <cmath>

namespace lens::ui {

struct MovieMapView::Transform {
    QPointF centre;
    double scale = 1.0;
    QSizeF size;

    QPointF map(const QPointF& d) const {
        return {size.width() / 2.0 + (d.x() - centre.x()) * scale,
                size.height() / 2.0 - (d.y() - centre.y()) * scale};
    }
    QPointF unmap(const QPointF& w) const {
        return {centre.x() + (w.x() - size.width() / 2.0) / scale,
                centre.y() - (w.y() - size.height() / 2.0) / scale};
    }
};

namespace {

constexpr double kWheelStep = 1.2;
constexpr double kKeyZoomStep = 1.25;
constexpr double kFitMargin = 0.95;
constexpr double kHighlightZoom = 4.0;  // highlight() zooms to at least 4x the full view
constexpr int kLegendMargin = 8;

// A qualitative palette (Tableau 20 order, strong colours first) for up to 20 categories;
// further categories get golden-angle hues.
constexpr QRgb kPalette[] = {0x1f77b4, 0xff7f0e, 0x2ca02c, 0xd62728, 0x9467bd, 0x8c564b, 0xe377c2,
                             0x7f7f7f, 0xbcbd22, 0x17becf, 0xaec7e8, 0xffbb78, 0x98df8a, 0xff9896,
                             0xc5b0d5, 0xc49c94, 0xf7b6d2, 0xc7c7c7, 0xdbdb8d, 0x9edae5};

}  // namespace

MovieMapView::MovieMapView(QWidget* parent) : QWidget(parent) {
    setMouseTracking(true);
    setFocusPolicy(Qt::StrongFocus);
    setAttribute(Qt::WA_OpaquePaintEvent);
    setMinimumSize(200, 150);
    overlays_.resize(OverlaySlotCount);
    setAccessibleName(tr("Movie map"));
}

MovieMapView::~MovieMapView() = default;

QColor MovieMapView::defaultCategoryColor(int category) {
    constexpr int paletteSize = static_cast<int>(std::size(kPalette));
    if (category >= 0 && category < paletteSize) return QColor::fromRgb(kPalette[category]);
    const int hue = static_cast<int>(std::fmod(std::abs(category) * 137.508, 360.0));
    return QColor::fromHsv(hue, 200, 220);
}

// ---- data and filters ----------------------------------------------------------------------

void MovieMapView::setPoints(std::vector<QPointF> positions, std::vector<int> categories) {
    categories.resize(positions.size(), -1);
    positions_ = std::move(positions);
    pointCategories_ = std::move(categories);
    weights_.clear();
    minimumWeight_ = 0.0;
    for (auto& overlay : overlays_) overlay.indices.clear();
    highlighted_ = -1;
    hovered_ = -1;
    int maxCategory = static_cast<int>(categories_.size()) - 1;
    for (int c : pointCategories_) maxCategory = std::max(maxCategory, c);
    categoryCounts_.assign(static_cast<std::size_t>(maxCategory + 1), 0);
    for (int c : pointCategories_)
        if (c >= 0) ++categoryCounts_[static_cast<std::size_t>(c)];
    categoryVisible_.resize(static_cast<std::size_t>(maxCategory + 1), true);
    bounds_ = computeBounds();
    refreshShown();
    rebuildIndex();
    resetView();
}

void MovieMapView::setCategories(const QList<Category>& categories) {
    categories_ = categories;
    if (categoryVisible_.size() < static_cast<std::size_t>(categories_.size()))
        categoryVisible_.resize(static_cast<std::size_t>(categories_.size()), true);
    if (categoryCounts_.size() < static_cast<std::size_t>(categories_.size()))
        categoryCounts_.resize(static_cast<std::size_t>(categories_.size()), 0);
    invalidateLayer();
}

QPointF MovieMapView::pointPosition(int index) const {
    return index >= 0 && index < pointCount() ? positions_[static_cast<std::size_t>(index)]
                                              : QPointF();
}

int MovieMapView::pointCategory(int index) const {
    return index >= 0 && index < pointCount() ? pointCategories_[static_cast<std::size_t>(index)]
                                              : -1;
}

QColor MovieMapView::categoryColor(int category) const {
    if (category >= 0 && category < categories_.size() && categories_[category].color.isValid())
        return categories_[category].color;
    if (category < 0) return QColor(0x9a, 0x9a, 0x9a);
    return defaultCategoryColor(category);
}

void MovieMapView::setCategoryVisible(int category, bool visible) {
    if (category < 0 || category >= static_cast<int>(categoryVisible_.size())) return;
    if (categoryVisible_[static_cast<std::size_t>(category)] == visible) return;
    categoryVisible_[static_cast<std::size_t>(category)] = visible;
    refreshShown();
    emit categoryVisibilityChanged(category, visible);
}

bool MovieMapView::isCategoryVisible(int category) const {
    if (category < 0 || category >= static_cast<int>(categoryVisible_.size())) return true;
    return categoryVisible_[static_cast<std::size_t>(category)];
}

void MovieMapView::setPointWeights(std::vector<float> weights) {
    if (!weights.empty()) weights.resize(positions_.size(), 0.0F);
    weights_ = std::move(weights);
    refreshShown();
}

void MovieMapView::setMinimumWeight(double minimum) {
    minimumWeight_ = minimum;
    refreshShown();
}

bool MovieMapView::isPointShown(int index) const {
    return index >= 0 && index < pointCount() && shown_[static_cast<std::size_t>(index)] != 0;
}

void MovieMapView::refreshShown() {
    shown_.assign(positions_.size(), 0);
    shownCount_ = 0;
    for (std::size_t i = 0; i < positions_.size(); ++i) {
        const bool weightOk = weights_.empty() || weights_[i] >= minimumWeight_;
        const bool show = weightOk && isCategoryVisible(pointCategories_[i]);
        shown_[i] = show ? 1 : 0;
        shownCount_ += show ? 1 : 0;
    }
    if (hovered_ >= 0 && !isPointShown(hovered_)) setHovered(-1);
    invalidateLayer();
}

void MovieMapView::rebuildIndex() {
    gridBounds_ = dataBounds();
    const auto n = static_cast<double>(positions_.size());
    const int side = std::clamp(static_cast<int>(std::sqrt(n / 4.0)), 1, 1024);
    gridColumns_ = gridRows_ = side;
    // Pad so that the maximum falls inside the last cell.
    const double padX = gridBounds_.width() * 1e-6 + 1e-12,
                 padY = gridBounds_.height() * 1e-6 + 1e-12;
    gridBounds_.adjust(-padX, -padY, padX, padY);
    const auto cells = static_cast<std::size_t>(gridColumns_) * static_cast<std::size_t>(gridRows_);
    cellStart_.assign(cells + 1, 0);
    std::vector<int> cellOf(positions_.size());
    for (std::size_t i = 0; i < positions_.size(); ++i) {
        const int cx = std::clamp(static_cast<int>((positions_[i].x() - gridBounds_.left()) /
                                                   gridBounds_.width() * gridColumns_),
                                  0, gridColumns_ - 1);
        const int cy = std::clamp(static_cast<int>((positions_[i].y() - gridBounds_.top()) /
                                                   gridBounds_.height() * gridRows_),
                                  0, gridRows_ - 1);
        cellOf[i] = cy * gridColumns_ + cx;
        ++cellStart_[static_cast<std::size_t>(cellOf[i]) + 1];
    }
    for (std::size_t c = 0; c < cells; ++c) cellStart_[c + 1] += cellStart_[c];
    cellPoints_.assign(positions_.size(), 0);
    std::vector<int> fill(cellStart_.begin(), cellStart_.end() - 1);
    for (std::size_t i = 0; i < positions_.size(); ++i)
        cellPoints_[static_cast<std::size_t>(fill[static_cast<std::size_t>(cellOf[i])]++)] =
            static_cast<int>(i);
}

QRectF MovieMapView::computeBounds() const {
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

// ---- overlays, search, tooltips -------------------------------------------------------------

void MovieMapView::setOverlay(int slot, Overlay overlay) {
    if (slot < 0) return;
    if (slot >= static_cast<int>(overlays_.size()))
        overlays_.resize(static_cast<std::size_t>(slot) + 1);
    std::erase_if(overlay.indices, [this](int i) { return i < 0 || i >= pointCount(); });
    overlays_[static_cast<std::size_t>(slot)] = std::move(overlay);
    update();
}

void MovieMapView::clearOverlay(int slot) {
    if (slot < 0 || slot >= static_cast<int>(overlays_.size())) return;
    overlays_[static_cast<std::size_t>(slot)] = Overlay{};
    update();
}

MovieMapView::Overlay MovieMapView::overlay(int slot) const {
    if (slot < 0 || slot >= static_cast<int>(overlays_.size())) return {};
    return overlays_[static_cast<std::size_t>(slot)];
}

void MovieMapView::highlight(int index) {
    if (index < 0 || index >= pointCount()) {
        clearHighlight();
        return;
    }
    highlighted_ = index;
    centre_ = positions_[static_cast<std::size_t>(index)];
    scale_ = std::max(scale_, fitScale(size()) * kHighlightZoom);
    viewChanged();
}

void MovieMapView::clearHighlight() {
    highlighted_ = -1;
    update();
}

void MovieMapView::setTooltipProvider(TooltipProvider provider) {
    tooltipProvider_ = std::move(provider);
}

QString MovieMapView::tooltipText(int index) const {
    if (index < 0 || index >= pointCount()) return {};
    if (tooltipProvider_) return tooltipProvider_(index);
    return tr("Point %1").arg(index);
}

// ---- view -------------------------------------------------------------------------------------

double MovieMapView::fitScale(const QSizeF& size) const {
    const QRectF bounds = dataBounds();
    const double w = std::max(1.0, size.width()), h = std::max(1.0, size.height());
    return std::min(w / bounds.width(), h / bounds.height()) * kFitMargin;
}

MovieMapView::Transform MovieMapView::widgetTransform() const {
    return {centre_, scale_, QSizeF(size())};
}

MovieMapView::Transform MovieMapView::fittedTransform(const QSizeF& target) const {
    // Keep what the widget shows: same centre, scaled so the visible rect fits the target.
    if (width() <= 1 || height() <= 1) return {dataBounds().center(), fitScale(target), target};
    const double factor = std::min(target.width() / width(), target.height() / height());
    return {centre_, scale_ * factor, target};
}

QPointF MovieMapView::mapToWidget(const QPointF& data) const {
    return widgetTransform().map(data);
}

QPointF MovieMapView::mapToData(const QPointF& widget) const {
    return widgetTransform().unmap(widget);
}

QRectF MovieMapView::visibleDataRect() const {
    const Transform t = widgetTransform();
    return QRectF(t.unmap(QPointF(0, height())), t.unmap(QPointF(width(), 0))).normalized();
}

void MovieMapView::setVisibleDataRect(const QRectF& rect) {
    const QRectF r = rect.normalized();
    if (r.width() <= 0.0 || r.height() <= 0.0) return;
    centre_ = r.center();
    scale_ = std::min(std::max(1, width()) / r.width(), std::max(1, height()) / r.height());
    viewChanged();
}

void MovieMapView::zoomAt(const QPointF& widgetPosition, double factor) {
    if (!(factor > 0.0)) return;
    const QPointF anchor = mapToData(widgetPosition);
    const double fit = fitScale(size());
    scale_ = std::clamp(scale_ * factor, fit / 20.0, fit * 1e5);
    centre_ = QPointF(anchor.x() - (widgetPosition.x() - width() / 2.0) / scale_,
                      anchor.y() + (widgetPosition.y() - height() / 2.0) / scale_);
    viewChanged();
}

void MovieMapView::panByPixels(const QPointF& delta) {
    centre_ += QPointF(-delta.x() / scale_, delta.y() / scale_);
    viewChanged();
}

void MovieMapView::resetView() {
    centre_ = dataBounds().center();
    scale_ = fitScale(size());
    viewFollowsSize_ = true;
    invalidateLayer();
    emit visibleRectChanged(visibleDataRect());
}

void MovieMapView::viewChanged() {
    viewFollowsSize_ = false;
    invalidateLayer();
    emit visibleRectChanged(visibleDataRect());
}

void MovieMapView::invalidateLayer() {
    layerValid_ = false;
    update();
}

int MovieMapView::pointAt(const QPointF& widgetPosition, double radius) const {
    if (positions_.empty() || gridColumns_ == 0) return -1;
    const QPointF d = mapToData(widgetPosition);
    const double r = radius / scale_;
    const double cellW = gridBounds_.width() / gridColumns_;
    const double cellH = gridBounds_.height() / gridRows_;
    const int x0 =
        std::max(0, static_cast<int>(std::floor((d.x() - r - gridBounds_.left()) / cellW)));
    const int x1 = std::min(gridColumns_ - 1,
                            static_cast<int>(std::floor((d.x() + r - gridBounds_.left()) / cellW)));
    const int y0 =
        std::max(0, static_cast<int>(std::floor((d.y() - r - gridBounds_.top()) / cellH)));
    const int y1 = std::min(gridRows_ - 1,
                            static_cast<int>(std::floor((d.y() + r - gridBounds_.top()) / cellH)));
    int best = -1;
    double bestDistance = r * r;
    for (int cy = y0; cy <= y1; ++cy)
        for (int cx = x0; cx <= x1; ++cx) {
            const auto cell = static_cast<std::size_t>(cy * gridColumns_ + cx);
            for (int k = cellStart_[cell]; k < cellStart_[cell + 1]; ++k) {
                const int i = cellPoints_[static_cast<std::size_t>(k)];
                if (!shown_[static_cast<std::size_t>(i)]) continue;
                const QPointF delta = positions_[static_cast<std::size_t>(i)] - d;
                const double distance = QPointF::dotProduct(delta, delta);
                if (distance < bestDistance ||
                    (distance == bestDistance && best >= 0 && i < best)) {
                    bestDistance = distance;
                    best = i;
                }
            }
        }
    return best;
}

void MovieMapView::setHovered(int index) {
    if (index == hovered_) return;
    hovered_ = index;
    update();
    emit hoveredIndexChanged(index);
}

void MovieMapView::setLegendVisible(bool visible) {
    legendVisible_ = visible;
    update();
}

void MovieMapView::setPointRadius(double pixels) {
    pointRadius_ = std::clamp(pixels, 0.5, 20.0);
    invalidateLayer();
}

// ---- painting -------------------------------------------------------------------------------

QFont MovieMapView::pixelFont() const {
    // Pixel sizes are logical units on every device (screen, PNG at any DPI, SVG, PDF).
    QFont f = font();
    f.setPixelSize(std::max(9, QFontInfo(font()).pixelSize()));
    return f;
}

void MovieMapView::renderPointLayer() {
    const double dpr = devicePixelRatioF();
    const QSize pixels = (QSizeF(size()) * dpr).toSize().expandedTo(QSize(1, 1));
    if (layer_.size() != pixels) layer_ = QImage(pixels, QImage::Format_ARGB32_Premultiplied);
    layer_.setDevicePixelRatio(dpr);
    layer_.fill(palette().color(QPalette::Base));

    // The stamp: pixel offsets of a disc of the point radius.
    const double radius = pointRadius_ * dpr;
    const int reach = static_cast<int>(std::ceil(radius));
    std::vector<std::pair<int, int>> stamp;
    for (int dy = -reach; dy <= reach; ++dy)
        for (int dx = -reach; dx <= reach; ++dx)
            if (dx * dx + dy * dy <= radius * radius - 0.5) stamp.push_back({dx, dy});
    if (stamp.empty()) stamp.push_back({0, 0});

    std::vector<QRgb> colours(categoryCounts_.size() + 1);
    for (std::size_t c = 0; c < categoryCounts_.size(); ++c)
        colours[c] = categoryColor(static_cast<int>(c)).rgb();
    colours.back() = categoryColor(-1).rgb();

    const int w = layer_.width(), h = layer_.height();
    const auto stride = static_cast<std::size_t>(layer_.bytesPerLine() / 4);
    auto* bits = reinterpret_cast<QRgb*>(layer_.bits());
    const double s = scale_ * dpr;
    const double offsetX = w / 2.0 - centre_.x() * s, offsetY = h / 2.0 + centre_.y() * s;
    for (std::size_t i = 0; i < positions_.size(); ++i) {
        if (!shown_[i]) continue;
        const double fx = positions_[i].x() * s + offsetX;
        const double fy = -positions_[i].y() * s + offsetY;
        if (fx < -reach - 1 || fy < -reach - 1 || fx > w + reach || fy > h + reach) continue;
        const int x = static_cast<int>(std::floor(fx)), y = static_cast<int>(std::floor(fy));
        const int category = pointCategories_[i];
        const QRgb colour =
            category >= 0 ? colours[static_cast<std::size_t>(category)] : colours.back();
        if (x >= reach && y >= reach && x < w - reach && y < h - reach) {
            QRgb* centre =
                bits + static_cast<std::size_t>(y) * stride + static_cast<std::size_t>(x);
            for (const auto& [dx, dy] : stamp)
                centre[static_cast<std::ptrdiff_t>(dy) * static_cast<std::ptrdiff_t>(stride) + dx] =
                    colour;
        } else {
            for (const auto& [dx, dy] : stamp) {
                const int px = x + dx, py = y + dy;
                if (px >= 0 && py >= 0 && px < w && py < h)
                    bits[static_cast<std::size_t>(py) * stride + static_cast<std::size_t>(px)] =
                        colour;
            }
        }
    }
    layerValid_ = true;
}

void MovieMapView::paintEvent(QPaintEvent*) {
    if (!layerValid_) renderPointLayer();
    QPainter painter(this);
    painter.drawImage(QPointF(0, 0), layer_);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setFont(pixelFont());
    const Transform transform = widgetTransform();
    paintOverlays(painter, transform, palette());
    if (hovered_ >= 0) {
        painter.setPen(QPen(palette().color(QPalette::Text), 1.5));
        painter.setBrush(Qt::NoBrush);
        painter.drawEllipse(transform.map(positions_[static_cast<std::size_t>(hovered_)]),
                            pointRadius_ + 3.0, pointRadius_ + 3.0);
    }
    if (legendVisible_) paintLegend(painter, rect(), palette());
    if (drag_ == Drag::RubberBand) {
        QColor fill = palette().color(QPalette::Highlight);
        fill.setAlpha(50);
        painter.setBrush(fill);
        painter.setPen(QPen(palette().color(QPalette::Highlight), 1.0, Qt::DashLine));
        painter.drawRect(QRectF(dragStart_, dragLast_).normalized());
    }
    if (hasFocus()) {
        painter.setPen(QPen(palette().color(QPalette::Highlight), 1.0));
        painter.setBrush(Qt::NoBrush);
        painter.drawRect(QRectF(rect()).adjusted(0.5, 0.5, -0.5, -0.5));
    }
}

void MovieMapView::paintOverlays(QPainter& painter, const Transform& transform,
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

QRectF MovieMapView::legendLayout(const QRectF& area, std::vector<QRectF>* categoryRows,
                                  std::vector<QRectF>* overlayRows) const {
    const QFontMetricsF metrics(pixelFont());
    const double rowHeight = std::ceil(metrics.height() + 4.0);
    const double swatch = 16.0;
    double textWidth = 0.0;
    int rows = 0;
    const auto categoryCount = static_cast<int>(categoryCounts_.size());
    auto label = [this](int c) {
        const QString name =
            c < categories_.size() ? categories_[c].name : tr("Category %1").arg(c);
        return QStringLiteral("%1 (%2)").arg(
            name, QLocale().toString(categoryCounts_[static_cast<std::size_t>(c)]));
    };
    for (int c = 0; c < categoryCount; ++c) {
        if (categoryCounts_[static_cast<std::size_t>(c)] == 0) continue;
        textWidth = std::max(textWidth, metrics.horizontalAdvance(label(c)));
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

QRectF MovieMapView::legendEntryRect(int category) const {
    if (!legendVisible_) return {};
    std::vector<QRectF> rows;
    legendLayout(rect(), &rows, nullptr);
    return category >= 0 && category < static_cast<int>(rows.size())
               ? rows[static_cast<std::size_t>(category)]
               : QRectF();
}

void MovieMapView::paintLegend(QPainter& painter, const QRectF& area,
                               const QPalette& colours) const {
    std::vector<QRectF> categoryRows, overlayRows;
    const QRectF box = legendLayout(area, &categoryRows, &overlayRows);
    if (box.isEmpty()) return;
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
        const QString name = category < categories_.size() ? categories_[category].name
                                                           : tr("Category %1").arg(category);
        painter.drawText(
            row.adjusted(20, 0, 0, 0), Qt::AlignVCenter | Qt::AlignLeft,
            QStringLiteral("%1 (%2)").arg(name, QLocale().toString(categoryCounts_[c])));
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
}

void MovieMapView::paintScene(QPainter& painter, const QSizeF& mapSize, const QString& footer,
                              const QPalette& colours) const {
    const Transform transform = fittedTransform(mapSize);
    const QRectF mapArea(QPointF(0, 0), mapSize);
    painter.setFont(pixelFont());
    const double footerHeight =
        footer.isEmpty() ? 0.0 : std::ceil(QFontMetricsF(pixelFont()).height() * 1.8);
    painter.fillRect(QRectF(0, 0, mapSize.width(), mapSize.height() + footerHeight),
                     colours.color(QPalette::Base));

    painter.save();
    painter.setClipRect(mapArea);
    painter.setRenderHint(QPainter::Antialiasing, false);
    painter.setPen(Qt::NoPen);
    // Vector points: one batch of small squares per category, in the stamp's size.
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

    if (!footer.isEmpty()) {
        const QRectF footerArea(8, mapSize.height(), mapSize.width() - 16, footerHeight);
        painter.setPen(QPen(colours.color(QPalette::Mid), 1.0));
        painter.drawLine(QPointF(0, mapSize.height() + 0.5),
                         QPointF(mapSize.width(), mapSize.height() + 0.5));
        painter.setPen(colours.color(QPalette::Text));
        painter.drawText(
            footerArea, Qt::AlignVCenter | Qt::AlignLeft,
            QFontMetricsF(pixelFont()).elidedText(footer, Qt::ElideRight, footerArea.width()));
    }
}

void MovieMapView::paintFigure(QPainter& painter, const QRectF& target) const {
    painter.save();
    painter.translate(target.topLeft());
    paintScene(painter, target.size(), QString(), exportPalette(palette()));
    painter.restore();
}

QPalette MovieMapView::exportPalette(const QPalette& screen) {
    QPalette light = screen;
    for (const auto role : {QPalette::Base, QPalette::Window})
        light.setColor(QPalette::All, role, Qt::white);
    for (const auto role : {QPalette::Text, QPalette::WindowText})
        light.setColor(QPalette::All, role, Qt::black);
    light.setColor(QPalette::Disabled, QPalette::WindowText, QColor(0x90, 0x90, 0x90));
    light.setColor(QPalette::All, QPalette::Mid, QColor(0xa0, 0xa0, 0xa0));
    return light;
}

// ---- export -----------------------------------------------------------------------------------

std::optional<MovieMapView::ExportFormat> MovieMapView::formatForPath(const QString& path) {
    const QString lower = path.toLower();
    if (lower.endsWith(QLatin1String(".png"))) return ExportFormat::Png;
    if (lower.endsWith(QLatin1String(".svg"))) return ExportFormat::Svg;
    if (lower.endsWith(QLatin1String(".pdf"))) return ExportFormat::Pdf;
    return std::nullopt;
}

bool MovieMapView::exportTo(const QString& path, ExportFormat format, const ExportOptions& options,
                            QString* error) const {
    auto fail = [&](const QString& message) {
        if (error) *error = QStringLiteral("%1: %2").arg(path, message);
        return false;
    };
    QSize logical = options.logicalSize;
    if (logical.isEmpty())
        logical = size().width() > 1 && size().height() > 1 ? size() : QSize(1000, 750);
    const double footerHeight =
        options.footer.isEmpty() ? 0.0 : std::ceil(QFontMetricsF(pixelFont()).height() * 1.8);
    const QSizeF total(logical.width(), logical.height() + footerHeight);

    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) return fail(file.errorString());
    QPainter painter;
    switch (format) {
        case ExportFormat::Png: {
            if (options.dpi < 24 || options.dpi > 1200) return fail(tr("DPI must be 24-1200"));
            const double factor = options.dpi / 96.0;
            QImage image((total * factor).toSize(), QImage::Format_ARGB32_Premultiplied);
            if (image.isNull()) return fail(tr("image too large"));
            image.fill(palette().color(QPalette::Base));
            painter.begin(&image);
            painter.scale(factor, factor);
            paintScene(painter, QSizeF(logical), options.footer, palette());
            painter.end();
            const int dotsPerMeter = qRound(options.dpi / 0.0254);
            image.setDotsPerMeterX(dotsPerMeter);
            image.setDotsPerMeterY(dotsPerMeter);
            if (!image.save(&file, "PNG")) return fail(tr("could not encode PNG"));
            break;
        }
        case ExportFormat::Svg: {
            QSvgGenerator generator;
            generator.setOutputDevice(&file);
            generator.setSize(total.toSize());
            generator.setViewBox(QRectF(QPointF(0, 0), total));
            generator.setResolution(96);
            generator.setTitle(tr("Lens Atlas movie map"));
            generator.setDescription(options.footer);
            if (!painter.begin(&generator)) return fail(tr("could not start the SVG writer"));
            paintScene(painter, QSizeF(logical), options.footer, palette());
            painter.end();
            break;
        }
        case ExportFormat::Pdf: {
            QPdfWriter writer(&file);
            writer.setResolution(96);
            writer.setPageSize(QPageSize(total * (72.0 / 96.0), QPageSize::Point, QString(),
                                         QPageSize::ExactMatch));
            writer.setPageMargins(QMarginsF(0, 0, 0, 0));
            writer.setTitle(tr("Lens Atlas movie map"));
            writer.setCreator(QStringLiteral("Lens Atlas"));
            if (!painter.begin(&writer)) return fail(tr("could not start the PDF writer"));
            paintScene(painter, QSizeF(logical), options.footer, palette());
            painter.end();
            break;
        }
    }
    if (!file.commit()) return fail(file.errorString());
    return true;
}

// ---- interaction ------------------------------------------------------------------------------

void MovieMapView::resizeEvent(QResizeEvent* event) {
    QWidget::resizeEvent(event);
    if (viewFollowsSize_) {
        centre_ = dataBounds().center();
        scale_ = fitScale(size());
        emit visibleRectChanged(visibleDataRect());
    }
    invalidateLayer();
}

void MovieMapView::mousePressEvent(QMouseEvent* event) {
    const QPointF pos = event->position();
    if (event->button() == Qt::LeftButton && legendVisible_) {
        std::vector<QRectF> rows;
        legendLayout(rect(), &rows, nullptr);
        for (std::size_t c = 0; c < rows.size(); ++c)
            if (rows[c].contains(pos)) {
                const auto category = static_cast<int>(c);
                setCategoryVisible(category, !isCategoryVisible(category));
                event->accept();
                return;
            }
    }
    if (event->button() == Qt::RightButton ||
        (event->button() == Qt::LeftButton && (event->modifiers() & Qt::ShiftModifier))) {
        drag_ = Drag::RubberBand;
    } else if (event->button() == Qt::LeftButton) {
        drag_ = Drag::Pan;
        setCursor(Qt::ClosedHandCursor);
    } else {
        QWidget::mousePressEvent(event);
        return;
    }
    dragStart_ = dragLast_ = pos;
    dragMoved_ = false;
    event->accept();
}

void MovieMapView::mouseMoveEvent(QMouseEvent* event) {
    const QPointF pos = event->position();
    if ((pos - dragStart_).manhattanLength() > 3.0) dragMoved_ = true;
    switch (drag_) {
        case Drag::Pan:
            panByPixels(pos - dragLast_);
            dragLast_ = pos;
            break;
        case Drag::RubberBand:
            dragLast_ = pos;
            update();
            break;
        case Drag::None:
            setHovered(pointAt(pos));
            break;
    }
}

void MovieMapView::mouseReleaseEvent(QMouseEvent* event) {
    const QPointF pos = event->position();
    const Drag finished = drag_;
    drag_ = Drag::None;
    unsetCursor();
    if (finished == Drag::RubberBand) {
        const QRectF band = QRectF(dragStart_, pos).normalized();
        if (band.width() > 4.0 && band.height() > 4.0)
            setVisibleDataRect(QRectF(mapToData(band.bottomLeft()), mapToData(band.topRight())));
        update();
    } else if (finished == Drag::Pan && !dragMoved_) {
        const int index = pointAt(pos);
        if (index >= 0) emit pointClicked(index);
    }
    event->accept();
}

void MovieMapView::mouseDoubleClickEvent(QMouseEvent* event) {
    if (event->button() == Qt::LeftButton) {
        resetView();
        event->accept();
    }
}

void MovieMapView::wheelEvent(QWheelEvent* event) {
    const double notches = event->angleDelta().y() / 120.0;
    if (notches == 0.0) {
        event->ignore();
        return;
    }
    zoomAt(event->position(), std::pow(kWheelStep, notches));
    event->accept();
}

void MovieMapView::keyPressEvent(QKeyEvent* event) {
    const QPointF middle(width() / 2.0, height() / 2.0);
    const double stepX = width() / 10.0, stepY = height() / 10.0;
    switch (event->key()) {
        case Qt::Key_Plus:
        case Qt::Key_Equal:
            zoomAt(middle, kKeyZoomStep);
            break;
        case Qt::Key_Minus:
            zoomAt(middle, 1.0 / kKeyZoomStep);
            break;
        case Qt::Key_Left:
            panByPixels(QPointF(stepX, 0));
            break;
        case Qt::Key_Right:
            panByPixels(QPointF(-stepX, 0));
            break;
        case Qt::Key_Up:
            panByPixels(QPointF(0, stepY));
            break;
        case Qt::Key_Down:
            panByPixels(QPointF(0, -stepY));
            break;
        case Qt::Key_Home:
            resetView();
            break;
        case Qt::Key_Escape:
            if (drag_ == Drag::RubberBand) {
                drag_ = Drag::None;
                update();
            } else {
                clearHighlight();
            }
            break;
        default:
            QWidget::keyPressEvent(event);
            return;
    }
    event->accept();
}

void MovieMapView::leaveEvent(QEvent* event) {
    setHovered(-1);
    QWidget::leaveEvent(event);
}

void MovieMapView::changeEvent(QEvent* event) {
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::FontChange ||
        event->type() == QEvent::StyleChange)
        invalidateLayer();
    QWidget::changeEvent(event);
}

bool MovieMapView::event(QEvent* event) {
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        const int index = pointAt(help->pos());
        if (index >= 0) {
            QToolTip::showText(help->globalPos(), tooltipText(index), this);
        } else {
            QToolTip::hideText();
            event->ignore();
        }
        return true;
    }
    return QWidget::event(event);
}

}  // namespace lens::ui
