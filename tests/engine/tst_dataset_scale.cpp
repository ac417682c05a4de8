// A dataset that is not MovieLens (issue #20): a 1..10 rating scale (offset 0, step 1) and a
// genre vocabulary of its own ("Books", "Music"), built by hand with buildDataset. Every
// consumer must honour both: training values, clipping of predictions, the model file, the EDA
// histogram and genre statistics, genre maps and names; implicit feedback refuses rating models.
// References are computed here from the raw codes, independently of the code under test.
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "data/DatasetBuilder.h"
#include "data/Split.h"
#include "models/AlsModel.h"
#include "models/BiasBaseline.h"
#include "models/GenrePriorAls.h"
#include "models/ModelFile.h"
#include "models/RecommenderFactory.h"
#include "models/TrainData.h"
#include "projection/GenreCentroids.h"
#include "projection/MapComputation.h"
#include "projection/MapCsv.h"
#include "projection/MapEmbeddings.h"
#include "stats/Eda.h"
#include "util/Random.h"

using namespace lens;

namespace {

// 1..10 in steps of 1: stored code c is the rating c.
constexpr RatingScale kOneToTen{0.0f, 1.0f, 1.0f, 10.0f, false};

const std::vector<std::string> kVocabulary = {"Books", "Music"};

// 40 users x 24 items. Generous users (even ids) rate every item 10 when it is "good" (ids
// 1..8) and 7..9 otherwise; harsh users rate 1..6. Every user rates every good item, so the
// additive bias model overshoots 10 at the generous-user x good-item corner. Items 1..12 are
// Books, 9..20 Music (9..12 both), 21..24 nothing (ids).
Dataset scaleDataset(const RatingScale& scale = kOneToTen) {
    RawRatings r;
    Pcg32 rng(7);
    for (std::int64_t u = 1; u <= 40; ++u) {
        const bool generous = u % 2 == 0;
        for (std::int64_t i = 1; i <= 24; ++i) {
            const bool good = i <= 8;
            if (!good && rng.below(3) == 0) continue;  // some missing ratings
            int value = generous ? (good ? 10 : 7 + static_cast<int>(rng.below(3)))
                                 : (good ? 4 + static_cast<int>(rng.below(3))
                                         : 1 + static_cast<int>(rng.below(4)));
            if (scale.implicit) value = 1;
            r.push(u, i, static_cast<HalfStars>(value), static_cast<std::uint32_t>(u * 100 + i));
        }
    }
    std::vector<RawMovie> movies;
    for (std::int64_t i = 1; i <= 24; ++i) {
        GenreMask mask = 0;
        if (i <= 12) mask |= 1U;
        if (i >= 9 && i <= 20) mask |= 2U;
        movies.push_back({i, "Item " + std::to_string(i), mask});
    }
    Dataset ds = buildDataset(std::move(r), std::move(movies));
    ds.name = "my-shop";
    ds.scale = scale;
    ds.genreVocabulary = kVocabulary;
    return ds;
}

}  // namespace

class TestDatasetScale : public QObject {
    Q_OBJECT

private slots:
    void trainDataValuesFollowTheScale();
    void predictionsAreClippedToTheScale();
    void modelFileKeepsTheScale();
    void edaHistogramBinsAreTheScaleValues();
    void edaGenresComeFromTheVocabulary();
    void genreMapsUseTheVocabulary();
    void implicitFeedbackRefusesRatingModels();
};

void TestDatasetScale::trainDataValuesFollowTheScale() {
    const Dataset ds = scaleDataset();
    const Split split = makeSplit(ds, SplitSpec{});
    const TrainData data = TrainData::build(ds, split);
    QCOMPARE(data.scale.max, 10.0f);
    QCOMPARE(data.genreCount, 2);
    // Every stored code, in byUser order, as train or test value: 1 * code + 0.
    std::size_t train = 0, test = 0;
    double sum = 0.0;
    for (std::size_t u = 0; u < ds.userCount(); ++u)
        for (std::uint64_t e = ds.byUser.offsets[u]; e < ds.byUser.offsets[u + 1]; ++e) {
            const float expected = static_cast<float>(ds.byUser.halfStars[e]);
            if (split.isTest[e]) {
                QCOMPARE(data.test[test].rating, expected);
                ++test;
            } else {
                QCOMPARE(data.byUser.values[train], expected);
                sum += expected;
                ++train;
            }
        }
    QCOMPARE(train, data.trainCount());
    QCOMPARE(test, data.testCount());
    QVERIFY(std::abs(data.globalMean - sum / static_cast<double>(train)) < 1e-12);
    QVERIFY(data.globalMean > 5.0);  // not halved: a half-star reading would be below 5
    double all = 0.0;
    for (HalfStars h : ds.byUser.halfStars) all += h;
    QVERIFY(std::abs(ds.ratingMean() - all / static_cast<double>(ds.ratingCount())) < 1e-12);
    // Each movie's mean: the mean of its codes read from the rows (byUser), 1 * code + 0.
    std::vector<double> movieSum(ds.movieCount(), 0.0), movieCount(ds.movieCount(), 0.0);
    for (std::size_t u = 0; u < ds.userCount(); ++u)
        for (std::uint64_t e = ds.byUser.offsets[u]; e < ds.byUser.offsets[u + 1]; ++e) {
            movieSum[ds.byUser.index[e]] += ds.byUser.halfStars[e];
            movieCount[ds.byUser.index[e]] += 1.0;
        }
    for (std::size_t m = 0; m < ds.movieCount(); ++m)
        QVERIFY(std::abs(ds.movieMeanRating(m) - movieSum[m] / movieCount[m]) < 1e-12);
    QVERIFY(ds.movieMeanRating(0) > 5.0);                      // item 1 is good: not halved
    QVERIFY(std::isnan(ds.movieMeanRating(ds.movieCount())));  // no such movie: no ratings
}

void TestDatasetScale::predictionsAreClippedToTheScale() {
    const Dataset ds = scaleDataset();
    const TrainData data = TrainData::build(ds, makeSplit(ds, SplitSpec{}));
    BiasBaselineConfig biasConfig;
    biasConfig.userLambda = 0.1;
    biasConfig.itemLambda = 0.1;
    BiasBaseline bias(biasConfig);
    AlsModel als;
    for (Recommender* model : std::vector<Recommender*>{&bias, &als}) {
        QCOMPARE(model->fit(data), FitStatus::Completed);
        QCOMPARE(model->ratingScale().max, 10.0f);
        float highest = 0.0f, lowest = 100.0f;
        int overshoots = 0;
        for (std::uint32_t u = 0; u < data.userCount(); ++u)
            for (std::uint32_t i = 0; i < data.itemCount(); ++i) {
                const float raw = model->predictRaw(u, i);
                const float p = model->predict(u, i);
                QVERIFY2(p >= 1.0f && p <= 10.0f, qPrintable(QString::number(p)));
                if (raw > 10.0f) {
                    ++overshoots;
                    QCOMPARE(p, 10.0f);  // clipped at the scale's top, not at 5
                } else if (raw >= 1.0f) {
                    QCOMPARE(p, raw);
                }
                highest = std::max(highest, p);
                lowest = std::min(lowest, p);
            }
        QVERIFY2(overshoots > 0, qPrintable(QString::fromStdString(model->kind())));
        QVERIFY(highest > 5.0f);
        QVERIFY(lowest < 5.0f);
        // The training figures are of predictions clipped to 1..10 (an RMSE on a 10-point
        // scale; clipped to 0.5..5 it would exceed 2.5 on these generous users).
        QVERIFY(model->history().back().trainRmse < 2.5);
        QCOMPARE(model->clip(12.0f), 10.0f);
        QCOMPARE(model->clip(0.0f), 1.0f);
    }
}

void TestDatasetScale::modelFileKeepsTheScale() {
    const Dataset ds = scaleDataset();
    const TrainData data = TrainData::build(ds, makeSplit(ds, SplitSpec{}));
    BiasBaseline bias;
    QCOMPARE(bias.fit(data), FitStatus::Completed);
    const std::vector<std::uint8_t> bytes = serializeModel(bias);
    const auto loaded = deserializeModel(bytes, "scale.lmodel");
    QCOMPARE(loaded->ratingScale().offset, 0.0f);
    QCOMPARE(loaded->ratingScale().step, 1.0f);
    QCOMPARE(loaded->ratingScale().min, 1.0f);
    QCOMPARE(loaded->ratingScale().max, 10.0f);
    QVERIFY(!loaded->ratingScale().implicit);
    for (std::uint32_t u = 0; u < data.userCount(); ++u)
        for (std::uint32_t i = 0; i < data.itemCount(); ++i)
            QCOMPARE(loaded->predict(u, i), bias.predict(u, i));

    // A version 1 file (written before scales existed) has no scale: half stars. Made from the
    // version 2 bytes by cutting the 17 scale bytes out, as version 1 wrote the body.
    std::vector<std::uint8_t> scaleBytes(17, 0);
    const float fields[] = {0.0f, 1.0f, 1.0f, 10.0f};
    std::memcpy(scaleBytes.data(), fields, sizeof fields);
    const auto at = std::search(bytes.begin(), bytes.end(), scaleBytes.begin(), scaleBytes.end());
    QVERIFY(at != bytes.end());
    std::vector<std::uint8_t> old(bytes.begin(), at);
    old.insert(old.end(), at + 17, bytes.end() - 4);  // without the CRC
    const std::uint32_t version = 1;
    const std::uint64_t bodyLength = old.size() - 20;
    std::memcpy(old.data() + 8, &version, 4);
    std::memcpy(old.data() + 12, &bodyLength, 8);
    const std::uint32_t crc = crc32(old.data(), old.size());
    old.resize(old.size() + 4);
    std::memcpy(old.data() + old.size() - 4, &crc, 4);
    const auto legacy = deserializeModel(old, "old.lmodel");
    QVERIFY(legacy->ratingScale().isHalfStars());
    QCOMPARE(legacy->predict(0, 0), std::clamp(bias.predictRaw(0, 0), 0.5f, 5.0f));

    // A corrupt scale (step 0) is refused with the file's name.
    std::vector<std::uint8_t> corrupt = bytes;
    const auto scaleAt =
        std::search(corrupt.begin(), corrupt.end(), scaleBytes.begin(), scaleBytes.end());
    const float zero = 0.0f;
    std::memcpy(&*(scaleAt + 4), &zero, 4);
    const std::uint32_t fixed = crc32(corrupt.data(), corrupt.size() - 4);
    std::memcpy(corrupt.data() + corrupt.size() - 4, &fixed, 4);
    try {
        (void)deserializeModel(corrupt, "bad-scale.lmodel");
        QFAIL("a model file with rating step 0 was read");
    } catch (const DataError& e) {
        QVERIFY(std::string(e.what()).find("bad-scale.lmodel") != std::string::npos);
        QVERIFY(std::string(e.what()).find("rating scale") != std::string::npos);
    }
}

void TestDatasetScale::edaHistogramBinsAreTheScaleValues() {
    const Dataset ds = scaleDataset();
    const EdaReport r = computeEda(ds);
    std::map<int, std::uint64_t> tally;  // code -> count, from the raw codes
    double sum = 0.0;
    for (HalfStars h : ds.byUser.halfStars) {
        ++tally[h];
        sum += h;
    }
    const RatingHistogram& h = r.ratingHistogram;
    QVERIFY(!h.implicit);
    QCOMPARE(h.counts.size(), tally.size());  // one bin per value present
    std::size_t bin = 0;
    for (const auto& [code, count] : tally) {
        QCOMPARE(h.values[bin], static_cast<double>(code));
        QCOMPARE(h.counts[bin], count);
        ++bin;
    }
    QCOMPARE(h.values.back(), 10.0);
    QCOMPARE(h.total, static_cast<std::uint64_t>(ds.ratingCount()));
    QVERIFY(std::abs(h.mean - sum / static_cast<double>(ds.ratingCount())) < 1e-12);
    // Median from the sorted codes.
    std::vector<HalfStars> sorted = ds.byUser.halfStars;
    std::sort(sorted.begin(), sorted.end());
    const std::size_t n = sorted.size();
    const double median = n % 2 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
    QCOMPARE(h.median, median);
    // Movie means on the scale, binned from 1 to 10.
    QCOMPARE(r.movieMeans.edges.front(), 1.0);
    QCOMPARE(r.movieMeans.edges.back(), 10.0);
    QVERIFY(r.movieMeans.meanOfMeans > 4.0);

    // Half stars keep all ten bins, zeros included (MovieLens output unchanged).
    Dataset halves = scaleDataset();
    halves.scale = RatingScale{};
    const RatingHistogram hh = computeEda(halves).ratingHistogram;
    QCOMPARE(hh.counts.size(), std::size_t(10));
    QCOMPARE(hh.values.front(), 0.5);
    QCOMPARE(hh.values.back(), 5.0);
    QCOMPARE(hh.counts[9], tally[10]);
    QVERIFY(std::abs(hh.mean - 0.5 * sum / static_cast<double>(n)) < 1e-12);

    // Implicit feedback: no ratings, no bars.
    RatingScale implicit;
    implicit.step = 1.0f;
    implicit.min = implicit.max = 1.0f;
    implicit.implicit = true;
    const RatingHistogram none = computeEda(scaleDataset(implicit)).ratingHistogram;
    QVERIFY(none.implicit);
    QVERIFY(none.counts.empty());
    QCOMPARE(none.total, std::uint64_t(0));
    const MovieMeanHistogram noMeans = computeEda(scaleDataset(implicit)).movieMeans;
    QVERIFY(noMeans.implicit);
    QVERIFY(noMeans.counts.empty());
}

void TestDatasetScale::edaGenresComeFromTheVocabulary() {
    const Dataset ds = scaleDataset();
    const EdaReport r = computeEda(ds);
    QCOMPARE(r.genres.size(), std::size_t(2));
    QCOMPARE(r.genres[0].name, std::string("Books"));
    QCOMPARE(r.genres[1].name, std::string("Music"));
    // Reference: movies and mean rating per genre from the raw masks and codes.
    for (int g = 0; g < 2; ++g) {
        std::uint64_t movies = 0, ratings = 0;
        double sum = 0.0;
        for (std::size_t m = 0; m < ds.movieCount(); ++m) {
            if (!hasGenre(ds.genres[m], g)) continue;
            ++movies;
            for (HalfStars h : ds.byMovie.rowHalfStars(m)) {
                ++ratings;
                sum += h;
            }
        }
        QCOMPARE(r.genres[static_cast<std::size_t>(g)].movies, movies);
        QCOMPARE(r.genres[static_cast<std::size_t>(g)].ratings, ratings);
        QVERIFY(std::abs(r.genres[static_cast<std::size_t>(g)].meanRating - sum / ratings) < 1e-12);
    }
    QCOMPARE(r.moviesWithoutGenre, std::uint64_t(4));
    QCOMPARE(ds.genreListOf(3U), std::string("Books|Music"));
}

void TestDatasetScale::genreMapsUseTheVocabulary() {
    const Dataset ds = scaleDataset();
    const TrainData data = TrainData::build(ds, makeSplit(ds, SplitSpec{}));
    // The genre-prior model sizes theta by the vocabulary and keeps it through its file.
    AlsConfig config;
    config.factors = 4;
    config.iterations = 5;
    GenrePriorAls prior(config);
    QCOMPARE(prior.fit(data), FitStatus::Completed);
    QCOMPARE(prior.genreFactors().rows(), Eigen::Index(2));
    const auto loaded = deserializeModel(serializeModel(prior), "prior.lmodel");
    QCOMPARE(loaded->genreFactors().rows(), Eigen::Index(2));

    // Centroids: row g is the mean of the vectors of genre g's movies (reference by hand).
    const EmbeddingMatrix vectors = prior.itemFactors();
    const GenreCentroids centroids = genreCentroids(vectors, ds.genres);
    for (int g = 0; g < 2; ++g) {
        Eigen::RowVectorXd sum = Eigen::RowVectorXd::Zero(vectors.cols());
        int count = 0;
        for (std::size_t m = 0; m < ds.movieCount(); ++m)
            if (hasGenre(ds.genres[m], g)) {
                sum += vectors.row(static_cast<Eigen::Index>(m)).cast<double>();
                ++count;
            }
        QCOMPARE(centroids.movieCount[static_cast<std::size_t>(g)], count);
        QVERIFY((centroids.centroids.row(g).cast<double>() - sum / count).norm() < 1e-5);
    }

    // The maps name the genres from the vocabulary, never MovieLens's "Action" / "Adventure".
    MapConfig mapConfig;
    mapConfig.source = GenreSource::Theta;
    const MapResult result = computeMaps(mapInputFrom(prior, ds), mapConfig);
    QCOMPARE(result.genreMap.genreNames, kVocabulary);
    QCOMPARE(result.genreMap.genres.genres, (std::vector<int>{0, 1}));
    const std::string csv = genreMapCsv(result.genreMap, ds.genreVocabulary);
    QVERIFY(csv.find("\nBooks,") != std::string::npos);
    QVERIFY(csv.find("\nMusic,") != std::string::npos);
    QVERIFY(csv.find("Action") == std::string::npos);
    const std::string movies = movieMapCsv(result.movieLayout, ds);
    QVERIFY(movies.find(",Books|Music,") != std::string::npos);
    QCOMPARE(parseMovieColouring("genre:music", ds.genreVocabulary).genre, 1);
    QCOMPARE(movieColouringName(parseMovieColouring("genre:BOOKS", ds.genreVocabulary),
                                ds.genreVocabulary),
             std::string("genre:Books"));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                             parseMovieColouring("genre:Drama", ds.genreVocabulary));

    // Data without categories (an empty vocabulary): the genre priors have nothing to lean on
    // and the models train as their plain forms; the map falls back to centroids.
    Dataset plain = scaleDataset();
    plain.genreVocabulary.clear();
    std::fill(plain.genres.begin(), plain.genres.end(), GenreMask{0});
    const TrainData plainData = TrainData::build(plain, makeSplit(plain, SplitSpec{}));
    QCOMPARE(plainData.genreCount, 0);
    GenrePriorAls noGenres(config);
    QCOMPARE(noGenres.fit(plainData), FitStatus::Completed);
    QCOMPARE(noGenres.genreFactors().rows(), Eigen::Index(0));
    QCOMPARE(defaultGenreSource(noGenres), GenreSource::Centroids);
    QCOMPARE(deserializeModel(serializeModel(noGenres), "plain.lmodel")->genreFactors().rows(),
             Eigen::Index(0));
    auto bpmf = createRecommender("bpmf");
    bpmf->setHyperparameter("sweeps", "3");
    bpmf->setHyperparameter("burn_in", "1");
    QCOMPARE(bpmf->fit(plainData), FitStatus::Completed);
}

void TestDatasetScale::implicitFeedbackRefusesRatingModels() {
    RatingScale implicit;
    implicit.step = 1.0f;
    implicit.min = implicit.max = 1.0f;
    implicit.implicit = true;
    const Dataset ds = scaleDataset(implicit);
    const TrainData data = TrainData::build(ds, makeSplit(ds, SplitSpec{}));
    QVERIFY(data.scale.implicit);
    for (const std::string name : {"bias", "als", "als-genre", "item-knn", "bpmf"}) {
        auto model = createRecommender(name);
        try {
            model->fit(data);
            QFAIL(qPrintable(QString::fromStdString(name + " trained on implicit feedback")));
        } catch (const std::invalid_argument& e) {
            const std::string why = e.what();
            QVERIFY2(why.find(name + " predicts ratings") == 0, e.what());
            QVERIFY2(why.find("my-shop has no ratings (implicit feedback)") != std::string::npos,
                     e.what());
            QVERIFY2(why.find("ease") != std::string::npos, e.what());
        }
        QCOMPARE(model->status(), FitStatus::Untrained);
    }
    // The reason, as pickers show it; ranking models have none and train.
    QVERIFY(!ratingModelRefusal("als", true, implicit, ds.name).empty());
    QVERIFY(ratingModelRefusal("als", true, kOneToTen, ds.name).empty());
    QVERIFY(ratingModelRefusal("ease", false, implicit, ds.name).empty());
    // No mean rating to colour the movie map by.
    for (float mean : movieValues(ds).meanRating) QVERIFY(std::isnan(mean));
    QVERIFY(!std::isnan(movieValues(scaleDataset()).meanRating.front()));
    auto ease = createRecommender("ease");
    QCOMPARE(ease->fit(data), FitStatus::Completed);
    auto ncf = createRecommender("gmf");
    ncf->setHyperparameter("objective", "explicit");
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, ncf->fit(data));
}

QTEST_MAIN(TestDatasetScale)
#include "tst_dataset_scale.moc"
