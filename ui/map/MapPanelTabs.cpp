// The Map panel's two tabs: the genre tab (genre map, cosine heat map, nearest-genres table) and
// the movie tab (search, colour and filter controls, the movie map, the nearest movies), and the
// "Export coordinates (CSV)…" entries of the two maps' export menus (projection/MapCsv.h).
#include <QAction>
#include <QCompleter>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QSortFilterProxyModel>
#include <QSpinBox>
#include <QSplitter>
#include <QStringListModel>
#include <QTabWidget>
#include <QToolButton>
#include <QTreeView>
#include <QVBoxLayout>

#include "AppSettings.h"
#include "TableCopy.h"
#include "charts/FigureCard.h"
#include "data/Dataset.h"
#include "io/JsonFile.h"
#include "map/GenreMapView.h"
#include "map/HeatmapView.h"
#include "map/MapFigures.h"
#include "map/MapPanel.h"
#include "map/MovieColourControls.h"
#include "map/MovieMapView.h"
#include "map/NearestGenresModel.h"
#include "map/PlaceholderListWidget.h"
#include "projection/MapCsv.h"
#include "util/Errors.h"

namespace lens::ui {

QWidget* MapPanel::buildGenreTab() {
    auto* genreTab = new QSplitter(Qt::Horizontal);
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
    nearestGenreModel_ = new NearestGenresModel(this);
    nearestGenres_ = NearestGenresModel::createView(nearestGenreModel_, right);
    auto* sorted = nearestGenres_->model();
    connect(
        nearestGenres_->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
        [this](const QModelIndex& current) {
            genreMapView_->setHighlightedGenre(
                current.isValid() ? current.data(NearestGenresModel::GenreIndexRole).toInt() : -1);
        });
    connect(genreMapView_, &GenreMapView::genreClicked, this, [this, sorted](int index) {
        const auto* proxy = qobject_cast<const QSortFilterProxyModel*>(sorted);
        const QModelIndex row = proxy->mapFromSource(nearestGenreModel_->index(index, 0));
        if (!row.isValid()) return;
        nearestGenres_->setCurrentIndex(row);
        nearestGenres_->scrollTo(row);
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
    addCoordinatesExport(genreCard_, false);
    return genreTab;
}

QWidget* MapPanel::buildMovieTab() {
    auto* movieTab = new QWidget;
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
    searchEdit_->installEventFilter(this);  // fills the completions on first focus
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
    colourControls_ = new MovieColourControls(movieTab);
    connect(colourControls_, &MovieColourControls::colouringChanged, this,
            &MapPanel::applyMovieColouring);
    movieControls->addWidget(searchEdit_, 2);
    movieControls->addWidget(colourControls_);
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
        tr("Every movie of the model, coloured as the legend says: one genre against the rest "
           "(its movies on top) or popularity, mean rating or release year (dark violet = low, "
           "yellow = high). Wheel: zoom; drag: pan; Shift+drag or right drag: zoom to a box; "
           "double-click or Home: reset. Click a legend entry to hide or show its movies."));
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
    movieMap_->setCategories(genreCategories(defaultGenreVocabulary()));
    addCoordinatesExport(movieCard_, true);
    return movieTab;
}

std::string MapPanel::genreCoordinatesCsv() const {
    return genreMap_.layout.rows() > 0 ? genreMapCsv(genreMap_, dataset_ ? dataset_->genreVocabulary
                                                                         : defaultGenreVocabulary())
                                       : std::string();
}

std::string MapPanel::movieCoordinatesCsv() const {
    if (!dataset_ || movieLayout_.rows() != static_cast<Eigen::Index>(dataset_->movieCount()))
        return {};
    return movieMapCsv(movieLayout_, *dataset_);
}

bool MapPanel::exportCoordinates(bool movies, const QString& path, QString* error) const {
    const std::string csv = movies ? movieCoordinatesCsv() : genreCoordinatesCsv();
    if (csv.empty()) {
        if (error) *error = tr("There is no map to export yet: run the map first (F5).");
        return false;
    }
    try {
        writeFileAtomically(QFile::encodeName(path).toStdString(), csv, "coordinates");
    } catch (const DataError& e) {
        if (error) *error = QString::fromStdString(e.what());
        return false;
    }
    return true;
}

void MapPanel::addCoordinatesExport(FigureCard* card, bool movies) {
    auto* action = new QAction(tr("Export coordinates (CSV)…"), card);
    action->setToolTip(movies ? tr("Save every movie's 2D position with its id, title, year, "
                                   "genres, ratings and mean rating as CSV")
                              : tr("Save every genre's 2D position and number of movies as CSV"));
    connect(action, &QAction::triggered, this, [this, movies] {
        const QString suggested = QDir(settings::exportDirectory())
                                      .filePath(movies ? QStringLiteral("movie-map.csv")
                                                       : QStringLiteral("genre-map.csv"));
        QString path = QFileDialog::getSaveFileName(this, tr("Export coordinates"), suggested,
                                                    tr("CSV file (*.csv)"));
        if (path.isEmpty()) return;
        if (!path.endsWith(QLatin1String(".csv"), Qt::CaseInsensitive))
            path += QStringLiteral(".csv");
        QString error;
        if (!exportCoordinates(movies, path, &error))
            QMessageBox::warning(this, tr("Export failed"), error);
    });
    card->addMenuAction(action);
}

}  // namespace lens::ui
