// Genre positions of the genre map (engine/projection/GenreCentroids, MapEmbeddings): plain and
// weighted centroids, genre vectors from each source, and the genre-prior ALS's theta recovering
// the related genres planted in the synthetic dataset.
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "data/Genre.h"
#include "data/Split.h"
#include "models/AlsModel.h"
#include "models/GenrePriorAls.h"
#include "models/TrainData.h"
#include "projection/GenreCentroids.h"
#include "projection/MapEmbeddings.h"
#include "synth/SyntheticGenerator.h"
#include "util/Random.h"

using namespace lens;

class TestGenreVectors : public QObject {
    Q_OBJECT

private slots:
    void genreCentroidsPlainAndWeighted();
    void genreVectorsFromEachSource();
    void plantedRelatedGenresAreNearestForGenrePriorTheta();
};

void TestGenreVectors::genreCentroidsPlainAndWeighted() {
    EmbeddingMatrix movies(4, 2);
    movies << 1, 0,  //
        3, 2,        //
        0, 4,        //
        9, 9;
    const GenreMask action = 1U << 0, comedy = 1U << 4;
    const std::vector<GenreMask> masks = {action, action | comedy, comedy, 0U};
    const GenreCentroids plain = genreCentroids(movies, masks);
    QCOMPARE(plain.centroids.rows(), kGenreCount);
    QCOMPARE(plain.movieCount[0], 2);
    QCOMPARE(plain.movieCount[4], 2);
    QCOMPARE(plain.movieCount[1], 0);
    QVERIFY((plain.centroids.row(0) - Eigen::RowVector2f(2, 1)).norm() < 1e-6F);
    QVERIFY((plain.centroids.row(4) - Eigen::RowVector2f(1.5F, 3)).norm() < 1e-6F);
    QVERIFY(plain.centroids.row(1).isZero());  // no Adventure movie

    const std::vector<float> weights = {3, 1, 0, 5};
    const GenreCentroids weighted = genreCentroids(movies, masks, weights);
    QVERIFY((weighted.centroids.row(0) - Eigen::RowVector2f(1.5F, 0.5F)).norm() < 1e-6F);
    QVERIFY((weighted.centroids.row(4) - Eigen::RowVector2f(3, 2)).norm() < 1e-6F);
    QCOMPARE(weighted.totalWeight[0], 4.0);

    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                             genreCentroids(movies, std::vector<GenreMask>{action}));
    const std::vector<float> negative = {1, -1, 1, 1};
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, genreCentroids(movies, masks, negative));
}

void TestGenreVectors::genreVectorsFromEachSource() {
    // A small trained ALS and genre-prior ALS on a planted fixture with genres.
    Pcg32 random(8);
    const std::size_t users = 120, items = 80;
    std::vector<RatingTriplet> train;
    for (std::uint32_t u = 0; u < users; ++u)
        for (std::uint32_t i = 0; i < items; ++i)
            if (random.uniform() < 0.3)
                train.push_back({u, i, static_cast<float>(1 + random.below(9)) * 0.5F});
    std::vector<GenreMask> genres(items);
    for (std::size_t i = 0; i < items; ++i)
        genres[i] = (GenreMask{1} << (i % 5)) | (i % 7 == 0 ? GenreMask{1} << 10 : 0);
    const TrainData data = TrainData::fromTriplets(users, items, train, {}, genres);
    AlsConfig als;
    als.factors = 6;
    als.iterations = 3;
    als.reportMetrics = false;
    AlsModel plain(als);
    plain.fit(data);
    GenrePriorAls prior(als);
    prior.fit(data);
    std::vector<float> popularity(items);
    for (std::size_t i = 0; i < items; ++i)
        popularity[i] = static_cast<float>(data.byItem.rowSize(i));

    // Only the 6 genres with movies are listed, in genre order, with their counts.
    const GenreVectors centroids = genreVectors(plain, genres, popularity, GenreSource::Centroids);
    QCOMPARE(centroids.genres, (std::vector<int>{0, 1, 2, 3, 4, 10}));
    QCOMPARE(centroids.movieCount, (std::vector<int>{16, 16, 16, 16, 16, 12}));
    QCOMPARE(centroids.vectors.cols(), 6);
    const EmbeddingMatrix movies = movieVectors(plain);
    const GenreCentroids expected = genreCentroids(movies, genres);
    QVERIFY((centroids.vectors.row(5) - expected.centroids.row(10)).norm() < 1e-6F);
    const GenreVectors weighted =
        genreVectors(plain, genres, popularity, GenreSource::WeightedCentroids);
    QVERIFY((weighted.vectors.row(0) - genreCentroids(movies, genres, popularity).centroids.row(0))
                .norm() < 1e-6F);
    QVERIFY((weighted.vectors.row(0) - centroids.vectors.row(0)).norm() > 0.0F);
    // Theta: the genre-prior model's own rows; a plain ALS has none.
    const GenreVectors theta = genreVectors(prior, genres, {}, GenreSource::Theta);
    QCOMPARE(theta.genres, centroids.genres);
    QVERIFY((theta.vectors.row(1) - EmbeddingMatrix(prior.genreFactors()).row(1)).norm() == 0.0F);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                             genreVectors(plain, genres, {}, GenreSource::Theta));
    QCOMPARE(defaultGenreSource(plain), GenreSource::Centroids);
    QCOMPARE(defaultGenreSource(prior), GenreSource::Theta);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                             genreVectors(plain, genres, {}, GenreSource::WeightedCentroids));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, genreVectors(plain, std::span(genres).first(10),
                                                                 {}, GenreSource::Centroids));

    // The Movies source: genres sit at the mean 2D position of their movies.
    GenreMapConfig config;
    config.source = GenreSource::Movies;
    const GenreMap map = computeGenreMap(plain, genres, popularity, config);
    QCOMPARE(map.movieLayout.rows(), static_cast<Eigen::Index>(items));
    QCOMPARE(map.layout.rows(), 6);
    Eigen::RowVector2f mean = Eigen::RowVector2f::Zero();
    for (std::size_t i = 0; i < items; ++i)
        if (hasGenre(genres[i], 10)) mean += map.movieLayout.row(static_cast<Eigen::Index>(i));
    QVERIFY((map.layout.row(5) - mean / 12.0F).norm() < 1e-4F);
    QCOMPARE(static_cast<int>(map.explainedVarianceRatio.size()), 2);
    QCOMPARE(static_cast<int>(map.nearest.size()), 6);
    QCOMPARE(parseGenreSource(genreSourceName(GenreSource::WeightedCentroids)),
             GenreSource::WeightedCentroids);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, parseGenreSource("thetas"));
    QCOMPARE(primaryGenre((GenreMask{1} << 7) | (GenreMask{1} << 4)), 4);
    QCOMPARE(primaryGenre(0), -1);
}

void TestGenreVectors::plantedRelatedGenresAreNearestForGenrePriorTheta() {
    // The demo dataset (100,000 ratings) plants taste clusters of related genres; the genre-prior
    // ALS's theta must recover them. Stated level: for every planted pair (a, b), b is among a's
    // 3 nearest genres by cosine of theta, or a among b's; and for at least 3/4 of the genres in
    // planted pairs the single nearest genre is a planted partner (not all: a genre planted in two
    // clusters, such as Musical, can sit closest to another two-cluster genre, such as Comedy).
    SyntheticConfig synth;
    synth.tags = false;
    const Dataset dataset = generateSyntheticDataset(synth);
    const Split split = makeSplit(dataset, SplitSpec::parse("per-user:0.1", 1));
    const TrainData data = TrainData::build(dataset, split);
    AlsConfig als;
    als.factors = 16;
    als.iterations = 8;
    als.reportMetrics = false;
    GenrePriorAls model(als);
    QCOMPARE(model.fit(data), FitStatus::Completed);

    GenreMapConfig config;
    config.source = GenreSource::Theta;
    const GenreMap map = computeGenreMap(model, dataset.genres, {}, config);
    auto rowOf = [&](const std::string& name) {
        const int id = *genreIdFromName(name);
        const auto it = std::find(map.genres.genres.begin(), map.genres.genres.end(), id);
        return it == map.genres.genres.end() ? -1
                                             : static_cast<int>(it - map.genres.genres.begin());
    };
    auto nameOf = [&](int row) {
        return QString::fromUtf8(
            kGenreNames[static_cast<std::size_t>(map.genres.genres[static_cast<std::size_t>(row)])]
                .data());
    };
    auto inTop = [&](int from, int to, int k) {
        const auto& list = map.nearest[static_cast<std::size_t>(from)];
        for (int m = 0; m < k && m < static_cast<int>(list.size()); ++m)
            if (list[static_cast<std::size_t>(m)].index == to) return true;
        return false;
    };
    const auto pairs = plantedRelatedGenres();
    QVERIFY(pairs.size() >= 8);
    std::map<int, std::set<int>> partners;
    for (const auto& [a, b] : pairs) {
        const int ra = rowOf(a), rb = rowOf(b);
        QVERIFY2(ra >= 0 && rb >= 0, (a + " / " + b + " missing from the map").c_str());
        partners[ra].insert(rb);
        partners[rb].insert(ra);
        QVERIFY2(inTop(ra, rb, 3) || inTop(rb, ra, 3),
                 qPrintable(QStringLiteral("%1 / %2 not among each other's 3 nearest (cos %3)")
                                .arg(nameOf(ra), nameOf(rb))
                                .arg(map.similarity(ra, rb))));
    }
    int nearestIsPartner = 0;
    QStringList report;
    for (const auto& [row, related] : partners) {
        const int nearest = map.nearest[static_cast<std::size_t>(row)][0].index;
        nearestIsPartner += static_cast<int>(related.count(nearest));
        report << QStringLiteral("%1->%2").arg(nameOf(row), nameOf(nearest));
    }
    qInfo("nearest genre by theta cosine: %s", qPrintable(report.join(QStringLiteral(", "))));
    QVERIFY2(4 * nearestIsPartner >= 3 * static_cast<int>(partners.size()),
             qPrintable(QStringLiteral("only %1 of %2 genres have a planted partner as nearest")
                            .arg(nearestIsPartner)
                            .arg(partners.size())));
}

QTEST_GUILESS_MAIN(TestGenreVectors)
#include "tst_genre_vectors.moc"
