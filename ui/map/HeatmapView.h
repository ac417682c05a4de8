#pragma once
// The similarity heat map on screen: a HeatmapFigure in the palette's colours with the hovered
// cell framed and its value in a tooltip. As a Figure it exports through its HeatmapFigure (white
// background), like every chart.
#include <QColor>
#include <QPoint>
#include <QStringList>
#include <QWidget>
#include <vector>

#include "charts/Figure.h"
#include "map/HeatmapFigure.h"

class QPainter;

namespace lens::ui {

class HeatmapView : public QWidget, public Figure {
    Q_OBJECT

public:
    explicit HeatmapView(QWidget* parent = nullptr);

    const HeatmapFigure& figure() const { return figure_; }
    // values: row-major n x n, n = labels.size(). A size mismatch clears the view.
    void setMatrix(const QStringList& labels, std::vector<double> values);
    void setRange(double minimum, double maximum);
    int dimension() const { return figure_.dimension(); }
    double value(int row, int column) const { return figure_.value(row, column); }
    QColor colourFor(double value) const;  // on this widget's palette

    // The (row, column) under a widget position, or (-1, -1); x = column, y = row.
    QPoint cellAt(const QPointF& position) const;
    QRectF cellRect(int row, int column) const;
    QPoint hoveredCell() const { return hovered_; }

    QString figureTitle() const override { return figure_.figureTitle(); }
    QString figureFileStem() const override { return figure_.figureFileStem(); }
    QSize preferredFigureSize() const override { return figure_.preferredFigureSize(); }
    void paintFigure(QPainter& painter, const QRectF& target) const override;
    void setFigureTitle(const QString& title) { figure_.setFigureTitle(title); }
    void setFigureFileStem(const QString& stem) { figure_.setFigureFileStem(stem); }

    QSize sizeHint() const override { return {520, 460}; }
    QSize minimumSizeHint() const override { return {200, 180}; }

signals:
    void hoveredCellChanged(int row, int column, double value);  // (-1, -1, 0) when none

protected:
    void paintEvent(QPaintEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void leaveEvent(QEvent* event) override;
    bool event(QEvent* event) override;

private:
    QRectF gridRect() const { return figure_.gridRectIn(QRectF(rect()), font()); }
    void setHovered(QPoint cell);

    HeatmapFigure figure_;
    QPoint hovered_{-1, -1};
};

}  // namespace lens::ui
