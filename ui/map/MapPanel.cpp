#include "map/MapPanel.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QCompleter>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QFuture>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QLocale>
#include <QPainter>
#include <QSpinBox>
#include <QSplitter>
#include <QStandardItemModel>
#include <QStringListModel>
#include <QTabWidget>
#include <QToolButton>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <QtConcurrent>
#include <chrono>
#include <cmath>

#include "DatasetController.h"
#include "TableCopy.h"
#include "charts/FigureCard.h"
#include "data/Dataset.h"
#include "map/GenreMapView.h"
#include "map/HeatmapView.h"
#include "map/MovieMapView.h"
#include "models/ModelFile.h"
#include "models/ModelLibrary.h"
#include "models/Recommender.h"
#include "projection/TsneControl.h"
#include "util/Errors.h"

namespace lens::ui {

namespace {

constexpr int kNearestMovies = 10;
constexpr auto kPublishInterval = std::chrono::milliseconds(40);

// Role of the nearest-genres rows: the row's index in the genre map (the list can be sorted).
constexpr int kGenreIndexRole = Qt::UserRole;
// Role of a cell's sort key (numbers sort as numbers, not as locale text).
constexpr int kSortKeyRole = Qt::UserRole + 1;

// A row of the nearest-genres list that sorts by kSortKeyRole where a column has one.
class GenreListItem : public QTreeWidgetItem {
public:
    using QTreeWidgetItem::QTreeWidgetItem;
    bool operator<(const QTreeWidgetItem& other) const override {
        const int column = treeWidget() ? treeWidget()->sortColumn() : 0;
        const QVariant mine = data(column, kSortKeyRole);
        const QVariant theirs = other.data(column, kSortKeyRole);
        if (mine.isValid() && theirs.isValid()) return mine.toDouble() < theirs.toDouble();
        return QTreeWidgetItem::operator<(other);
    }
};

// A list that says what it will show while it is empty (QListWidget has no placeholder text).
class PlaceholderListWidget : public QListWidget {
public:
    using QListWidget::QListWidget;
    void setPlaceholderText(const QString& text) {
        placeholder_ = text;
        viewport()->update();
    }
    QString placeholderText() const { return placeholder_; }

protected:
    void paintEvent(QPaintEvent* event) override {
        QListWidget::paintEvent(event);
        if (count() > 0 || placeholder_.isEmpty()) return;
        QPainter painter(viewport());
        painter.setPen(palette().color(QPalette::PlaceholderText));
        painter.drawText(viewport()->rect().adjusted(8, 8, -8, -8),
                         Qt::AlignHCenter | Qt::AlignTop | Qt::TextWordWrap, placeholder_);
    }

private:
    QString placeholder_;
};

QString genreName(int genre) {
    return QString::fromLatin1(
        kGenreNames[static_cast<std::size_t>(genre)].data(),
        static_cast<qsizetype>(kGenreNames[static_cast<std::size_t>(genre)].size()));
}

QString sourceLabel(GenreSource source) {
    switch (source) {
        case GenreSource::Theta:
            return MapPanel::tr("Genre vectors θ (genre-prior ALS)");
        case GenreSource::Centroids:
            return MapPanel::tr("Genre centroids of movie vectors");
        case GenreSource::WeightedCentroids:
            return MapPanel::tr("Genre centroids weighted by ratings");
        case GenreSource::Movies:
            return MapPanel::tr("Movie map (genres at their movies' mean)");
    }
    return {};
}

std::vector<QPointF> toPoints(const EmbeddingMatrix& layout) {
    std::vector<QPointF> points(static_cast<std::size_t>(layout.rows()));
    for (Eigen::Index i = 0; i < layout.rows(); ++i)
        points[static_cast<std::size_t>(i)] = QPointF(layout(i, 0), layout(i, 1));
    return points;
}

}  // namespace

// A result crossing from the worker to the GUI thread (plain values).
struct MapPanel::Result {
    quint64 job = 0;
    bool final = true;
    bool hasGenreMap = false;
    GenreMap genreMap;
    bool hasMovieLayout = false;
    EmbeddingMatrix movieLayout;
    std::vector<double> movieVariance;
    int iteration = 0, totalIterations = 0;
    double kl = 0.0, seconds = 0.0;
    bool stopped = false;
    QString error;
};

struct MapPanel::Job {
    quint64 id = 0;
    std::shared_ptr<TsneControl> control = std::make_shared<TsneControl>();
    QFuture<void> future;
};

namespace {

// The whole computation, on any thread. `publish` receives the genre map first, then (t-SNE)
// intermediate movie layouts, then the final result.
void computeMaps(const Recommender& model, const std::vector<GenreMask>& masks,
                 const std::vector<float>& popularity, const MapPanel::Settings& settings,
                 TsneControl* control, bool intermediate,
                 const std::function<void(MapPanel::Result&&)>& publish) {
    using Clock = std::chrono::steady_clock;
    const auto start = Clock::now();
    MapPanel::Result genreResult;
    GenreMapConfig config;
    config.projection.method = settings.method;
    config.projection.unitNormRows = settings.unitNorm;
    config.projection.tsne.perplexity = settings.perplexity;
    config.projection.tsne.iterations = settings.iterations;
    config.projection.tsne.learningRate = settings.learningRate;
    config.projection.tsne.seed = settings.seed;
    const bool moviesSource = settings.source == GenreSource::Movies;
    // The Movies source takes its numbers from the plain centroids and its positions from the
    // movie map; the genre projection below is then only a placeholder until the movies are done.
    config.source = moviesSource ? GenreSource::Centroids : settings.source;
    if (moviesSource) config.projection.method = ProjectionMethod::Pca;
    GenreMap genres = computeGenreMap(model, masks, popularity, config);
    if (moviesSource) genres.source = GenreSource::Movies;

    const EmbeddingMatrix vectors = movieVectors(model);
    ProjectionConfig movieConfig = config.projection;
    movieConfig.method = settings.method;
    if (!moviesSource) {
        genreResult.hasGenreMap = true;
        genreResult.genreMap = genres;
        genreResult.final = false;
        if (intermediate) publish(std::move(genreResult));
    }

    auto lastPublish = Clock::now() - kPublishInterval;
    TsneObserver observer;
    if (control) {
        observer = control->observer([&](const TsneProgress& progress) {
            if (!intermediate || !progress.layout) return;
            const auto now = Clock::now();
            if (now - lastPublish < kPublishInterval) return;
            lastPublish = now;
            MapPanel::Result step;
            step.final = false;
            step.hasMovieLayout = true;
            step.movieLayout = *progress.layout;
            step.iteration = progress.iteration;
            step.totalIterations = progress.totalIterations;
            step.kl = progress.klDivergence;
            step.seconds = progress.elapsedSeconds;
            if (moviesSource) {
                step.hasGenreMap = true;
                step.genreMap = genres;
                step.genreMap.layout =
                    genrePositionsFromMovieLayout(step.movieLayout, masks, genres.genres.genres);
                step.genreMap.explainedVarianceRatio.clear();
            }
            publish(std::move(step));
        });
    }
    Projection2D movies = projectTo2D(vectors, movieConfig, observer);

    MapPanel::Result done;
    done.final = true;
    done.hasMovieLayout = true;
    done.movieLayout = std::move(movies.layout);
    done.movieVariance = movies.explainedVarianceRatio;
    done.iteration = movies.tsne.iterationsRun;
    done.totalIterations = settings.method == ProjectionMethod::Tsne ? settings.iterations : 0;
    done.kl = movies.tsne.klDivergence;
    done.stopped = movies.tsne.stoppedEarly;
    done.hasGenreMap = true;
    done.genreMap = std::move(genres);
    if (moviesSource) {
        done.genreMap.layout =
            genrePositionsFromMovieLayout(done.movieLayout, masks, done.genreMap.genres.genres);
        done.genreMap.explainedVarianceRatio = done.movieVariance;
        done.genreMap.movieLayout = done.movieLayout;
    }
    done.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    publish(std::move(done));
}

}  // namespace

MapPanel::MapPanel(DatasetController* controller, ModelLibrary* models, QWidget* parent)
    : QWidget(parent), controller_(controller), models_(models) {
    buildUi();
    if (models_)
        connect(models_, &ModelLibrary::activeChanged, this, &MapPanel::onActiveModelChanged);
    if (controller_)
        connect(controller_, &DatasetController::datasetChanged, this, &MapPanel::onDatasetChanged);
    updateControls();
    if (models_ && models_->active()) onActiveModelChanged();
}

MapPanel::~MapPanel() {
    // Workers post to this object: every one must have ended before it goes away.
    for (const auto& job : running_) job->control->stop();
    for (const auto& job : running_) job->future.waitForFinished();
}

// ---- UI ------------------------------------------------------------------------------------

void MapPanel::buildUi() {
    auto* layout = new QVBoxLayout(this);

    // Controls.
    auto* controls = new QHBoxLayout;
    modelLabelWidget_ = new QLabel(tr("No model: train one in the Train panel"), this);
    modelLabelWidget_->setToolTip(tr("The active model whose embeddings are drawn"));
    layout->addWidget(modelLabelWidget_);

    sourceCombo_ = new QComboBox(this);
    for (GenreSource source : {GenreSource::Theta, GenreSource::Centroids,
                               GenreSource::WeightedCentroids, GenreSource::Movies})
        sourceCombo_->addItem(sourceLabel(source), static_cast<int>(source));
    sourceCombo_->setToolTip(
        tr("Where the genre vectors come from: θ of the genre-prior ALS (one learned vector per "
           "genre), the mean of the movie vectors of each genre (optionally weighted by number of "
           "ratings), or the movie map itself"));
    methodCombo_ = new QComboBox(this);
    methodCombo_->addItem(tr("PCA"), static_cast<int>(ProjectionMethod::Pca));
    methodCombo_->addItem(tr("t-SNE"), static_cast<int>(ProjectionMethod::Tsne));
    methodCombo_->setToolTip(
        tr("PCA: linear, exact, axes carry explained variance. t-SNE: keeps neighbourhoods, "
           "animates while it converges (Barnes-Hut above 1,000 points)"));
    perplexitySpin_ = new QDoubleSpinBox(this);
    perplexitySpin_->setRange(2.0, 100.0);
    perplexitySpin_->setValue(30.0);
    perplexitySpin_->setToolTip(
        tr("t-SNE perplexity: the effective number of neighbours each point keeps (5-50)"));
    iterationsSpin_ = new QSpinBox(this);
    iterationsSpin_->setRange(50, 10000);
    iterationsSpin_->setSingleStep(250);
    iterationsSpin_->setValue(1000);
    iterationsSpin_->setToolTip(tr("t-SNE gradient-descent iterations"));
    learningRateSpin_ = new QDoubleSpinBox(this);
    learningRateSpin_->setRange(0.0, 10000.0);
    learningRateSpin_->setDecimals(0);
    learningRateSpin_->setSpecialValueText(tr("auto"));
    learningRateSpin_->setToolTip(
        tr("t-SNE learning rate; auto = max(200, points / 12) (Belkina et al. 2019)"));
    seedSpin_ = new QSpinBox(this);
    seedSpin_->setRange(0, 1'000'000'000);
    seedSpin_->setValue(42);
    seedSpin_->setToolTip(tr("t-SNE seed: the same seed gives the same map on every machine"));
    unitNormCheck_ = new QCheckBox(tr("Unit norm"), this);
    unitNormCheck_->setToolTip(
        tr("Scale every vector to length 1 before projecting, so only directions count (as "
           "TensorBoard's projector does)"));

    runAction_ = new QAction(tr("Run"), this);
    runAction_->setShortcut(QKeySequence(Qt::Key_F5));
    runAction_->setToolTip(tr("Compute the maps of the active model with these settings (F5)"));
    pauseAction_ = new QAction(tr("Pause"), this);
    pauseAction_->setShortcut(QKeySequence(Qt::Key_F6));
    pauseAction_->setToolTip(tr("Pause or resume the running t-SNE (F6)"));
    stopAction_ = new QAction(tr("Stop"), this);
    stopAction_->setShortcut(QKeySequence(Qt::SHIFT | Qt::Key_F5));
    stopAction_->setToolTip(tr("Stop t-SNE and keep the map reached so far (Shift+F5)"));
    findAction_ = new QAction(tr("Find movie"), this);
    findAction_->setShortcut(QKeySequence::Find);
    findAction_->setToolTip(tr("Search a movie on the movie map (Ctrl+F)"));
    resetViewAction_ = new QAction(tr("Reset view"), this);
    resetViewAction_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_0));
    resetViewAction_->setToolTip(
        tr("Show the whole movie map again (Ctrl+0; Home or double-click on the map)"));
    for (QAction* action : {runAction_, pauseAction_, stopAction_, findAction_, resetViewAction_}) {
        action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        addAction(action);
    }
    connect(runAction_, &QAction::triggered, this, &MapPanel::run);
    connect(pauseAction_, &QAction::triggered, this, &MapPanel::togglePause);
    connect(stopAction_, &QAction::triggered, this, &MapPanel::stop);

    auto addLabelled = [&](const QString& text, QWidget* widget) {
        auto* label = new QLabel(text, this);
        label->setBuddy(widget);
        label->setToolTip(widget->toolTip());
        controls->addWidget(label);
        controls->addWidget(widget);
    };
    // Two rows, so the panel fits a 1280 px wide window: what to project and the actions, then
    // the t-SNE settings (disabled for PCA).
    addLabelled(tr("&Source"), sourceCombo_);
    addLabelled(tr("&Method"), methodCombo_);
    controls->addWidget(unitNormCheck_);
    for (QAction* action : {runAction_, pauseAction_, stopAction_}) {
        auto* button = new QToolButton(this);
        button->setDefaultAction(action);
        controls->addWidget(button);
    }
    controls->addStretch(1);
    layout->addLayout(controls);
    controls = new QHBoxLayout;
    auto* tsneLabel = new QLabel(tr("t-SNE:"), this);
    tsneLabel->setToolTip(tr("Settings of t-SNE (Method = t-SNE); PCA needs none"));
    controls->addWidget(tsneLabel);
    addLabelled(tr("Perplexity"), perplexitySpin_);
    addLabelled(tr("Iterations"), iterationsSpin_);
    addLabelled(tr("Learning rate"), learningRateSpin_);
    addLabelled(tr("Seed"), seedSpin_);
    controls->addStretch(1);
    layout->addLayout(controls);
    statusLabel_ = new QLabel(this);
    statusLabel_->setToolTip(tr("What the maps show and how long they took"));
    layout->addWidget(statusLabel_);
    connect(methodCombo_, &QComboBox::currentIndexChanged, this, [this] { updateControls(); });

    tabs_ = new QTabWidget(this);
    layout->addWidget(tabs_, 1);

    // Genres tab.
    auto* genreTab = new QSplitter(Qt::Horizontal, tabs_);
    genreMapView_ = new GenreMapView;
    genreMapView_->setToolTip(tr("Hover a genre for its numbers; click to select it"));
    genreCard_ = new FigureCard(genreMapView_, genreMapView_, genreTab);
    genreCard_->setCaption(
        tr("One point per genre; the disc area is proportional to the genre's number of movies. "
           "Distances in 2D are approximate: the heat map and the list give the cosine "
           "similarities in the full embedding space."));
    auto* right = new QSplitter(Qt::Vertical, genreTab);
    heatmap_ = new HeatmapView;
    heatmap_->setFigureTitle(tr("Genre cosine similarity"));
    heatmap_->setFigureFileStem(QStringLiteral("genre-similarity"));
    heatmapCard_ = new FigureCard(heatmap_, heatmap_, right);
    heatmapCard_->setCaption(
        tr("Cosine similarity between the genre vectors in the full embedding space: red = "
           "similar directions, blue = opposite."));
    nearestGenres_ = new QTreeWidget(right);
    nearestGenres_->setColumnCount(3);
    nearestGenres_->setHeaderLabels({tr("Genre"), tr("Movies"), tr("Nearest genres (cosine)")});
    nearestGenres_->setRootIsDecorated(false);
    nearestGenres_->setUniformRowHeights(true);
    nearestGenres_->setAlternatingRowColors(true);
    nearestGenres_->setTextElideMode(Qt::ElideRight);
    // Sortable (click a column title); the nearest-genres text takes the remaining width, its
    // full text is in each cell's tooltip.
    nearestGenres_->setSortingEnabled(true);
    nearestGenres_->sortByColumn(0, Qt::AscendingOrder);
    nearestGenres_->header()->setStretchLastSection(true);
    nearestGenres_->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    nearestGenres_->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    nearestGenres_->setToolTip(
        tr("Each genre's most similar genres by cosine in the full space; select one to mark it "
           "on the map. Click a column title to sort; Ctrl+C copies the selected rows"));
    enableTableCopy(nearestGenres_);
    connect(nearestGenres_, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem* item) {
        genreMapView_->setHighlightedGenre(item ? item->data(0, kGenreIndexRole).toInt() : -1);
    });
    connect(genreMapView_, &GenreMapView::genreClicked, this, [this](int index) {
        for (int i = 0; i < nearestGenres_->topLevelItemCount(); ++i) {
            QTreeWidgetItem* item = nearestGenres_->topLevelItem(i);
            if (item->data(0, kGenreIndexRole).toInt() == index) {
                nearestGenres_->setCurrentItem(item);
                nearestGenres_->scrollToItem(item);
                return;
            }
        }
    });
    right->addWidget(heatmapCard_);
    right->addWidget(nearestGenres_);
    // The list gets about 40 % of the height: most of the 19 genres without scrolling, while
    // the heat map keeps room for its 19 labelled rows.
    right->setStretchFactor(0, 3);
    right->setStretchFactor(1, 2);
    right->setSizes({600, 400});
    genreTab->addWidget(genreCard_);
    genreTab->addWidget(right);
    genreTab->setStretchFactor(0, 3);
    genreTab->setStretchFactor(1, 2);
    tabs_->addTab(genreTab, tr("&Genres"));

    // Movies tab.
    auto* movieTab = new QWidget(tabs_);
    auto* movieLayout = new QVBoxLayout(movieTab);
    auto* movieControls = new QHBoxLayout;
    searchEdit_ = new QLineEdit(movieTab);
    searchEdit_->setPlaceholderText(tr("Find a movie…"));
    searchEdit_->setClearButtonEnabled(true);
    searchEdit_->setToolTip(
        tr("Type part of a title and press Enter: the movie is centred and marked, and its nearest "
           "movies are listed (Ctrl+F)"));
    auto* completer = new QCompleter(new QStringListModel(searchEdit_), searchEdit_);
    completer->setCaseSensitivity(Qt::CaseInsensitive);
    completer->setFilterMode(Qt::MatchContains);
    searchEdit_->setCompleter(completer);
    connect(searchEdit_, &QLineEdit::returnPressed, this,
            [this] { searchMovie(searchEdit_->text()); });
    connect(completer, qOverload<const QString&>(&QCompleter::activated), this,
            [this](const QString& text) { searchMovie(text); });
    connect(findAction_, &QAction::triggered, this, [this] {
        tabs_->setCurrentIndex(1);
        searchEdit_->setFocus();
        searchEdit_->selectAll();
    });
    minRatingsSpin_ = new QSpinBox(movieTab);
    minRatingsSpin_->setRange(0, 100000);
    minRatingsSpin_->setSpecialValueText(tr("any"));  // as the Load panel's filter
    minRatingsSpin_->setToolTip(tr("Show only movies with at least this many ratings"));
    connect(minRatingsSpin_, &QSpinBox::valueChanged, this,
            [this](int value) { movieMap_->setMinimumWeight(value); });
    auto* minLabel = new QLabel(tr("Min. ratings"), movieTab);
    minLabel->setBuddy(minRatingsSpin_);
    minLabel->setToolTip(minRatingsSpin_->toolTip());
    auto* resetButton = new QToolButton(movieTab);
    resetButton->setDefaultAction(resetViewAction_);
    movieControls->addWidget(searchEdit_, 2);
    movieControls->addWidget(minLabel);
    movieControls->addWidget(minRatingsSpin_);
    movieControls->addWidget(resetButton);
    movieControls->addStretch(1);
    movieLayout->addLayout(movieControls);

    auto* movieSplit = new QSplitter(Qt::Horizontal, movieTab);
    movieMap_ = new MovieMapView;
    movieMap_->setToolTip(QString());  // point tooltips come from the view itself
    movieCard_ = new FigureCard(movieMap_, movieMap_, movieSplit);
    movieCard_->setExportButtonCorner(Qt::BottomRightCorner);  // the legend is top right
    // Right drag is the rubber band on this map; its export menu is on the card's button.
    movieMap_->setContextMenuPolicy(Qt::PreventContextMenu);
    movieCard_->setCaption(
        tr("Every movie of the model, coloured by its first genre. Wheel: zoom; drag: pan; "
           "Shift+drag or right drag: zoom to a box; double-click or Home: reset. Click a legend "
           "entry to hide or show a genre."));
    connect(resetViewAction_, &QAction::triggered, movieMap_, &MovieMapView::resetView);
    connect(movieMap_, &MovieMapView::pointClicked, this, [this](int index) {
        if (dataset_ && index >= 0 && index < static_cast<int>(dataset_->titles.size()))
            searchMovie(QString::fromStdString(dataset_->titles[static_cast<std::size_t>(index)]));
    });
    auto* nearestMovies = new PlaceholderListWidget(movieSplit);
    nearestMovies->setPlaceholderText(
        tr("Click a movie on the map, or find one by title (Ctrl+F): it is marked on the map and "
           "its %1 nearest movies by cosine similarity in the full embedding space are listed "
           "here. Hover a point for its title, year, genres and ratings.")
            .arg(kNearestMovies));
    nearestMovies_ = nearestMovies;
    nearestMovies_->setWordWrap(true);
    nearestMovies_->setToolTip(
        tr("The searched movie's nearest movies by cosine similarity of the full movie vectors; "
           "Ctrl+C copies the selected ones"));
    enableTableCopy(nearestMovies_);
    movieSplit->addWidget(movieCard_);
    movieSplit->addWidget(nearestMovies_);
    movieSplit->setStretchFactor(0, 4);
    movieSplit->setStretchFactor(1, 1);
    movieLayout->addWidget(movieSplit, 1);
    tabs_->addTab(movieTab, tr("Mo&vies"));

    QList<MovieMapView::Category> categories;
    for (int g = 0; g < kGenreCount; ++g)
        categories.append({genreName(g), MovieMapView::defaultCategoryColor(g)});
    movieMap_->setCategories(categories);
}

MapPanel::Settings MapPanel::readControls() const {
    Settings s;
    s.source = static_cast<GenreSource>(sourceCombo_->currentData().toInt());
    s.method = static_cast<ProjectionMethod>(methodCombo_->currentData().toInt());
    s.unitNorm = unitNormCheck_->isChecked();
    s.perplexity = perplexitySpin_->value();
    s.iterations = iterationsSpin_->value();
    s.learningRate = learningRateSpin_->value();
    s.seed = static_cast<quint64>(seedSpin_->value());
    return s;
}

MapPanel::Settings MapPanel::settings() const {
    return readControls();
}

void MapPanel::setSettings(const Settings& s) {
    const int source = sourceCombo_->findData(static_cast<int>(s.source));
    if (source >= 0) sourceCombo_->setCurrentIndex(source);
    methodCombo_->setCurrentIndex(methodCombo_->findData(static_cast<int>(s.method)));
    unitNormCheck_->setChecked(s.unitNorm);
    perplexitySpin_->setValue(s.perplexity);
    iterationsSpin_->setValue(s.iterations);
    learningRateSpin_->setValue(std::max(0.0, s.learningRate));
    seedSpin_->setValue(static_cast<int>(std::min<quint64>(s.seed, 1'000'000'000)));
    updateSourceChoices();
}

void MapPanel::updateSourceChoices() {
    // θ is only there for models with genre factors.
    const bool hasTheta = model_ && model_->genreFactors().rows() == kGenreCount;
    auto* items = qobject_cast<QStandardItemModel*>(sourceCombo_->model());
    const int thetaRow = sourceCombo_->findData(static_cast<int>(GenreSource::Theta));
    if (items && thetaRow >= 0) {
        QStandardItem* item = items->item(thetaRow);
        item->setEnabled(hasTheta || !model_);
        item->setToolTip(hasTheta ? QString()
                                  : tr("Only the genre-prior ALS learns one vector per genre"));
    }
    if (model_ && !hasTheta && sourceCombo_->currentIndex() == thetaRow)
        sourceCombo_->setCurrentIndex(
            sourceCombo_->findData(static_cast<int>(GenreSource::Centroids)));
}

void MapPanel::updateControls() {
    const bool tsne =
        methodCombo_->currentData().toInt() == static_cast<int>(ProjectionMethod::Tsne);
    for (QWidget* w :
         {static_cast<QWidget*>(perplexitySpin_), static_cast<QWidget*>(iterationsSpin_),
          static_cast<QWidget*>(learningRateSpin_), static_cast<QWidget*>(seedSpin_)})
        w->setEnabled(tsne);
    runAction_->setEnabled(model_ != nullptr || (models_ && models_->active()));
    pauseAction_->setEnabled(state_ != RunState::Idle);
    pauseAction_->setText(state_ == RunState::Paused ? tr("Resume") : tr("Pause"));
    stopAction_->setEnabled(state_ != RunState::Idle);
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
    startJob(false);
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
    if (model->itemFactors().rows() == 0)
        return fail(tr("%1 has no movie vectors to map (train a factor model such as ALS)")
                        .arg(QString::fromStdString(model->displayName())));
    try {
        checkModelMatchesDataset(*model, *dataset, label.toStdString());
    } catch (const std::exception& e) {
        return fail(QString::fromStdString(e.what()));
    }
    if (model->itemFactors().rows() != static_cast<Eigen::Index>(dataset->movieCount()))
        return fail(tr("The model's movies do not match the dataset"));

    // Stop whatever runs for the previous model.
    if (job_) job_->control->stop();
    model_ = std::move(model);
    dataset_ = std::move(dataset);
    modelLabel_ = label.isEmpty() ? QString::fromStdString(model_->displayName()) : label;
    modelLabelWidget_->setText(tr("Model: %1").arg(modelLabel_));
    popularity_.assign(dataset_->movieCount(), 0.0F);
    for (std::size_t i = 0; i < dataset_->movieCount(); ++i)
        popularity_[i] = static_cast<float>(dataset_->byMovie.rowSize(i));
    QStringList titles;
    titles.reserve(static_cast<qsizetype>(dataset_->titles.size()));
    for (const std::string& title : dataset_->titles) titles << QString::fromStdString(title);
    if (auto* list = qobject_cast<QStringListModel*>(searchEdit_->completer()->model()))
        list->setStringList(titles);
    searched_ = -1;
    nearestMovieTitles_.clear();
    nearestMovies_->clear();
    genreMap_ = GenreMap{};
    movieLayout_ = EmbeddingMatrix();
    updateSourceChoices();
    updateControls();
    return true;
}

bool MapPanel::fillFromModel(std::shared_ptr<const Recommender> model,
                             std::shared_ptr<const Dataset> dataset, const QString& modelLabel,
                             QString* error) {
    if (!prepare(std::move(model), std::move(dataset), modelLabel, error)) return false;
    try {
        startJob(true);
    } catch (const std::exception& e) {
        if (error) *error = QString::fromStdString(e.what());
        return false;
    }
    return true;
}

// ---- jobs ----------------------------------------------------------------------------------

void MapPanel::run() {
    if (models_ && models_->active() && (!model_ || models_->active()->model != model_)) {
        onActiveModelChanged();
        return;
    }
    if (!model_ || !dataset_) return;
    startJob(false);
}

void MapPanel::startJob(bool synchronous) {
    if (job_) {
        job_->control->stop();  // superseded: its late results are dropped by id
    }
    shownSettings_ = readControls();
    if (shownSettings_.source == GenreSource::Theta && model_->genreFactors().rows() != kGenreCount)
        shownSettings_.source = GenreSource::Centroids;
    auto job = std::make_shared<Job>();
    job->id = ++jobId_;
    tsneIteration_ = 0;
    std::vector<GenreMask> masks = dataset_->genres;
    if (synchronous) {
        job_.reset();
        computeMaps(*model_, masks, popularity_, shownSettings_, nullptr, false,
                    [this, id = job->id](Result&& result) {
                        result.job = id;
                        applyResult(result);
                    });
        setState(RunState::Idle);
        return;
    }
    std::erase_if(running_, [](const std::shared_ptr<Job>& j) { return j->future.isFinished(); });
    job_ = job;
    running_.push_back(job);
    setState(RunState::Running);
    showStatus(shownSettings_.method == ProjectionMethod::Tsne ? tr("Running t-SNE…")
                                                               : tr("Computing PCA…"));
    const bool tsne = shownSettings_.method == ProjectionMethod::Tsne;
    job->future =
        QtConcurrent::run([this, model = model_, masks = std::move(masks), popularity = popularity_,
                           settings = shownSettings_, control = job->control, id = job->id, tsne] {
            auto post = [this, id](Result&& result) {
                result.job = id;
                QMetaObject::invokeMethod(
                    this, [this, r = std::move(result)] { applyResult(r); }, Qt::QueuedConnection);
            };
            try {
                computeMaps(*model, masks, popularity, settings, tsne ? control.get() : nullptr,
                            true, post);
            } catch (const std::exception& e) {
                Result failed;
                failed.error = QString::fromStdString(e.what());
                post(std::move(failed));
            }
        });
}

void MapPanel::togglePause() {
    if (!job_ || state_ == RunState::Idle) return;
    if (state_ == RunState::Paused) {
        job_->control->resume();
        setState(RunState::Running);
    } else {
        job_->control->pause();
        setState(RunState::Paused);
        showStatus(tr("t-SNE paused at iteration %1 (F6 resumes)").arg(tsneIteration_));
    }
}

void MapPanel::stop() {
    if (!job_ || state_ == RunState::Idle) return;
    job_->control->stop();  // the worker publishes the layout reached so far
}

void MapPanel::applyResult(const Result& result) {
    if (result.job != jobId_) return;  // superseded
    if (!result.error.isEmpty()) {
        showStatus(tr("Map failed: %1").arg(result.error));
        job_.reset();
        setState(RunState::Idle);
        return;
    }
    if (result.hasGenreMap) applyGenreMap(result.genreMap);
    if (result.hasMovieLayout) {
        movieLayout_ = result.movieLayout;
        movieVariance_ = result.movieVariance;
        applyMovieLayout(movieLayout_);
        tsneIteration_ = result.iteration;
    }
    const QLocale locale;
    if (!result.final) {
        if (result.hasMovieLayout && state_ != RunState::Paused)
            showStatus(tr("t-SNE iteration %1 of %2, KL %3, %4 s")
                           .arg(result.iteration)
                           .arg(result.totalIterations)
                           .arg(locale.toString(result.kl, 'f', 3))
                           .arg(locale.toString(result.seconds, 'f', 1)));
    } else {
        job_.reset();
        setState(RunState::Idle);
        QString text = tr("%1 movies, %2 genres · %3 · %4 s")
                           .arg(locale.toString(movieLayout_.rows()))
                           .arg(genreMap_.genres.genres.size())
                           .arg(projectionText())
                           .arg(locale.toString(result.seconds, 'f', 2));
        if (shownSettings_.method == ProjectionMethod::Tsne)
            text += result.stopped ? tr(" · stopped at iteration %1, KL %2")
                                         .arg(result.iteration)
                                         .arg(locale.toString(result.kl, 'f', 3))
                                   : tr(" · KL %1").arg(locale.toString(result.kl, 'f', 3));
        showStatus(text);
    }
    updateProvenance();
    emit mapsUpdated();
}

void MapPanel::applyGenreMap(const GenreMap& map) {
    genreMap_ = map;
    const auto& ids = map.genres.genres;
    QStringList names;
    for (int g : ids) names << genreName(g);
    QList<GenreMapView::GenrePoint> points;
    nearestGenres_->setSortingEnabled(false);  // re-sorted once, after filling
    nearestGenres_->clear();
    const QLocale locale;
    for (std::size_t r = 0; r < ids.size(); ++r) {
        QStringList nearest;
        for (const CosineNeighbour& n : map.nearest[r])
            nearest << QStringLiteral("%1 %2").arg(names[n.index],
                                                   locale.toString(n.similarity, 'f', 2));
        GenreMapView::GenrePoint point;
        point.name = names[static_cast<qsizetype>(r)];
        point.position = QPointF(map.layout(static_cast<Eigen::Index>(r), 0),
                                 map.layout(static_cast<Eigen::Index>(r), 1));
        point.movies = map.genres.movieCount[r];
        point.color = MovieMapView::defaultCategoryColor(ids[r]);
        point.details = tr("nearest: %1").arg(nearest.join(QStringLiteral(", ")));
        points << point;
        const QString nearestText = nearest.join(QStringLiteral(", "));
        auto* item = new GenreListItem(nearestGenres_,
                                       {point.name, locale.toString(point.movies), nearestText});
        item->setData(0, kGenreIndexRole, static_cast<int>(r));
        item->setData(1, kSortKeyRole, static_cast<double>(point.movies));
        if (!map.nearest[r].empty())
            item->setData(2, kSortKeyRole, static_cast<double>(map.nearest[r].front().similarity));
        item->setTextAlignment(1, Qt::AlignRight | Qt::AlignVCenter);
        item->setToolTip(0, tr("%1: %2 movies").arg(point.name, locale.toString(point.movies)));
        item->setToolTip(1, item->toolTip(0));
        item->setToolTip(
            2, tr("Nearest genres of %1 by cosine similarity: %2").arg(point.name, nearestText));
    }
    nearestGenres_->setSortingEnabled(true);
    genreMapView_->setGenres(points);
    const bool pca = !map.explainedVarianceRatio.empty();
    if (pca)
        genreMapView_->setAxisTitles(
            tr("PC 1 (%1 % of variance)")
                .arg(locale.toString(100.0 * map.explainedVarianceRatio[0], 'f', 1)),
            tr("PC 2 (%1 % of variance)")
                .arg(locale.toString(100.0 * map.explainedVarianceRatio[1], 'f', 1)));
    else
        genreMapView_->setAxisTitles(tr("t-SNE 1"), tr("t-SNE 2"));
    genreMapView_->setFigureTitle(tr("Genre map: %1").arg(sourceLabel(map.source)));

    std::vector<double> values(ids.size() * ids.size());
    for (std::size_t i = 0; i < ids.size(); ++i)
        for (std::size_t j = 0; j < ids.size(); ++j)
            values[i * ids.size() + j] =
                map.similarity(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j));
    heatmap_->setMatrix(names, std::move(values));
}

void MapPanel::applyMovieLayout(const EmbeddingMatrix& layout) {
    std::vector<int> categories(dataset_->movieCount());
    for (std::size_t i = 0; i < categories.size(); ++i)
        categories[i] = primaryGenre(dataset_->genres[i]);
    movieMap_->setPoints(toPoints(layout), std::move(categories));
    movieMap_->setPointWeights(popularity_);
    movieMap_->setMinimumWeight(minRatingsSpin_->value());
    movieMap_->setFigureTitle(tr("Movie map: %1").arg(modelLabel_));
    std::weak_ptr<const Dataset> weak = dataset_;
    movieMap_->setTooltipProvider([weak](int index) -> QString {
        const auto dataset = weak.lock();
        if (!dataset || index < 0 || index >= static_cast<int>(dataset->movieCount())) return {};
        const auto i = static_cast<std::size_t>(index);
        const auto stars = dataset->byMovie.rowHalfStars(i);
        double sum = 0.0;
        for (auto s : stars) sum += s;
        const QLocale locale;
        QString text = QStringLiteral("<b>%1</b>")
                           .arg(QString::fromStdString(dataset->titles[i]).toHtmlEscaped());
        if (dataset->years[i] > 0) text += QStringLiteral("<br>%1").arg(dataset->years[i]);
        text += QStringLiteral("<br>%1").arg(
            QString::fromStdString(genreListString(dataset->genres[i])).toHtmlEscaped());
        text += QStringLiteral("<br>") + tr("%1 ratings").arg(locale.toString(stars.size()));
        if (!stars.empty())
            text += QStringLiteral(", ") +
                    tr("mean %1").arg(locale.toString(sum / 2.0 / stars.size(), 'f', 2));
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

QString MapPanel::projectionText() const {
    const Settings& s = shownSettings_;
    QString text = sourceLabel(s.source) + QStringLiteral(" · ");
    if (s.method == ProjectionMethod::Pca) {
        text += tr("PCA");
    } else {
        text += tr("t-SNE perplexity %1, %2 iterations, seed %3")
                    .arg(s.perplexity)
                    .arg(s.iterations)
                    .arg(s.seed);
        if (s.learningRate > 0.0) text += tr(", learning rate %1").arg(s.learningRate);
    }
    if (s.unitNorm) text += tr(", unit-norm vectors");
    return text;
}

Provenance MapPanel::provenance() const {
    Provenance p;
    if (dataset_)
        p.dataset = tr("%1 (%2 ratings)")
                        .arg(QString::fromStdString(dataset_->name),
                             QLocale().toString(static_cast<qulonglong>(dataset_->ratingCount())));
    if (model_) {
        QStringList hyper;
        for (const Hyperparameter& h : model_->hyperparameters())
            if (h.key != "seed")
                hyper << QStringLiteral("%1 %2").arg(QString::fromStdString(h.key),
                                                     QString::fromStdString(h.value));
        p.model = modelLabel_ == QString::fromStdString(model_->displayName())
                      ? QStringLiteral("%1: %2").arg(modelLabel_, hyper.join(QStringLiteral(", ")))
                      : modelLabel_;
        p.split = QString::fromStdString(model_->splitSpec().describe());
        p.seed = QString::number(model_->seed());
    }
    p.extra = projectionText();
    return p;
}

void MapPanel::updateProvenance() {
    const Provenance p = provenance();
    for (FigureCard* card : {genreCard_, heatmapCard_, movieCard_}) card->setProvenance(p);
}

QList<const Figure*> MapPanel::figures() const {
    return {genreMapView_, heatmap_, movieMap_};
}

}  // namespace lens::ui
