// `lens-atlas sweep` and `lens-atlas cv`: the JSON keys the README documents, the best trial is
// the best by validation, random search draws distinct combinations, cross-validation's mean is
// the mean of its folds, and bad grids are usage errors naming the problem.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>
#include <cmath>
#include <set>

#include "CliTestSupport.h"

using lens::test::runLensAtlas;

class TestCliTuning : public QObject {
    Q_OBJECT

private slots:
    void sweepGrid() {
        const auto run = runLensAtlas({"sweep", "demo", "--model", "als", "--grid", "k=4,8",
                                       "--grid", "lambda=0.05,2", "--iterations", "4", "--json"},
                                      300'000, lens::test::passiveOpenMpEnvironment());
        // --iterations is not a sweep option: usage error, nothing trained.
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains("unknown option '--iterations'"), run.err.constData());

        const auto ok = runLensAtlas({"sweep", "demo", "--model", "als", "--grid", "k=4,8",
                                      "--grid", "lambda=0.05,2", "--json"},
                                     300'000, lens::test::passiveOpenMpEnvironment());
        QVERIFY2(ok.exitCode == 0, ok.err.constData());
        const QJsonObject o = QJsonDocument::fromJson(ok.out).object();
        QCOMPARE(o["metric"].toString(), QStringLiteral("rmse"));
        const QJsonArray trials = o["trials"].toArray();
        QCOMPARE(trials.size(), 4);
        double best = 1e9;
        for (const auto& t : trials) {
            QVERIFY(t.toObject()["params"].toObject().contains("lambda"));
            best = std::min(best, t.toObject()["validation"].toDouble());
        }
        const QJsonObject b = o["best"].toObject();
        QCOMPARE(b["validation"].toDouble(), best);
        QVERIFY(b["test"].toDouble() > 0 && b["test"].toDouble() < 2);
        QVERIFY(o["validation_ratings"].toInt() > 0);
    }

    void sweepRandom() {
        const auto run = runLensAtlas({"sweep", "demo", "--model", "bias", "--grid",
                                       "item_lambda=1,5,10,25,50", "--random", "3", "--json"});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const QJsonArray trials = QJsonDocument::fromJson(run.out).object()["trials"].toArray();
        QCOMPARE(trials.size(), 3);
        std::set<QString> values;
        for (const auto& t : trials)
            values.insert(t.toObject()["params"].toObject()["item_lambda"].toString());
        QCOMPARE(values.size(), std::size_t(3));
    }

    void cvMeanOfFolds() {
        const auto run = runLensAtlas({"cv", "demo", "--model", "bias", "--folds", "3", "--json"});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const QJsonObject o = QJsonDocument::fromJson(run.out).object();
        const QJsonArray folds = o["folds"].toArray();
        QCOMPARE(folds.size(), 3);
        double sum = 0;
        for (const auto& f : folds) sum += f.toObject()["test_rmse"].toDouble();
        QVERIFY(std::abs(o["mean"].toObject()["test_rmse"].toDouble() - sum / 3) < 1e-12);
        QVERIFY(o["sd"].toObject()["test_rmse"].toDouble() > 0);
        QCOMPARE(o["predefined_splits"].toBool(), false);
    }

    void usageErrors_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("no grid") << QStringList{"sweep", "demo", "--model", "als"}
                                 << "missing --grid";
        QTest::newRow("bad grid") << QStringList{"sweep", "demo", "--model", "als", "--grid", "k"}
                                  << "NAME=V1,V2";
        QTest::newRow("unknown key")
            << QStringList{"sweep", "demo", "--model", "als", "--grid", "kk=1,2"} << "kk";
        QTest::newRow("bad value")
            << QStringList{"sweep", "demo", "--model", "als", "--grid", "k=4,x"} << "k";
        QTest::newRow("bad metric")
            << QStringList{"sweep", "demo", "--model", "als", "--grid", "k=4", "--metric", "auc"}
            << "auc";
        QTest::newRow("folds") << QStringList{"cv", "demo", "--model", "als", "--folds", "1"}
                               << "bad --folds";
        QTest::newRow("cv model") << QStringList{"cv", "demo", "--model", "zzz"} << "unknown model";
    }
    void usageErrors() {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        const auto run = runLensAtlas(args);
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains(message.toUtf8()), run.err.constData());
    }
};

QTEST_GUILESS_MAIN(TestCliTuning)
#include "tst_cli_tuning.moc"
