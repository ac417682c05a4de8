// The training budget (tuning/TrainingBudget.h, issue #21): durations parse and print, and a
// budget used up during an iteration stops the fit at that iteration's end, keeps the model as
// it stands (ALS: the same as a run configured with that many iterations; NCF: the best epoch so
// far on validation) and records why. Time comes from an injected clock the test moves by hand,
// never from wall-clock thresholds.
#include <QtTest>
#include <cmath>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "data/Split.h"
#include "io/RunHistoryFile.h"
#include "models/RecommenderFactory.h"
#include "ncf/NcfRecommender.h"
#include "synth/SyntheticGenerator.h"
#include "tuning/DurationEstimate.h"
#include "tuning/TrainingBudget.h"
#include "tuning/ValidatedTraining.h"

using namespace lens;

namespace {

std::unique_ptr<Recommender> als(int iterations) {
    auto model = createRecommender("als");
    model->setHyperparameter("k", "8");
    model->setHyperparameter("iterations", std::to_string(iterations));
    model->setHyperparameter("seed", "3");
    return model;
}

// A clock the test sets: `now` seconds.
struct ManualClock {
    double now = 0.0;
    BudgetClock clock() {
        return [this] { return now; };
    }
};

}  // namespace

class TestTrainingBudget : public QObject {
    Q_OBJECT

    Dataset dataset_;

    ValidatedTrainingOptions optionsFor(const SplitSpec& spec, bool ranking = false) {
        ValidatedTrainingOptions options;
        options.validation = ValidationSpec::forSplit(spec);
        options.rankingModel = ranking;
        options.perUser = false;
        return options;
    }

private slots:
    void initTestCase() {
        SyntheticConfig config;
        config.ratings = 20'000;
        dataset_ = generateSyntheticDataset(config);
    }

    void parsesDurations_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<double>("seconds");
        QTest::newRow("seconds") << "90s" << 90.0;
        QTest::newRow("minutes") << "10m" << 600.0;
        QTest::newRow("hours") << "1h" << 3600.0;
        QTest::newRow("fraction") << "1.5h" << 5400.0;
        QTest::newRow("fraction of a second") << "0.25s" << 0.25;
        QTest::newRow("bare zero") << "0" << 0.0;
        QTest::newRow("zero minutes") << "0m" << 0.0;
    }
    void parsesDurations() {
        QFETCH(QString, text);
        QFETCH(double, seconds);
        QCOMPARE(parseBudget(text.toStdString()), seconds);
        // What formatBudget prints reads back to the same budget.
        QCOMPARE(parseBudget(formatBudget(seconds)), seconds);
    }

    void refusesBadDurations_data() {
        QTest::addColumn<QString>("text");
        for (const char* bad : {"", "10", "m", ".m", "-5m", "+5m", "10x", "1e3s", "1..2s", "10 m",
                                "infs", "nans", "1001h", "10mm", "5M"})
            QTest::newRow(bad) << bad;
    }
    void refusesBadDurations() {
        QFETCH(QString, text);
        try {
            parseBudget(text.toStdString());
            QFAIL("accepted");
        } catch (const std::invalid_argument& e) {
            const QString message = QString::fromUtf8(e.what());
            QVERIFY2(message.contains("90s, 10m or 1h") &&
                         message.contains(QStringLiteral("'%1'").arg(text)),
                     qPrintable(message));
        }
    }

    void formatsDurations() {
        QCOMPARE(formatBudget(600), std::string("10m"));
        QCOMPARE(formatBudget(90), std::string("90s"));
        QCOMPARE(formatBudget(5400), std::string("90m"));
        QCOMPARE(formatBudget(7200), std::string("2h"));
        QCOMPARE(formatBudget(2.5), std::string("2.5s"));
        QCOMPARE(formatBudget(0), std::string("0"));
    }

    // The clock jumps past the budget during the first iteration: the fit ends after that
    // iteration, the model is the one a 1-iteration run gives, and the result says why.
    void budgetStopsAtTheFirstIterationsEnd() {
        const SplitSpec spec = SplitSpec::parse("per-user:0.2", 5);
        const Split split = makeSplit(dataset_, spec);
        ManualClock time;
        ValidatedTrainingOptions options = optionsFor(spec);
        options.budget.seconds = 60;
        options.budget.clock = time.clock();
        int observed = 0;
        options.control.observer = [&](const TrainingSnapshot&) {
            ++observed;
            time.now += 3600;  // this iteration took an hour
            return true;
        };
        auto model = als(5);
        const ValidatedTrainingResult result = trainValidated(*model, dataset_, split, options);
        QCOMPARE(result.status, FitStatus::Stopped);
        QCOMPARE(observed, 1);
        QCOMPARE(model->history().size(), std::size_t{1});
        QCOMPARE(result.stop.reason, StopReason::Budget);
        QCOMPARE(result.stop.iterations, 1);
        QCOMPARE(result.stop.totalIterations, 5);
        QCOMPARE(result.stop.budgetSeconds, 60.0);
        QCOMPARE(result.stop.describe(),
                 std::string("stopped: budget of 1m used after iteration 1 of 5"));
        QVERIFY(result.tested);  // a stopped model with an iteration is still tested

        // The model is kept as it stood after its one whole iteration.
        auto once = als(1);
        const ValidatedTrainingResult reference =
            trainValidated(*once, dataset_, split, optionsFor(spec));
        QCOMPARE(reference.stop.reason, StopReason::Completed);
        QCOMPARE(result.test.rmse, reference.test.rmse);
        QCOMPARE(result.validation.rmse, reference.validation.rmse);
        for (std::uint32_t i = 0; i < 20; ++i)
            QCOMPARE(model->predictRaw(i, i), once->predictRaw(i, i));
    }

    // A budget not yet used up lets the fit go on; the last configured iteration completes the
    // run even when it uses the budget up; without a budget the clock is never asked.
    void budgetAtTheLastIterationIsACompletion() {
        const SplitSpec spec = SplitSpec::parse("per-user:0.2", 5);
        const Split split = makeSplit(dataset_, spec);
        ManualClock time;
        ValidatedTrainingOptions options = optionsFor(spec);
        options.budget.seconds = 100;
        options.budget.clock = time.clock();
        options.control.observer = [&](const TrainingSnapshot& s) {
            time.now = s.iteration == 3 ? 1000.0 : 10.0 * s.iteration;
            return true;
        };
        auto model = als(3);
        const ValidatedTrainingResult result = trainValidated(*model, dataset_, split, options);
        QCOMPARE(result.status, FitStatus::Completed);
        QCOMPARE(result.stop.reason, StopReason::Completed);
        QCOMPARE(result.stop.describe(), std::string("completed 3 of 3 iterations"));

        int asked = 0;
        ValidatedTrainingOptions none = optionsFor(spec);
        none.budget.clock = [&] { return ++asked * 1e9; };  // would exhaust any budget
        auto free = als(3);
        QCOMPARE(trainValidated(*free, dataset_, split, none).stop.reason, StopReason::Completed);
        QCOMPARE(free->history().size(), std::size_t{3});
        QCOMPARE(asked, 1);  // the start of the run only
    }

    // The caller's own stop is a request, even with a budget running.
    void callerStopIsARequest() {
        const SplitSpec spec = SplitSpec::parse("per-user:0.2", 5);
        const Split split = makeSplit(dataset_, spec);
        ManualClock time;
        ValidatedTrainingOptions options = optionsFor(spec);
        options.budget.seconds = 3600;
        options.budget.clock = time.clock();
        options.control.observer = [](const TrainingSnapshot& s) { return s.iteration < 2; };
        auto model = als(6);
        const ValidatedTrainingResult result = trainValidated(*model, dataset_, split, options);
        QCOMPARE(result.status, FitStatus::Stopped);
        QCOMPARE(result.stop.reason, StopReason::Requested);
        QCOMPARE(result.stop.iterations, 2);
        QCOMPARE(result.stop.describe(), std::string("stopped on request after iteration 2 of 6"));
    }

    // NCF keeps its best epoch on validation when the budget stops it: the final validation
    // figure is the best of the epochs that ran, measured again on the kept parameters.
    void ncfKeepsItsBestEpochUnderABudget() {
        const SplitSpec spec = SplitSpec::parse("per-user:0.2", 5);
        const Split split = makeSplit(dataset_, spec);
        auto model = createRecommender("gmf");
        model->setHyperparameter("objective", "explicit");
        model->setHyperparameter("factors", "4");
        model->setHyperparameter("epochs", "8");
        model->setHyperparameter("validation", "0.1");
        model->setHyperparameter("patience", "0");
        model->setHyperparameter("seed", "9");
        ManualClock time;
        ValidatedTrainingOptions options = optionsFor(spec);
        options.budget.seconds = 600;
        options.budget.clock = time.clock();
        options.control.observer = [&](const TrainingSnapshot& s) {
            if (s.iteration == 3) time.now = 601;  // epoch 3 uses the budget up
            return true;
        };
        const ValidatedTrainingResult result = trainValidated(*model, dataset_, split, options);
        QCOMPARE(result.status, FitStatus::Stopped);
        QCOMPARE(model->history().size(), std::size_t{3});
        QCOMPARE(result.stop.reason, StopReason::Budget);
        QCOMPARE(result.stop.describe(),
                 std::string("stopped: budget of 10m used after epoch 3 of 8"));
        const auto& ncf = dynamic_cast<const NcfRecommender&>(*model);
        int best = 1;
        for (int e = 2; e <= 3; ++e)
            if (model->history()[e - 1].testRmse < model->history()[best - 1].testRmse) best = e;
        QCOMPARE(ncf.bestEpoch(), best);
        QCOMPARE(result.validation.rmse, model->history()[best - 1].testRmse);
    }

    // The run history keeps the budget and the stop reason (optional fields): a run with them
    // reads back equal and says why it stopped; an entry without them (older files) still loads,
    // with no budget and no reason, and is written back without them; bad values skip the entry.
    void runHistoryRoundTrip() {
        RunHistoryEntry run;
        run.id = "20270101-000000-1";
        run.modelKind = "gmf";
        run.modelDisplayName = "GMF (NCF)";
        run.hyperparameters = {{"factors", "8"}, {"epochs", "20"}};
        run.status = RunStatus::Stopped;
        for (int e = 1; e <= 4; ++e) {
            TrainingSnapshot s;
            s.iteration = e;
            s.totalIterations = 20;
            run.history.push_back(s);
        }
        run.budgetSeconds = 600;
        run.stopReason = StopReason::Budget;
        RunHistoryEntry old = run;
        old.id = "20270101-000000-2";
        old.budgetSeconds = 0;
        old.stopReason.reset();
        const std::string text = serializeRunHistory({run, old});
        const nlohmann::json json = nlohmann::json::parse(text);
        QCOMPARE(json["runs"][0]["budget_seconds"].get<double>(), 600.0);
        QCOMPARE(json["runs"][0]["stop_reason"].get<std::string>(), std::string("budget"));
        QVERIFY(!json["runs"][1].contains("budget_seconds"));
        QVERIFY(!json["runs"][1].contains("stop_reason"));

        const RunHistoryContents back = parseRunHistory(text, "runs.json");
        QVERIFY(back.problems.empty());
        QCOMPARE(back.runs.size(), std::size_t{2});
        QCOMPARE(back.runs[0].budgetSeconds, 600.0);
        QCOMPARE(back.runs[0].stopReason, std::optional<StopReason>(StopReason::Budget));
        QCOMPARE(back.runs[0].trainingStop().describe(),
                 std::string("stopped: budget of 10m used after epoch 4 of 20"));
        QCOMPARE(back.runs[1].budgetSeconds, 0.0);
        QVERIFY(!back.runs[1].stopReason);
        QCOMPARE(back.runs[1].trainingStop().reason, StopReason::None);
        QCOMPARE(serializeRunHistory(back.runs), text);

        nlohmann::json bad = json;
        bad["runs"][0]["stop_reason"] = "tired";
        bad["runs"][1]["budget_seconds"] = -5;
        const RunHistoryContents skipped = parseRunHistory(bad.dump(), "runs.json");
        QCOMPARE(skipped.runs.size(), std::size_t{0});
        QCOMPARE(skipped.problems.size(), std::size_t{2});
        QVERIFY(QString::fromStdString(skipped.problems[0]).contains("stop_reason"));
        QVERIFY(QString::fromStdString(skipped.problems[1]).contains("budget_seconds"));
    }

    // The report's estimate follows its cost model: training terms grow with the data and the
    // epochs, the ML-20M shape with the default models is tens of minutes (NeuMF dominates),
    // a budget caps each fit at the budget plus one iteration, and unknown models are refused.
    void studyEstimate() {
        const DataShape small{100'836, 610, 9'742}, ml20m{20'000'263, 138'493, 26'744};
        const std::vector<std::string> defaults{"als", "neumf"};
        const DurationEstimate a = estimateStudyDuration(small, defaults);
        const DurationEstimate b = estimateStudyDuration(ml20m, defaults);
        QCOMPARE(b.stages.size(), std::size_t{5});  // statistics, ALS, NeuMF, comparison, maps
        QVERIFY(a.total() > 1 && a.total() < 120);
        QVERIFY(b.total() > 5 * 60 && b.total() < 3600);
        QVERIFY(b.stages[2].seconds > 10 * b.stages[1].seconds);  // NeuMF over ALS
        // NeuMF's default epochs at ML-20M's size are 8 (NcfRecommender::defaultImplicitEpochs):
        // the same estimate as 8 set by hand, half of 16, and 20 set by hand is 2.5 times it.
        auto neumf = createRecommender("neumf");
        const double fitDefault = estimateFitSeconds(*neumf, ml20m, 19'700'000, true);
        neumf->setHyperparameter("epochs", "8");
        QCOMPARE(estimateFitSeconds(*neumf, ml20m, 19'700'000, true), fitDefault);
        neumf->setHyperparameter("epochs", "16");
        QCOMPARE(estimateFitSeconds(*neumf, ml20m, 19'700'000, true), 2 * fitDefault);
        neumf->setHyperparameter("epochs", "20");
        QCOMPARE(estimateFitSeconds(*neumf, ml20m, 19'700'000, true), 2.5 * fitDefault);
        // Small data keeps the 20 epochs: the estimate per rating is 2.5 times ML-20M's.
        auto small20 = createRecommender("neumf");
        const double perRatingSmall =
            estimateFitSeconds(*small20, small, 100'000, false) / 100'000.0;
        const double perRatingLarge =
            estimateFitSeconds(*createRecommender("neumf"), small, 19'700'000, false) /
            19'700'000.0;
        QVERIFY(std::abs(perRatingSmall / perRatingLarge - 2.5) < 1e-9);
        // A 2-minute budget: NeuMF's training at most 2 min plus one epoch.
        const DurationEstimate capped = estimateStudyDuration(ml20m, defaults, 120);
        QVERIFY(capped.total() < b.total());
        QVERIFY(capped.stages[2].seconds < b.stages[2].seconds);
        QVERIFY(capped.stages[2].seconds - (b.stages[2].seconds - fitDefault) <=
                120 + fitDefault / 8 + 1e-6);
        QVERIFY(QString::fromStdString(b.describe()).startsWith("about "));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 estimateStudyDuration(small, {"als", "nope"}));
    }

    void stopReasonKeysRoundTrip() {
        for (StopReason r : {StopReason::None, StopReason::Completed, StopReason::EarlyStop,
                             StopReason::Budget, StopReason::Requested})
            QCOMPARE(parseStopReason(stopReasonKey(r)), std::optional<StopReason>(r));
        QVERIFY(!parseStopReason("exhausted"));
    }
};

QTEST_GUILESS_MAIN(TestTrainingBudget)
#include "tst_training_budget.moc"
