// The NCF models' best epoch and early stopping on the driver's validation part
// (FitControl::selectOnEvaluation, tuning/ValidatedTraining): the kept parameters are those of
// the epoch whose figure, as the caller's evaluator wrote it, is best; patience counts those
// figures; no training rating is held out then; figures not marked as validation never steer
// the fit (the inner hold-out stays the fallback); and a real run under trainValidated keeps
// the epoch best on its validation part, the same for the same seed.
#include <QtTest>
#include <algorithm>
#include <cmath>
#include <vector>

#include "NcfFixtures.h"
#include "eval/ModelEvaluation.h"
#include "models/TrainData.h"
#include "ncf/NcfRecommender.h"
#include "synth/SyntheticGenerator.h"
#include "tuning/ValidatedTraining.h"
#include "util/Random.h"

using namespace lens;
using lens::test::sameParameters;
using lens::test::smallConfig;

namespace {

// Ratings r = 3 + (user effect) + (item effect) with noise, 80 users x 50 movies, some test.
TrainData smallRatings() {
    std::vector<RatingTriplet> train, test;
    Pcg32 rng(11);
    for (std::uint32_t u = 0; u < 80; ++u)
        for (std::uint32_t i = 0; i < 50; ++i) {
            if (rng.uniform() > 0.5) continue;
            const float r = std::clamp(3.0f + 0.8f * std::sin(static_cast<float>(u)) +
                                           0.7f * std::cos(1.7f * static_cast<float>(i)) +
                                           static_cast<float>(rng.uniform()) - 0.5f,
                                       0.5f, 5.0f);
            (rng.uniform() < 0.1 ? test : train).push_back({u, i, r});
        }
    return TrainData::fromTriplets(80, 50, train, test);
}

// A scripted evaluator: writes figure[epoch - 1] as the objective's validation figure (test
// RMSE for explicit models, NDCG@10 for implicit ones) and records the model's parameters as
// they stand after every epoch.
struct ScriptedValidation {
    std::vector<double> figures;
    std::vector<NcfParameters<float>> seen;

    FitControl control(bool selectOnEvaluation) {
        FitControl c;
        c.selectOnEvaluation = selectOnEvaluation;
        c.evaluate = [this](const Recommender& m, TrainingSnapshot& s) {
            const auto& ncf = dynamic_cast<const NcfRecommender&>(m);
            seen.push_back(ncf.parameters());
            const double v = figures.at(static_cast<std::size_t>(s.iteration - 1));
            (m.predictsRatings() ? s.testRmse : s.ndcg10) = v;
        };
        return c;
    }
};

}  // namespace

class TestNcfValidation : public QObject {
    Q_OBJECT

private slots:
    void bestEpochIsTheDriversBest_data();
    void bestEpochIsTheDriversBest();
    void patienceCountsTheDriversFigures();
    void unmarkedFiguresDoNotSteer();
    void trainValidatedKeepsTheValidationBest();
};

void TestNcfValidation::bestEpochIsTheDriversBest_data() {
    QTest::addColumn<NcfArchitecture>("architecture");
    QTest::addColumn<NcfObjective>("objective");
    QTest::addColumn<bool>("pretrain");
    QTest::newRow("gmf explicit") << NcfArchitecture::Gmf << NcfObjective::Explicit << false;
    QTest::newRow("mlp implicit") << NcfArchitecture::Mlp << NcfObjective::Implicit << false;
    QTest::newRow("neumf explicit pretrained")
        << NcfArchitecture::NeuMf << NcfObjective::Explicit << true;
}

// The driver's figures pick epoch 3 of 6 (neither the first nor the last): the model ends with
// the parameters it had after epoch 3, and epoch 1 trained on every rating (the same parameters
// as a run that holds nothing out), so no inner hold-out was drawn.
void TestNcfValidation::bestEpochIsTheDriversBest() {
    QFETCH(NcfArchitecture, architecture);
    QFETCH(NcfObjective, objective);
    QFETCH(bool, pretrain);
    const TrainData data = smallRatings();
    NcfConfig c = smallConfig(architecture, objective);
    c.epochs = 6;
    c.batchSize = 32;
    c.pretrain = pretrain;
    c.validationFraction = 0.2;
    c.patience = 0;
    const bool explicitModel = objective == NcfObjective::Explicit;
    ScriptedValidation script;
    script.figures = explicitModel ? std::vector<double>{0.9, 0.8, 0.5, 0.7, 0.6, 0.65}
                                   : std::vector<double>{0.1, 0.2, 0.6, 0.3, 0.4, 0.35};
    NcfRecommender model(architecture);
    model.setConfig(c);
    QCOMPARE(model.fit(data, script.control(true)), FitStatus::Completed);
    QCOMPARE(static_cast<int>(model.history().size()), 6);
    QCOMPARE(model.bestEpoch(), 3);
    QCOMPARE(script.seen.size(), std::size_t{6});
    QVERIFY(sameParameters(model.parameters(), script.seen[2]));
    QVERIFY(!sameParameters(model.parameters(), script.seen[5]));

    // Epoch 1 as without any validation: every training rating was a sample.
    ScriptedValidation none;
    none.figures = script.figures;
    NcfConfig plain = c;
    plain.validationFraction = 0.0;
    NcfRecommender reference(architecture);
    reference.setConfig(plain);
    QCOMPARE(reference.fit(data, none.control(true)), FitStatus::Completed);
    QVERIFY(sameParameters(script.seen[0], none.seen[0]));
    // Without validation the last epoch is kept (averageFraction 0).
    QVERIFY(sameParameters(reference.parameters(), none.seen[5]));

    // The same seed gives the same model.
    ScriptedValidation again;
    again.figures = script.figures;
    NcfRecommender twin(architecture);
    twin.setConfig(c);
    twin.fit(data, again.control(true));
    QVERIFY(sameParameters(twin.parameters(), model.parameters()));
}

// Patience 2 after a best epoch 2: epochs 3 and 4 do not improve on the driver's figure, so the
// run ends after epoch 4 (completed) with epoch 2's parameters.
void TestNcfValidation::patienceCountsTheDriversFigures() {
    const TrainData data = smallRatings();
    NcfConfig c = smallConfig(NcfArchitecture::Gmf, NcfObjective::Explicit);
    c.epochs = 8;
    c.validationFraction = 0.1;
    c.patience = 2;
    ScriptedValidation script;
    script.figures = {0.9, 0.7, 0.75, 0.71, 0.6, 0.5, 0.4, 0.3};
    NcfRecommender model(NcfArchitecture::Gmf);
    model.setConfig(c);
    QCOMPARE(model.fit(data, script.control(true)), FitStatus::Completed);
    QCOMPARE(static_cast<int>(model.history().size()), 4);
    QCOMPARE(model.bestEpoch(), 2);
    QVERIFY(sameParameters(model.parameters(), script.seen[1]));
}

// An evaluator not marked as validation (it may score the test part) only informs: the model is
// the one a fit without any evaluator gives, which keeps its best epoch on the inner hold-out of
// the training ratings (the documented fallback).
void TestNcfValidation::unmarkedFiguresDoNotSteer() {
    const TrainData data = smallRatings();
    NcfConfig c = smallConfig(NcfArchitecture::Gmf, NcfObjective::Explicit);
    c.epochs = 6;
    c.batchSize = 32;
    c.validationFraction = 0.2;
    ScriptedValidation script;
    script.figures = {0.9, 0.8, 0.5, 0.7, 0.6, 0.65};
    NcfRecommender watched(NcfArchitecture::Gmf), alone(NcfArchitecture::Gmf);
    watched.setConfig(c);
    alone.setConfig(c);
    QCOMPARE(watched.fit(data, script.control(false)), FitStatus::Completed);
    QCOMPARE(alone.fit(data), FitStatus::Completed);
    QVERIFY(sameParameters(watched.parameters(), alone.parameters()));
    QCOMPARE(watched.bestEpoch(), alone.bestEpoch());
    // The inner hold-out left ratings out of epoch 1 (its parameters differ from the marked
    // run's, which trained on every rating).
    ScriptedValidation marked;
    marked.figures = script.figures;
    NcfRecommender selecting(NcfArchitecture::Gmf);
    selecting.setConfig(c);
    selecting.fit(data, marked.control(true));
    QVERIFY(!sameParameters(script.seen[0], marked.seen[0]));
}

// A real run: explicit GMF at a step size that overfits the synthetic data within 10 epochs.
// The kept epoch is the one with the lowest validation RMSE in the history (which
// trainValidated's per-epoch figures are), not the last, and the final model's validation RMSE
// is that epoch's figure exactly.
void TestNcfValidation::trainValidatedKeepsTheValidationBest() {
    SyntheticConfig config;
    config.ratings = 20'000;
    const Dataset dataset = generateSyntheticDataset(config);
    const SplitSpec spec = SplitSpec::parse("per-user:0.2", 7);
    const Split split = makeSplit(dataset, spec);
    auto run = [&](ValidatedTrainingResult& result) {
        auto model = std::make_unique<NcfRecommender>(NcfArchitecture::Gmf);
        model->setHyperparameter("objective", "explicit");
        model->setHyperparameter("factors", "16");
        model->setHyperparameter("epochs", "10");
        model->setHyperparameter("lr", "0.01");
        model->setHyperparameter("l2", "0");
        model->setHyperparameter("patience", "0");
        ValidatedTrainingOptions options;
        options.validation = ValidationSpec::forSplit(spec);
        options.perUser = false;
        result = trainValidated(*model, dataset, split, options);
        return model;
    };
    ValidatedTrainingResult result;
    const auto model = run(result);
    QCOMPARE(result.status, FitStatus::Completed);
    const auto& history = model->history();
    QCOMPARE(static_cast<int>(history.size()), 10);
    int best = 1;
    for (int e = 2; e <= 10; ++e)
        if (history[e - 1].testRmse < history[best - 1].testRmse) best = e;
    QVERIFY2(best < 10, "the run should overfit before its last epoch");
    QCOMPARE(model->bestEpoch(), best);
    QCOMPARE(result.validation.rmse, history[best - 1].testRmse);
    QVERIFY(result.tested && std::isfinite(result.test.rmse));

    ValidatedTrainingResult again;
    const auto twin = run(again);
    QVERIFY(sameParameters(twin->parameters(), model->parameters()));
    QCOMPARE(again.test.rmse, result.test.rmse);
}

QTEST_GUILESS_MAIN(TestNcfValidation)
#include "tst_ncf_validation.moc"
