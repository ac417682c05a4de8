#include "map/GenreMapView.h"

#include <QFontMetricsF>
#include <QHelpEvent>
#include <QLocale>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>
#include <algorithm>
#include <cmath>

#include "map/MovieMapView.h"

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

struct GenreMapView::Layout {
    QRectF plot;
    QRectF titleArea;
    double x0 = -1, x1 = 1, y0 = -1, y1 = 1;
    double step = 0.5;
    double maxRadius = kMaxRadius;
    int maxMovies = 1;

    QPointF map(const QPointF& d) const {
        return {plot.left() + (d.x() - x0) / (x1 - x0) * plot.width(),
                plot.bottom() - (d.y() - y0) / (y1 - y0) * plot.height()};
    }
    double radius(int movies) const {
        const double t =
            std::sqrt(std::max(0, movies) / static_cast<double>(std::max(1, maxMovies)));
        return kMinRadius + (maxRadius - kMinRadius) * t;
    }
};

GenreMapView::GenreMapView(QWidget* parent) : QWidget(parent) {
    setMouseTracking(true);
    setAccessibleName(tr("Genre map"));
}

void GenreMapView::setGenres(QList<GenrePoint> genres) {
    genres_ = std::move(genres);
    hovered_ = -1;
    if (highlighted_ >= pointCount()) highlighted_ = -1;
    update();
}

void GenreMapView::setAxisTitles(const QString& x, const QString& y) {
    xTitle_ = x;
    yTitle_ = y;
    update();
}

void GenreMapView::setFigureTitle(const QString& title) {
    figureTitle_ = title;
    update();
}

void GenreMapView::setHighlightedGenre(int index) {
    highlighted_ = index >= 0 && index < pointCount() ? index : -1;
    update();
}

GenreMapView::Layout GenreMapView::layoutFor(const QRectF& area, const QFont& font,
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

QPointF GenreMapView::mapToWidget(const QPointF& data) const {
    return layoutFor(QRectF(rect()), font(), false).map(data);
}

double GenreMapView::radiusOf(int index) const {
    if (index < 0 || index >= pointCount()) return 0.0;
    return layoutFor(QRectF(rect()), font(), false).radius(genres_[index].movies);
}

int GenreMapView::genreAt(const QPointF& widgetPosition) const {
    const Layout layout = layoutFor(QRectF(rect()), font(), false);
    int best = -1;
    double bestDistance = 0.0;
    for (int i = 0; i < pointCount(); ++i) {
        const QPointF d = layout.map(genres_[i].position) - widgetPosition;
        const double distance = std::hypot(d.x(), d.y());
        const double reach = std::max(layout.radius(genres_[i].movies), 5.0);
        if (distance <= reach && (best < 0 || distance < bestDistance)) {
            best = i;
            bestDistance = distance;
        }
    }
    return best;
}

void GenreMapView::paintMap(QPainter& painter, const QRectF& area, const QPalette& colours,
                            bool withTitle) const {
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

    if (genres_.isEmpty()) {
        painter.setPen(colours.color(QPalette::Disabled, QPalette::WindowText));
        painter.drawText(layout.plot, Qt::AlignCenter, tr("No genre map yet"));
        return;
    }
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
        QColor fill = genre.color.isValid() ? genre.color : MovieMapView::defaultCategoryColor(i);
        fill.setAlpha(170);
        painter.setPen(QPen(genre.color.isValid() ? genre.color.darker(130) : text, 1.2));
        painter.setBrush(fill);
        painter.drawEllipse(p, r, r);
        if (i == highlighted_ || i == hovered_) {
            painter.setPen(QPen(colours.color(QPalette::Highlight), 2.5));
            painter.setBrush(Qt::NoBrush);
            painter.drawEllipse(p, r + 4, r + 4);
        }
    }
    // Labels beside the discs (left of the disc when there is no room on the right).
    painter.setPen(text);
    for (int i : order) {
        const GenrePoint& genre = genres_[i];
        const QPointF p = layout.map(genre.position);
        const double r = layout.radius(genre.movies);
        const double w = metrics.horizontalAdvance(genre.name);
        const bool right = p.x() + r + 3 + w <= layout.plot.right();
        const QRectF box(right ? p.x() + r + 3 : p.x() - r - 3 - w, p.y() - metrics.height() / 2,
                         w + 1, metrics.height());
        painter.drawText(box, Qt::AlignLeft | Qt::AlignVCenter, genre.name);
    }
    painter.restore();
}

void GenreMapView::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    painter.fillRect(rect(), palette().color(QPalette::Base));
    paintMap(painter, QRectF(rect()), palette(), false);
}

void GenreMapView::paintFigure(QPainter& painter, const QRectF& target) const {
    painter.save();
    painter.fillRect(target, Qt::white);
    QFont f = font();
    f.setPixelSize(13);
    painter.setFont(f);
    paintMap(painter, target, MovieMapView::exportPalette(palette()), true);
    painter.restore();
}

void GenreMapView::mouseMoveEvent(QMouseEvent* event) {
    const int index = genreAt(event->position());
    if (index != hovered_) {
        hovered_ = index;
        update();
    }
}

void GenreMapView::mousePressEvent(QMouseEvent* event) {
    const int index = genreAt(event->position());
    if (event->button() == Qt::LeftButton && index >= 0) {
        setHighlightedGenre(index);
        emit genreClicked(index);
        event->accept();
        return;
    }
    QWidget::mousePressEvent(event);
}

bool GenreMapView::event(QEvent* event) {
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        const int index = genreAt(help->pos());
        if (index >= 0) {
            const GenrePoint& genre = genres_[index];
            const QLocale locale;
            QString text = QStringLiteral("<b>%1</b><br>%2 movies<br>(%3, %4)")
                               .arg(genre.name.toHtmlEscaped(), locale.toString(genre.movies),
                                    locale.toString(genre.position.x(), 'f', 3),
                                    locale.toString(genre.position.y(), 'f', 3));
            if (!genre.details.isEmpty()) text += QStringLiteral("<br>") + genre.details;
            QToolTip::showText(help->globalPos(), text, this);
        } else {
            QToolTip::hideText();
            event->ignore();
        }
        return true;
    }
    return QWidget::event(event);
}

}  // namespace lens::ui
