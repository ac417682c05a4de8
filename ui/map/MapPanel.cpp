#include "map/MapPanel.h"

#include <QAction>
#include <QCompleter>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QLocale>
#include <QSortFilterProxyModel>
#include <QSpinBox>
#include <QSplitter>
#include <QStringListModel>
#include <QTabWidget>
#include <QToolButton>
#include <QTreeView>
#include <QVBoxLayout>
#include <chrono>
#include <optional>

#include "DatasetController.h"
#include "JobTracker.h"
#include "TableCopy.h"
#include "charts/FigureCard.h"
#include "data/Dataset.h"
#include "map/GenreMapView.h"
#include "map/HeatmapView.h"
#include "map/MapControls.h"
#include "map/MapFigures.h"
#include "map/MovieColourControls.h"
#include "map/MovieMapView.h"
#include "map/NearestGenresModel.h"
#include "map/PlaceholderListWidget.h"
#include "models/ModelFile.h"
#include "models/ModelLibrary.h"
#include "models/Recommender.h"
#include "projection/TsneControl.h"

namespace lens::ui {

namespace {

// At most one intermediate t-SNE layout per 40 ms reaches the GUI thread (25 frames a second).
constexpr auto kPublishInterval = std::chrono::milliseconds(40);

}  // namespace

struct MapPanel::Step {
    EmbeddingMatrix movieLayout;
    std::optional<GenreMap> genreMap;  // the genre map as far as known, when it changed
    int iteration = 0, totalIterations = 0;
    double kl = 0.0, seconds = 0.0;
};

MapPanel::MapPanel(DatasetController* controller, ModelLibrary* models, QWidget* parent)
    : QWidget(parent), controller_(controller), models_(models) {
    jobs_ = new JobTracker(this);
    connect(jobs_, &JobTracker::busyChanged, this, [this](bool busy) {
        if (!busy) setState(RunState::Idle);
    });
    buildUi();
    if (models_)
        connect(models_, &ModelLibrary::activeChanged, this, &MapPanel::onActiveModelChanged);
    if (controller_)
        connect(controller_, &DatasetController::datasetChanged, this, &MapPanel::onDatasetChanged);
    updateControls();
    if (models_ && models_->active()) onActiveModelChanged();
}

MapPanel::~MapPanel() {
    // Workers post to this object: wake a paused t-SNE, drop what is still to come and wait for
    // every worker before the widgets go away.
    jobs_->cancel();
    jobs_->waitForAll();
}

// ---- UI ------------------------------------------------------------------------------------

void MapPanel::buildUi() {
    auto* layout = new QVBoxLayout(this);
    modelLabelWidget_ = new QLabel(tr("No model: train one in the Train panel"), this);
    modelLabelWidget_->setToolTip(tr("The active model whose embeddings are drawn"));
    layout->addWidget(modelLabelWidget_);
    controls_ = new MapControls(this);
    layout->addWidget(controls_);
    statusLabel_ = new QLabel(this);
    statusLabel_->setToolTip(tr("What the maps show and how long they took"));
    layout->addWidget(statusLabel_);

    findAction_ = new QAction(tr("Find movie"), this);
    findAction_->setShortcut(QKeySequence::Find);
    findAction_->setToolTip(tr("Search a movie on the movie map (Ctrl+F)"));
    resetViewAction_ = new QAction(tr("Reset view"), this);
    resetViewAction_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_0));
    resetViewAction_->setToolTip(
        tr("Show the whole movie map again (Ctrl+0; Home or double-click on the map)"));
    for (QAction* action :
         {runAction(), pauseAction(), stopAction(), findAction_, resetViewAction_}) {
        action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        addAction(action);
    }
    connect(runAction(), &QAction::triggered, this, &MapPanel::run);
    connect(pauseAction(), &QAction::triggered, this, &MapPanel::togglePause);
    connect(stopAction(), &QAction::triggered, this, &MapPanel::stop);

    tabs_ = new QTabWidget(this);
    layout->addWidget(tabs_, 1);
    tabs_->addTab(buildGenreTab(), tr("&Genres"));
    tabs_->addTab(buildMovieTab(), tr("Mo&vies"));
}

MapPanel::Settings MapPanel::settings() const {
    return controls_->config();
}

void MapPanel::setSettings(const Settings& settings) {
    controls_->setConfig(settings);
    if (model_) controls_->setModel(true, model_->genreFactors().rows() > 0);
}

MapPanel::Settings MapPanel::runSettings() const {
    Settings settings = controls_->config();
    if (settings.source == GenreSource::Theta && model_->genreFactors().rows() == 0)
        settings.source = GenreSource::Centroids;
    return settings;
}

void MapPanel::updateControls() {
    controls_->setRunState(model_ != nullptr || (models_ && models_->active()),
                           state_ != RunState::Idle, state_ == RunState::Paused);
}

void MapPanel::setState(RunState state) {
    if (state_ == state) return;
    state_ = state;
    updateControls();
    emit runStateChanged(state);
}

void MapPanel::showStatus(const QString& text) {
    statusLabel_->setText(text);
}

// ---- models and datasets -------------------------------------------------------------------

void MapPanel::onActiveModelChanged() {
    const ModelLibrary::Entry* entry = models_ ? models_->active() : nullptr;
    if (!entry || !entry->model) {
        updateControls();
        return;
    }
    std::shared_ptr<const Dataset> dataset = entry->dataset;
    if (!dataset && controller_) dataset = controller_->dataset();
    QString error;
    if (!prepare(entry->model, dataset, entry->label, &error)) {
        showStatus(error);
        updateControls();
        return;
    }
    startJob();
}

void MapPanel::fillSearchTitles() {
    if (searchTitlesFilled_ || !dataset_) return;
    searchTitlesFilled_ = true;
    QStringList titles;
    titles.reserve(static_cast<qsizetype>(dataset_->titles.size()));
    for (const std::string& title : dataset_->titles) titles << QString::fromStdString(title);
    if (auto* list = qobject_cast<QStringListModel*>(searchEdit_->completer()->model()))
        list->setStringList(titles);
}

bool MapPanel::eventFilter(QObject* watched, QEvent* event) {
    if (watched == searchEdit_ && event->type() == QEvent::FocusIn) fillSearchTitles();
    return QWidget::eventFilter(watched, event);
}

void MapPanel::onDatasetChanged() {
    // A model without its own dataset may now match the loaded one.
    if (models_ && models_->active() && !dataset_) onActiveModelChanged();
}

bool MapPanel::prepare(std::shared_ptr<const Recommender> model,
                       std::shared_ptr<const Dataset> dataset, const QString& label,
                       QString* error) {
    auto fail = [&](const QString& message) {
        if (error) *error = message;
        return false;
    };
    if (!model) return fail(tr("No model"));
    if (!dataset) return fail(tr("The dataset the model was trained on is not loaded"));
    // No copy of the vectors here (tens of MB at ML-32M's size): the job reads them.
    if (!model->hasItemFactors())
        return fail(tr("%1 has no movie vectors to map (train a factor model such as ALS)")
                        .arg(QString::fromStdString(model->displayName())));
    try {
        checkModelMatchesDataset(*model, *dataset, label.toStdString());
    } catch (const std::exception& e) {
        return fail(QString::fromStdString(e.what()));
    }
    if (model->itemCount() != dataset->movieCount())
        return fail(tr("The model's movies do not match the dataset"));

    // Stop whatever runs for the previous model and drop its results.
    jobs_->cancel();
    model_ = std::move(model);
    dataset_ = std::move(dataset);
    modelLabel_ = label.isEmpty() ? QString::fromStdString(model_->displayName()) : label;
    modelLabelWidget_->setText(tr("Model: %1").arg(modelLabel_));
    // The search field's completions are filled when it first gets focus (fillSearchTitles):
    // 87k titles converted here would hold the GUI thread as training ends.
    searchTitlesFilled_ = false;
    if (auto* list = qobject_cast<QStringListModel*>(searchEdit_->completer()->model()))
        list->setStringList({});
    if (searchEdit_->hasFocus()) fillSearchTitles();
    searched_ = -1;
    nearestMovieTitles_.clear();
    nearestMovies_->clear();
    colourControls_->setGenres(dataset_->genres, dataset_->genreVocabulary);
    movieMap_->setCategories(genreCategories(dataset_->genreVocabulary));
    genreMap_ = GenreMap{};
    movieLayout_ = EmbeddingMatrix();
    controls_->setModel(true, model_->genreFactors().rows() > 0);
    updateControls();
    return true;
}

bool MapPanel::fillFromModel(std::shared_ptr<const Recommender> model,
                             std::shared_ptr<const Dataset> dataset, const QString& modelLabel,
                             QString* error) {
    if (!prepare(std::move(model), std::move(dataset), modelLabel, error)) return false;
    shownSettings_ = runSettings();
    tsneIteration_ = 0;
    try {
        applyResult(computeMaps(mapInputFrom(*model_, *dataset_), shownSettings_));
    } catch (const std::exception& e) {
        if (error) *error = QString::fromStdString(e.what());
        return false;
    }
    setState(RunState::Idle);
    return true;
}

// ---- jobs ----------------------------------------------------------------------------------

void MapPanel::run() {
    if (models_ && models_->active() && (!model_ || models_->active()->model != model_)) {
        onActiveModelChanged();
        return;
    }
    if (!model_ || !dataset_) return;
    startJob();
}

void MapPanel::startJob() {
    shownSettings_ = runSettings();
    tsneIteration_ = 0;
    control_ = std::make_shared<TsneControl>();
    const bool tsne = shownSettings_.projection.method == ProjectionMethod::Tsne;
    showStatus(tsne ? tr("Running t-SNE…") : tr("Computing PCA…"));
    // The job's stop token (Stop, a newer run, the panel closing) stops t-SNE through the
    // control, which also wakes a paused worker.
    jobs_->start(
        [this, model = model_, dataset = dataset_, settings = shownSettings_, control = control_,
         needValues = !haveMovieValues()](const JobContext& job) {
            const std::stop_callback wake(job.stopToken(), [control] { control->stop(); });
            if (needValues) {  // posted ahead of every layout, which reads them
                job.post([this, dataset, values = movieValues(*dataset)] {
                    if (dataset != dataset_) return;
                    movieValues_ = values;
                    valuesOf_ = dataset;
                });
            }
            using Clock = std::chrono::steady_clock;
            auto lastPublish = Clock::now() - kPublishInterval;
            const MapObserver observer = [&](const MapProgress& progress) {
                const bool genreStage = progress.stage == MapProgress::Stage::GenreMap;
                const auto now = Clock::now();
                if (!genreStage && (!progress.movieLayout || now - lastPublish < kPublishInterval))
                    return true;
                lastPublish = now;
                Step step;
                if (progress.genreMap) step.genreMap = *progress.genreMap;
                if (progress.movieLayout) step.movieLayout = *progress.movieLayout;
                step.iteration = progress.iteration;
                step.totalIterations = progress.totalIterations;
                step.kl = progress.klDivergence;
                step.seconds = progress.elapsedSeconds;
                job.post([this, step = std::move(step)] { applyStep(step); });
                return true;
            };
            return computeMaps(mapInputFrom(*model, *dataset), settings, observer, control.get());
        },
        [this](MapResult result) { applyResult(result); },
        [this](const QString& error) { showStatus(tr("Map failed: %1").arg(error)); });
    setState(RunState::Running);
}

bool MapPanel::tsneWorkerHeld() const {
    return control_ && control_->isHeld();
}

void MapPanel::togglePause() {
    if (!control_ || state_ == RunState::Idle) return;
    if (state_ == RunState::Paused) {
        control_->resume();
        setState(RunState::Running);
    } else {
        control_->pause();
        setState(RunState::Paused);
        showStatus(tr("t-SNE paused at iteration %1 (F6 resumes)").arg(tsneIteration_));
    }
}

void MapPanel::stop() {
    if (state_ == RunState::Idle) return;
    jobs_->stop();  // the worker ends t-SNE and delivers the layout reached so far
}

void MapPanel::applyStep(const Step& step) {
    if (step.genreMap) applyGenreMap(*step.genreMap);
    if (step.movieLayout.rows() > 0) {
        movieLayout_ = step.movieLayout;
        movieVariance_.clear();
        applyMovieLayout(movieLayout_);
        tsneIteration_ = step.iteration;
        if (state_ != RunState::Paused)
            showStatus(tr("t-SNE iteration %1 of %2, KL %3, %4 s")
                           .arg(step.iteration)
                           .arg(step.totalIterations)
                           .arg(QLocale().toString(step.kl, 'f', 3))
                           .arg(QLocale().toString(step.seconds, 'f', 1)));
    }
    updateProvenance();
    emit mapsUpdated();
}

void MapPanel::applyResult(const MapResult& result) {
    applyGenreMap(result.genreMap);
    movieLayout_ = result.movieLayout;
    movieVariance_ = result.movieExplainedVariance;
    applyMovieLayout(movieLayout_);
    tsneIteration_ = result.tsneIterations;
    const QLocale locale;
    QString text = tr("%1 movies, %2 genres · %3 · %4 s")
                       .arg(locale.toString(movieLayout_.rows()))
                       .arg(genreMap_.genres.genres.size())
                       .arg(projectionText(shownSettings_))
                       .arg(locale.toString(result.seconds, 'f', 2));
    if (shownSettings_.projection.method == ProjectionMethod::Tsne)
        text += result.stoppedEarly
                    ? tr(" · stopped at iteration %1, KL %2")
                          .arg(result.tsneIterations)
                          .arg(locale.toString(result.klDivergence, 'f', 3))
                    : tr(" · KL %1").arg(locale.toString(result.klDivergence, 'f', 3));
    showStatus(text);
    updateProvenance();
    emit mapsUpdated();
}

void MapPanel::applyGenreMap(const GenreMap& map) {
    genreMap_ = map;
    nearestGenreModel_->setGenreMap(map);
    genreMapView_->setGenres(genrePoints(map));
    const auto [x, y] = genreAxisTitles(map);
    genreMapView_->setAxisTitles(x, y);
    genreMapView_->setFigureTitle(genreMapTitle(map));
    heatmap_->setMatrix(genreNames(map), genreSimilarityValues(map));
}

void MapPanel::ensureMovieValues() {
    if (haveMovieValues() || !dataset_) return;
    movieValues_ = movieValues(*dataset_);
    valuesOf_ = dataset_;
}

void MapPanel::applyMovieLayout(const EmbeddingMatrix& layout) {
    ensureMovieValues();  // normally posted by the job before its first layout
    movieMap_->setPoints(layoutPoints(layout), primaryGenres(*dataset_));
    movieMap_->setColouring(
        movieMapColouring(colourControls_->colouring(), *dataset_, movieValues_));
    movieMap_->setPointWeights(ratingCounts(*dataset_));
    movieMap_->setMinimumWeight(minRatingsSpin_->value());
    movieMap_->setFigureTitle(tr("Movie map: %1").arg(modelLabel_));
    std::weak_ptr<const Dataset> weak = dataset_;
    movieMap_->setTooltipProvider([weak](int index) -> QString {
        const auto dataset = weak.lock();
        if (!dataset || index < 0 || index >= static_cast<int>(dataset->movieCount())) return {};
        const auto i = static_cast<std::size_t>(index);
        const auto stars = dataset->byMovie.rowHalfStars(i);
        double sum = 0.0;
        for (auto s : stars) sum += dataset->ratingValue(s);
        const QLocale locale;
        QString text = QStringLiteral("<b>%1</b>")
                           .arg(QString::fromStdString(dataset->titles[i]).toHtmlEscaped());
        if (dataset->years[i] > 0) text += QStringLiteral("<br>%1").arg(dataset->years[i]);
        text += QStringLiteral("<br>%1").arg(
            QString::fromStdString(dataset->genreListOf(dataset->genres[i])).toHtmlEscaped());
        text += QStringLiteral("<br>") + tr("%1 ratings").arg(locale.toString(stars.size()));
        if (!stars.empty() && !dataset->scale.implicit)
            text += QStringLiteral(", ") +
                    tr("mean %1").arg(locale.toString(sum / stars.size(), 'f', 2));
        return text;
    });
    applyOverlays();
    if (searched_ >= 0) movieMap_->highlight(searched_);
}

void MapPanel::applyOverlays() {
    if (!dataset_) return;
    auto indices = [this](const QList<qint64>& ids) {
        std::vector<int> out;
        for (qint64 id : ids) {
            const auto index = dataset_->movieIndex(id);
            if (index >= 0 && index < movieMap_->pointCount())
                out.push_back(static_cast<int>(index));
        }
        return out;
    };
    if (personaRated_.isEmpty())
        movieMap_->clearOverlay(MovieMapView::PersonaRatedOverlay);
    else
        movieMap_->setOverlay(MovieMapView::PersonaRatedOverlay,
                              {tr("Persona rated"), indices(personaRated_),
                               QColor(0xff, 0x8c, 0x00), MovieMapView::Marker::Ring});
    if (personaTop_.isEmpty())
        movieMap_->clearOverlay(MovieMapView::TopRankedOverlay);
    else
        movieMap_->setOverlay(MovieMapView::TopRankedOverlay,
                              {tr("Top 10"), indices(personaTop_), QColor(0xd0, 0x20, 0xc0),
                               MovieMapView::Marker::Diamond});
}

void MapPanel::applyMovieColouring() {
    if (!dataset_ || movieMap_->pointCount() != static_cast<int>(dataset_->movieCount())) return;
    ensureMovieValues();
    movieMap_->setColouring(
        movieMapColouring(colourControls_->colouring(), *dataset_, movieValues_));
}

MovieColouring MapPanel::movieColouring() const {
    return colourControls_->colouring();
}

void MapPanel::setMovieColouring(const MovieColouring& colouring) {
    colourControls_->setColouring(colouring);
}

void MapPanel::setPersonaOverlay(QList<qint64> ratedMovieIds, QList<qint64> topMovieIds) {
    personaRated_ = std::move(ratedMovieIds);
    personaTop_ = std::move(topMovieIds);
    applyOverlays();
}

// ---- search ------------------------------------------------------------------------------------

int MapPanel::findMovie(const QString& text) const {
    const QString needle = text.trimmed();
    if (!dataset_ || needle.isEmpty()) return -1;
    int first = -1;
    for (std::size_t i = 0; i < dataset_->titles.size(); ++i) {
        const QString title = QString::fromStdString(dataset_->titles[i]);
        if (title.compare(needle, Qt::CaseInsensitive) == 0) return static_cast<int>(i);
        if (first < 0 && title.contains(needle, Qt::CaseInsensitive)) first = static_cast<int>(i);
    }
    return first;
}

bool MapPanel::searchMovie(const QString& text) {
    const int index = findMovie(text);
    nearestMovies_->clear();
    nearestMovieTitles_.clear();
    if (index < 0) {
        movieMap_->clearHighlight();
        searched_ = -1;
        showStatus(tr("No movie title contains “%1”").arg(text.trimmed()));
        return false;
    }
    searched_ = index;
    if (index < movieMap_->pointCount()) movieMap_->highlight(index);
    if (model_) {
        const EmbeddingMatrix vectors = movieVectors(*model_);
        const QLocale locale;
        for (const CosineNeighbour& n : nearestNeighboursByCosine(vectors, index, kNearestMovies)) {
            const QString title =
                QString::fromStdString(dataset_->titles[static_cast<std::size_t>(n.index)]);
            nearestMovieTitles_ << title;
            auto* item = new QListWidgetItem(
                QStringLiteral("%1  (%2)").arg(title, locale.toString(n.similarity, 'f', 3)),
                nearestMovies_);
            item->setToolTip(tr("Cosine similarity %1 in the full space")
                                 .arg(locale.toString(n.similarity, 'f', 4)));
        }
    }
    tabs_->setCurrentIndex(1);
    return true;
}

QStringList MapPanel::nearestMovieTitles() const {
    return nearestMovieTitles_;
}

void MapPanel::setMinimumRatings(int minimum) {
    minRatingsSpin_->setValue(minimum);
    movieMap_->setMinimumWeight(minimum);
}

// ---- figures -----------------------------------------------------------------------------------

Provenance MapPanel::provenance() const {
    return mapProvenance(dataset_.get(), model_.get(), modelLabel_, shownSettings_);
}

void MapPanel::updateProvenance() {
    const Provenance p = provenance();
    for (FigureCard* card : {genreCard_, heatmapCard_, movieCard_}) card->setProvenance(p);
}

QList<const Figure*> MapPanel::figures() const {
    return {genreMapView_, heatmap_, movieMap_};
}

}  // namespace lens::ui
