// A training run's protocol (tuning/ValidatedTraining.h): the model fits on the training part
// minus validation, every iteration is scored on validation (the figures equal an independent
// recomputation from the validation mask), the test part is scored exactly once after the fit
// (and never when the run produced no model), and the final test figures and per-user metrics
// equal a recomputation on the split.
#include <QtTest>
#include <atomic>
#include <cmath>
#include <set>
#include <utility>

#include "data/Split.h"
#include "eval/ModelEvaluation.h"
#include "eval/PerUserMetrics.h"
#include "eval/RankingMetrics.h"
#include "models/RecommenderFactory.h"
#include "models/TrainData.h"
#include "synth/SyntheticGenerator.h"
#include "tuning/ValidatedTraining.h"
#include "tuning/ValidationData.h"

using namespace lens;

namespace {

using Pair = std::pair<std::uint32_t, std::uint32_t>;

std::set<Pair> pairsOf(const std::vector<RatingTriplet>& triplets) {
    std::set<Pair> out;
    for (const auto& t : triplets) out.insert({t.user, t.item});
    return out;
}

std::unique_ptr<Recommender> quickTrainingModel(const std::string& kind, int iterations) {
    auto model = createRecommender(kind);
    if (kind != "bias" && kind != "ease") {
        model->setHyperparameter("k", "8");
        model->setHyperparameter("iterations", std::to_string(iterations));
    } else if (kind == "bias") {
        model->setHyperparameter("iterations", std::to_string(iterations));
    }
    return model;
}

}  // namespace

class TestValidatedTraining : public QObject {
    Q_OBJECT

    Dataset dataset_;

private slots:
    void initTestCase() {
        SyntheticConfig config;
        config.ratings = 20'000;
        dataset_ = generateSyntheticDataset(config);
    }

    void testPartIsScoredOnce_data() {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("split");
        QTest::newRow("bias holdout") << "bias"
                                      << "per-user:0.2";
        QTest::newRow("als holdout") << "als"
                                     << "per-user:0.2";
        QTest::newRow("als loo") << "als"
                                 << "loo";
        QTest::newRow("als-implicit loo") << "als-implicit"
                                          << "loo";
    }

    void testPartIsScoredOnce() {
        QFETCH(QString, kind);
        QFETCH(QString, split);
        const SplitSpec spec = SplitSpec::parse(split.toStdString(), 7);
        const Split s = makeSplit(dataset_, spec);
        const TrainData reference = TrainData::build(dataset_, s);
        const std::set<Pair> testPairs = pairsOf(reference.test);
        auto model = quickTrainingModel(kind.toStdString(), 3);

        ValidatedTrainingOptions options;
        options.validation = ValidationSpec::forSplit(spec);
        options.rankingModel = findRecommender(kind.toStdString())->ranking;
        int validationScorings = 0, testScorings = 0, observed = 0;
        bool testBeforeEnd = false;
        options.onEvaluate = [&](EvaluatedPart part, const TrainData& data) {
            if (part == EvaluatedPart::Validation) {
                ++validationScorings;
                // The part scored holds no test rating, and the model's training none either.
                for (const auto& t : data.test) QVERIFY(!testPairs.count({t.user, t.item}));
                QCOMPARE(data.trainCount() + data.testCount(), s.trainCount);
            } else {
                ++testScorings;
                QCOMPARE(pairsOf(data.test), testPairs);
            }
        };
        options.control.observer = [&](const TrainingSnapshot&) {
            ++observed;
            testBeforeEnd |= testScorings > 0;
            return true;
        };
        const ValidatedTrainingResult result = trainValidated(*model, dataset_, s, options);
        QCOMPARE(result.status, FitStatus::Completed);
        QVERIFY(result.tested);
        QCOMPARE(testScorings, 1);
        QVERIFY(!testBeforeEnd);
        QCOMPARE(observed, static_cast<int>(model->history().size()));
        // Every iteration (implicit ALS: every eval_every iterations, by default never) and the
        // final model once.
        if (kind == QLatin1String("als-implicit"))
            QVERIFY(validationScorings >= 1 && validationScorings <= observed + 1);
        else
            QCOMPARE(validationScorings, observed + 1);
        QCOMPARE(result.sizes.test, reference.testCount());
        QCOMPARE(result.sizes.fit + result.sizes.validation, reference.trainCount());
        QVERIFY(result.sizes.validation > 0);
    }

    void validationCurveEqualsRecomputation() {
        const SplitSpec spec = SplitSpec::parse("per-user:0.2", 11);
        const Split s = makeSplit(dataset_, spec);
        const ValidationSpec vspec = ValidationSpec::forSplit(spec);
        // Validation ratings straight from the mask, independent of the validation view.
        const auto mask = validationMask(dataset_, s, vspec);
        std::vector<RatingTriplet> validation;
        for (std::size_t u = 0; u + 1 < dataset_.byUser.offsets.size(); ++u)
            for (std::size_t e = dataset_.byUser.offsets[u]; e < dataset_.byUser.offsets[u + 1];
                 ++e)
                if (mask[e])
                    validation.push_back({static_cast<std::uint32_t>(u), dataset_.byUser.index[e],
                                          halfStarsToRating(dataset_.byUser.halfStars[e])});
        QVERIFY(!validation.empty());
        auto model = quickTrainingModel("als", 4);
        const Recommender* m = model.get();
        std::vector<std::pair<double, double>> curve;  // (reported, recomputed) RMSE
        ValidatedTrainingOptions options;
        options.validation = vspec;
        options.control.observer = [&](const TrainingSnapshot& snap) {
            double sq = 0, abs = 0;
            for (const auto& t : validation) {
                const double d = double(m->predict(t.user, t.item)) - double(t.rating);
                sq += d * d;
                abs += std::fabs(d);
            }
            curve.emplace_back(snap.testRmse, std::sqrt(sq / double(validation.size())));
            return std::fabs(snap.testMae - abs / double(validation.size())) < 1e-9;
        };
        const ValidatedTrainingResult result = trainValidated(*model, dataset_, s, options);
        QCOMPARE(result.status, FitStatus::Completed);  // the observer never saw a bad MAE
        QCOMPARE(curve.size(), std::size_t{4});
        for (const auto& [reported, recomputed] : curve)
            QVERIFY(std::fabs(reported - recomputed) < 1e-9);
        QVERIFY(std::fabs(result.validation.rmse - curve.back().second) < 1e-9);
        // The test figure is not the validation figure: another set of ratings.
        QVERIFY(result.test.rmse != result.validation.rmse);
    }

    void finalFiguresEqualRecomputation_data() {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("split");
        QTest::newRow("als holdout") << "als"
                                     << "per-user:0.2";
        QTest::newRow("als-implicit loo") << "als-implicit"
                                          << "loo";
    }

    void finalFiguresEqualRecomputation() {
        QFETCH(QString, kind);
        QFETCH(QString, split);
        const SplitSpec spec = SplitSpec::parse(split.toStdString(), 3);
        const Split s = makeSplit(dataset_, spec);
        const bool ranking = findRecommender(kind.toStdString())->ranking;
        auto model = quickTrainingModel(kind.toStdString(), 3);
        ValidatedTrainingOptions options;
        options.validation = ValidationSpec::forSplit(spec);
        options.rankingModel = ranking;
        const ValidatedTrainingResult result = trainValidated(*model, dataset_, s, options);
        QVERIFY(result.tested);

        const TrainData full = TrainData::build(dataset_, s);
        const ModelEvaluation e = evaluateModel(*model, full, ranking);
        auto same = [](double a, double b) { return (std::isnan(a) && std::isnan(b)) || a == b; };
        QVERIFY(same(result.test.rmse, e.testRmse));
        QVERIFY(same(result.test.mae, e.testMae));
        QVERIFY(same(result.test.hr10, e.sampledHr10));
        QVERIFY(same(result.test.fullNdcg10, e.fullNdcg10));
        QVERIFY(result.test.any());

        const PerUserOptions perUserOptions = perUserOptionsFor(*model, spec, ranking);
        const SampledNegatives negatives = sampleNegatives(full, 100, spec.seed);
        const PerUserMetrics expected =
            computePerUserMetrics(full, *model, &negatives, perUserOptions);
        QCOMPARE(result.perUser.users, expected.users);
        QCOMPARE(result.perUser.columns.size(), expected.columns.size());
        for (const PerUserColumn& c : expected.columns) {
            const PerUserColumn* got = result.perUser.column(c.name);
            QVERIFY2(got, c.name.c_str());
            QCOMPARE(got->values, c.values);
        }
        if (model->predictsRatings()) {
            QVERIFY(result.perUser.column(kUserRmse));
            QVERIFY(!result.perUser.column(kUserHrFull));
        } else {
            QVERIFY(!result.perUser.column(kUserRmse));
            for (const char* name : {kUserHrSampled, kUserNdcgSampled, kUserRrSampled, kUserHrFull,
                                     kUserNdcgFull, kUserRecallFull, kUserRrFull})
                QVERIFY2(result.perUser.column(name), name);
            // One test case per user under leave-one-out: the user mean is the case mean.
            QVERIFY(std::fabs(result.perUser.mean(kUserHrSampled) - result.test.hr10) < 1e-12);
        }
    }

    void noModelNoTest() {
        const SplitSpec spec = SplitSpec::parse("per-user:0.2", 5);
        const Split s = makeSplit(dataset_, spec);
        auto model = quickTrainingModel("als", 5);
        std::atomic<bool> cancel{true};
        ValidatedTrainingOptions options;
        options.validation = ValidationSpec::forSplit(spec);
        options.control.cancelFlag = &cancel;
        int testScorings = 0;
        options.onEvaluate = [&](EvaluatedPart part, const TrainData&) {
            testScorings += part == EvaluatedPart::Test;
        };
        const ValidatedTrainingResult result = trainValidated(*model, dataset_, s, options);
        QCOMPARE(result.status, FitStatus::Stopped);
        QVERIFY(!result.tested);
        QCOMPARE(testScorings, 0);
        QVERIFY(!result.test.any());
        QVERIFY(result.perUser.users.empty());
    }

    void abandonedRunIsNotTested() {
        const SplitSpec spec = SplitSpec::parse("per-user:0.2", 5);
        const Split s = makeSplit(dataset_, spec);
        auto model = quickTrainingModel("als", 10);
        std::atomic<bool> abandoned{false};
        ValidatedTrainingOptions options;
        options.validation = ValidationSpec::forSplit(spec);
        options.abandoned = &abandoned;
        options.control.observer = [&](const TrainingSnapshot& snap) {
            if (snap.iteration == 2) abandoned = true;  // as a cancelled job: set, then stop
            return snap.iteration < 2;
        };
        int testScorings = 0;
        options.onEvaluate = [&](EvaluatedPart part, const TrainData&) {
            testScorings += part == EvaluatedPart::Test;
        };
        const ValidatedTrainingResult result = trainValidated(*model, dataset_, s, options);
        QCOMPARE(result.status, FitStatus::Stopped);
        QVERIFY(!result.tested);
        QCOMPARE(testScorings, 0);
    }

    void stoppedRunIsTestedOnce() {
        const SplitSpec spec = SplitSpec::parse("per-user:0.2", 5);
        const Split s = makeSplit(dataset_, spec);
        auto model = quickTrainingModel("als", 10);
        ValidatedTrainingOptions options;
        options.validation = ValidationSpec::forSplit(spec);
        options.control.observer = [](const TrainingSnapshot& snap) { return snap.iteration < 2; };
        int testScorings = 0;
        options.onEvaluate = [&](EvaluatedPart part, const TrainData&) {
            testScorings += part == EvaluatedPart::Test;
        };
        const ValidatedTrainingResult result = trainValidated(*model, dataset_, s, options);
        QCOMPARE(result.status, FitStatus::Stopped);
        QVERIFY(result.tested);
        QCOMPARE(testScorings, 1);
        QVERIFY(std::isfinite(result.test.rmse));
    }
};

QTEST_GUILESS_MAIN(TestValidatedTraining)
#include "tst_validated_training.moc"
