// The Map stage's computation (engine/projection/MapComputation): both maps from plain vectors.
//
// Exact cases: six hand-placed movies in 2D. In two dimensions PCA is a rigid motion (centre,
// rotate, maybe reflect), so every pairwise distance of a PCA layout equals the distance of the
// input vectors, and the explained variance is the closed-form eigenvalue ratio of a 2 x 2
// covariance. Genre centroids, their cosines and nearest genres are computed by hand below, not
// by the engine. t-SNE: the movie map must be exactly runTsne's layout for the same settings
// (whatever is watching), the observer sees the genre map and then every report, and a stop
// through the observer or the TsneControl keeps the layout reached so far.
#include <QtTest>

#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <thread>

#include "data/Dataset.h"
#include "data/Split.h"
#include "models/GenrePriorAls.h"
#include "models/TrainData.h"
#include "projection/MapComputation.h"
#include "projection/Tsne.h"
#include "projection/TsneControl.h"
#include "synth/SyntheticGenerator.h"
#include "util/Errors.h"
#include "util/Random.h"

using namespace lens;

namespace {

using Vec2 = std::array<double, 2>;

GenreMask genresOf(std::initializer_list<int> ids) {
    GenreMask mask = 0;
    for (int g : ids) mask |= GenreMask{1} << g;
    return mask;
}

// Six movies, genres 0, 1, 2 and 4 carry movies (genre 3 and the others none).
//   m0 (2, 0) {0}    m1 (4, 0) {0, 1}    m2 (0, 2) {1}
//   m3 (0, 4) {2}    m4 (-2, -2) {4}     m5 (-4, 0) {4}
MapInput handInput() {
    MapInput input;
    input.movieVectors.resize(6, 2);
    input.movieVectors << 2, 0, 4, 0, 0, 2, 0, 4, -2, -2, -4, 0;
    input.movieGenres = {genresOf({0}), genresOf({0, 1}), genresOf({1}),
                         genresOf({2}), genresOf({4}),    genresOf({4})};
    input.popularity = {1, 3, 1, 5, 2, 2};
    return input;
}

const std::vector<int> kListedGenres = {0, 1, 2, 4};
const std::vector<int> kMovieCounts = {2, 2, 1, 2};
// Plain centroids: g0 = mean(m0, m1), g1 = mean(m1, m2), g2 = m3, g4 = mean(m4, m5).
const std::vector<Vec2> kCentroids = {{3, 0}, {2, 1}, {0, 4}, {-3, -1}};
// Weighted by popularity: g0 = (1 m0 + 3 m1) / 4, g1 = (3 m1 + 1 m2) / 4, g2 = m3,
// g4 = (2 m4 + 2 m5) / 4.
const std::vector<Vec2> kWeightedCentroids = {{3.5, 0}, {3, 0.5}, {0, 4}, {-3, -1}};

double cosine(const Vec2& a, const Vec2& b) {
    return (a[0] * b[0] + a[1] * b[1]) / std::hypot(a[0], a[1]) / std::hypot(b[0], b[1]);
}

// Each row's other rows by descending cosine (ties by lower index).
std::vector<std::vector<int>> nearestByHand(const std::vector<Vec2>& v) {
    std::vector<std::vector<int>> nearest(v.size());
    for (std::size_t i = 0; i < v.size(); ++i) {
        for (std::size_t j = 0; j < v.size(); ++j)
            if (j != i) nearest[i].push_back(static_cast<int>(j));
        std::stable_sort(nearest[i].begin(), nearest[i].end(), [&](int a, int b) {
            return cosine(v[i], v[static_cast<std::size_t>(a)]) >
                   cosine(v[i], v[static_cast<std::size_t>(b)]);
        });
    }
    return nearest;
}

// Fractions of variance of the two principal axes of 2D points, from the closed-form
// eigenvalues (a + c) / 2 +- sqrt(((a - c) / 2)^2 + b^2) of the covariance [[a, b], [b, c]].
std::array<double, 2> explainedVarianceByHand(const std::vector<Vec2>& points) {
    double mx = 0, my = 0;
    for (const Vec2& p : points) mx += p[0], my += p[1];
    mx /= points.size();
    my /= points.size();
    double a = 0, b = 0, c = 0;
    for (const Vec2& p : points) {
        a += (p[0] - mx) * (p[0] - mx);
        b += (p[0] - mx) * (p[1] - my);
        c += (p[1] - my) * (p[1] - my);
    }
    const double root = std::sqrt((a - c) * (a - c) / 4.0 + b * b);
    const double l1 = (a + c) / 2.0 + root, l2 = (a + c) / 2.0 - root;
    return {l1 / (l1 + l2), l2 / (l1 + l2)};
}

std::vector<Vec2> pointsOf(const EmbeddingMatrix& m) {
    std::vector<Vec2> rows;
    for (Eigen::Index i = 0; i < m.rows(); ++i) rows.push_back({m(i, 0), m(i, 1)});
    return rows;
}

// Largest difference between the pairwise distances of two point sets of equal size.
double distanceMismatch(const std::vector<Vec2>& a, const std::vector<Vec2>& b) {
    double worst = 0.0;
    for (std::size_t i = 0; i < a.size(); ++i)
        for (std::size_t j = i + 1; j < a.size(); ++j)
            worst = std::max(worst, std::abs(std::hypot(a[i][0] - a[j][0], a[i][1] - a[j][1]) -
                                             std::hypot(b[i][0] - b[j][0], b[i][1] - b[j][1])));
    return worst;
}

// 3 clusters of 40 points in 6D, each movie carrying the genre of its cluster (0, 1 or 2).
MapInput clusteredInput() {
    Pcg32 random(5);
    MapInput input;
    input.movieVectors.resize(120, 6);
    for (int i = 0; i < 120; ++i) {
        const int cluster = i / 40;
        for (int j = 0; j < 6; ++j)
            input.movieVectors(i, j) =
                static_cast<float>((j == cluster ? 8.0 : 0.0) + random.normal());
        input.movieGenres.push_back(genresOf({cluster}));
    }
    return input;
}

MapConfig tsneConfig(int iterations) {
    MapConfig config;
    config.source = GenreSource::Centroids;
    config.projection.method = ProjectionMethod::Tsne;
    config.projection.tsne.iterations = iterations;
    config.projection.tsne.perplexity = 10;
    config.projection.tsne.seed = 11;
    return config;
}

}  // namespace

class TestMapComputation : public QObject {
    Q_OBJECT

private slots:
    void centroidsWithPcaMatchTheHandAnswer_data() {
        QTest::addColumn<int>("source");
        QTest::newRow("centroids") << static_cast<int>(GenreSource::Centroids);
        QTest::newRow("weighted") << static_cast<int>(GenreSource::WeightedCentroids);
    }

    void centroidsWithPcaMatchTheHandAnswer() {
        QFETCH(int, source);
        const auto genreSource = static_cast<GenreSource>(source);
        const std::vector<Vec2>& expected =
            genreSource == GenreSource::Centroids ? kCentroids : kWeightedCentroids;
        MapConfig config;
        config.source = genreSource;
        const MapInput input = handInput();
        const MapResult result = computeMaps(input, config);
        const GenreMap& map = result.genreMap;

        QCOMPARE(map.source, genreSource);
        QCOMPARE(map.genres.genres, kListedGenres);
        QCOMPARE(map.genres.movieCount, kMovieCounts);
        QCOMPARE(map.genres.vectors.rows(), 4);
        for (std::size_t r = 0; r < expected.size(); ++r)
            for (int c = 0; c < 2; ++c)
                QVERIFY(std::abs(map.genres.vectors(static_cast<Eigen::Index>(r), c) -
                                 expected[r][static_cast<std::size_t>(c)]) < 1e-6);
        // Cosines and nearest genres in the full space.
        const auto nearest = nearestByHand(expected);
        QCOMPARE(map.nearest.size(), std::size_t{4});
        for (std::size_t r = 0; r < 4; ++r) {
            QCOMPARE(map.nearest[r].size(), std::size_t{3});
            for (std::size_t k = 0; k < 3; ++k) {
                QCOMPARE(map.nearest[r][k].index, nearest[r][k]);
                QVERIFY(std::abs(map.nearest[r][k].similarity -
                                 cosine(expected[r],
                                        expected[static_cast<std::size_t>(nearest[r][k])])) < 1e-6);
            }
            for (std::size_t c = 0; c < 4; ++c)
                QVERIFY(std::abs(map.similarity(static_cast<Eigen::Index>(r),
                                                static_cast<Eigen::Index>(c)) -
                                 cosine(expected[r], expected[c])) < 1e-6);
        }
        // The genre map: a rigid motion of the centroids, with the closed-form variances.
        QCOMPARE(map.layout.rows(), 4);
        QVERIFY(distanceMismatch(pointsOf(map.layout), expected) < 1e-5);
        const auto variance = explainedVarianceByHand(expected);
        QCOMPARE(map.explainedVarianceRatio.size(), std::size_t{2});
        QVERIFY(std::abs(map.explainedVarianceRatio[0] - variance[0]) < 1e-6);
        QVERIFY(std::abs(map.explainedVarianceRatio[1] - variance[1]) < 1e-6);
        QVERIFY(map.movieLayout.rows() == 0);  // only the Movies source keeps one

        // The movie map: a rigid motion of the movie vectors.
        const std::vector<Vec2> movies = pointsOf(input.movieVectors);
        QCOMPARE(result.movieLayout.rows(), 6);
        QVERIFY(distanceMismatch(pointsOf(result.movieLayout), movies) < 1e-5);
        const auto movieVariance = explainedVarianceByHand(movies);
        QVERIFY(std::abs(result.movieExplainedVariance[0] - movieVariance[0]) < 1e-6);
        QVERIFY(std::abs(result.movieExplainedVariance[1] - movieVariance[1]) < 1e-6);
        QCOMPARE(result.tsneIterations, 0);
        QCOMPARE(result.totalIterations, 0);
        QVERIFY(!result.stoppedEarly);
    }

    void moviesSourcePlacesGenresAtTheirMoviesMean() {
        MapConfig config;
        config.source = GenreSource::Movies;
        const MapResult result = computeMaps(handInput(), config);
        const GenreMap& map = result.genreMap;
        QCOMPARE(map.source, GenreSource::Movies);
        QCOMPARE(map.genres.genres, kListedGenres);
        // Numbers from the plain centroids.
        for (std::size_t r = 0; r < 4; ++r)
            QVERIFY(std::abs(map.similarity(static_cast<Eigen::Index>(r), 0) -
                             cosine(kCentroids[r], kCentroids[0])) < 1e-6);
        // Positions: the mean of each genre's movies on the movie map.
        const std::vector<std::vector<int>> moviesOf = {{0, 1}, {1, 2}, {3}, {4, 5}};
        for (std::size_t r = 0; r < 4; ++r) {
            Vec2 mean{0, 0};
            for (int m : moviesOf[r]) {
                mean[0] += result.movieLayout(m, 0) / static_cast<double>(moviesOf[r].size());
                mean[1] += result.movieLayout(m, 1) / static_cast<double>(moviesOf[r].size());
            }
            QVERIFY(std::abs(map.layout(static_cast<Eigen::Index>(r), 0) - mean[0]) < 1e-5);
            QVERIFY(std::abs(map.layout(static_cast<Eigen::Index>(r), 1) - mean[1]) < 1e-5);
        }
        // A rigid motion of the movies: the genre positions keep the centroids' distances.
        QVERIFY(distanceMismatch(pointsOf(map.layout), kCentroids) < 1e-5);
        QCOMPARE(map.explainedVarianceRatio, result.movieExplainedVariance);
        QVERIFY(map.movieLayout == result.movieLayout);
    }

    void thetaTakesTheGenreFactors() {
        MapInput input = handInput();
        input.genreFactors = Eigen::MatrixXf::Zero(kGenreCount, 3);
        for (int g = 0; g < kGenreCount; ++g)
            input.genreFactors.row(g) << static_cast<float>(g + 1), 1.0F, static_cast<float>(g % 3);
        QVERIFY(input.hasGenreFactors());
        MapConfig config;
        config.source = GenreSource::Theta;
        config.nearestGenres = 2;
        const MapResult result = computeMaps(input, config);
        // Only genres with movies, each with its own theta row.
        QCOMPARE(result.genreMap.genres.genres, kListedGenres);
        for (std::size_t r = 0; r < kListedGenres.size(); ++r)
            QVERIFY(result.genreMap.genres.vectors.row(static_cast<Eigen::Index>(r)) ==
                    EmbeddingMatrix(input.genreFactors.row(kListedGenres[r])));
        QCOMPARE(result.genreMap.nearest[0].size(), std::size_t{2});
        // Without genre factors, Theta is refused.
        config.source = GenreSource::Theta;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, computeMaps(handInput(), config));
    }

    void badInputIsRefused() {
        MapConfig config;
        config.source = GenreSource::Centroids;
        MapInput input = handInput();
        input.movieGenres.pop_back();  // 5 masks for 6 movies
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, computeMaps(input, config));
        input = handInput();
        input.movieGenres.assign(6, genresOf({7}));  // one genre only
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, computeMaps(input, config));
        input = handInput();
        input.popularity.clear();
        config.source = GenreSource::WeightedCentroids;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, computeMaps(input, config));
    }

    void tsneMovieMapIsRunTsneWhateverWatches() {
        const MapInput input = clusteredInput();
        const MapConfig config = tsneConfig(300);
        const TsneResult reference = runTsne(input.movieVectors, config.projection.tsne);

        // Unwatched.
        const MapResult plain = computeMaps(input, config);
        QVERIFY(plain.movieLayout == reference.layout);
        QCOMPARE(plain.tsneIterations, 300);
        QCOMPARE(plain.totalIterations, 300);
        QVERIFY(plain.movieExplainedVariance.empty());
        QVERIFY(plain.genreMap.explainedVarianceRatio.empty());
        QCOMPARE(plain.genreMap.layout.rows(), 3);

        // Watched: the genre map first, then every t-SNE report with its layout.
        std::vector<MapProgress::Stage> stages;
        std::vector<int> iterations;
        std::vector<double> fractions;
        bool genreMapComplete = false, layoutsComplete = true;
        const MapResult watched = computeMaps(input, config, [&](const MapProgress& p) {
            stages.push_back(p.stage);
            fractions.push_back(p.fraction);
            if (p.stage == MapProgress::Stage::GenreMap)
                genreMapComplete = p.genreMap && p.genreMap->layout.rows() == 3;
            else {
                iterations.push_back(p.iteration);
                layoutsComplete = layoutsComplete && p.movieLayout &&
                                  p.movieLayout->rows() == 120 && p.totalIterations == 300;
            }
            return true;
        });
        QVERIFY(watched.movieLayout == reference.layout);
        QVERIFY(watched.genreMap.layout == plain.genreMap.layout);
        QCOMPARE(stages.front(), MapProgress::Stage::GenreMap);
        QVERIFY(genreMapComplete);
        QVERIFY(layoutsComplete);
        QCOMPARE(static_cast<int>(iterations.size()), 30);  // every 10 iterations
        QCOMPARE(iterations.back(), 300);
        QVERIFY(std::is_sorted(fractions.begin(), fractions.end()));
        QCOMPARE(fractions.back(), 1.0);
        QVERIFY(!watched.stoppedEarly);
    }

    void moviesSourceAnimatesItsGenres() {
        const MapInput input = clusteredInput();
        MapConfig config = tsneConfig(100);
        config.source = GenreSource::Movies;
        int withGenres = 0, genreStageWithoutMap = 0;
        const MapResult result = computeMaps(input, config, [&](const MapProgress& p) {
            if (p.stage == MapProgress::Stage::GenreMap) genreStageWithoutMap += !p.genreMap;
            if (p.stage == MapProgress::Stage::MovieLayout && p.genreMap &&
                p.genreMap->layout.rows() == 3 && p.genreMap->explainedVarianceRatio.empty())
                ++withGenres;
            return true;
        });
        QCOMPARE(genreStageWithoutMap, 1);  // no positions before the movies are placed
        QCOMPARE(withGenres, 10);
        QCOMPARE(result.genreMap.layout.rows(), 3);
    }

    void observerStopKeepsTheLayoutSoFar() {
        const MapInput input = clusteredInput();
        const MapConfig config = tsneConfig(1000);
        const MapResult result = computeMaps(input, config, [](const MapProgress& p) {
            return p.stage == MapProgress::Stage::GenreMap || p.iteration < 50;
        });
        QVERIFY(result.stoppedEarly);
        QCOMPARE(result.tsneIterations, 50);
        QCOMPARE(result.totalIterations, 1000);
        QCOMPARE(result.movieLayout.rows(), 120);
        QVERIFY(result.movieLayout.allFinite());
        // A stop before the movie map began leaves nothing to return.
        QVERIFY_THROWS_EXCEPTION(
            Cancelled, computeMaps(input, config, [](const MapProgress&) { return false; }));
        TsneControl stopped;
        stopped.stop();
        QVERIFY_THROWS_EXCEPTION(Cancelled, computeMaps(input, config, {}, &stopped));
    }

    void controlPausesAndStopsTheMovieMap() {
        const MapInput input = clusteredInput();
        const MapConfig config = tsneConfig(5000);  // paused at iteration 10, then stopped
        TsneControl control;
        control.pause();  // paused before the first report: the worker waits there
        std::atomic<int> reports{0};
        MapResult result;
        std::thread worker([&] {
            result = computeMaps(
                input, config,
                [&](const MapProgress& p) {
                    reports += p.stage == MapProgress::Stage::MovieLayout;
                    return true;
                },
                &control);
        });
        for (int i = 0; i < 1000 && reports.load() == 0; ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        QCOMPARE(reports.load(), 1);
        QCOMPARE(control.lastIteration(), 10);
        control.stop();  // wakes the paused worker, which returns the layout at iteration 10
        worker.join();
        QCOMPARE(reports.load(), 1);  // no report after the pause
        QVERIFY(result.stoppedEarly);
        QCOMPARE(result.tsneIterations, 10);
        QVERIFY(result.movieLayout == control.lastLayout());
    }

    void movieColouringParsesAndNames_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("mode");
        QTest::addColumn<int>("genre");
        QTest::addColumn<QString>("name");
        const int drama = *genreIdFromName("Drama");
        const int children = *genreIdFromName("Children");
        QTest::newRow("genre:Drama")
            << "genre:Drama" << int(MovieColourMode::Genre) << drama << "genre:Drama";
        QTest::newRow("any case") << "GENRE:drama" << int(MovieColourMode::Genre) << drama
                                  << "genre:Drama";
        QTest::newRow("ml-1m spelling")
            << "genre:Children's" << int(MovieColourMode::Genre) << children << "genre:Children";
        QTest::newRow("genre alone") << "genre" << int(MovieColourMode::Genre) << -1 << "genre";
        QTest::newRow("popularity")
            << "popularity" << int(MovieColourMode::Popularity) << -1 << "popularity";
        QTest::newRow("rating") << "rating" << int(MovieColourMode::MeanRating) << -1 << "rating";
        QTest::newRow("year") << "Year" << int(MovieColourMode::Year) << -1 << "year";
    }

    void movieColouringParsesAndNames() {
        QFETCH(QString, text);
        QFETCH(int, mode);
        QFETCH(int, genre);
        QFETCH(QString, name);
        const MovieColouring colouring = parseMovieColouring(text.toStdString());
        QCOMPARE(int(colouring.mode), mode);
        QCOMPARE(colouring.genre, genre);
        QCOMPARE(QString::fromStdString(movieColouringName(colouring)), name);
        QCOMPARE(int(parseMovieColouring(movieColouringName(colouring)).mode), mode);
    }

    void badMovieColouringIsRefused() {
        for (const char* text : {"", "genre:", "genre:Nope", "popular", "genres:Drama", "rating:"})
            QVERIFY_THROWS_EXCEPTION(std::invalid_argument, parseMovieColouring(text));
    }

    void movieValuesAndMostFrequentGenre() {
        SyntheticConfig synthetic;
        synthetic.ratings = 20000;
        synthetic.tags = false;
        const Dataset dataset = generateSyntheticDataset(synthetic);
        const MovieValues values = movieValues(dataset);
        QCOMPARE(values.ratingCount.size(), dataset.movieCount());
        QCOMPARE(values.meanRating.size(), dataset.movieCount());
        QCOMPARE(values.year.size(), dataset.movieCount());
        // Recomputed from the user-major ratings (the engine reads the movie-major copy).
        std::vector<double> sum(dataset.movieCount()), count(dataset.movieCount());
        for (std::size_t u = 0; u < dataset.userCount(); ++u) {
            const auto movies = dataset.byUser.rowIndex(u);
            const auto stars = dataset.byUser.rowHalfStars(u);
            for (std::size_t k = 0; k < movies.size(); ++k) {
                sum[movies[k]] += stars[k] / 2.0;
                count[movies[k]] += 1.0;
            }
        }
        for (std::size_t i = 0; i < dataset.movieCount(); ++i) {
            QCOMPARE(double(values.ratingCount[i]), count[i]);
            if (count[i] == 0.0)
                QVERIFY(std::isnan(values.meanRating[i]));
            else
                QVERIFY(std::abs(values.meanRating[i] - sum[i] / count[i]) < 1e-5);
            if (dataset.years[i] > 0)
                QCOMPARE(values.year[i], float(dataset.years[i]));
            else
                QVERIFY(std::isnan(values.year[i]));
        }
        // The most frequent genre by hand; ties go to the lower id; none without genres.
        std::array<int, kGenreCount> perGenre{};
        for (GenreMask m : dataset.genres)
            for (int g = 0; g < kGenreCount; ++g) perGenre[std::size_t(g)] += hasGenre(m, g);
        const int most = int(std::max_element(perGenre.begin(), perGenre.end()) - perGenre.begin());
        QCOMPARE(mostFrequentGenre(dataset.genres), most);
        QCOMPARE(mostFrequentGenre({genresOf({3, 5}), genresOf({5, 3})}), 3);
        QCOMPARE(mostFrequentGenre({genresOf({7}), genresOf({2, 7}), genresOf({2})}), 2);
        QCOMPARE(mostFrequentGenre({genresOf({}), genresOf({})}), -1);
        MovieColouring unresolved;
        QCOMPARE(resolveMovieColouring(unresolved, dataset.genres).genre, most);
        unresolved.genre = 4;
        QCOMPARE(resolveMovieColouring(unresolved, dataset.genres).genre, 4);
    }

    void inputFromATrainedModel() {
        SyntheticConfig synthetic;
        synthetic.ratings = 20000;
        synthetic.tags = false;
        const Dataset dataset = generateSyntheticDataset(synthetic);
        const TrainData data =
            TrainData::build(dataset, makeSplit(dataset, SplitSpec::parse("per-user:0.1", 3)));
        AlsConfig als;
        als.factors = 6;
        als.iterations = 2;
        als.reportMetrics = false;
        GenrePriorAls model(als);
        model.fit(data);

        const MapInput input = mapInputFrom(model, dataset);
        QVERIFY(input.movieVectors == EmbeddingMatrix(model.itemFactors()));
        QVERIFY(input.hasGenreFactors());
        QCOMPARE(input.movieGenres, dataset.genres);
        QCOMPARE(input.popularity.size(), dataset.movieCount());
        for (std::size_t i = 0; i < dataset.movieCount(); i += 37)
            QCOMPARE(input.popularity[i], static_cast<float>(dataset.byMovie.rowSize(i)));
        // The genre map agrees with the engine's one-call genre map of the model.
        MapConfig config;
        const MapResult result = computeMaps(input, config);
        GenreMapConfig genreConfig;
        const GenreMap direct =
            computeGenreMap(model, dataset.genres, input.popularity, genreConfig);
        QCOMPARE(result.genreMap.genres.genres, direct.genres.genres);
        QVERIFY(result.genreMap.layout == direct.layout);
        QCOMPARE(result.genreMap.explainedVarianceRatio, direct.explainedVarianceRatio);
        QCOMPARE(result.movieLayout.rows(), static_cast<Eigen::Index>(dataset.movieCount()));

        // A dataset with other movies is refused.
        SyntheticConfig other = synthetic;
        other.ratings = 5000;
        other.seed = 9;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 mapInputFrom(model, generateSyntheticDataset(other)));
    }
};

QTEST_APPLESS_MAIN(TestMapComputation)
#include "tst_map_computation.moc"
