#include "train/SweepDialog.h"

#include <QButtonGroup>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QRadioButton>
#include <QSortFilterProxyModel>
#include <QSpinBox>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>
#include <cmath>
#include <stdexcept>

#include "TableCopy.h"
#include "data/Dataset.h"
#include "models/RecommenderFactory.h"
#include "train/HyperparameterForm.h"
#include "train/RunQueue.h"
#include "train/SweepAxesForm.h"
#include "train/SweepCharts.h"
#include "train/SweepSession.h"
#include "train/SweepTrialModel.h"
#include "train/TrainSettingsForm.h"

namespace lens::ui {

namespace {

QString figure(double v) {
    return std::isfinite(v) ? QString::number(v, 'f', 4) : QStringLiteral("-");
}

}  // namespace

SweepDialog::SweepDialog(std::shared_ptr<const Dataset> dataset, TrainSettingsForm* settings,
                         RunQueue* queue, QWidget* parent)
    : QDialog(parent), dataset_(std::move(dataset)), settings_(settings), queue_(queue) {
    setWindowTitle(tr("Sweep hyper-parameters"));
    if (settings_) {
        modelName_ = settings_->modelDisplayName();
        try {
            spec_ = settings_->currentSpec();
        } catch (const std::exception& e) {
            spec_.modelKind = settings_->modelKind();
            specError_ =
                tr("The Train settings' split cannot be read: %1").arg(QString::fromUtf8(e.what()));
        }
    }
    if (spec_.modelKind.isEmpty()) spec_.modelKind = QStringLiteral("als");
    if (modelName_.isEmpty()) {
        const auto* d = findRecommender(spec_.modelKind.toStdString());
        modelName_ = d ? QString::fromStdString(d->displayName) : spec_.modelKind;
    }

    auto* splitter = new QSplitter(Qt::Horizontal);
    splitter->addWidget(buildSetup());
    splitter->addWidget(buildResults());
    splitter->setStretchFactor(1, 1);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    buttons->button(QDialogButtonBox::Close)
        ->setToolTip(tr("Close the dialog (a running sweep is cancelled)"));
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(splitter, 1);
    layout->addWidget(buttons);
    resize(1180, 760);

    axes_->setModel(spec_.modelKind, spec_.hyperparameters);
    fillMetrics();
    updateState();
}

SweepDialog::~SweepDialog() {
    // The queued trials go; the running one stops (the queue records it). Nothing to wait for.
    if (session_) session_->cancel();
}

bool SweepDialog::isRunning() const {
    return session_ && session_->isRunning();
}

// ---------------------------------------------------------------------------------------------
// Building the widgets

QWidget* SweepDialog::buildSetup() {
    setup_ = new QWidget;
    setup_->setMinimumWidth(520);
    auto* column = new QVBoxLayout(setup_);
    column->setContentsMargins(0, 0, 0, 0);
    auto* about =
        new QLabel(tr("<b>%1</b> on %2<br>%3<br>Other settings as in the Train stage: %4")
                       .arg(modelName_.toHtmlEscaped(),
                            dataset_ ? QString::fromStdString(dataset_->name).toHtmlEscaped()
                                     : tr("no dataset"),
                            spec_.splitAndSeedText().toHtmlEscaped(),
                            spec_.hyperparameterText().toHtmlEscaped()));
    about->setWordWrap(true);
    about->setToolTip(tr("Change these in the Train stage and open Sweep… again"));
    column->addWidget(about);

    auto* axesBox = new QGroupBox(tr("Hyper-parameters to sweep"));
    auto* axesLayout = new QVBoxLayout(axesBox);
    axes_ = new SweepAxesForm;
    axesLayout->addWidget(axes_);
    column->addWidget(axesBox);

    auto* searchBox = new QGroupBox(tr("Search"));
    auto* searchForm = new QFormLayout(searchBox);
    grid_ = new QRadioButton(tr("&Grid: every combination"));
    grid_->setToolTip(tr("Train one trial for every combination of the values"));
    random_ = new QRadioButton(tr("&Random:"));
    random_->setToolTip(
        tr("Train only N combinations drawn at random from the grid (without repeats); with "
           "several hyper-parameters this often finds good settings in far fewer trials"));
    auto* group = new QButtonGroup(searchBox);
    group->addButton(grid_);
    group->addButton(random_);
    grid_->setChecked(true);
    randomTrials_ = new QSpinBox;
    randomTrials_->setRange(1, 10'000);
    randomTrials_->setValue(5);
    randomTrials_->setSuffix(tr(" trials"));
    randomTrials_->setToolTip(tr("How many combinations random search trains"));
    auto* randomRow = new QHBoxLayout;
    randomRow->addWidget(random_);
    randomRow->addWidget(randomTrials_);
    randomRow->addStretch();
    searchForm->addRow(grid_);
    searchForm->addRow(randomRow);
    metric_ = new QComboBox;
    metric_->setToolTip(tr("The validation metric trials are compared by"));
    searchForm->addRow(tr("&Metric"), metric_);
    trialCount_ = new QLabel;
    searchForm->addRow(trialCount_);
    column->addWidget(searchBox);

    message_ = new QLabel;
    message_->setWordWrap(true);
    message_->setObjectName(QStringLiteral("sweep_message"));
    column->addWidget(message_);
    auto* runRow = new QHBoxLayout;
    runButton_ = new QPushButton(tr("&Run sweep"));
    runButton_->setToolTip(
        tr("Queue the trials as runs of the Train stage (each scored on the validation part), "
           "then retrain the best and test it once"));
    runButton_->setDefault(true);
    cancelButton_ = new QPushButton(tr("&Cancel sweep"));
    cancelButton_->setToolTip(
        tr("Remove the sweep's queued trials and stop the one training; no best is chosen, "
           "finished trials stay in the run history"));
    runRow->addWidget(runButton_);
    runRow->addWidget(cancelButton_);
    runRow->addStretch();
    column->addLayout(runRow);
    progress_ = new QProgressBar;
    progress_->setRange(0, 1);
    progress_->setValue(0);
    progress_->setFormat(tr("trial %v of %m"));
    progressLabel_ = new QLabel;
    progressLabel_->setWordWrap(true);
    column->addWidget(progress_);
    column->addWidget(progressLabel_);

    auto* teaching = new QLabel(
        tr("<i>Why not choose by the test part?</i> Each trial trains on the training part "
           "minus a validation part and is judged on validation only. The best setting is then "
           "retrained on the whole training part (training + validation) and tested once. "
           "Picking the setting that scores best on the test ratings would fit their noise: "
           "the test figure would flatter the model and stop being an honest estimate of how "
           "it does on ratings it has never seen."));
    teaching->setWordWrap(true);
    teaching->setObjectName(QStringLiteral("sweep_teaching"));
    column->addWidget(teaching);
    column->addStretch();

    connect(axes_, &SweepAxesForm::changed, this, &SweepDialog::updateState);
    connect(grid_, &QRadioButton::toggled, this, &SweepDialog::updateState);
    connect(randomTrials_, &QSpinBox::valueChanged, this, &SweepDialog::updateState);
    connect(runButton_, &QPushButton::clicked, this, [this] { run(); });
    connect(cancelButton_, &QPushButton::clicked, this, &SweepDialog::cancel);
    return setup_;
}

QWidget* SweepDialog::buildResults() {
    charts_ = new SweepCharts;
    charts_->setProvenance(provenance());
    trials_ = new SweepTrialModel(this);
    auto* proxy = new QSortFilterProxyModel(this);
    proxy->setSourceModel(trials_);
    proxy->setSortRole(SweepTrialModel::SortRole);
    trialView_ = new QTableView;
    trialView_->setModel(proxy);
    trialView_->setSortingEnabled(true);
    trialView_->sortByColumn(0, Qt::AscendingOrder);
    trialView_->setSelectionBehavior(QAbstractItemView::SelectRows);
    trialView_->verticalHeader()->hide();
    trialView_->horizontalHeader()->setStretchLastSection(true);
    trialView_->setToolTip(tr("Every trial: its values, validation metric and training time"));
    enableTableCopy(trialView_);
    connect(trials_, &QAbstractItemModel::modelReset, trialView_,
            &QTableView::resizeColumnsToContents);

    resultBox_ = new QGroupBox(tr("Best settings"));
    auto* resultLayout = new QHBoxLayout(resultBox_);
    bestLabel_ = new QLabel;
    bestLabel_->setWordWrap(true);
    bestLabel_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    applyButton_ = new QPushButton(tr("&Apply best settings"));
    applyButton_->setToolTip(
        tr("Put the best values (and the sweep's other settings, split and seed) into the "
           "Train settings; Start there trains a normal run with them"));
    resultLayout->addWidget(bestLabel_, 1);
    resultLayout->addWidget(applyButton_, 0, Qt::AlignTop);
    resultBox_->setVisible(false);
    connect(applyButton_, &QPushButton::clicked, this, [this] { applyBest(); });

    auto* lower = new QWidget;
    auto* lowerLayout = new QVBoxLayout(lower);
    lowerLayout->setContentsMargins(0, 0, 0, 0);
    lowerLayout->addWidget(trialView_, 1);
    lowerLayout->addWidget(resultBox_);
    auto* splitter = new QSplitter(Qt::Vertical);
    splitter->addWidget(charts_);
    splitter->addWidget(lower);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    splitter->setSizes({430, 290});  // the charts and their captions get the larger share
    return splitter;
}

void SweepDialog::fillMetrics() {
    const RecommenderDescriptor* d = findRecommender(spec_.modelKind.toStdString());
    bool predictsRatings = true;
    try {
        auto probe = createRecommender(spec_.modelKind.toStdString());
        predictsRatings = probe->predictsRatings();
    } catch (const std::exception&) {
    }
    // As the engine's default: ranking models, or models that do not predict ratings, are
    // judged by ranking metrics.
    ratingModel_ = predictsRatings && !(d && d->ranking);
    metric_->clear();
    const QStringList metrics =
        ratingModel_ ? QStringList{QStringLiteral("rmse")}
                     : QStringList{QStringLiteral("ndcg10"), QStringLiteral("hr10"),
                                   QStringLiteral("full_ndcg10"), QStringLiteral("full_hr10")};
    for (const QString& m : metrics) metric_->addItem(metricLabel(m), m);
}

QString SweepDialog::metricLabel(const QString& metric) const {
    if (metric == QLatin1String("rmse")) return tr("RMSE");
    if (metric == QLatin1String("hr10")) return tr("HR@10");
    if (metric == QLatin1String("ndcg10")) return tr("NDCG@10");
    if (metric == QLatin1String("full_hr10")) return tr("HR@10 (all movies)");
    if (metric == QLatin1String("full_ndcg10")) return tr("NDCG@10 (all movies)");
    return metric;
}

QString SweepDialog::paramText(const std::vector<std::pair<std::string, std::string>>& p) const {
    QStringList parts;
    for (const auto& [key, value] : p)
        parts << QStringLiteral("%1 %2").arg(QString::fromStdString(key),
                                             QString::fromStdString(value));
    return parts.join(QStringLiteral(", "));
}

Provenance SweepDialog::provenance() const {
    Provenance p;
    if (dataset_)
        p.dataset = tr("%1 (%L2 ratings)")
                        .arg(QString::fromStdString(dataset_->name))
                        .arg(dataset_->ratingCount());
    p.model = tr("%1: %2").arg(modelName_, spec_.hyperparameterText());
    p.split = spec_.splitText();
    p.seed = QString::number(spec_.seed);
    p.extra = tr("sweep on the validation part");
    return p;
}

// ---------------------------------------------------------------------------------------------
// State

SweepConfig SweepDialog::config() const {
    SweepConfig c;
    c.modelKind = spec_.modelKind.toStdString();
    c.axes = axes_->axes();
    c.randomTrials = random_->isChecked() ? randomTrials_->value() : 0;
    c.seed = spec_.seed;
    c.metric = metric_->currentData().toString().toStdString();
    const QStringList swept = axes_->sweptKeys();
    for (const auto& [key, value] : spec_.hyperparameters)
        if (!swept.contains(key)) c.fixed.emplace_back(key.toStdString(), value.toStdString());
    return c;
}

QString SweepDialog::problems() const {
    QStringList p;
    if (!dataset_) p << tr("Load a dataset first");
    if (!specError_.isEmpty()) p << specError_;
    if (!queue_ || queue_->isShutDown())
        p << tr("The Train stage takes no runs (it is closed)");
    else if (dataset_ && queue_->dataset() != dataset_)
        p << tr("The Train stage has another dataset now: open Sweep… again");
    p << axes_->problems();
    return p.join('\n');
}

bool SweepDialog::isValid() const {
    return problems().isEmpty();
}

void SweepDialog::updateState() {
    const bool running = isRunning();
    const bool valid = isValid();
    runButton_->setEnabled(!running && valid);
    cancelButton_->setEnabled(running);
    axes_->setEnabled(!running);
    grid_->setEnabled(!running);
    random_->setEnabled(!running);
    randomTrials_->setEnabled(!running && random_->isChecked());
    metric_->setEnabled(!running && metric_->count() > 1);
    applyButton_->setEnabled(!running && result_ && settings_);
    const std::size_t grid = axes_->gridSize();
    if (grid == 0 || !axes_->isValid())
        trialCount_->clear();
    else if (random_->isChecked() && static_cast<std::size_t>(randomTrials_->value()) < grid)
        trialCount_->setText(tr("%L1 of the %L2 combinations, drawn at random")
                                 .arg(randomTrials_->value())
                                 .arg(grid));
    else
        trialCount_->setText(tr("%Ln trial(s): every combination", nullptr, int(grid)));
    if (!running) message_->setText(valid ? QString() : problems());
}

// ---------------------------------------------------------------------------------------------
// Running

bool SweepDialog::run() {
    if (isRunning() || !isValid()) return false;
    const SweepConfig cfg = config();
    auto* session = new SweepSession(queue_, this);
    connect(session, &SweepSession::trialFinished, this,
            [this](int i, int n, const SweepTrial& t) { onTrial(i, n, t); });
    connect(session, &SweepSession::finalQueued, this, &SweepDialog::onFinalQueued);
    connect(session, &SweepSession::finished, this, &SweepDialog::onFinished);
    connect(session, &SweepSession::failed, this, &SweepDialog::onFailed);
    connect(session, &SweepSession::cancelled, this, &SweepDialog::onCancelled);
    // The columns and charts before the trials are queued (a queue may report at once).
    QStringList keys;
    QList<SweepCharts::Axis> chartAxes;
    for (const SweepAxis& a : cfg.axes) {
        const QString key = QString::fromStdString(a.key);
        keys << key;
        chartAxes.append({key, axes_->label(key), axes_->values(key)});
    }
    const QString metric = metricLabel(QString::fromStdString(cfg.metric));
    trials_->reset(keys, tr("validation %1").arg(metric));
    charts_->start(chartAxes, metric, evaluationMetricLowerIsBetter(cfg.metric));
    result_.reset();
    finishedTrials_ = 0;
    resultBox_->setVisible(false);
    QString error;
    if (!session->start(spec_, modelName_, cfg, &error)) {
        delete session;
        message_->setText(error);
        return false;
    }
    delete session_;  // the last sweep's (finished, failed or cancelled)
    session_ = session;
    totalTrials_ = session->result().trials.size();
    progress_->setRange(0, static_cast<int>(totalTrials_));
    progress_->setValue(0);
    progressLabel_->setText(
        tr("Sweep %1: %2 trial(s) queued as runs in the Train stage (scored on the validation "
           "part)…")
            .arg(session->number())
            .arg(totalTrials_));
    message_->clear();
    updateState();
    return true;
}

void SweepDialog::onTrial(std::size_t index, std::size_t total, const SweepTrial& trial) {
    finishedTrials_ = index + 1;
    trials_->appendTrial(trial);
    charts_->addTrial(trial);
    progress_->setValue(static_cast<int>(index + 1));
    progressLabel_->setText(index + 1 < total
                                ? tr("Trial %1 of %2: %3, validation %4. Training trial %5…")
                                      .arg(index + 1)
                                      .arg(total)
                                      .arg(paramText(trial.params), figure(trial.validation))
                                      .arg(index + 2)
                                : tr("All %1 trials trained.").arg(total));
    emit trialFinished(static_cast<int>(index), static_cast<int>(total));
}

void SweepDialog::onFinalQueued(int best) {
    progressLabel_->setText(tr("All %1 trials trained; retraining the best (trial %2) on training "
                               "+ validation and testing it once…")
                                .arg(totalTrials_)
                                .arg(best + 1));
    updateState();
}

void SweepDialog::onFinished() {
    result_ = session_->result();
    const SweepResult& res = *result_;
    trials_->setResult(res);
    charts_->setResult(res);
    progress_->setValue(progress_->maximum());
    double seconds = 0;
    for (const SweepTrial& t : res.trials) seconds += t.seconds;
    progressLabel_->setText(
        tr("Sweep %1: %n trial(s) trained in %2.", nullptr, int(res.trials.size()))
            .arg(session_->number())
            .arg(formatDuration(seconds)));
    const SweepTrial& best = res.trials[res.best];
    const QString metric = metricLabel(QString::fromStdString(res.metric));
    bestLabel_->setText(
        tr("<b>%1</b> (trial %6)<br>Validation %2: <b>%3</b> (chosen by this, %4 is better)<br>"
           "Test %2: <b>%5</b> (retrained on training + validation, tested once: run %7)<br>"
           "<small>%Ln validation rating(s) held out of the training part.</small>",
           nullptr, int(res.validationRatings))
            .arg(paramText(best.params).toHtmlEscaped(), metric, figure(res.bestValidation),
                 res.lowerIsBetter ? tr("lower") : tr("higher"), figure(res.bestTest))
            .arg(res.best + 1)
            .arg(session_->finalRunId().toHtmlEscaped()));
    resultBox_->setVisible(true);
    updateState();
    emit sweepFinished();
}

void SweepDialog::onFailed(const QString& message) {
    progressLabel_->clear();
    updateState();
    message_->setText(tr("The sweep failed: %1").arg(message));
    emit sweepFailed(message);
}

void SweepDialog::onCancelled(const QString& why) {
    progressLabel_->setText(
        tr("Cancelled after %1 of %2 trials (%3): no best is chosen. The finished trials stay "
           "in the run history; the one being trained is stopped.")
            .arg(finishedTrials_)
            .arg(totalTrials_)
            .arg(why));
    updateState();
    emit sweepCancelled();
}

void SweepDialog::cancel() {
    if (session_) session_->cancel();  // onCancelled: only when it was running
}

void SweepDialog::done(int r) {
    cancel();
    QDialog::done(r);
}

bool SweepDialog::applyBest() {
    if (!result_ || !settings_ || isRunning()) return false;
    const SweepTrial& best = result_->trials[result_->best];
    HyperparameterValues values = spec_.hyperparameters;
    for (auto& [key, value] : values)
        for (const auto& [k, v] : best.params)
            if (key.toStdString() == k) value = QString::fromStdString(v);
    settings_->setModelKind(spec_.modelKind);
    settings_->setSplit(spec_.split);
    settings_->setSeed(spec_.seed);
    QString error;
    if (!settings_->form()->setValues(values, &error)) {
        message_->setText(tr("Not all values could be applied: %1").arg(error));
        return false;
    }
    message_->setText(tr("Applied to the Train settings: %1. Start a run there to train the "
                         "model with them.")
                          .arg(paramText(best.params)));
    emit bestApplied();
    return true;
}

}  // namespace lens::ui
