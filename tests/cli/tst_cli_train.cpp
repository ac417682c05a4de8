// `lens-atlas train` end to end on a small synthetic release written by the test: iteration
// lines, JSON keys (absent metrics null), ranking metrics for the implicit model, --save, and
// exit codes for bad usage and bad data.
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include "CliTestSupport.h"

class TestCliTrain : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    QString release_;

    using Result = lens::test::CliRun;
    Result run(const QStringList& args) {
        return lens::test::runLensAtlas(QStringList{"train"} + args, 120'000,
                                        lens::test::passiveOpenMpEnvironment());
    }

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        release_ = lens::test::writeSyntheticTestRelease(dir_, 20000);
    }

    void explicitModelJson() {
        const Result r =
            run({release_, "--model", "als", "--k", "8", "--iterations", "3", "--json"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        for (const char* key : {"model", "k", "iterations", "train_rmse", "test_rmse", "hr10",
                                "ndcg10", "seconds_per_iteration"})
            QVERIFY2(o.contains(key), key);
        QCOMPARE(o["model"].toString(), QString("als"));
        QCOMPARE(o["k"].toInt(), 8);
        QCOMPARE(o["iterations"].toInt(), 3);
        QVERIFY(o["test_rmse"].toDouble() > 0.3 && o["test_rmse"].toDouble() < 2.0);
        QVERIFY(o["train_rmse"].toDouble() < o["test_rmse"].toDouble());
        QVERIFY(o["hr10"].isNull());  // a rating model on a holdout split has no ranking metrics
        QVERIFY(o["seconds_per_iteration"].toDouble() >= 0);
        QVERIFY(r.err.contains("iteration 3/3"));  // progress lines go to stderr with --json
    }

    void implicitModelRanks() {
        const Result r = run({release_, "--model", "als-implicit", "--split", "loo", "--k", "8",
                              "--iterations", "3", "--json"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(o["model"].toString(), QString("als-implicit"));
        QVERIFY(o["hr10"].isDouble());
        QVERIFY(o["hr10"].toDouble() > 0.1 && o["hr10"].toDouble() <= 1.0);
        QVERIFY(o["ndcg10"].toDouble() > 0.0 && o["ndcg10"].toDouble() <= o["hr10"].toDouble());
        QVERIFY(o["test_rmse"].isNull());
    }

    void rankingModelsDefaultToLeaveOneOut() {
        const Result r =
            run({release_, "--model", "als-implicit", "--k", "8", "--iterations", "2", "--json"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        QVERIFY2(o["split"].toString().contains("leave-one-out"),
                 qPrintable(o["split"].toString()));
        QVERIFY(o["hr10"].isDouble());
        const Result explicitRun =
            run({release_, "--model", "bias", "--iterations", "2", "--json"});
        QVERIFY2(explicitRun.exitCode == 0, explicitRun.err.constData());
        QVERIFY(QJsonDocument::fromJson(explicitRun.out)
                    .object()["split"]
                    .toString()
                    .contains("per-user"));
    }

    void textOutputAndSave() {
        const QString file = dir_.filePath("bias.lmodel");
        const Result r = run(
            {release_, "--model", "bias", "--iterations", "2", "--lambda", "5", "--save", file});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(r.out.contains("iteration 1/2"));
        QVERIFY(r.out.contains("iteration 2/2"));
        QVERIFY(r.out.contains("test RMSE"));
        QFile f(file);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.read(8), QByteArray("LATLMODL"));
    }

    void badUsageAndData() {
        QCOMPARE(run({release_, "--model", "nosuch"}).exitCode, 2);
        QCOMPARE(run({release_, "--model", "als", "--k", "0"}).exitCode, 2);
        QCOMPARE(run({release_, "--model", "als", "--split", "sideways"}).exitCode, 2);
        QCOMPARE(run({release_}).exitCode, 2);
        const Result missing = run({dir_.filePath("nothing-here"), "--model", "als"});
        QCOMPARE(missing.exitCode, 3);
        QVERIFY(missing.err.contains("nothing-here"));
    }
};

QTEST_GUILESS_MAIN(TestCliTrain)
#include "tst_cli_train.moc"
