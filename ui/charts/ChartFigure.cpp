#include "charts/ChartFigure.h"

#include <QAbstractBarSeries>
#include <QBarCategoryAxis>
#include <QBarSet>
#include <QCursor>
#include <QGraphicsLayout>
#include <QGraphicsScene>
#include <QPainter>
#include <QToolTip>
#include <QXYSeries>
#include <limits>

namespace lens::ui {

ChartFigure::ChartFigure(QString fileStem, QChart* chart, QWidget* parent)
    : QChartView(chart ? chart : new QChart, parent), fileStem_(std::move(fileStem)) {
    setRenderHint(QPainter::Antialiasing);
    setMinimumSize(320, 240);
}

QString ChartFigure::figureTitle() const {
    const QString title = chart()->title();
    return title.isEmpty() ? fileStem_ : title;
}

// Lays the chart out at the target size, renders its scene there and restores the on-screen
// layout. Rendering the view itself would use the widget's size (and lays out wrongly when the
// view was never shown); going through the chart's own geometry avoids both.
void ChartFigure::paintFigure(QPainter& painter, const QRectF& target) const {
    QChart* c = chart();
    const QRectF onScreen = c->geometry();
    const bool animated = c->animationOptions() != QChart::NoAnimation;
    const auto animations = c->animationOptions();
    if (animated) c->setAnimationOptions(QChart::NoAnimation);
    c->setGeometry(QRectF(onScreen.topLeft(), target.size()));
    if (c->layout()) c->layout()->activate();
    c->scene()->render(&painter, target, QRectF(onScreen.topLeft(), target.size()),
                       Qt::IgnoreAspectRatio);
    c->setGeometry(onScreen.isEmpty() ? QRectF(onScreen.topLeft(), QSizeF(size())) : onScreen);
    if (c->layout()) c->layout()->activate();
    if (animated) c->setAnimationOptions(animations);
}

void ChartFigure::enableHoverTooltips(const QString& xLabel, const QString& yLabel) {
    const auto number = [](double v) { return QString::number(v, 'g', 6); };
    for (QAbstractSeries* series : chart()->series()) {
        if (auto* xy = qobject_cast<QXYSeries*>(series)) {
            connect(xy, &QXYSeries::hovered, this,
                    [this, xy, xLabel, yLabel, number](const QPointF& point, bool state) {
                        if (!state) {
                            QToolTip::hideText();
                            return;
                        }
                        // Snap to the nearest actual point of the series.
                        const QList<QPointF> points = xy->points();
                        QPointF best = point;
                        double bestDistance = std::numeric_limits<double>::max();
                        const QPointF here = chart()->mapToPosition(point, xy);
                        for (const QPointF& p : points) {
                            const QPointF at = chart()->mapToPosition(p, xy);
                            const double d = QLineF(at, here).length();
                            if (d < bestDistance) bestDistance = d, best = p;
                        }
                        QToolTip::showText(QCursor::pos(),
                                           QStringLiteral("%1\n%2 = %3\n%4 = %5")
                                               .arg(xy->name(), xLabel, number(best.x()), yLabel,
                                                    number(best.y())),
                                           this);
                    });
        } else if (auto* bars = qobject_cast<QAbstractBarSeries*>(series)) {
            connect(
                bars, &QAbstractBarSeries::hovered, this,
                [this, bars, number](bool state, int index, QBarSet* set) {
                    if (!state || !set) {
                        QToolTip::hideText();
                        return;
                    }
                    QString category = QString::number(index);
                    for (QAbstractAxis* axis : chart()->axes(Qt::Horizontal | Qt::Vertical, bars))
                        if (auto* categories = qobject_cast<QBarCategoryAxis*>(axis))
                            if (index < categories->count()) category = categories->at(index);
                    QToolTip::showText(QCursor::pos(),
                                       QStringLiteral("%1\n%2: %3")
                                           .arg(set->label(), category, number(set->at(index))),
                                       this);
                });
        }
    }
}

}  // namespace lens::ui
