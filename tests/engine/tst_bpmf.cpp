// Bayesian probabilistic matrix factorisation, the model (BpmfModel; its sampling kernels are
// tst_bpmf_sampler): the stored samples averaged into the prediction, thinning, determinism
// across thread counts, the model file, fold-in and its exact explanations, stops, the memory
// estimate, and the accuracy on ml-latest-small against ALS and without the genre prior.
#include <omp.h>
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>

#include "AlsTestSupport.h"
#include "BpmfTestSupport.h"
#include "TestData.h"
#include "eval/ModelEvaluation.h"
#include "io/DatasetLoader.h"
#include "models/BpmfModel.h"
#include "models/MemoryEstimate.h"
#include "models/ModelFile.h"
#include "models/RecommenderFactory.h"

using namespace lens;
using lens::test::allScores;
using namespace lens::test::bpmf;

namespace {

std::unique_ptr<BpmfModel> makeBpmf(int k, int sweeps, int burnIn, std::uint64_t seed = 42,
                                    bool biases = false) {
    auto m = std::make_unique<BpmfModel>();
    m->setHyperparameter("biases", biases ? "on" : "off");
    m->setHyperparameter("alpha", "2");
    m->setHyperparameter("k", std::to_string(k));
    m->setHyperparameter("sweeps", std::to_string(sweeps));
    m->setHyperparameter("burn_in", std::to_string(burnIn));
    m->setHyperparameter("seed", std::to_string(seed));
    return m;
}

}  // namespace

class TestBpmf : public QObject {
    Q_OBJECT

private slots:
    void predictionIsTheAverageOfTheSamples_data() {
        QTest::addColumn<bool>("biases");
        QTest::newRow("no biases") << false;
        QTest::newRow("biases") << true;
    }
    void predictionIsTheAverageOfTheSamples() {
        QFETCH(bool, biases);
        const TrainData data = test::plantedTrainData();
        auto model = makeBpmf(5, 7, 3, 42, biases);
        QCOMPARE(model->fit(data), FitStatus::Completed);
        QCOMPARE(model->history().size(), std::size_t(7));
        const auto& samples = model->samples();
        QCOMPARE(samples.size(), std::size_t(4));
        QVERIFY(samples[0].users != samples[1].users);
        for (std::uint32_t u = 0; u < data.userCount(); u += 13) {
            for (std::uint32_t i = 0; i < data.itemCount(); i += 7) {
                double sum = 0;
                for (const auto& s : samples) {
                    QCOMPARE(s.users.cols(), Eigen::Index(biases ? 6 : 5));
                    for (int c = 0; c < 5; ++c) sum += double(s.users(u, c)) * s.items(i, c);
                    if (biases) sum += double(s.users(u, 5)) + s.items(i, 5);
                }
                const double expected = data.globalMean + sum / 4.0;
                QVERIFY(std::fabs(model->predictRaw(u, i) - expected) < 1e-4);
            }
        }
        std::vector<float> row(data.itemCount());
        model->scoreAll(3, row);
        for (std::uint32_t i = 0; i < data.itemCount(); ++i)
            QVERIFY(std::fabs(row[i] - model->predictRaw(3, i)) < 1e-4);
        // The train RMSE reported is that of the averaged, clipped prediction.
        double sse = 0;
        for (std::uint32_t u = 0; u < data.userCount(); ++u) {
            const auto idx = data.byUser.rowIndex(u);
            const auto val = data.byUser.rowValues(u);
            for (std::size_t j = 0; j < idx.size(); ++j) {
                const double e = val[j] - model->predict(u, idx[j]);
                sse += e * e;
            }
        }
        QVERIFY(std::fabs(model->history().back().trainRmse - std::sqrt(sse / data.trainCount())) <
                1e-4);
        // Burn-in at or above the sweeps: the last draw is the one sample.
        auto burnt = makeBpmf(5, 3, 5);
        burnt->fit(data);
        QCOMPARE(burnt->samples().size(), std::size_t(1));
    }

    void sameSeedSameModelAnyThreadCount() {
        const TrainData data = test::plantedTrainData();
        const int before = omp_get_max_threads();
        omp_set_num_threads(1);
        auto one = makeBpmf(6, 6, 2);
        one->fit(data);
        omp_set_num_threads(2);
        auto two = makeBpmf(6, 6, 2);
        two->fit(data);
        omp_set_num_threads(before);
        QVERIFY(allScores(*one) == allScores(*two));
        QCOMPARE(one->samples().size(), two->samples().size());
        for (std::size_t s = 0; s < one->samples().size(); ++s) {
            QVERIFY(one->samples()[s].users == two->samples()[s].users);
            QVERIFY(one->samples()[s].items == two->samples()[s].items);
        }
        auto other = makeBpmf(6, 6, 2, 7);
        other->fit(data);
        QVERIFY(allScores(*other) != allScores(*one));
    }

    void roundTripThroughTheModelFile() {
        const TrainData data = test::plantedTrainData();
        auto model = makeBpmf(4, 5, 1);
        model->setHyperparameter("alpha", "1.5");
        model->fit(data);
        QTemporaryDir dir;
        const std::string file = dir.filePath("bpmf.lmodel").toStdString();
        saveModel(*model, file);
        const auto loaded = loadModel(file);
        QCOMPARE(loaded->kind(), std::string("bpmf"));
        QCOMPARE(loaded->hyperparameter("alpha"), std::string("1.5"));
        const auto& b = dynamic_cast<const BpmfModel&>(*loaded);
        QCOMPARE(b.samples().size(), std::size_t(4));
        QVERIFY(allScores(*loaded) == allScores(*model));
        const std::vector<FoldInRating> persona = {{2, 5.0f}, {9, 1.0f}, {17, 4.0f}};
        QCOMPARE(loaded->foldIn(persona).factors, model->foldIn(persona).factors);
    }

    // Fold-in: per sample the conditional mean (against an independent recomputation), scores
    // the average over samples, and explanations that add up to the score less the prior's part.
    void foldInAndExplanations_data() { predictionIsTheAverageOfTheSamples_data(); }
    void foldInAndExplanations() {
        QFETCH(bool, biases);
        const int d = biases ? 6 : 5;
        const TrainData data = test::plantedTrainData();
        auto model = makeBpmf(5, 6, 3, 42, biases);
        model->fit(data);
        const std::uint32_t user = 10;
        std::vector<FoldInRating> persona;
        std::vector<std::uint32_t> items;
        std::vector<float> ratings;
        for (std::size_t j = 0; j < data.byUser.rowSize(user); ++j) {
            persona.push_back({data.byUser.rowIndex(user)[j], data.byUser.rowValues(user)[j]});
            items.push_back(persona.back().item);
            ratings.push_back(persona.back().rating);
        }
        persona.push_back({100000, 5.0f});  // out of range: dropped
        const FoldedUser f = model->foldIn(persona);
        QCOMPARE(f.ratings.size(), items.size());
        const auto& samples = model->samples();
        const double mu = model->globalMean(), alpha = 2.0;
        std::vector<float> scores(data.itemCount());
        model->scoreAll(f, scores);
        for (std::uint32_t i = 0; i < data.itemCount(); i += 9) {
            double score = 0, prior = 0;
            for (std::size_t s = 0; s < samples.size(); ++s) {
                const auto& smp = samples[s];
                const RowReference ref =
                    rowReference(items, ratings, smp.items, alpha, mu, smp.userHyper, biases);
                for (int c = 0; c < d; ++c)
                    QVERIFY(std::fabs(f.factors[Eigen::Index(s * d + c)] - ref.mean[c]) < 1e-4);
                // The prior's share: z_i . A^-1 Lambda mu, z_i = V_i or [q_i, 1].
                std::vector<double> lm(d, 0.0);
                for (int a = 0; a < d; ++a)
                    for (int b = 0; b < d; ++b)
                        lm[a] += smp.userHyper.precision(a, b) * smp.userHyper.mean[b];
                const std::vector<double> pm = times(inverse(ref.precision), lm);
                for (int c = 0; c < d; ++c) {
                    const double z = biases && c == 5 ? 1.0 : smp.items(i, c);
                    score += z * ref.mean[c] / samples.size();
                    prior += z * pm[c] / samples.size();
                }
                if (biases) score += smp.items(i, 5) / samples.size();  // b_i: not explained
                if (biases) prior += smp.items(i, 5) / samples.size();
            }
            QVERIFY(std::fabs(scores[i] - (mu + score)) < 1e-4);
            const std::vector<float> parts = model->explain(f, i);
            QCOMPARE(parts.size(), items.size());
            double total = 0;
            for (float p : parts) total += p;
            QVERIFY2(std::fabs(total - (score - prior)) < 1e-4,
                     qPrintable(QString("%1 vs %2").arg(total).arg(score - prior)));
        }
        // The persona folded from a trained user's ratings scores like that user.
        std::vector<float> trained(data.itemCount());
        model->scoreAll(user, trained);
        double sxy = 0, sxx = 0, syy = 0, mx = 0, my = 0;
        const double n = double(data.itemCount());
        for (std::size_t i = 0; i < trained.size(); ++i) {
            mx += trained[i] / n;
            my += scores[i] / n;
        }
        for (std::size_t i = 0; i < trained.size(); ++i) {
            sxy += (trained[i] - mx) * (scores[i] - my);
            sxx += (trained[i] - mx) * (trained[i] - mx);
            syy += (scores[i] - my) * (scores[i] - my);
        }
        QVERIFY2(sxy / std::sqrt(sxx * syy) > 0.9,
                 qPrintable(QString::number(sxy / std::sqrt(sxx * syy))));
    }

    // A cancel raised during a sweep's report stops before the next sweep; a stop before the
    // first sweep leaves the starting draw as a usable model.
    void stopsWithinOneSweep() {
        const TrainData data = test::plantedTrainData();
        auto model = makeBpmf(5, 20, 2);
        std::atomic<bool> cancel{false};
        FitControl control;
        control.cancelFlag = &cancel;
        control.observer = [&](const TrainingSnapshot& s) {
            if (s.iteration == 4) cancel = true;
            return true;
        };
        QCOMPARE(model->fit(data, control), FitStatus::Stopped);
        QCOMPARE(model->history().size(), std::size_t(4));
        QCOMPARE(model->samples().size(), std::size_t(2));
        for (float s : allScores(*model)) QVERIFY(std::isfinite(s));

        auto early = makeBpmf(5, 20, 2);
        std::stop_source source;
        source.request_stop();
        FitControl stopNow;
        stopNow.stopToken = source.get_token();
        QCOMPARE(early->fit(data, stopNow), FitStatus::Stopped);
        QVERIFY(early->history().empty());
        QCOMPARE(early->samples().size(), std::size_t(1));
        for (float s : allScores(*early)) QVERIFY(std::isfinite(s));
    }

    // The estimate holds at least the stored samples and grows with them.
    void memoryEstimateCoversTheSamples() {
        const TrainData data = test::plantedTrainData();
        auto model = makeBpmf(8, 12, 2);
        model->fit(data);
        TrainingShape shape;
        shape.users = data.userCount();
        shape.items = data.itemCount();
        shape.ratings = data.trainCount() + data.testCount();
        shape.testFraction = double(data.testCount()) / double(shape.ratings);
        shape.threads = 2;
        const MemoryEstimate e = estimateTrainingMemory(*model, shape);
        std::uint64_t held = 0;
        for (const auto& s : model->samples())
            held += std::uint64_t(s.users.size() + s.items.size()) * 4;
        QVERIFY2(e.parameterBytes >= held, qPrintable(QString::fromStdString(e.describe())));
        QVERIFY(e.parameterBytes < 3 * held);
        auto more = makeBpmf(8, 40, 2);
        QVERIFY(estimateTrainingMemory(*more, shape).total() > e.total() + 20 * held / 10);
    }

    // thin n keeps sweeps burn-in + n, + 2n, ...: the same draws as the unthinned chain (each
    // sweep has its own streams), fewer of them, and the estimate counts only those.
    void thinningKeepsEveryNthSweep() {
        const TrainData data = test::plantedTrainData();
        auto all = makeBpmf(5, 11, 2, 7, true);
        QCOMPARE(all->fit(data), FitStatus::Completed);
        QCOMPARE(all->samples().size(), std::size_t(9));  // sweeps 3..11
        auto thinned = makeBpmf(5, 11, 2, 7, true);
        thinned->setHyperparameter("thin", "3");
        QCOMPARE(thinned->fit(data), FitStatus::Completed);
        QCOMPARE(thinned->samples().size(), std::size_t(3));  // sweeps 5, 8, 11
        for (std::size_t i = 0; i < 3; ++i) {
            QVERIFY(thinned->samples()[i].users == all->samples()[3 * i + 2].users);
            QVERIFY(thinned->samples()[i].items == all->samples()[3 * i + 2].items);
        }
        // Every sweep's trace after the first kept sample is the average's (sweep 6 and 7
        // repeat sweep 5's one-sample average: its training RMSE).
        const auto& h = thinned->history();
        QCOMPARE(h.size(), std::size_t(11));
        QCOMPARE(h[5].trainRmse, h[4].trainRmse);
        QCOMPARE(h[6].trainRmse, h[4].trainRmse);
        QVERIFY(h[7].trainRmse != h[4].trainRmse);
        TrainingShape shape;
        shape.users = data.userCount();
        shape.items = data.itemCount();
        shape.ratings = data.trainCount();
        shape.threads = 1;
        const std::uint64_t held =
            3 * std::uint64_t(data.userCount() + data.itemCount()) * 6 * sizeof(float);
        const MemoryEstimate e = estimateTrainingMemory(*thinned, shape);
        QVERIFY2(e.parameterBytes >= held && e.parameterBytes < 2 * held,
                 qPrintable(QString::fromStdString(e.describe())));
        QVERIFY(estimateTrainingMemory(*all, shape).parameterBytes > 2 * e.parameterBytes);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, thinned->setHyperparameter("thin", "0"));
    }

    // Averaging samples beats the point estimate of ALS at its defaults on the same split, and
    // the genre prior (on by default) beats BPMF without it: issue #18's target for the best
    // shipped rating model on this split is a test RMSE <= 0.830.
    void beatsAlsOnMlLatestSmall() {
        LENS_REQUIRE_RELEASE(path, "ml-latest-small");
        LENS_RELEASE_STAGE_ONLY_ROW("an accuracy figure of the release");
        const Dataset dataset = loadDataset(path.toStdString());
        const TrainData data =
            TrainData::build(dataset, makeSplit(dataset, SplitSpec::parse("per-user:0.2")));
        auto bpmf = createRecommender("bpmf");
        QCOMPARE(bpmf->hyperparameter("genre_prior"), std::string("on"));
        auto plain = createRecommender("bpmf");
        plain->setHyperparameter("genre_prior", "off");
        auto als = createRecommender("als-genre");
        QCOMPARE(bpmf->fit(data), FitStatus::Completed);
        QCOMPARE(plain->fit(data), FitStatus::Completed);
        als->fit(data);
        const double bpmfRmse = evaluateModel(*bpmf, data, false).testRmse;
        const double plainRmse = evaluateModel(*plain, data, false).testRmse;
        const double alsRmse = evaluateModel(*als, data, false).testRmse;
        qInfo(
            "ml-latest-small per-user:0.2: bpmf test RMSE %.4f (without the genre prior %.4f), "
            "als-genre %.4f",
            bpmfRmse, plainRmse, alsRmse);
        QVERIFY2(bpmfRmse <= 0.830, qPrintable(QString::number(bpmfRmse)));
        QVERIFY2(bpmfRmse < plainRmse - 0.005, qPrintable(QString::number(plainRmse)));
        QVERIFY2(bpmfRmse < alsRmse - 0.005, qPrintable(QString::number(alsRmse)));
    }
};

QTEST_GUILESS_MAIN(TestBpmf)
#include "tst_bpmf.moc"
