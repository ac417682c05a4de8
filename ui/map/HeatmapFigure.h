#pragma once
// An n x n matrix of values (the genre-by-genre cosine similarity of the Map panel) as data and a
// painter, without a widget: a heat map with row and column labels and a colour bar. HeatmapView
// shows one on screen (with the hovered cell's value); `lens-atlas map` exports one directly.
//
// Colours: a diverging scale over [minimum, maximum] (default -1..1): blue for the minimum, the
// palette's base colour at the midpoint, red for the maximum, linear in between, so the sign of a
// cosine reads at a glance on light and dark palettes alike.
#include <QColor>
#include <QCoreApplication>
#include <QPoint>
#include <QRectF>
#include <QStringList>
#include <vector>

#include "charts/Figure.h"

class QFont;
class QPalette;

namespace lens::ui {

class HeatmapFigure : public Figure {
    Q_DECLARE_TR_FUNCTIONS(HeatmapFigure)

public:
    HeatmapFigure();

    // values: row-major n x n, n = labels.size(). A size mismatch clears the figure.
    void setMatrix(const QStringList& labels, std::vector<double> values);
    void setRange(double minimum, double maximum);
    QStringList labels() const { return labels_; }
    int dimension() const { return static_cast<int>(labels_.size()); }
    double value(int row, int column) const;
    // The colour of a value with `middle` (the background) at the midpoint of the range.
    QColor colourFor(double value, const QColor& middle) const;

    // The square grid of cells in `area` for labels in `font` (empty without a matrix).
    QRectF gridRectIn(const QRectF& area, const QFont& font) const;
    // Paints labels, cells and colour bar into `area` with the painter's font; `hovered`
    // (column, row) gets a frame, (-1, -1) none.
    void paintMap(QPainter& painter, const QRectF& area, const QPalette& colours,
                  QPoint hovered = {-1, -1}) const;

    // Figure: the title above, the heat map with labels and colour bar below it, on the export
    // palette (white background); cell colours are the same as on screen apart from the midpoint.
    QString figureTitle() const override { return figureTitle_; }
    QString figureFileStem() const override { return figureFileStem_; }
    QSize preferredFigureSize() const override { return {760, 700}; }
    void paintFigure(QPainter& painter, const QRectF& target) const override;
    void setFigureTitle(const QString& title) { figureTitle_ = title; }
    void setFigureFileStem(const QString& stem) { figureFileStem_ = stem; }
    // As paintFigure() with the base font and screen palette of a widget.
    void paintFigure(QPainter& painter, const QRectF& target, const QFont& font,
                     const QPalette& screen) const;

private:
    QStringList labels_;
    std::vector<double> values_;
    double minimum_ = -1.0, maximum_ = 1.0;
    QString figureTitle_;
    QString figureFileStem_ = QStringLiteral("heatmap");
};

}  // namespace lens::ui
