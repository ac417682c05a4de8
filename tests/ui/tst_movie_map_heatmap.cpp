// The genre similarity heat map (ui/map/HeatmapView): cell geometry, hover value, colours; the
// genre map (ui/map/GenreMapView): disc sizes, hit testing, axis titles; both as exported Figures.
#include <QtTest>

#include <QFontInfo>
#include <QSignalSpy>

#include "charts/Figure.h"
#include "map/GenreMapView.h"
#include "map/HeatmapView.h"

using lens::ui::GenreMapView;
using lens::ui::HeatmapView;

class TestHeatmapView : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { QVERIFY(!QFontInfo(QGuiApplication::font()).family().isEmpty()); }

    void hoverReportsTheCellValue() {
        HeatmapView view;
        const QStringList labels = {QStringLiteral("Action"), QStringLiteral("Comedy"),
                                    QStringLiteral("Drama")};
        view.setMatrix(labels, {1.0, 0.2, -0.5,  //
                                0.2, 1.0, 0.7,   //
                                -0.5, 0.7, 1.0});
        view.resize(500, 420);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QCOMPARE(view.dimension(), 3);
        QSignalSpy spy(&view, &HeatmapView::hoveredCellChanged);
        const QRectF cell = view.cellRect(1, 2);
        QVERIFY(!cell.isEmpty());
        QCOMPARE(view.cellAt(cell.center()), QPoint(2, 1));
        QTest::mouseMove(&view, cell.center().toPoint());
        QTRY_COMPARE(view.hoveredCell(), QPoint(2, 1));
        QCOMPARE(spy.last().at(2).toDouble(), 0.7);
        QCOMPARE(view.cellAt(QPointF(1, 1)), QPoint(-1, -1));

        // The painted cell carries the value's colour; opposite signs differ in hue.
        const QImage image = view.grab().toImage();
        const QRectF negative = view.cellRect(0, 2);
        QCOMPARE(QColor(image.pixel(negative.center().toPoint())).rgb(),
                 view.colourFor(-0.5).rgb());
        QVERIFY(view.colourFor(-0.9).blue() > view.colourFor(-0.9).red());
        QVERIFY(view.colourFor(0.9).red() > view.colourFor(0.9).blue());

        // A malformed matrix clears the view instead of reading out of bounds.
        view.setMatrix(labels, {1.0, 2.0});
        QCOMPARE(view.dimension(), 0);
        QCOMPARE(view.cellAt(cell.center()), QPoint(-1, -1));
    }

    void genreMapGeometryAndHover() {
        GenreMapView view;
        view.resize(600, 500);
        view.setGenres({{QStringLiteral("Drama"), QPointF(-1.0, 0.5), 4000, Qt::red, {}},
                        {QStringLiteral("Film-Noir"), QPointF(2.0, -1.0), 40, Qt::blue, {}},
                        {QStringLiteral("Comedy"), QPointF(0.5, 2.0), 1000, Qt::green, {}}});
        view.setAxisTitles(QStringLiteral("PC 1 (40.0 % of variance)"),
                           QStringLiteral("PC 2 (20.0 % of variance)"));
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QCOMPARE(view.pointCount(), 3);
        // Disc area grows with the number of movies (radius with its square root).
        QVERIFY(view.radiusOf(0) > view.radiusOf(2));
        QVERIFY(view.radiusOf(2) > view.radiusOf(1));
        // Positions keep their order on screen (y upwards) and hit testing finds each genre.
        QVERIFY(view.mapToWidget(QPointF(-1.0, 0.5)).x() < view.mapToWidget(QPointF(2.0, -1)).x());
        QVERIFY(view.mapToWidget(QPointF(0.5, 2.0)).y() < view.mapToWidget(QPointF(2.0, -1)).y());
        for (int i = 0; i < 3; ++i)
            QCOMPARE(view.genreAt(view.mapToWidget(view.genres()[i].position)), i);
        QCOMPARE(view.genreAt(QPointF(2, 2)), -1);
        QSignalSpy clicked(&view, &GenreMapView::genreClicked);
        QTest::mouseClick(&view, Qt::LeftButton, {},
                          view.mapToWidget(view.genres()[1].position).toPoint());
        QCOMPARE(clicked.count(), 1);
        QCOMPARE(view.highlightedGenre(), 1);
        // The disc of Drama is painted in its colour.
        const QImage image = view.grab().toImage();
        const QColor centre(image.pixel(view.mapToWidget(QPointF(-1.0, 0.5)).toPoint()));
        QVERIFY(centre.red() > 150 && centre.green() < 150 && centre.blue() < 150);
    }

    void figuresExportOnWhiteAndAreNotBlank() {
        HeatmapView heatmap;
        heatmap.setMatrix({QStringLiteral("Action"), QStringLiteral("Comedy")},
                          {1.0, -0.4, -0.4, 1.0});
        heatmap.setFigureTitle(QStringLiteral("Genre cosine similarity"));
        GenreMapView genres;
        genres.setGenres({{QStringLiteral("Drama"), QPointF(-1.0, 0.5), 4000, Qt::red, {}},
                          {QStringLiteral("Comedy"), QPointF(0.5, 2.0), 1000, Qt::green, {}}});
        // A dark screen palette must not leak into exports.
        QPalette dark;
        dark.setColor(QPalette::Base, QColor(20, 20, 20));
        dark.setColor(QPalette::Window, QColor(30, 30, 30));
        dark.setColor(QPalette::WindowText, Qt::white);
        heatmap.setPalette(dark);
        genres.setPalette(dark);
        for (const lens::ui::Figure* figure : {static_cast<const lens::ui::Figure*>(&heatmap),
                                               static_cast<const lens::ui::Figure*>(&genres)}) {
            lens::ui::FigureExportOptions options;
            options.dpi = 96;
            options.footer = QStringLiteral("synthetic · test");
            const QImage image = lens::ui::renderFigureImage(*figure, options);
            QVERIFY(lens::ui::imageHasContent(image, 8));
            QCOMPARE(QColor(image.pixel(3, 3)), QColor(Qt::white));
            int dark = 0;
            for (int y = 0; y < image.height(); y += 3)
                for (int x = 0; x < image.width(); x += 3) dark += qGray(image.pixel(x, y)) < 40;
            QVERIFY2(dark > 20, "text is drawn in black");           // labels, titles
            QVERIFY(dark < image.width() * image.height() / 9 / 4);  // not a dark background
        }
    }
};

QTEST_MAIN(TestHeatmapView)
#include "tst_movie_map_heatmap.moc"
