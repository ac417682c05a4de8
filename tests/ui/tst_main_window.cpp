// MainWindow: one navigation entry per stage, Ctrl+1..Ctrl+5 switch stages, the last stage and
// window geometry persist across instances (QSettings in test mode), the last dataset and the
// recent list are recorded, the File menu routes to the Load panel, the About text cites MovieLens;
// every stage has its real panel, a model trained in Train reaches Rank and Map, Save all charts
// writes every figure, no button or chart title is squeezed at 1280 x 800, and closing
// mid-training exits promptly with the run recorded cancelled.
#include <QAbstractButton>
#include <QAbstractItemView>
#include <QAction>
#include <QApplication>
#include <QChartView>
#include <QDialog>
#include <QDir>
#include <QFile>
#include <QFontInfo>
#include <QListWidget>
#include <QMenuBar>
#include <QMimeData>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTextBrowser>
#include <QtTest>

#include "AboutDialog.h"
#include "AppSettings.h"
#include "DatasetController.h"
#include "DatasetDrop.h"
#include "LoadPanel.h"
#include "MainWindow.h"
#include "TestData.h"
#include "Theme.h"
#include "UiTestHelpers.h"
#include "UiTestSetup.h"
#include "compare/ComparePanel.h"
#include "compare/CompareRunPicker.h"
#include "download/DownloadDialog.h"
#include "explore/ExplorePanel.h"
#include "load/ImportDialog.h"
#include "map/MapPanel.h"
#include "models/ModelLibrary.h"
#include "rank/RankPanel.h"
#include "train/HyperparameterForm.h"
#include "train/RunHistoryModel.h"
#include "train/TrainPanel.h"
#include "train/TrainingRun.h"
#include "train/TrainingRunner.h"

using lens::ui::DatasetController;
using lens::ui::ImportDialog;
using lens::ui::MainWindow;

using lens::test::writeFile;

namespace {

QList<QAction*> allActions(QMenuBar* bar) {
    QList<QAction*> actions;
    for (QAction* menu : bar->actions()) {
        if (!menu->menu()) continue;
        for (QAction* a : menu->menu()->actions()) actions << a;
    }
    return actions;
}

QAction* actionWithShortcut(QMenuBar* bar, const QKeySequence& key) {
    for (QAction* a : allActions(bar))
        if (a->shortcut() == key) return a;
    return nullptr;
}

}  // namespace

class TestMainWindow : public QObject {
    Q_OBJECT
public:
    static void initMain() { lens::test::useOffscreenPlatform(); }

private slots:
    void initTestCase() {
        QVERIFY2(lens::test::startIsolatedUiTest("tst_main_window"), "no font installed");
        // Test mode: the run history lives under ~/.qttest; start each run of this test from an
        // empty one (it grew by a few runs per run, and the screenshots showed them).
        const QString runs = lens::ui::TrainPanel::defaultRunFolder();
        QVERIFY(runs.contains(QStringLiteral("qttest")));
        QDir(runs).removeRecursively();
        QVERIFY(dir_.isValid());
        writeFile(dir_.filePath("movies.csv"),
                  "movieId,title,genres\n1,Heat (1995),Action|Crime\n2,Up (2009),Animation\n");
        writeFile(dir_.filePath("ratings.csv"),
                  "userId,movieId,rating,timestamp\n1,1,4.0,964982703\n1,2,3.5,964982704\n2,1,5.0,"
                  "964982705\n");
    }

    void init() { QSettings().clear(); }

    void hasOneEntryPerStage() {
        MainWindow window;
        auto* navigation = window.findChild<QListWidget*>("stageNavigation");
        QVERIFY(navigation);
        QCOMPARE(navigation->count(), int(MainWindow::StageCount));
        const QStringList names = {"Load", "Explore", "Train", "Rank", "Map", "Compare"};
        for (int s = 0; s < MainWindow::StageCount; ++s) {
            QVERIFY2(navigation->item(s)->text().contains(names[s]),
                     qPrintable(navigation->item(s)->text()));
            QVERIFY(window.stagePanel(s));
            QVERIFY(!navigation->item(s)->toolTip().isEmpty());
        }
        QCOMPARE(window.stagePanel(MainWindow::LoadStage),
                 static_cast<QWidget*>(window.loadPanel()));
        // Clicking a side-bar entry switches the stage.
        navigation->setCurrentRow(MainWindow::RankStage);
        QCOMPARE(window.currentStage(), int(MainWindow::RankStage));
    }

    void shortcutsSwitchStages_data() {
        QTest::addColumn<int>("key");
        QTest::addColumn<int>("stage");
        QTest::newRow("Ctrl+1 Load") << int(Qt::Key_1) << int(MainWindow::LoadStage);
        QTest::newRow("Ctrl+2 Explore") << int(Qt::Key_2) << int(MainWindow::ExploreStage);
        QTest::newRow("Ctrl+3 Train") << int(Qt::Key_3) << int(MainWindow::TrainStage);
        QTest::newRow("Ctrl+4 Rank") << int(Qt::Key_4) << int(MainWindow::RankStage);
        QTest::newRow("Ctrl+5 Map") << int(Qt::Key_5) << int(MainWindow::MapStage);
        QTest::newRow("Ctrl+6 Compare") << int(Qt::Key_6) << int(MainWindow::CompareStage);
    }
    void shortcutsSwitchStages() {
        QFETCH(int, key);
        QFETCH(int, stage);
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        // Start from a different stage so the shortcut has something to change.
        window.setStage(stage == MainWindow::LoadStage ? MainWindow::MapStage
                                                       : MainWindow::LoadStage);
        QTest::keyClick(&window, Qt::Key(key), Qt::ControlModifier);
        QCOMPARE(window.currentStage(), stage);
        auto* stack = window.findChild<QStackedWidget*>("stages");
        QCOMPARE(stack->currentWidget(), window.stagePanel(stage));
        QCOMPARE(window.findChild<QListWidget*>("stageNavigation")->currentRow(), stage);
    }

    void lastStagePersistsAcrossInstances() {
        {
            MainWindow first;
            QCOMPARE(first.currentStage(), int(MainWindow::LoadStage));  // settings were cleared
            first.setStage(MainWindow::TrainStage);
            first.resize(1000, 700);
            first.close();  // saves geometry
        }
        MainWindow second;
        QCOMPARE(second.currentStage(), int(MainWindow::TrainStage));
        QCOMPARE(second.size(), QSize(1000, 700));
        second.setStage(MainWindow::MapStage);
        MainWindow third;
        QCOMPARE(third.currentStage(), int(MainWindow::MapStage));
    }

    void menusCarryTheMainActions() {
        MainWindow window;
        QMenuBar* bar = window.menuBar();
        QVERIFY(actionWithShortcut(bar, QKeySequence(Qt::CTRL | Qt::Key_O)));
        QVERIFY(actionWithShortcut(bar, QKeySequence(Qt::CTRL | Qt::Key_Q)));
        QStringList texts;
        for (QAction* a : allActions(bar)) texts << a->text().remove('&');
        for (const char* expected :
             {"Open folder…", "Open zip…", "Open demo dataset", "Recent datasets", "Quit",
              "About Lens Atlas", "Save all charts…", "Export report…", "Guide", "Theme"})
            QVERIFY2(texts.contains(QString::fromUtf8(expected)), expected);
        QVERIFY(actionWithShortcut(bar, QKeySequence(Qt::CTRL | Qt::Key_R)));  // report
        QVERIFY(actionWithShortcut(bar, QKeySequence::HelpContents));          // guide
        QVERIFY(actionWithShortcut(bar, QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_S)));
        for (QAction* a : allActions(bar))
            if (!a->isSeparator() && !a->menu() && a->text() != "(none yet)" &&
                a->text() != "Clear list")
                QVERIFY2(!a->statusTip().isEmpty() || a->menuRole() != QAction::NoRole ||
                             a->isCheckable(),
                         qPrintable(a->text()));
        // The Load panel's Download… button opens the same dialog as File > Download (Ctrl+D).
        QVERIFY(window.findChildren<lens::ui::DownloadDialog*>().isEmpty());
        window.loadPanel()->downloadButton()->click();
        const auto dialogs = window.findChildren<lens::ui::DownloadDialog*>();
        QCOMPARE(dialogs.size(), 1);
        QVERIFY(dialogs.front()->isVisible());
        dialogs.front()->reject();
    }

    // Help > Keyboard shortcuts lists every key of the window, read from its actions: each
    // action or button with a shortcut appears with its key, under its stage.
    void shortcutsListEveryKey() {
        MainWindow window;
        const QString html = window.shortcutsHtml();
        int keys = 0;
        for (const QAction* a : window.findChildren<QAction*>())
            for (const QKeySequence& k : a->shortcuts()) {
                ++keys;
                // Named, so that its row says what the key does.
                QVERIFY2(!a->text().remove('&').trimmed().isEmpty() || !a->toolTip().isEmpty(),
                         qPrintable(k.toString()));
                QVERIFY2(html.contains(a->text().remove('&').trimmed().toHtmlEscaped()),
                         qPrintable(a->text()));
                QVERIFY2(html.contains(k.toString(QKeySequence::NativeText).toHtmlEscaped()),
                         qPrintable(a->text() + " " + k.toString()));
            }
        QVERIFY2(keys >= 25, qPrintable(QString::number(keys)));
        for (const char* expected :
             {"Ctrl+Shift+R", "Ctrl+Return", "F5", "Ctrl+E", "Ctrl+1", "Ctrl+/", "Esc"})
            QVERIFY2(html.contains(QLatin1String(expected)), expected);
        for (int s = 0; s < MainWindow::StageCount; ++s)
            QVERIFY2(html.contains(QStringLiteral("<h3>%1</h3>").arg(MainWindow::stageName(s))),
                     qPrintable(MainWindow::stageName(s)));
        QAction* shortcuts =
            actionWithShortcut(window.menuBar(), QKeySequence(Qt::CTRL | Qt::Key_Slash));
        QVERIFY(shortcuts);
        shortcuts->trigger();
        auto shown = [&window]() -> const QTextBrowser* {
            for (const QDialog* d : window.findChildren<QDialog*>())
                if (d->windowTitle() == QLatin1String("Keyboard shortcuts") && d->isVisible())
                    return d->findChild<QTextBrowser*>();
            return nullptr;
        };
        QTRY_VERIFY(shown());
        QVERIFY(shown()->toPlainText().contains("Ctrl+Shift+R"));
    }

    void everyStageHasItsPanel() {
        MainWindow window;
        QVERIFY(qobject_cast<lens::ui::ExplorePanel*>(window.stagePanel(MainWindow::ExploreStage)));
        QVERIFY(qobject_cast<lens::ui::TrainPanel*>(window.stagePanel(MainWindow::TrainStage)));
        QVERIFY(qobject_cast<lens::ui::RankPanel*>(window.stagePanel(MainWindow::RankStage)));
        QVERIFY(qobject_cast<lens::ui::MapPanel*>(window.stagePanel(MainWindow::MapStage)));
    }

    // The whole flow on the demo (and on ml-latest-small, with real titles, when present):
    // statistics appear, a model trained in the Train stage becomes the active model of the Rank
    // and Map stages, and Save all charts writes every chart.
    void trainedModelReachesRankAndMapAndChartsSave_data() {
        QTest::addColumn<bool>("real");
        QTest::newRow("demo") << false;
        QTest::newRow("ml-latest-small") << true;
    }

    void trainedModelReachesRankAndMapAndChartsSave() {
        QFETCH(bool, real);
        QString path;
        if (real) {
            LENS_REQUIRE_RELEASE(release, "ml-latest-small");
            LENS_RELEASE_STAGE_ONLY_ROW("the demo row runs the same code");
            path = release;
        }
        MainWindow window;
        QSignalSpy explored(window.explorePanel(), &lens::ui::ExplorePanel::resultsShown);
        QSignalSpy changed(window.controller(), &DatasetController::datasetChanged);
        if (real)
            window.controller()->openPath(path);
        else
            window.controller()->openDemo();
        QVERIFY(changed.wait(60000));
        QVERIFY(explored.count() > 0 || explored.wait(60000));
        lens::ui::TrainPanel* train = window.trainPanel();
        train->setModelKind(QStringLiteral("als"));
        if (!real)
            QVERIFY(train->form()->setValue(QStringLiteral("iterations"), QStringLiteral("3")));
        QSignalSpy finished(train, &lens::ui::TrainPanel::runFinished);
        QSignalSpy mapped(window.mapPanel(), &lens::ui::MapPanel::mapsUpdated);
        const QString run = train->start();
        QVERIFY(!run.isEmpty());
        QVERIFY(finished.wait(120000));
        train->makeActive(run);
        QVERIFY(window.models()->active());
        QVERIFY(mapped.count() > 0 || mapped.wait(60000));
        // The demo's made-up titles hold none of the preset personas' movies: rank a user.
        if (real)
            QVERIFY(window.rankPanel()->selectPersona(QStringLiteral("Lord of the Rings fan")));
        else
            window.rankPanel()->useUser(window.controller()->dataset()->userIds.front());
        QTRY_VERIFY_WITH_TIMEOUT(window.rankPanel()->result().has_value() &&
                                     !window.rankPanel()->result()->items.empty(),
                                 30000);
        // A second model on the same split, and the two compared in the Compare stage.
        train->setModelKind(QStringLiteral("bias"));
        const QString second = train->start();
        QVERIFY(!second.isEmpty());
        QVERIFY(finished.wait(120000));
        lens::ui::ComparePanel* compare = window.comparePanel();
        compare->runPicker()->setCheckedRuns({second, run});
        QVERIFY2(compare->runPicker()->canCompare(), qPrintable(compare->runPicker()->problem()));
        QSignalSpy compared(compare, &lens::ui::ComparePanel::comparisonFinished);
        QVERIFY(compare->compare());
        QVERIFY(compared.wait(120000));
        QCOMPARE(compare->comparison()->models.size(), std::size_t(2));

        QTemporaryDir out;
        QString error;
        lens::ui::settings::setExportDpi(72);
        const QStringList written = window.saveAllChartsTo(out.path(), &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(written.size(), window.allFigures().size() * 3);
        QVERIFY(window.allFigures().size() >= 8 + 2 + 3);  // explore, train, map at least
        for (const QString& path : written)
            QVERIFY2(QFileInfo(path).size() > 200, qPrintable(path));

        // Nothing squeezed at a common laptop size: every visible button is at least as wide as
        // its size hint, and every chart title fits its chart (Qt elides it with "..." else).
        // With LENS_ATLAS_SCREENSHOT_DIR set, each stage is saved as <row>-stage-N.png to look at
        // (the README's screenshots are the ml-latest-small ones).
        window.resize(1280, 800);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        const QString shots = qEnvironmentVariable("LENS_ATLAS_SCREENSHOT_DIR");
        for (int stage = 0; stage < MainWindow::StageCount; ++stage) {
            window.setStage(stage);
            QTest::qWait(50);
            QWidget* panel = window.stagePanel(stage);
            for (QAbstractButton* button : panel->findChildren<QAbstractButton*>()) {
                if (!button->isVisible() || button->text().isEmpty()) continue;
                if (qobject_cast<QAbstractItemView*>(button->parentWidget())) continue;
                QVERIFY2(button->width() >= button->sizeHint().width(),
                         qPrintable(QStringLiteral("stage %1: '%2' is %3 px wide, needs %4")
                                        .arg(stage)
                                        .arg(button->text())
                                        .arg(button->width())
                                        .arg(button->sizeHint().width())));
            }
            for (QChartView* view : panel->findChildren<QChartView*>()) {
                if (!view->isVisible() || view->chart()->title().isEmpty()) continue;
                const QFontMetrics metrics(view->chart()->titleFont());
                QVERIFY2(metrics.horizontalAdvance(view->chart()->title()) <
                             view->chart()->size().width() - 16,
                         qPrintable(QStringLiteral("stage %1: chart title '%2' is cut")
                                        .arg(stage)
                                        .arg(view->chart()->title())));
            }
            if (!shots.isEmpty())
                QVERIFY(window.grab().save(
                    QDir(shots).filePath(QStringLiteral("%1-stage-%2.png")
                                             .arg(QString::fromLatin1(QTest::currentDataTag()))
                                             .arg(stage))));
        }
        if (!shots.isEmpty()) {  // the README's other two: the movie map and the dark theme
            const QString tag = QString::fromLatin1(QTest::currentDataTag());
            window.setStage(MainWindow::MapStage);
            window.mapPanel()->findChild<QTabWidget*>()->setCurrentIndex(1);
            QTest::qWait(50);
            QVERIFY(window.grab().save(QDir(shots).filePath(tag + "-map-movies.png")));
            window.setStage(MainWindow::CompareStage);
            window.comparePanel()->tabs()->setCurrentIndex(3);  // protocols, beyond accuracy
            QTest::qWait(50);
            QVERIFY(window.grab().save(QDir(shots).filePath(tag + "-compare-charts.png")));
            lens::ui::applyTheme(lens::ui::Theme::Dark);
            window.setStage(MainWindow::ExploreStage);
            QTest::qWait(50);
            QVERIFY(window.grab().save(QDir(shots).filePath(tag + "-dark-explore.png")));
            lens::ui::applyTheme(lens::ui::Theme::System);
        }
    }

    // Closing the window while a model trains stops the run at once and records it as
    // cancelled: the window is closed, the runner has no run and no queue left, and the
    // history says why. (States, not elapsed time: a loaded machine makes any time flaky.)
    void closingMidTrainingIsClean() {
        QString run;
        {
            MainWindow window;
            QSignalSpy changed(window.controller(), &DatasetController::datasetChanged);
            window.controller()->openDemo();
            QVERIFY(changed.wait(60000));
            lens::ui::TrainPanel* train = window.trainPanel();
            train->setModelKind(QStringLiteral("als"));
            QVERIFY(train->form()->setValue(QStringLiteral("iterations"), QStringLiteral("500")));
            QSignalSpy progress(train, &lens::ui::TrainPanel::progressChanged);
            run = train->start();
            QVERIFY(progress.wait(60000));
            window.show();
            QVERIFY(QTest::qWaitForWindowExposed(&window));
            QVERIFY(train->runner()->isRunning());
            QVERIFY(window.close());
            QVERIFY(!window.isVisible());
            QVERIFY(!train->runner()->isRunning());
            QVERIFY(train->runner()->queuedRunIds().isEmpty());
        }
        // A fresh window reads the history: the run is there, cancelled.
        MainWindow again;
        lens::ui::RunHistoryModel* history = again.trainPanel()->history();
        bool found = false;
        for (int row = 0; row < history->rowCount(); ++row)
            if (history->record(row).id == run) {
                found = true;
                QCOMPARE(history->record(row).status, lens::ui::RunStatus::Cancelled);
                QVERIFY2(history->record(row).message.startsWith(
                             QStringLiteral("cancelled: the window was closed")),
                         qPrintable(history->record(row).message));
            }
        QVERIFY(found);
    }

    void recordsLastAndRecentDatasets() {
        {
            MainWindow window;
            QSignalSpy changed(window.controller(), &DatasetController::datasetChanged);
            window.controller()->openPath(dir_.path());
            QVERIFY(changed.wait(20000));
            QVERIFY(window.windowTitle().contains(
                QString::fromStdString(window.controller()->dataset()->name)));
        }
        const QString expected = QDir::cleanPath(QFileInfo(dir_.path()).absoluteFilePath());
        QCOMPARE(lens::ui::settings::lastDataset(), expected);
        QCOMPARE(lens::ui::RecentDatasets().paths(), QStringList{expected});

        // The next start opens it again rather than the demo.
        MainWindow again;
        QSignalSpy started(again.controller(), &DatasetController::loadStarted);
        QSignalSpy changed(again.controller(), &DatasetController::datasetChanged);
        again.openInitialDataset();
        QVERIFY(changed.wait(20000));
        QCOMPARE(again.controller()->sourcePath(), expected);
        QCOMPARE(again.controller()->dataset()->ratingCount(), std::size_t(3));
    }

    void firstStartOpensTheDemo() {
        lens::ui::settings::setLastDataset(dir_.filePath("gone-since"));  // no longer exists
        MainWindow window;
        QSignalSpy changed(window.controller(), &DatasetController::datasetChanged);
        window.openInitialDataset();
        QVERIFY(changed.wait(60000));
        QVERIFY(window.controller()->sourcePath().isEmpty());
        QCOMPARE(window.controller()->dataset()->layout, lens::Layout::Synthetic);
        QVERIFY(lens::ui::settings::lastDataset().isEmpty());  // the demo is regenerated next time
    }

    void recognisesDatasetDrops_data() {
        QTest::addColumn<QStringList>("files");
        QTest::addColumn<bool>("accepted");
        QTest::addColumn<bool>("loads");  // else the import dialog asks how to read the file
        QTest::newRow("folder") << QStringList{"release"} << true << true;
        QTest::newRow("zip") << QStringList{"ml-latest-small.zip"} << true << true;
        QTest::newRow("upper-case zip") << QStringList{"ML-100K.ZIP"} << true << true;
        QTest::newRow("text file") << QStringList{"notes.txt"} << true << false;
        QTest::newRow("two folders") << QStringList{"release", "release"} << false << false;
        QTest::newRow("missing zip") << QStringList{"absent.zip"} << false << false;
    }
    void recognisesDatasetDrops() {
        QFETCH(QStringList, files);
        QFETCH(bool, accepted);
        QFETCH(bool, loads);
        QTemporaryDir scratch;
        QDir(scratch.path()).mkdir("release");
        for (const char* name : {"ml-latest-small.zip", "ML-100K.ZIP", "notes.txt"})
            writeFile(scratch.filePath(name), "x");
        QList<QUrl> urls;
        for (const QString& f : files) urls << QUrl::fromLocalFile(scratch.filePath(f));
        QMimeData mime;
        mime.setUrls(urls);
        const QString path = lens::ui::datasetPathFromDrop(&mime);
        QCOMPARE(!path.isEmpty(), accepted);
        if (accepted) QCOMPARE(path, QFileInfo(scratch.filePath(files.front())).absoluteFilePath());

        // Dropped on the window: an accepted drop starts a load, anything else is ignored.
        MainWindow window;
        window.setStage(MainWindow::MapStage);
        QSignalSpy started(window.controller(), &DatasetController::loadStarted);
        QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &mime, Qt::LeftButton,
                              Qt::NoModifier);
        QCoreApplication::sendEvent(&window, &enter);
        QCOMPARE(enter.isAccepted(), accepted);
        QDropEvent drop(QPointF(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QCoreApplication::sendEvent(&window, &drop);
        QCOMPARE(started.count(), loads ? 1 : 0);
        QCOMPARE(window.currentStage(),
                 accepted ? int(MainWindow::LoadStage) : int(MainWindow::MapStage));
        // A file of one's own (not a zip) opens the import dialog on it.
        QCOMPARE(window.findChildren<ImportDialog*>().size(), accepted && !loads ? 1 : 0);
        window.controller()->cancel();
    }

    void aboutCitesMovieLens() {
        const QString text = lens::ui::AboutDialog::aboutText();
        QVERIFY(text.contains("Harper"));
        QVERIFY(text.contains("Konstan"));
        QVERIFY(text.contains("The MovieLens Datasets: History and Context"));
        QVERIFY(text.contains("5, 4"));
        QVERIFY(text.contains(QString::fromLatin1(qVersion())));
        QVERIFY(text.contains(QStringLiteral(LENS_ATLAS_VERSION)));
    }

private:
    QTemporaryDir dir_;
};

QTEST_MAIN(TestMainWindow)
#include "tst_main_window.moc"
