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

namespace lens::ui {

class HeatmapView : public QWidget {
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
    QRectF gridRect() const;
    void setHovered(QPoint cell);

    QStringList labels_;
    std::vector<double> values_;
    double minimum_ = -1.0, maximum_ = 1.0;
    QPoint hovered_{-1, -1};
};

}  // namespace lens::ui
