// Top-N ranking for personas and users (engine/ranking/TopNRanker) and ranking quality
// (engine/ranking/RankingQuality):
// - synthetic release (always): fold-in of a trained user's own training ratings reproduces the
//   user (ALS family to numerical precision; NCF: the rankings agree closely), filters hold,
//   rated movies never appear when excluded, explanation contributions sum to the part of the
//   score they explain, missing persona movies are reported, quality figures match
//   eval/RankingMetrics and cancel works;
// - ml-latest-small (LENS_REQUIRE_RELEASE): "personas must be personal" for every model kind of
//   the factory, each trained once with modest settings and shared by the test functions.
#include <QtTest>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <memory>
#include <numeric>
#include <set>

#include "TestData.h"
#include "data/Split.h"
#include "eval/RankingMetrics.h"
#include "io/DatasetLoader.h"
#include "models/RecommenderFactory.h"
#include "models/TrainData.h"
#include "ranking/RankingQuality.h"
#include "ranking/TopNRanker.h"
#include "synth/SyntheticGenerator.h"

using namespace lens;

namespace {

// Spearman rank correlation (average ranks for ties).
double spearman(std::span<const float> a, std::span<const float> b) {
    auto ranks = [](std::span<const float> v) {
        std::vector<std::size_t> order(v.size());
        std::iota(order.begin(), order.end(), 0);
        std::sort(order.begin(), order.end(), [&](auto x, auto y) { return v[x] < v[y]; });
        std::vector<double> r(v.size());
        for (std::size_t i = 0; i < order.size();) {
            std::size_t j = i;
            while (j + 1 < order.size() && v[order[j + 1]] == v[order[i]]) ++j;
            for (std::size_t k = i; k <= j; ++k) r[order[k]] = 0.5 * static_cast<double>(i + j);
            i = j + 1;
        }
        return r;
    };
    const auto ra = ranks(a), rb = ranks(b);
    const double n = static_cast<double>(a.size());
    const double mean = (n - 1) / 2;
    double sab = 0, saa = 0, sbb = 0;
    for (std::size_t i = 0; i < ra.size(); ++i) {
        sab += (ra[i] - mean) * (rb[i] - mean);
        saa += (ra[i] - mean) * (ra[i] - mean);
        sbb += (rb[i] - mean) * (rb[i] - mean);
    }
    return sab / std::sqrt(saa * sbb);
}

std::vector<std::uint32_t> topItems(std::span<const float> scores, std::size_t n,
                                    const std::vector<std::uint8_t>& excluded) {
    std::vector<std::uint32_t> idx;
    for (std::uint32_t i = 0; i < scores.size(); ++i)
        if (!excluded[i]) idx.push_back(i);
    n = std::min(n, idx.size());
    std::partial_sort(idx.begin(), idx.begin() + static_cast<std::ptrdiff_t>(n), idx.end(),
                      [&](auto a, auto b) { return scores[a] > scores[b]; });
    idx.resize(n);
    return idx;
}

// Modest settings so that every kind trains in a few seconds on ml-latest-small.
void applyModestSettings(Recommender& model, bool exactAls) {
    for (const auto& h : model.hyperparameters()) {
        if (h.key == "iterations") model.setHyperparameter("iterations", "12");
        if (h.key == "epochs") model.setHyperparameter("epochs", "6");
        if (h.key == "cg_steps" && exactAls) model.setHyperparameter("cg_steps", "0");
    }
}

struct Fixture {
    Dataset dataset;
    TrainData data;
    std::map<std::string, std::unique_ptr<Recommender>> models;
    std::map<std::string, double> trainSeconds;
    bool shippedEpochs = false;  // NCF: train with the shipped epochs (the Train panel's defaults)

    const Recommender& model(const std::string& kind, bool exactAls) {
        auto& m = models[kind];
        if (!m) {
            m = createRecommender(kind);
            bool epochs = false;  // an NCF model
            for (const auto& h : m->hyperparameters()) epochs = epochs || h.key == "epochs";
            if (!(shippedEpochs && epochs)) applyModestSettings(*m, exactAls);
            const auto t0 = std::chrono::steady_clock::now();
            m->fit(data);
            trainSeconds[kind] =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        }
        return *m;
    }
};

Fixture& synthetic() {
    static Fixture f = [] {
        Fixture x;
        SyntheticConfig config;
        config.ratings = 30'000;
        config.seed = 11;
        config.tags = false;
        x.dataset = generateSyntheticDataset(config);
        SplitSpec spec;
        spec.fraction = 0.2;
        spec.seed = 5;
        x.data = TrainData::build(x.dataset, makeSplit(x.dataset, spec));
        return x;
    }();
    return f;
}

Fixture* realFixture = nullptr;  // ml-latest-small, built on first use

std::vector<std::string> kinds() {
    std::vector<std::string> k;
    for (const auto& d : recommenderRegistry()) k.push_back(d.name);
    return k;
}

bool isNcf(const std::string& kind) {
    return kind == "gmf" || kind == "mlp" || kind == "neumf";
}

std::vector<PersonaRating> trainRatingsOf(const Fixture& f, std::uint32_t u) {
    std::vector<PersonaRating> p;
    const auto items = f.data.byUser.rowIndex(u);
    const auto values = f.data.byUser.rowValues(u);
    for (std::size_t j = 0; j < items.size(); ++j)
        p.push_back({f.dataset.movieIds[items[j]], values[j]});
    return p;
}

int countGenres(const Dataset& d, const RankResult& r, GenreMask mask) {
    int n = 0;
    for (const auto& row : r.items) n += (d.genres[row.item] & mask) != 0;
    return n;
}

GenreMask genreMask(std::initializer_list<const char*> names) {
    GenreMask m = 0;
    for (const char* name : names) m |= GenreMask{1} << *genreIdFromName(name);
    return m;
}

}  // namespace

class TestRanking : public QObject {
    Q_OBJECT
private slots:
    void foldInReproducesTrainedUser_data();
    void foldInReproducesTrainedUser();
    void filtersHold_data();
    void filtersHold();
    void explanationsSumToTheScorePart_data();
    void explanationsSumToTheScorePart();
    void nearestRatedMovieExplainsNcf();
    void missingPersonaMoviesAreReported();
    void popularityAndOverlap();
    void qualityMatchesRankingMetrics();
    void qualityCancels();
    void personasArePersonal_data();
    void personasArePersonal();
    void qualityOnMlLatestSmall();
    void cleanupTestCase();
};

void TestRanking::foldInReproducesTrainedUser_data() {
    QTest::addColumn<QString>("kind");
    for (const auto& k : kinds()) QTest::newRow(k.c_str()) << QString::fromStdString(k);
}

void TestRanking::foldInReproducesTrainedUser() {
    QFETCH(QString, kind);
    Fixture& f = synthetic();
    const std::string k = kind.toStdString();
    Recommender& model = *createRecommender(k).release();
    std::unique_ptr<Recommender> owner(&model);
    applyModestSettings(model, true);
    // Converged ALS: enough sweeps with exact solves.
    if (!isNcf(k)) model.setHyperparameter("iterations", "100");
    if (isNcf(k)) model.setHyperparameter("epochs", "10");
    model.fit(f.data);
    const TopNRanker ranker(model, f.dataset);
    const std::size_t items = model.itemCount();
    std::vector<float> trained(items), folded(items);
    double worstRelative = 0, meanSpearman = 0, meanOverlap = 0;
    int users = 0;
    for (std::uint32_t u = 0; u < f.data.userCount(); u += 17) {
        if (f.data.byUser.rowSize(u) < 5) continue;
        const auto persona = trainRatingsOf(f, u);
        const FoldedUser user = ranker.foldInPersona(persona);
        QCOMPARE(user.ratings.size(), persona.size());
        model.scoreAll(u, trained);
        model.scoreAll(user, folded);
        double maxDiff = 0, maxAbs = 0;
        for (std::size_t i = 0; i < items; ++i) {
            maxDiff = std::max(maxDiff, std::fabs(static_cast<double>(trained[i] - folded[i])));
            maxAbs = std::max(maxAbs, std::fabs(static_cast<double>(trained[i])));
        }
        worstRelative = std::max(worstRelative, maxDiff / (1.0 + maxAbs));
        std::vector<std::uint8_t> excluded(items, 0);
        for (std::uint32_t i : f.data.byUser.rowIndex(u)) excluded[i] = 1;
        const auto a = topItems(trained, 10, excluded), b = topItems(folded, 10, excluded);
        std::set<std::uint32_t> sa(a.begin(), a.end());
        int shared = 0;
        for (auto i : b) shared += sa.count(i) ? 1 : 0;
        meanOverlap += shared / 10.0;
        meanSpearman += spearman(trained, folded);
        ++users;
    }
    QVERIFY(users >= 10);
    meanSpearman /= users;
    meanOverlap /= users;
    qInfo("%s: %d users, worst relative score difference %.2e, Spearman %.4f, top-10 overlap %.3f",
          k.c_str(), users, worstRelative, meanSpearman, meanOverlap);
    if (isNcf(k)) {
        // Adam on a fresh embedding against frozen items: the ranking agrees closely.
        QVERIFY2(meanSpearman > 0.9, qPrintable(QString::number(meanSpearman)));
        QVERIFY2(meanOverlap > 0.5, qPrintable(QString::number(meanOverlap)));
    } else {
        QVERIFY2(worstRelative < 1e-3, qPrintable(QString::number(worstRelative)));
        const Eigen::MatrixXf factors = model.userFactors();
        if (factors.cols() > 0) {
            // The factors themselves, for one user.
            const std::uint32_t u = 0;
            const FoldedUser user = ranker.foldInPersona(trainRatingsOf(f, u));
            const float diff = (factors.row(u).transpose() - user.factors).norm();
            QVERIFY2(diff < 1e-3f * (1.0f + factors.row(u).norm()),
                     qPrintable(QString::number(diff)));
        }
    }
}

void TestRanking::filtersHold_data() {
    QTest::addColumn<QString>("kind");
    QTest::addColumn<int>("minRatings");
    QTest::addColumn<QString>("include");
    QTest::addColumn<QString>("exclude");
    QTest::addColumn<int>("n");
    QTest::addColumn<bool>("excludeRated");
    QTest::addColumn<QString>("scoring");
    QTest::newRow("als defaults") << "als" << 40 << ""
                                  << "" << 10 << true << "variant";
    QTest::newRow("als min 20 n 25") << "als" << 20 << ""
                                     << "" << 25 << true << "predicted";
    QTest::newRow("als include") << "als" << 10 << "Comedy|Drama"
                                 << "" << 12 << true << "variant";
    QTest::newRow("als exclude") << "als" << 10 << ""
                                 << "Drama|Action" << 8 << true << "raw";
    QTest::newRow("als keep rated") << "als" << 0 << ""
                                    << "" << 40 << false << "predicted";
    QTest::newRow("implicit both") << "als-implicit" << 5 << "Action"
                                   << "Comedy" << 10 << true << "variant";
    QTest::newRow("bias huge n") << "bias" << 50 << ""
                                 << "" << 100000 << true << "variant";
    QTest::newRow("gmf filters") << "gmf" << 30 << "Drama"
                                 << "Horror" << 10 << true << "predicted";
}

void TestRanking::filtersHold() {
    QFETCH(QString, kind);
    QFETCH(int, minRatings);
    QFETCH(QString, include);
    QFETCH(QString, exclude);
    QFETCH(int, n);
    QFETCH(bool, excludeRated);
    QFETCH(QString, scoring);
    Fixture& f = synthetic();
    const Recommender& model = f.model(kind.toStdString(), false);
    const TopNRanker ranker(model, f.dataset);
    RankConfig config;
    config.filter.minRatings = static_cast<std::size_t>(minRatings);
    config.filter.includeGenres = parseGenreList(include.toStdString());
    config.filter.excludeGenres = parseGenreList(exclude.toStdString());
    config.filter.n = n;
    config.filter.excludeRated = excludeRated;
    config.scoring = parseRankScoring(scoring.toStdString());
    // A heavy user's ratings: many rated movies that could crowd the list.
    std::uint32_t heavy = 0;
    for (std::uint32_t u = 0; u < f.dataset.userCount(); ++u)
        if (f.dataset.byUser.rowSize(u) > f.dataset.byUser.rowSize(heavy)) heavy = u;
    const std::int64_t userId = f.dataset.userIds[heavy];
    const RankResult result = ranker.rankUser(userId, config);
    const auto persona = ranker.personaOfUser(userId);
    std::set<std::int64_t> rated;
    for (const auto& p : persona) rated.insert(p.movieId);
    QCOMPARE(result.used.size(), persona.size());

    // Count the candidates independently.
    std::size_t candidates = 0;
    for (std::uint32_t i = 0; i < f.dataset.movieCount(); ++i) {
        const GenreMask g = f.dataset.genres[i];
        if (f.dataset.byMovie.rowSize(i) < static_cast<std::size_t>(minRatings)) continue;
        if (config.filter.includeGenres && !(g & config.filter.includeGenres)) continue;
        if (g & config.filter.excludeGenres) continue;
        if (excludeRated && rated.count(f.dataset.movieIds[i])) continue;
        ++candidates;
    }
    QCOMPARE(result.candidates, candidates);
    QVERIFY(candidates > 0);
    QCOMPARE(result.items.size(), std::min<std::size_t>(candidates, static_cast<std::size_t>(n)));
    bool ratedAppears = false;
    for (std::size_t r = 0; r < result.items.size(); ++r) {
        const RankedMovie& row = result.items[r];
        QCOMPARE(row.rank, static_cast<int>(r + 1));
        QCOMPARE(f.dataset.movieIds[row.item], row.movieId);
        QVERIFY(row.ratingsCount >= static_cast<std::size_t>(minRatings));
        QCOMPARE(row.ratingsCount, f.dataset.byMovie.rowSize(row.item));
        const GenreMask g = f.dataset.genres[row.item];
        if (config.filter.includeGenres) QVERIFY(g & config.filter.includeGenres);
        QVERIFY(!(g & config.filter.excludeGenres));
        if (excludeRated) QVERIFY2(!rated.count(row.movieId), "a rated movie was recommended");
        ratedAppears |= rated.count(row.movieId) > 0;
        if (r > 0) QVERIFY(result.items[r - 1].score >= row.score);
        if (model.predictsRatings()) {
            QVERIFY(row.predictedRating >= kMinRating && row.predictedRating <= kMaxRating);
            QCOMPARE(row.predictedRating, clipRating(row.rawScore));
        } else {
            QVERIFY(std::isnan(row.predictedRating));
        }
        QVERIFY(row.meanRating >= 0.5 && row.meanRating <= 5.0);
    }
    // Keeping rated movies with a long list lets a heavy user's own movies in.
    if (!excludeRated) QVERIFY(ratedAppears);
}

void TestRanking::explanationsSumToTheScorePart_data() {
    QTest::addColumn<QString>("kind");
    QTest::newRow("als") << "als";
    QTest::newRow("als-genre") << "als-genre";
    QTest::newRow("als-implicit") << "als-implicit";
    QTest::newRow("bias") << "bias";
}

void TestRanking::explanationsSumToTheScorePart() {
    QFETCH(QString, kind);
    Fixture& f = synthetic();
    const Recommender& model = f.model(kind.toStdString(), false);
    const TopNRanker ranker(model, f.dataset);
    auto persona = trainRatingsOf(f, 3);
    persona.resize(std::min<std::size_t>(persona.size(), 8));
    persona[0].rating = 1.0f;  // a disliked movie gives negative contributions somewhere
    const FoldedUser user = ranker.foldInPersona(persona);
    std::vector<float> raw(model.itemCount());
    model.scoreAll(user, raw);
    const std::vector<float> biases = model.itemBiases();
    const auto mu = static_cast<float>(model.globalMean());
    // The explained part: b_u + p.q_i (explicit models), p.q_i (implicit ALS).
    for (std::uint32_t i = 0; i < model.itemCount(); i += 7) {
        const std::vector<float> c = model.explain(user, i);
        QCOMPARE(c.size(), user.ratings.size());
        const float sum = std::accumulate(c.begin(), c.end(), 0.0f);
        const float part = biases.empty() ? raw[i] : raw[i] - mu - biases[i];
        QVERIFY2(std::fabs(sum - part) < 1e-4f * (1.0f + std::fabs(part)),
                 qPrintable(QStringLiteral("item %1: sum %2, part %3").arg(i).arg(sum).arg(part)));
    }
    // `because` lists the largest positive contributions, strongest first.
    RankConfig config;
    config.filter.minRatings = 5;
    config.explanationCount = 3;
    const RankResult result = ranker.rankPersona(persona, config);
    QVERIFY(result.explainedByContributions);
    QVERIFY(!result.items.empty());
    for (const auto& row : result.items) {
        const std::vector<float> c = model.explain(user, row.item);
        const float best = *std::max_element(c.begin(), c.end());
        if (best <= 0) {
            QVERIFY(row.because.empty());
            continue;
        }
        QVERIFY(!row.because.empty());
        QCOMPARE(row.becauseWeights.front(), best);
        for (std::size_t j = 1; j < row.becauseWeights.size(); ++j)
            QVERIFY(row.becauseWeights[j - 1] >= row.becauseWeights[j] &&
                    row.becauseWeights[j] > 0);
    }
}

void TestRanking::nearestRatedMovieExplainsNcf() {
    Fixture& f = synthetic();
    const Recommender& model = f.model("gmf", false);
    QVERIFY(model.explain(FoldedUser{}, 0).empty());
    const TopNRanker ranker(model, f.dataset);
    auto persona = trainRatingsOf(f, 9);
    persona.resize(std::min<std::size_t>(persona.size(), 6));
    RankConfig config;
    config.filter.minRatings = 5;
    const RankResult result = ranker.rankPersona(persona, config);
    QVERIFY(!result.explainedByContributions);
    QVERIFY(!result.items.empty());
    const Eigen::MatrixXf q = model.itemFactors();
    for (const auto& row : result.items) {
        QVERIFY(!row.because.empty());
        double best = -2;
        std::int64_t bestId = 0;
        for (const auto& r : result.used) {
            const double cosine = q.row(row.item).dot(q.row(r.item)) /
                                  (q.row(row.item).norm() * q.row(r.item).norm());
            if (cosine > best) {
                best = cosine;
                bestId = f.dataset.movieIds[r.item];
            }
        }
        QCOMPARE(row.because.front(), bestId);
        QVERIFY(std::fabs(row.becauseWeights.front() - best) < 1e-4);
    }
}

void TestRanking::missingPersonaMoviesAreReported() {
    Fixture& f = synthetic();
    const Recommender& model = f.model("als", false);
    const TopNRanker ranker(model, f.dataset);
    const std::int64_t present = f.dataset.movieIds[2];
    const std::vector<PersonaRating> persona = {
        {987654321, 5.0f}, {present, 4.5f}, {-3, 5.0f}, {present, 5.0f}};
    RankConfig config;
    config.filter.minRatings = 0;
    const RankResult r = ranker.rankPersona(persona, config);
    QCOMPARE(r.missing, (std::vector<std::int64_t>{987654321, -3}));
    QCOMPARE(r.used.size(), std::size_t{1});  // duplicate kept once, last rating wins
    QCOMPARE(r.used[0].rating, 5.0f);
    QCOMPARE(r.items.size(), std::size_t{10});
    const std::vector<PersonaRating> none = {{987654321, 5.0f}};
    const RankResult empty = ranker.rankPersona(none, config);
    QVERIFY(empty.items.empty());
    QCOMPARE(empty.missing.size(), std::size_t{1});
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, ranker.rankUser(-42));
}

void TestRanking::popularityAndOverlap() {
    Fixture& f = synthetic();
    const Recommender& model = f.model("als", false);
    const TopNRanker ranker(model, f.dataset);
    RankFilter filter;
    filter.minRatings = 10;
    filter.excludeGenres = genreMask({"Drama"});
    const std::vector<PersonaRating> persona = trainRatingsOf(f, 1);
    const RankResult pop = ranker.popularity(persona, filter);
    QCOMPARE(pop.items.size(), std::size_t{10});
    std::set<std::int64_t> rated;
    for (const auto& p : persona) rated.insert(p.movieId);
    // The most rated admissible movie is first, and no admissible movie outside the list has
    // more ratings than the last one in it.
    for (std::size_t r = 1; r < pop.items.size(); ++r)
        QVERIFY(pop.items[r - 1].ratingsCount >= pop.items[r].ratingsCount);
    std::set<std::int64_t> listed;
    for (const auto& row : pop.items) listed.insert(row.movieId);
    for (std::uint32_t i = 0; i < f.dataset.movieCount(); ++i) {
        if (listed.count(f.dataset.movieIds[i]) || rated.count(f.dataset.movieIds[i])) continue;
        if (!ranker.passesFilter(i, filter)) continue;
        QVERIFY(f.dataset.byMovie.rowSize(i) <= pop.items.back().ratingsCount);
    }
    for (const auto& row : pop.items) {
        QVERIFY(!rated.count(row.movieId));
        QVERIFY(!(f.dataset.genres[row.item] & filter.excludeGenres));
    }
    RankConfig config;
    config.filter = filter;
    const RankResult personal = ranker.rankPersona(persona, config);
    const ListOverlap self = listOverlap(personal, personal);
    QCOMPARE(self.fraction(), 1.0);
    QCOMPARE(self.jaccard(), 1.0);
    const ListOverlap o = listOverlap(personal, pop);
    QVERIFY(o.shared.size() <= 10);
    for (auto id : o.shared) QVERIFY(listed.count(id));
    QCOMPARE(o.fraction(), static_cast<double>(o.shared.size()) / 10.0);
}

void TestRanking::qualityMatchesRankingMetrics() {
    Fixture& f = synthetic();
    const Recommender& model = f.model("als", false);
    RankingQualityConfig config;
    config.seed = 5;
    std::size_t lastDone = 0, lastTotal = 0;
    bool monotone = true;
    const RankingQuality q =
        evaluateRankingQuality(model, f.data, config, [&](const RankingQualityProgress& p) {
            if (p.stage == "top-N lists") {
                monotone &= p.done >= lastDone;
                lastDone = p.done;
                lastTotal = p.total;
            }
            return true;
        });
    QVERIFY(!q.cancelled);
    QVERIFY(monotone);
    QVERIFY(lastTotal > 0);
    QCOMPARE(lastDone, lastTotal);
    const TopNResult topN = evaluateTopN(f.data, model, 10);
    QCOMPARE(q.topN.users, topN.users);
    QCOMPARE(q.topN.precision, topN.precision);
    QCOMPARE(q.topN.ndcg, topN.ndcg);
    QCOMPARE(q.topN.map, topN.map);
    const RankingResult sampled = evaluateSampled(f.data, sampleNegatives(f.data, 100, 5), model);
    QCOMPARE(q.sampled.hitRate, sampled.hitRate);
    QCOMPARE(q.sampled.ndcg, sampled.ndcg);
    QCOMPARE(q.sampled.protocol, std::string(kSampledProtocolLabel));
    // Coverage and popularity recomputed from timesRecommended.
    std::size_t users = 0, distinct = 0, listSlots = 0;
    double popSum = 0;
    for (std::uint32_t u = 0; u < f.data.userCount(); ++u) users += f.data.byUser.rowSize(u) > 0;
    for (std::uint32_t i = 0; i < f.data.itemCount(); ++i) {
        distinct += q.timesRecommended[i] > 0;
        listSlots += q.timesRecommended[i];
        popSum += static_cast<double>(q.timesRecommended[i]) *
                  static_cast<double>(f.data.byItem.rowSize(i));
    }
    QCOMPARE(q.usersListed, users);
    QCOMPARE(listSlots, users * 10);
    QCOMPARE(q.distinctRecommended, distinct);
    QCOMPARE(q.catalogueSize, catalogueItems(f.data).size());
    QVERIFY(std::fabs(q.coverage - static_cast<double>(distinct) / q.catalogueSize) < 1e-12);
    QVERIFY(std::fabs(q.meanPopularityRecommended - popSum / static_cast<double>(listSlots)) <
            1e-9);
    double sum = 0;
    for (std::size_t b = 0; b < q.popularityCatalogue.bins(); ++b)
        sum += q.popularityCatalogue.density[b] * q.popularityCatalogue.widths[b];
    QVERIFY(std::fabs(sum - 1.0) < 1e-9);
    QVERIFY(q.popularityRecommended.bins() > 0);
}

void TestRanking::qualityCancels() {
    Fixture& f = synthetic();
    const Recommender& model = f.model("als", false);
    int calls = 0;
    const RankingQuality q =
        evaluateRankingQuality(model, f.data, {}, [&](const RankingQualityProgress& p) {
            ++calls;
            return p.done < 5;  // cancel early
        });
    QVERIFY(q.cancelled);
    QVERIFY(calls >= 1);
    QVERIFY(q.usersListed < f.data.userCount());
    QCOMPARE(q.sampled.cases, std::size_t{0});
}

void TestRanking::personasArePersonal_data() {
    QTest::addColumn<QString>("kind");
    for (const auto& k : kinds()) QTest::newRow(k.c_str()) << QString::fromStdString(k);
}

void TestRanking::personasArePersonal() {
    QFETCH(QString, kind);
    LENS_REQUIRE_RELEASE(path, "ml-latest-small");
    // Under the sanitizers: NCF training on this release runs in tst_ncf and the NCF fold-in in
    // foldInReproducesTrainedUser; ALS and genre-prior ALS share their kernels.
    if (isNcf(kind.toStdString()) || kind == "als-genre")
        LENS_RELEASE_STAGE_ONLY_ROW("a persona row whose code other rows and tests run");
    if (!realFixture) {
        realFixture = new Fixture;
        // "With the defaults the panel ships": the NCF models train their shipped 20 epochs
        // (with 6, under-trained embeddings made the personas' lists alike).
        realFixture->shippedEpochs = true;
        realFixture->dataset = loadDataset(path.toStdString());
        SplitSpec spec;
        spec.fraction = 0.1;
        realFixture->data =
            TrainData::build(realFixture->dataset, makeSplit(realFixture->dataset, spec));
    }
    Fixture& f = *realFixture;
    const std::string k = kind.toStdString();
    const Recommender& model = f.model(k, false);
    const TopNRanker ranker(model, f.dataset);
    const std::vector<PersonaRating> lotr = {{4993, 5}, {5952, 5}, {7153, 5}};
    const std::vector<PersonaRating> toyStory = {{1, 5}, {3114, 5}, {78499, 5}};
    const RankConfig defaults;  // what the panel and the command line ship
    QCOMPARE(defaults.scoring, RankScoring::StudyVariant);
    QCOMPARE(defaults.filter.minRatings, std::size_t{100});
    RankConfig predicted = defaults;
    predicted.scoring = RankScoring::PredictedRating;

    const RankResult lotrList = ranker.rankPersona(lotr, defaults);
    const RankResult toyList = ranker.rankPersona(toyStory, defaults);
    const RankResult lotrPredicted = ranker.rankPersona(lotr, predicted);
    const RankResult toyPredicted = ranker.rankPersona(toyStory, predicted);
    const RankResult lotrPop = ranker.popularity(lotr, defaults.filter);
    const RankResult toyPop = ranker.popularity(toyStory, defaults.filter);
    QCOMPARE(lotrList.items.size(), std::size_t{10});
    QCOMPARE(toyList.items.size(), std::size_t{10});
    QVERIFY(lotrList.missing.empty() && toyList.missing.empty());

    // "Globally loved": the 20 best mean ratings among movies with >= 100 ratings.
    std::vector<std::uint32_t> loved;
    for (std::uint32_t i = 0; i < f.dataset.movieCount(); ++i)
        if (ranker.ratingsCount(i) >= 100) loved.push_back(i);
    std::sort(loved.begin(), loved.end(),
              [&](auto a, auto b) { return ranker.meanRating(a) > ranker.meanRating(b); });
    loved.resize(20);
    auto lovedIn = [&](const RankResult& r) {
        int n = 0;
        for (const auto& row : r.items)
            n += std::find(loved.begin(), loved.end(), row.item) != loved.end();
        return n;
    };
    const GenreMask fantasyAdventure = genreMask({"Fantasy", "Adventure"});
    const GenreMask animationChildren = genreMask({"Animation", "Children"});
    const int lotrGenre = countGenres(f.dataset, lotrList, fantasyAdventure);
    const int lotrPopGenre = countGenres(f.dataset, lotrPop, fantasyAdventure);
    const int toyGenre = countGenres(f.dataset, toyList, animationChildren);
    const int toyPopGenre = countGenres(f.dataset, toyPop, animationChildren);
    const std::size_t shared = listOverlap(lotrList, toyList).shared.size();
    auto titles = [&](const RankResult& r) {
        QStringList t;
        for (const auto& row : r.items)
            t << QString::fromStdString(f.dataset.titles[row.item]).left(28);
        return t.join(QStringLiteral("; "));
    };
    qInfo(
        "%s (trained in %.1f s): LOTR Fantasy|Adventure %d (popularity %d), Toy Story "
        "Animation|Children %d (popularity %d), shared %zu; globally loved in list: variant "
        "%d/%d, predicted %d/%d",
        k.c_str(), f.trainSeconds[k], lotrGenre, lotrPopGenre, toyGenre, toyPopGenre, shared,
        lovedIn(lotrList), lovedIn(toyList), lovedIn(lotrPredicted), lovedIn(toyPredicted));
    qInfo("  LOTR: %s", qPrintable(titles(lotrList)));
    qInfo("  Toy Story: %s", qPrintable(titles(toyList)));
    qInfo("  LOTR predicted: %s", qPrintable(titles(lotrPredicted)));

    if (k == "bias") {
        // No interaction term: b_i ranks every persona alike (the lists differ only by the
        // persona's own excluded movies). Documented, not personal by construction.
        RankConfig keep = defaults;
        keep.filter.excludeRated = false;
        const RankResult a = ranker.rankPersona(lotr, keep), b = ranker.rankPersona(toyStory, keep);
        QCOMPARE(listOverlap(a, b).shared.size(), a.items.size());
        return;
    }
    // Predicted rating lets globally loved movies fill the lists; the variant damps that.
    QVERIFY(lovedIn(lotrList) + lovedIn(toyList) < lovedIn(lotrPredicted) + lovedIn(toyPredicted));
    if (!model.itemBiases().empty()) {
        QVERIFY2(lovedIn(lotrPredicted) + lovedIn(toyPredicted) >= 6,
                 "predicted rating should be dominated by globally loved movies");
        QVERIFY(lovedIn(lotrList) < lovedIn(lotrPredicted));
        QVERIFY(lovedIn(toyList) < lovedIn(toyPredicted));
    }
    const bool lotrPersonal = lotrGenre > lotrPopGenre, toyPersonal = toyGenre > toyPopGenre,
               distinct = shared <= 5;
    // Every kind with an interaction term meets all three (popularity: 2 Fantasy|Adventure,
    // 0 Animation|Children). The MLP does since it ships the paper's narrow tower (32,16,8; see
    // NcfRecommender): with 64,32,16,8 its lists held 2, 4 and shared 3 (the LOTR list no more
    // Fantasy|Adventure than popularity). Measured, not asserted: the NCF figures move with the
    // model seed (MLP seeds 42, 1, 2, 3: 7/4/3, 5/4/7, 3/4/2, 5/2/5).
    QVERIFY2(lotrPersonal, qPrintable(titles(lotrList)));
    QVERIFY2(toyPersonal, qPrintable(titles(toyList)));
    QVERIFY2(distinct, qPrintable(QString::number(shared)));
}

void TestRanking::qualityOnMlLatestSmall() {
    LENS_REQUIRE_RELEASE(path, "ml-latest-small");
    if (!realFixture) QSKIP("needs personasArePersonal to load the release first");
    Fixture& f = *realFixture;
    for (const std::string k : {"als", "als-implicit"}) {
        const Recommender& model = f.model(k, false);
        const RankingQuality q = evaluateRankingQuality(model, f.data);
        qInfo(
            "%s quality: P@10 %.4f R@10 %.4f NDCG@10 %.4f MAP@10 %.4f | %s HR@10 %.4f NDCG@10 "
            "%.4f | coverage %.4f (%zu of %zu) | mean popularity %.1f vs catalogue %.1f | %.2f s",
            k.c_str(), q.topN.precision, q.topN.recall, q.topN.ndcg, q.topN.map,
            kSampledProtocolLabel, q.sampled.hitRate, q.sampled.ndcg, q.coverage,
            q.distinctRecommended, q.catalogueSize, q.meanPopularityRecommended,
            q.meanPopularityCatalogue, q.seconds);
        QCOMPARE(q.usersListed, f.dataset.userCount());
        QVERIFY(q.topN.precision >= 0 && q.topN.precision <= 1);
        if (k == "als-implicit") {
            // A ranking model: far above chance (10 / 101) on the NCF protocol, and, like
            // every implicit model, biased towards popular movies.
            QVERIFY(q.sampled.hitRate > 0.3);
            QVERIFY(q.topN.precision > 0.05);
            QVERIFY(q.meanPopularityRecommended > q.meanPopularityCatalogue);
        } else {
            // A rating model ranking the whole catalogue puts obscure movies with few, high
            // ratings first (the reason the Rank panel filters on a minimum number of ratings).
            QVERIFY(q.meanPopularityRecommended < q.meanPopularityCatalogue);
        }
        QVERIFY(q.coverage > 0 && q.coverage < 1);
    }
}

void TestRanking::cleanupTestCase() {
    delete realFixture;
    realFixture = nullptr;
}

QTEST_GUILESS_MAIN(TestRanking)
#include "tst_ranking.moc"
