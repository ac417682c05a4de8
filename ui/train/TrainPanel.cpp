#include "train/TrainPanel.h"

#include <QAction>
#include <QApplication>
#include <QChart>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileInfo>
#include <QFontDatabase>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLegend>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QPen>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QScrollArea>
#include <QScrollBar>
#include <QSortFilterProxyModel>
#include <QSpinBox>
#include <QSplitter>
#include <QStandardPaths>
#include <QTableView>
#include <QTime>
#include <QToolButton>
#include <QVBoxLayout>
#include <QValueAxis>
#include <algorithm>
#include <cmath>
#include <limits>

#include "DatasetController.h"
#include "TableCopy.h"
#include "charts/ChartFigure.h"
#include "charts/FigureCard.h"
#include "data/Dataset.h"
#include "models/ModelFile.h"
#include "models/ModelLibrary.h"
#include "models/RecommenderFactory.h"
#include "train/HyperparameterForm.h"
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

QList<TrainPanel::Preset> TrainPanel::presets() {
    return {
        {QStringLiteral("Tuned defaults"),
         QStringLiteral("The current model's shipped defaults (tuned on ml-latest-small)"),
         QString(),
         {}},
        {QStringLiteral("Practical 2: biases"),
         QStringLiteral("The study's bias baseline: lambda 10 for users and movies, 15 iterations"),
         QStringLiteral("bias"),
         {{QStringLiteral("user_lambda"), QStringLiteral("10")},
          {QStringLiteral("item_lambda"), QStringLiteral("10")},
          {QStringLiteral("iterations"), QStringLiteral("15")}}},
        {QStringLiteral("Practical 3: MF"),
         QStringLiteral("The study's matrix factorisation: k 10, lambda 0.1 (plain, not scaled by "
                        "the number of ratings), 20 iterations"),
         QStringLiteral("als"),
         {{QStringLiteral("k"), QStringLiteral("10")},
          {QStringLiteral("lambda"), QStringLiteral("0.1")},
          {QStringLiteral("bias_lambda"), QStringLiteral("0.1")},
          {QStringLiteral("regularisation"), QStringLiteral("plain")},
          {QStringLiteral("iterations"), QStringLiteral("20")}}},
        {QStringLiteral("Practical 4: MF"),
         QStringLiteral("The study's larger factorisation: k 20, lambda 1 (plain), 15 iterations"),
         QStringLiteral("als"),
         {{QStringLiteral("k"), QStringLiteral("20")},
          {QStringLiteral("lambda"), QStringLiteral("1")},
          {QStringLiteral("bias_lambda"), QStringLiteral("1")},
          {QStringLiteral("regularisation"), QStringLiteral("plain")},
          {QStringLiteral("iterations"), QStringLiteral("15")}}},
        {QStringLiteral("Practical 5: genre prior"),
         QStringLiteral("The study's hierarchical model with a genre prior on the movie factors: "
                        "k 10, lambda 0.1 (plain), 20 iterations, real genres"),
         QStringLiteral("als-genre"),
         {{QStringLiteral("k"), QStringLiteral("10")},
          {QStringLiteral("lambda"), QStringLiteral("0.1")},
          {QStringLiteral("bias_lambda"), QStringLiteral("0.1")},
          {QStringLiteral("regularisation"), QStringLiteral("plain")},
          {QStringLiteral("iterations"), QStringLiteral("20")}}},
    };
}

TrainPanel::TrainPanel(DatasetController* controller, ModelLibrary* models, QWidget* parent)
    : QWidget(parent),
      controller_(controller),
      models_(models),
      runner_(new TrainingRunner(this)),
      history_(new RunHistoryModel(this)),
      historyProxy_(new QSortFilterProxyModel(this)),
      savedModels_(new SavedModelLoader(this)) {
    history_->setFolder(defaultRunFolder());
    runner_->setModelDirectory(defaultRunFolder());
    historyProxy_->setSourceModel(history_);
    historyProxy_->setSortRole(RunHistoryModel::SortRole);

    createActions();
    buildUi();

    connect(runner_, &TrainingRunner::jobStarted, this, &TrainPanel::onJobStarted);
    connect(runner_, &TrainingRunner::snapshotReady, this, &TrainPanel::onSnapshot);
    connect(runner_, &TrainingRunner::jobFinished, this, &TrainPanel::onJobFinished);
    connect(runner_, &TrainingRunner::queueCleared, this, &TrainPanel::onQueueCleared);
    connect(runner_, &TrainingRunner::jobMessage, this,
            [this](quint64, const QString& message) { appendLog(message); });
    connect(runner_, &TrainingRunner::idle, this, &TrainPanel::updateActions);
    if (controller_) {
        connect(controller_, &DatasetController::datasetChanged, this,
                &TrainPanel::onDatasetChanged);
        if (controller_->dataset()) onDatasetChanged(controller_->dataset());
    }
    connect(savedModels_, &SavedModelLoader::finished, this, &TrainPanel::onSavedModelsLoaded);

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

QList<const Figure*> TrainPanel::figures() const {
    return {accuracyChart_, objectiveChart_};
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
    connect(stopAction_, &QAction::triggered, this, &TrainPanel::stop);
    connect(clearQueueAction_, &QAction::triggered, this, &TrainPanel::clearQueue);
    connect(makeActiveAction_, &QAction::triggered, this, [this] { makeActive(); });
    connect(logScaleAction_, &QAction::toggled, this, &TrainPanel::setLogScale);
}

void TrainPanel::buildUi() {
    // Left: settings.
    auto* settings = new QWidget;
    auto* left = new QVBoxLayout(settings);
    datasetLabel_ = new QLabel(tr("No dataset loaded"));
    datasetLabel_->setWordWrap(true);
    // The label wraps to the column's width instead of widening it (its hint is ~80 characters).
    datasetLabel_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    datasetLabel_->setToolTip(tr("The dataset runs train on (load one in the Load stage)"));
    left->addWidget(datasetLabel_);

    auto* modelBox = new QGroupBox(tr("Model"));
    auto* modelForm = new QFormLayout(modelBox);
    modelCombo_ = new QComboBox;
    for (const auto& d : recommenderRegistry()) {
        modelCombo_->addItem(QString::fromStdString(d.displayName), QString::fromStdString(d.name));
        modelCombo_->setItemData(modelCombo_->count() - 1, QString::fromStdString(d.description),
                                 Qt::ToolTipRole);
    }
    modelCombo_->setToolTip(
        tr("The model to train: baselines and ALS models predict ratings "
           "(judged by RMSE); implicit ALS and implicit NCF models rank "
           "movies (judged by HR@10 and NDCG@10)"));
    presetCombo_ = new QComboBox;
    presetCombo_->addItem(tr("Choose a preset…"));
    for (const Preset& p : presets()) {
        presetCombo_->addItem(p.name);
        presetCombo_->setItemData(presetCombo_->count() - 1, p.tooltip, Qt::ToolTipRole);
    }
    presetCombo_->setToolTip(
        tr("Settings that reproduce the study's practicals, or the model's "
           "tuned defaults"));
    modelForm->addRow(tr("&Model"), modelCombo_);
    modelForm->addRow(tr("&Preset"), presetCombo_);
    form_ = new HyperparameterForm;
    modelForm->addRow(form_);
    left->addWidget(modelBox);

    auto* splitBox = new QGroupBox(tr("Split and seed"));
    auto* splitForm = new QFormLayout(splitBox);
    splitCombo_ = new QComboBox;
    splitCombo_->addItem(tr("Per-user holdout"), QStringLiteral("per-user"));
    splitCombo_->setItemData(0, tr("Each user's ratings split at random (the study's protocol)"),
                             Qt::ToolTipRole);
    splitCombo_->addItem(tr("Global random"), QStringLiteral("random"));
    splitCombo_->setItemData(1, tr("All ratings split at random"), Qt::ToolTipRole);
    splitCombo_->addItem(tr("Leave-one-out latest"), QStringLiteral("loo"));
    splitCombo_->setItemData(2, tr("Each user's latest rating is the test case (ranking)"),
                             Qt::ToolTipRole);
    splitCombo_->addItem(tr("Temporal cutoff"), QStringLiteral("time"));
    splitCombo_->setItemData(3, tr("Ratings at or after the cutoff time are the test set"),
                             Qt::ToolTipRole);
    splitCombo_->setToolTip(tr("How ratings are divided into training and test sets"));
    fractionSpin_ = new QDoubleSpinBox;
    fractionSpin_->setRange(1, 90);
    fractionSpin_->setDecimals(1);
    fractionSpin_->setSuffix(tr(" %"));
    fractionSpin_->setValue(20);
    fractionSpin_->setToolTip(tr("Share of ratings held out for testing (per user or overall)"));
    cutoffEdit_ = new QDateTimeEdit;
    cutoffEdit_->setTimeSpec(Qt::UTC);
    cutoffEdit_->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm 'UTC'"));
    cutoffEdit_->setCalendarPopup(true);
    cutoffEdit_->setToolTip(tr("Temporal cutoff: ratings at or after this time are test ratings"));
    seedSpin_ = new QSpinBox;
    seedSpin_->setRange(0, std::numeric_limits<int>::max());
    seedSpin_->setValue(42);
    seedSpin_->setToolTip(
        tr("Seed of the split and of the model's initialisation: the same "
           "seed gives the same model"));
    splitForm->addRow(tr("P&rotocol"), splitCombo_);
    splitForm->addRow(tr("&Test share"), fractionSpin_);
    splitForm->addRow(tr("C&utoff"), cutoffEdit_);
    splitForm->addRow(tr("S&eed"), seedSpin_);
    left->addWidget(splitBox);

    auto* buttons = new QHBoxLayout;
    for (QAction* a : {startAction_, stopAction_, clearQueueAction_}) {
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
    auto* scroll = settingsScroll_;
    scroll->setWidget(settings);
    scroll->setWidgetResizable(true);
    // Only a vertical scroll bar, never a horizontal one: updateSettingsWidth() keeps the column
    // as wide as the filled form wants (after the form is built and whenever the model changes).
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);

    // Right: progress, charts, history, log.
    auto* right = new QWidget;
    auto* rightLayout = new QVBoxLayout(right);
    auto* progressRow = new QHBoxLayout;
    progress_ = new QProgressBar;
    progress_->setRange(0, 1);
    progress_->setValue(0);
    progress_->setToolTip(tr("Finished iterations (epochs) of the running training"));
    progressLabel_ = new QLabel(tr("Idle"));
    progressLabel_->setToolTip(
        tr("Iteration, elapsed time and estimated time left "
           "(elapsed / finished iterations x remaining iterations)"));
    progressRow->addWidget(progress_, 1);
    progressRow->addWidget(progressLabel_);
    rightLayout->addLayout(progressRow);

    auto* accuracy = new QChart;
    accuracy->setTitle(tr("Error per iteration"));
    accuracyChart_ = new ChartFigure(QStringLiteral("train-accuracy"), accuracy);
    accuracyChart_->setToolTip(
        tr("Train and test RMSE (ranking models: HR@10 and NDCG@10) after "
           "each iteration of the runs shown"));
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
    connect(history_, &QAbstractItemModel::modelReset, historyView_,
            &QTableView::resizeColumnsToContents);
    connect(history_, &QAbstractItemModel::rowsInserted, historyView_,
            &QTableView::resizeColumnsToContents);
    historyView_->setToolTip(
        tr("Every run of this and earlier sessions; select several to "
           "overlay their curves"));
    historyView_->addAction(makeActiveAction_);
    historyView_->setContextMenuPolicy(Qt::ActionsContextMenu);
    enableTableCopy(historyView_);  // Ctrl+C and "Copy": the selected runs as TSV and HTML
    connect(historyView_->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &TrainPanel::onSelectionChanged);
    connect(historyView_, &QTableView::doubleClicked, this, [this] { makeActive(); });
    auto* historyBox = new QWidget;
    auto* historyLayout = new QVBoxLayout(historyBox);
    historyLayout->setContentsMargins(0, 0, 0, 0);
    auto* historyButtons = new QHBoxLayout;
    auto* historyTitle = new QLabel(tr("Run history"));
    historyButtons->addWidget(historyTitle);
    historyButtons->addStretch();
    auto* activeButton = new QToolButton;
    activeButton->setDefaultAction(makeActiveAction_);
    historyButtons->addWidget(activeButton);
    historyLayout->addLayout(historyButtons);
    historyLayout->addWidget(historyView_);

    log_ = new QPlainTextEdit;
    log_->setReadOnly(true);
    log_->setMaximumBlockCount(5000);
    log_->setToolTip(
        tr("What the training did: settings, every iteration's metrics, results "
           "and problems"));
    log_->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));

    auto* vertical = new QSplitter(Qt::Vertical);
    vertical->addWidget(charts);
    vertical->addWidget(historyBox);
    vertical->addWidget(log_);
    vertical->setStretchFactor(0, 3);
    vertical->setStretchFactor(1, 2);
    vertical->setStretchFactor(2, 1);
    rightLayout->addWidget(vertical, 1);

    auto* outer = new QSplitter(Qt::Horizontal);
    outer->addWidget(scroll);
    outer->addWidget(right);
    outer->setStretchFactor(1, 1);
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(outer);

    connect(modelCombo_, &QComboBox::currentIndexChanged, this, [this] {
        form_->setModelKind(modelCombo_->currentData().toString());
        updateSettingsWidth();  // the new model's form has other rows
        modelCombo_->setToolTip(modelCombo_->currentData(Qt::ToolTipRole).toString());
        updateActions();
    });
    connect(presetCombo_, &QComboBox::activated, this, [this](int index) {
        if (index > 0) applyPreset(presetCombo_->itemText(index));
        presetCombo_->setCurrentIndex(0);
    });
    connect(form_, &HyperparameterForm::changed, this, &TrainPanel::updateActions);
    connect(splitCombo_, &QComboBox::currentIndexChanged, this, &TrainPanel::updateSplitEditors);
    modelCombo_->setCurrentIndex(std::max(0, modelCombo_->findData(QStringLiteral("als"))));
    form_->setModelKind(modelCombo_->currentData().toString());
    updateSplitEditors();
    updateQueueLabel();
    updateSettingsWidth();
    rebuildCharts();
}

void TrainPanel::updateSettingsWidth() {
    // The size hints are cached along the chain form -> group box -> settings widget until the
    // next layout pass; drop them so the width below reflects the rows just built.
    QWidget* settings = settingsScroll_->widget();
    for (QWidget* w = form_; w; w = w->parentWidget()) {
        if (w->layout()) w->layout()->invalidate();
        w->updateGeometry();
        if (w == settings) break;
    }
    // sizeHint, not minimumSizeHint: the latter lets combo boxes and the form's labels shrink
    // below their text (clipped group boxes, "Test shar").
    const int width = settings->sizeHint().width() +
                      settingsScroll_->verticalScrollBar()->sizeHint().width() +
                      2 * settingsScroll_->frameWidth();
    settingsScroll_->setMinimumWidth(std::max(300, width));
}

// ---------------------------------------------------------------------------------------------
// Settings

QString TrainPanel::modelKind() const {
    return modelCombo_->currentData().toString();
}

void TrainPanel::setModelKind(const QString& kind) {
    const int i = modelCombo_->findData(kind);
    if (i >= 0 && i != modelCombo_->currentIndex()) modelCombo_->setCurrentIndex(i);
}

void TrainPanel::setSplit(const SplitSpec& split) {
    const char* kinds[] = {"per-user", "random", "loo", "time"};
    const int index = static_cast<int>(split.kind);
    if (index < 4)
        splitCombo_->setCurrentIndex(splitCombo_->findData(QString::fromLatin1(kinds[index])));
    fractionSpin_->setValue(split.fraction * 100.0);
    if (split.kind == SplitKind::TemporalCutoff)
        cutoffEdit_->setDateTime(QDateTime::fromSecsSinceEpoch(split.cutoff, Qt::UTC));
}

void TrainPanel::setSeed(quint64 seed) {
    seedSpin_->setValue(static_cast<int>(std::min<quint64>(seed, std::numeric_limits<int>::max())));
}

RunSpec TrainPanel::currentSpec() const {
    RunSpec spec;
    spec.modelKind = modelKind();
    spec.hyperparameters = form_->values();
    spec.seed = static_cast<quint64>(seedSpin_->value());
    const QString kind = splitCombo_->currentData().toString();
    std::string text = kind.toStdString();
    if (kind == QLatin1String("per-user") || kind == QLatin1String("random"))
        text += ":" + QString::number(fractionSpin_->value() / 100.0, 'g', 6).toStdString();
    else if (kind == QLatin1String("time"))
        text += ":" + std::to_string(cutoffEdit_->dateTime().toSecsSinceEpoch());
    spec.split = SplitSpec::parse(text, spec.seed);
    return spec;
}

void TrainPanel::updateSplitEditors() {
    const QString kind = splitCombo_->currentData().toString();
    fractionSpin_->setEnabled(kind == QLatin1String("per-user") || kind == QLatin1String("random"));
    cutoffEdit_->setEnabled(kind == QLatin1String("time"));
    seedSpin_->setEnabled(true);  // the model seed matters for every protocol
}

void TrainPanel::applyPreset(const QString& name) {
    for (const Preset& p : presets()) {
        if (p.name != name) continue;
        if (!p.modelKind.isEmpty()) setModelKind(p.modelKind);
        form_->resetToDefaults();
        QString error;
        if (!form_->setValues(p.values, &error)) appendLog(tr("preset %1: %2").arg(name, error));
        SplitSpec split;  // the study's protocol: per-user 80/20 holdout, seed 42
        setSplit(split);
        setSeed(42);
        appendLog(tr("preset “%1”: %2, %3")
                      .arg(name, modelCombo_->currentText(), currentSpec().hyperparameterText()));
        updateActions();
        return;
    }
}

void TrainPanel::updateActions() {
    const bool running = runner_->isRunning();
    startAction_->setEnabled(!shutDown_ && dataset_ && form_->isValid());
    startAction_->setText(running ? tr("Queue") : tr("Start"));
    stopAction_->setEnabled(running);
    clearQueueAction_->setEnabled(!runner_->queuedRunIds().isEmpty());
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
    const int n = static_cast<int>(runner_->queuedRunIds().size());
    queueLabel_->setText(n == 0 ? tr("Queue empty") : tr("%n run(s) queued", nullptr, n));
}

void TrainPanel::appendLog(const QString& line) {
    log_->appendPlainText(QStringLiteral("%1  %2").arg(
        QTime::currentTime().toString(QStringLiteral("HH:mm:ss")), line));
}

// ---------------------------------------------------------------------------------------------
// Dataset

void TrainPanel::onDatasetChanged(std::shared_ptr<const Dataset> dataset) {
    const QString running = runner_->currentRunId();
    const QStringList queued = runner_->queuedRunIds();
    runner_->setDataset(dataset);  // cancels and drops the running job, clears the queue
    if (!running.isEmpty()) {
        if (const RunRecord* r = history_->find(running)) {
            RunRecord updated = *r;
            updated.status = RunStatus::Cancelled;
            updated.durationSeconds = runClock_.isValid() ? runClock_.elapsed() / 1000.0 : 0.0;
            updated.message = tr("cancelled: another dataset was loaded");
            history_->updateRun(updated);
            appendLog(tr("run %1 cancelled: another dataset was loaded").arg(running));
        }
        progress_->setValue(0);
        progressLabel_->setText(tr("Idle"));
    }
    for (const QString& id : queued) history_->removeRun(id);
    if (!running.isEmpty() || !queued.isEmpty()) saveHistory();
    dataset_ = std::move(dataset);
    // A load of saved models still going starts again against the new dataset (what it had
    // checked against the old one is dropped).
    savedModels_->setDataset(dataset_);
    if (dataset_) {
        datasetLabel_->setText(tr("Dataset: <b>%1</b> (%L2 ratings, %L3 users, %L4 movies)")
                                   .arg(QString::fromStdString(dataset_->name).toHtmlEscaped())
                                   .arg(dataset_->ratingCount())
                                   .arg(dataset_->userCount())
                                   .arg(dataset_->movieCount()));
        if (!dataset_->timestamps.empty()) {
            const auto [lo, hi] =
                std::minmax_element(dataset_->timestamps.begin(), dataset_->timestamps.end());
            const qint64 cutoff = *lo + static_cast<qint64>(0.8 * double(*hi - *lo));
            cutoffEdit_->setDateTimeRange(QDateTime::fromSecsSinceEpoch(*lo, Qt::UTC),
                                          QDateTime::fromSecsSinceEpoch(*hi, Qt::UTC));
            cutoffEdit_->setDateTime(QDateTime::fromSecsSinceEpoch(cutoff, Qt::UTC));
        }
    } else {
        datasetLabel_->setText(tr("No dataset loaded"));
    }
    updateActions();
}

// ---------------------------------------------------------------------------------------------
// Runs

QString TrainPanel::newRunId() const {
    const QString stem =
        QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd-HHmmss"));
    for (int n = 1;; ++n) {
        const QString id = QStringLiteral("%1-%2").arg(stem).arg(n);
        if (history_->rowOf(id) < 0) return id;
    }
}

QString TrainPanel::start() {
    if (shutDown_ || !dataset_) return {};
    if (!form_->isValid()) {
        appendLog(tr("cannot start: %1").arg(form_->errors()));
        return {};
    }
    RunSpec spec;
    try {
        spec = currentSpec();
    } catch (const std::exception& e) {
        appendLog(tr("cannot start: %1").arg(QString::fromUtf8(e.what())));
        return {};
    }
    RunRecord record;
    record.id = newRunId();
    record.spec = spec;
    record.modelDisplayName = modelCombo_->currentText();
    record.datasetName = QString::fromStdString(dataset_->name);
    record.status = RunStatus::Queued;
    record.started = QDateTime::currentDateTimeUtc();
    history_->addRun(record);
    appendLog(tr("run %1: %2 · %3 · %4")
                  .arg(record.id, record.modelDisplayName, spec.hyperparameterText(),
                       spec.splitAndSeedText()));
    if (runner_->enqueue(record.id, spec) == 0) {
        history_->removeRun(record.id);
        return {};
    }
    updateActions();
    return record.id;
}

void TrainPanel::stop() {
    if (!runner_->isRunning()) return;
    appendLog(tr("stopping run %1 after the current iteration…").arg(runner_->currentRunId()));
    runner_->stop();
}

void TrainPanel::clearQueue() {
    runner_->clearQueue();
}

void TrainPanel::onQueueCleared(const QStringList& runIds) {
    for (const QString& id : runIds) history_->removeRun(id);
    if (!runIds.isEmpty()) appendLog(tr("%n queued run(s) removed", nullptr, runIds.size()));
    updateActions();
}

void TrainPanel::onJobStarted(quint64, const QString& runId) {
    const RunRecord* r = history_->find(runId);
    if (!r) return;
    RunRecord updated = *r;
    updated.status = RunStatus::Running;
    updated.started = QDateTime::currentDateTimeUtc();
    updated.history.clear();
    history_->updateRun(updated);
    runClock_.start();
    progress_->setRange(0, std::max(1, [&] {
                            auto m = createRecommender(updated.spec.modelKind.toStdString());
                            for (const auto& [k, v] : updated.spec.hyperparameters)
                                m->setHyperparameter(k.toStdString(), v.toStdString());
                            return m->iterations();
                        }()));
    progress_->setValue(0);
    progressLabel_->setText(tr("Preparing %1…").arg(updated.modelDisplayName));
    // Show the live run alone in the charts: select its row.
    const int row = history_->rowOf(runId);
    const QModelIndex proxyIndex = historyProxy_->mapFromSource(history_->index(row, 0));
    historyView_->selectionModel()->select(
        proxyIndex, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    historyView_->scrollTo(proxyIndex);
    showRuns({runId});
    saveHistory();
    updateActions();
    emit runStarted(runId);
}

void TrainPanel::onSnapshot(quint64, const TrainingSnapshot& s) {
    const QString runId = runner_->currentRunId();
    history_->appendSnapshot(runId, s);
    progress_->setRange(0, std::max(1, s.totalIterations));
    progress_->setValue(s.iteration);
    const double eta =
        s.iteration > 0 ? s.elapsedSeconds / s.iteration * (s.totalIterations - s.iteration) : 0.0;
    progressLabel_->setText(tr("Iteration %1/%2 · elapsed %3 · ETA %4")
                                .arg(s.iteration)
                                .arg(s.totalIterations)
                                .arg(formatDuration(s.elapsedSeconds), formatDuration(eta)));
    QString line = tr("iteration %1/%2  %3 s")
                       .arg(s.iteration)
                       .arg(s.totalIterations)
                       .arg(s.seconds, 0, 'f', 3);
    if (TrainingSnapshot::hasMetric(s.trainRmse))
        line += tr("  train RMSE %1").arg(fmt(s.trainRmse));
    if (TrainingSnapshot::hasMetric(s.testRmse)) line += tr("  test RMSE %1").arg(fmt(s.testRmse));
    if (TrainingSnapshot::hasMetric(s.testMae)) line += tr("  MAE %1").arg(fmt(s.testMae));
    if (TrainingSnapshot::hasMetric(s.objective))
        line += tr("  objective %1").arg(fmt(s.objective, 2));
    if (TrainingSnapshot::hasMetric(s.hr10)) line += tr("  HR@10 %1").arg(fmt(s.hr10));
    if (TrainingSnapshot::hasMetric(s.ndcg10)) line += tr("  NDCG@10 %1").arg(fmt(s.ndcg10));
    appendLog(line);
    if (series_.contains(runId)) {
        appendPoint(series_.value(runId), s);
        updateAxes();
    }
    emit progressChanged(runId, s.iteration, s.totalIterations);
}

void TrainPanel::onJobFinished(const TrainingRunner::Outcome& outcome) {
    const RunRecord* r = history_->find(outcome.runId);
    if (r) {
        RunRecord updated = *r;
        updated.status = outcome.status;
        updated.durationSeconds = outcome.seconds;
        if (!outcome.history.empty() || outcome.model) updated.history = outcome.history;
        updated.modelFile =
            outcome.modelPath.isEmpty() ? QString() : QFileInfo(outcome.modelPath).fileName();
        updated.message = outcome.message;
        history_->updateRun(updated);
        QString summary =
            tr("run %1 %2 in %3")
                .arg(outcome.runId, runStatusName(outcome.status), formatDuration(outcome.seconds));
        if (!outcome.message.isEmpty()) summary += QStringLiteral(": ") + outcome.message;
        summary += QStringLiteral("  ·  ") + updated.label();
        appendLog(summary);
        if (outcome.model && outcome.model->status() != FitStatus::Untrained &&
            (outcome.status == RunStatus::Completed || outcome.status == RunStatus::Stopped))
            addToLibrary(outcome.runId, outcome.model, runner_->dataset());
    }
    saveHistory();
    progress_->setValue(outcome.status == RunStatus::Completed ? progress_->maximum()
                                                               : progress_->value());
    progressLabel_->setText(
        tr("%1 (%2)").arg(runStatusName(outcome.status), formatDuration(outcome.seconds)));
    if (shownRuns_.contains(outcome.runId)) rebuildCharts();
    updateActions();
    emit runFinished(outcome.runId, outcome.status);
}

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

void TrainPanel::saveHistory() {
    QString error;
    if (!history_->save(&error)) appendLog(tr("history not saved: %1").arg(error));
}

void TrainPanel::shutdown() {
    if (shutDown_) return;
    shutDown_ = true;
    const QString running = runner_->currentRunId();
    const QStringList queued = runner_->queuedRunIds();
    const bool ended = runner_->shutdown(1000);
    if (!running.isEmpty()) {
        if (const RunRecord* r = history_->find(running)) {
            RunRecord updated = *r;
            updated.status = RunStatus::Cancelled;
            updated.durationSeconds = runClock_.isValid() ? runClock_.elapsed() / 1000.0 : 0.0;
            updated.message = ended ? tr("cancelled: the window was closed during training")
                                    : tr("cancelled: the window was closed during training "
                                         "(the worker was still finishing)");
            history_->updateRun(updated);
        }
    }
    for (const QString& id : queued) history_->removeRun(id);
    saveHistory();
    updateActions();
}

// ---------------------------------------------------------------------------------------------
// Saved models

bool TrainPanel::savedModelsLoading() const {
    return savedModels_->isLoading();
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
// Charts

void TrainPanel::onSelectionChanged() {
    QStringList ids;
    for (const QModelIndex& i : historyView_->selectionModel()->selectedRows())
        ids << i.data(RunHistoryModel::RunIdRole).toString();
    std::sort(ids.begin(), ids.end());
    if (ids != shownRuns_) showRuns(ids);
    updateActions();
}

void TrainPanel::showRuns(const QStringList& runIds) {
    shownRuns_.clear();
    for (const QString& id : runIds)
        if (history_->find(id)) shownRuns_ << id;
    rebuildCharts();
}

void TrainPanel::setLogScale(bool on) {
    if (logScale_ == on) return;
    logScale_ = on;
    if (logScaleAction_->isChecked() != on) logScaleAction_->setChecked(on);
    rebuildCharts();
}

bool TrainPanel::isRankingRun(const RunRecord& r) const {
    if (r.spec.value(QStringLiteral("objective")) == QLatin1String("implicit")) return true;
    const auto* d = findRecommender(r.spec.modelKind.toStdString());
    return d && d->ranking;
}

void TrainPanel::rebuildCharts() {
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
        if (isRankingRun(*r)) {
            anyRanking = true;
            s.hr10 = makeSeries(prefix + tr("HR@10"), colour, Qt::SolidLine);
            s.ndcg10 = makeSeries(prefix + tr("NDCG@10"), colour, Qt::DashLine);
            acc->addSeries(s.hr10);
            acc->addSeries(s.ndcg10);
        } else {
            anyRating = true;
            s.trainRmse = makeSeries(prefix + tr("train RMSE"), colour, Qt::DashLine);
            s.testRmse = makeSeries(prefix + tr("test RMSE"), colour, Qt::SolidLine);
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
                                           : tr("Train and test RMSE per iteration"));
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

void TrainPanel::appendPoint(const RunSeries& s, const TrainingSnapshot& snap) {
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

void TrainPanel::updateAxes() {
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
        if (!std::isfinite(yMin)) {
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

void TrainPanel::updateCardTexts() {
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
            const double rmse = r->finalMetric(&TrainingSnapshot::testRmse);
            const double hr = r->finalMetric(&TrainingSnapshot::hr10);
            QString f = QStringLiteral("#%1 %2: ")
                            .arg(history_->rowOf(id) + 1)
                            .arg(runShortName(*r).toHtmlEscaped());
            if (std::isfinite(rmse)) f += tr("test RMSE %1").arg(fmt(rmse));
            if (std::isfinite(hr))
                f += tr("HR@10 %1, NDCG@10 %2")
                         .arg(fmt(hr), fmt(r->finalMetric(&TrainingSnapshot::ndcg10)));
            finals << f;
        }
        accuracyCaption =
            tr("Dashed: error on the training ratings; solid: error on the held-out test ratings "
               "(ranking models: HR@10 solid, NDCG@10 dashed, NCF protocol with 100 sampled "
               "negatives). A widening gap means overfitting: more regularisation or fewer "
               "factors help.<br>%1")
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
