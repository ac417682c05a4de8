// Replays the fuzz inputs of the readers of our own UI files (personas: PersonaStore::parse;
// run history: RunHistoryModel::load of runs.json) through the same checks as their fuzz
// targets (tests/fuzz/OwnFileFuzzing.h), in the normal test suite and so under ASan/UBSan/LSan
// in CI: the seed corpora (tests/fuzz/corpus/fuzz_personas|fuzz_run_history/, valid files that
// must load without a problem), the regressions (tests/fuzz/regressions/<target>/, inputs that
// once crashed or broke a property; each must now load or end in a clear error) and hand-made
// hostile inputs, each with the clear error it must produce. The engine readers' inputs are
// replayed by tests/engine/tst_fuzz_regressions.
#include <QDirIterator>
#include <QTemporaryDir>
#include <QtTest>
#include <stdexcept>

#include "../fuzz/FuzzFixtures.h"
#include "../fuzz/OwnFileFuzzing.h"
#include "UiTestHelpers.h"
#include "io/DatasetLoader.h"

using lens::fuzz::OwnFileOutcome;

using lens::test::readAll;

namespace {

const QString kMustLoad = QStringLiteral("<loads>");     // valid: loads without a problem
const QString kAnyClear = QStringLiteral("<anything>");  // loads or fails with a clear error

QByteArray quoted(const QByteArray& text) {
    return "\"" + text + "\"";
}

// Persona documents built from one persona object.
QByteArray personaDoc(const QByteArray& personaObject) {
    return "{\"version\": 1, \"personas\": [" + personaObject + "]}";
}
QByteArray personaWithMovie(const QByteArray& movieObject) {
    return personaDoc("{\"name\": \"p\", \"movies\": [" + movieObject + "]}");
}

// A run as RunRecord::toJson writes it, with `field` replaced by `json` (or added).
QByteArray runsDoc(const QByteArray& runs, int version = 1) {
    return "{\"format\": \"lens-atlas-runs\", \"version\": " + QByteArray::number(version) +
           ", \"runs\": [" + runs + "]}";
}
QByteArray run(const QByteArray& field = {}, const QByteArray& json = {}) {
    QJsonArray hyperparameters;
    hyperparameters.append(QJsonArray{"k", "10"});
    QJsonObject o{
        {"id", "20261127-032201-1"},
        {"model", "als"},
        {"model_display_name", "Biased MF (ALS)"},
        {"hyperparameters", hyperparameters},
        {"split", "per-user:0.2"},
        {"seed", "42"},
        {"dataset", "ml-latest-small"},
        {"status", "completed"},
        {"started", "2026-11-27T03:22:01.125Z"},
        {"duration_seconds", 1.5},
        {"model_file", ""},
        {"message", ""},
        {"history", QJsonArray{QJsonObject{
                        {"iteration", 1}, {"total", 1}, {"seconds", 0.5}, {"test_rmse", 0.9}}}}};
    QByteArray text = QJsonDocument(o).toJson(QJsonDocument::Compact);
    if (field.isEmpty()) return text;
    o.remove(QString::fromLatin1(field));
    text = QJsonDocument(o).toJson(QJsonDocument::Compact);
    text.chop(1);  // the closing brace
    return text + ",\"" + field + "\":" + json + "}";
}

}  // namespace

class TestFuzzRegressionsUi : public QObject {
    Q_OBJECT

    QTemporaryDir scratch_;
    lens::Dataset release_;

private slots:
    void initTestCase() {
        QVERIFY(scratch_.isValid());
        release_ = lens::loadDatasetFromMemory(lens::fuzz::csvRelease(), "fuzz");
    }

    void personas_data() {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QString>("expected");  // kMustLoad, kAnyClear or part of the error
        const QString fuzzDir = QFINDTESTDATA("../fuzz");
        QVERIFY2(!fuzzDir.isEmpty(), "tests/fuzz not found");
        int seeds = 0;
        for (const char* kind : {"corpus", "regressions"}) {
            QDirIterator it(fuzzDir + "/" + kind + "/fuzz_personas", QDir::Files);
            while (it.hasNext()) {
                const QString file = it.next();
                QTest::newRow(qPrintable(QString("%1/%2").arg(kind, it.fileName())))
                    << readAll(file) << (QString(kind) == "corpus" ? kMustLoad : kAnyClear);
                seeds += QString(kind) == "corpus";
            }
        }
        QVERIFY2(seeds >= 2, "the persona seed corpus is missing");

        const QByteArray presets = readAll(fuzzDir + "/corpus/fuzz_personas/presets.json");
        const QByteArray longText(1000000, 'x');
        QTest::newRow("truncated presets")
            << presets.left(presets.size() / 2) << "fuzz-personas.json:";
        QTest::newRow("empty") << QByteArray() << "invalid JSON";
        QTest::newRow("NUL bytes") << QByteArray("{\"personas\": [\0\0\0]}", 19) << "invalid JSON";
        QTest::newRow("deep nesting")
            << QByteArray(100000, '[') + QByteArray(100000, ']') << "invalid JSON";
        QTest::newRow("deep nesting in a persona")
            << personaDoc(QByteArray(500, '[') + QByteArray(500, ']')) << "expected an object";
        QTest::newRow("movie id 1e300")
            << personaWithMovie(R"({"movie_id": 1e300, "rating": 5})") << "\"movie_id\"";
        QTest::newRow("movie id 2^63-1")
            << personaWithMovie(R"({"movie_id": 9223372036854775807, "rating": 5})")
            << "\"movie_id\"";
        QTest::newRow("movie id -2^63")
            << personaWithMovie(R"({"movie_id": -9223372036854775808, "rating": 5})")
            << "\"movie_id\"";
        QTest::newRow("movie id 2^53+2")
            << personaWithMovie(R"({"movie_id": 9007199254740994, "rating": 5})") << "\"movie_id\"";
        QTest::newRow("rating NaN")
            << personaWithMovie(R"({"movie_id": 1, "rating": NaN})") << "invalid JSON";
        QTest::newRow("rating \"NaN\"")
            << personaWithMovie(R"({"movie_id": 1, "rating": "NaN"})") << "must be a number";
        QTest::newRow("rating 1e400")
            << personaWithMovie(R"({"movie_id": 1, "rating": 1e400})") << "fuzz-personas.json:";
        QTest::newRow("rating 4.25")
            << personaWithMovie(R"({"movie_id": 1, "rating": 4.25})") << "not a half star";
        QTest::newRow("million-character title")
            << personaWithMovie("{\"movie_id\": 1, \"rating\": 5, \"title\": \"" + longText + "\"}")
            << kMustLoad;
        QTest::newRow("million-character name with a bad movie")
            << personaDoc("{\"name\": \"" + longText +
                          "\", \"movies\": [{\"movie_id\": \"x\", \"rating\": 5}]}")
            << "must be an integer";
        QTest::newRow("million-character name without movies")
            << personaDoc("{\"name\": \"" + longText + "\", \"movies\": []}") << "has no movies";
        QTest::newRow("many movies") << [] {
            QByteArray movies;
            for (int i = 1; i <= 20000; ++i)
                movies += (i > 1 ? "," : "") + QByteArray("{\"movie_id\": ") +
                          QByteArray::number(i) + ", \"rating\": 3.5}";
            return personaDoc("{\"name\": \"many\", \"movies\": [" + movies + "]}");
        }() << kMustLoad;
    }

    void personas() {
        QFETCH(QByteArray, input);
        QFETCH(QString, expected);
        std::string message;
        OwnFileOutcome outcome = OwnFileOutcome::Rejected;
        try {
            outcome = lens::fuzz::checkPersonaDocument(input, &release_, &message);
        } catch (const std::exception& e) {
            QFAIL(e.what());
        }
        const QString error = QString::fromStdString(message);
        if (expected == kMustLoad) {
            QVERIFY2(outcome == OwnFileOutcome::Loaded, qPrintable(error));
        } else if (expected != kAnyClear) {
            QVERIFY2(outcome == OwnFileOutcome::Rejected, "accepted a document it must reject");
            QVERIFY2(error.contains(expected), qPrintable(error));
        }
        if (outcome == OwnFileOutcome::Rejected)  // a clear error: names the file, short
            QVERIFY2(error.startsWith("fuzz-personas.json") && error.size() < 600,
                     qPrintable(error.left(700)));
    }

    void runHistory_data() {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QString>("expected");  // kMustLoad, kAnyClear or part of a problem
        const QString fuzzDir = QFINDTESTDATA("../fuzz");
        QVERIFY2(!fuzzDir.isEmpty(), "tests/fuzz not found");
        int seeds = 0;
        for (const char* kind : {"corpus", "regressions"}) {
            QDirIterator it(fuzzDir + "/" + kind + "/fuzz_run_history", QDir::Files);
            while (it.hasNext()) {
                const QString file = it.next();
                QTest::newRow(qPrintable(QString("%1/%2").arg(kind, it.fileName())))
                    << readAll(file) << (QString(kind) == "corpus" ? kMustLoad : kAnyClear);
                seeds += QString(kind) == "corpus";
            }
        }
        QVERIFY2(seeds >= 1, "the run history seed corpus is missing");

        const QByteArray index = readAll(fuzzDir + "/corpus/fuzz_run_history/runs.json");
        const QByteArray longText(1000000, 'x');
        QTest::newRow("valid hand-made run") << runsDoc(run()) << kMustLoad;
        QTest::newRow("truncated index") << index.left(index.size() / 2) << "not valid JSON";
        QTest::newRow("empty") << QByteArray() << "not valid JSON";
        QTest::newRow("NUL bytes") << QByteArray("{\"runs\": [\0]}", 13) << "not valid JSON";
        QTest::newRow("deep nesting")
            << QByteArray(100000, '[') + QByteArray(100000, ']') << "not valid JSON";
        QTest::newRow("not our index")
            << QByteArray("{\"runs\": []}") << "not a Lens Atlas runs index";
        QTest::newRow("newer version") << runsDoc(run(), 99) << "newer Lens Atlas (version 99)";
        QTest::newRow("entry not an object") << runsDoc("[[[[1]]]]") << "not an object";
        QTest::newRow("duplicate id") << runsDoc(run() + "," + run()) << "duplicate run id";
        QTest::newRow("unknown model")
            << runsDoc(run("model", "\"svd++\"")) << "unknown model 'svd++'";
        QTest::newRow("seed 2^64")
            << runsDoc(run("seed", "\"18446744073709551616\"")) << "bad seed";
        QTest::newRow("seed as a number") << runsDoc(run("seed", "42")) << "field 'seed'";
        QTest::newRow("split NaN") << runsDoc(run("split", "\"per-user:nan\"")) << "field 'split'";
        QTest::newRow("split 1e-300") << runsDoc(run("split", "\"per-user:1e-300\"")) << kMustLoad;
        QTest::newRow("split 0.9999999")
            << runsDoc(run("split", "\"random:0.9999999\"")) << kMustLoad;
        QTest::newRow("split 0.1234567")
            << runsDoc(run("split", "\"per-user:0.1234567\"")) << kMustLoad;
        QTest::newRow("split time 2^64")
            << runsDoc(run("split", "\"time:18446744073709551616\"")) << "field 'split'";
        QTest::newRow("duration negative")
            << runsDoc(run("duration_seconds", "-1")) << "duration_seconds";
        QTest::newRow("duration 1e400") << runsDoc(run("duration_seconds", "1e400")) << kAnyClear;
        QTest::newRow("duration huge") << runsDoc(run("duration_seconds", "1e300")) << kMustLoad;
        QTest::newRow("metric 1e300")
            << runsDoc(run("history", R"([{"iteration": 1, "total": 1, "test_rmse": 1e300}])"))
            << kMustLoad;
        QTest::newRow("metric as text")
            << runsDoc(run("history", R"([{"iteration": 1, "total": 1, "hr10": "NaN"}])"))
            << "history field 'hr10' is not a number";
        QTest::newRow("iteration 1e300")
            << runsDoc(run("history", R"([{"iteration": 1e300, "total": -1e300}])")) << kMustLoad;
        QTest::newRow("history not entries")
            << runsDoc(run("history", "[1, 2]")) << "history entry without iteration";
        QTest::newRow("model file escapes the folder")
            << runsDoc(run("model_file", "\"../../etc/passwd\"")) << "not a plain file name";
        QTest::newRow("hyper-parameter not a pair")
            << runsDoc(run("hyperparameters", "[[\"k\"]]")) << "bad hyper-parameter entry";
        QTest::newRow("started not a date")
            << runsDoc(run("started", "\"2026-13-45T99:99:99\"")) << kMustLoad;
        QTest::newRow("million-character id") << runsDoc(run("id", quoted(longText))) << kMustLoad;
        QTest::newRow("million-character id with a bad status")
            << runsDoc(run("status", "\"exploded\"").replace("20261127-032201-1", longText))
            << "field 'status' missing or unknown";
        QTest::newRow("million-character duplicate id") << [&] {
            const QByteArray one = run("id", quoted(longText));
            return runsDoc(one + "," + one);
        }() << "duplicate run id";
        QTest::newRow("million-character message")
            << runsDoc(run("message", quoted(longText))) << kMustLoad;
    }

    void runHistory() {
        QFETCH(QByteArray, input);
        QFETCH(QString, expected);
        QStringList problems;
        OwnFileOutcome outcome = OwnFileOutcome::Rejected;
        try {
            outcome = lens::fuzz::checkRunHistory(input, scratch_.path(), &problems);
        } catch (const std::exception& e) {
            QFAIL(e.what());
        }
        const QString text = problems.join('\n');
        if (expected == kMustLoad) {
            QVERIFY2(outcome == OwnFileOutcome::Loaded && problems.isEmpty(), qPrintable(text));
        } else if (expected != kAnyClear) {
            QVERIFY2(!problems.isEmpty(), "accepted an index with a problem");
            QVERIFY2(text.contains(expected), qPrintable(text.left(700)));
        }
        for (const QString& p : problems)  // a clear problem: names the index, short
            QVERIFY2(p.contains("runs.json") && p.size() < 600, qPrintable(p.left(700)));
    }
};

QTEST_GUILESS_MAIN(TestFuzzRegressionsUi)
#include "tst_fuzz_regressions_ui.moc"
