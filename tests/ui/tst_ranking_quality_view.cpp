// The Rank panel's ranking-quality tab (ui/rank/RankingQualityView): a run, a cancelled run and a
// superseded run (only the later result shown), and destroying the view while its worker runs.
#include <QImage>
#include <QLabel>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>

#include "JobTracker.h"
#include "charts/ChartFigure.h"
#include "charts/Figure.h"
#include "rank/RankingQualityView.h"

#include "tst_rank_fixture.h"

using namespace lens;
using namespace lens::ui;
using namespace lens::test;

class TestRankingQualityView : public QObject, private RankPanelFixture {
    Q_OBJECT

private slots:
    void initTestCase() { setUpFixture(); }
    void cleanupTestCase() { tearDownFixture(); }

    void qualityTab() {
        RankingQualityView* view = panel_->qualityView();
        QVERIFY(view->runButton()->isEnabled());
        // Before the first evaluation the chart says what to do instead of showing empty axes.
        QVERIFY(!view->result().has_value());
        QVERIFY(!view->chartPlaceholder()->isHidden());
        QVERIFY(view->chartPlaceholder()->text().contains(QStringLiteral("Evaluate")));
        QVERIFY(view->chartPlaceholder()->text().contains(QStringLiteral("Ctrl+Shift+R")));
        QSignalSpy finished(view, &RankingQualityView::finished);
        QSignalSpy cancelled(view, &RankingQualityView::cancelled);
        // A cancelled run never shows a result.
        view->run();
        view->cancel();
        QCOMPARE(cancelled.count(), 1);
        const quint64 job = view->run();
        QVERIFY(job > 0);
        QVERIFY(view->isRunning());
        QVERIFY(view->cancelButton()->isEnabled());
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
        QCOMPARE(finished.first().first().toULongLong(), job);
        QVERIFY(!view->isRunning());
        QVERIFY(view->result().has_value());
        const RankingQuality& q = *view->result();
        for (const char* key :
             {"precision", "recall", "ndcg", "map", "hr_sampled", "ndcg_sampled"}) {
            bool ok = false;
            const double v = QLocale().toDouble(view->metricText(QString::fromLatin1(key)), &ok);
            QVERIFY2(ok, key);
            QVERIFY(v >= 0.0 && v <= 1.0);
        }
        QVERIFY(q.sampled.cases > 0);
        QVERIFY(q.sampled.hitRate > q.topN.precision);  // sampled protocol flatters
        QVERIFY(view->metricText(QStringLiteral("coverage")).contains(QStringLiteral("%")));
        QVERIFY(q.coverage > 0.0 && q.coverage <= 1.0);
        // The popularity chart has both curves and renders.
        QVERIFY(view->popularityFigure()->chart()->series().size() == 2);
        const QImage image =
            renderFigureImage(*view->popularityFigure(), {QSize(600, 400), 96, {}});
        QVERIFY(imageHasContent(image, 3));
        QCOMPARE(finished.count(), 1);
        QVERIFY(view->chartPlaceholder()->isHidden());
    }

    // A run started while another is running supersedes it: only the later one's result is
    // shown, even when the earlier worker returns afterwards.
    void qualityStaleRunDropped() {
        RankingQualityView* view = panel_->qualityView();
        QSignalSpy finished(view, &RankingQualityView::finished);
        QSignalSpy cancelled(view, &RankingQualityView::cancelled);
        QSignalSpy failed(view, &RankingQualityView::failed);
        const quint64 first = view->run();
        const quint64 second = view->run();  // no event is processed in between
        QVERIFY(first > 0 && second > first);
        QCOMPARE(view->activeJobId(), second);
        QVERIFY(view->progressBar()->isVisibleTo(view));
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
        QCOMPARE(finished.first().first().toULongLong(), second);
        // Every worker has returned and what it posted has been handled: still one result.
        QVERIFY(view->jobs()->waitForAll(60000));
        QCoreApplication::sendPostedEvents();
        QCOMPARE(finished.count(), 1);
        QCOMPARE(cancelled.count(), 0);
        QCOMPARE(failed.count(), 0);
        QVERIFY(!view->isRunning());
        QVERIFY(!view->progressBar()->isVisibleTo(view));
        QVERIFY(view->result().has_value());
    }

    // Destroying the view while it evaluates stops the worker and waits for it; nothing is
    // delivered afterwards.
    void qualityDestroyedWhileRunning() {
        const RankModels& f = synthetic();
        auto view = std::make_unique<RankingQualityView>();
        view->setModel(f.als, f.dataset, QStringLiteral("ALS k 16"));
        QSignalSpy finished(view.get(), &RankingQualityView::finished);
        QSignalSpy progress(view->jobs(), &JobTracker::progressChanged);
        QVERIFY(view->run() > 0);
        QTRY_VERIFY_WITH_TIMEOUT(progress.count() > 0 || finished.count() > 0, 60000);
        const bool wasRunning = view->isRunning();
        QPointer<JobTracker> jobs = view->jobs();
        view.reset();  // returns only once the worker has
        QVERIFY(jobs.isNull());
        QCoreApplication::sendPostedEvents();
        QCoreApplication::processEvents();
        if (wasRunning) QCOMPARE(finished.count(), 0);
    }
};

QTEST_MAIN(TestRankingQualityView)
#include "tst_ranking_quality_view.moc"
