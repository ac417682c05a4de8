#include "map/MovieMapView.h"

#include <QHelpEvent>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>
#include <QWheelEvent>
#include <algorithm>
#include <cmath>

namespace lens::ui {

namespace {

constexpr double kWheelStep = 1.2;
constexpr double kKeyZoomStep = 1.25;
constexpr double kHighlightZoom = 4.0;  // highlight() zooms to at least 4x the full view

}  // namespace

MovieMapView::MovieMapView(QWidget* parent) : QWidget(parent) {
    setMouseTracking(true);
    setFocusPolicy(Qt::StrongFocus);
    setAttribute(Qt::WA_OpaquePaintEvent);
    setMinimumSize(200, 150);
    setAccessibleName(tr("Movie map"));
    figure_.setFont(MovieMapFigure::pixelFont(font()));
}

MovieMapView::~MovieMapView() = default;

// ---- data, filters and overlays ------------------------------------------------------------

void MovieMapView::setPoints(std::vector<QPointF> positions, std::vector<int> categories) {
    figure_.setPoints(std::move(positions), std::move(categories));
    hovered_ = -1;
    rebuildIndex();
    resetView();
}

void MovieMapView::setCategories(const QList<Category>& categories) {
    figure_.setCategories(categories);
    invalidateLayer();
}

void MovieMapView::setColouring(MovieMapFigure::Colouring colouring) {
    figure_.setColouring(std::move(colouring));
    filtersChanged();
}

void MovieMapView::filtersChanged() {
    if (hovered_ >= 0 && !isPointShown(hovered_)) setHovered(-1);
    invalidateLayer();
}

void MovieMapView::setCategoryVisible(int category, bool visible) {
    if (!figure_.setCategoryVisible(category, visible)) return;
    filtersChanged();
    emit categoryVisibilityChanged(category, visible);
}

void MovieMapView::setPointWeights(std::vector<float> weights) {
    figure_.setPointWeights(std::move(weights));
    filtersChanged();
}

void MovieMapView::setMinimumWeight(double minimum) {
    figure_.setMinimumWeight(minimum);
    filtersChanged();
}

void MovieMapView::setOverlay(int slot, Overlay overlay) {
    figure_.setOverlay(slot, std::move(overlay));
    update();
}

void MovieMapView::clearOverlay(int slot) {
    figure_.clearOverlay(slot);
    update();
}

void MovieMapView::highlight(int index) {
    if (index < 0 || index >= pointCount()) {
        clearHighlight();
        return;
    }
    figure_.setHighlighted(index);
    centre_ = figure_.pointPosition(index);
    scale_ = std::max(scale_, figure_.fitScale(size()) * kHighlightZoom);
    viewChanged();
}

void MovieMapView::clearHighlight() {
    figure_.setHighlighted(-1);
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

void MovieMapView::setLegendVisible(bool visible) {
    figure_.setLegendVisible(visible);
    update();
}

QRectF MovieMapView::legendEntryRect(int category) const {
    if (!figure_.isLegendVisible()) return {};
    std::vector<QRectF> rows;
    figure_.legendLayout(rect(), &rows, nullptr);
    return category >= 0 && category < static_cast<int>(rows.size())
               ? rows[static_cast<std::size_t>(category)]
               : QRectF();
}

void MovieMapView::setPointRadius(double pixels) {
    figure_.setPointRadius(pixels);
    invalidateLayer();
}

void MovieMapView::setHovered(int index) {
    if (index == hovered_) return;
    hovered_ = index;
    update();
    emit hoveredIndexChanged(index);
}

void MovieMapView::rebuildIndex() {
    gridBounds_ = figure_.dataBounds();
    const std::vector<QPointF>& positions = figure_.positions();
    const auto n = static_cast<double>(positions.size());
    const int side = std::clamp(static_cast<int>(std::sqrt(n / 4.0)), 1, 1024);
    gridColumns_ = gridRows_ = side;
    // Pad so that the maximum falls inside the last cell.
    const double padX = gridBounds_.width() * 1e-6 + 1e-12,
                 padY = gridBounds_.height() * 1e-6 + 1e-12;
    gridBounds_.adjust(-padX, -padY, padX, padY);
    const auto cells = static_cast<std::size_t>(gridColumns_) * static_cast<std::size_t>(gridRows_);
    cellStart_.assign(cells + 1, 0);
    std::vector<int> cellOf(positions.size());
    for (std::size_t i = 0; i < positions.size(); ++i) {
        const int cx = std::clamp(static_cast<int>((positions[i].x() - gridBounds_.left()) /
                                                   gridBounds_.width() * gridColumns_),
                                  0, gridColumns_ - 1);
        const int cy = std::clamp(static_cast<int>((positions[i].y() - gridBounds_.top()) /
                                                   gridBounds_.height() * gridRows_),
                                  0, gridRows_ - 1);
        cellOf[i] = cy * gridColumns_ + cx;
        ++cellStart_[static_cast<std::size_t>(cellOf[i]) + 1];
    }
    for (std::size_t c = 0; c < cells; ++c) cellStart_[c + 1] += cellStart_[c];
    cellPoints_.assign(positions.size(), 0);
    std::vector<int> fill(cellStart_.begin(), cellStart_.end() - 1);
    for (std::size_t i = 0; i < positions.size(); ++i)
        cellPoints_[static_cast<std::size_t>(fill[static_cast<std::size_t>(cellOf[i])]++)] =
            static_cast<int>(i);
}

// ---- view -------------------------------------------------------------------------------------

MovieMapView::Transform MovieMapView::widgetTransform() const {
    return {centre_, scale_, QSizeF(size())};
}

MovieMapView::Transform MovieMapView::exportTransform(const QSizeF& target) const {
    // Keep what the widget shows: same centre, scaled so the visible rect fits the target.
    if (width() <= 1 || height() <= 1) return figure_.fittedTransform(target);
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
    const double fit = figure_.fitScale(size());
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
    centre_ = figure_.dataBounds().center();
    scale_ = figure_.fitScale(size());
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
    const std::vector<QPointF>& positions = figure_.positions();
    const std::vector<unsigned char>& shown = figure_.shownMask();
    if (positions.empty() || gridColumns_ == 0) return -1;
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
                if (!shown[static_cast<std::size_t>(i)]) continue;
                const QPointF delta = positions[static_cast<std::size_t>(i)] - d;
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

// ---- painting -------------------------------------------------------------------------------

void MovieMapView::renderPointLayer() {
    const double dpr = devicePixelRatioF();
    const QSize pixels = (QSizeF(size()) * dpr).toSize().expandedTo(QSize(1, 1));
    if (layer_.size() != pixels) layer_ = QImage(pixels, QImage::Format_ARGB32_Premultiplied);
    layer_.setDevicePixelRatio(dpr);
    layer_.fill(palette().color(QPalette::Base));

    // The stamp: pixel offsets of a disc of the point radius.
    const double radius = figure_.pointRadius() * dpr;
    const int reach = static_cast<int>(std::ceil(radius));
    std::vector<std::pair<int, int>> stamp;
    for (int dy = -reach; dy <= reach; ++dy)
        for (int dx = -reach; dx <= reach; ++dx)
            if (dx * dx + dy * dy <= radius * radius - 0.5) stamp.push_back({dx, dy});
    if (stamp.empty()) stamp.push_back({0, 0});

    // Points in the figure's drawing order (the chosen genre, or the highest values, on top).
    const std::vector<QRgb> colours = figure_.pointColours(palette());
    const std::vector<QPointF>& positions = figure_.positions();
    const std::vector<unsigned char>& shown = figure_.shownMask();

    const int w = layer_.width(), h = layer_.height();
    const auto stride = static_cast<std::size_t>(layer_.bytesPerLine() / 4);
    auto* bits = reinterpret_cast<QRgb*>(layer_.bits());
    const double s = scale_ * dpr;
    const double offsetX = w / 2.0 - centre_.x() * s, offsetY = h / 2.0 + centre_.y() * s;
    for (const int index : figure_.drawOrder()) {
        const auto i = static_cast<std::size_t>(index);
        if (!shown[i]) continue;
        const double fx = positions[i].x() * s + offsetX;
        const double fy = -positions[i].y() * s + offsetY;
        if (fx < -reach - 1 || fy < -reach - 1 || fx > w + reach || fy > h + reach) continue;
        const int x = static_cast<int>(std::floor(fx)), y = static_cast<int>(std::floor(fy));
        const QRgb colour = colours[i];
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
    const Transform transform = widgetTransform();
    figure_.paintOverlays(painter, transform, palette());
    if (hovered_ >= 0) {
        painter.setPen(QPen(palette().color(QPalette::Text), 1.5));
        painter.setBrush(Qt::NoBrush);
        painter.drawEllipse(transform.map(figure_.pointPosition(hovered_)),
                            figure_.pointRadius() + 3.0, figure_.pointRadius() + 3.0);
    }
    if (figure_.isLegendVisible()) figure_.paintLegend(painter, rect(), palette());
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

void MovieMapView::paintFigure(QPainter& painter, const QRectF& target) const {
    painter.save();
    painter.translate(target.topLeft());
    figure_.paintScene(painter, exportTransform(target.size()),
                       MovieMapFigure::exportPalette(palette()));
    painter.restore();
}

// ---- interaction ------------------------------------------------------------------------------

void MovieMapView::resizeEvent(QResizeEvent* event) {
    QWidget::resizeEvent(event);
    if (viewFollowsSize_) {
        centre_ = figure_.dataBounds().center();
        scale_ = figure_.fitScale(size());
        emit visibleRectChanged(visibleDataRect());
    }
    invalidateLayer();
}

void MovieMapView::mousePressEvent(QMouseEvent* event) {
    const QPointF pos = event->position();
    if (event->button() == Qt::LeftButton && figure_.isLegendVisible()) {
        std::vector<QRectF> rows;
        figure_.legendLayout(rect(), &rows, nullptr);
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
    if (event->type() == QEvent::FontChange) figure_.setFont(MovieMapFigure::pixelFont(font()));
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
