// The custom-painted movie map (ui/map/MovieMapView): rendering of 27k points, hover, zoom, pan,
// rubber band, legend toggling, filters, highlight, overlays and PNG/SVG/PDF export.
#include <QtTest>

#include <QApplication>
#include <QFontInfo>
#include <QImage>
#include <QPalette>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QWheelEvent>
#include <cmath>
#include <set>

#include "UiTestHelpers.h"
#include "charts/Figure.h"
#include "map/MovieMapView.h"
#include "util/Random.h"

using lens::ui::exportFigure;
using lens::ui::FigureExportOptions;
using lens::ui::FigureFormat;
using lens::ui::figureFormatForPath;
using lens::ui::MovieMapView;

using lens::test::sendWheel;

namespace {

constexpr int kPoints = 27000;
constexpr int kCategories = 19;

// 19 Gaussian clusters on a ring plus one isolated point (the last index) in an empty spot.
void fillView(MovieMapView& view) {
    lens::Pcg32 random(2024);
    std::vector<QPointF> positions;
    std::vector<int> categories;
    for (int i = 0; i < kPoints - 1; ++i) {
        const int c = static_cast<int>(random.below(kCategories));
        const double angle = 2.0 * M_PI * c / kCategories;
        positions.emplace_back(10.0 * std::cos(angle) + random.normal(),
                               10.0 * std::sin(angle) + random.normal());
        categories.push_back(c);
    }
    positions.emplace_back(0.0, 0.0);  // the centre of the ring is empty
    categories.push_back(4);
    view.setPoints(std::move(positions), std::move(categories));
    QList<MovieMapView::Category> names;
    for (int c = 0; c < kCategories; ++c)
        names.append({QStringLiteral("Genre %1").arg(c), MovieMapView::defaultCategoryColor(c)});
    view.setCategories(names);
    view.setTooltipProvider(
        [](int index) { return QStringLiteral("Movie #%1 (1999)").arg(index); });
}

int countColour(const QImage& image, QColor colour) {
    const QImage rgb = image.convertToFormat(QImage::Format_RGB32);
    const QRgb target = colour.rgb();
    int count = 0;
    for (int y = 0; y < rgb.height(); ++y) {
        const auto* line = reinterpret_cast<const QRgb*>(rgb.constScanLine(y));
        for (int x = 0; x < rgb.width(); ++x) count += (line[x] | 0xff000000U) == target;
    }
    return count;
}

int countNot(const QImage& image, QColor background) {
    const QImage rgb = image.convertToFormat(QImage::Format_RGB32);
    return rgb.width() * rgb.height() - countColour(rgb, background);
}

// Brute-force nearest shown point to a widget position (for checking the grid index).
int bruteForceNearest(const MovieMapView& view, QPointF widgetPosition, double radius) {
    int best = -1;
    double bestDistance = radius * radius;
    for (int i = 0; i < view.pointCount(); ++i) {
        if (!view.isPointShown(i)) continue;
        const QPointF d = view.mapToWidget(view.pointPosition(i)) - widgetPosition;
        const double distance = QPointF::dotProduct(d, d);
        if (distance < bestDistance) {
            bestDistance = distance;
            best = i;
        }
    }
    return best;
}

}  // namespace

class TestMovieMap : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void renders27kPoints();
    void hoverFindsThePoint();
    void wheelZoomChangesVisibleRange();
    void dragPansAndRubberBandZooms();
    void keyboardZoomPanAndReset();
    void legendClickHidesCategory();
    void minimumWeightFilter();
    void highlightCentresAndMarks();
    void overlaysDrawMarkers();
    void exportsAreNotBlank_data();
    void exportsAreNotBlank();
    void darkPalette();

private:
    MovieMapView* view_ = nullptr;
};

void TestMovieMap::initTestCase() {
    QVERIFY2(!QFontInfo(QGuiApplication::font()).family().isEmpty(),
             "no font installed: offscreen text would render as empty boxes");
}

void TestMovieMap::init() {
    view_ = new MovieMapView;
    fillView(*view_);
    view_->resize(900, 700);
    view_->show();
    QVERIFY(QTest::qWaitForWindowExposed(view_));
}

void TestMovieMap::cleanup() {
    delete view_;
    view_ = nullptr;
}

void TestMovieMap::renders27kPoints() {
    QCOMPARE(view_->pointCount(), kPoints);
    QCOMPARE(view_->shownPointCount(), kPoints);
    const QImage image = view_->grab().toImage();
    const QColor background = view_->palette().color(QPalette::Base);
    const int painted = countNot(image, background);
    QVERIFY2(painted > 30000, qPrintable(QStringLiteral("only %1 painted pixels").arg(painted)));
    int coloursSeen = 0;
    for (int c = 0; c < kCategories; ++c)
        coloursSeen += countColour(image, MovieMapView::defaultCategoryColor(c)) > 200;
    QCOMPARE(coloursSeen, kCategories);
}

void TestMovieMap::hoverFindsThePoint() {
    QSignalSpy spy(view_, &MovieMapView::hoveredIndexChanged);
    const int isolated = kPoints - 1;
    const QPoint target = view_->mapToWidget(view_->pointPosition(isolated)).toPoint();
    QTest::mouseMove(view_, target);
    QTRY_COMPARE(view_->hoveredIndex(), isolated);
    QVERIFY(!spy.isEmpty());
    QCOMPARE(spy.last().at(0).toInt(), isolated);
    QCOMPARE(view_->tooltipText(view_->hoveredIndex()), QStringLiteral("Movie #26999 (1999)"));

    // In a dense area the grid finds the same point as a brute-force search, at several zooms.
    for (int zoom = 0; zoom < 3; ++zoom) {
        for (int probe : {17, 4242, 13000, 26000}) {
            const QPoint at = view_->mapToWidget(view_->pointPosition(probe)).toPoint();
            if (!view_->rect().contains(at)) continue;
            QTest::mouseMove(view_, at);
            QTRY_COMPARE(view_->hoveredIndex(), bruteForceNearest(*view_, at, 6.0));
            QVERIFY(view_->hoveredIndex() >= 0);
        }
        view_->zoomAt(view_->mapToWidget(view_->pointPosition(4242)), 3.0);
    }
    // Leaving the points clears the hover.
    QTest::mouseMove(view_, view_->mapToWidget(QPointF(0.0, 3.0)).toPoint());
    QTRY_COMPARE(view_->hoveredIndex(), -1);
    QCOMPARE(spy.last().at(0).toInt(), -1);
}

void TestMovieMap::wheelZoomChangesVisibleRange() {
    const QRectF before = view_->visibleDataRect();
    const QPointF cursor(300, 250);
    const QPointF anchor = view_->mapToData(cursor);
    QSignalSpy spy(view_, &MovieMapView::visibleRectChanged);
    sendWheel(*view_, cursor, 240);  // two notches in
    const QRectF zoomed = view_->visibleDataRect();
    QCOMPARE(spy.count(), 1);
    QVERIFY(std::abs(zoomed.width() - before.width() / 1.44) < 1e-6 * before.width());
    QVERIFY(before.contains(zoomed));
    // The point under the cursor stays under the cursor.
    QVERIFY((view_->mapToWidget(anchor) - cursor).manhattanLength() < 1e-6);
    sendWheel(*view_, cursor, -240);
    QVERIFY(std::abs(view_->visibleDataRect().width() - before.width()) < 1e-6 * before.width());
    // Fewer points are visible after zooming in: the rendering changes too.
    const QColor background = view_->palette().color(QPalette::Base);
    const int paintedBefore = countNot(view_->grab().toImage(), background);
    view_->zoomAt(view_->mapToWidget(QPointF(0.0, 0.0)), 6.0);
    const int paintedAfter = countNot(view_->grab().toImage(), background);
    QVERIFY(paintedAfter < paintedBefore / 2);
}

void TestMovieMap::dragPansAndRubberBandZooms() {
    const QRectF before = view_->visibleDataRect();
    const double scale = view_->width() / before.width();
    QTest::mousePress(view_, Qt::LeftButton, Qt::NoModifier, QPoint(400, 300));
    QTest::mouseMove(view_, QPoint(450, 330));
    QTest::mouseMove(view_, QPoint(500, 360));
    QTest::mouseRelease(view_, Qt::LeftButton, Qt::NoModifier, QPoint(500, 360));
    const QRectF panned = view_->visibleDataRect();
    // Content moved right/down by (100, 60) px: the view moved left and up in data units.
    QVERIFY(std::abs((before.left() - panned.left()) - 100.0 / scale) < 1e-6);
    QVERIFY(std::abs((panned.top() - before.top()) - 60.0 / scale) < 1e-6);
    QVERIFY(std::abs(panned.width() - before.width()) < 1e-9);

    // Right-drag rubber band from (200,150) to (400,350): the view fits that data square.
    const QRectF band(view_->mapToData(QPointF(200, 350)), view_->mapToData(QPointF(400, 150)));
    QTest::mousePress(view_, Qt::RightButton, Qt::NoModifier, QPoint(200, 150));
    QTest::mouseMove(view_, QPoint(300, 250));
    QTest::mouseMove(view_, QPoint(400, 350));
    QTest::mouseRelease(view_, Qt::RightButton, Qt::NoModifier, QPoint(400, 350));
    const QRectF zoomed = view_->visibleDataRect();
    QVERIFY(zoomed.contains(band.normalized().adjusted(1e-6, 1e-6, -1e-6, -1e-6)));
    QVERIFY(std::abs(zoomed.height() - band.normalized().height()) < 1e-6);
    QVERIFY((zoomed.center() - band.normalized().center()).manhattanLength() < 1e-6);

    // Double-click resets.
    QTest::mouseDClick(view_, Qt::LeftButton, Qt::NoModifier, QPoint(100, 600));
    QVERIFY((view_->visibleDataRect().center() - before.center()).manhattanLength() < 1e-9);
}

void TestMovieMap::keyboardZoomPanAndReset() {
    const QRectF before = view_->visibleDataRect();
    QTest::keyClick(view_, Qt::Key_Plus);
    QVERIFY(view_->visibleDataRect().width() < before.width() * 0.81);
    QTest::keyClick(view_, Qt::Key_Right);
    QVERIFY(view_->visibleDataRect().center().x() > before.center().x());
    QTest::keyClick(view_, Qt::Key_Home);
    QVERIFY(std::abs(view_->visibleDataRect().width() - before.width()) < 1e-9);
    QVERIFY((view_->visibleDataRect().center() - before.center()).manhattanLength() < 1e-9);
}

void TestMovieMap::legendClickHidesCategory() {
    const int category = 3;
    const QColor colour = MovieMapView::defaultCategoryColor(category);
    QVERIFY(countColour(view_->grab().toImage(), colour) > 500);
    const QRectF entry = view_->legendEntryRect(category);
    QVERIFY(!entry.isEmpty());
    QSignalSpy spy(view_, &MovieMapView::categoryVisibilityChanged);
    QTest::mouseClick(view_, Qt::LeftButton, Qt::NoModifier, entry.center().toPoint());
    QVERIFY(!view_->isCategoryVisible(category));
    QCOMPARE(spy.count(), 1);
    QCOMPARE(countColour(view_->grab().toImage(), colour), 0);
    QVERIFY(view_->shownPointCount() < kPoints);
    // Hidden points cannot be hovered.
    int hiddenIndex = 0;
    while (view_->pointCategory(hiddenIndex) != category) ++hiddenIndex;
    QVERIFY(view_->pointAt(view_->mapToWidget(view_->pointPosition(hiddenIndex)), 0.5) !=
            hiddenIndex);
    QTest::mouseClick(view_, Qt::LeftButton, Qt::NoModifier, entry.center().toPoint());
    QVERIFY(view_->isCategoryVisible(category));
    QVERIFY(countColour(view_->grab().toImage(), colour) > 500);
}

void TestMovieMap::minimumWeightFilter() {
    std::vector<float> weights(kPoints);
    for (int i = 0; i < kPoints; ++i)
        weights[static_cast<std::size_t>(i)] = static_cast<float>(i % 100);
    view_->setPointWeights(weights);
    QCOMPARE(view_->shownPointCount(), kPoints);
    const QColor background = view_->palette().color(QPalette::Base);
    const int paintedAll = countNot(view_->grab().toImage(), background);
    view_->setMinimumWeight(90);
    QCOMPARE(view_->shownPointCount(), 2700);
    QVERIFY(!view_->isPointShown(5));
    QVERIFY(view_->isPointShown(95));
    QVERIFY(countNot(view_->grab().toImage(), background) < paintedAll / 2);
    view_->setMinimumWeight(0);
    QCOMPARE(view_->shownPointCount(), kPoints);
}

void TestMovieMap::highlightCentresAndMarks() {
    const int index = 4242;
    const QColor highlight = view_->palette().color(QPalette::Highlight);
    const int before = countColour(view_->grab().toImage(), highlight);
    const QRectF full = view_->visibleDataRect();
    view_->highlight(index);
    QCOMPARE(view_->highlightedIndex(), index);
    const QRectF rect = view_->visibleDataRect();
    QVERIFY((rect.center() - view_->pointPosition(index)).manhattanLength() < 1e-9);
    QVERIFY(rect.width() <= full.width() / 3.9);
    QVERIFY(countColour(view_->grab().toImage(), highlight) > before + 20);
    view_->clearHighlight();
    QCOMPARE(view_->highlightedIndex(), -1);
}

void TestMovieMap::overlaysDrawMarkers() {
    const QColor persona(255, 0, 255), top(0, 255, 0);
    QCOMPARE(countColour(view_->grab().toImage(), persona), 0);
    view_->setOverlay(MovieMapView::PersonaRatedOverlay, {QStringLiteral("Persona rated"),
                                                          {10, 20, 30, 40, 50},
                                                          persona,
                                                          MovieMapView::Marker::Ring});
    view_->setOverlay(MovieMapView::TopRankedOverlay, {QStringLiteral("Top 10"),
                                                       {1, 2, 3, 4, 5, 6, 7, 8, 9, 11},
                                                       top,
                                                       MovieMapView::Marker::Diamond});
    const QImage image = view_->grab().toImage();
    QVERIFY(countColour(image, persona) > 20);
    QVERIFY(countColour(image, top) > 50);
    view_->clearOverlay(MovieMapView::PersonaRatedOverlay);
    QCOMPARE(countColour(view_->grab().toImage(), persona), 0);
}

void TestMovieMap::exportsAreNotBlank_data() {
    QTest::addColumn<QString>("fileName");
    QTest::newRow("png") << QStringLiteral("map.png");
    QTest::newRow("svg") << QStringLiteral("map.svg");
    QTest::newRow("pdf") << QStringLiteral("map.pdf");
}

void TestMovieMap::exportsAreNotBlank() {
    QFETCH(QString, fileName);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(fileName);
    // The map exports through ui/charts like every chart (exportFigure), as it shows on screen.
    const auto format = figureFormatForPath(path);
    QVERIFY(format.has_value());
    FigureExportOptions options;
    options.logicalSize = QSize(900, 700);
    options.dpi = 192;
    options.footer = QStringLiteral("ml-latest-small · ALS 64 factors · t-SNE perplexity 30");
    view_->setOverlay(
        MovieMapView::TopRankedOverlay,
        {QStringLiteral("Top 10"), {1, 2, 3}, QColor(0, 255, 0), MovieMapView::Marker::Diamond});
    QString error;
    QVERIFY2(exportFigure(*view_, path, *format, options, &error), qPrintable(error));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray bytes = file.readAll();
    switch (*format) {
        case FigureFormat::Png: {
            QImage image;
            QVERIFY(image.loadFromData(bytes, "PNG"));
            QCOMPARE(image.width(), 1800);                   // 900 logical px at 192 dpi
            QVERIFY(image.height() > 1400);                  // 700 + footer
            const int painted = countNot(image, Qt::white);  // the export background
            QVERIFY2(painted > 100000, qPrintable(QString::number(painted)));
            int coloursSeen = 0;
            for (int c = 0; c < kCategories; ++c)
                coloursSeen += countColour(image, MovieMapView::defaultCategoryColor(c)) > 200;
            QCOMPARE(coloursSeen, kCategories);
            break;
        }
        case FigureFormat::Svg:
            QVERIFY(bytes.startsWith("<?xml"));
            QVERIFY(bytes.contains("<svg"));
            QVERIFY(bytes.count("<rect") + bytes.count("<path") > 1000);  // the points are drawn
            QVERIFY(bytes.contains("ALS 64 factors"));                    // footer text
            break;
        case FigureFormat::Pdf:
            QVERIFY(bytes.startsWith("%PDF"));
            QVERIFY2(bytes.size() > 50000, qPrintable(QString::number(bytes.size())));
            break;
    }
    // A folder that does not exist gives an error naming the path, not a crash.
    QVERIFY(!exportFigure(*view_, dir.filePath(QStringLiteral("missing/") + fileName), *format,
                          options, &error));
    QVERIFY(error.contains(QStringLiteral("missing")));
}

void TestMovieMap::darkPalette() {
    QPalette dark;
    dark.setColor(QPalette::Base, QColor(30, 30, 30));
    dark.setColor(QPalette::Window, QColor(45, 45, 45));
    dark.setColor(QPalette::Text, QColor(230, 230, 230));
    dark.setColor(QPalette::WindowText, QColor(230, 230, 230));
    view_->setPalette(dark);
    const QImage image = view_->grab().toImage();
    QCOMPARE(QColor(image.pixel(5, image.height() - 5)).rgb(), QColor(30, 30, 30).rgb());
    QVERIFY(countNot(image, QColor(30, 30, 30)) > 30000);
    QVERIFY(countColour(image, QColor(230, 230, 230)) > 20);  // legend text
}

QTEST_MAIN(TestMovieMap)
#include "tst_movie_map.moc"
