#include "train/TrainPanel.h"

#include <QAction>
#include <QDir>
#include <QFontMetrics>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QScrollArea>
#include <QScrollBar>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStandardPaths>
#include <QStyle>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>
#include <algorithm>

#include "DatasetController.h"
#include "TableCopy.h"
#include "charts/ChartFigure.h"
#include "charts/FigureCard.h"
#include "data/Dataset.h"
#include "models/ModelLibrary.h"
#include "train/HyperparameterForm.h"
#include "train/RunHistoryModel.h"
#include "train/RunProgress.h"
#include "train/RunQueue.h"
#include "train/SweepDialog.h"
#include "train/TrainLog.h"
#include "train/TrainingCharts.h"

namespace lens::ui {

TrainPanel::TrainPanel(DatasetController* controller, ModelLibrary* models, QWidget* parent)
    : QWidget(parent),
      controller_(controller),
      models_(models),
      history_(new RunHistoryModel(this)),
      historyProxy_(new QSortFilterProxyModel(this)),
      log_(new TrainLog),
      runs_(nullptr),
      savedModels_(new SavedModelLoader(this)) {
    history_->setFolder(defaultRunFolder());
    runs_ = new RunQueue(history_, log_, this);  // saves models into the history's folder
    historyProxy_->setSourceModel(history_);
    historyProxy_->setSortRole(RunHistoryModel::SortRole);

    createActions();
    buildUi();
    connectParts();
    if (controller_) {
        connect(controller_, &DatasetController::datasetChanged, this,
                &TrainPanel::onDatasetChanged);
        if (controller_->dataset()) onDatasetChanged(controller_->dataset());
    }

    // History of earlier sessions; problems are reported, never fatal.
    const QStringList problems = history_->load();
    for (const QString& p : problems) {
        loadProblems_ << p;
        appendLog(tr("history: %1").arg(p));
    }
    if (history_->rowCount() > 0)
        appendLog(tr("%n earlier run(s) read from %1", nullptr, history_->rowCount())
                      .arg(QDir::toNativeSeparators(history_->indexPath())));
    loadSavedModels();
    updateActions();
}

TrainPanel::~TrainPanel() {
    shutdown();
    // A background load of saved models still going is cancelled (and waited for) by the
    // loader's tracker; nothing of it is delivered.
}

QString TrainPanel::defaultRunFolder() {
    return QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation))
        .filePath(QStringLiteral("training-runs"));
}

QString TrainPanel::runFolder() const {
    return history_->folder();
}

// ---------------------------------------------------------------------------------------------
// The parts

QList<const Figure*> TrainPanel::figures() const {
    return charts_->figures();
}
ChartFigure* TrainPanel::accuracyChart() const {
    return charts_->accuracyChart();
}
ChartFigure* TrainPanel::objectiveChart() const {
    return charts_->objectiveChart();
}
FigureCard* TrainPanel::accuracyCard() const {
    return charts_->accuracyCard();
}
FigureCard* TrainPanel::objectiveCard() const {
    return charts_->objectiveCard();
}
TrainingRunner* TrainPanel::runner() const {
    return runs_->runner();
}
HyperparameterForm* TrainPanel::form() const {
    return settings_->form();
}
QProgressBar* TrainPanel::progressBar() const {
    return progress_->bar();
}
QLabel* TrainPanel::progressLabel() const {
    return progress_->label();
}
QPlainTextEdit* TrainPanel::logView() const {
    return log_;
}
bool TrainPanel::savedModelsLoading() const {
    return savedModels_->isLoading();
}
RunSpec TrainPanel::currentSpec() const {
    return settings_->currentSpec();
}
QString TrainPanel::modelKind() const {
    return settings_->modelKind();
}
void TrainPanel::setModelKind(const QString& kind) {
    settings_->setModelKind(kind);
}
void TrainPanel::setSplit(const SplitSpec& split) {
    settings_->setSplit(split);
}
void TrainPanel::setSeed(quint64 seed) {
    settings_->setSeed(seed);
}
void TrainPanel::applyPreset(const QString& name) {
    settings_->applyPreset(name);
}
QStringList TrainPanel::shownRuns() const {
    return charts_->shownRuns();
}
void TrainPanel::showRuns(const QStringList& runIds) {
    charts_->showRuns(runIds);
}
void TrainPanel::setLogScale(bool on) {
    charts_->setLogScale(on);
}
void TrainPanel::appendLog(const QString& line) {
    log_->appendLine(line);
}

// ---------------------------------------------------------------------------------------------
// Building the widgets

void TrainPanel::createActions() {
    auto make = [this](const QString& text, const QString& tip, QList<QKeySequence> keys) {
        auto* a = new QAction(text, this);
        a->setShortcuts(keys);
        a->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        QStringList names;
        for (const auto& k : keys) names << k.toString(QKeySequence::NativeText);
        a->setToolTip(names.isEmpty() ? tip
                                      : QStringLiteral("%1 (%2)").arg(tip, names.join(tr(" or "))));
        addAction(a);
        return a;
    };
    startAction_ =
        make(tr("Start"),
             tr("Train the chosen model with these settings; while a run is going the "
                "new run is queued"),
             {QKeySequence(Qt::CTRL | Qt::Key_Return), QKeySequence(Qt::CTRL | Qt::Key_Enter)});
    sweepAction_ = make(tr("Sweep…"),
                        tr("Search this model's hyper-parameters: train one trial per setting on "
                           "a validation part, pick the best by validation and test it once"),
                        {QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_W)});
    stopAction_ = make(tr("Stop"),
                       tr("Stop the running training within one iteration and keep the partial "
                          "model (marked stopped)"),
                       {QKeySequence(Qt::Key_Escape), QKeySequence(Qt::CTRL | Qt::Key_Period)});
    clearQueueAction_ = make(tr("Clear queue"), tr("Remove the queued runs that have not started"),
                             {QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Backspace)});
    makeActiveAction_ =
        make(tr("Make active"), tr("Use the selected run's model in the Rank and Map panels"),
             {QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_A)});
    logScaleAction_ = make(tr("Log scale"), tr("Show the objective on a logarithmic axis"),
                           {QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_L)});
    logScaleAction_->setCheckable(true);
    connect(startAction_, &QAction::triggered, this, [this] { start(); });
    connect(sweepAction_, &QAction::triggered, this, [this] { openSweep(); });
    connect(stopAction_, &QAction::triggered, this, &TrainPanel::stop);
    connect(clearQueueAction_, &QAction::triggered, this, &TrainPanel::clearQueue);
    connect(makeActiveAction_, &QAction::triggered, this, [this] { makeActive(); });
    connect(logScaleAction_, &QAction::toggled, this, &TrainPanel::setLogScale);
}

void TrainPanel::buildUi() {
    // Left: the settings, the run buttons and the queue, in a column that scrolls vertically.
    auto* column = new QWidget;
    auto* left = new QVBoxLayout(column);
    settings_ = new TrainSettingsForm;
    left->addWidget(settings_);
    auto* buttons = new QHBoxLayout;
    for (QAction* a : {startAction_, sweepAction_, stopAction_, clearQueueAction_}) {
        auto* b = new QToolButton;
        b->setDefaultAction(a);
        b->setToolButtonStyle(Qt::ToolButtonTextOnly);
        buttons->addWidget(b);
    }
    buttons->addStretch();
    left->addLayout(buttons);
    queueLabel_ = new QLabel;
    queueLabel_->setToolTip(tr("Runs waiting for the current one to finish"));
    left->addWidget(queueLabel_);
    left->addStretch();
    settingsScroll_ = new QScrollArea;
    settingsScroll_->setWidget(column);
    settingsScroll_->setWidgetResizable(true);
    // Only a vertical scroll bar, never a horizontal one: updateSettingsWidth() keeps the column
    // as wide as the filled form wants (after the form is built and whenever the model changes).
    settingsScroll_->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);

    // Right: progress, charts, history, log.
    auto* right = new QWidget;
    auto* rightLayout = new QVBoxLayout(right);
    progress_ = new RunProgress;
    rightLayout->addWidget(progress_);
    charts_ = new TrainingCharts(history_, logScaleAction_);
    auto* historyBox = new QWidget;
    auto* historyLayout = new QVBoxLayout(historyBox);
    historyLayout->setContentsMargins(0, 0, 0, 0);
    auto* historyButtons = new QHBoxLayout;
    historyButtons->addWidget(new QLabel(tr("Run history")));
    historyButtons->addStretch();
    auto* activeButton = new QToolButton;
    activeButton->setDefaultAction(makeActiveAction_);
    historyButtons->addWidget(activeButton);
    historyLayout->addLayout(historyButtons);
    historyLayout->addWidget(buildHistoryView());

    auto* vertical = new QSplitter(Qt::Vertical);
    vertical->addWidget(charts_);
    vertical->addWidget(historyBox);
    vertical->addWidget(log_);
    vertical->setStretchFactor(0, 3);
    vertical->setStretchFactor(1, 2);
    vertical->setStretchFactor(2, 1);
    rightLayout->addWidget(vertical, 1);

    auto* outer = new QSplitter(Qt::Horizontal);
    outer->addWidget(settingsScroll_);
    outer->addWidget(right);
    outer->setStretchFactor(1, 1);
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(outer);
    updateQueueLabel();
    updateSettingsWidth();
}

QTableView* TrainPanel::buildHistoryView() {
    historyView_ = new QTableView;
    historyView_->setModel(historyProxy_);
    historyView_->setSelectionBehavior(QAbstractItemView::SelectRows);
    historyView_->setSelectionMode(QAbstractItemView::ExtendedSelection);
    historyView_->setSortingEnabled(true);
    historyView_->sortByColumn(RunHistoryModel::StartedColumn, Qt::AscendingOrder);
    historyView_->horizontalHeader()->setStretchLastSection(true);
    historyView_->verticalHeader()->hide();
    historyView_->setWordWrap(false);
    historyView_->setTextElideMode(Qt::ElideMiddle);
    historyView_->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    historyView_->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    historyView_->horizontalHeader()->setMaximumSectionSize(360);
    // Columns fit their contents when runs come and go; the Status column is kept wide enough
    // for every status, since a run's status changes after the columns were fitted ("running"
    // -> "completed" was shown as "com...ted").
    const auto fitColumns = [this] {
        historyView_->resizeColumnsToContents();
        const QFontMetrics metrics(historyView_->font());
        int widest = metrics.horizontalAdvance(
            history_->headerData(RunHistoryModel::StatusColumn, Qt::Horizontal).toString());
        for (RunStatus status : {RunStatus::Queued, RunStatus::Running, RunStatus::Completed,
                                 RunStatus::Stopped, RunStatus::Cancelled, RunStatus::Failed})
            widest = std::max(widest, metrics.horizontalAdvance(runStatusName(status)));
        const int needed = widest +
                           2 * historyView_->style()->pixelMetric(QStyle::PM_FocusFrameHMargin,
                                                                  nullptr, historyView_) +
                           16;
        if (historyView_->columnWidth(RunHistoryModel::StatusColumn) < needed)
            historyView_->setColumnWidth(RunHistoryModel::StatusColumn, needed);
    };
    connect(history_, &QAbstractItemModel::modelReset, historyView_, fitColumns);
    connect(history_, &QAbstractItemModel::rowsInserted, historyView_, fitColumns);
    fitColumns();
    historyView_->setToolTip(
        tr("Every run of this and earlier sessions; select several to "
           "overlay their curves"));
    historyView_->addAction(makeActiveAction_);
    historyView_->setContextMenuPolicy(Qt::ActionsContextMenu);
    enableTableCopy(historyView_);  // Ctrl+C and "Copy": the selected runs as TSV and HTML
    connect(historyView_->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &TrainPanel::onSelectionChanged);
    connect(historyView_, &QTableView::doubleClicked, this, [this] { makeActive(); });
    return historyView_;
}

void TrainPanel::connectParts() {
    connect(settings_, &TrainSettingsForm::changed, this, &TrainPanel::updateActions);
    connect(settings_, &TrainSettingsForm::modelKindChanged, this,
            &TrainPanel::updateSettingsWidth);  // the new model's form has other rows
    connect(settings_, &TrainSettingsForm::message, log_, &TrainLog::appendLine);
    connect(runs_, &RunQueue::runStarted, this, &TrainPanel::onRunStarted);
    connect(runs_, &RunQueue::snapshotRecorded, this, &TrainPanel::onSnapshot);
    connect(runs_, &RunQueue::runFinished, this, &TrainPanel::onRunFinished);
    connect(runs_, &RunQueue::runCancelled, progress_, &RunProgress::reset);
    connect(runs_, &RunQueue::queueChanged, this, &TrainPanel::updateActions);
    connect(savedModels_, &SavedModelLoader::finished, this, &TrainPanel::onSavedModelsLoaded);
}

void TrainPanel::updateSettingsWidth() {
    // The size hints are cached along the chain form -> group box -> settings widget until the
    // next layout pass; drop them so the width below reflects the rows just built.
    QWidget* column = settingsScroll_->widget();
    for (QWidget* w = settings_->form(); w; w = w->parentWidget()) {
        if (w->layout()) w->layout()->invalidate();
        w->updateGeometry();
        if (w == column) break;
    }
    // sizeHint, not minimumSizeHint: the latter lets combo boxes and the form's labels shrink
    // below their text (clipped group boxes, "Test shar").
    const int width = column->sizeHint().width() +
                      settingsScroll_->verticalScrollBar()->sizeHint().width() +
                      2 * settingsScroll_->frameWidth();
    settingsScroll_->setMinimumWidth(std::max(300, width));
}

void TrainPanel::updateActions() {
    const bool running = runs_->isRunning();
    startAction_->setEnabled(!runs_->isShutDown() && dataset_ && settings_->isValid());
    startAction_->setText(running ? tr("Queue") : tr("Start"));
    sweepAction_->setEnabled(!runs_->isShutDown() && dataset_ && settings_->isValid());
    stopAction_->setEnabled(running);
    clearQueueAction_->setEnabled(!runs_->queuedRunIds().isEmpty());
    const QModelIndexList rows =
        historyView_ ? historyView_->selectionModel()->selectedRows() : QModelIndexList{};
    bool usable = false;
    if (rows.size() == 1) {
        const QString id = rows.first().data(RunHistoryModel::RunIdRole).toString();
        const RunRecord* r = history_->find(id);
        usable = (r && (models_ && models_->find(id))) || (r && !r->modelFile.isEmpty());
    }
    makeActiveAction_->setEnabled(usable);
    updateQueueLabel();
}

void TrainPanel::updateQueueLabel() {
    const int n = static_cast<int>(runs_->queuedRunIds().size());
    queueLabel_->setText(n == 0 ? tr("Queue empty") : tr("%n run(s) queued", nullptr, n));
}

// ---------------------------------------------------------------------------------------------
// Dataset and runs

void TrainPanel::onDatasetChanged(std::shared_ptr<const Dataset> dataset) {
    if (sweepDialog_) sweepDialog_->close();  // its sweep was of the old dataset: cancelled
    sweepDialog_.clear();                     // (deleted later: WA_DeleteOnClose)
    runs_->setDataset(dataset);               // cancels the running run, removes the queued ones
    dataset_ = std::move(dataset);
    settings_->setDataset(dataset_.get());
    // A load of saved models still going starts again against the new dataset (what it had
    // checked against the old one is dropped).
    savedModels_->setDataset(dataset_);
    updateActions();
}

QString TrainPanel::start() {
    if (runs_->isShutDown() || !dataset_) return {};
    if (!settings_->isValid()) {
        const QString refusal = settings_->refusal();  // a rating model on implicit feedback
        appendLog(tr("cannot start: %1").arg(refusal.isEmpty() ? form()->errors() : refusal));
        return {};
    }
    RunSpec spec;
    try {
        spec = settings_->currentSpec();
    } catch (const std::exception& e) {
        appendLog(tr("cannot start: %1").arg(QString::fromUtf8(e.what())));
        return {};
    }
    const QString runId = runs_->start(spec, settings_->modelDisplayName());
    updateActions();
    return runId;
}

void TrainPanel::stop() {
    runs_->stop();
}

void TrainPanel::clearQueue() {
    runs_->clearQueue();
}

SweepDialog* TrainPanel::sweepDialog() const {
    return sweepDialog_.data();
}

SweepDialog* TrainPanel::openSweep() {
    if (runs_->isShutDown() || !dataset_) return nullptr;
    if (sweepDialog_ && !sweepDialog_->isRunning()) {
        // Settings changed since it opened: a new dialog reads them.
        const RunSpec& old = sweepDialog_->baseSpec();
        bool same = false;
        try {
            const RunSpec now = settings_->currentSpec();
            same = old.modelKind == now.modelKind && old.hyperparameters == now.hyperparameters &&
                   old.splitAndSeedText() == now.splitAndSeedText();
        } catch (const std::exception&) {
        }
        if (!same) {
            sweepDialog_->close();
            sweepDialog_.clear();
        }
    }
    if (!sweepDialog_) {
        sweepDialog_ = new SweepDialog(dataset_, settings_, runs_, this);
        sweepDialog_->setAttribute(Qt::WA_DeleteOnClose);
        connect(sweepDialog_, &SweepDialog::bestApplied, this, [this] {
            RunSpec applied;
            applied.hyperparameters = settings_->form()->values();
            appendLog(tr("sweep: best settings applied: %1").arg(applied.hyperparameterText()));
        });
    }
    sweepDialog_->show();
    sweepDialog_->raise();
    sweepDialog_->activateWindow();
    return sweepDialog_;
}

void TrainPanel::shutdown() {
    // A running sweep is cancelled (its queued trials removed) before the queue shuts down.
    if (sweepDialog_) sweepDialog_->close();
    sweepDialog_.clear();
    runs_->shutdown();  // idempotent
    updateActions();
}

void TrainPanel::onRunStarted(const QString& runId, const QString& modelName,
                              int plannedIterations) {
    progress_->started(modelName, plannedIterations);
    // Show the live run alone in the charts: select its row.
    const QModelIndex proxyIndex =
        historyProxy_->mapFromSource(history_->index(history_->rowOf(runId), 0));
    historyView_->selectionModel()->select(
        proxyIndex, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    historyView_->scrollTo(proxyIndex);
    showRuns({runId});
    updateActions();
    emit runStarted(runId);
}

void TrainPanel::onSnapshot(const QString& runId, const TrainingSnapshot& s) {
    progress_->advance(s);
    charts_->appendSnapshot(runId, s);
    emit progressChanged(runId, s.iteration, s.totalIterations);
}

void TrainPanel::onRunFinished(const TrainingRunner::Outcome& outcome) {
    if (history_->find(outcome.runId) && outcome.model &&
        outcome.model->status() != FitStatus::Untrained &&
        (outcome.status == RunStatus::Completed || outcome.status == RunStatus::Stopped))
        addToLibrary(outcome.runId, outcome.model, runs_->dataset());
    // The first completed run while no model is active becomes the active one, so Rank and Map
    // show its results at once instead of "No model is active".
    if (outcome.status == RunStatus::Completed && models_ && !models_->active() &&
        models_->find(outcome.runId)) {
        models_->setActive(outcome.runId);
        appendLog(tr("run %1 is the active model of the Rank and Map panels (no model was active)")
                      .arg(outcome.runId));
    }
    // The test figure appears now: the test part is scored once, when the run ends.
    QString testFigures;
    if (outcome.finalTest) {
        const HeldOutFigures& t = *outcome.finalTest;
        QStringList parts;
        if (std::isfinite(t.rmse)) parts << tr("test RMSE %1").arg(t.rmse, 0, 'f', 4);
        if (std::isfinite(t.hr10))
            parts
                << tr("test HR@10 %1, NDCG@10 %2").arg(t.hr10, 0, 'f', 4).arg(t.ndcg10, 0, 'f', 4);
        testFigures = parts.join(QStringLiteral(", "));
    }
    progress_->finished(outcome.status, outcome.seconds, testFigures);
    charts_->refreshRun(outcome.runId);
    updateActions();
    emit runFinished(outcome.runId, outcome.status);
}

// ---------------------------------------------------------------------------------------------
// The model library

void TrainPanel::addToLibrary(const QString& runId, std::shared_ptr<const Recommender> model,
                              std::shared_ptr<const Dataset> dataset) {
    if (!models_ || !model) return;
    const RunRecord* r = history_->find(runId);
    ModelLibrary::Entry entry;
    entry.id = runId;
    entry.label = r ? r->label() : runId;
    entry.datasetName = QString::fromStdString(model->datasetName());
    entry.model = std::move(model);
    entry.dataset = std::move(dataset);
    models_->add(std::move(entry));
    if (pendingActivation_ == runId) {
        pendingActivation_.clear();
        models_->setActive(runId);
    }
    updateActions();
}

bool TrainPanel::makeActive(const QString& requested) {
    QString runId = requested;
    if (runId.isEmpty()) {
        const QModelIndexList rows = historyView_->selectionModel()->selectedRows();
        if (rows.size() != 1) return false;
        runId = rows.first().data(RunHistoryModel::RunIdRole).toString();
    }
    if (!models_) return false;
    if (models_->find(runId)) {
        models_->setActive(runId);
        appendLog(tr("run %1 is the active model of the Rank and Map panels").arg(runId));
        return true;
    }
    const RunRecord* r = history_->find(runId);
    if (r && !r->modelFile.isEmpty() && savedModelsLoading()) {
        pendingActivation_ = runId;  // activated when the background load delivers it
        appendLog(tr("run %1: model still loading; it becomes active when loaded").arg(runId));
        return true;
    }
    appendLog(tr("run %1 has no usable model").arg(runId));
    return false;
}

void TrainPanel::loadSavedModels() {
    QStringList missing;
    QList<SavedModelLoader::Request> requests = SavedModelLoader::requestsFor(*history_, &missing);
    for (const QString& p : missing) {
        loadProblems_ << p;
        appendLog(p);
    }
    // Checked against the dataset of now; a new dataset restarts the load (onDatasetChanged).
    savedModels_->load(std::move(requests), dataset_);
}

void TrainPanel::onSavedModelsLoaded(const QList<SavedModelLoader::Loaded>& loaded) {
    int ok = 0;
    for (const SavedModelLoader::Loaded& m : loaded) {
        if (!m.error.isEmpty()) {
            const QString p = tr("run %1: model file skipped: %2").arg(m.runId, m.error);
            loadProblems_ << p;
            appendLog(p);
            if (pendingActivation_ == m.runId) pendingActivation_.clear();
            continue;
        }
        ++ok;
        if (models_ && models_->find(m.runId)) continue;  // retrained meanwhile
        // Paired with the dataset it was checked against (null: trained on another release).
        addToLibrary(m.runId, m.model, m.dataset);
    }
    if (ok > 0) appendLog(tr("%n saved model(s) loaded", nullptr, ok));
    emit savedModelsLoaded();
}

// ---------------------------------------------------------------------------------------------
// The history's selection

void TrainPanel::onSelectionChanged() {
    QStringList ids;
    for (const QModelIndex& i : historyView_->selectionModel()->selectedRows())
        ids << i.data(RunHistoryModel::RunIdRole).toString();
    std::sort(ids.begin(), ids.end());
    if (ids != charts_->shownRuns()) showRuns(ids);
    updateActions();
}

}  // namespace lens::ui
