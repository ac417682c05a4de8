// Frames per second of the movie map while panning 27,000 points (issue 8 target: >= 30 fps).
// A shown offscreen MovieMapView is panned 120 times; each step repaints synchronously
// (repaint(): the point layer is re-rendered and overlays and legend painted). Reference measured
// in the same run: filling and copying a widget-sized image (the floor cost of any frame).
// Usage: bench_gui_map [points] [export.png|svg|pdf]
#include <QApplication>
#include <QElapsedTimer>
#include <QImage>
#include <QPainter>
#include <cmath>
#include <cstdio>

#include "charts/Figure.h"
#include "map/MovieMapView.h"
#include "util/Random.h"

using lens::ui::MovieMapView;

int main(int argc, char** argv) {
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const int points = argc > 1 ? std::atoi(argv[1]) : 27000;
    constexpr int kSteps = 120;

    lens::Pcg32 random(7);
    std::vector<QPointF> positions;
    std::vector<int> categories;
    for (int i = 0; i < points; ++i) {
        const int c = static_cast<int>(random.below(19));
        const double angle = 2.0 * M_PI * c / 19.0;
        positions.emplace_back(10.0 * std::cos(angle) + 2.0 * random.normal(),
                               10.0 * std::sin(angle) + 2.0 * random.normal());
        categories.push_back(c);
    }
    MovieMapView view;
    view.resize(1280, 800);
    view.setPoints(std::move(positions), std::move(categories));
    view.setOverlay(MovieMapView::TopRankedOverlay, {QStringLiteral("Top 10"),
                                                     {1, 2, 3, 4, 5, 6, 7, 8, 9, 10},
                                                     QColor(Qt::magenta),
                                                     MovieMapView::Marker::Diamond});
    view.show();
    QApplication::processEvents();
    view.repaint();

    // Reference: fill + paint one widget-sized ARGB image (no points).
    QImage source(view.size(), QImage::Format_ARGB32_Premultiplied), target = source;
    QElapsedTimer timer;
    timer.start();
    for (int i = 0; i < kSteps; ++i) {
        source.fill(QColor(i, 0, 0));
        QPainter painter(&target);
        painter.drawImage(0, 0, source);
    }
    const double referenceSeconds = timer.nsecsElapsed() / 1e9 / kSteps;

    // Pan: 120 steps of 6 px (zoomed in 2x so points enter and leave the view).
    view.zoomAt(QPointF(640, 400), 2.0);
    view.repaint();
    timer.restart();
    for (int i = 0; i < kSteps; ++i) {
        view.panByPixels(QPointF(i < kSteps / 2 ? 6.0 : -6.0, i % 2 ? 3.0 : -3.0));
        view.repaint();
    }
    const double frameSeconds = timer.nsecsElapsed() / 1e9 / kSteps;

    // The point layer alone (what the pan costs above the fixed overlay painting).
    timer.restart();
    for (int i = 0; i < kSteps; ++i) view.renderPointLayer();
    const double layerSeconds = timer.nsecsElapsed() / 1e9 / kSteps;

    // Optional: write the current view as an image (PNG/SVG/PDF by suffix) to look at.
    if (argc > 2) {
        const QString path = QString::fromLocal8Bit(argv[2]);
        QString error;
        view.highlight(1);
        if (!lens::ui::exportFigure(
                view, path, {view.size(), 96, QStringLiteral("synthetic · bench · pan")}, &error))
            std::fprintf(stderr, "export failed: %s\n", qPrintable(error));
    }

    const double fps = 1.0 / frameSeconds;
    std::printf("bench_gui_map: %d points, 1280x800, %d pan steps\n", points, kSteps);
    std::printf("reference (fill + blit one frame-sized image): %.3f ms\n", referenceSeconds * 1e3);
    std::printf(
        "pan frame (repaint): %.3f ms = %.0f fps; target 30 fps: %.1fx the target; "
        "%.1fx the reference\n",
        frameSeconds * 1e3, fps, fps / 30.0, frameSeconds / referenceSeconds);
    std::printf("point layer render alone: %.3f ms (%.1fx the reference)\n", layerSeconds * 1e3,
                layerSeconds / referenceSeconds);
    std::printf("%s\n", fps >= 30.0 ? "PASS: >= 30 fps" : "FAIL: below 30 fps");
    return fps >= 30.0 ? 0 : 1;
}
