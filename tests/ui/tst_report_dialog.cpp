// File > Export report: the dialog runs the study in a worker (the GUI thread keeps serving
// events: a timer keeps firing while it trains), writes every file, reports progress, and
// cancels cleanly; destroying it mid-run stops the worker; a cancelled study's late outcome
// never becomes the result. Waits are on signals and states, never on elapsed time.
#include <QDir>
#include <QFileInfo>
#include <QFontInfo>
#include <QGuiApplication>
#include <QListWidget>
#include <QProgressBar>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QThreadPool>
#include <QTimer>
#include <QtTest>

#include "JobTracker.h"
#include "LensAtlasApp.h"
#include "report/ReportDialog.h"
#include "synth/SyntheticGenerator.h"

using namespace lens::ui;

namespace {

std::shared_ptr<const lens::Dataset> smallDataset() {
    lens::SyntheticConfig config;
    config.ratings = 20'000;
    config.seed = 5;
    return std::make_shared<const lens::Dataset>(lens::generateSyntheticDataset(config));
}

}  // namespace

class TestReportDialog : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        setApplicationIdentity();
        QVERIFY2(!QFontInfo(QGuiApplication::font()).family().isEmpty(), "no font installed");
    }

    void writesTheReportWithoutBlocking() {
        QTemporaryDir dir;
        ReportDialog dialog(smallDataset(), QString());
        ReportOptions options;
        options.models = {QStringLiteral("bias"), QStringLiteral("als")};
        options.personas = {QStringLiteral("Toy Story fan")};
        options.seed = 3;
        dialog.setOptions(options);
        QCOMPARE(dialog.options().models, options.models);
        QCOMPARE(dialog.options().personas, options.personas);
        dialog.setOutputFolder(dir.filePath("report"));
        dialog.show();
        QSignalSpy finished(&dialog, &ReportDialog::finished);
        int ticks = 0;
        QTimer probe;
        connect(&probe, &QTimer::timeout, [&] { ++ticks; });
        probe.start(5);
        dialog.start();
        QVERIFY(dialog.isRunning());
        QVERIFY(finished.wait(240'000));
        probe.stop();
        QCOMPARE(finished.first().at(0).toBool(), true);
        QVERIFY(ticks > 5);  // the event loop kept running while the study ran
        QCOMPARE(dialog.progressBar()->value(), dialog.progressBar()->maximum());
        for (const char* file :
             {"report.html", "report.pdf", "metrics.json", "figures/degree-pdf.png",
              "figures/learning-curve-als.svg", "figures/genre-map.png"})
            QVERIFY2(QFileInfo(dir.filePath(QStringLiteral("report/") + file)).size() > 100, file);
        QVERIFY(!dialog.isRunning());
    }

    // Cancel ends the run at once as cancelled; the study's worker sees its stop and returns
    // (the pool goes idle long before the two models could have trained); nothing is written.
    void cancelStopsTheStudy() {
        QTemporaryDir dir;
        ReportDialog dialog(smallDataset(), QString());
        ReportOptions options;
        options.models = {QStringLiteral("als"), QStringLiteral("neumf")};
        options.personas = {};
        dialog.setOptions(options);
        dialog.setOutputFolder(dir.filePath("cancelled"));
        QSignalSpy finished(&dialog, &ReportDialog::finished);
        dialog.start();
        QTRY_VERIFY_WITH_TIMEOUT(dialog.progressBar()->value() > 0, 60'000);
        dialog.cancel();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 30'000);
        QCOMPARE(finished.first().at(0).toBool(), false);
        QVERIFY(finished.first().at(1).toString().contains("Cancelled"));
        QVERIFY(!dialog.isRunning());
        QTRY_COMPARE_WITH_TIMEOUT(lens::ui::jobThreadPool()->activeThreadCount(), 0, 60'000);
        QCoreApplication::processEvents();  // whatever the stopped worker sent: dropped
        QCOMPARE(finished.count(), 1);
        QVERIFY(!QFileInfo::exists(dir.filePath("cancelled/report.html")));
    }

    // Destroying the dialog mid-study stops the study and waits for its worker: once the
    // destructor has returned, no worker is left and nothing was written.
    void destroyingMidRunReturns() {
        QTemporaryDir dir;
        {
            ReportDialog dialog(smallDataset(), QString());
            dialog.setOutputFolder(dir.filePath("x"));
            dialog.start();
            QTRY_VERIFY_WITH_TIMEOUT(dialog.progressBar()->value() > 0, 60'000);
            QVERIFY(dialog.isRunning());
        }
        // The pool thread marks itself idle just after the task it ran has returned.
        QTRY_COMPARE_WITH_TIMEOUT(lens::ui::jobThreadPool()->activeThreadCount(), 0, 60'000);
        QVERIFY(!QFileInfo::exists(dir.filePath("x/report.html")));
    }

    // The study's worker has already ended (here: failed at once on a model name the registry
    // does not know) and its outcome waits in the event queue when the user cancels: the run
    // ends once, as cancelled, and the late outcome never becomes the result. Then a new run
    // delivers its own result, not the first one's.
    void lateOutcomeOfACancelledStudyIsDropped() {
        QTemporaryDir dir;
        ReportDialog dialog(smallDataset(), QString());
        QListWidgetItem* unknown = nullptr;
        checkUnknownModel(dialog, dir.filePath("late"), &unknown);
        QVERIFY(unknown);
        QSignalSpy finished(&dialog, &ReportDialog::finished);
        dialog.start();
        QVERIFY(dialog.isRunning());
        // No event runs until the worker has ended: its outcome is now queued for the dialog.
        lens::ui::jobThreadPool()->waitForDone();
        dialog.cancel();
        QCOMPARE(finished.count(), 1);
        QVERIFY(finished.last().at(1).toString().contains("Cancelled"));
        QCoreApplication::sendPostedEvents();  // the late outcome arrives now: dropped
        QCoreApplication::processEvents();
        QCOMPARE(finished.count(), 1);
        QCOMPARE(dialog.statusText(), QStringLiteral("Cancelled."));
        QVERIFY(!dialog.isRunning());

        // A new run, started while nothing of the first can arrive any more, is its own.
        unknown->setCheckState(Qt::Unchecked);
        dialog.start();
        QVERIFY(dialog.isRunning());
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 2, 240'000);
        QCOMPARE(finished.last().at(0).toBool(), true);
        QVERIFY(QFileInfo(dir.filePath("late/report.html")).size() > 100);
        QCoreApplication::processEvents();
        QCOMPARE(finished.count(), 2);
    }

    // A restart right after the cancel, before the first study's late outcome was processed:
    // the outcome that arrives is the second study's.
    void restartAfterCancelShowsOnlyTheNewStudy() {
        QTemporaryDir dir;
        ReportDialog dialog(smallDataset(), QString());
        QListWidgetItem* unknown = nullptr;
        checkUnknownModel(dialog, dir.filePath("restart"), &unknown);
        QVERIFY(unknown);
        QSignalSpy finished(&dialog, &ReportDialog::finished);
        dialog.start();
        lens::ui::jobThreadPool()->waitForDone();  // the first study failed; not seen yet
        dialog.cancel();
        unknown->setCheckState(Qt::Unchecked);
        dialog.start();  // no event has run since the first study ended
        QVERIFY(dialog.isRunning());
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 2, 240'000);
        QVERIFY(finished.at(0).at(1).toString().contains("Cancelled"));
        QCOMPARE(finished.at(1).at(0).toBool(), true);
        QVERIFY2(!finished.at(1).at(1).toString().contains("no-such-model"),
                 qPrintable(finished.at(1).at(1).toString()));
        QVERIFY(QFileInfo(dir.filePath("restart/report.html")).size() > 100);
        QCoreApplication::processEvents();
        QCOMPARE(finished.count(), 2);
    }

private:
    // Bias plus a ticked model the registry does not know, so the study fails at once.
    static void checkUnknownModel(ReportDialog& dialog, const QString& folder,
                                  QListWidgetItem** unknown) {
        ReportOptions options;
        options.models = {QStringLiteral("bias")};
        options.personas = {};
        dialog.setOptions(options);
        dialog.setOutputFolder(folder);
        QListWidget* models = modelList(dialog);
        QVERIFY(models);
        *unknown = new QListWidgetItem(QStringLiteral("no-such-model"), models);
        (*unknown)->setFlags((*unknown)->flags() | Qt::ItemIsUserCheckable);
        (*unknown)->setCheckState(Qt::Checked);
    }

    // The dialog's list of models (the one holding "als").
    static QListWidget* modelList(const ReportDialog& dialog) {
        for (QListWidget* list : dialog.findChildren<QListWidget*>())
            if (!list->findItems(QStringLiteral("als"), Qt::MatchExactly).isEmpty()) return list;
        return nullptr;
    }
};

QTEST_MAIN(TestReportDialog)
#include "tst_report_dialog.moc"
