#pragma once
// An n x n matrix of values (the genre-by-genre cosine similarity of the Map panel) painted as a
// heat map with row and column labels, a colour bar and the hovered cell's value.
//
// Colours: a diverging scale over [minimum, maximum] (default -1..1): blue for the minimum, the
// palette's base colour at the midpoint, red for the maximum, linear in between, so the sign of a
// cosine reads at a glance on light and dark palettes alike.
#include <QColor>
#include <QPoint>
#include <QStringList>
#include <QWidget>
#include <vector>

#include "charts/Figure.h"

class QPainter;

namespace lens::ui {

class HeatmapView : public QWidget, public Figure {
    Q_OBJECT

public:
    explicit HeatmapView(QWidget* parent = nullptr);

    // values: row-major n x n, n = labels.size(). A size mismatch clears the view.
    void setMatrix(const QStringList& labels, std::vector<double> values);
    void setRange(double minimum, double maximum);
    int dimension() const { return static_cast<int>(labels_.size()); }
    double value(int row, int column) const;
    QColor colourFor(double value) const;

    // The (row, column) under a widget position, or (-1, -1); x = column, y = row.
    QPoint cellAt(const QPointF& position) const;
    QRectF cellRect(int row, int column) const;
    QPoint hoveredCell() const { return hovered_; }

    // Figure: the title above, the heat map with labels and colour bar below it, on the export
    // palette (white background); cell colours are the same as on screen apart from the midpoint.
    QString figureTitle() const override { return figureTitle_; }
    QString figureFileStem() const override { return figureFileStem_; }
    QSize preferredFigureSize() const override { return {760, 700}; }
    void paintFigure(QPainter& painter, const QRectF& target) const override;
    void setFigureTitle(const QString& title) { figureTitle_ = title; }
    void setFigureFileStem(const QString& stem) { figureFileStem_ = stem; }

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
    QRectF gridRect() const { return gridRectIn(QRectF(rect()), font()); }
    QRectF gridRectIn(const QRectF& area, const QFont& font) const;
    QColor colourFor(double value, const QColor& middle) const;
    void paintMap(QPainter& painter, const QRectF& area, const QPalette& colours,
                  bool showHover) const;
    void setHovered(QPoint cell);

    QStringList labels_;
    std::vector<double> values_;
    double minimum_ = -1.0, maximum_ = 1.0;
    QPoint hovered_{-1, -1};
    QString figureTitle_ = tr("Similarity heat map");
    QString figureFileStem_ = QStringLiteral("heatmap");
};

}  // namespace lens::ui
