#include "map/GenreMapFigure.h"

#include <QFontMetricsF>
#include <QGuiApplication>
#include <QLocale>
#include <QPainter>
#include <algorithm>
#include <cmath>

#include "map/MovieMapFigure.h"

namespace lens::ui {

namespace {

constexpr double kMinRadius = 4.0;
constexpr double kMaxRadius = 26.0;
constexpr double kGap = 6.0;

// 1, 2 or 5 times a power of ten, at least `rough`.
double niceStep(double rough) {
    if (!(rough > 0.0) || !std::isfinite(rough)) return 1.0;
    const double power = std::pow(10.0, std::floor(std::log10(rough)));
    for (double m : {1.0, 2.0, 5.0, 10.0})
        if (m * power >= rough) return m * power;
    return 10.0 * power;
}

}  // namespace

QPointF GenreMapFigure::Layout::map(const QPointF& d) const {
    return {plot.left() + (d.x() - x0) / (x1 - x0) * plot.width(),
            plot.bottom() - (d.y() - y0) / (y1 - y0) * plot.height()};
}

double GenreMapFigure::Layout::radius(int movies) const {
    const double t = std::sqrt(std::max(0, movies) / static_cast<double>(std::max(1, maxMovies)));
    return kMinRadius + (maxRadius - kMinRadius) * t;
}

GenreMapFigure::GenreMapFigure()
    : xTitle_(tr("Component 1")), yTitle_(tr("Component 2")), figureTitle_(tr("Genre map")) {}

void GenreMapFigure::setGenres(QList<GenrePoint> genres) {
    genres_ = std::move(genres);
    if (highlighted_ >= pointCount()) highlighted_ = -1;
}

void GenreMapFigure::setAxisTitles(const QString& x, const QString& y) {
    xTitle_ = x;
    yTitle_ = y;
}

void GenreMapFigure::setHighlightedGenre(int index) {
    highlighted_ = index >= 0 && index < pointCount() ? index : -1;
}

GenreMapFigure::Layout GenreMapFigure::layoutFor(const QRectF& area, const QFont& font,
                                                 bool withTitle) const {
    Layout layout;
    const QFontMetricsF metrics(font);
    double minX = 0, maxX = 0, minY = 0, maxY = 0;
    for (int i = 0; i < pointCount(); ++i) {
        const QPointF p = genres_[i].position;
        if (i == 0) {
            minX = maxX = p.x();
            minY = maxY = p.y();
        }
        minX = std::min(minX, p.x());
        maxX = std::max(maxX, p.x());
        minY = std::min(minY, p.y());
        maxY = std::max(maxY, p.y());
        layout.maxMovies = std::max(layout.maxMovies, genres_[i].movies);
    }
    double spanX = maxX - minX, spanY = maxY - minY;
    if (spanX <= 0) spanX = std::max(1e-6, std::abs(maxX));
    if (spanY <= 0) spanY = std::max(1e-6, std::abs(maxY));
    layout.step = niceStep(std::max(spanX, spanY) / 5.0);
    layout.x0 = std::floor((minX - 0.08 * spanX) / layout.step) * layout.step;
    layout.x1 = std::ceil((maxX + 0.08 * spanX) / layout.step) * layout.step;
    layout.y0 = std::floor((minY - 0.08 * spanY) / layout.step) * layout.step;
    layout.y1 = std::ceil((maxY + 0.08 * spanY) / layout.step) * layout.step;
    if (layout.x1 <= layout.x0) layout.x1 = layout.x0 + layout.step;
    if (layout.y1 <= layout.y0) layout.y1 = layout.y0 + layout.step;

    const double titleHeight = withTitle ? std::ceil(metrics.height() * 2.0) : 0.0;
    layout.titleArea = QRectF(area.left(), area.top(), area.width(), titleHeight);
    const QLocale locale;
    const double tickWidth =
        std::max(metrics.horizontalAdvance(locale.toString(layout.y0, 'g', 3)),
                 metrics.horizontalAdvance(locale.toString(layout.y1, 'g', 3)));
    const double left = area.left() + metrics.height() + kGap * 2 + tickWidth + kGap;
    const double bottom = area.bottom() - metrics.height() * 2 - kGap * 3;
    const double top = area.top() + titleHeight + kGap;
    const double right = area.right() - kGap * 2;
    layout.plot =
        QRectF(QPointF(left, top), QPointF(std::max(left + 10, right), std::max(top + 10, bottom)));
    layout.maxRadius = std::clamp(std::min(layout.plot.width(), layout.plot.height()) / 16.0,
                                  kMinRadius + 2.0, kMaxRadius);
    return layout;
}

void GenreMapFigure::paintMap(QPainter& painter, const QRectF& area, const QPalette& colours,
                              bool withTitle, int hovered) const {
    const QFont font = painter.font();
    const QFontMetricsF metrics(font);
    const Layout layout = layoutFor(area, font, withTitle);
    const QColor text = colours.color(QPalette::WindowText);
    QColor grid = colours.color(QPalette::Mid);
    grid.setAlpha(90);
    painter.setRenderHint(QPainter::Antialiasing, true);

    if (withTitle) {
        QFont bold = font;
        bold.setBold(true);
        painter.setFont(bold);
        painter.setPen(text);
        painter.drawText(layout.titleArea, Qt::AlignCenter, figureTitle_);
        painter.setFont(font);
    }
    // Before a map exists: the frame and the message, no grid or numbers (an empty range would
    // label the axes with rounding noise such as -2e-07).
    if (genres_.isEmpty()) {
        paintedLabels_.clear();
        painter.setPen(QPen(colours.color(QPalette::Mid), 1.0));
        painter.setBrush(Qt::NoBrush);
        painter.drawRect(layout.plot);
        painter.setPen(colours.color(QPalette::Disabled, QPalette::WindowText));
        painter.drawText(layout.plot, Qt::AlignCenter, tr("No genre map yet"));
        return;
    }
    // Grid, ticks and tick labels.
    const QLocale locale;
    painter.setPen(QPen(grid, 1.0));
    for (double x = layout.x0; x <= layout.x1 + layout.step * 1e-6; x += layout.step) {
        const double px = layout.map(QPointF(x, layout.y0)).x();
        painter.setPen(QPen(grid, 1.0));
        painter.drawLine(QPointF(px, layout.plot.top()), QPointF(px, layout.plot.bottom()));
        painter.setPen(text);
        const QString label = locale.toString(std::abs(x) < layout.step * 1e-6 ? 0.0 : x, 'g', 3);
        painter.drawText(QRectF(px - 40, layout.plot.bottom() + 2, 80, metrics.height()),
                         Qt::AlignHCenter | Qt::AlignTop, label);
    }
    for (double y = layout.y0; y <= layout.y1 + layout.step * 1e-6; y += layout.step) {
        const double py = layout.map(QPointF(layout.x0, y)).y();
        painter.setPen(QPen(grid, 1.0));
        painter.drawLine(QPointF(layout.plot.left(), py), QPointF(layout.plot.right(), py));
        painter.setPen(text);
        const QString label = locale.toString(std::abs(y) < layout.step * 1e-6 ? 0.0 : y, 'g', 3);
        painter.drawText(QRectF(area.left(), py - metrics.height() / 2,
                                layout.plot.left() - area.left() - kGap, metrics.height()),
                         Qt::AlignRight | Qt::AlignVCenter, label);
    }
    painter.setPen(QPen(colours.color(QPalette::Mid), 1.0));
    painter.setBrush(Qt::NoBrush);
    painter.drawRect(layout.plot);
    // Axis titles.
    painter.setPen(text);
    painter.drawText(QRectF(layout.plot.left(), area.bottom() - metrics.height() - kGap,
                            layout.plot.width(), metrics.height()),
                     Qt::AlignCenter, xTitle_);
    painter.save();
    painter.translate(area.left() + kGap, layout.plot.bottom());
    painter.rotate(-90);
    painter.drawText(QRectF(0, 0, layout.plot.height(), metrics.height()), Qt::AlignCenter,
                     yTitle_);
    painter.restore();

    // Discs, biggest first so small genres stay visible on top.
    QList<int> order;
    for (int i = 0; i < pointCount(); ++i) order << i;
    std::stable_sort(order.begin(), order.end(),
                     [&](int a, int b) { return genres_[a].movies > genres_[b].movies; });
    painter.save();
    painter.setClipRect(layout.plot.adjusted(-1, -1, 1, 1));
    for (int i : order) {
        const GenrePoint& genre = genres_[i];
        const QPointF p = layout.map(genre.position);
        const double r = layout.radius(genre.movies);
        QColor fill = genre.color.isValid() ? genre.color : MovieMapFigure::defaultCategoryColor(i);
        fill.setAlpha(170);
        painter.setPen(QPen(genre.color.isValid() ? genre.color.darker(130) : text, 1.2));
        painter.setBrush(fill);
        painter.drawEllipse(p, r, r);
        if (i == highlighted_ || i == hovered) {
            painter.setPen(QPen(colours.color(QPalette::Highlight), 2.5));
            painter.setBrush(Qt::NoBrush);
            painter.drawEllipse(p, r + 4, r + 4);
        }
    }
    // Labels beside the discs, placed so that none overlaps another label or a disc; a label
    // pushed away from its disc gets a thin leader line.
    QList<LabelledDisc> discs;
    discs.reserve(pointCount());
    for (const GenrePoint& genre : genres_)
        discs.append({layout.map(genre.position), layout.radius(genre.movies),
                      QSizeF(metrics.horizontalAdvance(genre.name) + 1, metrics.height())});
    paintedLabels_ = placeDiscLabels(discs, layout.plot);
    QColor leaderColour = text;
    leaderColour.setAlpha(150);
    painter.setPen(QPen(leaderColour, 0.8));
    for (const LabelPlacement& label : paintedLabels_)
        if (label.hasLeader) painter.drawLine(label.leader);
    painter.setPen(text);
    for (int i = 0; i < pointCount(); ++i)
        painter.drawText(paintedLabels_[i].rect, Qt::AlignLeft | Qt::AlignVCenter, genres_[i].name);
    painter.restore();
}

void GenreMapFigure::paintFigure(QPainter& painter, const QRectF& target) const {
    paintFigure(painter, target, QGuiApplication::font(), QGuiApplication::palette());
}

void GenreMapFigure::paintFigure(QPainter& painter, const QRectF& target, const QFont& font,
                                 const QPalette& screen) const {
    painter.save();
    painter.fillRect(target, Qt::white);
    QFont f = font;
    f.setPixelSize(13);
    painter.setFont(f);
    paintMap(painter, target, MovieMapFigure::exportPalette(screen), true);
    painter.restore();
}

}  // namespace lens::ui
