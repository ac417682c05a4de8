// The genre similarity heat map (ui/map/HeatmapView): cell geometry, hover value, colours.
#include <QtTest>

#include <QFontInfo>
#include <QSignalSpy>

#include "map/HeatmapView.h"

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
};

QTEST_MAIN(TestHeatmapView)
#include "tst_movie_map_heatmap.moc"
