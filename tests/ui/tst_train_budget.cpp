// The Train stage's Budget field (issue #21): it reads 90s / 10m / 1h (empty: none) into the run
// request, a value it cannot read disables Start and turns red, and a budget reaches the run:
// a budget no real iteration stays within (a microsecond: building the validation part and one
// ALS sweep take far longer) stops the run after its first iteration, and the run table, the
// record's message and the saved run history say the budget stopped it. The exact boundary with
// an injected clock is tests/engine/tst_training_budget.
#include <QLineEdit>

#include "io/RunHistoryFile.h"
#include "tst_train_fixture.h"

using namespace lens;
using namespace lens::ui;
using namespace lens::test;

class TstTrainBudget : public QObject, private TrainFixture {
    Q_OBJECT

private slots:
    void initTestCase() { setUpFixture("tst_train_budget"); }
    void init() { emptyRunsAndLibrary(); }

    void fieldReadsIntoTheRequest() {
        auto panel = makePanel();
        auto* edit = panel->findChild<QLineEdit*>(QStringLiteral("budgetEdit"));
        QVERIFY(edit);
        QVERIFY(edit->toolTip().contains(QStringLiteral("10m")));
        QVERIFY(edit->toolTip().contains(QStringLiteral("end of the iteration")));
        QCOMPARE(panel->currentSpec().budgetSeconds, 0.0);  // empty: none
        edit->setText(QStringLiteral("10m"));
        QCOMPARE(panel->currentSpec().budgetSeconds, 600.0);
        edit->setText(QStringLiteral("1.5h"));
        QCOMPARE(panel->currentSpec().budgetSeconds, 5400.0);
        QVERIFY(panel->startAction()->isEnabled());
        edit->setText(QStringLiteral("ten minutes"));
        QVERIFY(!panel->startAction()->isEnabled());
        QVERIFY(edit->styleSheet().contains(QStringLiteral("color")));
        QVERIFY(panel->start().isEmpty());
        edit->setText(QStringLiteral("0"));
        QVERIFY(panel->startAction()->isEnabled());
        QVERIFY(edit->styleSheet().isEmpty());
        QCOMPARE(panel->currentSpec().budgetSeconds, 0.0);
    }

    void budgetReachesTheRun() {
        auto panel = makePanel();
        setShortAls(*panel, 5);
        auto* edit = panel->findChild<QLineEdit*>(QStringLiteral("budgetEdit"));
        QVERIFY(edit);
        edit->setText(QStringLiteral("0.000001s"));
        QSignalSpy finished(panel.get(), &TrainPanel::runFinished);
        const QString runId = panel->start();
        QVERIFY(!runId.isEmpty());
        QVERIFY(finished.wait(30000));
        QCOMPARE(finished.first().at(1).value<RunStatus>(), RunStatus::Stopped);
        const RunRecord* record = panel->history()->find(runId);
        QVERIFY(record);
        QCOMPARE(record->finishedIterations(), 1);
        QCOMPARE(record->totalIterations(), 5);
        QCOMPARE(record->stopReason, std::optional<StopReason>(StopReason::Budget));
        QCOMPARE(record->spec.budgetSeconds, 1e-6);
        QVERIFY2(record->message.contains(QStringLiteral("budget of")) &&
                     record->message.contains(QStringLiteral("after iteration 1 of 5")),
                 qPrintable(record->message));
        QVERIFY(record->finalTest.has_value());  // still tested once
        const int row = panel->history()->rowOf(runId);
        const QModelIndex status = panel->history()->index(row, RunHistoryModel::StatusColumn);
        QCOMPARE(status.data().toString(), QStringLiteral("stopped (budget)"));

        // The saved history keeps both fields.
        const RunHistoryContents saved = loadRunHistory(std::filesystem::path(
            QDir(runFolder()).filePath(QStringLiteral("runs.json")).toStdString()));
        bool found = false;
        for (const RunHistoryEntry& e : saved.runs) {
            if (e.id != runId.toStdString()) continue;
            found = true;
            QCOMPARE(e.stopReason, std::optional<StopReason>(StopReason::Budget));
            QCOMPARE(e.budgetSeconds, 1e-6);
        }
        QVERIFY(found);

        // Without a budget the next run completes, and says so.
        edit->clear();
        finished.clear();
        const QString second = panel->start();
        QVERIFY(finished.wait(30000));
        const RunRecord* completed = panel->history()->find(second);
        QVERIFY(completed);
        QCOMPARE(completed->status, RunStatus::Completed);
        QCOMPARE(completed->finishedIterations(), 5);
        QCOMPARE(completed->stopReason, std::optional<StopReason>(StopReason::Completed));
        QCOMPARE(completed->spec.budgetSeconds, 0.0);
    }
};

QTEST_MAIN(TstTrainBudget)
#include "tst_train_budget.moc"
