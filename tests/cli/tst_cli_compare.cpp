// `lens-atlas compare`: the JSON keys the README documents, figures that agree with the `train`
// command's independent evaluation of the same model on the same split, intervals that hold
// their estimate, Holm never below the raw p-value, saved runs compared only on a shared split,
// demographic segments only for a release with a user file, usage errors, and saved runs of
// the Train stage compared on the per-user metrics they stored (runs.json beside the models).
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>
#include <algorithm>
#include <cmath>

#include "../engine/LoaderFixtures.h"
#include "CliTestSupport.h"
#include "data/Split.h"
#include "io/RunHistoryFile.h"
#include "models/TrainData.h"
#include "synth/SyntheticGenerator.h"

using lens::test::runLensAtlas;

namespace {

QJsonObject parse(const QByteArray& out) {
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(out, &error);
    if (error.error != QJsonParseError::NoError) qWarning() << error.errorString() << out.left(400);
    return doc.object();
}

QJsonObject modelEntry(const QJsonObject& root, const QString& name) {
    for (const auto& m : root["models"].toArray())
        if (m.toObject()["model"].toString() == name) return m.toObject();
    return {};
}

}  // namespace

class TestCliCompare : public QObject {
    Q_OBJECT

private slots:
    void jsonKeysAndAgreementWithTrain() {
        const auto run = runLensAtlas(
            {"compare", "demo", "--models", "bias,als-implicit", "--bootstrap", "200", "--json"},
            300'000, lens::test::passiveOpenMpEnvironment());
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const QJsonObject root = parse(run.out);
        for (const char* key : {"models", "pairs", "segments", "beyond_accuracy",
                                "protocol_disagreements", "split", "bootstrap", "users"})
            QVERIFY2(root.contains(key), key);
        QCOMPARE(root["models"].toArray().size(), 2);
        QCOMPARE(root["bootstrap"].toObject()["resamples"].toInt(), 200);

        // Every estimate lies inside its interval.
        for (const auto& m : root["models"].toArray()) {
            const QJsonObject metrics = m.toObject()["metrics"].toObject();
            QVERIFY(metrics.contains("hr_full"));
            QVERIFY(metrics.contains("ndcg_sampled"));
            for (const QString& key : metrics.keys()) {
                const QJsonObject e = metrics[key].toObject();
                QVERIFY2(e["ci_low"].toDouble() <= e["value"].toDouble() &&
                             e["value"].toDouble() <= e["ci_high"].toDouble(),
                         qPrintable(key));
            }
        }
        // The rating model also has rating errors; the implicit one has none.
        QVERIFY(modelEntry(root, "bias")["metrics"].toObject().contains("rmse"));
        QVERIFY(!modelEntry(root, "als-implicit")["metrics"].toObject().contains("rmse"));

        // Pairs: p-values are probabilities and Holm never lowers one.
        const QJsonArray pairs = root["pairs"].toArray();
        QVERIFY(!pairs.isEmpty());
        for (const auto& p : pairs) {
            const QJsonObject o = p.toObject();
            for (const char* key : {"a", "b", "metric", "mean_difference", "p_t", "p_wilcoxon",
                                    "p_holm", "ci_low", "ci_high"})
                QVERIFY2(o.contains(key), key);
            QVERIFY(o["p_t"].toDouble() >= 0 && o["p_t"].toDouble() <= 1);
            QVERIFY(o["p_wilcoxon"].toDouble() >= 0 && o["p_wilcoxon"].toDouble() <= 1);
            QVERIFY(o["p_holm"].toDouble() >= o["p_t"].toDouble() - 1e-15);
        }
        QVERIFY(!root["segments"].toArray().isEmpty());
        QVERIFY(!root["beyond_accuracy"].toArray().isEmpty());

        // The same model, split and seed through `train`: its sampled and full HR@10 (computed
        // by eval/RankingMetrics, case by case) equal compare's user means under leave-one-out.
        const auto train =
            runLensAtlas({"train", "demo", "--model", "als-implicit", "--split", "loo", "--json"},
                         300'000, lens::test::passiveOpenMpEnvironment());
        QVERIFY2(train.exitCode == 0, train.err.constData());
        const QJsonObject t = parse(train.out);
        const QJsonObject metrics = modelEntry(root, "als-implicit")["metrics"].toObject();
        QVERIFY(std::abs(metrics["hr_sampled"].toObject()["value"].toDouble() -
                         t["hr10"].toDouble()) < 1e-9);
        QVERIFY(std::abs(metrics["hr_full"].toObject()["value"].toDouble() -
                         t["full_hr10"].toDouble()) < 1e-9);
        QVERIFY(std::abs(metrics["ndcg_full"].toObject()["value"].toDouble() -
                         t["full_ndcg10"].toDouble()) < 1e-9);
    }

    void savedRunsMustShareASplit() {
        QTemporaryDir dir;
        const QString a = dir.filePath("a.lensmodel"), b = dir.filePath("b.lensmodel");
        QCOMPARE(runLensAtlas({"train", "demo", "--model", "bias", "--save", a}).exitCode, 0);
        QCOMPARE(runLensAtlas({"train", "demo", "--model", "bias", "--split", "loo", "--save", b})
                     .exitCode,
                 0);
        const auto mismatch = runLensAtlas({"compare", "demo", "--runs", a + "," + b});
        QCOMPARE(mismatch.exitCode, 2);
        QVERIFY2(mismatch.err.contains("same split"), mismatch.err.constData());

        // The same run twice: no difference, and the tests say there is no evidence of one.
        const auto same =
            runLensAtlas({"compare", "demo", "--runs", a + "," + a, "--bootstrap", "50", "--json"});
        QVERIFY2(same.exitCode == 0, same.err.constData());
        for (const auto& p : parse(same.out)["pairs"].toArray()) {
            QCOMPARE(p.toObject()["mean_difference"].toDouble(), 0.0);
            QCOMPARE(p.toObject()["p_t"].toDouble(), 1.0);
        }
    }

    // `--runs` of Train stage runs: runs.json beside the models names each run's per-user file;
    // a stored file's columns are the comparison's (its values, k * 7 % 16 / 16, are no model's),
    // a run without one is computed, and each model says which in the JSON and the text.
    void savedRunsUseTheirStoredPerUserMetrics() {
        QTemporaryDir dir;
        const QString a = dir.filePath("a.lamodel"), b = dir.filePath("b.lamodel");
        for (const QString& file : {a, b})
            QCOMPARE(
                runLensAtlas({"train", "demo", "--model", "bias", "--split", "loo", "--save", file})
                    .exitCode,
                0);
        // The per-user file a Train stage run of `demo` on leave-one-out (seed 42) would keep.
        const lens::Dataset demo = lens::generateSyntheticDataset(lens::SyntheticConfig{});
        const lens::SplitSpec split = lens::SplitSpec::parse("loo", 42);
        const lens::TrainData data = lens::TrainData::build(demo, lens::makeSplit(demo, split));
        lens::PerUserMetrics stored;
        for (const auto& t : data.test) stored.users.push_back(t.user);
        std::sort(stored.users.begin(), stored.users.end());
        stored.users.erase(std::unique(stored.users.begin(), stored.users.end()),
                           stored.users.end());
        stored.usersWithTests = stored.users.size();
        for (const char* name : {lens::kUserRmse, lens::kUserMae, lens::kUserHrSampled,
                                 lens::kUserNdcgSampled, lens::kUserRrSampled, lens::kUserHrFull,
                                 lens::kUserNdcgFull, lens::kUserRecallFull, lens::kUserRrFull}) {
            lens::PerUserColumn column{name, {}};
            for (std::size_t k = 0; k < stored.users.size(); ++k)
                column.values.push_back(static_cast<double>(k * 7 % 16) / 16.0);
            stored.columns.push_back(std::move(column));
        }
        double plantedMean = 0;
        for (double v : stored.columns.front().values) plantedMean += v;
        plantedMean /= static_cast<double>(stored.users.size());
        lens::savePerUserMetrics(QFile::encodeName(dir.filePath("a.peruser")).toStdString(), stored,
                                 demo.userCount());
        std::vector<lens::RunHistoryEntry> runs(2);
        for (std::size_t i = 0; i < 2; ++i) {
            runs[i].id = i == 0 ? "run-a" : "run-b";
            runs[i].modelKind = "bias";
            runs[i].split = split;
            runs[i].datasetName = demo.name;
            runs[i].status = lens::RunStatus::Completed;
            runs[i].modelFile = i == 0 ? "a.lamodel" : "b.lamodel";
        }
        runs[0].perUserFile = "a.peruser";
        lens::saveRunHistory(QFile::encodeName(dir.filePath("runs.json")).toStdString(), runs);

        const auto run =
            runLensAtlas({"compare", "demo", "--runs", a + "," + b, "--bootstrap", "50", "--json"});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const QJsonObject root = parse(run.out);
        const QJsonObject ma = modelEntry(root, "a"), mb = modelEntry(root, "b");
        QCOMPARE(ma["per_user_source"].toString(), QStringLiteral("stored"));
        QCOMPARE(ma["per_user_stored_columns"].toArray().size(), 9);
        QCOMPARE(ma["per_user_reason"].toString(), QString());
        for (const char* metric : {"rmse", "hr_sampled", "ndcg_full", "rr_full"})
            QVERIFY2(std::abs(ma["metrics"].toObject()[metric].toObject()["value"].toDouble() -
                              plantedMean) < 1e-9,
                     metric);
        QCOMPARE(mb["per_user_source"].toString(), QStringLiteral("computed"));
        QVERIFY(mb["per_user_stored_columns"].toArray().isEmpty());
        QVERIFY2(
            mb["per_user_reason"].toString().contains("run run-b has no per-user metrics file"),
            qPrintable(mb["per_user_reason"].toString()));
        QVERIFY(std::abs(mb["metrics"].toObject()["rmse"].toObject()["value"].toDouble() -
                         plantedMean) > 1e-3);

        // The text says the same; a model file without a runs.json beside it is computed.
        QDir(dir.path()).mkdir("alone");
        const QString alone = dir.filePath("alone/c.lamodel");
        QVERIFY(QFile::copy(b, alone));
        const auto text =
            runLensAtlas({"compare", "demo", "--runs", a + "," + alone, "--bootstrap", "50"});
        QVERIFY2(text.exitCode == 0, text.err.constData());
        QVERIFY2(text.out.contains("per-user metrics stored: rmse, mae, hr_sampled"),
                 text.out.constData());
        QVERIFY2(text.out.contains("per-user metrics computed: no runs.json beside the model"),
                 text.out.constData());
    }

    // A release with a user file gets gender, age and occupation segments in the JSON (each row
    // with its dimension) and in the text; the demo (no user file) has none; a bad users.dat is
    // bad data naming the file and line.
    void demographicSegmentsOnlyWithAUserFile() {
        QTemporaryDir dir;
        const QString release = dir.filePath("ml-1m");
        lens::test::writeFiles(release, lens::test::ml1mDemographicRelease(90, {5}));
        const auto run =
            runLensAtlas({"compare", release, "--models", "bias", "--bootstrap", "50", "--json"},
                         300'000, lens::test::passiveOpenMpEnvironment());
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const QJsonObject root = parse(run.out);
        QMap<QString, QList<QJsonObject>> byDimension;
        for (const auto& v : root["segments"].toArray()) {
            const QJsonObject row = v.toObject();
            for (const char* key :
                 {"model", "dimension", "segment", "metric", "units", "value", "ci_low", "ci_high"})
                QVERIFY2(row.contains(key), key);
            byDimension[row["dimension"].toString()] << row;
        }
        QCOMPARE(byDimension.keys(),
                 QStringList({"activity", "age", "gender", "occupation", "popularity"}));
        QStringList genders, ages;
        qint64 genderUsers = 0;
        for (const QJsonObject& row : byDimension["gender"]) {
            genders << row["segment"].toString();
            genderUsers += row["units"].toInteger();
            QCOMPARE(row["metric"].toString(), QStringLiteral("rmse"));
        }
        for (const QJsonObject& row : byDimension["age"]) ages << row["segment"].toString();
        QCOMPARE(genders, QStringList({"female", "male"}));
        QCOMPARE(ages,
                 QStringList({"Under 18", "18-24", "25-34", "35-44", "45-49", "50-55", "56+"}));
        // Every scored user but the unlisted one (user 5) is in a gender group.
        QCOMPARE(genderUsers, root["users"].toObject()["scored"].toInteger() - 1);
        // Occupations largest first; programmer (every user from id 40 up) leads.
        const QList<QJsonObject>& occupations = byDimension["occupation"];
        QVERIFY(occupations.size() > 10);
        QCOMPARE(occupations.front()["segment"].toString(), QStringLiteral("programmer"));
        for (qsizetype k = 1; k < occupations.size(); ++k)
            QVERIFY(occupations[k - 1]["units"].toInteger() >= occupations[k]["units"].toInteger());

        const auto text =
            runLensAtlas({"compare", release, "--models", "bias", "--bootstrap", "50"}, 300'000,
                         lens::test::passiveOpenMpEnvironment());
        QVERIFY2(text.exitCode == 0, text.err.constData());
        for (const char* expected : {"bias gender", "bias age", "bias occupation programmer"})
            QVERIFY2(text.out.simplified().contains(expected), expected);

        // The demo has no user file: activity and popularity only.
        const auto demo =
            runLensAtlas({"compare", "demo", "--models", "bias", "--bootstrap", "20", "--json"},
                         300'000, lens::test::passiveOpenMpEnvironment());
        QVERIFY2(demo.exitCode == 0, demo.err.constData());
        QSet<QString> dimensions;
        for (const auto& v : parse(demo.out)["segments"].toArray())
            dimensions << v.toObject()["dimension"].toString();
        QCOMPARE(dimensions, QSet<QString>({"activity", "popularity"}));

        // A bad users.dat stops the command as bad data, naming the file and line.
        lens::test::Files bad = lens::test::ml1mDemographicRelease(10);
        bad["users.dat"] = "1::F::1::10::48067\n2::X::56::16::70072\n";
        const QString badRelease = dir.filePath("bad/ml-1m");
        lens::test::writeFiles(badRelease, bad);
        const auto refused = runLensAtlas({"compare", badRelease, "--models", "bias"});
        QCOMPARE(refused.exitCode, 3);
        QVERIFY2(refused.err.contains("users.dat:2: gender 'X' is not M or F"),
                 refused.err.constData());
    }

    void usageErrors_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("no models") << QStringList{"compare", "demo"} << "--models or --runs";
        QTest::newRow("unknown model")
            << QStringList{"compare", "demo", "--models", "bias,nope"} << "unknown model 'nope'";
        QTest::newRow("bad bootstrap")
            << QStringList{"compare", "demo", "--models", "bias", "--bootstrap", "0"}
            << "bad --bootstrap";
        QTest::newRow("bad split")
            << QStringList{"compare", "demo", "--models", "bias", "--split", "sideways"}
            << "sideways";
    }
    void usageErrors() {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        const auto run = runLensAtlas(args);
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains(message.toUtf8()), run.err.constData());
        QVERIFY(run.err.contains("usage: lens-atlas compare"));
    }
};

QTEST_GUILESS_MAIN(TestCliCompare)
#include "tst_cli_compare.moc"
