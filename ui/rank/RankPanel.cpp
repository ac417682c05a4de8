#include "RankPanel.h"

#include <QAction>
#include <QDir>
#include <QFileDialog>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLocale>
#include <QMessageBox>
#include <QSaveFile>
#include <QSplitter>
#include <QTabWidget>
#include <QTimer>
#include <QVBoxLayout>

#include "AppSettings.h"
#include "DatasetController.h"
#include "JobTracker.h"
#include "charts/ChartFigure.h"
#include "data/Dataset.h"
#include "models/ModelLibrary.h"
#include "models/Recommender.h"
#include "rank/PersonaEditor.h"
#include "rank/RankControls.h"
#include "rank/RankListFigure.h"
#include "rank/RankListsView.h"
#include "rank/RankText.h"
#include "rank/RankingQualityView.h"

namespace lens::ui {

namespace {
constexpr int kRecomputeDelayMs = 60;
}  // namespace

RankPanel::RankPanel(DatasetController* controller, ModelLibrary* models, QWidget* parent)
    : QWidget(parent), controller_(controller), models_(models), builder_(models) {
    auto* outer = new QHBoxLayout(this);
    auto* splitter = new QSplitter(Qt::Horizontal, this);
    outer->addWidget(splitter);

    auto* personaBox = new QGroupBox(tr("Persona"), splitter);
    auto* personaLayout = new QVBoxLayout(personaBox);
    persona_ = new PersonaEditor(personaBox);
    personaLayout->addWidget(persona_);
    splitter->addWidget(personaBox);
    tabs_ = new QTabWidget(splitter);
    splitter->addWidget(tabs_);
    splitter->setStretchFactor(0, 0);
    splitter->setStretchFactor(1, 1);

    createActions();
    tabs_->addTab(buildListTab(), tr("Top-N"));
    quality_ = new RankingQualityView(tabs_);
    tabs_->addTab(quality_, tr("Ranking quality"));
    tabs_->setTabToolTip(0, tr("The persona's personalised list"));
    tabs_->setTabToolTip(1, tr("Precision, recall, NDCG, MAP, HR and coverage of the active "
                               "model on its test split"));
    listFigure_ = std::make_unique<RankListFigure>(listsView_->topModel());

    rankerJobs_ = std::make_unique<JobTracker>();
    recomputeTimer_ = new QTimer(this);
    recomputeTimer_->setSingleShot(true);
    recomputeTimer_->setInterval(kRecomputeDelayMs);
    connectParts();
    onDatasetChanged();
}

RankPanel::~RankPanel() = default;

// The Top-N tab: the settings rows over the lists.
QWidget* RankPanel::buildListTab() {
    auto* tab = new QWidget(tabs_);
    auto* layout = new QVBoxLayout(tab);
    controls_ = new RankControls(tab);
    for (QAction* a : {exportCsvAction_, exportPngAction_}) controls_->addActionButton(a);
    layout->addWidget(controls_);
    listsView_ = new RankListsView(tab);
    layout->addWidget(listsView_, 1);
    return tab;
}

void RankPanel::createActions() {
    exportCsvAction_ = new QAction(tr("Export CSV…"), this);
    exportCsvAction_->setShortcut(QKeySequence(QStringLiteral("Ctrl+E")));
    exportCsvAction_->setToolTip(tr("Save the list as CSV (Ctrl+E)"));
    exportPngAction_ = new QAction(tr("Export image…"), this);
    exportPngAction_->setShortcut(QKeySequence(QStringLiteral("Ctrl+Shift+E")));
    exportPngAction_->setToolTip(tr("Save the list as a PNG, SVG or PDF figure (Ctrl+Shift+E)"));
    focusSearchAction_ = new QAction(tr("Search movies"), this);
    focusSearchAction_->setShortcut(QKeySequence::Find);
    focusSearchAction_->setToolTip(tr("Search a movie to add to the persona (Ctrl+F)"));
    refreshAction_ = new QAction(tr("Recompute"), this);
    refreshAction_->setObjectName(QStringLiteral("recomputeAction"));
    refreshAction_->setShortcut(QKeySequence::Refresh);
    refreshAction_->setToolTip(tr("Recompute the lists now (F5)"));
    for (QAction* a : {exportCsvAction_, exportPngAction_, focusSearchAction_, refreshAction_}) {
        a->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        addAction(a);
    }
}

void RankPanel::connectParts() {
    connect(recomputeTimer_, &QTimer::timeout, this, &RankPanel::recomputeWhenReady);
    connect(persona_, &PersonaEditor::personaEdited, this, &RankPanel::refresh);
    connect(controls_, &RankControls::changed, this, &RankPanel::refresh);
    connect(exportCsvAction_, &QAction::triggered, this, &RankPanel::exportCsvWithDialog);
    connect(exportPngAction_, &QAction::triggered, this, &RankPanel::exportPngWithDialog);
    connect(focusSearchAction_, &QAction::triggered, this, [this] {
        tabs_->setCurrentIndex(0);
        persona_->focusSearch();
    });
    // F5 while the active model's ranker is being built waits for it (no second build here).
    connect(refreshAction_, &QAction::triggered, this, &RankPanel::recomputeWhenReady);
    if (controller_)
        connect(controller_, &DatasetController::datasetChanged, this,
                &RankPanel::onDatasetChanged);
    if (models_) {
        connect(models_, &ModelLibrary::activeChanged, this, &RankPanel::onActiveChanged);
        connect(models_, &ModelLibrary::entriesChanged, this, [this] {
            updateComparisonChoices();
            refresh();
        });
    }
}

std::shared_ptr<const Dataset> RankPanel::currentDataset() const {
    if (controller_ && controller_->dataset()) return controller_->dataset();
    if (models_ && models_->active()) return models_->active()->dataset;
    return nullptr;
}

void RankPanel::onDatasetChanged() {
    builder_.reset();
    onActiveChanged();
}

void RankPanel::onActiveChanged() {
    const auto dataset = currentDataset();
    if (persona_->dataset() != dataset) persona_->setDataset(dataset);
    if (dataset) controls_->setGenreVocabulary(dataset->genreVocabulary);
    const ModelLibrary::Entry* entry = models_ ? models_->active() : nullptr;
    if (entry)
        quality_->setModel(entry->model, dataset, entry->label);
    else
        quality_->setModel(nullptr, nullptr, {});
    quality_->setProvenance(provenance());
    updateComparisonChoices();
    prepareActiveRanker();
    refresh();
}

void RankPanel::prepareActiveRanker() {
    const auto dataset = currentDataset();
    const ModelLibrary::Entry* entry = models_ ? models_->active() : nullptr;
    if (!entry || !entry->model || !dataset || builder_.hasActiveRanker(dataset)) {
        rankerJobs_->cancel();
        return;
    }
    rankerJobs_->start(
        [model = entry->model, dataset](const JobContext&) {
            return std::make_unique<TopNRanker>(*model, *dataset);
        },
        [this, id = entry->id, model = entry->model, dataset](std::unique_ptr<TopNRanker> r) {
            builder_.adoptRanker(id, model, dataset, std::move(r));
            refresh();
        },
        // recomputeNow builds it again and shows why it cannot.
        [this](const QString&) { refresh(); });
}

bool RankPanel::isPreparingRanker() const {
    return rankerJobs_->isRunning();
}

void RankPanel::recomputeWhenReady() {
    if (rankerJobs_->isRunning()) return;  // its delivery schedules the recompute
    recomputeNow();
}

void RankPanel::updateComparisonChoices() {
    controls_->setComparisonChoices(
        RankListBuilder::comparisonChoices(models_, currentDataset().get()));
}

bool RankPanel::selectPersona(const QString& name) {
    const bool ok = persona_->selectPersona(name);
    if (ok) refresh();
    return ok;
}

bool RankPanel::useUser(qint64 userId) {
    return persona_->useUser(userId);
}

RankConfig RankPanel::rankConfig() const {
    return controls_->config();
}

void RankPanel::setRankConfig(const RankConfig& config) {
    controls_->setConfig(config);  // changed() schedules the recompute
}

bool RankPanel::setComparison(const QString& id) {
    return controls_->setComparison(id);
}

QString RankPanel::comparison() const {
    return controls_->comparison();
}

void RankPanel::refresh() {
    recomputeTimer_->start();
}

void RankPanel::recomputeNow() {
    recomputeTimer_->stop();
    lists_ = builder_.build(currentDataset(), persona_->ratings(), persona_->personaName(),
                            rankConfig(), comparison());
    listsView_->setLists(lists_);
    updateListFigure();
    emit personaChanged(persona_->ratedMovieIds(), topModel()->movieIds());
}

TopNTableModel* RankPanel::topModel() const {
    return listsView_->topModel();
}
TopNTableModel* RankPanel::comparisonModel() const {
    return listsView_->comparisonModel();
}
int RankPanel::overlapCount() const {
    return listsView_->overlapCount();
}
QString RankPanel::overlapText() const {
    return listsView_->overlapText();
}
QTableView* RankPanel::topTable() const {
    return listsView_->topTable();
}
QTableView* RankPanel::comparisonTable() const {
    return listsView_->comparisonTable();
}
QTextBrowser* RankPanel::explanationView() const {
    return listsView_->explanationView();
}
QCheckBox* RankPanel::excludeRatedToggle() const {
    return controls_->excludeRatedToggle();
}
QSpinBox* RankPanel::minRatingsSpin() const {
    return controls_->minRatingsSpin();
}
QSpinBox* RankPanel::countSpin() const {
    return controls_->countSpin();
}
QComboBox* RankPanel::scoringCombo() const {
    return controls_->scoringCombo();
}
QDoubleSpinBox* RankPanel::biasWeightSpin() const {
    return controls_->biasWeightSpin();
}
QComboBox* RankPanel::comparisonCombo() const {
    return controls_->comparisonCombo();
}

Provenance RankPanel::provenance() const {
    Provenance p;
    const auto dataset = currentDataset();
    if (dataset)
        p.dataset = tr("%1 (%2 ratings)")
                        .arg(QString::fromStdString(dataset->name),
                             QLocale().toString(qulonglong(dataset->ratingCount())));
    const ModelLibrary::Entry* entry = models_ ? models_->active() : nullptr;
    if (entry && entry->model) {
        p.model = entry->label;
        p.split = QString::fromStdString(entry->model->splitSpec().describe());
        p.seed = QString::number(entry->model->seed());
    }
    return p;
}

void RankPanel::updateListFigure() {
    const RankConfig config = rankConfig();
    const auto dataset = currentDataset();
    const std::vector<std::string> vocabulary =
        dataset ? dataset->genreVocabulary : defaultGenreVocabulary();
    const QString model = lists_.activeLabel.isEmpty() ? tr("no model") : lists_.activeLabel;
    const QString persona = persona_->personaName();
    listFigure_->setTitle(tr("Top-%1 for %2 — %3")
                              .arg(config.filter.n)
                              .arg(persona.isEmpty() ? tr("no persona") : persona, model));
    QStringList parts;
    parts << scoringDescription(config.scoring, config.biasWeight);
    parts << tr("at least %1 ratings").arg(config.filter.minRatings);
    parts << (config.filter.excludeRated ? tr("rated movies excluded")
                                         : tr("rated movies allowed"));
    if (config.filter.includeGenres)
        parts << tr("only %1").arg(genreText(config.filter.includeGenres, vocabulary));
    if (config.filter.excludeGenres)
        parts << tr("no %1").arg(genreText(config.filter.excludeGenres, vocabulary));
    if (lists_.comparing() && lists_.active) {
        const QString other = lists_.second == RankLists::Second::Popularity
                                  ? tr("the popularity list")
                                  : (lists_.comparisonLabel.isEmpty() ? tr("the other model")
                                                                      : lists_.comparisonLabel);
        parts << tr("%1 in common with %2 (tinted)").arg(overlapCount()).arg(other);
    }
    listFigure_->setSubtitle(parts.join(QStringLiteral(" · ")));
}

QList<const Figure*> RankPanel::figures() const {
    return {listFigure_.get(), quality_->popularityFigure()};
}

bool RankPanel::exportCsv(const QString& path, QString* error) const {
    QSaveFile file(path);
    auto fail = [&](const QString& why) {
        if (error) *error = QStringLiteral("%1: %2").arg(QDir::toNativeSeparators(path), why);
        return false;
    };
    if (!file.open(QIODevice::WriteOnly | QIODevice::Text)) return fail(file.errorString());
    const QByteArray bytes = topModel()->toCsv().toUtf8();
    if (file.write(bytes) != bytes.size()) return fail(file.errorString());
    if (!file.commit()) return fail(file.errorString());
    return true;
}

bool RankPanel::exportPng(const QString& path, QString* error) const {
    FigureExportOptions options;
    options.dpi = settings::exportDpi();
    options.footer = provenance().text();
    const auto format = figureFormatForPath(path).value_or(FigureFormat::Png);
    return exportFigure(*listFigure_, path, format, options, error);
}

void RankPanel::exportCsvWithDialog() {
    if (!lists_.active) {
        QMessageBox::information(this, tr("Nothing to export"), tr("There is no list yet."));
        return;
    }
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export list as CSV"), QStringLiteral("top-n.csv"), tr("CSV files (*.csv)"));
    if (path.isEmpty()) return;
    QString error;
    if (!exportCsv(path, &error)) QMessageBox::warning(this, tr("Export failed"), error);
}

void RankPanel::exportPngWithDialog() {
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export list as image"), QStringLiteral("top-n.png"),
        tr("PNG image (*.png);;SVG drawing (*.svg);;PDF document (*.pdf)"));
    if (path.isEmpty()) return;
    QString error;
    if (!exportPng(path, &error)) QMessageBox::warning(this, tr("Export failed"), error);
}

}  // namespace lens::ui
