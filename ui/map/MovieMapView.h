#pragma once
// A scatter map of many points (every movie of a model: 27k for ML-20M, 100k+ fine) painted by
// hand, because Qt Charts' scatter series takes seconds to first show that many points.
//
// Drawing: the points are stamped pixel by pixel into a cached QImage (one small disc per point,
// coloured by category); the image is rebuilt only when the data, the filters, the view transform,
// the size or the palette change, and blitted otherwise. Overlays (highlight, hover ring, marker
// sets such as "persona rated" and "top 10", the legend, the rubber band) are few and painted with
// QPainter on top of the cached image each frame.
// View: a uniform scale (data units to pixels, same on both axes so distances are not distorted)
// and a centre; y grows upwards as in a chart. Wheel zooms at the cursor (factor 1.2 per notch),
// left drag pans, Shift+left drag or right drag zooms to a rubber band, double-click or Home
// resets; +/- zoom, arrow keys pan by a tenth of the view.
// Hover: a uniform grid over the data's bounding box (about 4 points per cell) finds the nearest
// shown point within a few pixels in O(points in the nearby cells).
// Filters: per-category visibility (toggled by clicking the legend) and a minimum weight (e.g.
// number of ratings) per point. Exports (PNG at a chosen DPI, SVG, PDF) paint the same scene with
// vector rectangles for the points and a footer line naming dataset, model and projection.
#include <QColor>
#include <QImage>
#include <QPointF>
#include <QRectF>
#include <QString>
#include <QWidget>
#include <functional>
#include <optional>
#include <vector>

#include "charts/Figure.h"

namespace lens::ui {

class MovieMapView : public QWidget, public Figure {
    Q_OBJECT

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
    enum class ExportFormat { Png, Svg, Pdf };
    struct ExportOptions {
        QSize logicalSize;  // in 1/96 inch units; empty = the widget's size (or 1000 x 750)
        int dpi = 150;      // PNG only
        QString footer;     // e.g. "ml-latest-small · ALS (64 factors) · t-SNE perplexity 30"
    };
    using TooltipProvider = std::function<QString(int index)>;

    explicit MovieMapView(QWidget* parent = nullptr);
    ~MovieMapView() override;

    // Data. Categories index into setCategories() (-1 = none, drawn grey; an index beyond the list
    // gets a default colour). Resets the view, weights, overlays, hover and highlight; category
    // visibility is kept (the same genres across models).
    void setPoints(std::vector<QPointF> positions, std::vector<int> categories);
    void setCategories(const QList<Category>& categories);
    int pointCount() const { return static_cast<int>(positions_.size()); }
    QPointF pointPosition(int index) const;
    int pointCategory(int index) const;
    QList<Category> categories() const { return categories_; }
    static QColor defaultCategoryColor(int category);

    // Filters.
    void setCategoryVisible(int category, bool visible);
    bool isCategoryVisible(int category) const;
    void setPointWeights(std::vector<float> weights);  // empty = no weight filter
    void setMinimumWeight(double minimum);
    double minimumWeight() const { return minimumWeight_; }
    bool isPointShown(int index) const;
    int shownPointCount() const { return shownCount_; }

    // Overlays and search.
    void setOverlay(int slot, Overlay overlay);
    void clearOverlay(int slot);
    Overlay overlay(int slot) const;  // empty when unset
    void highlight(int index);        // centres the view on the point (zooming in) and marks it
    void clearHighlight();
    int highlightedIndex() const { return highlighted_; }

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

    // Writes the scene atomically; returns false with a message on failure.
    bool exportTo(const QString& path, ExportFormat format, const ExportOptions& options,
                  QString* error = nullptr) const;
    static std::optional<ExportFormat> formatForPath(const QString& path);

    // Figure: exports through FigureCard / exportFigure like every chart. paintFigure() draws the
    // current view (points, overlays, legend) on a light export palette (white background) into
    // the target; the footer is added by the export.
    QString figureTitle() const override { return figureTitle_; }
    QString figureFileStem() const override { return figureFileStem_; }
    QSize preferredFigureSize() const override { return {1000, 750}; }
    void paintFigure(QPainter& painter, const QRectF& target) const override;
    void setFigureTitle(const QString& title) { figureTitle_ = title; }
    void setFigureFileStem(const QString& stem) { figureFileStem_ = stem; }
    // The light palette used for exports (white base, black text), shared with the other map views.
    static QPalette exportPalette(const QPalette& screen);

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
    struct Transform;  // data -> target coordinates for the screen or an export

    Transform widgetTransform() const;
    Transform fittedTransform(const QSizeF& size) const;
    void paintOverlays(QPainter& painter, const Transform& transform,
                       const QPalette& colours) const;
    // Rectangles of the legend box and of each category row (empty for unlisted categories).
    QRectF legendLayout(const QRectF& area, std::vector<QRectF>* categoryRows,
                        std::vector<QRectF>* overlayRows) const;
    void paintLegend(QPainter& painter, const QRectF& area, const QPalette& colours) const;
    double fitScale(const QSizeF& size) const;
    void paintScene(QPainter& painter, const QSizeF& mapSize, const QString& footer,
                    const QPalette& colours) const;
    QFont pixelFont() const;
    void rebuildIndex();
    void refreshShown();
    void invalidateLayer();
    void setHovered(int index);
    void viewChanged();
    QRectF dataBounds() const { return bounds_; }
    QRectF computeBounds() const;
    QColor categoryColor(int category) const;

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
    int hovered_ = -1;
    TooltipProvider tooltipProvider_;

    // Uniform grid over dataBounds_.
    QRectF gridBounds_;
    int gridColumns_ = 0, gridRows_ = 0;
    std::vector<int> cellStart_;
    std::vector<int> cellPoints_;

    QPointF centre_;
    double scale_ = 1.0;
    bool viewFollowsSize_ = true;  // until the user zooms or pans, refit on resize
    double pointRadius_ = 2.0;
    bool legendVisible_ = true;

    QString figureTitle_ = tr("Movie map");
    QString figureFileStem_ = QStringLiteral("movie-map");

    QImage layer_;
    bool layerValid_ = false;

    enum class Drag { None, Pan, RubberBand };
    Drag drag_ = Drag::None;
    QPointF dragStart_, dragLast_;
    bool dragMoved_ = false;
};

}  // namespace lens::ui
