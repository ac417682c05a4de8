// Validation parts, sweeps and k-fold splits (engine/tuning): validation never touches the test
// part and has the documented size; leave-one-out validation is each user's latest training
// rating; a sweep's trials are the grid (or distinct draws from it), the best is chosen by
// validation alone and its test figure is the retrained model's; folds partition the ratings.
#include <QtTest>
#include <algorithm>
#include <cmath>
#include <set>

#include "data/Split.h"
#include "eval/ModelEvaluation.h"
#include "eval/PerUserMetrics.h"
#include "models/RecommenderFactory.h"
#include "models/TrainData.h"
#include "synth/SyntheticGenerator.h"
#include "tuning/CrossValidation.h"
#include "tuning/Sweep.h"
#include "tuning/ValidationData.h"
#include "util/Errors.h"

using namespace lens;

class TestTuning : public QObject {
    Q_OBJECT

    Dataset dataset_;

private slots:
    void initTestCase() {
        SyntheticConfig config;
        config.ratings = 20'000;
        dataset_ = generateSyntheticDataset(config);
    }

    void holdoutValidationAvoidsTest() {
        const Split split = makeSplit(dataset_, SplitSpec::parse("per-user:0.2", 7));
        const ValidationSpec spec = ValidationSpec::forSplit(split.spec);
        QVERIFY(!spec.latest);
        QCOMPARE(spec.seed, std::uint64_t(7));
        const auto mask = validationMask(dataset_, split, spec);
        QCOMPARE(mask, validationMask(dataset_, split, spec));  // deterministic
        const auto& off = dataset_.byUser.offsets;
        for (std::size_t u = 0; u + 1 < off.size(); ++u) {
            std::size_t train = 0, held = 0;
            for (std::size_t e = off[u]; e < off[u + 1]; ++e) {
                QVERIFY(!(mask[e] && split.isTest[e]));
                train += !split.isTest[e];
                held += mask[e];
            }
            if (train < 2) {
                QCOMPARE(held, std::size_t(0));
            } else {
                const double want = std::clamp(std::round(0.1 * train), 1.0, train - 1.0);
                QCOMPARE(double(held), want);
            }
        }
        const TrainData v = validationTrainData(dataset_, split, spec);
        const std::size_t held = static_cast<std::size_t>(std::count(mask.begin(), mask.end(), 1));
        QCOMPARE(v.testCount(), held);
        QCOMPARE(v.trainCount() + v.testCount(), split.trainCount);
        QCOMPARE(v.userIds, dataset_.userIds);
        QCOMPARE(v.split.text(), split.spec.text());
    }

    void leaveOneOutValidationIsTheLatestTrainingRating() {
        const Split split = makeSplit(dataset_, SplitSpec::parse("loo", 42));
        const auto mask = validationMask(dataset_, split, ValidationSpec::forSplit(split.spec));
        const auto& off = dataset_.byUser.offsets;
        for (std::size_t u = 0; u + 1 < off.size(); ++u) {
            std::vector<std::size_t> train;
            for (std::size_t e = off[u]; e < off[u + 1]; ++e)
                if (!split.isTest[e]) train.push_back(e);
            std::size_t held = 0;
            for (std::size_t e : train) held += mask[e];
            QCOMPARE(held, train.size() >= 2 ? std::size_t(1) : std::size_t(0));
            for (std::size_t e : train)
                if (mask[e])
                    for (std::size_t o : train)
                        QVERIFY(dataset_.timestamps[o] <= dataset_.timestamps[e]);
        }
    }

    void gridAndRandomTrials() {
        SweepConfig config;
        config.modelKind = "als";
        config.axes = {{"k", {"4", "8", "16"}}, {"lambda", {"0.05", "0.5"}}};
        const auto grid = sweepTrials(config);
        QCOMPARE(grid.size(), std::size_t(6));
        QCOMPARE(grid[0].params[0].second, std::string("4"));
        QCOMPARE(grid[1].params[1].second, std::string("0.5"));  // the last axis varies fastest
        config.randomTrials = 4;
        const auto drawn = sweepTrials(config);
        QCOMPARE(drawn.size(), std::size_t(4));
        std::set<std::vector<std::pair<std::string, std::string>>> distinct;
        for (const auto& t : drawn) distinct.insert(t.params);
        QCOMPARE(distinct.size(), std::size_t(4));
        config.axes.push_back({"k", {"2"}});
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, sweepTrials(config));
    }

    void sweepChoosesByValidationAndTestsOnce() {
        SweepConfig config;
        config.modelKind = "als";
        config.axes = {{"lambda", {"0.01", "1.0", "30"}}};
        config.fixed = {{"iterations", "5"}, {"k", "8"}};
        const SplitSpec spec = SplitSpec::parse("per-user:0.2", 42);
        const SweepResult r = runSweep(dataset_, spec, config);
        QCOMPARE(r.metric, std::string("rmse"));
        QCOMPARE(r.trials.size(), std::size_t(3));
        for (const auto& t : r.trials) QVERIFY(t.validation >= r.bestValidation);
        // Independently: the chosen settings trained on the whole training part and scored on
        // the test part by the shared evaluation.
        auto model = createRecommender("als");
        model->setHyperparameter("seed", "42");
        model->setHyperparameter("iterations", "5");
        model->setHyperparameter("k", "8");
        for (const auto& [k, v] : r.trials[r.best].params) model->setHyperparameter(k, v);
        const TrainData full = TrainData::build(dataset_, makeSplit(dataset_, spec));
        model->fit(full);
        QCOMPARE(r.bestTest, evaluateModel(*model, full, false).testRmse);
        // The validation figure is not the test figure: the test part was not looked at.
        QVERIFY(r.bestValidation != r.bestTest);

        config.axes = {{"no_such_key", {"1"}}};
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, runSweep(dataset_, spec, config));
    }

    // A stop request reaches the trial being trained (not only the gap between trials).
    void sweepStopsOnRequest() {
        SweepConfig config;
        config.modelKind = "als";
        config.axes = {{"lambda", {"0.05", "0.1", "0.5"}}};
        std::stop_source stop;
        std::size_t observed = 0;
        bool cancelled = false;
        try {
            runSweep(
                dataset_, SplitSpec::parse("per-user:0.2", 42), config,
                [&](std::size_t, std::size_t, const SweepTrial&) {
                    ++observed;
                    stop.request_stop();  // while the observer still says "go on"
                    return true;
                },
                stop.get_token());
        } catch (const Cancelled&) {
            cancelled = true;
        }
        QVERIFY(cancelled);
        QCOMPARE(observed, std::size_t(1));
    }

    // The pieces runSweep shares with the Train stage's sweep (ui/train/SweepSession).
    void trialSettingsReplaceInPlace() {
        SweepTrial trial;
        trial.params = {{"lambda", "0.5"}, {"alpha", "3"}};
        const auto settings =
            withTrialValues({{"k", "8"}, {"lambda", "0.1"}, {"iterations", "5"}}, trial);
        const std::vector<std::pair<std::string, std::string>> expected = {
            {"k", "8"}, {"lambda", "0.5"}, {"iterations", "5"}, {"alpha", "3"}};
        QVERIFY(settings == expected);
    }

    void bestTrialByValidation() {
        auto trials = [](std::vector<double> v) {
            std::vector<SweepTrial> t(v.size());
            for (std::size_t i = 0; i < v.size(); ++i) t[i].validation = v[i];
            return t;
        };
        const double nan = std::nan("");
        QCOMPARE(bestSweepTrial(trials({0.9, 0.8, 0.85}), true), std::size_t(1));
        QCOMPARE(bestSweepTrial(trials({0.9, 0.8, 0.95}), false), std::size_t(2));
        QCOMPARE(bestSweepTrial(trials({nan, 0.9, nan, 0.7}), true), std::size_t(3));
        QCOMPARE(bestSweepTrial(trials({nan, 0.9, 0.95}), false), std::size_t(2));
        QCOMPARE(bestSweepTrial(trials({0.8, 0.8}), true), std::size_t(0));  // the first of equals
        QCOMPARE(bestSweepTrial(trials({nan, nan}), true), std::size_t(0));
    }

    void metricsOfFigures() {
        HeldOutFigures f;
        f.rmse = 1;
        f.hr10 = 2;
        f.ndcg10 = 3;
        f.fullHr10 = 4;
        f.fullNdcg10 = 5;
        QCOMPARE(heldOutMetric(f, "rmse"), 1.0);
        QCOMPARE(heldOutMetric(f, "hr10"), 2.0);
        QCOMPARE(heldOutMetric(f, "ndcg10"), 3.0);
        QCOMPARE(heldOutMetric(f, "full_hr10"), 4.0);
        QCOMPARE(heldOutMetric(f, "full_ndcg10"), 5.0);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, heldOutMetric(f, "mae"));
        SweepConfig config;
        config.modelKind = "als";
        QCOMPARE(sweepMetric(config), std::string("rmse"));
        config.modelKind = "neumf";
        QCOMPARE(sweepMetric(config), std::string("ndcg10"));
        config.modelKind = "als-implicit";
        config.metric = "rmse";
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, sweepMetric(config));
        config.modelKind = "nope";
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, sweepMetric(config));
    }

    // A trial as the Train stage runs it (curves on validation) gives the figure runSweep gives
    // (no curves) for a model whose fit does not look at its evaluations; the figure is the
    // model's on the validation part, the test part untouched; the final fit holds nothing out.
    void trialAndFinalFits() {
        const SplitSpec spec = SplitSpec::parse("per-user:0.2", 42);
        SweepConfig config;
        config.modelKind = "als";
        config.axes = {{"lambda", {"0.05", "2"}}};
        config.fixed = {{"iterations", "3"}, {"k", "6"}};
        const SweepResult sweep = runSweep(dataset_, spec, config);
        const Split split = makeSplit(dataset_, spec);
        const TrainData validation =
            validationTrainData(dataset_, split, ValidationSpec::forSplit(spec));
        for (std::size_t t = 0; t < sweep.trials.size(); ++t) {
            auto model = createRecommender("als");
            model->setHyperparameter("seed", "42");
            for (const auto& [k, v] : withTrialValues(config.fixed, sweep.trials[t]))
                model->setHyperparameter(k, v);
            SweepFitOptions options;
            options.curves = true;
            const SweepFit fit = fitSweepTrial(*model, validation, options);
            QVERIFY(fit.scored);
            QCOMPARE(fit.status, FitStatus::Completed);
            QCOMPARE(fit.figures.rmse, sweep.trials[t].validation);
            QCOMPARE(fit.figures.rmse, evaluateModel(*model, validation, false).testRmse);
            QCOMPARE(model->history().size(), std::size_t(3));
            for (const auto& s : model->history()) QVERIFY(std::isfinite(s.testRmse));
        }
        auto model = createRecommender("als");
        model->setHyperparameter("seed", "42");
        for (const auto& [k, v] : withTrialValues(config.fixed, sweep.trials[sweep.best]))
            model->setHyperparameter(k, v);
        SweepFitOptions options;
        options.perUser = true;
        const SweepFit final = fitSweepFinal(*model, dataset_, split, options);
        QVERIFY(final.scored);
        QCOMPARE(final.figures.rmse, sweep.bestTest);
        for (const auto& s : model->history()) QVERIFY(std::isnan(s.testRmse));
        QVERIFY(final.perUser.column("rmse"));
        QVERIFY(!final.perUser.users.empty());
        // Abandoned after the fit: not scored.
        options.abandoned = [] { return true; };
        QVERIFY(!fitSweepFinal(*model, dataset_, split, options).scored);
    }

    void foldsPartitionTheRatings() {
        const auto splits = perUserFoldSplits(dataset_, 4, 3);
        QCOMPARE(splits.size(), std::size_t(4));
        std::vector<int> testedIn(dataset_.ratingCount(), 0);
        for (const Split& s : splits)
            for (std::size_t e = 0; e < s.isTest.size(); ++e) testedIn[e] += s.isTest[e];
        const auto& off = dataset_.byUser.offsets;
        for (std::size_t u = 0; u + 1 < off.size(); ++u) {
            const std::size_t n = off[u + 1] - off[u];
            for (std::size_t e = off[u]; e < off[u + 1]; ++e) QCOMPARE(testedIn[e], n >= 2 ? 1 : 0);
        }
        CrossValidationConfig config;
        config.modelKind = "bias";
        config.folds = 4;
        config.seed = 3;
        const auto r = crossValidate(dataset_, config);
        QCOMPARE(r.folds.size(), std::size_t(4));
        double sum = 0;
        for (const auto& f : r.folds) sum += f.evaluation.testRmse;
        QCOMPARE(r.summary.front().metric, std::string("test_rmse"));
        QVERIFY(std::abs(r.summary.front().mean - sum / 4) < 1e-12);
        QVERIFY(r.summary.front().sd > 0);
    }
};

QTEST_APPLESS_MAIN(TestTuning)
#include "tst_tuning.moc"
