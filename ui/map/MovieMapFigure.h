#pragma once
// The movie map as data and a painter, without a widget: every movie a small square in the colour
// of its category (e.g. one chosen genre against the rest) or of a value on a continuous colour
// scale (popularity, mean rating, year), filters (hidden categories, a minimum weight such as the
// number of ratings), a few marker overlays (a persona's rated movies, its top 10), a highlighted
// movie and a legend that says what the colour means: its title, then a count per category or a
// colour bar over the values' range.
//
// MovieMapView shows one on screen (with its own cached pixel layer, zoom, pan and hover) and
// exports what it shows through it; `lens-atlas map` and the report paint one directly. As a
// Figure it paints the whole map fitted to the target on the export palette (white background),
// and exports through ui/charts like every other chart.
//
// Geometry: a Transform maps data to target coordinates with one uniform scale (the same on both
// axes, so distances are not distorted) about a centre; y grows upwards as in a chart.
// Drawing order (drawOrder()): points without a category first, then the categories from the last
// to the first, so the first category is on top (the chosen genre over the rest); with values,
// from the lowest value to the highest, points without a value first.
// The colour scale is viridis (van der Walt and Smith, matplotlib 2015): perceptually uniform, its
// lightness rises monotonically from dark violet to yellow, so the order of values reads in grey
// print and for colour-blind readers.
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
        // Drawn in mutedColor() of the palette (a grey between background and text), for "the
        // rest" against one strong category; `color` is then ignored.
        bool muted = false;
    };
    // A continuous colour scale from `minimum` to `maximum` (logarithmic: positions by log10, for
    // heavy-tailed values such as numbers of ratings; values <= 0 sit at the bottom).
    struct ValueScale {
        double minimum = 0.0, maximum = 1.0;
        bool logarithmic = false;
        int decimals = 0;      // of the colour bar's labels
        QString missingLabel;  // the legend row of points without a value (NaN), e.g. "no ratings"
    };
    // What the colour means, in one value: the legend's title, the categories and each point's
    // category (-1: none), or (when `values` is not empty) one value per point on `scale`.
    struct Colouring {
        QString title;
        QList<Category> categories;
        std::vector<int> pointCategories;
        std::vector<float> values;
        ValueScale scale;
    };
    struct ColourBarTick {
        double position = 0.0;  // 0..1 along the bar
        QString label;
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

    // Colouring (keeps positions, weights, overlays and the highlight; category visibility is
    // kept by index). setPoints() returns to plain categories without a title.
    void setColouring(Colouring colouring);
    QString legendTitle() const { return legendTitle_; }
    bool hasPointValues() const { return !values_.empty(); }
    const std::vector<float>& pointValues() const { return values_; }
    ValueScale valueScale() const { return scale_; }
    // A value's position on the scale, clamped to 0..1; NaN for a missing value.
    double scalePosition(double value) const;
    // The colour of a scale position 0..1 (viridis; positions outside are clamped).
    static QColor scaleColor(double position);
    // The labels of the colour bar: both ends (the range) and round values between them.
    std::vector<ColourBarTick> colourBarTicks() const;
    // A grey between the palette's background and text: "the rest" and missing values.
    static QColor mutedColor(const QPalette& colours);
    // What each point is painted in on `colours`, and the order in which points are painted
    // (later ones on top).
    std::vector<QRgb> pointColours(const QPalette& colours) const;
    QColor pointColor(int index, const QPalette& colours) const;
    const std::vector<int>& drawOrder() const { return drawOrder_; }
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
    // All parts of the legend in `area`: the title row, the colour bar with its labels row and
    // the row of points without a value (values only; empty otherwise).
    struct LegendParts {
        QRectF box, title, colourBar, colourBarLabels, missing;
        std::vector<QRectF> categoryRows, overlayRows;
    };
    LegendParts legendParts(const QRectF& area) const;

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
    QString missingLabel() const;
    QString tickLabel(double value) const;
    void countCategories();
    void refreshDrawOrder();

    std::vector<QPointF> positions_;
    std::vector<int> pointCategories_;
    std::vector<float> weights_;
    std::vector<unsigned char> shown_;
    std::vector<int> categoryCounts_;
    std::vector<float> values_;
    ValueScale scale_;
    int missingCount_ = 0;
    QString legendTitle_;
    std::vector<int> drawOrder_;
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
