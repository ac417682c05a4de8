// `lens-atlas compare`: the JSON keys the README documents, figures that agree with the `train`
// command's independent evaluation of the same model on the same split, intervals that hold
// their estimate, Holm never below the raw p-value, saved runs compared only on a shared split,
// demographic segments only for a release with a user file, and usage errors.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>

#include "../engine/LoaderFixtures.h"
#include "CliTestSupport.h"

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
