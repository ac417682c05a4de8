#pragma once
// Labels for discs on a chart (the genre map's genre names): each label beside its disc, off
// every other label and disc, moved out on a leader line when there is no room nearby.
#include <QLineF>
#include <QList>
#include <QPointF>
#include <QRectF>
#include <QSizeF>

namespace lens::ui {

// One labelled disc for placeDiscLabels(): its centre and radius and the size of its label box.
struct LabelledDisc {
    QPointF centre;
    double radius = 0.0;
    QSizeF labelSize;
};

// Where a disc's label goes; `leader` (a segment from the disc's rim to the label box) is set when
// the label had to move away from its disc.
struct LabelPlacement {
    QRectF rect;
    bool hasLeader = false;
    QLineF leader;
};

// Deterministic greedy label placement (one result per disc, same order as `discs`). Discs are
// handled by decreasing radius (ties: lower index first); each takes the first free candidate box
// among: right, left, above, below, then the four diagonals, all `gap` pixels off its rim; then
// rings farther out (steps of about one label height, 16 directions in the same order of
// preference) joined to the disc by a leader line. A candidate is free when it lies inside `plot`,
// keeps a 1 px margin to every label placed so far and cuts no disc (rectangle-circle test: the
// rectangle point nearest the centre is at least one radius away). The strict first pass also
// wants it at least gap + half a label height from every other disc's rim (else it reads as that
// disc's name) and no leader line crossing a label. When no box is free these constraints are
// dropped in turn (nearness to other discs, leader crossings, then covering other discs); as a
// last resort the box with the least overlap with placed labels is kept, moved inside the plot.
// Cost: O(n^2 * candidates) with about 8 + 16 * rings candidates per label: 0.1-0.2 ms for two
// clusters of genres, about 1 ms when all 19 sit on one spot (measured, release build).
QList<LabelPlacement> placeDiscLabels(const QList<LabelledDisc>& discs, const QRectF& plot,
                                      double gap = 3.0);

}  // namespace lens::ui
