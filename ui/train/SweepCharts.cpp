#include "train/SweepCharts.h"

#include <QChart>
#include <QGridLayout>
#include <QLabel>
#include <QLegend>
#include <QLineSeries>
#include <QLocale>
#include <QLogValueAxis>
#include <QPen>
#include <QScatterSeries>
#include <QValueAxis>
#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

#include "charts/ChartFigure.h"
#include "charts/FigureCard.h"

namespace lens::ui {

namespace {

const QColor kTrialColour(0x1f, 0x77, 0xb4);
const QColor kBestColour(0xd6, 0x27, 0x28);
const QColor kProfileColour(0x7f, 0x7f, 0x7f);

// [lo, hi] with a margin; a single value gets a window around it.
std::pair<double, double> padded(double lo, double hi, bool log) {
    if (log) return {lo / 1.5, hi * 1.5};
    const double span = hi - lo;
    const double pad = span > 0 ? 0.06 * span : std::max(1e-3, 0.1 * std::abs(lo));
    return {lo - pad, hi + pad};
}

}  // namespace

SweepCharts::SweepCharts(QWidget* parent) : QWidget(parent) {
    grid_ = new QGridLayout(this);
    grid_->setContentsMargins(0, 0, 0, 0);
    placeholder_ =
        new QLabel(tr("Run a sweep to see the validation metric against each swept "
                      "hyper-parameter."));
    placeholder_->setAlignment(Qt::AlignCenter);
    placeholder_->setWordWrap(true);
    grid_->addWidget(placeholder_, 0, 0);
}

bool SweepCharts::wantsLogScale(const std::vector<double>& values) {
    if (values.size() < 2) return false;
    const auto [lo, hi] = std::minmax_element(values.begin(), values.end());
    return *lo > 0 && *hi / *lo > 20;
}

void SweepCharts::removePanels() {
    for (Panel& p : panels_) {
        grid_->removeWidget(p.card);
        delete p.card;  // owns the chart view, which owns the chart and its series
    }
    panels_.clear();
}

void SweepCharts::clear() {
    removePanels();
    trials_.clear();
    best_.reset();
    placeholder_->show();
}

void SweepCharts::start(const QList<Axis>& axes, const QString& metricLabel, bool lowerIsBetter) {
    clear();
    metricLabel_ = metricLabel;
    lowerIsBetter_ = lowerIsBetter;
    placeholder_->hide();
    const int columns = axes.size() > 2 ? 2 : std::max<int>(1, static_cast<int>(axes.size()));
    int index = 0;
    for (const Axis& axis : axes) {
        Panel p;
        p.axis = axis;
        p.log = wantsLogScale(axis.values);
        auto* chart = new QChart;
        chart->setAnimationOptions(QChart::NoAnimation);
        chart->setTitle(tr("Validation %1 by %2").arg(metricLabel, axis.key));
        chart->legend()->setAlignment(Qt::AlignBottom);
        chart->legend()->setMarkerShape(QLegend::MarkerShapeFromSeries);
        p.chart = new ChartFigure(QStringLiteral("sweep-") + axis.key, chart);
        p.chart->setPreferredFigureSize({700, 480});
        p.chart->setMinimumSize(280, 260);
        p.chart->setToolTip(
            tr("Validation %1 of each trial against %2").arg(metricLabel, axis.key));

        p.profile = new QLineSeries;
        p.profile->setName(tr("best per value"));
        QPen pen(kProfileColour);
        pen.setWidthF(1.5);
        p.profile->setPen(pen);
        p.trials = new QScatterSeries;
        p.trials->setName(tr("trials"));
        p.trials->setColor(kTrialColour);
        p.trials->setBorderColor(kTrialColour);
        p.trials->setMarkerSize(9);
        p.best = new QScatterSeries;
        p.best->setName(tr("best trial"));
        p.best->setColor(kBestColour);
        p.best->setBorderColor(kBestColour.darker());
        p.best->setMarkerSize(15);
        for (QAbstractSeries* s :
             {static_cast<QAbstractSeries*>(p.profile), static_cast<QAbstractSeries*>(p.trials),
              static_cast<QAbstractSeries*>(p.best)})
            chart->addSeries(s);
        if (p.log) {
            auto* x = new QLogValueAxis;
            x->setBase(10);
            x->setLabelFormat(QStringLiteral("%g"));
            x->setMinorTickCount(8);
            p.x = x;
        } else {
            auto* x = new QValueAxis;
            x->setLabelFormat(QStringLiteral("%g"));
            p.x = x;
        }
        p.x->setTitleText(p.log ? tr("%1 (log scale)").arg(axis.key) : axis.key);
        p.y = new QValueAxis;
        p.y->setLabelFormat(QStringLiteral("%.4g"));
        p.y->setTitleText(tr("validation %1").arg(metricLabel));
        chart->addAxis(p.x, Qt::AlignBottom);
        chart->addAxis(p.y, Qt::AlignLeft);
        for (QAbstractSeries* s : chart->series()) {
            s->attachAxis(p.x);
            s->attachAxis(p.y);
        }
        p.chart->enableHoverTooltips(axis.key, tr("validation %1").arg(metricLabel));

        p.card = new FigureCard(p.chart, p.chart);
        p.card->setCaption(
            tr("Each dot is one trial: its validation %1 against %2; trials at the same %2 "
               "differ in the other swept values. The grey line joins the best trial at each "
               "value, the red dot is the best trial (%3 is better)%4.")
                .arg(metricLabel, axis.key, lowerIsBetter ? tr("lower") : tr("higher"),
                     p.log ? tr("; the x axis is logarithmic because the values span decades")
                           : QString()));
        p.card->setProvenance(provenance_);
        grid_->addWidget(p.card, index / columns, index % columns);
        ++index;
        panels_.push_back(p);
    }
    redraw();
}

void SweepCharts::setProvenance(const Provenance& provenance) {
    provenance_ = provenance;
    for (Panel& p : panels_) p.card->setProvenance(provenance);
}

void SweepCharts::addTrial(const SweepTrial& trial) {
    trials_.push_back(trial);
    const std::size_t t = trials_.size() - 1;
    if (!best_ || better(trial.validation, trials_[*best_].validation)) best_ = t;
    redraw();
}

void SweepCharts::setResult(const SweepResult& result) {
    trials_ = result.trials;
    best_ = trials_.empty() ? std::nullopt : std::optional<std::size_t>(result.best);
    redraw();
}

bool SweepCharts::better(double a, double b) const {
    // As the engine chooses: a finite value beats NaN, ties keep the earlier trial.
    if (std::isnan(b)) return !std::isnan(a);
    if (std::isnan(a)) return false;
    return lowerIsBetter_ ? a < b : a > b;
}

double SweepCharts::xOf(const SweepTrial& trial, const QString& key) const {
    const std::string k = key.toStdString();
    for (const auto& [name, value] : trial.params)
        if (name == k) return QLocale::c().toDouble(QString::fromStdString(value));
    return std::numeric_limits<double>::quiet_NaN();
}

void SweepCharts::redraw() {
    for (Panel& p : panels_) {
        QList<QPointF> points, bestPoint;
        std::map<double, double> profile;  // best validation at each x
        double xlo = std::numeric_limits<double>::max(), xhi = -xlo;
        double ylo = xlo, yhi = -xlo;
        for (double v : p.axis.values) xlo = std::min(xlo, v), xhi = std::max(xhi, v);
        for (std::size_t t = 0; t < trials_.size(); ++t) {
            const double x = xOf(trials_[t], p.axis.key), y = trials_[t].validation;
            if (!std::isfinite(x) || !std::isfinite(y) || (p.log && x <= 0)) continue;
            points << QPointF(x, y);
            if (best_ && *best_ == t) bestPoint << QPointF(x, y);
            const auto it = profile.find(x);
            if (it == profile.end() || better(y, it->second)) profile[x] = y;
            xlo = std::min(xlo, x), xhi = std::max(xhi, x);
            ylo = std::min(ylo, y), yhi = std::max(yhi, y);
        }
        QList<QPointF> line;
        for (const auto& [x, y] : profile) line << QPointF(x, y);
        p.trials->replace(points);
        p.profile->replace(line);
        p.best->replace(bestPoint);
        if (xlo <= xhi) {
            const auto [a, b] = padded(xlo, xhi, p.log);
            p.x->setRange(a, b);
            if (auto* linear = qobject_cast<QValueAxis*>(p.x)) linear->applyNiceNumbers();
        }
        if (ylo <= yhi) {
            const auto [a, b] = padded(ylo, yhi, false);
            p.y->setRange(a, b);
            p.y->applyNiceNumbers();
        }
    }
}

QList<const Figure*> SweepCharts::figures() const {
    QList<const Figure*> out;
    for (const Panel& p : panels_) out << p.chart;
    return out;
}

QList<ChartFigure*> SweepCharts::charts() const {
    QList<ChartFigure*> out;
    for (const Panel& p : panels_) out << p.chart;
    return out;
}

QList<FigureCard*> SweepCharts::cards() const {
    QList<FigureCard*> out;
    for (const Panel& p : panels_) out << p.card;
    return out;
}

bool SweepCharts::isLogScale(int chart) const {
    return chart >= 0 && chart < static_cast<int>(panels_.size()) && panels_[chart].log;
}

}  // namespace lens::ui
