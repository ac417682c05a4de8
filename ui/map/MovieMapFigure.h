#pragma once
// The movie map as data and a painter, without a widget: every movie a small square in the colour
// of its category (primary genre), filters (hidden categories, a minimum weight such as the number
// of ratings), a few marker overlays (a persona's rated movies, its top 10), a highlighted movie
// and a legend with a count per category.
//
// MovieMapView shows one on screen (with its own cached pixel layer, zoom, pan and hover) and
// exports what it shows through it; `lens-atlas map` and the report paint one directly. As a
// Figure it paints the whole map fitted to the target on the export palette (white background),
// and exports through ui/charts like every other chart.
//
// Geometry: a Transform maps data to target coordinates with one uniform scale (the same on both
// axes, so distances are not distorted) about a centre; y grows upwards as in a chart.
#include <QColor>
#include <QCoreApplication>
#include <QFont>
#include <QList>
#include <QPalette>
#include <QPointF>
#include <QRectF>
#include <QString>
#include <vector>

#include "charts/Figure.h"

namespace lens::ui {

class MovieMapFigure : public Figure {
    Q_DECLARE_TR_FUNCTIONS(MovieMapFigure)

public:
    struct Category {
        QString name;
        QColor color;
    };
    enum class Marker { Ring, Diamond };
    // A small set of points drawn on top with a distinct marker (e.g. a persona's rated movies).
    struct Overlay {
        QString label;
        std::vector<int> indices;
        QColor color;
        Marker marker = Marker::Ring;
    };
    enum OverlaySlot { PersonaRatedOverlay = 0, TopRankedOverlay = 1, OverlaySlotCount = 2 };
    struct Transform {
        QPointF centre;
        double scale = 1.0;
        QSizeF size;
        QPointF map(const QPointF& data) const {
            return {size.width() / 2.0 + (data.x() - centre.x()) * scale,
                    size.height() / 2.0 - (data.y() - centre.y()) * scale};
        }
        QPointF unmap(const QPointF& target) const {
            return {centre.x() + (target.x() - size.width() / 2.0) / scale,
                    centre.y() - (target.y() - size.height() / 2.0) / scale};
        }
    };

    MovieMapFigure();

    // Data. Categories index into setCategories() (-1 = none, drawn grey; an index beyond the list
    // gets a default colour). setPoints() clears weights, overlays and the highlight; category
    // visibility is kept (the same genres across models).
    void setPoints(std::vector<QPointF> positions, std::vector<int> categories);
    void setCategories(const QList<Category>& categories);
    int pointCount() const { return static_cast<int>(positions_.size()); }
    QPointF pointPosition(int index) const;
    int pointCategory(int index) const;
    QList<Category> categories() const { return categories_; }
    QColor categoryColor(int category) const;
    static QColor defaultCategoryColor(int category);
    QRectF dataBounds() const { return bounds_; }  // never empty
    // For drawing loops: one entry per point.
    const std::vector<QPointF>& positions() const { return positions_; }
    const std::vector<int>& pointCategories() const { return pointCategories_; }
    const std::vector<unsigned char>& shownMask() const { return shown_; }
    int categorySlots() const { return static_cast<int>(categoryCounts_.size()); }

    // Filters. setCategoryVisible() returns whether anything changed.
    bool setCategoryVisible(int category, bool visible);
    bool isCategoryVisible(int category) const;
    void setPointWeights(std::vector<float> weights);  // empty = no weight filter
    void setMinimumWeight(double minimum);
    double minimumWeight() const { return minimumWeight_; }
    bool isPointShown(int index) const;
    int shownPointCount() const { return shownCount_; }

    // Overlays and the highlighted point (-1: none).
    void setOverlay(int slot, Overlay overlay);
    void clearOverlay(int slot);
    Overlay overlay(int slot) const;  // empty when unset
    void setHighlighted(int index);
    int highlightedIndex() const { return highlighted_; }

    // Look: the (pixel-sized) font of the legend, the legend, the points' radius in pixels.
    void setFont(const QFont& font) { font_ = font; }
    QFont font() const { return font_; }
    void setLegendVisible(bool visible) { legendVisible_ = visible; }
    bool isLegendVisible() const { return legendVisible_; }
    void setPointRadius(double pixels);
    double pointRadius() const { return pointRadius_; }

    // Geometry: the scale at which the whole data fits `size`, and that transform.
    double fitScale(const QSizeF& size) const;
    Transform fittedTransform(const QSizeF& size) const;
    // The legend box in `area` (top right) and the rows of each category and overlay (empty rows
    // for categories and overlays not listed).
    QRectF legendLayout(const QRectF& area, std::vector<QRectF>* categoryRows,
                        std::vector<QRectF>* overlayRows) const;

    // Painting into a target whose top left is (0, 0) and size is transform.size.
    void paintOverlays(QPainter& painter, const Transform& transform,
                       const QPalette& colours) const;
    void paintLegend(QPainter& painter, const QRectF& area, const QPalette& colours) const;
    // Background, the shown points as vector squares, overlays and legend.
    void paintScene(QPainter& painter, const Transform& transform, const QPalette& colours) const;

    // Figure: the whole map.
    QString figureTitle() const override { return figureTitle_; }
    QString figureFileStem() const override { return figureFileStem_; }
    QSize preferredFigureSize() const override { return {1000, 750}; }
    void paintFigure(QPainter& painter, const QRectF& target) const override;
    void setFigureTitle(const QString& title) { figureTitle_ = title; }
    void setFigureFileStem(const QString& stem) { figureFileStem_ = stem; }
    // The light palette of exports (white base, black text), shared with the other map figures.
    static QPalette exportPalette(const QPalette& screen);
    // The legend font for a base font: its own pixel size, at least 9 px, so that it is the same
    // number of logical units on every device (screen, PNG at any DPI, SVG, PDF).
    static QFont pixelFont(const QFont& base);

private:
    void refreshShown();
    QRectF computeBounds() const;
    QString categoryLabel(int category) const;

    std::vector<QPointF> positions_;
    std::vector<int> pointCategories_;
    std::vector<float> weights_;
    std::vector<unsigned char> shown_;
    std::vector<int> categoryCounts_;
    QRectF bounds_{-1.0, -1.0, 2.0, 2.0};
    int shownCount_ = 0;
    QList<Category> categories_;
    std::vector<bool> categoryVisible_;
    double minimumWeight_ = 0.0;
    std::vector<Overlay> overlays_;
    int highlighted_ = -1;
    QFont font_;
    double pointRadius_ = 2.0;
    bool legendVisible_ = true;
    QString figureTitle_;
    QString figureFileStem_ = QStringLiteral("movie-map");
};

}  // namespace lens::ui
