#include "map/GenreMapView.h"

#include <QFontMetricsF>
#include <QHelpEvent>
#include <QLocale>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>
#include <algorithm>
#include <cmath>
#include <numbers>
#include <vector>

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

// Distance from the rectangle to the disc's rim (negative when the rectangle cuts the disc).
double rimDistance(const QRectF& rect, const QPointF& centre, double radius) {
    const double nearestX = std::clamp(centre.x(), rect.left(), rect.right());
    const double nearestY = std::clamp(centre.y(), rect.top(), rect.bottom());
    return std::hypot(centre.x() - nearestX, centre.y() - nearestY) - radius;
}

// Liang-Barsky clipping: does the segment pass through the rectangle's interior?
bool segmentCrossesRect(const QLineF& segment, const QRectF& rect) {
    const double dx = segment.dx(), dy = segment.dy();
    double t0 = 0.0, t1 = 1.0;
    const double p[4] = {-dx, dx, -dy, dy};
    const double q[4] = {segment.x1() - rect.left(), rect.right() - segment.x1(),
                         segment.y1() - rect.top(), rect.bottom() - segment.y1()};
    for (int k = 0; k < 4; ++k) {
        if (p[k] == 0.0) {
            if (q[k] <= 0.0) return false;
            continue;
        }
        const double t = q[k] / p[k];
        if (p[k] < 0.0)
            t0 = std::max(t0, t);
        else
            t1 = std::min(t1, t);
        if (t0 >= t1) return false;
    }
    return true;
}

double overlapArea(const QRectF& a, const QRectF& b) {
    const QRectF common = a.intersected(b);
    return common.isValid() ? common.width() * common.height() : 0.0;
}

// From the rim point towards the box, to the box point nearest the disc centre.
QLineF leaderFor(const QPointF& centre, double radius, const QRectF& box) {
    const QPointF nearest(std::clamp(centre.x(), box.left(), box.right()),
                          std::clamp(centre.y(), box.top(), box.bottom()));
    const QPointF d = nearest - centre;
    const double length = std::hypot(d.x(), d.y());
    if (length <= radius) return QLineF(nearest, nearest);
    return QLineF(centre + d * (radius / length), nearest);
}

struct LabelCandidate {
    QRectF rect;
    bool hasLeader = false;
};

// Candidate boxes for one label in order of preference (see placeDiscLabels()).
std::vector<LabelCandidate> labelCandidates(const LabelledDisc& disc, const QRectF& plot,
                                            double gap) {
    const double cx = disc.centre.x(), cy = disc.centre.y();
    const double w = disc.labelSize.width(), h = disc.labelSize.height();
    const double d = disc.radius + gap;
    const double k = d / std::sqrt(2.0);
    std::vector<LabelCandidate> candidates = {
        {QRectF(cx + d, cy - h / 2, w, h)},      // right
        {QRectF(cx - d - w, cy - h / 2, w, h)},  // left
        {QRectF(cx - w / 2, cy - d - h, w, h)},  // above
        {QRectF(cx - w / 2, cy + d, w, h)},      // below
        {QRectF(cx + k, cy - k - h, w, h)},      // above right
        {QRectF(cx - k - w, cy - k - h, w, h)},  // above left
        {QRectF(cx + k, cy + k, w, h)},          // below right
        {QRectF(cx - k - w, cy + k, w, h)},      // below left
    };
    // Farther rings, 16 directions (degrees, counter-clockwise on screen), the box touching the
    // ring point with its side (or corner) that faces the disc.
    static constexpr double kDirections[16] = {
        0, 180, 90, 270, 45, 135, 315, 225, 22.5, 157.5, 337.5, 202.5, 67.5, 112.5, 292.5, 247.5};
    const double step = std::max(h, 8.0);
    const double reach = std::hypot(plot.width(), plot.height());
    for (int ring = 1; ring <= 60 && d + ring * step <= reach; ++ring) {
        const double distance = d + ring * step;
        for (double degrees : kDirections) {
            const double radians = degrees * std::numbers::pi / 180.0;
            const double ux = std::cos(radians), uy = -std::sin(radians);
            const double square = std::max(std::abs(ux), std::abs(uy));
            const QPointF touch(cx + distance * ux, cy + distance * uy);
            const QPointF boxCentre(touch.x() + ux / square * w / 2,
                                    touch.y() + uy / square * h / 2);
            candidates.push_back(
                {QRectF(boxCentre.x() - w / 2, boxCentre.y() - h / 2, w, h), true});
        }
    }
    return candidates;
}

}  // namespace

QList<LabelPlacement> placeDiscLabels(const QList<LabelledDisc>& discs, const QRectF& plot,
                                      double gap) {
    const int n = static_cast<int>(discs.size());
    QList<LabelPlacement> placements(n);
    std::vector<int> order(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) order[static_cast<std::size_t>(i)] = i;
    std::stable_sort(order.begin(), order.end(),
                     [&](int a, int b) { return discs[a].radius > discs[b].radius; });
    std::vector<int> placed;
    constexpr double kMargin = 1.0;

    // Constraints, dropped one by one (in this order) when no candidate meets them all.
    enum Relaxation { Strict, AllowAmbiguous, AllowLeaderCrossings, AllowOtherDiscs };
    auto isFree = [&](int self, const LabelCandidate& candidate, const QLineF& leader,
                      Relaxation relaxation) {
        if (!plot.contains(candidate.rect)) return false;
        const QRectF padded = candidate.rect.adjusted(-kMargin, -kMargin, kMargin, kMargin);
        for (int j : placed)
            if (padded.intersects(placements[j].rect)) return false;
        for (int j = 0; j < n; ++j) {
            if (relaxation >= AllowOtherDiscs && j != self) continue;
            const double distance = rimDistance(candidate.rect, discs[j].centre, discs[j].radius);
            if (distance < 0.0) return false;
            // A label must not sit right beside another disc: it would read as its name.
            if (relaxation == Strict && j != self && distance < gap + 0.5 * candidate.rect.height())
                return false;
        }
        if (relaxation <= AllowAmbiguous)
            for (int j : placed) {
                if (placements[j].hasLeader && segmentCrossesRect(placements[j].leader, padded))
                    return false;
                if (candidate.hasLeader && segmentCrossesRect(leader, placements[j].rect))
                    return false;
            }
        return true;
    };

    for (int i : order) {
        const LabelledDisc& disc = discs[i];
        const std::vector<LabelCandidate> candidates = labelCandidates(disc, plot, gap);
        bool done = false;
        for (Relaxation relaxation :
             {Strict, AllowAmbiguous, AllowLeaderCrossings, AllowOtherDiscs}) {
            for (const LabelCandidate& candidate : candidates) {
                const QLineF leader = candidate.hasLeader
                                          ? leaderFor(disc.centre, disc.radius, candidate.rect)
                                          : QLineF();
                if (isFree(i, candidate, leader, relaxation)) {
                    placements[i] = {candidate.rect, candidate.hasLeader, leader};
                    done = true;
                    break;
                }
            }
            if (done) break;
        }
        if (!done) {
            // Nothing free (a label larger than the plot, or a full plot): least overlap.
            double bestOverlap = -1.0;
            LabelCandidate best = candidates.front();
            for (const LabelCandidate& candidate : candidates) {
                QRectF box = candidate.rect;
                box.moveLeft(std::clamp(box.left(), plot.left(),
                                        std::max(plot.left(), plot.right() - box.width())));
                box.moveTop(std::clamp(box.top(), plot.top(),
                                       std::max(plot.top(), plot.bottom() - box.height())));
                double overlap = 0.0;
                for (int j : placed) overlap += overlapArea(box, placements[j].rect);
                if (bestOverlap < 0.0 || overlap < bestOverlap) {
                    bestOverlap = overlap;
                    best = {box, candidate.hasLeader};
                }
            }
            const QLineF leader =
                best.hasLeader ? leaderFor(disc.centre, disc.radius, best.rect) : QLineF();
            placements[i] = {best.rect, best.hasLeader, leader};
        }
        placed.push_back(i);
    }
    return placements;
}

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

QRectF GenreMapView::plotRect() const {
    return layoutFor(QRectF(rect()), font(), false).plot;
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
        paintedLabels_.clear();
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
