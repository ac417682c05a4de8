#pragma once
// The genre map as data and a painter, without a widget: one labelled disc per genre in a 2D
// projection of the genre vectors, the disc area proportional to the genre's number of movies
// (radius = r_min + (r_max - r_min) sqrt(m / m_max)), with axes, tick labels and axis titles that
// carry the variance each PCA axis explains. Labels are placed by placeDiscLabels(): off one
// another and off the discs.
//
// GenreMapView shows one on screen (palette colours, hover, click); as a Figure it exports on
// white, and `lens-atlas map` and the report paint one directly.
#include <QColor>
#include <QCoreApplication>
#include <QList>
#include <QPointF>
#include <QRectF>
#include <QString>

#include "charts/Figure.h"
#include "map/DiscLabels.h"

class QFont;
class QPalette;

namespace lens::ui {

class GenreMapFigure : public Figure {
    Q_DECLARE_TR_FUNCTIONS(GenreMapFigure)

public:
    struct GenrePoint {
        QString name;
        QPointF position;
        int movies = 0;
        QColor color;
        QString details;  // extra tooltip lines (nearest genres)
    };
    // Where things go in an area: the plot box, the title strip, the data range and ticks.
    struct Layout {
        QRectF plot;
        QRectF titleArea;
        double x0 = -1, x1 = 1, y0 = -1, y1 = 1;
        double step = 0.5;
        double maxRadius = 26.0;
        int maxMovies = 1;

        QPointF map(const QPointF& data) const;
        double radius(int movies) const;
    };

    GenreMapFigure();

    void setGenres(QList<GenrePoint> genres);
    void setAxisTitles(const QString& x, const QString& y);
    QList<GenrePoint> genres() const { return genres_; }
    int pointCount() const { return static_cast<int>(genres_.size()); }
    QString xAxisTitle() const { return xTitle_; }
    QString yAxisTitle() const { return yTitle_; }
    void setHighlightedGenre(int index);  // drawn with a ring; -1 for none
    int highlightedGenre() const { return highlighted_; }

    Layout layoutFor(const QRectF& area, const QFont& font, bool withTitle) const;
    // Paints into `area` with the painter's font; `hovered` (or -1) gets a ring like the
    // highlighted genre.
    void paintMap(QPainter& painter, const QRectF& area, const QPalette& colours, bool withTitle,
                  int hovered = -1) const;
    // The label boxes of the last paint, one per genre in genres() order; empty before the first.
    QList<LabelPlacement> paintedLabels() const { return paintedLabels_; }

    QString figureTitle() const override { return figureTitle_; }
    QString figureFileStem() const override { return figureFileStem_; }
    QSize preferredFigureSize() const override { return {900, 700}; }
    void paintFigure(QPainter& painter, const QRectF& target) const override;
    void setFigureTitle(const QString& title) { figureTitle_ = title; }
    void setFigureFileStem(const QString& stem) { figureFileStem_ = stem; }
    // As paintFigure() with the base font and screen palette of a widget (its export palette).
    void paintFigure(QPainter& painter, const QRectF& target, const QFont& font,
                     const QPalette& screen) const;

private:
    QList<GenrePoint> genres_;
    QString xTitle_, yTitle_;
    QString figureTitle_;
    QString figureFileStem_ = QStringLiteral("genre-map");
    int highlighted_ = -1;
    mutable QList<LabelPlacement> paintedLabels_;
};

}  // namespace lens::ui
