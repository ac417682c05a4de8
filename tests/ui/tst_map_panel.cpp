// The Map panel (ui/map/MapPanel) on synthetic releases with models trained in the test: it fills
// from a genre-prior ALS and a plain ALS through the ModelLibrary (worker) and synchronously, one
// genre point per genre with movies, 27k movies rendered, hover, zoom, search, filter and persona
// overlays, t-SNE with intermediate layouts, pause and stop, exported figures not blank, and the
// "Colour by" controls (default: the most frequent genre against the rest; keyboard, tooltips)
// recolour the map at once, without a re-run.
#include <QtTest>

#include <QAbstractItemModelTester>
#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QCompleter>
#include <QFontInfo>
#include <QHeaderView>
#include <QImage>
#include <QLineEdit>
#include <QListWidget>
#include <QMouseEvent>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTreeView>
#include <QWheelEvent>
#include <set>

#include "UiTestHelpers.h"
#include "charts/Figure.h"
#include "charts/FigureCard.h"
#include "data/Split.h"
#include "map/GenreMapView.h"
#include "map/HeatmapView.h"
#include "map/MapFigures.h"
#include "map/MapPanel.h"
#include "map/MovieColourControls.h"
#include "map/MovieMapView.h"
#include "map/NearestGenresModel.h"
#include "models/AlsModel.h"
#include "models/GenrePriorAls.h"
#include "models/ModelLibrary.h"
#include "models/TrainData.h"
#include "synth/SyntheticGenerator.h"

using namespace lens;
using namespace lens::ui;

using lens::test::sendWheel;

namespace {

struct Trained {
    std::shared_ptr<const Dataset> dataset;
    std::shared_ptr<const Recommender> model;
};

Trained train(const SyntheticConfig& config, bool genrePrior, int factors, int iterations) {
    auto dataset = std::make_shared<const Dataset>(generateSyntheticDataset(config));
    const TrainData data =
        TrainData::build(*dataset, makeSplit(*dataset, SplitSpec::parse("per-user:0.1", 3)));
    AlsConfig als;
    als.factors = factors;
    als.iterations = iterations;
    als.reportMetrics = false;
    std::shared_ptr<Recommender> model = std::make_shared<AlsModel>(als);
    if (genrePrior) model = std::make_shared<GenrePriorAls>(als);
    model->fit(data);
    return {dataset, model};
}

int genresWithMovies(const Dataset& dataset) {
    int count = 0;
    for (int g = 0; g < kGenreCount; ++g)
        count += std::any_of(dataset.genres.begin(), dataset.genres.end(),
                             [g](GenreMask m) { return hasGenre(m, g); });
    return count;
}

// The row of the (sorted) nearest-genres table showing `genre`, or an invalid index.
QModelIndex genreRow(const QTreeView* table, const QString& genre) {
    const QAbstractItemModel* model = table->model();
    for (int r = 0; r < model->rowCount(); ++r)
        if (model->index(r, 0).data().toString() == genre) return model->index(r, 0);
    return {};
}

QString cell(const QTreeView* table, int row, int column, int role = Qt::DisplayRole) {
    return table->model()->index(row, column).data(role).toString();
}

void sendMove(QWidget& widget, QPointF position) {
    QMouseEvent move(QEvent::MouseMove, position, widget.mapToGlobal(position), Qt::NoButton,
                     Qt::NoButton, Qt::NoModifier);
    QApplication::sendEvent(&widget, &move);
}

}  // namespace

class TestMapPanel : public QObject {
    Q_OBJECT

    Trained genrePrior_;  // the 100k-rating demo release, genre-prior ALS
    Trained als_;         // same release, plain ALS
    QTemporaryDir dir_;

private slots:
    void initTestCase() {
        QVERIFY(!QFontInfo(QGuiApplication::font()).family().isEmpty());
        QVERIFY(dir_.isValid());
        SyntheticConfig config;
        config.tags = false;
        genrePrior_ = train(config, true, 16, 6);
        als_ = train(config, false, 12, 3);
    }

    void fillsFromGenrePriorThroughTheLibrary() {
        ModelLibrary library;
        MapPanel panel(nullptr, &library);
        panel.resize(1200, 800);
        QSignalSpy updated(&panel, &MapPanel::mapsUpdated);
        library.add({"gp", "genre prior", genrePrior_.model, genrePrior_.dataset,
                     QString::fromStdString(genrePrior_.dataset->name)});
        library.setActive("gp");
        QTRY_VERIFY_WITH_TIMEOUT(
            panel.runState() == MapPanel::RunState::Idle && panel.movieLayout().rows() > 0, 20000);
        QVERIFY(updated.count() >= 1);
        // The per-movie values (the job computes them, a pass over the ratings) colour the map.
        panel.setMovieColouring({MovieColourMode::Popularity, -1});
        QVERIFY(panel.movieMapView()->figure().pointValues() ==
                movieValues(*genrePrior_.dataset).ratingCount);
        QCOMPARE(panel.genreMap().source, GenreSource::Theta);
        QCOMPARE(panel.movieMapView()->pointCount(),
                 static_cast<int>(genrePrior_.dataset->movieCount()));
        // One point per genre with movies, labelled with distinct genre names.
        const int expected = genresWithMovies(*genrePrior_.dataset);
        QCOMPARE(panel.genreMapView()->pointCount(), expected);
        std::set<QString> names;
        for (const auto& g : panel.genreMapView()->genres()) {
            QVERIFY(g.movies > 0);
            names.insert(g.name);
        }
        QCOMPARE(static_cast<int>(names.size()), expected);
        QCOMPARE(panel.heatmapView()->dimension(), expected);
        QCOMPARE(panel.nearestGenreList()->model()->rowCount(), expected);
        // Axis titles carry the explained variance of PCA.
        QVERIFY(panel.genreMapView()->xAxisTitle().contains(QStringLiteral("of variance")));
        QVERIFY(panel.genreMap().explainedVarianceRatio[0] >=
                panel.genreMap().explainedVarianceRatio[1]);
        // The heat map shows the cosine matrix of the full space.
        QCOMPARE(panel.heatmapView()->value(0, 1),
                 static_cast<double>(panel.genreMap().similarity(0, 1)));
        // The planted pair Children / Animation: nearest of one another.
        const QModelIndex row = genreRow(panel.nearestGenreList(), QStringLiteral("Children"));
        const QString children = row.siblingAtColumn(2).data().toString();
        QVERIFY2(children.startsWith(QStringLiteral("Animation")), qPrintable(children));
    }

    void fillsFromPlainAlsWithCentroids() {
        ModelLibrary library;
        MapPanel panel(nullptr, &library);
        MapPanel::Settings settings = panel.settings();
        settings.source = GenreSource::Theta;  // not available: falls back to centroids
        panel.setSettings(settings);
        library.add({"als", "als", als_.model, als_.dataset, {}});
        library.setActive("als");
        QTRY_VERIFY_WITH_TIMEOUT(
            panel.runState() == MapPanel::RunState::Idle && panel.movieLayout().rows() > 0, 20000);
        QCOMPARE(panel.genreMap().source, GenreSource::Centroids);
        QCOMPARE(panel.genreMapView()->pointCount(), genresWithMovies(*als_.dataset));

        // Synchronous fill with the other sources.
        for (GenreSource source : {GenreSource::WeightedCentroids, GenreSource::Movies}) {
            settings.source = source;
            panel.setSettings(settings);
            QString error;
            QVERIFY2(panel.fillFromModel(als_.model, als_.dataset, "ALS", &error),
                     qPrintable(error));
            QCOMPARE(panel.genreMap().source, source);
            QCOMPARE(panel.genreMapView()->pointCount(), genresWithMovies(*als_.dataset));
        }
        // A model that does not match the dataset is refused with a message.
        QString error;
        const auto other =
            std::make_shared<const Dataset>(generateSyntheticDataset({5000, 0, 0, 9, false, 0}));
        QVERIFY(!panel.fillFromModel(genrePrior_.model, other, "x", &error));
        QVERIFY(!error.isEmpty());
    }

    // The search field's completions (every title) are filled on its first focus after a model is
    // prepared, not while it is (87k titles on the GUI thread as training ends at ML-32M).
    void searchCompletionsFillOnFocus() {
        MapPanel panel(nullptr, nullptr);
        QLineEdit* search = nullptr;
        for (auto* edit : panel.findChildren<QLineEdit*>())
            if (edit->completer()) search = edit;
        QVERIFY(search);
        QAbstractItemModel* titles = search->completer()->model();
        QFocusEvent focusIn(QEvent::FocusIn, Qt::TabFocusReason);
        for (const Trained* t : {&als_, &genrePrior_}) {
            QString error;
            QVERIFY2(panel.fillFromModel(t->model, t->dataset, "m", &error), qPrintable(error));
            QCOMPARE(titles->rowCount(), 0);
            QApplication::sendEvent(search, &focusIn);
            QCOMPARE(titles->rowCount(), static_cast<int>(t->dataset->movieCount()));
            QCOMPARE(titles->index(0, 0).data().toString(),
                     QString::fromStdString(t->dataset->titles.front()));
        }
    }

    // The nearest-genres list sorts by number (not text) and still marks the right genre; the
    // list beside the movie map explains itself while empty; both copy with Ctrl+C.
    void genreListSortsAndMovieListExplainsItself() {
        MapPanel panel(nullptr, nullptr);
        panel.resize(1200, 800);
        QString error;
        QVERIFY2(panel.fillFromModel(genrePrior_.model, genrePrior_.dataset, "GP", &error),
                 qPrintable(error));
        QTreeView* genres = panel.nearestGenreList();
        QAbstractItemModelTester tester(panel.nearestGenreModel(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(genres->isSortingEnabled());
        QVERIFY(genres->header()->stretchLastSection());
        auto hasCopyAction = [](QWidget* w) {
            for (QAction* a : w->actions())
                if (a->shortcut() == QKeySequence(QKeySequence::Copy)) return true;
            return false;
        };
        QVERIFY(hasCopyAction(genres));
        QVERIFY(hasCopyAction(panel.nearestMovieList()));

        // Movies column, descending: counts as numbers (text order would put "99" above "100").
        genres->sortByColumn(1, Qt::DescendingOrder);
        const auto& points = panel.genreMapView()->genres();
        const int rows = genres->model()->rowCount();
        auto moviesOf = [&](int row) {
            for (const auto& p : points)
                if (p.name == cell(genres, row, 0)) return p.movies;
            return -1;
        };
        QCOMPARE(rows, static_cast<int>(points.size()));
        int largest = 0;
        for (const auto& p : points) largest = std::max(largest, p.movies);
        QCOMPARE(moviesOf(0), largest);
        for (int i = 1; i < rows; ++i) QVERIFY(moviesOf(i - 1) >= moviesOf(i));
        // Selecting a sorted row marks that genre, and clicking a genre selects its row.
        genres->setCurrentIndex(genres->model()->index(2, 0));
        const int marked = panel.genreMapView()->highlightedGenre();
        QVERIFY(marked >= 0);
        QCOMPARE(points[static_cast<std::size_t>(marked)].name, cell(genres, 2, 0));
        emit panel.genreMapView()->genreClicked(marked == 0 ? 1 : 0);
        QCOMPARE(genres->currentIndex().siblingAtColumn(0).data().toString(),
                 points[marked == 0 ? 1 : 0].name);
        // The full nearest-genres text is in the tooltip of its (elided) cell.
        QVERIFY(cell(genres, 2, 2, Qt::ToolTipRole).contains(cell(genres, 2, 2)));

        // The movie list: a placeholder while empty, drawn in the viewport; gone once filled.
        QListWidget* movies = panel.nearestMovieList();
        QCOMPARE(movies->count(), 0);
        auto* tabs = panel.findChild<QTabWidget*>();
        QVERIFY(tabs);
        tabs->setCurrentIndex(1);  // Movies
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        QVERIFY(movies->width() > 100 && movies->height() > 100);
        auto inkPixels = [movies] {
            // The list inside its frame (grab() lays the list out at its size first).
            const QImage image = movies->grab().toImage();
            const QRgb base = movies->palette().color(QPalette::Base).rgb();
            int ink = 0;
            for (int y = 10; y < image.height() - 10; ++y)
                for (int x = 10; x < image.width() - 10; ++x) ink += image.pixel(x, y) != base;
            return ink;
        };
        QVERIFY2(inkPixels() > 50, "no placeholder text drawn in the empty list");
        const QString shots = qEnvironmentVariable("LENS_ATLAS_TEST_SHOTS");
        if (!shots.isEmpty()) {
            panel.grab().toImage().save(
                QDir(shots).filePath(QStringLiteral("map-movies-empty.png")));
            tabs->setCurrentIndex(0);
            panel.grab().toImage().save(QDir(shots).filePath(QStringLiteral("map-genres.png")));
            tabs->setCurrentIndex(1);
        }
        QVERIFY(panel.searchMovie(QString::fromStdString(genrePrior_.dataset->titles[123])));
        QCOMPARE(movies->count(), 10);
    }

    void movieMapRenders27kPointsHoverAndZoom() {
        // A synthetic release with 27,000 movies (ML-20M's catalogue size).
        SyntheticConfig config;
        config.ratings = 150000;
        config.movies = 27000;
        config.tags = false;
        const Trained big = train(config, false, 8, 2);
        MapPanel panel(nullptr, nullptr);
        panel.resize(1400, 900);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        QString error;
        QVERIFY2(panel.fillFromModel(big.model, big.dataset, "ALS", &error), qPrintable(error));
        MovieMapView* map = panel.movieMapView();
        QCOMPARE(map->pointCount(), 27000);
        QCOMPARE(map->shownPointCount(), 27000);
        // Show the movie tab and render: many pixels in genre colours.
        panel.findChild<QTabWidget*>()->setCurrentIndex(1);
        QApplication::processEvents();
        QVERIFY(map->width() > 300 && map->height() > 200);
        const QImage image = map->grab().toImage().convertToFormat(QImage::Format_RGB32);
        const QRgb base = map->palette().color(QPalette::Base).rgb();
        int painted = 0;
        for (int y = 0; y < image.height(); ++y)
            for (int x = 0; x < image.width(); ++x)
                painted += (image.pixel(x, y) | 0xff000000U) != (base | 0xff000000U);
        QVERIFY2(painted > 5000, qPrintable(QString::number(painted)));
        QVERIFY(imageHasContent(image, 10));
        // The card's Export button keeps clear of the legend (drawn top right on the map).
        bool cardFound = false;
        for (const FigureCard* card : panel.findChildren<FigureCard*>()) {
            if (card->figureWidget() != map) continue;
            cardFound = true;
            const QWidget* button = card->exportButton();
            QVERIFY(button->isVisible());
            const QRectF onMap(map->mapFrom(card, button->geometry().topLeft()), button->size());
            int listed = 0;
            for (int c = 0; c < 64; ++c) {
                const QRectF entry = map->legendEntryRect(c);
                if (entry.isEmpty()) continue;
                ++listed;
                QVERIFY2(!entry.intersects(onMap), qPrintable(QString::number(c)));
            }
            QVERIFY(listed >= 2);  // the chosen genre and the other genres
        }
        QVERIFY(cardFound);

        // Hover: move onto a movie; the hovered index is that movie (or one drawn at the same
        // spot) and the tooltip names it with year, genres and ratings.
        int target = -1;
        for (int i = 0; i < map->pointCount() && target < 0; i += 97) {
            const QPointF p = map->mapToWidget(map->pointPosition(i));
            if (QRectF(map->rect()).adjusted(20, 20, -300, -20).contains(p) &&
                map->pointAt(p, 0.01) == i)
                target = i;
        }
        QVERIFY(target >= 0);
        QSignalSpy hovered(map, &MovieMapView::hoveredIndexChanged);
        sendMove(*map, map->mapToWidget(map->pointPosition(target)));
        QCOMPARE(map->hoveredIndex(), target);
        const QString tip = map->tooltipText(target);
        QVERIFY(tip.contains(
            QString::fromStdString(big.dataset->titles[static_cast<std::size_t>(target)])
                .toHtmlEscaped()));
        QVERIFY(tip.contains(QStringLiteral("ratings")));

        // Wheel zoom in: the visible range shrinks by the wheel factor around the cursor.
        const QRectF before = map->visibleDataRect();
        sendWheel(*map, QPointF(map->width() / 2.0, map->height() / 2.0), 240);
        const QRectF after = map->visibleDataRect();
        QVERIFY(after.width() < before.width() / 1.4);
        QVERIFY(std::abs(after.width() * 1.44 - before.width()) < 1e-6 * before.width() + 1e-9);
        // Reset view restores it.
        map->resetView();
        QVERIFY(std::abs(map->visibleDataRect().width() - before.width()) <
                1e-9 + 1e-6 * before.width());
    }

    void colourControlsRecolourTheMovieMap() {
        MapPanel panel(nullptr, nullptr);
        panel.resize(1200, 800);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        QString error;
        QVERIFY(panel.fillFromModel(genrePrior_.model, genrePrior_.dataset, "GP", &error));
        MovieMapView* map = panel.movieMapView();
        MovieColourControls* controls = panel.movieColourControls();
        QComboBox* mode = controls->modeCombo();
        QComboBox* genre = controls->genreCombo();
        QVERIFY(!mode->toolTip().isEmpty());
        QVERIFY(!genre->toolTip().isEmpty());
        QVERIFY(mode->focusPolicy() & Qt::TabFocus);
        QVERIFY(genre->focusPolicy() & Qt::TabFocus);
        // Default: the most frequent genre against the rest, said in the legend.
        const Dataset& dataset = *genrePrior_.dataset;
        const int most = mostFrequentGenre(dataset.genres);
        QCOMPARE(panel.movieColouring().mode, MovieColourMode::Genre);
        QCOMPARE(panel.movieColouring().genre, most);
        QCOMPARE(genre->count(), genresWithMovies(dataset));
        QVERIFY(genre->isEnabled());
        QVERIFY(map->legendTitle().contains(genreName(most)));
        QVERIFY(map->legendTitle().contains(QStringLiteral("most frequent")));
        const QPalette palette = map->palette();
        int first = -1;
        for (int i = 0; i < map->pointCount() && first < 0; ++i)
            if (hasGenre(dataset.genres[static_cast<std::size_t>(i)], most)) first = i;
        QVERIFY(first >= 0);
        QCOMPARE(map->figure().pointColor(first, palette), chosenGenreColor());

        // Keyboard: Down on the focused mode combo picks popularity; the map recolours at once
        // (no new layout) and the genre list is disabled.
        panel.findChild<QTabWidget*>()->setCurrentIndex(1);
        mode->setFocus();
        const QPointF before = map->pointPosition(first);
        QSignalSpy changed(controls, &MovieColourControls::colouringChanged);
        QTest::keyClick(mode, Qt::Key_Down);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(panel.movieColouring().mode, MovieColourMode::Popularity);
        QVERIFY(map->legendTitle().contains(QStringLiteral("popularity")));
        QVERIFY(map->figure().hasPointValues());
        QVERIFY(!genre->isEnabled());
        QCOMPARE(map->pointPosition(first), before);
        QTest::keyClick(mode, Qt::Key_Down);
        QVERIFY(map->legendTitle().contains(QStringLiteral("mean rating")));
        QTest::keyClick(mode, Qt::Key_Down);
        QVERIFY(map->legendTitle().contains(QStringLiteral("release year")));

        // Another genre: its name in the legend, without "most frequent", its movies strong.
        panel.setMovieColouring({MovieColourMode::Genre, -1});
        const int other = genre->itemData(genre->currentIndex() == 0 ? 1 : 0).toInt();
        genre->setCurrentIndex(genre->findData(other));
        QCOMPARE(panel.movieColouring().genre, other);
        QVERIFY(map->legendTitle().contains(genreName(other)));
        QVERIFY(!map->legendTitle().contains(QStringLiteral("most frequent")));
        for (int i = 0; i < map->pointCount(); i += 53)
            QCOMPARE(map->figure().pointColor(i, palette) == chosenGenreColor(),
                     hasGenre(dataset.genres[static_cast<std::size_t>(i)], other));
        // The picked genre is kept by a re-run of the maps.
        QVERIFY(panel.fillFromModel(genrePrior_.model, genrePrior_.dataset, "GP", &error));
        QCOMPARE(panel.movieColouring().genre, other);
        QVERIFY(map->legendTitle().contains(genreName(other)));
    }

    void searchFilterAndPersonaOverlay() {
        MapPanel panel(nullptr, nullptr);
        QString error;
        QVERIFY(panel.fillFromModel(genrePrior_.model, genrePrior_.dataset, "GP", &error));
        const Dataset& dataset = *genrePrior_.dataset;
        const QString title = QString::fromStdString(dataset.titles[123]);
        QCOMPARE(panel.findMovie(title), 123);
        QVERIFY(panel.searchMovie(title));
        QCOMPARE(panel.movieMapView()->highlightedIndex(), 123);
        QCOMPARE(panel.nearestMovieTitles().size(), 10);
        QVERIFY(!panel.nearestMovieTitles().contains(title));
        QVERIFY(!panel.searchMovie(QStringLiteral("no such title zzzz")));
        QCOMPARE(panel.movieMapView()->highlightedIndex(), -1);

        // Minimum ratings: only movies with at least 30 ratings stay.
        panel.setMinimumRatings(30);
        MovieMapView* map = panel.movieMapView();
        int expected = 0;
        for (std::size_t i = 0; i < dataset.movieCount(); ++i)
            expected += dataset.byMovie.rowSize(i) >= 30;
        QCOMPARE(map->shownPointCount(), expected);
        QVERIFY(expected > 0 && expected < map->pointCount());

        // Persona overlay by release ids; unknown ids are ignored; kept across re-runs.
        const QList<qint64> rated = {dataset.movieIds[1], dataset.movieIds[2], 99999999};
        const QList<qint64> top = {dataset.movieIds[5], dataset.movieIds[6], dataset.movieIds[7]};
        panel.setPersonaOverlay(rated, top);
        QCOMPARE(map->overlay(MovieMapView::PersonaRatedOverlay).indices, (std::vector<int>{1, 2}));
        QCOMPARE(map->overlay(MovieMapView::TopRankedOverlay).indices, (std::vector<int>{5, 6, 7}));
        QVERIFY(panel.fillFromModel(genrePrior_.model, genrePrior_.dataset, "GP", &error));
        QCOMPARE(map->overlay(MovieMapView::TopRankedOverlay).indices.size(), std::size_t{3});
        panel.setPersonaOverlay({}, {});
        QVERIFY(map->overlay(MovieMapView::TopRankedOverlay).indices.empty());
    }

    void tsneAnimatesPausesAndStops() {
        ModelLibrary library;
        MapPanel panel(nullptr, &library);
        MapPanel::Settings settings = panel.settings();
        settings.projection.method = ProjectionMethod::Tsne;
        settings.projection.tsne.iterations = 10000;  // long: only Stop ends it within the test
        settings.projection.tsne.perplexity = 20;
        panel.setSettings(settings);
        QSignalSpy updated(&panel, &MapPanel::mapsUpdated);
        library.add({"gp", "genre prior", genrePrior_.model, genrePrior_.dataset, {}});
        library.setActive("gp");
        QCOMPARE(panel.runState(), MapPanel::RunState::Running);
        // Intermediate layouts arrive while it runs (the map animates).
        QTRY_VERIFY_WITH_TIMEOUT(panel.tsneIteration() > 0, 30000);
        QTRY_VERIFY_WITH_TIMEOUT(updated.count() >= 3, 30000);
        QCOMPARE(panel.movieLayout().rows(),
                 static_cast<Eigen::Index>(genrePrior_.dataset->movieCount()));
        QVERIFY(panel.genreMapView()->yAxisTitle().startsWith(QStringLiteral("t-SNE")));
        panel.pauseAction()->trigger();  // Pause: no new layouts once the worker is held
        QCOMPARE(panel.runState(), MapPanel::RunState::Paused);
        QTRY_VERIFY_WITH_TIMEOUT(panel.tsneWorkerHeld(), 30000);
        QCoreApplication::processEvents();  // the layouts posted before it was held
        const int frozen = panel.tsneIteration();
        QCoreApplication::processEvents();
        QCOMPARE(panel.tsneIteration(), frozen);
        // Resume: more iterations.
        panel.pauseAction()->trigger();
        QCOMPARE(panel.runState(), MapPanel::RunState::Running);
        QTRY_VERIFY_WITH_TIMEOUT(panel.tsneIteration() > frozen, 30000);
        // Stop: ends with the layout reached so far.
        panel.stopAction()->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(panel.runState(), MapPanel::RunState::Idle, 30000);
        QVERIFY(panel.tsneIteration() < 10000);
        QVERIFY(panel.movieLayout().allFinite());
    }

    // A new run supersedes a paused t-SNE: the paused worker is woken through its job's stop
    // token, its late layouts and result are dropped, and the new (PCA) maps are shown.
    void newRunSupersedesAPausedTsne() {
        ModelLibrary library;
        MapPanel panel(nullptr, &library);
        MapPanel::Settings settings = panel.settings();
        settings.projection.method = ProjectionMethod::Tsne;
        settings.projection.tsne.iterations = 10000;
        settings.projection.tsne.perplexity = 20;
        panel.setSettings(settings);
        library.add({"gp", "genre prior", genrePrior_.model, genrePrior_.dataset, {}});
        library.setActive("gp");
        QTRY_VERIFY_WITH_TIMEOUT(panel.tsneIteration() > 0, 30000);
        panel.pauseAction()->trigger();
        QCOMPARE(panel.runState(), MapPanel::RunState::Paused);

        settings.projection.method = ProjectionMethod::Pca;
        panel.setSettings(settings);
        QSignalSpy states(&panel, &MapPanel::runStateChanged);
        panel.run();
        QCOMPARE(panel.runState(), MapPanel::RunState::Running);
        QTRY_COMPARE_WITH_TIMEOUT(panel.runState(), MapPanel::RunState::Idle, 30000);
        QCOMPARE(panel.movieExplainedVariance().size(), std::size_t{2});  // PCA, not t-SNE
        QVERIFY(panel.genreMapView()->xAxisTitle().contains(QStringLiteral("of variance")));
        QCOMPARE(panel.tsneIteration(), 0);
        // Nothing of the superseded run arrives afterwards (it would turn the maps into t-SNE's).
        QSignalSpy updated(&panel, &MapPanel::mapsUpdated);
        QVERIFY(!updated.wait(300));
        QCOMPARE(panel.movieExplainedVariance().size(), std::size_t{2});
        QCOMPARE(states.count(), 2);  // Running, Idle
    }

    void exportedFiguresAreNotBlank() {
        MapPanel panel(nullptr, nullptr);
        QString error;
        QVERIFY(panel.fillFromModel(genrePrior_.model, genrePrior_.dataset, "GP", &error));
        const QList<const Figure*> figures = panel.figures();
        QCOMPARE(figures.size(), 3);
        QVERIFY(
            panel.provenance().text().contains(QString::fromStdString(genrePrior_.dataset->name)));
        QVERIFY(panel.provenance().text().contains(QStringLiteral("PCA")));
        FigureExportOptions options;
        options.dpi = 96;
        options.footer = panel.provenance().text();
        const QStringList written = saveAllFigures(
            figures, dir_.path(), {FigureFormat::Png, FigureFormat::Svg, FigureFormat::Pdf},
            options, &error);
        QVERIFY2(written.size() == 9, qPrintable(error));
        for (const Figure* figure : figures) {
            const QImage image(dir_.filePath(figure->figureFileStem() + ".png"));
            QVERIFY(!image.isNull());
            QVERIFY2(imageHasContent(image, 8), qPrintable(figure->figureFileStem()));
            // White export background whatever the screen palette.
            QCOMPARE(QColor(image.pixel(2, 2)), QColor(Qt::white));
            QVERIFY(QFileInfo(dir_.filePath(figure->figureFileStem() + ".svg")).size() > 2000);
            QVERIFY(QFileInfo(dir_.filePath(figure->figureFileStem() + ".pdf")).size() > 1000);
        }
        // The movie map export really has its points: many non-white pixels in genre colours.
        const QImage movies(dir_.filePath("movie-map.png"));
        int coloured = 0;
        for (int y = 0; y < movies.height(); y += 2)
            for (int x = 0; x < movies.width(); x += 2) {
                const QColor c(movies.pixel(x, y));
                coloured += c.saturation() > 80;
            }
        QVERIFY2(coloured > 500, qPrintable(QString::number(coloured)));
    }

    // Both maps' export menus offer their 2D coordinates as CSV: one row per movie (the
    // panel's layout, in dataset order) and per genre; nothing to write before a map exists.
    void coordinatesExport() {
        MapPanel panel(nullptr, nullptr);
        QString error;
        QVERIFY(!panel.exportCoordinates(true, dir_.filePath("none.csv"), &error));
        QVERIFY(error.contains(QStringLiteral("no map")));
        int entries = 0;
        for (const QAction* a : panel.findChildren<QAction*>())
            entries += a->text() == QStringLiteral("Export coordinates (CSV)…");
        QCOMPARE(entries, 2);
        QVERIFY(panel.fillFromModel(genrePrior_.model, genrePrior_.dataset, "GP", &error));
        const QString movies = dir_.filePath("movies.csv"), genres = dir_.filePath("genres.csv");
        QVERIFY2(panel.exportCoordinates(true, movies, &error), qPrintable(error));
        QVERIFY2(panel.exportCoordinates(false, genres, &error), qPrintable(error));
        QFile m(movies);
        QVERIFY(m.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = m.readAll().split('\n');
        QCOMPARE(lines.size() - 2, static_cast<qsizetype>(genrePrior_.dataset->movieCount()));
        for (const qsizetype row : {qsizetype{0}, lines.size() / 3}) {
            const QList<QByteArray> f = lines[row + 1].split(',');  // x, y are the last fields
            QCOMPARE(f.first().toLongLong(), genrePrior_.dataset->movieIds[std::size_t(row)]);
            QCOMPARE(f[f.size() - 2].toFloat(), panel.movieLayout()(row, 0));
            QCOMPARE(f.last().toFloat(), panel.movieLayout()(row, 1));
        }
        QFile g(genres);
        QVERIFY(g.open(QIODevice::ReadOnly));
        QCOMPARE(g.readAll().count('\n') - 1, panel.genreMapView()->pointCount());
    }
};

QTEST_MAIN(TestMapPanel)
#include "tst_map_panel.moc"
