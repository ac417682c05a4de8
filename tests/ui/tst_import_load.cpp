// Accepting the import dialog loads the file: through DatasetController with its mapping, items
// file and filters (counts, k-core result and mean checked against the file itself), the Load
// panel showing its scale, its filters' results and its categories as genres; ml-latest-small
// through the dialog's guesses equals the MovieLens loader's dataset; the ways into the dialog
// (button, menu key, opening a plain file); and a bad line naming file:line, with a lenient retry
// that keeps the mapping.
#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QImage>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>
#include <map>
#include <set>

#include "AppSettings.h"
#include "DatasetController.h"
#include "ImportFixtures.h"
#include "LoadPanel.h"
#include "MainWindow.h"
#include "MovieFilterProxyModel.h"
#include "SummaryCard.h"
#include "TestData.h"
#include "UiTestHelpers.h"
#include "UiTestSetup.h"
#include "data/Dataset.h"
#include "io/DatasetLoader.h"
#include "io/InteractionFormat.h"
#include "load/ImportDialog.h"
#include "load/ItemsFileForm.h"
#include "load/LoadFiltersForm.h"
#include "load/PreviewTableModel.h"

using lens::ui::DatasetController;
using lens::ui::ImportDialog;
using lens::ui::LoadPanel;
using lens::ui::MainWindow;
using lens::ui::RecentDatasets;

using lens::test::chooseImportColumn;
using lens::test::countDistinctColours;
using lens::test::importColumnOf;
using lens::test::importKCoreOf;
using lens::test::ImportRecord;
using lens::test::joinedRecords;
using lens::test::numericRecords;
using lens::test::saveImportScreenshot;
using lens::test::stringRecords;

class TestImportLoad : public QObject {
    Q_OBJECT
public:
    static void initMain() { lens::test::useOffscreenPlatform(); }

private slots:
    void initTestCase() {
        QVERIFY2(lens::test::startIsolatedUiTest("tst_import_load"), "no font installed");
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
        qRegisterMetaType<std::shared_ptr<const lens::Dataset>>();
        QVERIFY(dir_.isValid());
        lens::test::writeImportFixtureFiles(dir_, tsv_, csv_);
    }

    void init() { QSettings().clear(); }  // nothing remembered from the test before

    void acceptLoadsTheDataset() {
        DatasetController controller;
        RecentDatasets recent;
        LoadPanel panel(&controller, &recent);
        QSignalSpy changed(&controller, &DatasetController::datasetChanged);
        QSignalSpy failed(&controller, &DatasetController::loadFailed);

        ImportDialog* dialog = panel.importFile(tsv_);
        QVERIFY(dialog->isVisible());
        QVERIFY(dialog->okButton()->isEnabled());
        QTest::mouseClick(dialog->okButton(), Qt::LeftButton);
        QVERIFY2(changed.wait(30000),
                 failed.isEmpty() ? "no dataset" : qPrintable(failed.at(0).at(0).toString()));
        const auto d = controller.dataset();
        QVERIFY(d);

        const auto records = numericRecords();
        std::set<QString> users, items;
        std::map<std::pair<QString, QString>, int> pairs;
        double sum = 0.0;
        for (const auto& r : records) {
            users.insert(r.user);
            items.insert(r.item);
            pairs[{r.user, r.item}] = r.rating.toInt();
            sum += r.rating.toDouble();
        }
        QCOMPARE(d->userCount(), users.size());
        QCOMPARE(d->movieCount(), items.size());
        QCOMPARE(d->ratingCount(), pairs.size());
        QCOMPARE(d->layout, lens::Layout::Interactions);
        QVERIFY(!d->scale.implicit);
        QCOMPARE(d->scale.min, 1.0f);
        QCOMPARE(d->scale.max, 10.0f);
        QVERIFY(qAbs(d->ratingMean() - sum / double(records.size())) < 1e-9);
        QCOMPARE(panel.card("ratings")->value(), QLocale().toString(qulonglong(pairs.size())));
        auto* note = panel.findChild<QLabel*>("loadNote");
        QVERIFY(note && note->isVisibleTo(&panel));
        QVERIFY2(note->text().contains("ratings 1-10 in steps of 1"), qPrintable(note->text()));
        QCOMPARE(controller.sourcePath(), QFileInfo(tsv_).absoluteFilePath());

        // Opened again by path (the recent list, the next start): the remembered mapping loads
        // it without asking.
        panel.openPath(tsv_);
        QVERIFY(panel.findChildren<ImportDialog*>().isEmpty() ||
                !panel.findChildren<ImportDialog*>().back()->isVisible());
        QVERIFY(changed.wait(30000));
        QCOMPARE(controller.dataset()->ratingCount(), pairs.size());
    }

    void acceptWithFiltersItemsAndImplicitFeedback() {
        const QString items = dir_.filePath("shop-items.csv");
        QByteArray itemsCsv = "id,name,tags\n";
        std::set<QString> categories;
        for (int i = 1; i <= 15; ++i) {
            const QString cats = i % 3 == 0   ? QStringLiteral("Jazz|Rock")
                                 : i % 3 == 1 ? QStringLiteral("Folk")
                                              : QStringLiteral("Rock|Blues");
            for (const QString& c : cats.split('|')) categories.insert(c);
            itemsCsv += QByteArray::number(100 + i) + ",Album " + QByteArray::number(i) + "," +
                        cats.toUtf8() + "\n";
        }
        lens::test::writeFile(items, itemsCsv);
        const QString implicitFile = dir_.filePath("clicks.tsv");
        const auto records = numericRecords();
        lens::test::writeFile(implicitFile,
                              joinedRecords(records, '\t', "user\titem\ttime\n", false));

        DatasetController controller;
        RecentDatasets recent;
        LoadPanel panel(&controller, &recent);
        QSignalSpy changed(&controller, &DatasetController::datasetChanged);
        QSignalSpy failed(&controller, &DatasetController::loadFailed);
        ImportDialog* dialog = panel.importFile(implicitFile);
        QCOMPARE(importColumnOf(dialog->ratingCombo()), -1);
        QCOMPARE(importColumnOf(dialog->timeCombo()), 2);
        QVERIFY(dialog->detectedText().contains("implicit feedback"));
        dialog->itemsForm()->setItems(
            items, lens::parseItemsFormat("id=id,title=name,categories=tags,header=yes"));
        constexpr int k = 6;
        dialog->filtersForm()->kCoreSpin()->setValue(k);
        QVERIFY2(dialog->okButton()->isEnabled(), qPrintable(dialog->problem()));
        dialog->resize(900, 760);
        const QImage shot = dialog->grab().toImage();
        QVERIFY(!shot.isNull());
        QVERIFY(countDistinctColours(shot) > 8);  // drawn, not a blank rectangle
        saveImportScreenshot(shot, "import_dialog.png");
        QTest::mouseClick(dialog->okButton(), Qt::LeftButton);
        QVERIFY2(changed.wait(30000),
                 failed.isEmpty() ? "no dataset" : qPrintable(failed.at(0).at(0).toString()));
        const auto d = controller.dataset();
        QVERIFY(d);
        QVERIFY(d->scale.implicit);

        const auto core = importKCoreOf(records, k);
        std::set<QString> coreUsers, coreItems;
        for (const auto& p : core) {
            coreUsers.insert(p.first);
            coreItems.insert(p.second);
        }
        QVERIFY(core.size() < records.size());  // the fixture has users below k
        QCOMPARE(d->ratingCount(), core.size());
        QCOMPARE(d->userCount(), coreUsers.size());
        QCOMPARE(d->movieCount(), coreItems.size());
        QCOMPARE(d->filterSteps.size(), std::size_t(1));
        QCOMPARE(d->filterSteps[0].removedRatings, records.size() - core.size());

        auto* note = panel.findChild<QLabel*>("loadNote");
        QVERIFY2(note->text().contains("implicit feedback"), qPrintable(note->text()));
        QVERIFY2(note->text().contains(QStringLiteral("filter: k-core %1 removed %2 ratings")
                                           .arg(k)
                                           .arg(records.size() - core.size())),
                 qPrintable(note->text()));
        QCOMPARE(panel.card("mean")->value(), QString("implicit"));

        // The genre filter offers the items file's categories, not MovieLens's genres.
        auto* genres = panel.findChild<QComboBox*>("genreFilter");
        QVERIFY(genres);
        std::set<QString> offered;
        for (int i = 1; i < genres->count(); ++i) offered.insert(genres->itemText(i));
        QCOMPARE(offered, categories);
        // Choosing one shows the items of that category (items 103, 106, ..., 115 are Jazz).
        QTRY_VERIFY(panel.movieModel()->rowCount() > 0);  // the table's columns: a job
        genres->setCurrentIndex(genres->findText("Jazz"));
        int jazz = 0;
        for (const auto& item : coreItems) jazz += (item.toInt() - 100) % 3 == 0;
        QCOMPARE(panel.movieProxy()->rowCount(), jazz);

        panel.resize(1280, 720);
        saveImportScreenshot(panel.grab().toImage(), "import_loaded.png");
    }

    // ml-latest-small's ratings.csv (far more than 64 KiB) with movies.csv as the items file,
    // through the dialog's guesses alone: the dataset equals the MovieLens loader's.
    void realReleaseThroughTheDialog() {
        LENS_REQUIRE_RELEASE(release, "ml-latest-small");
        const QString ratings = QDir(release).filePath("ratings.csv");
        const QString movies = QDir(release).filePath("movies.csv");
        DatasetController controller;
        RecentDatasets recent;
        LoadPanel panel(&controller, &recent);
        ImportDialog* dialog = panel.importFile(ratings);
        QCOMPARE(dialog->previewModel()->rowCount(), ImportDialog::kPreviewRows);
        QCOMPARE(dialog->format(),
                 lens::parseInteractionFormat("user=userId,item=movieId,rating=rating,"
                                              "time=timestamp,sep=comma,header=yes"));
        QCOMPARE(dialog->detectedText(),
                 QString("Detected: comma-separated, header, ratings 0.5-5 in steps of 0.5"));
        dialog->itemsForm()->pathEdit()->setText(movies);
        QMetaObject::invokeMethod(dialog->itemsForm()->pathEdit(), "editingFinished");
        QCOMPARE(dialog->itemsForm()->format(),
                 lens::parseItemsFormat("id=movieId,title=title,categories=genres,sep=comma,"
                                        "catsep=|,header=yes"));
        QSignalSpy changed(&controller, &DatasetController::datasetChanged);
        QSignalSpy failed(&controller, &DatasetController::loadFailed);
        QTest::mouseClick(dialog->okButton(), Qt::LeftButton);
        QVERIFY2(changed.wait(60000),
                 failed.isEmpty() ? "no dataset" : qPrintable(failed.at(0).at(0).toString()));
        const auto imported = controller.dataset();
        const lens::Dataset reference = lens::loadDataset(release.toStdString());
        QCOMPARE(imported->ratingCount(), reference.ratingCount());
        QCOMPARE(imported->userCount(), reference.userCount());
        QCOMPARE(imported->ratedMovieCount(), reference.ratedMovieCount());
        QCOMPARE(imported->userIds, reference.userIds);
        QVERIFY(imported->scale.isHalfStars());
        QVERIFY(qAbs(imported->ratingMean() - reference.ratingMean()) < 1e-9);
        QCOMPARE(panel.card("ratings")->value(),
                 QLocale().toString(qulonglong(reference.ratingCount())));
        // The items file's categories: MovieLens's genres as the file spells them.
        auto* genres = panel.findChild<QComboBox*>("genreFilter");
        QVERIFY(genres->findText("Drama") > 0);
        QVERIFY(genres->findText("Film-Noir") > 0);
    }

    // The ways in: a button beside the open buttons, File > Import (Ctrl+I, no other action's
    // key), and opening a single file that is not a zip (nothing remembered: the dialog asks).
    void reachedFromPanelMenuAndPath() {
        MainWindow window;
        LoadPanel* panel = window.loadPanel();
        QVERIFY(panel->importButton());
        QVERIFY(panel->importButton()->text().startsWith("Import your own data"));
        QVERIFY(!panel->importButton()->toolTip().isEmpty());
        const QKeySequence key(Qt::CTRL | Qt::Key_I);
        QList<QAction*> withKey;
        for (QAction* a : window.findChildren<QAction*>())
            if (a->shortcuts().contains(key)) withKey << a;
        QCOMPARE(withKey.size(), 1);
        QVERIFY2(withKey[0]->text().contains("Import"), qPrintable(withKey[0]->text()));

        QVERIFY(panel->findChildren<ImportDialog*>().isEmpty());
        panel->openPath(csv_);
        const auto dialogs = panel->findChildren<ImportDialog*>();
        QCOMPARE(dialogs.size(), 1);
        QVERIFY(dialogs[0]->isVisible());
        QCOMPARE(dialogs[0]->path(), QFileInfo(csv_).absoluteFilePath());
        QVERIFY(!window.controller()->isLoading());  // nothing loads before OK
        dialogs[0]->reject();
        QVERIFY(!window.controller()->isLoading());
    }

    void badLineNamesFileAndLine() {
        const QString bad = dir_.filePath("bad.tsv");
        lens::test::writeFile(bad, "user\titem\trating\n1\t2\t3\n1\t3\tfour\n2\t2\t5\n");
        DatasetController controller;
        RecentDatasets recent;
        LoadPanel panel(&controller, &recent);
        QSignalSpy failed(&controller, &DatasetController::loadFailed);
        ImportDialog* dialog = panel.importFile(bad);
        QVERIFY2(dialog->detectedText().contains("record 2's rating \"four\" is not a number"),
                 qPrintable(dialog->detectedText()));
        QTest::mouseClick(dialog->okButton(), Qt::LeftButton);
        QVERIFY(failed.wait(30000));
        const QString message = failed.at(0).at(0).toString();
        QVERIFY2(message.contains("bad.tsv:3"), qPrintable(message));
        QVERIFY(panel.isErrorShown());
        // The retry keeps the mapping: lenient, the bad line is skipped and counted.
        QVERIFY(controller.failedOptions().format);
        QSignalSpy changed(&controller, &DatasetController::datasetChanged);
        panel.retryLenientButton()->click();
        QVERIFY2(changed.wait(30000),
                 failed.size() > 1 ? qPrintable(failed.at(1).at(0).toString()) : "no dataset");
        QCOMPARE(controller.dataset()->ratingCount(), std::size_t(2));
        QCOMPARE(controller.dataset()->report.skippedLines, std::size_t(1));
    }

private:
    QTemporaryDir dir_;
    QString tsv_;
    QString csv_;
};

QTEST_MAIN(TestImportLoad)
#include "tst_import_load.moc"
