#pragma once
// The genre map: one labelled point per genre in a 2D projection of the genre vectors, the disc
// area proportional to the genre's number of movies (radius = r_min + (r_max - r_min) sqrt(m /
// m_max)), with axes, tick labels and axis titles that carry the variance each PCA axis explains.
// Hover shows the genre's exact position, movie count and nearest genres (given as text by the
// panel: similarities are measured in the full space, not in 2D).
//
// Painted by hand rather than with Qt Charts because every point needs its own size and label;
// the same code paints the widget (palette colours) and exports (white background) as a Figure.
// Labels are placed by placeDiscLabels() (below): off one another and off the discs.
#include <QColor>
#include <QLineF>
#include <QList>
#include <QPointF>
#include <QRectF>
#include <QSizeF>
#include <QString>
#include <QWidget>

#include "charts/Figure.h"

class QPainter;

namespace lens::ui {

// One labelled disc for placeDiscLabels(): its centre and radius and the size of its label box.
struct LabelledDisc {
    QPointF centre;
    double radius = 0.0;
    QSizeF labelSize;
};

// Where a disc's label goes; `leader` (a segment from the disc's rim to the label box) is set when
// the label had to move away from its disc.
struct LabelPlacement {
    QRectF rect;
    bool hasLeader = false;
    QLineF leader;
};

// Deterministic greedy label placement (one result per disc, same order as `discs`). Discs are
// handled by decreasing radius (ties: lower index first); each takes the first free candidate box
// among: right, left, above, below, then the four diagonals, all `gap` pixels off its rim; then
// rings farther out (steps of about one label height, 16 directions in the same order of
// preference) joined to the disc by a leader line. A candidate is free when it lies inside `plot`,
// keeps a 1 px margin to every label placed so far and cuts no disc (rectangle-circle test: the
// rectangle point nearest the centre is at least one radius away). The strict first pass also
// wants it at least gap + half a label height from every other disc's rim (else it reads as that
// disc's name) and no leader line crossing a label. When no box is free these constraints are
// dropped in turn (nearness to other discs, leader crossings, then covering other discs); as a
// last resort the box with the least overlap with placed labels is kept, moved inside the plot.
// Cost: O(n^2 * candidates) with about 8 + 16 * rings candidates per label: 0.1-0.2 ms for two
// clusters of genres, about 1 ms when all 19 sit on one spot (measured, release build).
QList<LabelPlacement> placeDiscLabels(const QList<LabelledDisc>& discs, const QRectF& plot,
                                      double gap = 3.0);

class GenreMapView : public QWidget, public Figure {
    Q_OBJECT

public:
    struct GenrePoint {
        QString name;
        QPointF position;
        int movies = 0;
        QColor color;
        QString details;  // extra tooltip lines (nearest genres)
    };

    explicit GenreMapView(QWidget* parent = nullptr);

    void setGenres(QList<GenrePoint> genres);
    void setAxisTitles(const QString& x, const QString& y);
    QList<GenrePoint> genres() const { return genres_; }
    int pointCount() const { return static_cast<int>(genres_.size()); }
    QString xAxisTitle() const { return xTitle_; }
    QString yAxisTitle() const { return yTitle_; }
    void setHighlightedGenre(int index);  // drawn with a ring; -1 for none
    int highlightedGenre() const { return highlighted_; }

    // Geometry in widget coordinates (for hover and tests).
    QPointF mapToWidget(const QPointF& data) const;
    double radiusOf(int index) const;
    int genreAt(const QPointF& widgetPosition) const;  // -1 when no disc is under it
    QRectF plotRect() const;                           // the axes' box in widget coordinates
    // The label boxes of the last paint (widget or export, in that paint's coordinates), one per
    // genre in genres() order; empty before the first paint.
    QList<LabelPlacement> paintedLabels() const { return paintedLabels_; }

    QString figureTitle() const override { return figureTitle_; }
    QString figureFileStem() const override { return figureFileStem_; }
    QSize preferredFigureSize() const override { return {900, 700}; }
    void paintFigure(QPainter& painter, const QRectF& target) const override;
    void setFigureTitle(const QString& title);
    void setFigureFileStem(const QString& stem) { figureFileStem_ = stem; }

    QSize sizeHint() const override { return {560, 460}; }
    QSize minimumSizeHint() const override { return {240, 200}; }

signals:
    void genreClicked(int index);

protected:
    void paintEvent(QPaintEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    bool event(QEvent* event) override;

private:
    struct Layout;
    Layout layoutFor(const QRectF& area, const QFont& font, bool withTitle) const;
    void paintMap(QPainter& painter, const QRectF& area, const QPalette& colours,
                  bool withTitle) const;

    QList<GenrePoint> genres_;
    QString xTitle_ = tr("Component 1"), yTitle_ = tr("Component 2");
    QString figureTitle_ = tr("Genre map");
    QString figureFileStem_ = QStringLiteral("genre-map");
    int highlighted_ = -1;
    int hovered_ = -1;
    mutable QList<LabelPlacement> paintedLabels_;
};

}  // namespace lens::ui
