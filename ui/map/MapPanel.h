#pragma once
// Stage 5, Map: the active model's genre and movie embeddings in 2D (PCA or t-SNE), with the
// numbers behind every picture.
//
// "Genres" tab: the genre map (GenreMapView: one labelled point per genre, disc area proportional
// to its number of movies, explained variance of the two PCA axes in the axis titles), the
// genre-by- genre cosine similarity heat map in the full embedding space (HeatmapView) and the list
// of each genre's nearest genres by that cosine. "Movies" tab: every movie of the model
// (MovieMapView), coloured by one chosen genre against the rest (the default: the dataset's most
// frequent genre; the legend toggles either group), by popularity, mean rating or release year
// (MovieColourControls; a colour bar in the legend), hover tooltip
// (title, year, genres, ratings), wheel zoom, pan, rubber-band zoom (Shift+drag or right drag),
// reset, a search box that finds and highlights a movie and lists its nearest movies in the full
// space, a minimum-ratings filter and the overlays of the Rank panel's persona (rated movies and
// top 10).
//
// Sources of genre vectors: theta of the genre-prior ALS, the genre centroids of the item factors
// (plain or weighted by number of ratings), or the movie map itself (genres at the mean position of
// their movies). The computation is the engine's (lens::computeMaps, the same as `lens-atlas map`)
// and runs through a JobTracker: a new run supersedes the one before it, whose late results are
// dropped. t-SNE of the movies publishes a layout every few iterations through lens::TsneControl,
// so the map animates while it converges; Pause blocks the worker inside t-SNE's observer, Stop
// ends it with the layout reached so far. fillFromModel() computes the same result synchronously
// (tests, the report).
//
// Parts: MapControls (source, method, t-SNE settings, Run/Pause/Stop), NearestGenresModel (the
// table beside the genre map), the views (GenreMapView, HeatmapView, MovieMapView) and MapFigures
// (what a result puts on each figure); this class assembles them and runs the jobs.
#include <QList>
#include <QString>
#include <QWidget>
#include <memory>
#include <string>

#include "charts/Figure.h"
#include "map/MapControls.h"
#include "projection/MapComputation.h"

class QAction;
class QLabel;
class QLineEdit;
class QListWidget;
class QSpinBox;
class QTabWidget;
class QTreeView;

namespace lens {
class Dataset;
class Recommender;
class TsneControl;
}  // namespace lens

namespace lens::ui {

class DatasetController;
class FigureCard;
class GenreMapView;
class HeatmapView;
class JobTracker;
class ModelLibrary;
class MovieColourControls;
class MovieMapView;
class NearestGenresModel;

class MapPanel : public QWidget {
    Q_OBJECT
public:
    // What the controls set: the engine's config. Source and method apply to the genre map; the
    // method also to the movie map (the Movies source uses the movie map for the genre positions
    // too). Theta falls back to the centroids for models without theta.
    using Settings = lens::MapConfig;
    enum class RunState { Idle, Running, Paused };

    // `controller` and `models` may be null (headless report: fill with fillFromModel()).
    MapPanel(DatasetController* controller, ModelLibrary* models, QWidget* parent = nullptr);
    ~MapPanel() override;  // stops a running t-SNE and waits for the worker

    Settings settings() const;
    void setSettings(const Settings& settings);  // takes effect at the next run

    // Synchronous: computes both maps of `model` (whose items must be `dataset`'s movies) with
    // the current settings, t-SNE run to the end. Returns false with *error when the model has no
    // vectors or does not match the dataset. `modelLabel` names the model in footers.
    bool fillFromModel(std::shared_ptr<const lens::Recommender> model,
                       std::shared_ptr<const lens::Dataset> dataset, const QString& modelLabel = {},
                       QString* error = nullptr);

    // The genre map, the cosine heat map and the movie map, for "Save all charts" and the report.
    QList<const Figure*> figures() const;
    // The maps' 2D coordinates as CSV (engine projection/MapCsv.h), empty before a map is shown;
    // the export menus' "Export coordinates (CSV)…" writes them. exportCoordinates writes one
    // atomically (false with *error when there is no map or the file cannot be written).
    std::string genreCoordinatesCsv() const;
    std::string movieCoordinatesCsv() const;
    bool exportCoordinates(bool movies, const QString& path, QString* error = nullptr) const;
    Provenance provenance() const;  // dataset, model, projection of the shown maps

    // The shown results (empty before the first run).
    const lens::GenreMap& genreMap() const { return genreMap_; }
    const lens::EmbeddingMatrix& movieLayout() const { return movieLayout_; }
    std::vector<double> movieExplainedVariance() const { return movieVariance_; }
    RunState runState() const { return state_; }
    int tsneIteration() const { return tsneIteration_; }  // of the last published layout
    // True while a paused t-SNE worker is held (every layout it published before is posted).
    bool tsneWorkerHeld() const;

    // Search: the dataset index of the first movie whose title contains `text` (case-insensitive;
    // an exact title match wins), or -1. searchMovie() also highlights it on the map and lists its
    // nearest movies; returns false when nothing matches.
    int findMovie(const QString& text) const;
    bool searchMovie(const QString& text);
    QStringList nearestMovieTitles() const;  // the list beside the map, most similar first
    void setMinimumRatings(int minimum);
    // What the movie map's colour means (applies at once, no re-run).
    lens::MovieColouring movieColouring() const;
    void setMovieColouring(const lens::MovieColouring& colouring);
    MovieColourControls* movieColourControls() const { return colourControls_; }

    GenreMapView* genreMapView() const { return genreMapView_; }
    HeatmapView* heatmapView() const { return heatmap_; }
    MovieMapView* movieMapView() const { return movieMap_; }
    // The nearest-genres table (sortable; its model is nearestGenreModel() behind a sort proxy).
    QTreeView* nearestGenreList() const { return nearestGenres_; }
    NearestGenresModel* nearestGenreModel() const { return nearestGenreModel_; }
    // The list beside the movie map (a placeholder text says what appears there while empty).
    QListWidget* nearestMovieList() const { return nearestMovies_; }
    MapControls* controls() const { return controls_; }
    QAction* runAction() const { return controls_->runAction(); }
    QAction* pauseAction() const { return controls_->pauseAction(); }
    QAction* stopAction() const { return controls_->stopAction(); }

public slots:
    // Recomputes the maps of the active model with the current settings (in a worker).
    void run();
    void togglePause();
    void stop();
    // Marks a persona's rated movies (rings) and its top 10 (diamonds) on the movie map; ids are
    // release movie ids, unknown ids ignored. Kept across re-runs.
    void setPersonaOverlay(QList<qint64> ratedMovieIds, QList<qint64> topMovieIds);

signals:
    void mapsUpdated();  // a new (or intermediate) result is shown
    void runStateChanged(lens::ui::MapPanel::RunState state);

private:
    struct Step;  // an intermediate t-SNE layout crossing to the GUI thread
    static constexpr int kNearestMovies = 10;

    // The tabs (MapPanelTabs.cpp).

    void buildUi();
    QWidget* buildGenreTab();
    QWidget* buildMovieTab();
    void addCoordinatesExport(FigureCard* card, bool movies);
    void onActiveModelChanged();
    void onDatasetChanged();
    void fillSearchTitles();  // the search field's completions, once per prepared dataset
    bool eventFilter(QObject* watched, QEvent* event) override;
    void updateControls();
    void setState(RunState state);
    bool prepare(std::shared_ptr<const lens::Recommender> model,
                 std::shared_ptr<const lens::Dataset> dataset, const QString& label,
                 QString* error);
    Settings runSettings() const;  // the controls' settings, θ resolved for the model
    void startJob();
    void applyStep(const Step& step);
    void applyResult(const lens::MapResult& result);
    void applyMovieLayout(const lens::EmbeddingMatrix& layout);
    void applyGenreMap(const lens::GenreMap& map);
    void applyOverlays();
    void applyMovieColouring();
    bool haveMovieValues() const { return dataset_ && valuesOf_.lock() == dataset_; }
    void ensureMovieValues();
    void updateProvenance();
    void showStatus(const QString& text);

    DatasetController* controller_;
    ModelLibrary* models_;

    // What the maps show.
    std::shared_ptr<const lens::Recommender> model_;
    std::shared_ptr<const lens::Dataset> dataset_;
    // For the movie map's colours: of valuesOf_ (computed in the map job, a pass over every
    // rating, when dataset_ is not valuesOf_; at once where a layout needs them first).
    lens::MovieValues movieValues_;
    std::weak_ptr<const lens::Dataset> valuesOf_;
    QString modelLabel_;
    Settings shownSettings_;
    lens::GenreMap genreMap_;
    lens::EmbeddingMatrix movieLayout_;
    std::vector<double> movieVariance_;
    QList<qint64> personaRated_, personaTop_;
    int searched_ = -1;
    bool searchTitlesFilled_ = false;
    QStringList nearestMovieTitles_;

    // Jobs: the tracker, and the pause/stop control of the current t-SNE.
    JobTracker* jobs_ = nullptr;
    std::shared_ptr<lens::TsneControl> control_;
    RunState state_ = RunState::Idle;
    int tsneIteration_ = 0;

    // Widgets.
    MapControls* controls_ = nullptr;
    QAction* findAction_ = nullptr;
    QAction* resetViewAction_ = nullptr;
    QLabel* modelLabelWidget_ = nullptr;
    QLabel* statusLabel_ = nullptr;
    QTabWidget* tabs_ = nullptr;
    GenreMapView* genreMapView_ = nullptr;
    HeatmapView* heatmap_ = nullptr;
    NearestGenresModel* nearestGenreModel_ = nullptr;
    QTreeView* nearestGenres_ = nullptr;
    MovieMapView* movieMap_ = nullptr;
    QLineEdit* searchEdit_ = nullptr;
    QSpinBox* minRatingsSpin_ = nullptr;
    MovieColourControls* colourControls_ = nullptr;
    QListWidget* nearestMovies_ = nullptr;
    FigureCard* genreCard_ = nullptr;
    FigureCard* heatmapCard_ = nullptr;
    FigureCard* movieCard_ = nullptr;
};

}  // namespace lens::ui
