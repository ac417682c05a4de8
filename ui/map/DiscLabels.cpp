#include "map/DiscLabels.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <vector>

namespace lens::ui {

namespace {

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

}  // namespace lens::ui
