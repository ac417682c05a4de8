#pragma once
// The movie map on screen: a MovieMapFigure (every movie of a model: 27k for ML-20M, 100k+ fine)
// with zoom, pan, hover and a cached pixel layer, because Qt Charts' scatter series takes seconds
// to first show that many points.
//
// Drawing: the points are stamped pixel by pixel into a cached QImage (one small disc per point,
// coloured as the figure says, in its drawing order); the image is rebuilt only when the data,
// the colouring, the filters, the view transform, the size or the palette change, and blitted
// otherwise. Overlays (highlight, hover ring, marker
// sets such as "persona rated" and "top 10", the legend, the rubber band) are few and painted with
// QPainter on top of the cached image each frame.
// View: a uniform scale (data units to pixels, same on both axes so distances are not distorted)
// and a centre; y grows upwards as in a chart. Wheel zooms at the cursor (factor 1.2 per notch),
// left drag pans, Shift+left drag or right drag zooms to a rubber band, double-click or Home
// resets; +/- zoom, arrow keys pan by a tenth of the view.
// Hover: a uniform grid over the data's bounding box (about 4 points per cell) finds the nearest
// shown point within a few pixels in O(points in the nearby cells).
// Filters: per-category visibility (toggled by clicking the legend) and a minimum weight (e.g.
// number of ratings) per point. Export: as a Figure (FigureCard, exportFigure in ui/charts, like
// every chart), the view paints what it shows through its MovieMapFigure on the export palette.
#include <QImage>
#include <QPointF>
#include <QRectF>
#include <QString>
#include <QWidget>
#include <functional>
#include <vector>

#include "charts/Figure.h"
#include "map/MovieMapFigure.h"

namespace lens::ui {

class MovieMapView : public QWidget, public Figure {
    Q_OBJECT

public:
    using Category = MovieMapFigure::Category;
    using Marker = MovieMapFigure::Marker;
    using Overlay = MovieMapFigure::Overlay;
    static constexpr int PersonaRatedOverlay = MovieMapFigure::PersonaRatedOverlay;
    static constexpr int TopRankedOverlay = MovieMapFigure::TopRankedOverlay;
    using TooltipProvider = std::function<QString(int index)>;

    explicit MovieMapView(QWidget* parent = nullptr);
    ~MovieMapView() override;

    // What is drawn (data, filters, overlays, highlight, legend) and exported.
    const MovieMapFigure& figure() const { return figure_; }

    // Data (see MovieMapFigure). setPoints() also resets the view and the hover.
    void setPoints(std::vector<QPointF> positions, std::vector<int> categories);
    void setCategories(const QList<Category>& categories);
    // What the colour means (see MovieMapFigure::Colouring); keeps the view and overlays.
    void setColouring(MovieMapFigure::Colouring colouring);
    QString legendTitle() const { return figure_.legendTitle(); }
    int pointCount() const { return figure_.pointCount(); }
    QPointF pointPosition(int index) const { return figure_.pointPosition(index); }
    int pointCategory(int index) const { return figure_.pointCategory(index); }
    QList<Category> categories() const { return figure_.categories(); }
    static QColor defaultCategoryColor(int category) {
        return MovieMapFigure::defaultCategoryColor(category);
    }

    // Filters.
    void setCategoryVisible(int category, bool visible);
    bool isCategoryVisible(int category) const { return figure_.isCategoryVisible(category); }
    void setPointWeights(std::vector<float> weights);  // empty = no weight filter
    void setMinimumWeight(double minimum);
    double minimumWeight() const { return figure_.minimumWeight(); }
    bool isPointShown(int index) const { return figure_.isPointShown(index); }
    int shownPointCount() const { return figure_.shownPointCount(); }

    // Overlays and search.
    void setOverlay(int slot, Overlay overlay);
    void clearOverlay(int slot);
    Overlay overlay(int slot) const { return figure_.overlay(slot); }  // empty when unset
    void highlight(int index);  // centres the view on the point (zooming in) and marks it
    void clearHighlight();
    int highlightedIndex() const { return figure_.highlightedIndex(); }

    // Tooltips: the text for a point (title, year, genres, ratings); default "Point N".
    void setTooltipProvider(TooltipProvider provider);
    QString tooltipText(int index) const;

    // View.
    QRectF visibleDataRect() const;
    void setVisibleDataRect(const QRectF& rect);  // fits the rect (uniform scale)
    void zoomAt(const QPointF& widgetPosition, double factor);
    void panByPixels(const QPointF& delta);  // content moves by delta
    void resetView();
    QPointF mapToWidget(const QPointF& data) const;
    QPointF mapToData(const QPointF& widget) const;
    // Nearest shown point within `radius` pixels of a widget position, or -1.
    int pointAt(const QPointF& widgetPosition, double radius = 6.0) const;
    int hoveredIndex() const { return hovered_; }

    // Legend (top right; click an entry to toggle its category).
    void setLegendVisible(bool visible);
    QRectF legendEntryRect(int category) const;  // widget coordinates; empty if not listed
    void setPointRadius(double pixels);

    // Figure: paintFigure() draws the current view (points, overlays, legend) on the export
    // palette (white background) into the target, scaled to fit; the footer is added by the
    // export (ui/charts exportFigure, FigureCard).
    QString figureTitle() const override { return figure_.figureTitle(); }
    QString figureFileStem() const override { return figure_.figureFileStem(); }
    QSize preferredFigureSize() const override { return figure_.preferredFigureSize(); }
    void paintFigure(QPainter& painter, const QRectF& target) const override;
    void setFigureTitle(const QString& title) { figure_.setFigureTitle(title); }
    void setFigureFileStem(const QString& stem) { figure_.setFigureFileStem(stem); }
    // The light palette used for exports (white base, black text), shared with the other map views.
    static QPalette exportPalette(const QPalette& screen) {
        return MovieMapFigure::exportPalette(screen);
    }

    // Renders the point layer only (what a frame costs); used by paintEvent and the benchmark.
    void renderPointLayer();

signals:
    void hoveredIndexChanged(int index);  // -1 when the cursor leaves all points
    void pointClicked(int index);
    void visibleRectChanged(const QRectF& rect);
    void categoryVisibilityChanged(int category, bool visible);

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void leaveEvent(QEvent* event) override;
    void changeEvent(QEvent* event) override;
    bool event(QEvent* event) override;

private:
    using Transform = MovieMapFigure::Transform;

    Transform widgetTransform() const;
    // The widget's view scaled into a target of another size (an export).
    Transform exportTransform(const QSizeF& size) const;
    void filtersChanged();
    void rebuildIndex();
    void invalidateLayer();
    void setHovered(int index);
    void viewChanged();

    MovieMapFigure figure_;
    int hovered_ = -1;
    TooltipProvider tooltipProvider_;

    // Uniform grid over the data bounds.
    QRectF gridBounds_;
    int gridColumns_ = 0, gridRows_ = 0;
    std::vector<int> cellStart_;
    std::vector<int> cellPoints_;

    QPointF centre_;
    double scale_ = 1.0;
    bool viewFollowsSize_ = true;  // until the user zooms or pans, refit on resize

    QImage layer_;
    bool layerValid_ = false;

    enum class Drag { None, Pan, RubberBand };
    Drag drag_ = Drag::None;
    QPointF dragStart_, dragLast_;
    bool dragMoved_ = false;
};

}  // namespace lens::ui
