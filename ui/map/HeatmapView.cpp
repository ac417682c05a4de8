#include "map/HeatmapView.h"

#include <QHelpEvent>
#include <QLocale>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>
#include <algorithm>

namespace lens::ui {

HeatmapView::HeatmapView(QWidget* parent) : QWidget(parent) {
    setMouseTracking(true);
    setAccessibleName(tr("Similarity heat map"));
}

void HeatmapView::setMatrix(const QStringList& labels, std::vector<double> values) {
    figure_.setMatrix(labels, std::move(values));
    hovered_ = {-1, -1};
    update();
}

void HeatmapView::setRange(double minimum, double maximum) {
    figure_.setRange(minimum, maximum);
    update();
}

QColor HeatmapView::colourFor(double v) const {
    return figure_.colourFor(v, palette().color(QPalette::Base));
}

QRectF HeatmapView::cellRect(int row, int column) const {
    const QRectF grid = gridRect();
    if (grid.isEmpty() || row < 0 || column < 0 || row >= dimension() || column >= dimension())
        return {};
    const double cell = grid.width() / dimension();
    return {grid.left() + column * cell, grid.top() + row * cell, cell, cell};
}

QPoint HeatmapView::cellAt(const QPointF& position) const {
    const QRectF grid = gridRect();
    if (grid.isEmpty() || !grid.contains(position)) return {-1, -1};
    const double cell = grid.width() / dimension();
    const int column =
        std::min(dimension() - 1, static_cast<int>((position.x() - grid.left()) / cell));
    const int row = std::min(dimension() - 1, static_cast<int>((position.y() - grid.top()) / cell));
    return {column, row};
}

void HeatmapView::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    painter.fillRect(rect(), palette().color(QPalette::Window));
    if (figure_.dimension() == 0) {
        painter.setPen(palette().color(QPalette::Disabled, QPalette::WindowText));
        painter.drawText(rect(), Qt::AlignCenter, tr("No similarity matrix yet"));
        return;
    }
    figure_.paintMap(painter, QRectF(rect()), palette(), hovered_);
}

void HeatmapView::paintFigure(QPainter& painter, const QRectF& target) const {
    figure_.paintFigure(painter, target, font(), palette());
}

void HeatmapView::setHovered(QPoint cell) {
    if (cell == hovered_) return;
    hovered_ = cell;
    update();
    emit hoveredCellChanged(cell.y(), cell.x(), cell.x() >= 0 ? value(cell.y(), cell.x()) : 0.0);
}

void HeatmapView::mouseMoveEvent(QMouseEvent* event) {
    setHovered(cellAt(event->position()));
}

void HeatmapView::leaveEvent(QEvent* event) {
    setHovered({-1, -1});
    QWidget::leaveEvent(event);
}

bool HeatmapView::event(QEvent* event) {
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        const QPoint cell = cellAt(help->pos());
        if (cell.x() >= 0) {
            QToolTip::showText(help->globalPos(),
                               QStringLiteral("%1 × %2: %3")
                                   .arg(figure_.labels()[cell.y()], figure_.labels()[cell.x()],
                                        QLocale().toString(value(cell.y(), cell.x()), 'f', 3)),
                               this);
        } else {
            QToolTip::hideText();
            event->ignore();
        }
        return true;
    }
    return QWidget::event(event);
}

}  // namespace lens::ui
