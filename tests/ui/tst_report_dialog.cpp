// File > Export report: the dialog runs the study in a worker (the GUI thread keeps serving
// events: a timer keeps firing while it trains), writes every file, reports progress, and
// cancels cleanly; closing it mid-run returns promptly.
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QFontInfo>
#include <QGuiApplication>
#include <QListWidget>
#include <QProgressBar>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>

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
        QElapsedTimer clock;
        clock.start();
        dialog.cancel();
        QVERIFY(finished.wait(30'000));
        QCOMPARE(finished.first().at(0).toBool(), false);
        QVERIFY(finished.first().at(1).toString().contains("Cancelled"));
        QVERIFY2(clock.elapsed() < 10'000, qPrintable(QString::number(clock.elapsed())));
        QVERIFY(!QFileInfo::exists(dir.filePath("cancelled/report.html")));
    }

    void destroyingMidRunReturns() {
        QElapsedTimer clock;
        {
            ReportDialog dialog(smallDataset(), QString());
            QTemporaryDir dir;
            dialog.setOutputFolder(dir.filePath("x"));
            dialog.start();
            QTRY_VERIFY_WITH_TIMEOUT(dialog.progressBar()->value() > 0, 60'000);
            clock.start();
        }
        QVERIFY2(clock.elapsed() < 5'000, qPrintable(QString::number(clock.elapsed())));
    }
};

QTEST_MAIN(TestReportDialog)
#include "tst_report_dialog.moc"
