// `--budget` of `lens-atlas train` and `lens-atlas report` (issue #21): bad durations are usage
// errors naming the flag; a budget that outlasts the run completes it and is reported as such; a
// budget no real iteration can stay within (a microsecond: building the validation part and one
// ALS sweep over 20,000 ratings take far longer on any machine) stops training after the first
// iteration, and both the text and the JSON say why. The stop at an iteration boundary with an
// exactly controlled clock is tests/engine/tst_training_budget.
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include "CliTestSupport.h"

class TestCliBudget : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    QString release_;

    using Result = lens::test::CliRun;
    Result run(const QStringList& args) {
        return lens::test::runLensAtlas(args, 120'000, lens::test::passiveOpenMpEnvironment());
    }

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        release_ = lens::test::writeSyntheticTestRelease(dir_, 20000);
    }

    void badBudgetIsAUsageError_data() {
        QTest::addColumn<QString>("command");
        QTest::addColumn<QString>("budget");
        for (const char* command : {"train", "report"})
            for (const char* bad : {"10", "ten", "-1m", "10d", "1e2s"})
                QTest::newRow(qPrintable(QStringLiteral("%1 %2").arg(command, bad)))
                    << command << bad;
    }
    void badBudgetIsAUsageError() {
        QFETCH(QString, command);
        QFETCH(QString, budget);
        QStringList args{command, release_, "--budget", budget};
        if (command == "train")
            args << "--model"
                 << "als";
        else
            args << "--out" << dir_.filePath("never");
        const Result r = run(args);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("--budget") && r.err.contains(budget.toUtf8()), r.err.constData());
        QVERIFY2(r.err.contains("90s, 10m or 1h"), r.err.constData());
        QVERIFY(!QFileInfo::exists(dir_.filePath("never")));
    }

    void budgetWithoutValue() {
        const Result r = run({"train", release_, "--model", "als", "--budget"});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("--budget"), r.err.constData());
    }

    void generousBudgetCompletes() {
        const Result r = run({"train", release_, "--model", "als", "--k", "8", "--iterations", "3",
                              "--budget", "1h", "--json"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(o["status"].toString(), QString("completed"));
        QCOMPARE(o["stop_reason"].toString(), QString("completed"));
        QCOMPARE(o["budget_seconds"].toDouble(), 3600.0);
        QCOMPARE(o["iterations"].toInt(), 3);
        const Result none =
            run({"train", release_, "--model", "bias", "--iterations", "2", "--json"});
        QVERIFY2(none.exitCode == 0, none.err.constData());
        QVERIFY(QJsonDocument::fromJson(none.out).object()["budget_seconds"].isNull());
    }

    void usedUpBudgetStopsAfterTheFirstIteration() {
        const Result json = run({"train", release_, "--model", "als", "--k", "8", "--iterations",
                                 "5", "--budget", "0.000001s", "--json"});
        QVERIFY2(json.exitCode == 0, json.err.constData());
        const QJsonObject o = QJsonDocument::fromJson(json.out).object();
        QCOMPARE(o["status"].toString(), QString("stopped"));
        QCOMPARE(o["stop_reason"].toString(), QString("budget"));
        QCOMPARE(o["iterations"].toInt(), 1);
        QVERIFY2(o["stop_description"].toString().endsWith("used after iteration 1 of 5"),
                 qPrintable(o["stop_description"].toString()));
        QVERIFY(o["test_rmse"].isDouble());  // the model after its one iteration is still tested

        const Result text = run({"train", release_, "--model", "als", "--k", "8", "--iterations",
                                 "5", "--budget", "0.000001s"});
        QVERIFY2(text.exitCode == 0, text.err.constData());
        QVERIFY2(text.out.contains("stopped: budget of ") &&
                     text.out.contains("used after iteration 1 of 5"),
                 text.out.constData());
        QVERIFY(!text.out.contains("iteration 2/5"));
    }
};

QTEST_GUILESS_MAIN(TestCliBudget)
#include "tst_cli_budget.moc"
