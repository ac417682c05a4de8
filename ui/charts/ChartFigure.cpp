#include "charts/ChartFigure.h"

#include <QAbstractAxis>
#include <QAbstractBarSeries>
#include <QBarCategoryAxis>
#include <QBarSet>
#include <QCursor>
#include <QEvent>
#include <QGraphicsLayout>
#include <QGraphicsScene>
#include <QLegend>
#include <QPainter>
#include <QToolTip>
#include <QValueAxis>
#include <QVariant>
#include <QXYSeries>
#include <limits>

namespace lens::ui {

namespace {

// The colours a Qt Charts theme gives a chart's chrome, read from a reference chart of that theme
// (so they are exactly the theme's, whatever the Qt version).
struct Chrome {
    QBrush background;
    QBrush plotArea;
    QBrush title;
    QBrush legendLabels;
    QBrush axisLabels;
    QBrush axisTitle;
    QPen axisLine;
    QPen grid;
    QPen minorGrid;
    QPen shadesPen;
    QBrush shadesBrush;
};

Chrome chromeOf(QChart::ChartTheme theme) {
    QChart reference;
    reference.setTheme(theme);
    auto* axis = new QValueAxis;
    reference.addAxis(axis, Qt::AlignBottom);
    return Chrome{reference.backgroundBrush(),
                  reference.plotAreaBackgroundBrush(),
                  reference.titleBrush(),
                  reference.legend()->labelBrush(),
                  axis->labelsBrush(),
                  axis->titleBrush(),
                  axis->linePen(),
                  axis->gridLinePen(),
                  axis->minorGridLinePen(),
                  axis->shadesPen(),
                  axis->shadesBrush()};
}

const Chrome& lightChrome() {
    static const Chrome chrome = chromeOf(QChart::ChartThemeLight);
    return chrome;
}

const Chrome& darkChrome() {
    static const Chrome chrome = chromeOf(QChart::ChartThemeDark);
    return chrome;
}

// Sets `set(to)` only where `current` still is the other theme's default.
template <typename Value, typename Setter>
void swapIfDefault(const Value& current, const Value& from, const Value& to, Setter set) {
    if (current == from && !(current == to)) set(to);
}

// Marks an axis with the chrome it was given (true: dark).
constexpr const char* kChromeProperty = "lensDarkChrome";

bool isDarkPalette(const QPalette& palette) {
    return palette.color(QPalette::Window).lightness() < 128;
}

}  // namespace

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
    // Exports are white whatever the palette: light chrome while rendering, then back.
    const bool wasDark = darkChrome_;
    if (wasDark) applyChrome(false);
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
    if (wasDark) applyChrome(true);
}

void ChartFigure::applyChrome(bool dark) const {
    QChart* c = chart();
    if (!c) return;
    const Chrome& from = dark ? lightChrome() : darkChrome();
    const Chrome& to = dark ? darkChrome() : lightChrome();
    swapIfDefault(c->backgroundBrush(), from.background, to.background,
                  [c](const QBrush& b) { c->setBackgroundBrush(b); });
    swapIfDefault(c->plotAreaBackgroundBrush(), from.plotArea, to.plotArea,
                  [c](const QBrush& b) { c->setPlotAreaBackgroundBrush(b); });
    swapIfDefault(c->titleBrush(), from.title, to.title,
                  [c](const QBrush& b) { c->setTitleBrush(b); });
    if (QLegend* legend = c->legend())
        swapIfDefault(legend->labelBrush(), from.legendLabels, to.legendLabels,
                      [legend](const QBrush& b) { legend->setLabelBrush(b); });
    for (QAbstractAxis* axis : c->axes()) {
        swapIfDefault(axis->labelsBrush(), from.axisLabels, to.axisLabels,
                      [axis](const QBrush& b) { axis->setLabelsBrush(b); });
        swapIfDefault(axis->titleBrush(), from.axisTitle, to.axisTitle,
                      [axis](const QBrush& b) { axis->setTitleBrush(b); });
        swapIfDefault(axis->linePen(), from.axisLine, to.axisLine,
                      [axis](const QPen& p) { axis->setLinePen(p); });
        swapIfDefault(axis->gridLinePen(), from.grid, to.grid,
                      [axis](const QPen& p) { axis->setGridLinePen(p); });
        swapIfDefault(axis->minorGridLinePen(), from.minorGrid, to.minorGrid,
                      [axis](const QPen& p) { axis->setMinorGridLinePen(p); });
        swapIfDefault(axis->shadesPen(), from.shadesPen, to.shadesPen,
                      [axis](const QPen& p) { axis->setShadesPen(p); });
        swapIfDefault(axis->shadesBrush(), from.shadesBrush, to.shadesBrush,
                      [axis](const QBrush& b) { axis->setShadesBrush(b); });
        axis->setProperty(kChromeProperty, dark);
    }
    darkChrome_ = dark;
}

void ChartFigure::syncChromeWithPalette() {
    QChart* c = chart();
    if (!c) return;
    const bool dark = isDarkPalette(palette());
    bool upToDate = dark == darkChrome_ && chromeChart_ == c;
    for (const QAbstractAxis* axis : c->axes()) {
        const QVariant styled = axis->property(kChromeProperty);
        upToDate = upToDate && styled.isValid() && styled.toBool() == dark;
    }
    if (upToDate) return;
    chromeChart_ = c;
    // Setters with unchanged values are no-ops, so re-applying to a styled chart costs nothing.
    applyChrome(dark);
}

void ChartFigure::changeEvent(QEvent* event) {
    if (event->type() == QEvent::PaletteChange) syncChromeWithPalette();
    QChartView::changeEvent(event);
}

// Also catches charts replaced (setChart) or axes added since the last paint: they come with the
// light theme's colours.
void ChartFigure::paintEvent(QPaintEvent* event) {
    syncChromeWithPalette();
    QChartView::paintEvent(event);
    if (placeholder_.isEmpty()) return;
    QPainter painter(viewport());
    painter.setPen(palette().color(QPalette::PlaceholderText));
    const QRectF plot = mapFromScene(chart()->plotArea()).boundingRect();
    painter.drawText(plot, Qt::AlignCenter | Qt::TextWordWrap, placeholder_);
}

void ChartFigure::setPlaceholderText(const QString& text) {
    if (text == placeholder_) return;
    placeholder_ = text;
    viewport()->update();
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
