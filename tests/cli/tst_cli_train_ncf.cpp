// `lens-atlas train` with the NCF models (gmf, mlp, neumf) end to end on a small synthetic
// release written by the test: every NCF flag (--objective --factors --layers --epochs --batch
// --lr --negatives --seed --save --json) reaches the model, the JSON has the ALS keys (absent
// metrics null), the same seed gives the same result, and bad values exit with code 2.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include "CliTestSupport.h"

#include <cmath>

class TestCliTrainNcf : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    QString release_;

    struct Result : lens::test::CliRun {
        QJsonObject json() const { return QJsonDocument::fromJson(out).object(); }
    };
    Result run(const QStringList& args) {
        return {lens::test::runLensAtlas(QStringList{"train"} + args, 120'000,
                                         lens::test::passiveOpenMpEnvironment())};
    }
    static void verifyAlsKeys(const QJsonObject& o) {
        for (const char* key : {"model", "k", "iterations", "train_rmse", "test_rmse", "hr10",
                                "ndcg10", "seconds_per_iteration"})
            QVERIFY2(o.contains(key), key);
    }

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        release_ = lens::test::writeSyntheticTestRelease(dir_, 20000);
    }

    void implicitNeuMfEveryFlag() {
        const QString file = dir_.filePath("neumf.lmodel");
        const Result r = run({release_, "--model",  "neumf", "--objective", "implicit", "--factors",
                              "4",      "--layers", "16,8",  "--epochs",    "2",        "--batch",
                              "128",    "--lr",     "0.005", "--negatives", "2",        "--seed",
                              "7",      "--split",  "loo",   "--save",      file,       "--json"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject o = r.json();
        verifyAlsKeys(o);
        QCOMPARE(o["model"].toString(), QString("neumf"));
        QCOMPARE(o["k"].toInt(), 4);
        QCOMPARE(o["iterations"].toInt(), 2);
        QVERIFY(o["train_rmse"].isNull());  // a ranking model has no rating errors
        QVERIFY(o["test_rmse"].isNull());
        QVERIFY(o["hr10"].toDouble() > 0.0 && o["hr10"].toDouble() <= 1.0);
        QVERIFY(o["ndcg10"].toDouble() > 0.0 && o["ndcg10"].toDouble() <= o["hr10"].toDouble());
        QVERIFY(o["seconds_per_iteration"].toDouble() > 0.0);
        const QJsonObject h = o["hyperparameters"].toObject();
        QCOMPARE(h["objective"].toString(), QString("implicit"));
        QCOMPARE(h["factors"].toString(), QString("4"));
        QCOMPARE(h["layers"].toString(), QString("16,8"));
        QCOMPARE(h["epochs"].toString(), QString("2"));
        QCOMPARE(h["batch"].toString(), QString("128"));
        QCOMPARE(h["lr"].toString(), QString("0.005"));
        QCOMPARE(h["negatives"].toString(), QString("2"));
        QCOMPARE(h["seed"].toString(), QString("7"));
        QCOMPARE(o["seed"].toString(), QString("7"));
        QVERIFY(r.err.contains("iteration 2/2"));  // progress on stderr with --json
        QVERIFY(r.err.contains("HR@10"));
        QFile f(file);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.read(8), QByteArray("LATLMODL"));

        // Same seed, same result; another seed, another model.
        const QStringList again{release_, "--model",     "neumf", "--factors", "4",   "--layers",
                                "16,8",   "--epochs",    "2",     "--batch",   "128", "--lr",
                                "0.005",  "--negatives", "2",     "--split",   "loo", "--json"};
        const Result same = run(again + QStringList{"--seed", "7"});
        QVERIFY2(same.exitCode == 0, same.err.constData());
        QCOMPARE(same.json()["hr10"].toDouble(), o["hr10"].toDouble());
        QCOMPARE(same.json()["ndcg10"].toDouble(), o["ndcg10"].toDouble());
        QCOMPARE(same.json()["history"].toArray().last().toObject()["objective"].toDouble(),
                 o["history"].toArray().last().toObject()["objective"].toDouble());
        const Result other = run(again + QStringList{"--seed", "8"});
        QVERIFY2(other.exitCode == 0, other.err.constData());
        QVERIFY(other.json()["history"].toArray().last().toObject()["objective"].toDouble() !=
                o["history"].toArray().last().toObject()["objective"].toDouble());
    }

    void flagsChangeTheRun() {
        // --negatives sets the samples per epoch: 1 + n per positive, so the epoch time and the
        // loss differ; --epochs sets the history length.
        const Result r = run({release_, "--model", "gmf", "--factors", "6", "--epochs", "3",
                              "--negatives", "1", "--batch", "512", "--split", "loo", "--json"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject o = r.json();
        verifyAlsKeys(o);
        QCOMPARE(o["model"].toString(), QString("gmf"));
        QCOMPARE(o["k"].toInt(), 6);
        QCOMPARE(o["iterations"].toInt(), 3);
        QCOMPARE(o["history"].toArray().size(), 3);
        QCOMPARE(o["hyperparameters"].toObject()["batch"].toString(), QString("512"));
        QVERIFY(!o["hyperparameters"].toObject().contains("layers"));  // GMF has no tower
    }

    void explicitModelReportsRmse() {
        const Result r = run({release_, "--model", "neumf", "--objective", "explicit", "--factors",
                              "4", "--layers", "16,8", "--epochs", "4", "--lr", "0.005", "--json"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject o = r.json();
        verifyAlsKeys(o);
        QCOMPARE(o["k"].toInt(), 4);
        QVERIFY(o["iterations"].toInt() >= 1 && o["iterations"].toInt() <= 4);
        const double test = o["test_rmse"].toDouble(), train = o["train_rmse"].toDouble();
        QVERIFY2(test > 0.3 && test < 2.0, qPrintable(QString::number(test)));
        QVERIFY2(train > 0.1 && train < 2.0, qPrintable(QString::number(train)));
        QVERIFY(o["hr10"].isNull());  // a rating model on a holdout split: no ranking metrics
        QVERIFY(o["ndcg10"].isNull());
        // The final model is the kept (best validated) epoch's: its validation RMSE is one of the
        // per-epoch validation figures, not necessarily the last. The epochs never show the test
        // part's figure (scored once, at the end).
        const double validation = o["validation"].toObject()["rmse"].toDouble();
        bool matchesAnEpoch = false;
        for (const auto& e : o["history"].toArray()) {
            matchesAnEpoch |=
                std::abs(e.toObject()["validation_rmse"].toDouble() - validation) < 1e-9;
            QVERIFY(!e.toObject().contains("test_rmse"));
        }
        QVERIFY2(matchesAnEpoch, "the final validation RMSE should be the kept epoch's");
    }

    void mlpHasNoFactors() {
        const Result r = run({release_, "--model", "mlp", "--layers", "8,4", "--epochs", "1",
                              "--split", "loo", "--json"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject o = r.json();
        verifyAlsKeys(o);
        QVERIFY(o["k"].isNull());
        QCOMPARE(o["hyperparameters"].toObject()["layers"].toString(), QString("8,4"));
    }

    void badValuesAreUsageErrors_data() {
        QTest::addColumn<QStringList>("args");
        QTest::newRow("odd first layer") << QStringList{"--model", "neumf", "--layers", "63,32"};
        QTest::newRow("empty layer") << QStringList{"--model", "neumf", "--layers", "64,,8"};
        QTest::newRow("objective") << QStringList{"--model", "gmf", "--objective", "ranking"};
        QTest::newRow("factors 0") << QStringList{"--model", "gmf", "--factors", "0"};
        QTest::newRow("factors on mlp") << QStringList{"--model", "mlp", "--factors", "8"};
        QTest::newRow("negatives") << QStringList{"--model", "neumf", "--negatives", "-1"};
        QTest::newRow("batch") << QStringList{"--model", "neumf", "--batch", "0"};
        QTest::newRow("lr") << QStringList{"--model", "neumf", "--lr", "fast"};
        QTest::newRow("epochs") << QStringList{"--model", "neumf", "--epochs", "0"};
        QTest::newRow("missing value") << QStringList{"--model", "neumf", "--epochs"};
    }
    void badValuesAreUsageErrors() {
        QFETCH(QStringList, args);
        const Result r = run(QStringList{release_} + args);
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains("usage"));
    }
};

QTEST_GUILESS_MAIN(TestCliTrainNcf)
#include "tst_cli_train_ncf.moc"
