#include "compare/ComparePanel.h"

#include <QAction>
#include <QChart>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QScrollArea>
#include <QSpinBox>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>
#include <algorithm>
#include <optional>

#include "DatasetController.h"
#include "JobTracker.h"
#include "TableCopy.h"
#include "charts/ChartFigure.h"
#include "charts/FigureCard.h"
#include "compare/CompareCaptions.h"
#include "compare/CompareFigures.h"
#include "compare/CompareRunPicker.h"
#include "compare/ComparisonTableModel.h"
#include "data/Dataset.h"
#include "data/Split.h"
#include "models/ModelFile.h"
#include "models/ModelLibrary.h"
#include "models/TrainData.h"
#include "train/RunHistoryModel.h"

namespace lens::ui {

namespace {

constexpr int kCardMinimumHeight = 420;
constexpr int kOccupationCardMinimumHeight = 640;  // 21 rows of horizontal bars

std::size_t at(CompareChart c) {
    return static_cast<std::size_t>(c);
}

// The segment dimension a demographic chart shows, or nullopt for the other charts.
std::optional<DemographicDimension> demographicOf(CompareChart c) {
    switch (c) {
        case CompareChart::Gender:
            return DemographicDimension::Gender;
        case CompareChart::Age:
            return DemographicDimension::AgeGroup;
        case CompareChart::Occupation:
            return DemographicDimension::Occupation;
        default:
            return std::nullopt;
    }
}

// One model of a comparison as the worker needs it: in memory, or a file to load.
struct CompareInput {
    std::string name;
    std::shared_ptr<const Recommender> model;
    std::string path;
    // The run's stored per-user metrics (empty: none, for `noPerUser`) and its split.
    std::string perUserPath;
    std::string noPerUser;
    SplitSpec split;
};

// Where each model's per-user metrics came from: "A als stored; B als computed (why)", or for a
// run that stored some of the columns Compare needs, "A als stored (rmse, mae; not stored, so
// computed: hr_sampled, ...)".
QString perUserSources(const Comparison& c) {
    QStringList parts;
    for (const ModelResult& m : c.models) {
        const QString name = QString::fromStdString(m.name);
        if (!m.perUserStored()) {
            parts
                << QObject::tr("%1 computed (%2)").arg(name, QString::fromStdString(m.perUserNote));
            continue;
        }
        QStringList stored, computed;
        for (const PerUserColumn& column : m.perUser.columns)
            (std::find(m.storedColumns.begin(), m.storedColumns.end(), column.name) !=
                     m.storedColumns.end()
                 ? stored
                 : computed)
                << QString::fromStdString(column.name);
        parts << (computed.isEmpty() ? QObject::tr("%1 stored").arg(name)
                                     : QObject::tr("%1 stored (%2; not stored, so computed: %3)")
                                           .arg(name, stored.join(QStringLiteral(", ")),
                                                computed.join(QStringLiteral(", "))));
    }
    return parts.join(QStringLiteral("; "));
}

QString chartStem(CompareChart c) {
    static const char* const stems[] = {
        "compare-scatter",    "compare-histogram", "compare-activity",
        "compare-popularity", "compare-beyond",    "compare-protocols",
        "compare-gender",     "compare-age",       "compare-occupation"};
    static_assert(std::size(stems) == static_cast<std::size_t>(CompareChart::Count));
    return QString::fromLatin1(stems[at(c)]);
}

QTableView* makeTable(QAbstractItemModel* model, QWidget* parent) {
    auto* view = new QTableView(parent);
    view->setModel(model);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setAlternatingRowColors(true);
    view->verticalHeader()->hide();
    view->horizontalHeader()->setStretchLastSection(true);
    view->setSizeAdjustPolicy(QAbstractScrollArea::AdjustToContents);
    view->setMinimumHeight(180);
    enableTableCopy(view);
    return view;
}

QLabel* captionLabel(QWidget* parent) {
    auto* label = new QLabel(parent);
    label->setWordWrap(true);
    label->setTextFormat(Qt::RichText);
    return label;
}

}  // namespace

ComparePanel::ComparePanel(DatasetController* controller, ModelLibrary* models,
                           RunHistoryModel* history, QWidget* parent)
    : QWidget(parent),
      controller_(controller),
      models_(models),
      history_(history),
      tracker_(new JobTracker(this)) {
    metricsModel_ = new ComparisonTableModel(this);
    pairsModel_ = new PairsTableModel(this);
    createActions();

    auto* layout = new QVBoxLayout(this);
    auto* splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(buildControls());
    tabs_ = new QTabWidget(splitter);
    tabs_->setObjectName(QStringLiteral("compareTabs"));
    tabs_->addTab(buildTablesTab(), tr("Tables"));
    auto* perUserHeader = new QWidget;
    auto* row = new QHBoxLayout(perUserHeader);
    row->setContentsMargins(0, 0, 0, 0);
    metricBox_ = new QComboBox(perUserHeader);
    metricBox_->setToolTip(tr("The per-user metric of the scatter and the distributions"));
    modelA_ = new QComboBox(perUserHeader);
    modelA_->setToolTip(tr("Model A: the x axis of the scatter"));
    modelB_ = new QComboBox(perUserHeader);
    modelB_->setToolTip(tr("Model B: the y axis of the scatter"));
    row->addWidget(new QLabel(tr("Metric"), perUserHeader));
    row->addWidget(metricBox_);
    row->addSpacing(12);
    row->addWidget(new QLabel(tr("A (x)"), perUserHeader));
    row->addWidget(modelA_);
    row->addWidget(new QLabel(tr("B (y)"), perUserHeader));
    row->addWidget(modelB_);
    row->addStretch(1);
    tabs_->addTab(buildChartsTab({CompareChart::Scatter, CompareChart::Histogram}, perUserHeader),
                  tr("Per user"));
    tabs_->addTab(
        buildChartsTab({CompareChart::Activity, CompareChart::Popularity, CompareChart::Gender,
                        CompareChart::Age, CompareChart::Occupation}),
        tr("Segments"));
    card(CompareChart::Occupation)->setMinimumHeight(kOccupationCardMinimumHeight);
    tabs_->addTab(buildChartsTab({CompareChart::Protocols, CompareChart::Beyond}),
                  tr("Protocols and beyond accuracy"));
    splitter->addWidget(tabs_);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({320, 960});
    layout->addWidget(splitter);

    for (QComboBox* box : {metricBox_, modelA_, modelB_})
        connect(box, &QComboBox::currentIndexChanged, this, [this] { refreshPerUserCharts(); });
    connect(picker_, &CompareRunPicker::selectionChanged, this, &ComparePanel::updateActions);
    connect(tracker_, &JobTracker::progressChanged, this,
            [this](double fraction, const QString& stage) {
                progress_->setValue(static_cast<int>(fraction * 1000));
                if (!stage.isEmpty()) status_->setText(stage + QStringLiteral("…"));
            });
    connect(tracker_, &JobTracker::busyChanged, this,
            [this](bool busy) { setRunState(busy ? RunState::Running : RunState::Idle); });
    connect(controller_, &DatasetController::datasetChanged, this, &ComparePanel::onDatasetChanged);
    onDatasetChanged(controller_->dataset());
    showComparison(nullptr);
}

ComparePanel::~ComparePanel() {
    shutdown();
}

void ComparePanel::createActions() {
    compareAction_ = new QAction(tr("Compare"), this);
    compareAction_->setShortcuts(
        {QKeySequence(Qt::CTRL | Qt::Key_Return), QKeySequence(Qt::CTRL | Qt::Key_Enter)});
    compareAction_->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    compareAction_->setToolTip(
        tr("Score the ticked models user by user and test their differences (Ctrl+Return)"));
    cancelAction_ = new QAction(tr("Cancel"), this);
    cancelAction_->setShortcut(QKeySequence(Qt::Key_Escape));
    cancelAction_->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    cancelAction_->setToolTip(tr("Stop the comparison; the last result stays (Esc)"));
    addAction(compareAction_);
    addAction(cancelAction_);
    connect(compareAction_, &QAction::triggered, this, [this] { compare(); });
    connect(cancelAction_, &QAction::triggered, this, &ComparePanel::cancel);
}

QWidget* ComparePanel::buildControls() {
    auto* column = new QWidget;
    auto* layout = new QVBoxLayout(column);
    auto* title = new QLabel(tr("Compare"), column);
    QFont big = title->font();
    big.setPointSizeF(big.pointSizeF() * 1.4);
    big.setBold(true);
    title->setFont(big);
    layout->addWidget(title);
    auto* intro = new QLabel(
        tr("Is model A really better than model B? Tick runs trained on the same split."), column);
    intro->setWordWrap(true);
    layout->addWidget(intro);
    picker_ = new CompareRunPicker(history_, column);
    layout->addWidget(picker_, 1);

    auto* form = new QFormLayout;
    resamples_ = new QSpinBox(column);
    resamples_->setRange(100, 20000);
    resamples_->setSingleStep(500);
    resamples_->setValue(1000);
    resamples_->setToolTip(
        tr("Bootstrap resamples of the users for each interval: more gives steadier interval "
           "ends, 1,000 is the usual choice"));
    maxUsers_ = new QSpinBox(column);
    maxUsers_->setRange(0, 10'000'000);
    maxUsers_->setSingleStep(1000);
    maxUsers_->setValue(5000);
    maxUsers_->setSpecialValueText(tr("all test users"));
    maxUsers_->setToolTip(
        tr("Score at most this many test users (a seeded sample, the same for every model): "
           "ranking the whole catalogue for every user is the slow part on large releases"));
    form->addRow(tr("Bootstrap resamples"), resamples_);
    form->addRow(tr("Users at most"), maxUsers_);
    layout->addLayout(form);

    auto* buttons = new QHBoxLayout;
    for (QAction* a : {compareAction_, cancelAction_}) {
        auto* b = new QToolButton(column);
        b->setDefaultAction(a);
        b->setToolButtonStyle(Qt::ToolButtonTextOnly);
        b->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
        buttons->addWidget(b);
    }
    layout->addLayout(buttons);
    progress_ = new QProgressBar(column);
    progress_->setRange(0, 1000);
    progress_->setTextVisible(false);
    progress_->setToolTip(tr("Progress of the comparison"));
    layout->addWidget(progress_);
    status_ = new QLabel(column);
    status_->setObjectName(QStringLiteral("compareStatus"));
    status_->setWordWrap(true);
    layout->addWidget(status_);
    return column;
}

QWidget* ComparePanel::buildTablesTab() {
    auto* page = new QWidget;
    auto* layout = new QVBoxLayout(page);
    protocolNote_ = captionLabel(page);
    protocolNote_->setObjectName(QStringLiteral("compareProtocolNote"));
    layout->addWidget(protocolNote_);
    metricsView_ = makeTable(metricsModel_, page);
    metricsView_->horizontalHeader()->setStretchLastSection(false);
    metricsView_->setToolTip(
        tr("Each model's mean per metric with its bootstrap CI; Ctrl+C copies"));
    metricsCaption_ = captionLabel(page);
    layout->addWidget(metricsView_, 3);
    layout->addWidget(metricsCaption_);
    pairsView_ = makeTable(pairsModel_, page);
    pairsView_->setToolTip(tr("Every pair of models per metric: paired tests; Ctrl+C copies"));
    pairsCaption_ = captionLabel(page);
    layout->addWidget(pairsView_, 2);
    layout->addWidget(pairsCaption_);
    return page;
}

QWidget* ComparePanel::buildChartsTab(const QList<CompareChart>& charts, QWidget* header) {
    auto* scroll = new QScrollArea;
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto* page = new QWidget;
    auto* layout = new QVBoxLayout(page);
    if (header) layout->addWidget(header);
    for (CompareChart which : charts) {
        auto* figure = new ChartFigure(chartStem(which), new QChart);
        figure->setRenderHint(QPainter::Antialiasing);
        auto* card = new FigureCard(figure, figure, page);
        card->setMinimumHeight(kCardMinimumHeight);
        cards_[at(which)] = card;
        layout->addWidget(card);
    }
    layout->addStretch(1);
    scroll->setWidget(page);
    return scroll;
}

ChartFigure* ComparePanel::chart(CompareChart which) const {
    FigureCard* c = card(which);
    return c ? static_cast<ChartFigure*>(c->figureWidget()) : nullptr;
}

FigureCard* ComparePanel::card(CompareChart which) const {
    return which == CompareChart::Count ? nullptr : cards_[at(which)];
}

QList<const Figure*> ComparePanel::figures() const {
    QList<const Figure*> out;
    if (!comparison_) return out;  // nothing drawn yet: Save all skips the stage
    for (int c = 0; c < static_cast<int>(CompareChart::Count); ++c)
        if (chartShown(static_cast<CompareChart>(c)))
            out << cards_[static_cast<std::size_t>(c)]->figure();
    return out;
}

bool ComparePanel::chartShown(CompareChart which) const {
    if (which == CompareChart::Count) return false;
    const auto dimension = demographicOf(which);
    return !dimension ||
           (comparison_ && hasSegments(*comparison_, demographicDimensionKey(*dimension)));
}

ComparisonOptions ComparePanel::options() const {
    ComparisonOptions options;
    const QList<RunRecord> runs = picker_->checkedRecords();
    const std::uint64_t seed = runs.isEmpty() ? 42 : runs.front().spec.split.seed;
    options.bootstrap.resamples = resamples_->value();
    options.bootstrap.seed = seed;
    options.perUser.seed = seed;
    options.perUser.maxUsers = static_cast<std::size_t>(maxUsers_->value());
    if (dataset_) options.demographics = dataset_->demographics;  // empty without a user file
    return options;
}

bool ComparePanel::compare() {
    const QString problem = picker_->problem();
    if (!problem.isEmpty() || !dataset_) {
        status_->setText(problem.isEmpty() ? tr("Load a dataset first.") : problem);
        return false;
    }
    const QList<RunRecord> runs = picker_->checkedRecords();
    std::vector<CompareInput> inputs;
    QStringList labels;
    for (int i = 0; i < runs.size(); ++i) {
        const RunRecord& r = runs[i];
        CompareInput input;
        input.name = CompareRunPicker::comparedName(i, r).toStdString();
        if (const ModelLibrary::Entry* entry = models_ ? models_->find(r.id) : nullptr;
            entry && entry->model)
            input.model = entry->model;
        input.path =
            QFile::encodeName(QDir(history_->folder()).filePath(r.modelFile)).toStdString();
        if (!r.perUserFile.isEmpty())
            input.perUserPath =
                QFile::encodeName(QDir(history_->folder()).filePath(r.perUserFile)).toStdString();
        else
            input.noPerUser = tr("run %1 has no stored per-user metrics").arg(r.id).toStdString();
        input.split = r.spec.split;
        labels << QStringLiteral("%1 = %2 %3 (run %4)")
                      .arg(QString::fromStdString(input.name),
                           r.modelDisplayName.isEmpty() ? r.spec.modelKind : r.modelDisplayName,
                           r.spec.hyperparameterText(), r.id);
        inputs.push_back(std::move(input));
    }
    const SplitSpec spec = runs.front().spec.split;
    const ComparisonOptions options = this->options();
    auto dataset = dataset_;
    comparedLabels_ = labels.join(QStringLiteral("; "));
    comparedSplit_ = QString::fromStdString(spec.describe());
    progress_->setValue(0);
    status_->setText(tr("Comparing %n model(s)…", nullptr, static_cast<int>(inputs.size())));
    // The work captures values only (the dataset and models are shared and immutable).
    tracker_->start(
        [dataset, inputs, spec, options](const JobContext& job) {
            std::vector<std::shared_ptr<const Recommender>> held;
            std::vector<ComparedModel> compared;
            for (const CompareInput& in : inputs) {
                std::shared_ptr<const Recommender> model = in.model;
                if (!model) {
                    job.progress(0.0, "loading " + in.name);
                    auto loaded = loadModel(in.path);
                    checkModelMatchesDataset(*loaded, *dataset, in.path);
                    model = std::move(loaded);
                }
                if (job.cancelled()) throw Cancelled();
                held.push_back(model);
                ComparedModel entry(in.name, model.get());
                entry.storedProblem = in.noPerUser;
                // The per-user metrics measured when the run finished are used where they fit.
                if (!in.perUserPath.empty()) attachStoredPerUser(entry, in.perUserPath, in.split);
                compared.push_back(std::move(entry));
            }
            job.progress(0.01, "splitting the ratings");
            const TrainData data = TrainData::build(*dataset, makeSplit(*dataset, spec));
            if (job.cancelled()) throw Cancelled();
            return std::make_shared<const Comparison>(compareModels(
                data, compared, options, [job](double fraction, const std::string& stage) {
                    return job.progress(0.03 + 0.97 * fraction, stage);
                }));
        },
        [this](std::shared_ptr<const Comparison> comparison) {
            showComparison(std::move(comparison));
            progress_->setValue(progress_->maximum());
            status_->setText(tr("Compared %n model(s) on %1 users. Per-user metrics: %2.", nullptr,
                                static_cast<int>(comparison_->models.size()))
                                 .arg(comparison_->usersScored)
                                 .arg(perUserSources(*comparison_)));
            emit comparisonFinished();
        },
        [this](const QString& message) {
            status_->setText(tr("The comparison failed: %1").arg(message));
            emit comparisonFailed(message);
        });
    setRunState(RunState::Running);
    return true;
}

void ComparePanel::cancel() {
    if (!tracker_->cancel()) return;
    progress_->setValue(0);
    status_->setText(tr("Comparison cancelled."));
    setRunState(RunState::Idle);
}

void ComparePanel::shutdown() {
    tracker_->cancel();
    tracker_->waitForAll();
}

void ComparePanel::onDatasetChanged(std::shared_ptr<const lens::Dataset> dataset) {
    if (dataset_ && dataset != dataset_) {
        if (tracker_->cancel()) status_->setText(tr("Comparison cancelled: a new dataset."));
        progress_->setValue(0);
        showComparison(nullptr);
    }
    dataset_ = std::move(dataset);
    picker_->setDatasetName(dataset_ ? QString::fromStdString(dataset_->name) : QString());
    updateActions();
}

void ComparePanel::setRunState(RunState state) {
    if (state == state_) {
        updateActions();
        return;
    }
    state_ = state;
    updateActions();
    emit runStateChanged(state);
}

void ComparePanel::updateActions() {
    const bool running = state_ == RunState::Running;
    const QString problem = picker_->problem();
    compareAction_->setEnabled(!running && problem.isEmpty() && dataset_);
    cancelAction_->setEnabled(running);
    picker_->setEnabled(!running);
}

Provenance ComparePanel::provenance() const {
    Provenance p;
    if (dataset_)
        p.dataset = tr("%1 (%2 ratings)")
                        .arg(QString::fromStdString(dataset_->name),
                             QLocale(QLocale::English)
                                 .toString(static_cast<qulonglong>(dataset_->ratingCount())));
    p.model = comparedLabels_;
    p.split = comparedSplit_;
    if (comparison_) {
        p.seed = QString::number(comparison_->seed);
        p.extra = tr("%1 users, %2 bootstrap resamples, %3 % CI")
                      .arg(comparison_->usersScored)
                      .arg(comparison_->resamples)
                      .arg(comparison_->confidence * 100, 0, 'f', 0);
    }
    return p;
}

void ComparePanel::showComparison(std::shared_ptr<const Comparison> comparison) {
    comparison_ = std::move(comparison);
    metricsModel_->setComparison(comparison_);
    pairsModel_->setComparison(comparison_);
    metricsView_->resizeColumnsToContents();
    pairsView_->resizeColumnsToContents();
    {
        const QSignalBlocker b1(metricBox_), b2(modelA_), b3(modelB_);
        const QString metric = metricBox_->currentData().toString();
        metricBox_->clear();
        modelA_->clear();
        modelB_->clear();
        if (comparison_) {
            for (const QString& name : perUserMetricNames(*comparison_))
                metricBox_->addItem(metricLabel(name.toStdString(), comparison_->cutoff), name);
            for (const ModelResult& m : comparison_->models)
                for (QComboBox* box : {modelA_, modelB_})
                    box->addItem(QString::fromStdString(m.name));
            const int kept = metricBox_->findData(metric);
            const int primary = metricBox_->findData(QString::fromStdString(primaryMetric(
                !comparison_->models.empty() && comparison_->models.front().predictsRatings)));
            metricBox_->setCurrentIndex(kept >= 0 ? kept : std::max(primary, 0));
            modelA_->setCurrentIndex(0);
            modelB_->setCurrentIndex(std::min(1, modelB_->count() - 1));
        }
    }
    protocolNote_->setText(comparison_ ? protocolNote(*comparison_)
                                       : tr("Tick two runs and press Compare (Ctrl+Return)."));
    for (FigureCard* c : cards_) {
        QChart* chart = static_cast<ChartFigure*>(c->figureWidget())->chart();
        if (!comparison_) {
            chart->removeAllSeries();
            for (QAbstractAxis* axis : chart->axes()) {
                chart->removeAxis(axis);
                delete axis;
            }
            chart->setTitle(tr("No comparison yet"));
        }
    }
    if (comparison_) {
        const Comparison& c = *comparison_;
        fillActivitySegments(chart(CompareChart::Activity)->chart(), c);
        fillPopularityTiers(chart(CompareChart::Popularity)->chart(), c);
        fillBeyondAccuracy(chart(CompareChart::Beyond)->chart(), c);
        fillProtocols(chart(CompareChart::Protocols)->chart(), c);
        for (CompareChart which :
             {CompareChart::Gender, CompareChart::Age, CompareChart::Occupation})
            if (chartShown(which))
                fillDemographicSegments(chart(which)->chart(), c, *demographicOf(which));
        for (CompareChart which :
             {CompareChart::Activity, CompareChart::Popularity, CompareChart::Beyond,
              CompareChart::Protocols, CompareChart::Gender, CompareChart::Age,
              CompareChart::Occupation})
            if (chartShown(which)) chart(which)->enableHoverTooltips(QString(), tr("value"));
        refreshPerUserCharts();
    }
    for (CompareChart which : {CompareChart::Gender, CompareChart::Age, CompareChart::Occupation})
        card(which)->setVisible(chartShown(which));
    refreshCaptions();
    const Provenance p = provenance();
    for (FigureCard* c : cards_) c->setProvenance(p);
}

void ComparePanel::refreshPerUserCharts() {
    if (!comparison_) return;
    const std::string metric = metricBox_->currentData().toString().toStdString();
    fillScatter(chart(CompareChart::Scatter)->chart(), *comparison_, modelA_->currentIndex(),
                modelB_->currentIndex(), metric);
    fillHistogram(chart(CompareChart::Histogram)->chart(), *comparison_, metric);
    chart(CompareChart::Scatter)
        ->enableHoverTooltips(modelA_->currentText(), modelB_->currentText());
    refreshCaptions();
}

void ComparePanel::refreshCaptions() {
    if (!comparison_) {
        metricsCaption_->clear();
        pairsCaption_->clear();
        for (FigureCard* c : cards_) c->setCaption(QString());
        return;
    }
    const Comparison& c = *comparison_;
    const std::string metric = metricBox_->currentData().toString().toStdString();
    metricsCaption_->setText(metricsTableCaption(c));
    pairsCaption_->setText(pairsTableCaption(c));
    card(CompareChart::Scatter)
        ->setCaption(scatterCaption(c, modelA_->currentIndex(), modelB_->currentIndex(), metric));
    card(CompareChart::Histogram)->setCaption(histogramCaption(c, metric));
    card(CompareChart::Activity)->setCaption(activityCaption(c));
    card(CompareChart::Popularity)->setCaption(popularityCaption(c));
    card(CompareChart::Beyond)->setCaption(beyondCaption(c));
    for (CompareChart which : {CompareChart::Gender, CompareChart::Age, CompareChart::Occupation})
        card(which)->setCaption(chartShown(which) ? demographicCaption(c, *demographicOf(which))
                                                  : QString());
    const QString note = protocolNote(c);
    card(CompareChart::Protocols)
        ->setCaption(protocolsCaption(c) +
                     (note.isEmpty() ? QString() : QStringLiteral("<br>") + note));
}

}  // namespace lens::ui
