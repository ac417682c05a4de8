// The Train stage's validation protocol (#17): a run's live curves are validation figures, the
// test part is scored exactly once, after the last iteration (the runner's "scoring the test
// part" message, posted from the engine's evaluation hook, comes once and after every snapshot),
// and the test figure then appears in the progress row, the history table and the log. The
// figures and the per-user metrics file equal a recomputation from the saved model; they survive
// a restart; an index written before validation (tests/engine/fixtures/runs-0.1.0.json) still
// loads and shows its curves as test curves.
#include <QAbstractItemModelTester>
#include <QFile>
#include <QLabel>
#include <QPlainTextEdit>

#include "data/Split.h"
#include "eval/RankingMetrics.h"
#include "io/RunHistoryFile.h"
#include "models/ModelFile.h"
#include "models/RatingErrors.h"
#include "models/TrainData.h"
#include "tst_train_fixture.h"
#include "tuning/ValidatedTraining.h"
#include "tuning/ValidationData.h"

using namespace lens;
using namespace lens::ui;
using namespace lens::test;

class TstTrainValidation : public QObject, TrainFixture {
    Q_OBJECT

    QString cell(const TrainPanel& panel, const QString& runId, int column) {
        const RunHistoryModel* h = panel.history();
        return h->data(h->index(h->rowOf(runId), column)).toString();
    }

private slots:
    void initTestCase() { setUpFixture("tst_train_validation"); }
    void init() { emptyRunsAndLibrary(); }

    void curvesOnValidationTestScoredOnceAtTheEnd() {
        auto panel = makePanel();
        setShortAls(*panel, 4);
        QStringList events;  // "snapshot" / "test", in the order the GUI thread sees them
        connect(panel->runner(), &TrainingRunner::snapshotReady, this,
                [&events] { events << QStringLiteral("snapshot"); });
        connect(panel->runner(), &TrainingRunner::jobMessage, this,
                [&events](quint64, const QString& message) {
                    if (message == QLatin1String("scoring the test part"))
                        events << QStringLiteral("test");
                });
        QSignalSpy finished(panel.get(), &TrainPanel::runFinished);
        const QString runId = panel->start();
        QVERIFY(!runId.isEmpty());
        QVERIFY(finished.wait(30000));
        QCOMPARE(finished.first().at(1).value<RunStatus>(), RunStatus::Completed);
        QCOMPARE(events, QStringList({"snapshot", "snapshot", "snapshot", "snapshot", "test"}));

        const RunRecord* r = panel->history()->find(runId);
        QVERIFY(r);
        QCOMPARE(r->curvesOn, EvaluatedPart::Validation);
        QVERIFY(r->finalTest && r->finalValidation);
        QVERIFY(std::isfinite(r->finalTest->rmse));
        QVERIFY(r->validationRatings > 0);
        // The test figure appears now, in the progress row, the table and the log.
        const QString testText = QString::number(r->finalTest->rmse, 'f', 4);
        QVERIFY2(panel->progressLabel()->text().contains(QStringLiteral("test RMSE ") + testText),
                 qPrintable(panel->progressLabel()->text()));
        QCOMPARE(cell(*panel, runId, RunHistoryModel::TestRmseColumn), testText);
        QCOMPARE(cell(*panel, runId, RunHistoryModel::ValidationRmseColumn),
                 QString::number(r->finalValidation->rmse, 'f', 4));
        const QString log = panel->logView()->toPlainText();
        QCOMPARE(occurrences(log, QStringLiteral("on the test part (scored once)")), 1);
        QVERIFY(log.contains(QStringLiteral("validation RMSE")));
        int iterationLines = 0;
        for (const QString& line : log.split(QLatin1Char('\n'))) {
            if (!line.contains(QStringLiteral("  iteration "))) continue;  // after the time
            ++iterationLines;
            QVERIFY2(line.contains(QStringLiteral("validation RMSE")) &&
                         !line.contains(QStringLiteral("test")),
                     qPrintable(line));
        }
        QCOMPARE(iterationLines, 4);
        // The chart shows validation curves.
        const auto counts = pointCounts(panel->accuracyChart());
        QCOMPARE(counts.value(QStringLiteral("validation RMSE")), 4);
        QVERIFY(!counts.contains(QStringLiteral("test RMSE")));

        // Recomputed from the saved model on the same split: validation = the curve's last point
        // (ALS keeps its last iteration), test = the final test figure.
        const auto model =
            loadModel(QFile::encodeName(QDir(runFolder()).filePath(r->modelFile)).toStdString());
        const Split split = makeSplit(*dataset_, r->spec.split);
        const TrainData full = TrainData::build(*dataset_, split);
        const TrainData validated =
            validationTrainData(*dataset_, split, ValidationSpec::forSplit(r->spec.split));
        const auto predict = [&](std::uint32_t u, std::uint32_t i) {
            return model->predictRaw(u, i);
        };
        QCOMPARE(r->validationRatings, validated.testCount());
        QVERIFY(std::abs(r->history.back().testRmse - ratingErrors(validated.test, predict).rmse) <
                1e-9);
        QVERIFY(std::abs(r->finalValidation->rmse - r->history.back().testRmse) < 1e-12);
        QVERIFY(std::abs(r->finalTest->rmse - ratingErrors(full.test, predict).rmse) < 1e-9);
        QVERIFY(std::abs(r->trainRmse - trainRatingErrors(validated, predict).rmse) < 1e-9);

        // Per-user metrics of the test part, stored with the run, equal a recomputation.
        QCOMPARE(r->perUserFile, runId + QStringLiteral(".peruser"));
        const PerUserMetrics stored = loadPerUserMetrics(
            QFile::encodeName(QDir(runFolder()).filePath(r->perUserFile)).toStdString(),
            dataset_->userCount());
        const PerUserMetrics expected = computePerUserMetrics(
            full, *model, nullptr, perUserOptionsFor(*model, split.spec, false));
        QCOMPARE(stored.users, expected.users);
        QCOMPARE(stored.columns.size(), std::size_t{2});  // rmse, mae
        for (const PerUserColumn& c : expected.columns) {
            const PerUserColumn* s = stored.column(c.name);
            QVERIFY2(s, c.name.c_str());
            for (std::size_t k = 0; k < c.values.size(); ++k)
                QCOMPARE(s->values[k], static_cast<double>(static_cast<float>(c.values[k])));
        }
    }

    void finalFiguresSurviveRestart() {
        QString runId;
        RunRecord before;
        {
            auto panel = makePanel();
            setShortAls(*panel, 2);
            QSignalSpy finished(panel.get(), &TrainPanel::runFinished);
            runId = panel->start();
            QVERIFY(finished.wait(30000));
            before = *panel->history()->find(runId);
        }
        TrainPanel panel(controller_.get(), library_.get(), nullptr);
        QVERIFY(panel.loadProblems().isEmpty());
        const RunRecord* after = panel.history()->find(runId);
        QVERIFY(after && before.finalTest);
        QCOMPARE(after->curvesOn, EvaluatedPart::Validation);
        QVERIFY(after->finalTest == before.finalTest);
        QVERIFY(after->finalValidation == before.finalValidation);
        QCOMPARE(after->trainRmse, before.trainRmse);
        QCOMPARE(after->validationRatings, before.validationRatings);
        QCOMPARE(after->perUserFile, before.perUserFile);
        QCOMPARE(after->label(), before.label());
        QVERIFY(after->label().contains(
            QStringLiteral("test RMSE %1").arg(before.finalTest->rmse, 0, 'f', 3)));
    }

    void runsBeforeValidationStillLoad() {
        const QString fixture = QFINDTESTDATA("engine/fixtures/runs-0.1.0.json");
        QVERIFY2(!fixture.isEmpty(), "fixture runs-0.1.0.json not found");
        QVERIFY(QDir().mkpath(runFolder()));
        QVERIFY(QFile::copy(fixture, QDir(runFolder()).filePath(QStringLiteral("runs.json"))));
        auto panel = makePanel();
        QAbstractItemModelTester tester(panel->history(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        // Every entry reads; the only problems are the fixture's model files, absent here.
        for (const QString& p : panel->loadProblems())
            QVERIFY2(p.contains(QStringLiteral(".lamodel")) && !p.contains(QStringLiteral("entry")),
                     qPrintable(p));
        QCOMPARE(panel->history()->rowCount(), 6);
        const RunRecord& als = panel->history()->record(0);
        QCOMPARE(als.curvesOn, EvaluatedPart::Test);
        QVERIFY(!als.finalTest && als.perUserFile.isEmpty());
        // Their curves were test figures: the table's test column and the chart say so.
        QCOMPARE(als.testFigure(&HeldOutFigures::rmse),
                 als.finalMetric(&TrainingSnapshot::testRmse));
        QVERIFY(std::isnan(als.validationFigure(&HeldOutFigures::rmse)));
        QCOMPARE(cell(*panel, als.id, RunHistoryModel::TestRmseColumn),
                 QString::number(als.finalMetric(&TrainingSnapshot::testRmse), 'f', 4));
        QCOMPARE(cell(*panel, als.id, RunHistoryModel::ValidationRmseColumn), QStringLiteral("-"));
        panel->showRuns({als.id});
        QCOMPARE(pointCounts(panel->accuracyChart()).value(QStringLiteral("test RMSE")), 3);
        // Saved again unchanged (no validation fields are invented for them).
        QVERIFY(panel->history()->save());
        const RunHistoryContents again = loadRunHistory(
            QFile::encodeName(QDir(runFolder()).filePath(QStringLiteral("runs.json")))
                .toStdString());
        QCOMPARE(again.runs.size(), std::size_t{6});
        QCOMPARE(again.runs[0].curvesOn, EvaluatedPart::Test);
        QVERIFY(!again.runs[0].finalTest);
    }
};

QTEST_MAIN(TstTrainValidation)
#include "tst_train_validation.moc"
