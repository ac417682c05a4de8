#pragma once
// The genre map on screen: a GenreMapFigure (one labelled disc per genre, sized by its number of
// movies, axes carrying the explained variance) in the palette's colours, with hover (a ring and
// a tooltip with the genre's exact position, movie count and nearest genres, given as text by the
// panel: similarities are measured in the full space, not in 2D) and click to select a genre.
// As a Figure it exports through its GenreMapFigure (white background), like every chart.
#include <QList>
#include <QPointF>
#include <QRectF>
#include <QString>
#include <QWidget>

#include "charts/Figure.h"
#include "map/DiscLabels.h"
#include "map/GenreMapFigure.h"

class QPainter;

namespace lens::ui {

class GenreMapView : public QWidget, public Figure {
    Q_OBJECT

public:
    using GenrePoint = GenreMapFigure::GenrePoint;

    explicit GenreMapView(QWidget* parent = nullptr);

    const GenreMapFigure& figure() const { return figure_; }
    void setGenres(QList<GenrePoint> genres);
    void setAxisTitles(const QString& x, const QString& y);
    QList<GenrePoint> genres() const { return figure_.genres(); }
    int pointCount() const { return figure_.pointCount(); }
    QString xAxisTitle() const { return figure_.xAxisTitle(); }
    QString yAxisTitle() const { return figure_.yAxisTitle(); }
    void setHighlightedGenre(int index);  // drawn with a ring; -1 for none
    int highlightedGenre() const { return figure_.highlightedGenre(); }

    // Geometry in widget coordinates (for hover and tests).
    QPointF mapToWidget(const QPointF& data) const;
    double radiusOf(int index) const;
    int genreAt(const QPointF& widgetPosition) const;  // -1 when no disc is under it
    QRectF plotRect() const;                           // the axes' box in widget coordinates
    // The label boxes of the last paint (widget or export, in that paint's coordinates), one per
    // genre in genres() order; empty before the first paint.
    QList<LabelPlacement> paintedLabels() const { return figure_.paintedLabels(); }

    QString figureTitle() const override { return figure_.figureTitle(); }
    QString figureFileStem() const override { return figure_.figureFileStem(); }
    QSize preferredFigureSize() const override { return figure_.preferredFigureSize(); }
    void paintFigure(QPainter& painter, const QRectF& target) const override;
    void setFigureTitle(const QString& title);
    void setFigureFileStem(const QString& stem) { figure_.setFigureFileStem(stem); }

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
    GenreMapFigure::Layout widgetLayout() const;

    GenreMapFigure figure_;
    int hovered_ = -1;
};

}  // namespace lens::ui
