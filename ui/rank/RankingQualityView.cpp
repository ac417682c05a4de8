#include "RankingQualityView.h"

#include <QChart>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLegend>
#include <QLineSeries>
#include <QLocale>
#include <QLogValueAxis>
#include <QProgressBar>
#include <QPushButton>
#include <QScatterSeries>
#include <QVBoxLayout>
#include <cmath>

#include "JobTracker.h"
#include "charts/ChartFigure.h"
#include "charts/FigureCard.h"
#include "data/Dataset.h"
#include "data/Split.h"
#include "models/Recommender.h"
#include "models/TrainData.h"

namespace lens::ui {

namespace {

QString percent(double v) {
    return QLocale().toString(100.0 * v, 'f', 1) + QStringLiteral(" %");
}
QString number(double v, int decimals = 4) {
    return QLocale().toString(v, 'f', decimals);
}

// Whole decades around the positive values; at least one decade.
std::pair<double, double> decadesAround(const std::vector<double>& values) {
    double lo = std::numeric_limits<double>::max(), hi = 0.0;
    for (double v : values)
        if (v > 0.0 && std::isfinite(v)) {
            lo = std::min(lo, v);
            hi = std::max(hi, v);
        }
    if (hi <= 0.0) return {1.0, 10.0};
    double a = std::pow(10.0, std::floor(std::log10(lo)));
    double b = std::pow(10.0, std::ceil(std::log10(hi)));
    if (b <= a) b = a * 10.0;
    return {a, b};
}

QLineSeries* pdfSeries(const LogBinnedPdf& pdf, const QString& name, std::vector<double>& xs,
                       std::vector<double>& ys) {
    auto* series = new QLineSeries;
    series->setName(name);
    series->setPointsVisible(true);
    QList<QPointF> points;
    for (std::size_t k = 0; k < pdf.bins(); ++k) {
        if (pdf.empty[k] || pdf.density[k] <= 0.0) continue;
        points.append(QPointF(pdf.centres[k], pdf.density[k]));
        xs.push_back(pdf.centres[k]);
        ys.push_back(pdf.density[k]);
    }
    series->replace(points);
    return series;
}

}  // namespace

RankingQualityView::RankingQualityView(QWidget* parent)
    : QWidget(parent), jobs_(std::make_unique<JobTracker>()) {
    auto* layout = new QVBoxLayout(this);

    title_ = new QLabel(tr("No model is active: train one in the Train stage."), this);
    title_->setWordWrap(true);
    layout->addWidget(title_);

    layout->addLayout(buildControls());
    layout->addLayout(buildMetricGrid());
    layout->addWidget(buildChart(), 1);
    updateChart();

    connect(run_, &QPushButton::clicked, this, &RankingQualityView::run);
    connect(cancel_, &QPushButton::clicked, this, &RankingQualityView::cancel);
    connect(jobs_.get(), &JobTracker::busyChanged, this, &RankingQualityView::setBusy);
    connect(jobs_.get(), &JobTracker::progressChanged, this, &RankingQualityView::onProgress);
    setModel(nullptr, nullptr, {});
}

// Evaluate and Cancel, the progress bar while running, and the last evaluation's state.
QLayout* RankingQualityView::buildControls() {
    auto* controls = new QHBoxLayout;
    run_ = new QPushButton(tr("Evaluate"), this);
    run_->setToolTip(
        tr("Compute the ranking quality of the active model on its test split "
           "(Ctrl+Shift+R)"));
    run_->setShortcut(QKeySequence(QStringLiteral("Ctrl+Shift+R")));
    cancel_ = new QPushButton(tr("Cancel"), this);
    cancel_->setToolTip(tr("Stop the running evaluation"));
    cancel_->setEnabled(false);
    progress_ = new QProgressBar(this);
    progress_->setRange(0, 1000);
    progress_->setToolTip(tr("Users evaluated so far"));
    progress_->setTextVisible(true);
    progress_->hide();
    status_ = new QLabel(this);
    status_->setToolTip(tr("State of the last evaluation"));
    controls->addWidget(run_);
    controls->addWidget(cancel_);
    controls->addWidget(progress_, 1);
    controls->addWidget(status_, 1);
    return controls;
}

// The metrics, two per row: a name and a selectable value (objectName = metric key).
QLayout* RankingQualityView::buildMetricGrid() {
    auto* grid = new QGridLayout;
    const struct {
        const char* key;
        QString label;
        QString tip;
    } rows[] = {
        {"precision", tr("Precision@10 (full ranking)"),
         tr("Share of each user's top-10 (catalogue minus training movies) that is in their test "
            "movies, averaged over users")},
        {"recall", tr("Recall@10 (full ranking)"),
         tr("Share of each user's test movies found in their top-10, averaged over users")},
        {"ndcg", tr("NDCG@10 (full ranking)"),
         tr("Discounted gain of the test movies' positions in the top-10 over the ideal order")},
        {"map", tr("MAP@10 (full ranking)"),
         tr("Mean average precision of each user's top-10 over their test movies")},
        {"hr_sampled", tr("HR@10 — NCF protocol (sampled)"),
         tr("Share of test ratings ranked in the top 10 among 100 sampled unrated movies (He et "
            "al. 2017); sampled metrics are far higher than full-ranking ones")},
        {"ndcg_sampled", tr("NDCG@10 — NCF protocol (sampled)"),
         tr("1 / log2(rank + 2) of each test rating among 100 sampled negatives, 0 outside the "
            "top 10")},
        {"coverage", tr("Catalogue coverage of top-10s"),
         tr("Distinct movies in any user's top-10, over the movies with at least one rating")},
        {"popularity", tr("Mean popularity: recommended / catalogue"),
         tr("Mean number of training ratings of recommended movies (one count per list slot) "
            "against the catalogue mean: how much the model leans on popular movies")},
    };
    int r = 0;
    for (const auto& row : rows) {
        auto* name = new QLabel(row.label, this);
        name->setToolTip(row.tip);
        auto* value = new QLabel(QStringLiteral("–"), this);
        value->setToolTip(row.tip);
        value->setTextInteractionFlags(Qt::TextSelectableByMouse);
        value->setObjectName(QString::fromLatin1(row.key));
        grid->addWidget(name, r / 2, (r % 2) * 2);
        grid->addWidget(value, r / 2, (r % 2) * 2 + 1);
        metrics_.append({QString::fromLatin1(row.key), value});
        ++r;
    }
    grid->setColumnStretch(1, 1);
    grid->setColumnStretch(3, 1);
    return grid;
}

// The popularity chart in its figure card, with the placeholder over it until a result.
QWidget* RankingQualityView::buildChart() {
    chart_ = new ChartFigure(QStringLiteral("recommendation-popularity"), nullptr, this);
    chart_->setMinimumHeight(280);
    card_ = new FigureCard(chart_, chart_, this);
    card_->setCaption(
        tr("Popularity (number of training ratings) of the movies in everyone's "
           "top-10 against the whole catalogue, as log-binned densities on log-log "
           "axes. A curve shifted right means the model recommends mostly "
           "blockbusters."));
    // Until the first evaluation the chart has no data: say what to do instead of showing
    // empty axes. A child of the view, so exports of the figure never carry it.
    placeholder_ = new QLabel(chart_);
    placeholder_->setAlignment(Qt::AlignCenter);
    placeholder_->setWordWrap(true);
    placeholder_->setTextFormat(Qt::PlainText);
    placeholder_->setAttribute(Qt::WA_TransparentForMouseEvents);
    placeholder_->setForegroundRole(QPalette::PlaceholderText);
    QFont placeholderFont = placeholder_->font();
    if (placeholderFont.pointSizeF() > 0)
        placeholderFont.setPointSizeF(placeholderFont.pointSizeF() * 1.15);
    placeholder_->setFont(placeholderFont);
    chart_->installEventFilter(this);
    return card_;
}

RankingQualityView::~RankingQualityView() {
    // Stops the evaluation and waits for it before any widget goes; nothing is delivered.
    jobs_.reset();
}

bool RankingQualityView::isRunning() const {
    return jobs_->isRunning();
}

quint64 RankingQualityView::activeJobId() const {
    return jobs_->currentJob();
}

void RankingQualityView::setModel(std::shared_ptr<const Recommender> model,
                                  std::shared_ptr<const Dataset> dataset,
                                  const QString& modelLabel) {
    if (model == model_ && dataset == dataset_ && modelLabel == modelLabel_ && model) return;
    cancel();
    model_ = std::move(model);
    dataset_ = std::move(dataset);
    modelLabel_ = modelLabel;
    clearResult();
    if (!model_ || !dataset_) {
        title_->setText(tr("No model is active: train one in the Train stage."));
        run_->setEnabled(false);
        updatePlaceholder();
        return;
    }
    title_->setText(
        tr("Ranking quality of <b>%1</b> on its test split (%2).")
            .arg(modelLabel_.toHtmlEscaped(),
                 QString::fromStdString(model_->splitSpec().describe()).toHtmlEscaped()));
    run_->setEnabled(true);
    updatePlaceholder();
}

void RankingQualityView::setProvenance(const Provenance& provenance) {
    card_->setProvenance(provenance);
}

void RankingQualityView::setBusy(bool busy) {
    run_->setEnabled(!busy && model_ && dataset_);
    cancel_->setEnabled(busy);
    progress_->setVisible(busy);
    if (busy) progress_->setValue(0);
}

quint64 RankingQualityView::run() {
    if (!model_ || !dataset_) return 0;
    status_->setText(tr("Evaluating…"));
    progress_->setValue(0);  // also when this run supersedes a running one
    auto work = [model = model_, dataset = dataset_](const JobContext& job) {
        const Split split = makeSplit(*dataset, model->splitSpec());
        if (job.cancelled()) throw Cancelled();
        const TrainData data = TrainData::build(*dataset, split);
        RankingQualityConfig config;
        config.seed = model->splitSpec().seed;
        return evaluateRankingQuality(
            *model, data, config, [&job](const RankingQualityProgress& p) {
                const double fraction =
                    p.total > 0 ? static_cast<double>(p.done) / static_cast<double>(p.total) : 0.0;
                return job.progress(fraction, p.stage);
            });
    };
    // Only the current job delivers, and that is always the one started last.
    lastJob_ = jobs_->start(
        std::move(work), [this](RankingQuality quality) { onFinished(lastJob_, quality); },
        [this](const QString& message) { onFailed(message); });
    emit started(lastJob_);
    return lastJob_;
}

void RankingQualityView::cancel() {
    const quint64 job = jobs_->currentJob();
    if (!jobs_->cancel()) return;
    status_->setText(tr("Cancelled."));
    emit cancelled(job);
}

void RankingQualityView::onProgress(double fraction, const QString& stage) {
    progress_->setValue(static_cast<int>(std::lround(fraction * 1000.0)));
    progress_->setFormat(stage + QStringLiteral(" %p%"));
}

void RankingQualityView::onFailed(const QString& message) {
    status_->setText(tr("Failed: %1").arg(message));
    emit failed(message);
}

void RankingQualityView::onFinished(quint64 jobId, const RankingQuality& quality) {
    if (quality.cancelled) {  // stopped by the engine itself while still current
        status_->setText(tr("Cancelled."));
        emit cancelled(jobId);
        return;
    }
    setResult(quality);
    emit finished(jobId);
}

void RankingQualityView::clearResult() {
    result_.reset();
    for (auto& [key, label] : metrics_) label->setText(QStringLiteral("–"));
    status_->clear();
    updateChart();
}

void RankingQualityView::setResult(const RankingQuality& q) {
    result_ = q;
    const QLocale locale;
    for (auto& [key, label] : metrics_) {
        QString text;
        if (key == QLatin1String("precision"))
            text = number(q.topN.precision);
        else if (key == QLatin1String("recall"))
            text = number(q.topN.recall);
        else if (key == QLatin1String("ndcg"))
            text = number(q.topN.ndcg);
        else if (key == QLatin1String("map"))
            text = number(q.topN.map);
        else if (key == QLatin1String("hr_sampled"))
            text = q.sampled.cases > 0 ? number(q.sampled.hitRate) : tr("not computed");
        else if (key == QLatin1String("ndcg_sampled"))
            text = q.sampled.cases > 0 ? number(q.sampled.ndcg) : tr("not computed");
        else if (key == QLatin1String("coverage"))
            text = tr("%1 (%2 of %3 movies)")
                       .arg(percent(q.coverage), locale.toString(qulonglong(q.distinctRecommended)),
                            locale.toString(qulonglong(q.catalogueSize)));
        else if (key == QLatin1String("popularity"))
            text = tr("%1 / %2 ratings (×%3)")
                       .arg(number(q.meanPopularityRecommended, 1),
                            number(q.meanPopularityCatalogue, 1),
                            number(q.meanPopularityCatalogue > 0
                                       ? q.meanPopularityRecommended / q.meanPopularityCatalogue
                                       : 0.0,
                                   2));
        label->setText(text);
    }
    status_->setText(tr("%1 users with test movies, %2 test ratings on the NCF protocol, %3 s.")
                         .arg(locale.toString(qulonglong(q.topN.users)),
                              locale.toString(qulonglong(q.sampled.cases)),
                              locale.toString(q.seconds, 'f', 1)));
    updateChart();
}

QString RankingQualityView::metricText(const QString& key) const {
    for (const auto& [k, label] : metrics_)
        if (k == key) return label->text();
    return {};
}

void RankingQualityView::updateChart() {
    auto* chart = new QChart;
    chart->setTitle(modelLabel_.isEmpty()
                        ? tr("Popularity of recommended movies")
                        : tr("Popularity of recommended movies — %1").arg(modelLabel_));
    chart->legend()->setAlignment(Qt::AlignBottom);
    auto* x = new QLogValueAxis;
    x->setBase(10.0);
    x->setTitleText(tr("Popularity (training ratings of the movie)"));
    x->setLabelFormat(QStringLiteral("%g"));
    auto* y = new QLogValueAxis;
    y->setBase(10.0);
    y->setTitleText(tr("Density (log-binned)"));
    y->setLabelFormat(QStringLiteral("%g"));
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    std::vector<double> xs, ys;
    if (result_) {
        QLineSeries* catalogue = pdfSeries(result_->popularityCatalogue, tr("Catalogue"), xs, ys);
        QLineSeries* recommended =
            pdfSeries(result_->popularityRecommended, tr("Recommended (top-10 slots)"), xs, ys);
        for (QLineSeries* s : {catalogue, recommended}) {
            chart->addSeries(s);
            s->attachAxis(x);
            s->attachAxis(y);
        }
    }
    const auto [xlo, xhi] = decadesAround(xs);
    const auto [ylo, yhi] = decadesAround(ys);
    x->setRange(xlo, xhi);
    y->setRange(ylo, yhi);
    QChart* old = chart_->chart();
    chart_->setChart(chart);
    delete old;
    if (result_) chart_->enableHoverTooltips(tr("ratings"), tr("density"));
    // No empty 1-10 axes before there is anything to plot (the placeholder explains).
    x->setVisible(result_.has_value());
    y->setVisible(result_.has_value());
    updatePlaceholder();
}

void RankingQualityView::updatePlaceholder() {
    if (!placeholder_) return;
    placeholder_->setVisible(!result_);
    placeholder_->setText(
        model_ && dataset_
            ? tr("Press Evaluate (Ctrl+Shift+R) to measure how good the active model's top-10 "
                 "lists are on its test split: the metrics above, and here the popularity of the "
                 "recommended movies against the whole catalogue.")
            : tr("Train a model in the Train stage, then press Evaluate (Ctrl+Shift+R) here to "
                 "measure the quality of its top-10 lists."));
    placeholder_->setGeometry(chart_->rect().adjusted(24, 24, -24, -24));
    placeholder_->raise();
}

bool RankingQualityView::eventFilter(QObject* watched, QEvent* event) {
    if (watched == chart_ && event->type() == QEvent::Resize && placeholder_)
        placeholder_->setGeometry(chart_->rect().adjusted(24, 24, -24, -24));
    return QWidget::eventFilter(watched, event);
}

}  // namespace lens::ui
