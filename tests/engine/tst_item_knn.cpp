// Item-kNN with baseline (ItemKnnModel): the shrunk Pearson-baseline similarities and the
// predictions against a straightforward double-precision recomputation from the definitions
// (Koren 2008 / Surprise's KNNBaseline) on a tiny matrix and the planted fixture, the baseline
// being the bias model's own, neighbours truncated to `kept`, min_k, determinism across thread
// counts, save/load, fold-in of a trained user's own ratings, explanations (shares that sum to
// the neighbour term, nearest first), a stop inside the similarity step, the memory estimate,
// and the accuracy on ml-latest-small against the bias baseline.
#include <omp.h>
#include <QTemporaryDir>
#include <QtTest>
#include <algorithm>
#include <cmath>
#include <map>

#include "AlsTestSupport.h"
#include "TestData.h"
#include "eval/ModelEvaluation.h"
#include "io/DatasetLoader.h"
#include "models/BiasBaseline.h"
#include "models/ItemKnnModel.h"
#include "models/MemoryEstimate.h"
#include "models/ModelFile.h"
#include "models/RecommenderFactory.h"

using namespace lens;
using lens::test::allScores;

namespace {

TrainData tinyData() {
    // 7 users, 6 movies; movie 5 has no training rating (only a test one).
    const std::vector<RatingTriplet> train = {
        {0, 0, 4}, {0, 1, 5},   {0, 2, 1}, {0, 3, 3.5f}, {1, 0, 3}, {1, 1, 4}, {1, 2, 2},
        {1, 4, 5}, {2, 0, 5},   {2, 2, 1}, {2, 3, 4},    {2, 4, 2}, {3, 1, 2}, {3, 2, 5},
        {3, 3, 1}, {3, 4, 4.5}, {4, 0, 1}, {4, 1, 2},    {4, 3, 5}, {5, 0, 4}, {5, 2, 3},
        {5, 4, 1}, {6, 1, 5},   {6, 3, 2}, {6, 4, 3}};
    const std::vector<RatingTriplet> test = {{0, 5, 4}, {1, 3, 3}};
    return TrainData::fromTriplets(7, 6, train, test);
}

std::unique_ptr<ItemKnnModel> makeItemKnn(int k, double shrinkage, int kept, int minK = 1,
                                          int iterations = 15) {
    auto m = std::make_unique<ItemKnnModel>();
    m->setHyperparameter("k", std::to_string(k));
    m->setHyperparameter("shrinkage", formatReal(shrinkage));
    m->setHyperparameter("kept", std::to_string(kept));
    m->setHyperparameter("min_k", std::to_string(minK));
    m->setHyperparameter("iterations", std::to_string(iterations));
    return m;
}

// The definitions in double, with the baseline the model fitted: dense rating matrix, residual
// e_ui = r_ui - mu - b_u - b_i, and for each pair a loop over the common raters.
struct Reference {
    std::size_t users = 0, items = 0;
    std::vector<double> rating;  // users x items, NaN: unrated
    std::vector<double> bu, bi;
    double mu = 0;
    std::vector<double> sim;  // items x items

    Reference(const TrainData& data, const BiasBaseline& b, double shrinkage)
        : users(data.userCount()), items(data.itemCount()), mu(b.globalMean()) {
        rating.assign(users * items, std::nan(""));
        for (std::size_t u = 0; u < users; ++u) {
            const auto idx = data.byUser.rowIndex(u);
            const auto val = data.byUser.rowValues(u);
            for (std::size_t e = 0; e < idx.size(); ++e) rating[u * items + idx[e]] = val[e];
        }
        for (std::size_t u = 0; u < users; ++u) bu.push_back(b.userBiasVector()[u]);
        for (std::size_t i = 0; i < items; ++i) bi.push_back(b.itemBiasVector()[i]);
        sim.assign(items * items, 0.0);
        for (std::size_t i = 0; i < items; ++i)
            for (std::size_t j = 0; j < items; ++j) {
                if (i == j) continue;
                double dot = 0, si = 0, sj = 0, n = 0;
                for (std::size_t u = 0; u < users; ++u) {
                    if (std::isnan(r(u, i)) || std::isnan(r(u, j))) continue;
                    dot += e(u, i) * e(u, j);
                    si += e(u, i) * e(u, i);
                    sj += e(u, j) * e(u, j);
                    n += 1;
                }
                if (n > 0 && si > 0 && sj > 0)
                    sim[i * items + j] = n / (n + shrinkage) * dot / std::sqrt(si * sj);
            }
    }
    double r(std::size_t u, std::size_t i) const { return rating[u * items + i]; }
    double base(std::size_t u, std::size_t i) const { return mu + bu[u] + bi[i]; }
    double e(std::size_t u, std::size_t i) const { return r(u, i) - base(u, i); }
    double s(std::size_t i, std::size_t j) const { return sim[i * items + j]; }

    // i's positive neighbours, most similar first (ties: lower index), the first `kept`.
    std::vector<std::size_t> kept(std::size_t i, std::size_t keep) const {
        std::vector<std::size_t> out;
        for (std::size_t j = 0; j < items; ++j)
            if (s(i, j) > 0) out.push_back(j);
        std::stable_sort(out.begin(), out.end(), [&](auto a, auto b) { return s(i, a) > s(i, b); });
        if (out.size() > keep) out.resize(keep);
        return out;
    }
    // The k kept neighbours of i that u rated, and the prediction.
    std::vector<std::size_t> used(std::size_t u, std::size_t i, std::size_t keep, int k) const {
        std::vector<std::size_t> out;
        for (std::size_t j : kept(i, keep))
            if (!std::isnan(r(u, j)) && static_cast<int>(out.size()) < k) out.push_back(j);
        return out;
    }
    double predict(std::size_t u, std::size_t i, std::size_t keep, int k, int minK) const {
        const auto n = used(u, i, keep, k);
        if (static_cast<int>(n.size()) < minK) return base(u, i);
        double num = 0, den = 0;
        for (std::size_t j : n) {
            num += s(i, j) * e(u, j);
            den += std::fabs(s(i, j));
        }
        return base(u, i) + num / den;
    }
};

// A bias model with the item-kNN model's baseline settings.
BiasBaseline sameBaseline(const ItemKnnModel& model) {
    BiasBaseline b;
    for (const char* key : {"user_lambda", "item_lambda", "iterations"})
        b.setHyperparameter(key, model.hyperparameter(key));
    return b;
}

}  // namespace

class TestItemKnn : public QObject {
    Q_OBJECT

private slots:
    // Similarities and predictions equal the double-loop definitions; predictRaw and scoreAll
    // agree bit for bit; the baseline is the bias model's.
    void matchesDefinitions_data() {
        QTest::addColumn<QString>("fixture");
        QTest::addColumn<int>("k");
        QTest::addColumn<double>("shrinkage");
        QTest::addColumn<int>("kept");
        QTest::addColumn<int>("minK");
        QTest::newRow("tiny, no shrinkage, all kept") << "tiny" << 40 << 0.0 << 100 << 1;
        QTest::newRow("tiny, shrinkage 2, k 2") << "tiny" << 2 << 2.0 << 100 << 1;
        QTest::newRow("tiny, k 3, kept 2") << "tiny" << 3 << 1.0 << 2 << 1;
        QTest::newRow("planted, k 40, shrinkage 100") << "planted" << 40 << 100.0 << 1000 << 1;
        QTest::newRow("planted, k 10, shrinkage 25, kept 30") << "planted" << 10 << 25.0 << 30 << 3;
    }
    void matchesDefinitions() {
        QFETCH(QString, fixture);
        QFETCH(int, k);
        QFETCH(double, shrinkage);
        QFETCH(int, kept);
        QFETCH(int, minK);
        const TrainData data = fixture == "tiny" ? tinyData() : test::plantedTrainData();
        auto model = makeItemKnn(k, shrinkage, kept, minK);
        QCOMPARE(model->fit(data), FitStatus::Completed);
        QCOMPARE(model->history().size(), std::size_t(16));  // 15 baseline + similarity

        BiasBaseline bias = sameBaseline(*model);
        bias.fit(data);
        QVERIFY(bias.userBiasVector() == model->baseline().userBiasVector());
        QVERIFY(bias.itemBiasVector() == model->baseline().itemBiasVector());

        const Reference ref(data, model->baseline(), shrinkage);
        int positive = 0;
        for (std::uint32_t i = 0; i < data.itemCount(); ++i) {
            const auto keptRef = ref.kept(i, static_cast<std::size_t>(kept));
            QCOMPARE(model->neighbours().rowSize(i), keptRef.size());
            for (std::size_t p = 0; p < keptRef.size(); ++p) {
                const std::uint32_t j =
                    model->neighbours().items[model->neighbours().offsets[i] + p];
                QVERIFY2(std::fabs(model->similarity(i, j) - ref.s(i, j)) < 1e-5,
                         qPrintable(QString("s(%1,%2) %3 vs %4")
                                        .arg(i)
                                        .arg(j)
                                        .arg(model->similarity(i, j))
                                        .arg(ref.s(i, j))));
                // Ties in float may order differently from double only when (nearly) equal.
                QVERIFY(std::fabs(ref.s(i, j) - ref.s(i, keptRef[p])) < 1e-5);
                ++positive;
            }
        }
        QVERIFY(positive > 0);

        std::vector<float> row(data.itemCount());
        double worst = 0;
        int neighbourPredictions = 0;
        for (std::uint32_t u = 0; u < data.userCount(); ++u) {
            model->scoreAll(u, row);
            for (std::uint32_t i = 0; i < data.itemCount(); ++i) {
                const double want = ref.predict(u, i, static_cast<std::size_t>(kept), k, minK);
                QCOMPARE(model->predictRaw(u, i), row[i]);
                worst = std::max(worst, std::fabs(row[i] - want));
                neighbourPredictions += std::fabs(want - ref.base(u, i)) > 1e-6;
            }
        }
        QVERIFY2(worst < 2e-5, qPrintable(QString::number(worst)));
        QVERIFY(neighbourPredictions > 0);
        // The movie without training ratings has no neighbours: its prediction is the baseline.
        if (fixture == "tiny") {
            QCOMPARE(model->neighbours().rowSize(5), std::size_t(0));
            QVERIFY(std::fabs(model->predictRaw(0, 5) - ref.base(0, 5)) < 1e-6);
        }
    }

    void sameModelAnyThreadCountAndRoundTrip() {
        const TrainData data = test::plantedTrainData();
        const int before = omp_get_max_threads();
        omp_set_num_threads(1);
        auto one = makeItemKnn(20, 50, 60);
        one->fit(data);
        omp_set_num_threads(2);
        auto two = makeItemKnn(20, 50, 60);
        two->fit(data);
        omp_set_num_threads(before);
        QVERIFY(one->neighbours().items == two->neighbours().items);
        QVERIFY(one->neighbours().similarities == two->neighbours().similarities);
        QVERIFY(allScores(*one) == allScores(*two));

        QTemporaryDir dir;
        const std::string file = dir.filePath("knn.lmodel").toStdString();
        saveModel(*one, file);
        const auto loaded = loadModel(file);
        QCOMPARE(loaded->kind(), std::string("item-knn"));
        QCOMPARE(loaded->hyperparameter("kept"), std::string("60"));
        QCOMPARE(loaded->hyperparameter("shrinkage"), std::string("50"));
        const auto& knn = dynamic_cast<const ItemKnnModel&>(*loaded);
        QVERIFY(knn.neighbours().offsets == one->neighbours().offsets);
        QVERIFY(knn.neighbours().similarities == one->neighbours().similarities);
        QVERIFY(allScores(*loaded) == allScores(*one));
    }

    // A trained user's own ratings folded in give the trained user's predictions once the
    // baseline has converged (fold-in solves b_u against the final b_i, training against the
    // previous sweep's).
    void foldInAgreesWithTrainedUser() {
        const TrainData data = test::plantedTrainData();
        auto model = makeItemKnn(30, 100, 200, 1, 200);
        model->fit(data);
        std::vector<float> trained(data.itemCount()), folded(data.itemCount());
        double worst = 0;
        for (std::uint32_t u = 0; u < data.userCount(); u += 3) {
            std::vector<FoldInRating> ratings;
            const auto idx = data.byUser.rowIndex(u);
            const auto val = data.byUser.rowValues(u);
            for (std::size_t e = idx.size(); e-- > 0;) ratings.push_back({idx[e], val[e]});
            ratings.push_back({idx[0], 0.5f});   // a repeat: the first rating counts
            ratings.push_back({100000u, 5.0f});  // out of range: dropped
            const FoldedUser f = model->foldIn(ratings);
            QCOMPARE(f.ratings.size(), idx.size());
            QVERIFY(std::fabs(f.bias - model->baseline().userBiasVector()[u]) < 1e-5);
            model->scoreAll(u, trained);
            model->scoreAll(f, folded);
            for (std::size_t i = 0; i < trained.size(); ++i)
                worst = std::max(worst, double(std::fabs(trained[i] - folded[i])));
        }
        QVERIFY2(worst < 1e-4, qPrintable(QString::number(worst)));
    }

    // Each rated movie's share is s_ij e_j / sum s over the k most similar rated neighbours,
    // zero for the others; the shares sum to score - baseline.
    void explanationsAreTheNeighbours() {
        const TrainData data = test::plantedTrainData();
        const int k = 5;
        auto model = makeItemKnn(k, 100, 200);
        model->fit(data);
        const BiasBaseline& b = model->baseline();
        std::vector<FoldInRating> persona;
        for (std::uint32_t j = 0; j < 40; j += 3) persona.push_back({j, j % 2 ? 4.5f : 2.0f});
        const FoldedUser f = model->foldIn(persona);
        std::vector<float> scores(data.itemCount());
        model->scoreAll(f, scores);
        int explained = 0;
        for (std::uint32_t i = 0; i < data.itemCount(); ++i) {
            const std::vector<float> c = model->explain(f, i);
            QCOMPARE(c.size(), f.ratings.size());
            const double base = b.globalMean() + f.bias + b.itemBiasVector()[i];
            double sum = 0;
            std::vector<std::pair<float, std::size_t>> used;  // (similarity, rating)
            for (std::size_t r = 0; r < c.size(); ++r) {
                sum += c[r];
                if (c[r] != 0.0f) used.push_back({model->similarity(i, f.ratings[r].item), r});
            }
            QVERIFY2(std::fabs(base + sum - scores[i]) < 1e-5, qPrintable(QString::number(i)));
            if (used.empty()) continue;
            ++explained;
            QVERIFY(static_cast<int>(used.size()) <= k);
            // The used ones are the most similar rated movies: every other rated movie is less
            // similar than the least similar used one, and shares are s_ij e_j / sum s.
            float least = 1, total = 0;
            for (const auto& [s, r] : used) {
                QVERIFY(s > 0);
                least = std::min(least, s);
                total += s;
            }
            for (std::size_t r = 0; r < c.size(); ++r)
                if (c[r] == 0.0f && static_cast<int>(used.size()) == k)
                    QVERIFY(model->similarity(i, f.ratings[r].item) <= least);
            for (const auto& [s, r] : used) {
                const double e = f.ratings[r].rating -
                                 (b.globalMean() + f.bias + b.itemBiasVector()[f.ratings[r].item]);
                QVERIFY(std::fabs(c[r] - s * e / total) < 1e-5);
            }
        }
        QVERIFY(explained > 20);
    }

    // A stop inside the similarity step leaves the result incomplete and flagged; the model
    // stopped at its baseline's last report keeps the baseline's predictions, no neighbours.
    void stopsInsideAndBeforeTheSimilarityStep() {
        const TrainData data = test::plantedTrainData();
        RatingResiduals residuals;
        for (std::size_t u = 0; u < data.byUser.rows(); ++u)
            for (std::uint64_t e = data.byUser.offsets[u]; e < data.byUser.offsets[u + 1]; ++e)
                residuals.byUser.push_back(data.byUser.values[e] - 3.5f);
        for (std::size_t i = 0; i < data.byItem.rows(); ++i)
            for (std::uint64_t e = data.byItem.offsets[i]; e < data.byItem.offsets[i + 1]; ++e)
                residuals.byItem.push_back(data.byItem.values[e] - 3.5f);
        std::atomic<int> asked{0};
        bool stopped = false;
        const ItemNeighbours partial = computeItemNeighbours(
            data, residuals, {}, [&] { return ++asked > 5; }, &stopped);
        QVERIFY(stopped);
        std::size_t emptyRows = 0;
        for (std::size_t i = 0; i < partial.rows(); ++i) emptyRows += partial.rowSize(i) == 0;
        QVERIFY(emptyRows >= data.itemCount() - 8);  // at most a few rows per thread finished

        auto stopping = makeItemKnn(20, 100, 50, 1, 3);
        FitControl control;
        control.observer = [](const TrainingSnapshot& s) { return s.iteration < 3; };
        QCOMPARE(stopping->fit(data, control), FitStatus::Stopped);
        QCOMPARE(stopping->history().size(), std::size_t(3));
        QVERIFY(stopping->neighbours().empty());
        BiasBaseline bias = sameBaseline(*stopping);
        bias.fit(data);
        for (std::uint32_t u = 0; u < data.userCount(); u += 11)
            for (std::uint32_t i = 0; i < data.itemCount(); i += 7)
                QCOMPARE(stopping->predictRaw(u, i), bias.predictRaw(u, i));
    }

    // The estimate counts at least what the fitted model holds.
    void memoryEstimateCoversTheModel() {
        const TrainData data = test::plantedTrainData();
        auto model = makeItemKnn(20, 100, 60);
        model->fit(data);
        TrainingShape shape;
        shape.users = data.userCount();
        shape.items = data.itemCount();
        shape.ratings = data.trainCount() + data.testCount();
        shape.testFraction = double(data.testCount()) / double(shape.ratings);
        shape.threads = 2;
        const MemoryEstimate e = estimateTrainingMemory(*model, shape);
        const std::uint64_t held = model->neighbours().items.size() * 8 + data.trainCount() * 8;
        QVERIFY2(e.parameterBytes >= held, qPrintable(QString::fromStdString(e.describe())));
        auto more = makeItemKnn(20, 100, 120);
        QVERIFY(estimateTrainingMemory(*more, shape).total() > e.total());
    }

    // The neighbourhood improves on the bias model it starts from (same split, same baseline).
    void beatsTheBaselineOnMlLatestSmall() {
        LENS_REQUIRE_RELEASE(path, "ml-latest-small");
        LENS_RELEASE_STAGE_ONLY_ROW("an accuracy figure of the release");
        const Dataset dataset = loadDataset(path.toStdString());
        const TrainData data =
            TrainData::build(dataset, makeSplit(dataset, SplitSpec::parse("per-user:0.2")));
        auto knn = createRecommender("item-knn");
        auto bias = createRecommender("bias");
        QCOMPARE(knn->fit(data), FitStatus::Completed);
        bias->fit(data);
        const double knnRmse = evaluateModel(*knn, data, false).testRmse;
        const double biasRmse = evaluateModel(*bias, data, false).testRmse;
        qInfo("ml-latest-small per-user:0.2: item-knn test RMSE %.4f, bias %.4f", knnRmse,
              biasRmse);
        QVERIFY2(knnRmse < biasRmse - 0.01, qPrintable(QString::number(knnRmse)));
    }
};

QTEST_GUILESS_MAIN(TestItemKnn)
#include "tst_item_knn.moc"
