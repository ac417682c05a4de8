// Label placement of the genre map (placeDiscLabels in ui/map/GenreMapView): on clustered discs
// no two labels overlap, none cuts a disc and all stay inside the plot; a lone label keeps its
// old place right of its disc (left at the right edge); the result is deterministic; and a real
// GenreMapView with crowded genres paints its labels (on screen and in the export) without
// overlaps, text really drawn inside the reported boxes.
#include <QtTest>

#include <QFontInfo>
#include <QImage>
#include <QPainter>
#include <cmath>

#include "map/GenreMapView.h"

using namespace lens::ui;

namespace {

bool cutsDisc(const QRectF& rect, const QPointF& centre, double radius) {
    const double nx = std::clamp(centre.x(), rect.left(), rect.right());
    const double ny = std::clamp(centre.y(), rect.top(), rect.bottom());
    return std::hypot(centre.x() - nx, centre.y() - ny) < radius - 1e-9;
}

// Empty when the boxes are pairwise disjoint and inside `bounds`; otherwise what is wrong.
QString overlapProblem(const QList<QRectF>& boxes, const QRectF& bounds, const QStringList& names) {
    for (int i = 0; i < boxes.size(); ++i) {
        if (!bounds.contains(boxes[i]))
            return QStringLiteral("label %1 leaves the plot").arg(names.value(i));
        for (int j = i + 1; j < boxes.size(); ++j)
            if (boxes[i].intersects(boxes[j]))
                return QStringLiteral("labels %1 and %2 overlap")
                    .arg(names.value(i), names.value(j));
    }
    return {};
}

QList<QRectF> rectsOf(const QList<LabelPlacement>& placements) {
    QList<QRectF> rects;
    for (const LabelPlacement& p : placements) rects << p.rect;
    return rects;
}

}  // namespace

class TestGenreMapLabels : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { QVERIFY(!QFontInfo(QGuiApplication::font()).family().isEmpty()); }

    void clusteredLabelsDoNotOverlap_data() {
        QTest::addColumn<QList<LabelledDisc>>("discs");
        QTest::addColumn<QRectF>("plot");
        const QRectF plot(40, 20, 600, 400);
        QList<LabelledDisc> six;  // 6 genres within a few pixels, various sizes
        for (int i = 0; i < 6; ++i)
            six.append(
                {QPointF(320 + 1.5 * i, 210 + (i % 3)), 6.0 + 3.0 * i, QSizeF(48 + 9 * i, 15)});
        QTest::newRow("six within a few pixels") << six << plot;

        QList<LabelledDisc> nineteen;  // all genres on one spot
        for (int i = 0; i < 19; ++i)
            nineteen.append({QPointF(340, 220), 4.0 + i % 7, QSizeF(40 + (i * 13) % 50, 15)});
        QTest::newRow("nineteen on one spot") << nineteen << plot;

        QList<LabelledDisc> corner;  // a cluster in the plot's top-right corner
        for (int i = 0; i < 7; ++i)
            corner.append({QPointF(632 - i, 26 + i), 5.0 + i, QSizeF(70, 15)});
        QTest::newRow("cluster in a corner") << corner << plot;

        QList<LabelledDisc> twoClusters;  // like the demo map: two tight groups of large discs
        for (int i = 0; i < 6; ++i) {
            twoClusters.append({QPointF(300 + 6 * std::cos(i), 380 + 6 * std::sin(i)), 8.0 + 3 * i,
                                QSizeF(64, 15)});
            twoClusters.append({QPointF(500 + 5 * std::sin(i), 120 + 5 * std::cos(i)), 20.0 - 2 * i,
                                QSizeF(56, 15)});
        }
        QTest::newRow("two clusters") << twoClusters << plot;
    }

    void clusteredLabelsDoNotOverlap() {
        QFETCH(QList<LabelledDisc>, discs);
        QFETCH(QRectF, plot);
        const QList<LabelPlacement> placements = placeDiscLabels(discs, plot);
        QCOMPARE(placements.size(), discs.size());
        QStringList names;
        for (int i = 0; i < discs.size(); ++i) names << QString::number(i);
        const QString problem = overlapProblem(rectsOf(placements), plot, names);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        for (int i = 0; i < discs.size(); ++i) {
            const LabelPlacement& p = placements[i];
            QCOMPARE(p.rect.size(), discs[i].labelSize);
            for (const LabelledDisc& d : discs)
                QVERIFY2(!cutsDisc(p.rect, d.centre, d.radius),
                         qPrintable(QStringLiteral("label %1 covers a disc").arg(i)));
            if (p.hasLeader) {
                // The leader starts on the disc's rim and ends on the label box.
                const QPointF start = p.leader.p1() - discs[i].centre;
                QVERIFY(std::abs(std::hypot(start.x(), start.y()) - discs[i].radius) < 1e-6);
                QVERIFY(p.rect.adjusted(-1e-6, -1e-6, 1e-6, 1e-6).contains(p.leader.p2()));
            }
        }
        // Deterministic: the same input gives the same boxes.
        QCOMPARE(rectsOf(placeDiscLabels(discs, plot)), rectsOf(placements));
    }

    void loneLabelKeepsItsPlaceBesideTheDisc() {
        const QRectF plot(0, 0, 500, 300);
        const QList<LabelPlacement> middle =
            placeDiscLabels({{QPointF(200, 150), 10, {60, 15}}}, plot);
        QCOMPARE(middle.size(), 1);
        QCOMPARE(middle[0].rect, QRectF(213, 142.5, 60, 15));  // right of the disc, 3 px gap
        QVERIFY(!middle[0].hasLeader);
        const QList<LabelPlacement> edge =
            placeDiscLabels({{QPointF(480, 150), 10, {60, 15}}}, plot);
        QCOMPARE(edge[0].rect, QRectF(407, 142.5, 60, 15));  // no room on the right: left of it
        // A disc on the right of the first: the first label goes left rather than cover it.
        const QList<LabelPlacement> pair = placeDiscLabels(
            {{QPointF(200, 150), 12, {60, 15}}, {QPointF(240, 150), 6, {60, 15}}}, plot);
        QCOMPARE(pair[0].rect, QRectF(125, 142.5, 60, 15));
        QCOMPARE(pair[1].rect, QRectF(249, 142.5, 60, 15));
        QVERIFY(!pair[0].hasLeader && !pair[1].hasLeader);
        // A small disc tucked under a big one: every near box of it is either taken, cuts the
        // big disc or touches its rim (would read as its name), so it moves out on a leader.
        const QList<LabelPlacement> tucked = placeDiscLabels(
            {{QPointF(200, 150), 12, {60, 15}}, {QPointF(200, 165), 4, {60, 15}}}, plot);
        QCOMPARE(tucked[0].rect, QRectF(215, 142.5, 60, 15));
        QVERIFY(tucked[1].hasLeader);
        QVERIFY(!tucked[1].rect.intersects(tucked[0].rect));
        QVERIFY(!cutsDisc(tucked[1].rect.adjusted(-10, -10, 10, 10), QPointF(200, 150), 12));
    }

    void widgetPaintsNonOverlappingLabels() {
        // 10 genres within a hair of each other plus two far ones that set the scale.
        QList<GenreMapView::GenrePoint> genres;
        const QStringList names = {"Animation", "Drama",     "Crime",   "Thriller",
                                   "Mystery",   "Comedy",    "Romance", "Musical",
                                   "Children",  "Film-Noir", "War",     "Western"};
        for (int i = 0; i < 10; ++i)
            genres.append({names[i],
                           QPointF(0.002 * std::cos(i), 0.002 * std::sin(i)),
                           100 + 97 * i,
                           QColor(),
                           {}});
        genres.append({names[10], QPointF(-1, -1), 300, QColor(), {}});
        genres.append({names[11], QPointF(1, 1), 150, QColor(), {}});

        GenreMapView view;
        view.setGenres(genres);
        view.resize(560, 460);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.grab();  // runs paintEvent
        QList<LabelPlacement> painted = view.paintedLabels();
        QCOMPARE(painted.size(), genres.size());
        QString problem = overlapProblem(rectsOf(painted), view.plotRect(), names);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        for (int i = 0; i < painted.size(); ++i)
            for (int j = 0; j < genres.size(); ++j)
                QVERIFY2(!cutsDisc(painted[i].rect, view.mapToWidget(genres[j].position),
                                   view.radiusOf(j)),
                         qPrintable(names[i] + " covers the disc of " + names[j]));

        // The export paints through the same path: disjoint boxes, each with text in it.
        QImage image(900, 700, QImage::Format_RGB32);
        image.fill(Qt::white);
        {
            QPainter painter(&image);
            view.paintFigure(painter, QRectF(image.rect()));
        }
        painted = view.paintedLabels();
        QCOMPARE(painted.size(), genres.size());
        problem = overlapProblem(rectsOf(painted), QRectF(image.rect()), names);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        for (int i = 0; i < painted.size(); ++i) {
            const QRect box = painted[i].rect.toAlignedRect() & image.rect();
            int dark = 0;
            for (int y = box.top(); y <= box.bottom(); ++y)
                for (int x = box.left(); x <= box.right(); ++x)
                    dark += qGray(image.pixel(x, y)) < 110;
            QVERIFY2(dark > 10, qPrintable(names[i] + " has no text in its box"));
        }
    }

    // Before a map exists the view shows its message in an empty frame: no grid numbers (an
    // empty range used to label the axes with rounding noise such as -2e-07).
    void emptyMapHasNoAxisNumbers() {
        GenreMapView view;
        view.resize(900, 700);
        const QImage image = view.grab().toImage();
        const QRect plot = view.plotRect().toAlignedRect();
        int outside = 0, inside = 0;
        for (int y = 0; y < image.height(); ++y)
            for (int x = 0; x < image.width(); ++x) {
                const int grey = qGray(image.pixel(x, y));
                if (grey < 110 && (x < plot.left() - 2 || y > plot.bottom() + 2)) ++outside;
                if (grey < 230 && plot.adjusted(3, 3, -3, -3).contains(x, y)) ++inside;
            }
        QCOMPARE(outside, 0);
        QVERIFY2(inside > 20, "the message is drawn in the frame");
    }
};

QTEST_MAIN(TestGenreMapLabels)
#include "tst_genre_map_labels.moc"
