// Top-N ranking for personas and users (engine/ranking/TopNRanker) on the synthetic release:
// fold-in of a trained user's own training ratings reproduces the user (ALS family to numerical
// precision; NCF: the rankings agree closely), filters hold, rated movies never appear when
// excluded, explanation contributions sum to the part of the score they explain, missing
// persona movies are reported, the popularity list and list overlaps.
#include <QtTest>
#include <algorithm>
#include <cmath>
#include <numeric>
#include <set>

#include "RankingFixture.h"
#include "ranking/TopNRanker.h"

using namespace lens;
using namespace lens::test;

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

}  // namespace

class TestTopNRanker : public QObject {
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
};

void TestTopNRanker::foldInReproducesTrainedUser_data() {
    QTest::addColumn<QString>("kind");
    for (const auto& k : kinds()) QTest::newRow(k.c_str()) << QString::fromStdString(k);
}

void TestTopNRanker::foldInReproducesTrainedUser() {
    QFETCH(QString, kind);
    Fixture& f = synthetic();
    const std::string k = kind.toStdString();
    Recommender& model = *createRecommender(k).release();
    std::unique_ptr<Recommender> owner(&model);
    applyModestSettings(model, true);
    // Converged ALS: enough sweeps with exact solves.
    for (const auto& h : model.hyperparameters())
        if (h.key == "iterations") model.setHyperparameter("iterations", "100");
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
    } else if (k == "bpmf") {
        // The trained user's score averages the Gibbs samples of the user's vector; the fold-in
        // averages their conditional means given each sample's movies (no draw): the two agree
        // up to the Monte-Carlo noise of the trained user's draws.
        QVERIFY2(worstRelative < 0.05, qPrintable(QString::number(worstRelative)));
        QVERIFY2(meanSpearman > 0.95, qPrintable(QString::number(meanSpearman)));
        QVERIFY2(meanOverlap > 0.75, qPrintable(QString::number(meanOverlap)));
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

void TestTopNRanker::filtersHold_data() {
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

void TestTopNRanker::filtersHold() {
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

void TestTopNRanker::explanationsSumToTheScorePart_data() {
    QTest::addColumn<QString>("kind");
    QTest::newRow("als") << "als";
    QTest::newRow("als-genre") << "als-genre";
    QTest::newRow("als-implicit") << "als-implicit";
    QTest::newRow("bias") << "bias";
}

void TestTopNRanker::explanationsSumToTheScorePart() {
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

void TestTopNRanker::nearestRatedMovieExplainsNcf() {
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

void TestTopNRanker::missingPersonaMoviesAreReported() {
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

void TestTopNRanker::popularityAndOverlap() {
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

QTEST_GUILESS_MAIN(TestTopNRanker)
#include "tst_topn_ranker.moc"
