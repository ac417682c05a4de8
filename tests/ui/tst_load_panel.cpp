// The Load stage end to end on fixtures the test writes: DatasetController loads through the
// worker thread, the summary cards show the counts, cancel and supersede drop the late result,
// bad input shows the file:line error, lenient mode counts skipped lines, and a grab of the
// main window is not blank.
#include <QApplication>
#include <QClipboard>
#include <QDir>
#include <QFile>
#include <QFontInfo>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <set>
#include <thread>

#include "AboutDialog.h"
#include "AppSettings.h"
#include "DatasetController.h"
#include "LoadPanel.h"
#include "MainWindow.h"
#include "MovieFilterProxyModel.h"
#include "MovieTableModel.h"
#include "SummaryCard.h"
#include "UiTestHelpers.h"
#include "UiTestSetup.h"
#include "data/Dataset.h"
#include "util/Errors.h"

using lens::ui::DatasetController;
using lens::ui::LoadPanel;
using lens::ui::MainWindow;
using lens::ui::RecentDatasets;

using lens::test::writeFile;

namespace {

// An ml-latest-small-like release: `users` users each rating every movie of `movies`, plus a
// quoted title with a comma and doubled quotes, three tags and links.
void writeRelease(const QString& dir, int users, int movies,
                  const QByteArray& extraRatingLine = {}) {
    QByteArray moviesCsv = "movieId,title,genres\n";
    moviesCsv += "1,Toy Story (1995),Adventure|Animation|Children|Comedy|Fantasy\n";
    moviesCsv += "2,\"American President, The (1995)\",Comedy|Drama|Romance\n";
    moviesCsv += "3,\"11'09\"\"01 - September 11 (2002)\",Drama\n";
    for (int m = 4; m <= movies; ++m)
        moviesCsv += QByteArray::number(m) + ",Movie " + QByteArray::number(m) + " (" +
                     QByteArray::number(1990 + m % 20) + "),Action|Sci-Fi\n";
    QByteArray ratings = "userId,movieId,rating,timestamp\n";
    if (!extraRatingLine.isEmpty()) ratings += "1,1,4.0,964982703\n" + extraRatingLine + "\n";
    std::uint32_t t = 964982703;  // 2000-07-30
    for (int u = 1; u <= users; ++u)
        for (int m = 1; m <= movies; ++m) {
            if (!extraRatingLine.isEmpty() && u == 1 && m == 1) continue;
            const int halfStars = 1 + (u * 7 + m * 3) % 10;
            ratings += QByteArray::number(u) + ',' + QByteArray::number(m) + ',' +
                       QByteArray::number(halfStars / 2.0, 'f', 1) + ',' + QByteArray::number(t) +
                       '\n';
            t += 86400 * 7;
        }
    ratings +=
        QByteArray::number(users) + ",1,5.0,1537799250\n";  // 2018; replaces an earlier rating
    writeFile(dir + "/movies.csv", moviesCsv);
    writeFile(dir + "/ratings.csv", ratings);
    writeFile(dir + "/tags.csv",
              "userId,movieId,tag,timestamp\n1,1,pixar,1445714994\n2,2,politics,1445714996\n"
              "2,3,anthology,1445714999\n");
    writeFile(dir + "/links.csv", "movieId,imdbId,tmdbId\n1,0114709,862\n2,0112346,9087\n");
}

QString cardValue(const LoadPanel& panel, const char* key) {
    auto* card = panel.card(QLatin1String(key));
    return card ? card->value() : QStringLiteral("<no card %1>").arg(key);
}

}  // namespace

class TestLoadPanel : public QObject {
    Q_OBJECT
public:
    static void initMain() { lens::test::useOffscreenPlatform(); }

private slots:
    void initTestCase() {
        QVERIFY2(lens::test::startIsolatedUiTest("tst_load_panel"), "no font installed");
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
        qRegisterMetaType<std::shared_ptr<const lens::Dataset>>();
        QVERIFY(dir_.isValid());
        small_ = dir_.filePath("small");
        other_ = dir_.filePath("other");
        bad_ = dir_.filePath("bad");
        QDir().mkpath(small_);
        QDir().mkpath(other_);
        QDir().mkpath(bad_);
        writeRelease(small_, 4,
                     5);  // 20 ratings (the last line replaces user 4's rating of movie 1)
        writeRelease(other_, 30, 40);                   // 1,200 ratings
        writeRelease(bad_, 2, 3, "1,2,7.0,964982704");  // line 3 holds a rating outside 0.5-5
    }

    void loadsThroughWorkerAndShowsCards() {
        DatasetController controller;
        RecentDatasets recent;
        LoadPanel panel(&controller, &recent);
        QSignalSpy started(&controller, &DatasetController::loadStarted);
        QSignalSpy changed(&controller, &DatasetController::datasetChanged);

        const Qt::HANDLE guiThread = QThread::currentThreadId();
        std::atomic<Qt::HANDLE> loaderThread{nullptr};
        controller.setLoadFunction(
            [&](const std::filesystem::path& path, const lens::LoadOptions& options) {
                loaderThread = QThread::currentThreadId();
                return lens::loadDataset(path, options);
            });
        controller.openPath(small_);
        QCOMPARE(started.count(), 1);
        QVERIFY(controller.isLoading());  // openPath returned before the load finished
        QVERIFY(panel.isProgressShown());
        QVERIFY(changed.wait(20000));
        QCOMPARE(changed.count(), 1);
        QVERIFY(loaderThread.load() != nullptr);
        QVERIFY(loaderThread.load() != guiThread);
        QVERIFY(!controller.isLoading());
        QVERIFY(!panel.isProgressShown());
        QVERIFY(!panel.isErrorShown());

        const auto dataset = changed.at(0).at(0).value<std::shared_ptr<const lens::Dataset>>();
        QVERIFY(dataset);
        QCOMPARE(dataset.get(), controller.dataset().get());
        QCOMPARE(dataset->ratingCount(), std::size_t(20));
        QCOMPARE(controller.sourcePath(), QFileInfo(small_).absoluteFilePath());

        QCOMPARE(cardValue(panel, "ratings"), QString("20"));
        QCOMPARE(cardValue(panel, "users"), QString("4"));
        QCOMPARE(cardValue(panel, "movies"), QString("5"));
        QCOMPARE(cardValue(panel, "tags"), QString("3"));
        QCOMPARE(cardValue(panel, "skipped"), QString("0"));
        QCOMPARE(cardValue(panel, "density"), QString("100.00 %"));
        QCOMPARE(cardValue(panel, "mean"), QLocale().toString(dataset->ratingMean(), 'f', 2));
        QCOMPARE(cardValue(panel, "dates"), QString("2000–2018"));
        QVERIFY(cardValue(panel, "seconds").endsWith(" s"));
        QTRY_COMPARE(panel.movieModel()->rowCount(), 5);  // the table's columns: a job
        QCOMPARE(panel.movieProxy()->rowCount(), 5);

        // The quoted title arrives intact, and the table sorts it among the others.
        bool foundQuoted = false;
        for (int r = 0; r < panel.movieModel()->rowCount(); ++r)
            foundQuoted |=
                panel.movieModel()->title(r) == QStringLiteral("11'09\"01 - September 11 (2002)");
        QVERIFY(foundQuoted);
        QCOMPARE(recent.paths().size(), 0);  // recording recent datasets is the window's job

        // Ctrl+C on the movie table copies the selected rows, with the column titles.
        auto* table = panel.findChild<QTableView*>(QStringLiteral("movieTable"));
        QVERIFY(table);
        panel.show();  // shortcuts reach visible widgets only
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        table->setFocus();
        table->selectRow(0);
        QApplication::clipboard()->clear();
        QTest::keySequence(table, QKeySequence::Copy);
        const QStringList lines =
            QApplication::clipboard()->text().split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QVERIFY2(lines.size() == 2, qPrintable(QApplication::clipboard()->text()));
        QVERIFY2(lines[0].startsWith(QStringLiteral("Id\tTitle")), qPrintable(lines[0]));
        const QModelIndex title = table->model()->index(0, lens::ui::MovieTableModel::TitleColumn);
        QVERIFY2(lines[1].contains(title.data().toString()), qPrintable(lines[1]));
    }

    void badInputShowsFileAndLine() {
        DatasetController controller;
        RecentDatasets recent;
        LoadPanel panel(&controller, &recent);
        QSignalSpy failed(&controller, &DatasetController::loadFailed);
        QSignalSpy changed(&controller, &DatasetController::datasetChanged);
        controller.openPath(bad_);
        QVERIFY(failed.wait(20000));
        const QString message = failed.at(0).at(0).toString();
        QVERIFY2(message.contains("ratings.csv:3"), qPrintable(message));
        QVERIFY(panel.isErrorShown());
        QVERIFY2(panel.errorText().contains("ratings.csv:3"), qPrintable(panel.errorText()));
        QVERIFY(!panel.isProgressShown());
        QCOMPARE(changed.count(), 0);
        QVERIFY(!controller.dataset());
        QCOMPARE(controller.failedPath(), QFileInfo(bad_).absoluteFilePath());
        // Strict mode stopped at the bad line: the error offers the lenient load of the same path.
        QVERIFY(!panel.retryLenientButton()->isHidden());
        QVERIFY(!controller.lenient());
        panel.retryLenientButton()->click();
        QVERIFY(changed.wait(20000));
        QVERIFY(controller.lenient());
        QCOMPARE(controller.dataset()->report.skippedLines, std::size_t(1));
        QVERIFY(!panel.isErrorShown());
        QVERIFY(controller.failedPath().isEmpty());
        controller.setLenient(false);
        controller.openPath(bad_);
        QVERIFY(failed.wait(20000));

        // A folder that is no release fails with a message naming it, never a crash.
        QTemporaryDir empty;
        controller.openPath(empty.path());
        QVERIFY(failed.wait(20000));
        QVERIFY(!failed.last().at(0).toString().isEmpty());
        QVERIFY(panel.isErrorShown());

        // The next successful load hides the error.
        controller.openPath(small_);
        QVERIFY(changed.wait(20000));
        QVERIFY(!panel.isErrorShown());
    }

    void lenientModeCountsSkippedLines() {
        DatasetController controller;
        RecentDatasets recent;
        LoadPanel panel(&controller, &recent);
        controller.setLenient(true);
        QSignalSpy changed(&controller, &DatasetController::datasetChanged);
        controller.openPath(bad_);
        QVERIFY(changed.wait(20000));
        QCOMPARE(controller.dataset()->report.skippedLines, std::size_t(1));
        QCOMPARE(cardValue(panel, "skipped"), QString("1"));
        auto* note = panel.findChild<QLabel*>("loadNote");
        QVERIFY(note);
        QVERIFY(!note->isHidden());
        QVERIFY2(note->text().contains("1 malformed line"), qPrintable(note->text()));
    }

    // A slow loader (a progress callback per millisecond) is cancelled mid-load: its progress
    // callback returns false, the job ends, and no dataset is delivered for it.
    void cancelDuringLoadStopsTheLoader() {
        DatasetController controller;
        RecentDatasets recent;
        LoadPanel panel(&controller, &recent);
        std::atomic<bool> sawCancel{false};
        std::atomic<bool> finished{false};
        controller.setLoadFunction(
            [&](const std::filesystem::path& path, const lens::LoadOptions& options) {
                const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
                for (int i = 0; std::chrono::steady_clock::now() < deadline; ++i) {
                    if (!options.progress(std::min(0.99, i / 5000.0), "slow stage")) {
                        sawCancel = true;
                        finished = true;
                        throw lens::Cancelled();
                    }
                    std::this_thread::sleep_for(std::chrono::milliseconds(1));
                }
                finished = true;
                return lens::loadDataset(path, options);  // only reached if cancel never arrived
            });
        QSignalSpy progress(&controller, &DatasetController::loadProgress);
        QSignalSpy changed(&controller, &DatasetController::datasetChanged);
        QSignalSpy cancelled(&controller, &DatasetController::loadCancelled);
        controller.openPath(small_);
        QVERIFY(progress.wait(10000));  // the worker is running and reporting
        QCOMPARE(progress.last().at(1).toString(), QString("slow stage"));
        QVERIFY(panel.isProgressShown());
        auto* cancelButton = panel.findChild<QPushButton*>("cancelButton");
        QVERIFY(cancelButton);
        cancelButton->click();
        QCOMPARE(cancelled.count(), 1);
        QVERIFY(!controller.isLoading());
        QVERIFY(!panel.isProgressShown());
        QTRY_VERIFY_WITH_TIMEOUT(finished.load(), 10000);
        QVERIFY(sawCancel.load());
        QTest::qWait(100);  // let any queued result arrive: it must be dropped
        QCOMPARE(changed.count(), 0);
        QCOMPARE(cancelled.count(), 1);
        QVERIFY(!controller.dataset());
    }

    // With the real loader: a cancelled job and a superseded job never deliver; the next does.
    void cancelledAndSupersededJobsAreDropped() {
        DatasetController controller;
        QSignalSpy changed(&controller, &DatasetController::datasetChanged);
        const quint64 first = controller.openPath(other_);
        controller.cancel();
        const quint64 second = controller.openPath(other_);
        const quint64 third = controller.openPath(small_);  // supersedes `second`
        QVERIFY(first != second && second != third);
        QCOMPARE(controller.activeJobId(), third);
        QVERIFY(changed.wait(20000));
        QTest::qWait(300);  // late results of the first two jobs would arrive now
        QCOMPARE(changed.count(), 1);
        QCOMPARE(controller.dataset()->ratingCount(), std::size_t(20));  // small_, not other_
    }

    // The worker has already finished (its cancel flag was still clear) when the job is
    // superseded or cancelled; its result is queued to the GUI thread and must be dropped by job
    // id.
    void lateResultIsDroppedByJobId_data() {
        QTest::addColumn<bool>("supersede");
        QTest::newRow("superseded") << true;
        QTest::newRow("cancelled") << false;
    }
    void lateResultIsDroppedByJobId() {
        QFETCH(bool, supersede);
        DatasetController controller;
        std::atomic<int> finishedLoads{0};
        controller.setLoadFunction(
            [&](const std::filesystem::path& path, const lens::LoadOptions& options) {
                lens::Dataset d = lens::loadDataset(path, options);
                ++finishedLoads;
                return d;
            });
        QSignalSpy changed(&controller, &DatasetController::datasetChanged);
        controller.openPath(other_);
        // Wait without running the event loop, so the finished job's result stays queued.
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
        while (finishedLoads.load() == 0 && std::chrono::steady_clock::now() < deadline)
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        QCOMPARE(finishedLoads.load(), 1);
        std::this_thread::sleep_for(
            std::chrono::milliseconds(100));  // past the worker's own flag check
        if (supersede) {
            controller.openPath(small_);
            QVERIFY(changed.wait(20000));
            QTest::qWait(100);
            QCOMPARE(changed.count(), 1);
            QCOMPARE(controller.dataset()->ratingCount(), std::size_t(20));  // small_, never other_
        } else {
            controller.cancel();
            QTest::qWait(200);
            QCOMPARE(changed.count(), 0);
            QVERIFY(!controller.dataset());
        }
    }

    void demoDatasetLoadsInWorker() {
        DatasetController controller;
        RecentDatasets recent;
        LoadPanel panel(&controller, &recent);
        QSignalSpy changed(&controller, &DatasetController::datasetChanged);
        controller.openDemo();
        QVERIFY(controller.isLoading());
        QVERIFY(changed.wait(60000));
        QVERIFY(controller.dataset()->ratingCount() > 50'000);
        QVERIFY(controller.sourcePath().isEmpty());
        QCOMPARE(cardValue(panel, "ratings"),
                 QLocale().toString(qulonglong(controller.dataset()->ratingCount())));
        QTRY_VERIFY(panel.movieModel()->rowCount() > 100);
    }

    void mainWindowGrabIsNotBlank() {
        MainWindow window;
        window.resize(1280, 800);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.setStage(MainWindow::LoadStage);
        QSignalSpy changed(window.controller(), &DatasetController::datasetChanged);
        window.controller()->openPath(other_);
        QVERIFY(changed.wait(20000));
        QTRY_COMPARE(window.loadPanel()->movieModel()->rowCount(), 40);
        QTest::qWait(20);  // let the posted layout requests run, as the event loop would
        auto* status = window.findChild<QLabel*>("statusMemory");
        QVERIFY(status && status->text().contains("Memory"));

        const QImage image = window.grab().toImage().convertToFormat(QImage::Format_RGB32);
        QVERIFY(!image.isNull());
        std::set<QRgb> colours;
        for (int y = 0; y < image.height(); y += 2)
            for (int x = 0; x < image.width(); x += 2) colours.insert(image.pixel(x, y));
        QVERIFY2(colours.size() > 32,
                 qPrintable(QString("only %1 distinct colours").arg(colours.size())));
        // Text was drawn: the card holding "1,200" has dark-on-light (or light-on-dark) pixels.
        auto* card = window.loadPanel()->card("ratings");
        QCOMPARE(card->value(), QString("1,200"));
        const QImage cardImage = card->grab().toImage().convertToFormat(QImage::Format_RGB32);
        std::set<QRgb> cardColours;
        for (int y = 0; y < cardImage.height(); ++y)
            for (int x = 0; x < cardImage.width(); ++x) cardColours.insert(cardImage.pixel(x, y));
        QVERIFY2(cardColours.size() > 8, "the summary card shows no text");

        const QString out = qEnvironmentVariable("LENS_ATLAS_SCREENSHOT_DIR");
        if (!out.isEmpty()) QVERIFY(image.save(QDir(out).filePath("main_window_fixture.png")));
    }

    // Not a check: with LENS_ATLAS_SCREENSHOT_DIR set, saves the Load stage on the demo dataset
    // (and on ml-latest-small when present) for the README and for eyeballing.
    void screenshots() {
        const QString out = qEnvironmentVariable("LENS_ATLAS_SCREENSHOT_DIR");
        if (out.isEmpty()) QSKIP("set LENS_ATLAS_SCREENSHOT_DIR to save screenshots");
        MainWindow window;
        window.resize(1280, 800);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.setStage(MainWindow::LoadStage);
        QSignalSpy changed(window.controller(), &DatasetController::datasetChanged);
        window.controller()->openDemo();
        QVERIFY(changed.wait(60000));
        QTest::qWait(20);  // let the posted layout requests run, as the event loop would
        QVERIFY(window.grab().save(QDir(out).filePath("load_panel.png")));
        if (const QString real =
                qEnvironmentVariable("LENS_ATLAS_SHARED_DATA") + "/ml-latest-small";
            QFileInfo::exists(real)) {
            window.controller()->openPath(real);
            QVERIFY(changed.wait(60000));
            QTest::qWait(20);
            QVERIFY(window.grab().save(QDir(out).filePath("load_panel_ml_latest_small.png")));
        }
        window.controller()->openPath(bad_);
        QSignalSpy failed(window.controller(), &DatasetController::loadFailed);
        QVERIFY(failed.wait(20000));
        QTest::qWait(20);
        QVERIFY(window.grab().save(QDir(out).filePath("load_panel_error.png")));
        window.setStage(MainWindow::ExploreStage);
        QTest::qWait(20);
        QVERIFY(window.grab().save(QDir(out).filePath("explore_placeholder.png")));

        // A dark palette (as a dark desktop theme would set): text must stay readable.
        const QPalette original = QApplication::palette();
        QPalette dark;
        dark.setColor(QPalette::Window, QColor(45, 45, 48));
        dark.setColor(QPalette::WindowText, QColor(230, 230, 230));
        dark.setColor(QPalette::Base, QColor(30, 30, 32));
        dark.setColor(QPalette::AlternateBase, QColor(38, 38, 42));
        dark.setColor(QPalette::Text, QColor(230, 230, 230));
        dark.setColor(QPalette::Button, QColor(55, 55, 60));
        dark.setColor(QPalette::ButtonText, QColor(230, 230, 230));
        dark.setColor(QPalette::Highlight, QColor(42, 130, 218));
        dark.setColor(QPalette::HighlightedText, Qt::white);
        dark.setColor(QPalette::PlaceholderText, QColor(150, 150, 155));
        dark.setColor(QPalette::ToolTipBase, QColor(30, 30, 32));
        dark.setColor(QPalette::ToolTipText, QColor(230, 230, 230));
        QApplication::setPalette(dark);
        window.setStage(MainWindow::LoadStage);
        QTest::qWait(20);
        QVERIFY(window.grab().save(QDir(out).filePath("load_panel_dark.png")));
        QApplication::setPalette(original);

        lens::ui::AboutDialog about(&window);
        about.show();
        QTest::qWait(20);
        QVERIFY(about.grab().save(QDir(out).filePath("about.png")));
    }

private:
    QTemporaryDir dir_;
    QString small_, other_, bad_;
};

QTEST_MAIN(TestLoadPanel)
#include "tst_load_panel.moc"
