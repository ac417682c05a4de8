#include "train/TrainingCharts.h"

#include <QAction>
#include <QChart>
#include <QHBoxLayout>
#include <QLegend>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QPen>
#include <QSplitter>
#include <QToolButton>
#include <QVBoxLayout>
#include <QValueAxis>
#include <algorithm>
#include <cmath>
#include <iterator>
#include <limits>

#include "charts/ChartFigure.h"
#include "charts/FigureCard.h"
#include "models/RecommenderFactory.h"
#include "train/RunHistoryModel.h"

namespace lens::ui {

namespace {

// Series colours of the 1st, 2nd, ... run shown (chart content, like a plot's ink; the chart
// background follows the palette).
const QColor kRunColours[] = {QColor(0x1f, 0x77, 0xb4), QColor(0xd6, 0x27, 0x28),
                              QColor(0x2c, 0xa0, 0x2c), QColor(0xff, 0x7f, 0x0e),
                              QColor(0x94, 0x67, 0xbd), QColor(0x8c, 0x56, 0x4b),
                              QColor(0xe3, 0x77, 0xc2), QColor(0x17, 0xbe, 0xcf)};

QLineSeries* makeSeries(const QString& name, const QColor& colour, Qt::PenStyle style) {
    auto* s = new QLineSeries;
    s->setName(name);
    QPen pen(colour);
    pen.setWidthF(2.0);
    pen.setStyle(style);
    s->setPen(pen);
    s->setPointsVisible(true);
    return s;
}

void clearChart(QChart* chart) {
    chart->removeAllSeries();
    for (QAbstractAxis* axis : chart->axes()) {
        chart->removeAxis(axis);
        delete axis;
    }
}

QString runShortName(const RunRecord& r) {
    QString k = r.spec.value(QStringLiteral("k"));
    if (k.isEmpty()) k = r.spec.value(QStringLiteral("factors"));
    QString name = r.modelDisplayName;
    if (!k.isEmpty()) name += QStringLiteral(" k %1").arg(k);
    return name + QStringLiteral(" (%1)").arg(
                      r.started.toLocalTime().toString(QStringLiteral("HH:mm:ss")));
}

QString fmt(double v, int precision = 4) {
    return std::isfinite(v) ? QString::number(v, 'f', precision) : QStringLiteral("-");
}

}  // namespace

TrainingCharts::TrainingCharts(RunHistoryModel* history, QAction* logScaleAction, QWidget* parent)
    : QWidget(parent), history_(history), logScaleAction_(logScaleAction) {
    auto* accuracy = new QChart;
    accuracy->setTitle(tr("Error per iteration"));
    accuracyChart_ = new ChartFigure(QStringLiteral("train-accuracy"), accuracy);
    accuracyChart_->setToolTip(
        tr("Train and validation RMSE (ranking models: HR@10 and NDCG@10 on validation) after "
           "each iteration of the runs shown; the test figure is in the caption once a run ends"));
    auto* objective = new QChart;
    objective->setTitle(tr("Objective per iteration"));
    objectiveChart_ = new ChartFigure(QStringLiteral("train-objective"), objective);
    objectiveChart_->setToolTip(
        tr("The regularised loss the model minimises, after each iteration"));
    // ChartFigure gives the charts the dark chrome under a dark palette (and white exports).
    for (QChart* c : {accuracy, objective}) {
        c->setAnimationOptions(QChart::NoAnimation);
        c->legend()->setAlignment(Qt::AlignBottom);
        c->legend()->setShowToolTips(true);  // full series names where the legend elides them
        // Line markers: the legend shows which curve is dashed (train) and which solid (test).
        c->legend()->setMarkerShape(QLegend::MarkerShapeFromSeries);
    }
    accuracyCard_ = new FigureCard(accuracyChart_, accuracyChart_);
    objectiveCard_ = new FigureCard(objectiveChart_, objectiveChart_);
    auto* logScaleButton = new QToolButton;
    logScaleButton->setDefaultAction(logScaleAction_);
    auto* objectiveBox = new QWidget;
    auto* objectiveLayout = new QVBoxLayout(objectiveBox);
    objectiveLayout->setContentsMargins(0, 0, 0, 0);
    objectiveLayout->addWidget(objectiveCard_, 1);
    objectiveLayout->addWidget(logScaleButton, 0, Qt::AlignRight);
    auto* charts = new QSplitter(Qt::Horizontal);
    charts->addWidget(accuracyCard_);
    charts->addWidget(objectiveBox);
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(charts);
    rebuildCharts();
}

QList<const Figure*> TrainingCharts::figures() const {
    return {accuracyChart_, objectiveChart_};
}

void TrainingCharts::showRuns(const QStringList& runIds) {
    shownRuns_.clear();
    for (const QString& id : runIds)
        if (history_->find(id)) shownRuns_ << id;
    rebuildCharts();
}

void TrainingCharts::setLogScale(bool on) {
    if (logScale_ == on) return;
    logScale_ = on;
    if (logScaleAction_ && logScaleAction_->isChecked() != on) logScaleAction_->setChecked(on);
    rebuildCharts();
}

void TrainingCharts::appendSnapshot(const QString& runId, const TrainingSnapshot& snapshot) {
    if (!series_.contains(runId)) return;
    appendPoint(series_.value(runId), snapshot);
    updateAxes();
}

void TrainingCharts::refreshRun(const QString& runId) {
    if (shownRuns_.contains(runId)) rebuildCharts();
}

bool TrainingCharts::isRankingRun(const RunRecord& r) {
    if (r.spec.value(QStringLiteral("objective")) == QLatin1String("implicit")) return true;
    const auto* d = findRecommender(r.spec.modelKind.toStdString());
    return d && d->ranking;
}

void TrainingCharts::rebuildCharts() {
    QChart* acc = accuracyChart_->chart();
    QChart* obj = objectiveChart_->chart();
    clearChart(acc);
    clearChart(obj);
    series_.clear();
    const bool several = shownRuns_.size() > 1;
    bool anyRating = false, anyRanking = false;
    int index = 0;
    for (const QString& id : shownRuns_) {
        const RunRecord* r = history_->find(id);
        if (!r) continue;
        const QColor colour = kRunColours[index++ % std::size(kRunColours)];
        // Legends stay short ("#2 test RMSE"); the caption says which run #2 is.
        const QString name = QStringLiteral("#%1").arg(history_->rowOf(id) + 1);
        const QString prefix = several ? name + QLatin1Char(' ') : QString();
        RunSeries s;
        // Runs score their iterations on validation; runs recorded before it on the test part.
        const bool onValidation = r->curvesOn == EvaluatedPart::Validation;
        if (isRankingRun(*r)) {
            anyRanking = true;
            s.hr10 = makeSeries(prefix + (onValidation ? tr("validation HR@10") : tr("test HR@10")),
                                colour, Qt::SolidLine);
            s.ndcg10 =
                makeSeries(prefix + (onValidation ? tr("validation NDCG@10") : tr("test NDCG@10")),
                           colour, Qt::DashLine);
            acc->addSeries(s.hr10);
            acc->addSeries(s.ndcg10);
        } else {
            anyRating = true;
            s.trainRmse = makeSeries(prefix + tr("train RMSE"), colour, Qt::DashLine);
            s.testRmse =
                makeSeries(prefix + (onValidation ? tr("validation RMSE") : tr("test RMSE")),
                           colour, Qt::SolidLine);
            acc->addSeries(s.trainRmse);
            acc->addSeries(s.testRmse);
        }
        s.objective = makeSeries(prefix + tr("objective"), colour, Qt::SolidLine);
        obj->addSeries(s.objective);
        for (const TrainingSnapshot& snap : r->history) appendPoint(s, snap);
        series_.insert(id, s);
    }
    acc->setTitle(anyRanking && !anyRating ? tr("HR@10 and NDCG@10 per iteration")
                  : anyRanking             ? tr("RMSE, HR@10 and NDCG@10 per iteration")
                                           : tr("Train and validation RMSE per iteration"));
    obj->setTitle(logScale_ ? tr("Objective per iteration (log scale)")
                            : tr("Objective per iteration"));
    for (QChart* c : {acc, obj}) {
        auto* x = new QValueAxis;
        x->setTitleText(tr("Iteration"));
        x->setLabelFormat(QStringLiteral("%d"));
        c->addAxis(x, Qt::AlignBottom);
        QAbstractAxis* y = nullptr;
        if (c == obj && logScale_) {
            auto* logAxis = new QLogValueAxis;
            logAxis->setBase(10);
            logAxis->setLabelFormat(QStringLiteral("%g"));
            logAxis->setMinorTickCount(8);
            y = logAxis;
        } else {
            auto* valueAxis = new QValueAxis;
            valueAxis->setLabelFormat(QStringLiteral("%.3g"));
            y = valueAxis;
        }
        y->setTitleText(c == obj                   ? tr("Objective")
                        : anyRanking && !anyRating ? tr("HR@10 / NDCG@10")
                        : anyRanking               ? tr("RMSE / HR@10 / NDCG@10")
                                                   : tr("RMSE"));
        c->addAxis(y, Qt::AlignLeft);
        for (QAbstractSeries* s : c->series()) {
            s->attachAxis(x);
            s->attachAxis(y);
        }
    }
    accuracyChart_->enableHoverTooltips(tr("iteration"), tr("value"));
    objectiveChart_->enableHoverTooltips(tr("iteration"), tr("objective"));
    updateAxes();
    updateCardTexts();
}

void TrainingCharts::appendPoint(const RunSeries& s, const TrainingSnapshot& snap) {
    const double x = snap.iteration;
    auto add = [x](QLineSeries* series, double y) {
        if (series && std::isfinite(y)) series->append(x, y);
    };
    add(s.trainRmse, snap.trainRmse);
    add(s.testRmse, snap.testRmse);
    add(s.hr10, snap.hr10);
    add(s.ndcg10, snap.ndcg10);
    if (!logScale_ || snap.objective > 0) add(s.objective, snap.objective);
}

void TrainingCharts::updateAxes() {
    for (ChartFigure* view : {accuracyChart_, objectiveChart_}) {
        QChart* c = view->chart();
        double xMax = 1, yMin = std::numeric_limits<double>::infinity(), yMax = -yMin;
        for (QAbstractSeries* a : c->series()) {
            const auto* s = static_cast<QLineSeries*>(a);
            for (const QPointF& p : s->points()) {
                xMax = std::max(xMax, p.x());
                yMin = std::min(yMin, p.y());
                yMax = std::max(yMax, p.y());
            }
        }
        for (const QString& id : shownRuns_)
            if (const RunRecord* r = history_->find(id))
                xMax = std::max<double>(xMax, r->totalIterations());
        const auto xAxes = c->axes(Qt::Horizontal);
        const auto yAxes = c->axes(Qt::Vertical);
        if (xAxes.isEmpty() || yAxes.isEmpty()) continue;
        auto* x = static_cast<QValueAxis*>(xAxes.first());
        x->setRange(xMax <= 1 ? 0 : 1, xMax);
        x->setTickCount(std::min(11, std::max(2, static_cast<int>(xMax) + (xMax <= 1 ? 1 : 0))));
        // Before any point: no numbers on the axes (they would mean nothing), a message instead.
        const bool empty = !std::isfinite(yMin);
        for (QAbstractAxis* axis : c->axes()) {
            axis->setLabelsVisible(!empty);
            axis->setGridLineVisible(!empty);
        }
        view->setPlaceholderText(empty ? (shownRuns_.isEmpty()
                                              ? tr("No run yet: start one with Train (Ctrl+Return)")
                                              : tr("No values to show yet"))
                                       : QString());
        if (empty) {
            yMin = 0;
            yMax = 1;
        }
        if (auto* logAxis = qobject_cast<QLogValueAxis*>(yAxes.first())) {
            // Explicit decades: the automatic range of QLogValueAxis does not snap to them.
            const double lo = yMin > 0 ? std::pow(10.0, std::floor(std::log10(yMin))) : 1.0;
            double hi = yMax > 0 ? std::pow(10.0, std::ceil(std::log10(yMax))) : 10.0;
            if (hi <= lo) hi = lo * 10;
            logAxis->setRange(lo, hi);
        } else if (auto* valueAxis = qobject_cast<QValueAxis*>(yAxes.first())) {
            double pad = 0.05 * (yMax - yMin);
            if (pad <= 0) pad = std::max(1e-3, 0.05 * std::abs(yMax));
            valueAxis->setRange(yMin - pad, yMax + pad);
            valueAxis->applyNiceNumbers();
            // Large objectives read better as plain integers than as "6.25e+04".
            const double largest = std::max(std::abs(valueAxis->min()), std::abs(valueAxis->max()));
            valueAxis->setLabelFormat(largest >= 1e4 ? QStringLiteral("%.0f")
                                                     : QStringLiteral("%g"));
        }
    }
}

void TrainingCharts::updateCardTexts() {
    Provenance provenance;
    QString accuracyCaption, objectiveCaption;
    if (shownRuns_.isEmpty()) {
        accuracyCaption =
            tr("Select runs in the history (or start one) to see how the error "
               "falls with each iteration.");
        objectiveCaption = tr("The objective is the regularised loss the model minimises.");
    } else {
        const RunRecord* first = history_->find(shownRuns_.first());
        if (first) {
            provenance.dataset = first->datasetName;
            provenance.model = QStringLiteral("%1: %2").arg(first->modelDisplayName,
                                                            first->spec.hyperparameterText());
            // The seed once: in the split's text, or as "model seed N" after it.
            provenance.split = first->spec.splitAndSeedText();
            if (shownRuns_.size() > 1)
                provenance.extra = tr("%n runs overlaid", nullptr, shownRuns_.size());
        }
        QStringList finals;
        for (const QString& id : shownRuns_) {
            const RunRecord* r = history_->find(id);
            if (!r) continue;
            const double rmse = r->testFigure(&HeldOutFigures::rmse);
            const double hr = r->testFigure(&HeldOutFigures::hr10);
            QString f = QStringLiteral("#%1 %2: ")
                            .arg(history_->rowOf(id) + 1)
                            .arg(runShortName(*r).toHtmlEscaped());
            if (std::isfinite(rmse)) f += tr("test RMSE %1").arg(fmt(rmse));
            if (std::isfinite(hr))
                f += tr("test HR@10 %1, NDCG@10 %2")
                         .arg(fmt(hr), fmt(r->testFigure(&HeldOutFigures::ndcg10)));
            if (!std::isfinite(rmse) && !std::isfinite(hr))
                f += r->status == RunStatus::Running || r->status == RunStatus::Queued
                         ? tr("test figure when the run ends")
                         : tr("no test figure");
            const double validation = r->validationFigure(&HeldOutFigures::rmse);
            const double validationHr = r->validationFigure(&HeldOutFigures::hr10);
            if (r->finalValidation && std::isfinite(validation))
                f += tr(" (validation RMSE %1)").arg(fmt(validation));
            else if (r->finalValidation && std::isfinite(validationHr))
                f += tr(" (validation HR@10 %1)").arg(fmt(validationHr));
            finals << f;
        }
        accuracyCaption =
            tr("Dashed: error on the training ratings; solid: error on the validation part, "
               "carved from the training ratings (10 % per user, or each user's latest training "
               "rating under leave-one-out) and left out of training (ranking models: HR@10 "
               "solid, NDCG@10 dashed, NCF protocol with 100 sampled negatives). The test part "
               "is scored once, when the run ends, so no choice made from these curves sees it. "
               "A widening gap means overfitting: more regularisation or fewer factors "
               "help.<br>%1")
                .arg(finals.join(QStringLiteral("<br>")));
        objectiveCaption =
            tr("The regularised loss each iteration minimises; ALS never lets it "
               "rise, so a rise signals a bug or a numerical problem. Use the log "
               "scale to see the late, small improvements.");
    }
    accuracyCard_->setCaption(accuracyCaption);
    objectiveCard_->setCaption(objectiveCaption);
    accuracyCard_->setProvenance(provenance);
    objectiveCard_->setProvenance(provenance);
}

}  // namespace lens::ui
