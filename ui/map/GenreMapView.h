#pragma once
// The genre map: one labelled point per genre in a 2D projection of the genre vectors, the disc
// area proportional to the genre's number of movies (radius = r_min + (r_max - r_min) sqrt(m /
// m_max)), with axes, tick labels and axis titles that carry the variance each PCA axis explains.
// Hover shows the genre's exact position, movie count and nearest genres (given as text by the
// panel: similarities are measured in the full space, not in 2D).
//
// Painted by hand rather than with Qt Charts because every point needs its own size and label;
// the same code paints the widget (palette colours) and exports (white background) as a Figure.
#include <QColor>
#include <QList>
#include <QPointF>
#include <QString>
#include <QWidget>

#include "charts/Figure.h"

class QPainter;

namespace lens::ui {

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
};

}  // namespace lens::ui
