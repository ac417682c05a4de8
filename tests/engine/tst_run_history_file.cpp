// The run history index in the engine (io/RunHistoryFile.h): an index written by release 0.1.0
// (tests/engine/fixtures/runs-0.1.0.json, written by that release's Qt writer: six runs of every
// status, NaN and infinite metrics written as null, a 2^64-1 seed, the ml-100k split) loads
// with every value and round-trips; a corrupt entry is skipped with a message naming the index,
// the entry and the field; an unusable index is set aside, a newer one left alone; writing is
// atomic. Also the ISO-8601 timestamps of util/Calendar.h. Runs with validation (#17): the
// part the curves were measured on, the final validation and test figures and the per-user
// metrics file round-trip (the per-user file of a real run equals a recomputation on the split);
// an entry of 0.1.0 reads as curves on the test part with no final figures and no per-user file.
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "FixturePath.h"
#include "data/Split.h"
#include "eval/MetricKeys.h"
#include "eval/RankingMetrics.h"
#include "io/JsonFile.h"
#include "io/RunHistoryFile.h"
#include "models/RecommenderFactory.h"
#include "models/TrainData.h"
#include "synth/SyntheticGenerator.h"
#include "tuning/ValidatedTraining.h"
#include "util/Calendar.h"
#include "util/Errors.h"

using namespace lens;
using lens::test::engineFixture;
namespace fs = std::filesystem;

namespace {

std::string joined(const std::vector<std::string>& lines) {
    std::string out;
    for (const auto& l : lines) out += l + "\n";
    return out;
}

// One valid run as the index holds it; `field` replaced by `json` (or added), or removed when
// `json` is empty.
nlohmann::json run(const std::string& field = {}, const std::string& json = "-") {
    nlohmann::json o = nlohmann::json::parse(R"json({
        "id": "20261127-032201-1", "model": "als", "model_display_name": "Biased MF (ALS)",
        "hyperparameters": [["k", "10"]], "split": "per-user:0.2", "seed": "42",
        "dataset": "ml-latest-small", "status": "completed",
        "started": "2026-11-27T03:22:01.125Z", "duration_seconds": 1.5, "model_file": "",
        "message": "",
        "history": [{"iteration": 1, "total": 1, "seconds": 0.5, "test_rmse": 0.9}]})json");
    if (field.empty()) return o;
    if (json.empty())
        o.erase(field);
    else
        o[field] = nlohmann::json::parse(json);
    return o;
}

std::string indexText(const nlohmann::json& runs, int version = 1) {
    return nlohmann::json{{"format", "lens-atlas-runs"}, {"version", version}, {"runs", runs}}
        .dump();
}

}  // namespace

class TestRunHistoryFile : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;

    fs::path folder(const char* name) const { return fs::path(dir_.filePath(name).toStdString()); }

private slots:
    void loadsIndexOfRelease010() {
        QVERIFY(dir_.isValid());
        const fs::path runs = folder("release") / "runs.json";
        fs::create_directories(runs.parent_path());
        fs::copy_file(engineFixture("runs-0.1.0.json"), runs);
        const RunHistoryContents loaded = loadRunHistory(runs);
        QVERIFY2(loaded.problems.empty(), joined(loaded.problems).c_str());
        QCOMPARE(loaded.runs.size(), std::size_t{6});  // the queued seventh was never written

        const RunHistoryEntry& als = loaded.runs[0];
        QCOMPARE(als.id, std::string("20261127-032201-1"));
        QCOMPARE(als.modelKind, std::string("als"));
        QCOMPARE(als.modelDisplayName, std::string("Biased MF (ALS)"));
        QCOMPARE(als.status, RunStatus::Completed);
        QCOMPARE(als.seed, std::uint64_t{42});
        QCOMPARE(als.split.text(), std::string("per-user:0.2"));
        QCOMPARE(als.split.seed, std::uint64_t{42});
        QCOMPARE(als.datasetName, std::string("ml-latest-small"));
        QCOMPARE(als.modelFile, std::string("20261127-032201-1.lamodel"));
        QCOMPARE(als.durationSeconds, 1.25);
        QCOMPARE(als.hyperparameters.size(), std::size_t{3});
        QCOMPARE(als.hyperparameters[1].first, std::string("lambda"));
        QCOMPARE(als.hyperparameters[1].second, std::string("0.15"));
        QVERIFY(als.started);
        QCOMPARE(isoTimestamp(*als.started), std::string("2026-11-27T03:22:01.250Z"));
        QCOMPARE(als.history.size(), std::size_t{3});
        QCOMPARE(als.history[2].iteration, 3);
        QCOMPARE(als.history[2].totalIterations, 3);
        QCOMPARE(als.history[2].seconds, 0.75);
        QCOMPARE(als.history[2].evalSeconds, 0.03125);
        QCOMPARE(als.history[2].testRmse, 0.9199999999999999);
        QVERIFY(std::isnan(als.history[2].testMae));  // infinite when written: null
        QVERIFY(std::isnan(als.history[0].hr10));     // NaN when written: null
        QCOMPARE(lastFiniteMetric(als.history, &TrainingSnapshot::testMae), 0.7);

        const RunHistoryEntry& neumf = loaded.runs[1];
        QCOMPARE(neumf.status, RunStatus::Stopped);
        QCOMPARE(neumf.split.kind, SplitKind::LeaveOneOutLatest);
        QVERIFY(std::isnan(neumf.history[2].hr10));  // ranking metrics every other iteration
        QCOMPARE(lastFiniteMetric(neumf.history, &TrainingSnapshot::hr10), 0.54);
        QVERIFY(std::isnan(lastFiniteMetric(neumf.history, &TrainingSnapshot::testRmse)));

        QCOMPARE(loaded.runs[2].status, RunStatus::Failed);
        QVERIFY(loaded.runs[2].history.empty());
        QCOMPARE(loaded.runs[2].message, std::string("out of memory: ünïcode"));
        // Running when the application ended: cancelled, with a note.
        const RunHistoryEntry& interrupted = loaded.runs[3];
        QCOMPARE(interrupted.status, RunStatus::Cancelled);
        QCOMPARE(interrupted.message,
                 std::string("interrupted: the application ended during the run"));
        QCOMPARE(interrupted.seed, std::uint64_t{18446744073709551615ULL});
        QCOMPARE(interrupted.split.kind, SplitKind::TemporalCutoff);
        QCOMPARE(loaded.runs[4].split.text(), std::string("ml100k:u1"));
        QCOMPARE(loaded.runs[5].split.text(), std::string("per-user:0.25"));
        // Written before validation: curves on the test part, no final figures, no per-user file.
        for (const RunHistoryEntry& r : loaded.runs) {
            QCOMPARE(r.curvesOn, EvaluatedPart::Test);
            QVERIFY(!r.finalValidation && !r.finalTest);
            QCOMPARE(r.validationRatings, std::size_t{0});
            QVERIFY(std::isnan(r.trainRmse));
            QVERIFY(r.perUserFile.empty());
            QVERIFY(!r.sweep);  // written before sweeps were runs
        }

        // Written back and read again: the same runs (JSON of each entry compared).
        const fs::path again = folder("again") / "runs.json";
        saveRunHistory(again, loaded.runs);
        QCOMPARE(QDir(QString::fromStdString(again.parent_path().string())).entryList(QDir::Files),
                 QStringList{"runs.json"});
        const RunHistoryContents reloaded = loadRunHistory(again);
        QVERIFY2(reloaded.problems.empty(), joined(reloaded.problems).c_str());
        QCOMPARE(reloaded.runs.size(), loaded.runs.size());
        for (std::size_t i = 0; i < loaded.runs.size(); ++i)
            QCOMPARE(runHistoryEntryToJson(reloaded.runs[i]).dump(),
                     runHistoryEntryToJson(loaded.runs[i]).dump());
        // And the entries as the 0.1.0 writer wrote them, apart from the interrupted run.
        const nlohmann::json original = nlohmann::json::parse(readWholeFile(runs));
        for (std::size_t i = 0; i < loaded.runs.size(); ++i)
            if (i != 3)
                QCOMPARE(runHistoryEntryToJson(loaded.runs[i]).dump(), original["runs"][i].dump());
    }

    void queuedRunsAreNotWritten() {
        auto entry = [](const char* id, RunStatus status) {
            RunHistoryEntry e;
            e.id = id;
            e.modelKind = "bias";
            e.status = status;
            return e;
        };
        const RunHistoryEntry queued = entry("q", RunStatus::Queued);
        const RunHistoryEntry done = entry("d", RunStatus::Completed);
        const RunHistoryContents back = parseRunHistory(serializeRunHistory({queued, done}), "x");
        QCOMPARE(back.runs.size(), std::size_t{1});
        QCOMPARE(back.runs[0].id, std::string("d"));
        QVERIFY(!back.runs[0].started);
    }

    void badEntries_data() {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QString>("expected");
        auto doc = [](const nlohmann::json& r) {
            return QByteArray::fromStdString(indexText(nlohmann::json::array({r})));
        };
        QTest::newRow("entry not an object")
            << QByteArray::fromStdString(indexText(nlohmann::json::array({1})))
            << "runs.json: entry 1 skipped: not an object";
        QTest::newRow("no id") << doc(run("id", "")) << "entry 1 skipped: field 'id' missing";
        QTest::newRow("unknown model")
            << doc(run("model", "\"svd++\"")) << "run 20261127-032201-1: unknown model 'svd++'";
        QTest::newRow("bad status")
            << doc(run("status", "\"exploded\"")) << "field 'status' missing or unknown";
        QTest::newRow("seed 2^64") << doc(run("seed", "\"18446744073709551616\"")) << "bad seed";
        QTest::newRow("seed negative") << doc(run("seed", "\"-1\"")) << "bad seed";
        QTest::newRow("seed as a number") << doc(run("seed", "42")) << "field 'seed' missing";
        QTest::newRow("split NaN") << doc(run("split", "\"per-user:nan\"")) << "field 'split': ";
        QTest::newRow("no hyper-parameters")
            << doc(run("hyperparameters", "")) << "field 'hyperparameters' missing";
        QTest::newRow("hyper-parameter not a pair")
            << doc(run("hyperparameters", "[[\"k\"]]")) << "bad hyper-parameter entry";
        QTest::newRow("duration negative")
            << doc(run("duration_seconds", "-1")) << "field 'duration_seconds' missing or negative";
        QTest::newRow("model file escapes")
            << doc(run("model_file", "\"../../etc/passwd\"")) << "is not a plain file name";
        QTest::newRow("no history") << doc(run("history", "")) << "field 'history' missing";
        QTest::newRow("history not entries")
            << doc(run("history", "[1, 2]")) << "history entry without iteration";
        QTest::newRow("metric as text")
            << doc(run("history", R"([{"iteration": 1, "total": 1, "hr10": "NaN"}])"))
            << "history field 'hr10' is not a number";
        QTest::newRow("curves on nothing")
            << doc(run("curves_on", "\"train\"")) << "field 'curves_on' is neither";
        QTest::newRow("final test not figures")
            << doc(run("final_test", "[0.9]")) << "field 'final_test' is not an object of numbers";
        QTest::newRow("final validation text")
            << doc(run("final_validation", R"({"rmse": "0.9"})"))
            << "field 'final_validation' is not an object of numbers";
        QTest::newRow("validation ratings negative")
            << doc(run("validation_ratings", "-3")) << "field 'validation_ratings' is not a count";
        QTest::newRow("per-user file escapes")
            << doc(run("per_user_file", "\"../x.peruser\"")) << "is not a plain file name";
        QTest::newRow("sweep not an object")
            << doc(run("sweep", "3")) << "field 'sweep' is not a sweep membership";
        QTest::newRow("sweep without id")
            << doc(run(
                   "sweep",
                   R"({"number": 1, "trial": 1, "trials": 2, "final": false, "metric": "rmse"})"))
            << "field 'sweep' is not a sweep membership";
        QTest::newRow("sweep trial beyond its trials")
            << doc(run("sweep", R"({"id": "s", "number": 1, "trial": 3, "trials": 2, "final": false,
                                    "metric": "rmse"})"))
            << "field 'sweep' is not a sweep membership";
        QTest::newRow("sweep trial zero")
            << doc(run("sweep", R"({"id": "s", "number": 1, "trial": 0, "trials": 2, "final": false,
                                    "metric": "rmse"})"))
            << "field 'sweep' is not a sweep membership";
        QTest::newRow("sweep final as text")
            << doc(run("sweep", R"({"id": "s", "number": 1, "trial": 1, "trials": 2, "final": "no",
                                    "metric": "rmse"})"))
            << "field 'sweep' is not a sweep membership";
        QTest::newRow("duplicate id") << QByteArray::fromStdString(indexText({run(), run()}))
                                      << "entry 2 skipped: duplicate run id 20261127-032201-1";
        QTest::newRow("million-character id with a bad status") << [] {
            nlohmann::json r = run("status", "\"exploded\"");
            r["id"] = std::string(1000000, 'x');
            return QByteArray::fromStdString(indexText(nlohmann::json::array({r})));
        }() << "xxx…: field 'status'";
    }

    void badEntries() {
        QFETCH(QByteArray, input);
        QFETCH(QString, expected);
        const RunHistoryContents contents =
            parseRunHistory(std::string_view(input.constData(), input.size()), "runs.json");
        QVERIFY(!contents.unusable);
        QCOMPARE(contents.problems.size(), std::size_t{1});
        const QString problem = QString::fromStdString(contents.problems[0]);
        QVERIFY2(problem.startsWith("runs.json: entry ") && problem.contains(expected) &&
                     problem.size() < 600,
                 qPrintable(problem.left(700)));
    }

    void lenientFields() {
        // Optional fields of the wrong type read as absent, as in 0.1.0; odd numbers stay in range.
        nlohmann::json r = run("started", "\"2026-13-45T99:99:99\"");
        r["dataset"] = 7;
        r["model_display_name"] = nullptr;
        r["history"] = nlohmann::json::parse(
            R"([{"iteration": 1e300, "total": -1e300, "test_rmse": 1e300, "hr10": null}])");
        const RunHistoryContents contents =
            parseRunHistory(indexText(nlohmann::json::array({r})), "runs.json");
        QVERIFY2(contents.problems.empty(), joined(contents.problems).c_str());
        const RunHistoryEntry& e = contents.runs.at(0);
        QVERIFY(!e.started);
        QVERIFY(e.datasetName.empty());
        QCOMPARE(e.modelDisplayName, std::string("Biased MF (ALS)"));  // from the registry
        QCOMPARE(e.history[0].iteration, 0);
        QCOMPARE(e.history[0].totalIterations, 0);
        QCOMPARE(e.history[0].testRmse, 1e300);
        QVERIFY(std::isnan(e.history[0].hr10));
    }

    void unusableIndexIsSetAside_data() {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QString>("expected");
        QTest::newRow("truncated") << QByteArray("{\"format\": \"lens-atlas-runs\",\n \"runs\": [")
                                   << "not valid JSON at line 2 (";
        QTest::newRow("empty") << QByteArray() << "not valid JSON at line 1";
        QTest::newRow("NUL bytes") << QByteArray("{\"runs\": [\0]}", 13) << "not valid JSON";
        QTest::newRow("deep nesting") << QByteArray(100000, '[') + QByteArray(100000, ']')
                                      << "not valid JSON (nested more than 1024 levels deep)";
        QTest::newRow("duration 1e400")
            << QByteArray::fromStdString(
                   indexText(nlohmann::json::array({run("duration_seconds", "1")})))
                   .replace("\"duration_seconds\":1", "\"duration_seconds\":1e400")
            << "number overflow";
        QTest::newRow("not ours") << QByteArray("{\"runs\": []}") << "not a Lens Atlas runs index";
        QTest::newRow("an array") << QByteArray("[]") << "not a Lens Atlas runs index";
        QTest::newRow("runs not an array")
            << QByteArray(R"({"format": "lens-atlas-runs", "runs": {}})")
            << "not a Lens Atlas runs index";
    }

    void unusableIndexIsSetAside() {
        QFETCH(QByteArray, input);
        QFETCH(QString, expected);
        const fs::path file = folder("corrupt") / "runs.json";
        fs::create_directories(file.parent_path());
        {
            QFile f(QString::fromStdString(file.string()));
            QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
            f.write(input);
        }
        const RunHistoryContents contents = loadRunHistory(file);
        QVERIFY(contents.runs.empty());
        QCOMPARE(contents.problems.size(), std::size_t{1});
        const QString problem = QString::fromStdString(contents.problems[0]);
        QVERIFY2(problem.startsWith(QString::fromStdString(file.string()) + ": ") &&
                     problem.contains(expected) &&
                     problem.endsWith("; set aside as runs.json.corrupt and starting an empty "
                                      "history") &&
                     problem.size() < 600,
                 qPrintable(problem.left(700)));
        QVERIFY(!fs::exists(file));
        fs::path aside = file;
        aside += ".corrupt";
        QCOMPARE(QByteArray::fromStdString(readWholeFile(aside)), input);
        // The next load starts empty without a problem.
        QVERIFY(loadRunHistory(file).problems.empty());
    }

    void newerIndexIsLeftAlone() {
        const fs::path file = folder("newer") / "runs.json";
        fs::create_directories(file.parent_path());
        const std::string bytes = indexText(nlohmann::json::array({run()}), 99);
        writeFileAtomically(file, bytes);
        const RunHistoryContents contents = loadRunHistory(file);
        QVERIFY(contents.runs.empty());
        QCOMPARE(contents.problems.size(), std::size_t{1});
        QVERIFY2(contents.problems[0] == file.string() +
                                             ": written by a newer Lens Atlas (version 99); "
                                             "history not loaded",
                 contents.problems[0].c_str());
        QCOMPARE(readWholeFile(file), bytes);
    }

    void absentAndUnwritable() {
        const RunHistoryContents none = loadRunHistory(folder("nothing") / "runs.json");
        QVERIFY(none.runs.empty() && none.problems.empty());
        // A folder that cannot be created: a file stands in its way.
        const fs::path blocker = folder("blocker");
        writeFileAtomically(blocker, "x");
        try {
            saveRunHistory(blocker / "runs.json", {});
            QFAIL("saved below a file");
        } catch (const DataError& e) {
            QVERIFY2(QString(e.what()).contains("cannot create folder"), e.what());
        }
    }

    void validationFieldsRoundTrip() {
        RunHistoryEntry e;
        e.id = "20270101-000000-1";
        e.modelKind = "als";
        e.modelDisplayName = "Biased MF (ALS)";
        e.status = RunStatus::Completed;
        e.curvesOn = EvaluatedPart::Validation;
        e.validationRatings = 8105;
        HeldOutFigures validation;
        validation.rmse = 0.8504;
        validation.mae = 0.656;
        HeldOutFigures test;
        test.rmse = 0.86;
        test.mae = 0.6579;
        test.hr10 = 0.75;
        test.fullNdcg10 = 0.033;
        e.finalValidation = validation;
        e.finalTest = test;
        e.trainRmse = 0.5799;
        e.perUserFile = "20270101-000000-1.peruser";
        const RunHistoryContents back = parseRunHistory(serializeRunHistory({e}), "runs.json");
        QVERIFY2(back.problems.empty(), joined(back.problems).c_str());
        const RunHistoryEntry& r = back.runs.at(0);
        QCOMPARE(r.curvesOn, EvaluatedPart::Validation);
        QCOMPARE(r.validationRatings, std::size_t{8105});
        QVERIFY(r.finalValidation && r.finalTest);
        QCOMPARE(r.finalValidation->rmse, 0.8504);
        QVERIFY(std::isnan(r.finalValidation->hr10));
        QCOMPARE(r.finalTest->rmse, 0.86);
        QCOMPARE(r.finalTest->hr10, 0.75);
        QCOMPARE(r.finalTest->fullNdcg10, 0.033);
        QVERIFY(std::isnan(r.finalTest->fullHr10));
        QCOMPARE(r.trainRmse, 0.5799);
        QCOMPARE(r.perUserFile, e.perUserFile);
        QCOMPARE(runHistoryEntryToJson(r).dump(), runHistoryEntryToJson(e).dump());
    }

    // A sweep's runs carry their membership; other runs write no "sweep" key (and a null one
    // reads as none).
    void sweepMembershipRoundTrip() {
        RunHistoryEntry trial;
        trial.id = "20270101-000000-1";
        trial.modelKind = "als";
        trial.modelDisplayName = "Biased MF (ALS)";
        trial.status = RunStatus::Completed;
        trial.sweep = SweepMembership{"20270101-000000-3", 3, 2, 12, false, "rmse"};
        RunHistoryEntry final = trial;
        final.id = "20270101-000000-2";
        final.sweep = SweepMembership{"20270101-000000-3", 3, 7, 12, true, "rmse"};
        RunHistoryEntry plain = trial;
        plain.id = "20270101-000000-4";
        plain.sweep.reset();
        const std::string text = serializeRunHistory({trial, final, plain});
        const nlohmann::json json = nlohmann::json::parse(text);
        QCOMPARE(json["runs"][0]["sweep"]["trial"].get<int>(), 2);
        QCOMPARE(json["runs"][0]["sweep"]["trials"].get<int>(), 12);
        QCOMPARE(json["runs"][0]["sweep"]["number"].get<int>(), 3);
        QCOMPARE(json["runs"][1]["sweep"]["final"].get<bool>(), true);
        QCOMPARE(json["runs"][1]["sweep"]["metric"].get<std::string>(), std::string("rmse"));
        QVERIFY(!json["runs"][2].contains("sweep"));
        const RunHistoryContents back = parseRunHistory(text, "runs.json");
        QVERIFY2(back.problems.empty(), joined(back.problems).c_str());
        QCOMPARE(back.runs.size(), std::size_t{3});
        QVERIFY(back.runs[0].sweep == trial.sweep);
        QVERIFY(back.runs[1].sweep == final.sweep);
        QVERIFY(!back.runs[2].sweep);
        QCOMPARE(serializeRunHistory(back.runs), text);
        const RunHistoryContents null =
            parseRunHistory(indexText(nlohmann::json::array({run("sweep", "null")})), "runs.json");
        QVERIFY2(null.problems.empty(), joined(null.problems).c_str());
        QVERIFY(!null.runs.at(0).sweep);
    }

    void perUserMetricsRoundTrip_data() {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("split");
        QTest::newRow("als holdout") << "als"
                                     << "per-user:0.2";
        QTest::newRow("als-implicit loo") << "als-implicit"
                                          << "loo";
    }

    void perUserMetricsRoundTrip() {
        QFETCH(QString, kind);
        QFETCH(QString, split);
        SyntheticConfig config;
        config.ratings = 20'000;
        const Dataset dataset = generateSyntheticDataset(config);
        const SplitSpec spec = SplitSpec::parse(split.toStdString(), 9);
        const Split s = makeSplit(dataset, spec);
        auto model = createRecommender(kind.toStdString());
        model->setHyperparameter("iterations", "3");
        ValidatedTrainingOptions options;
        options.validation = ValidationSpec::forSplit(spec);
        options.rankingModel = findRecommender(kind.toStdString())->ranking;
        const ValidatedTrainingResult result = trainValidated(*model, dataset, s, options);
        QVERIFY(result.tested && !result.perUser.users.empty());

        const fs::path file = folder("peruser") / (kind.toStdString() + ".peruser");
        fs::create_directories(file.parent_path());
        savePerUserMetrics(file, result.perUser, dataset.userCount());
        // n users: 44 header bytes, 4 per user, per column its name and 4 bytes per user.
        std::size_t expectedSize = 44 + 4 * result.perUser.users.size();
        for (const auto& c : result.perUser.columns)
            expectedSize += 4 + c.name.size() + 4 * result.perUser.users.size();
        QCOMPARE(static_cast<std::size_t>(fs::file_size(file)), expectedSize);
        const PerUserMetrics loaded = loadPerUserMetrics(file, dataset.userCount());

        // Recomputed independently of the run: the final model on the split's test part.
        const TrainData full = TrainData::build(dataset, s);
        const PerUserOptions perUser = perUserOptionsFor(*model, spec, options.rankingModel);
        const SampledNegatives negatives = sampleNegatives(full, 100, spec.seed);
        const PerUserMetrics expected = computePerUserMetrics(full, *model, &negatives, perUser);
        QCOMPARE(loaded.users, expected.users);
        QCOMPARE(loaded.cutoff, expected.cutoff);
        QCOMPARE(loaded.usersWithTests, expected.usersWithTests);
        QCOMPARE(loaded.columns.size(), expected.columns.size());
        for (std::size_t c = 0; c < expected.columns.size(); ++c) {
            QCOMPARE(loaded.columns[c].name, expected.columns[c].name);
            for (std::size_t k = 0; k < expected.users.size(); ++k)
                QCOMPARE(loaded.columns[c].values[k],
                         static_cast<double>(static_cast<float>(expected.columns[c].values[k])));
        }
        // The dataset must match.
        try {
            loadPerUserMetrics(file, dataset.userCount() + 1);
            QFAIL("read for another dataset");
        } catch (const DataError& e) {
            QVERIFY2(QString(e.what()).contains("users, the dataset has"), e.what());
        }
    }

    void badPerUserFiles_data() {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("expected");
        PerUserMetrics m;
        m.users = {1, 4};
        m.usersWithTests = 2;
        m.columns.push_back({kUserRmse, {0.8, 0.9}});
        const QByteArray good = QByteArray::fromStdString(serializePerUserMetrics(m, 5));
        QTest::newRow("empty") << QByteArray() << "cut short in the header";
        QTest::newRow("magic") << QByteArray("LAMODEL1").append(good.mid(8)) << "wrong magic";
        QTest::newRow("version") << QByteArray(good).replace(8, 1, "\x07") << "version 7";
        QTest::newRow("cut") << good.left(good.size() - 2) << "cut short";
        QTest::newRow("trailing") << QByteArray(good).append("xx") << "2 bytes after";
        QByteArray unordered = good;
        unordered[44] = 4;  // first user 4, second 4
        QTest::newRow("order") << unordered << "users out of order";
        QByteArray huge = good;
        huge[32] = '\xff';  // n users: far beyond the bytes
        QTest::newRow("huge n") << huge << "more users than bytes";
    }

    void badPerUserFiles() {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, expected);
        try {
            parsePerUserMetrics(std::string_view(bytes.constData(), bytes.size()), "x.peruser");
            QFAIL("parsed");
        } catch (const DataError& e) {
            QVERIFY2(
                QString(e.what()).startsWith("x.peruser") && QString(e.what()).contains(expected),
                e.what());
        }
    }

    void isoTimestamps_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("utc");  // empty: rejected
        QTest::newRow("ms Z") << "2026-11-27T03:22:01.250Z"
                              << "2026-11-27T03:22:01.250Z";
        QTest::newRow("no ms") << "2026-11-27T03:22:01Z"
                               << "2026-11-27T03:22:01.000Z";
        QTest::newRow("no zone") << "2026-11-27T03:22:01"
                                 << "2026-11-27T03:22:01.000Z";
        QTest::newRow("long fraction") << "2026-11-27T03:22:01.123456Z"
                                       << "2026-11-27T03:22:01.123Z";
        QTest::newRow("one digit") << "2026-11-27T03:22:01.5Z"
                                   << "2026-11-27T03:22:01.500Z";
        QTest::newRow("offset") << "2026-01-01T01:30:00+02:00"
                                << "2025-12-31T23:30:00.000Z";
        QTest::newRow("negative offset") << "2026-11-27T23:00:00-0130"
                                         << "2026-11-28T00:30:00.000Z";
        QTest::newRow("leap day") << "2024-02-29T00:00:00Z"
                                  << "2024-02-29T00:00:00.000Z";
        QTest::newRow("not a leap day") << "2026-02-29T00:00:00Z"
                                        << "";
        QTest::newRow("month 13") << "2026-13-45T99:99:99"
                                  << "";
        QTest::newRow("hour 24") << "2026-11-27T24:00:00Z"
                                 << "";
        QTest::newRow("empty") << ""
                               << "";
        QTest::newRow("date only") << "2026-11-27"
                                   << "";
        QTest::newRow("trailing text") << "2026-11-27T03:22:01Zx"
                                       << "";
        QTest::newRow("empty fraction") << "2026-11-27T03:22:01.Z"
                                        << "";
        QTest::newRow("year 0 less an hour") << "0000-01-01T00:00:00+01:00"
                                             << "";
        QTest::newRow("year 10000 in UTC") << "9999-12-31T23:30:00-01:00"
                                           << "";
        QTest::newRow("year 0") << "0000-01-01T00:00:00Z"
                                << "0000-01-01T00:00:00.000Z";
    }

    void isoTimestamps() {
        QFETCH(QString, text);
        QFETCH(QString, utc);
        const auto parsed = parseIsoTimestamp(text.toStdString());
        QCOMPARE(parsed.has_value(), !utc.isEmpty());
        if (parsed) QCOMPARE(QString::fromStdString(isoTimestamp(*parsed)), utc);
    }

    void calendar() {
        QCOMPARE(isoDate(0), std::string("1970-01-01"));
        QCOMPARE(isoDate(-1), std::string("1969-12-31"));
        QCOMPARE(isoDate(1200000000), std::string("2008-01-10"));
        QCOMPARE(isoDate(4294967295LL), std::string("2106-02-07"));
        QCOMPARE(civilYear(946684799), 1999);
        QCOMPARE(civilYear(946684800), 2000);
        QCOMPARE(civilYearOfDay(11322), 2000);
        QCOMPARE(civilYearOfDay(11323), 2001);
        QCOMPARE(startOfYear(1970), std::int64_t{0});
        QCOMPARE(startOfYear(2000), std::int64_t{946684800});
        QCOMPARE(startOfYear(1969), std::int64_t{-31536000});
    }
};

QTEST_GUILESS_MAIN(TestRunHistoryFile)
#include "tst_run_history_file.moc"
