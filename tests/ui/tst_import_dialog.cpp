// The import dialog for a user's own interaction file, on real files in a temporary folder and
// the real widgets: the preview and guessed mapping of a TSV with a header and of a headerless
// CSV, re-sniffing when the separator changes, OK disabled (with its reason) for an incomplete
// or contradictory mapping, the descriptor the widgets build, the date fields, the items-file
// mapping, a tooltip on every control, and the choices remembered per file. Loading what the
// dialog accepts: tst_import_load.
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
using lens::test::importColumnOf;
using lens::test::ImportRecord;
using lens::test::joinedRecords;
using lens::test::numericRecords;
using lens::test::saveImportScreenshot;
using lens::test::stringRecords;

class TestImportDialog : public QObject {
    Q_OBJECT
public:
    static void initMain() { lens::test::useOffscreenPlatform(); }

private slots:
    void initTestCase() {
        QVERIFY2(lens::test::startIsolatedUiTest("tst_import_dialog"), "no font installed");
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
        qRegisterMetaType<std::shared_ptr<const lens::Dataset>>();
        QVERIFY(dir_.isValid());
        lens::test::writeImportFixtureFiles(dir_, tsv_, csv_);
    }

    void init() { QSettings().clear(); }  // nothing remembered from the test before

    void previewAndGuessOfTsvWithHeader() {
        ImportDialog dialog(tsv_);
        QAbstractItemModelTester tester(dialog.previewModel(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        const auto records = numericRecords();
        auto* model = dialog.previewModel();
        QCOMPARE(model->rowCount(), ImportDialog::kPreviewRows);
        QCOMPARE(model->columnCount(), 4);
        QCOMPARE(model->columnName(0), QString("userId"));
        QCOMPARE(model->columnName(3), QString("timestamp"));
        for (int r : {0, 7, ImportDialog::kPreviewRows - 1}) {
            QCOMPARE(model->index(r, 0).data().toString(), records[r].user);
            QCOMPARE(model->index(r, 1).data().toString(), records[r].item);
            QCOMPARE(model->index(r, 2).data().toString(), records[r].rating);
            QCOMPARE(model->index(r, 3).data().toString(), records[r].time);
        }
        QCOMPARE(importColumnOf(dialog.userCombo()), 0);
        QCOMPARE(importColumnOf(dialog.itemCombo()), 1);
        QCOMPARE(importColumnOf(dialog.ratingCombo()), 2);
        QCOMPARE(importColumnOf(dialog.timeCombo()), 3);
        // The mapped columns say their role in the preview's header.
        QCOMPARE(model->headerData(1, Qt::Horizontal).toString(), QString("movieId · item"));
        // Every rating value 1..10 occurs in the first 64 KiB (the whole file here).
        QCOMPARE(dialog.detectedText(),
                 QString("Detected: tab-separated, header, ratings 1-10 in steps of 1"));
        QVERIFY2(dialog.okButton()->isEnabled(), qPrintable(dialog.problem()));
        QVERIFY(!dialog.restoredFromMemory());
    }

    void previewAndGuessOfHeaderlessCsv() {
        ImportDialog dialog(csv_);
        const auto records = stringRecords();
        auto* model = dialog.previewModel();
        QCOMPARE(model->rowCount(), ImportDialog::kPreviewRows);  // the first record is data
        QCOMPARE(model->columnCount(), 4);
        QCOMPARE(model->columnName(0), QString("column 1"));
        QCOMPARE(model->index(0, 0).data().toString(), records[0].user);
        QCOMPARE(model->index(0, 1).data().toString(), records[0].item);
        QCOMPARE(model->index(3, 3).data().toString(), records[3].time);
        QCOMPARE(importColumnOf(dialog.userCombo()), 0);
        QCOMPARE(importColumnOf(dialog.itemCombo()), 1);
        QCOMPARE(importColumnOf(dialog.ratingCombo()), 2);
        QCOMPARE(importColumnOf(dialog.timeCombo()), 3);
        QCOMPARE(dialog.detectedText(),
                 QString("Detected: comma-separated, no header, ratings 0.5-5 in steps of 0.5"));
        QVERIFY2(dialog.okButton()->isEnabled(), qPrintable(dialog.problem()));
    }

    void separatorChangeResniffs() {
        ImportDialog dialog(tsv_);
        QCOMPARE(dialog.previewModel()->columnCount(), 4);
        QSignalSpy reset(dialog.previewModel(), &QAbstractItemModel::modelReset);
        // Split at commas, the tab-separated lines are one field each: no item column.
        dialog.separatorCombo()->setCurrentIndex(dialog.separatorCombo()->findData(int(',')));
        QCOMPARE(reset.count(), 1);
        QCOMPARE(dialog.previewModel()->columnCount(), 1);
        // One field per line, none of them a number: no header is seen either.
        const ImportRecord first = numericRecords()[0];
        QCOMPARE(dialog.previewModel()->index(0, 0).data().toString(),
                 QString("userId\tmovieId\trating\ttimestamp"));
        QCOMPARE(dialog.previewModel()->index(1, 0).data().toString(),
                 first.user + "\t" + first.item + "\t" + first.rating + "\t" + first.time);
        QVERIFY(dialog.detectedText().startsWith("Detected: comma-separated"));
        QVERIFY(!dialog.okButton()->isEnabled());
        QVERIFY(!dialog.problem().isEmpty());
        // Back to tab: the columns and the guess return.
        dialog.separatorCombo()->setCurrentIndex(dialog.separatorCombo()->findData(int('\t')));
        QCOMPARE(reset.count(), 2);
        QCOMPARE(dialog.previewModel()->columnCount(), 4);
        QCOMPARE(importColumnOf(dialog.itemCombo()), 1);
        QVERIFY(dialog.okButton()->isEnabled());
        // Header "no": the header line becomes the first record.
        dialog.headerCombo()->setCurrentIndex(
            dialog.headerCombo()->findData(int(lens::HeaderMode::No)));
        QCOMPARE(dialog.previewModel()->index(0, 0).data().toString(), QString("userId"));
        QVERIFY(dialog.detectedText().contains("no header"));
        // The header's names are now values, and they say so.
        QVERIFY2(dialog.detectedText().contains(
                     "record 1's time \"timestamp\" is neither Unix seconds nor ISO 8601"),
                 qPrintable(dialog.detectedText()));
        chooseImportColumn(dialog.ratingCombo(), 2);
        QVERIFY2(dialog.detectedText().contains("record 1's rating \"rating\" is not a number"),
                 qPrintable(dialog.detectedText()));
    }

    void okDisabledForIncompleteMapping() {
        ImportDialog dialog(tsv_);
        QVERIFY(dialog.okButton()->isEnabled());
        chooseImportColumn(dialog.userCombo(), -1);
        QVERIFY(!dialog.okButton()->isEnabled());
        QVERIFY2(dialog.problem().contains("user"), qPrintable(dialog.problem()));
        QCOMPARE(dialog.okButton()->toolTip(), dialog.problem());
        auto* problem = dialog.findChild<QLabel*>("importProblem");
        QVERIFY(problem && problem->text().contains(dialog.problem()));

        chooseImportColumn(dialog.userCombo(), 1);  // the item's column
        QVERIFY(!dialog.okButton()->isEnabled());
        QCOMPARE(dialog.problem(), QString("User and item must be different columns."));
        saveImportScreenshot(dialog.grab().toImage(), "import_dialog_problem.png");

        chooseImportColumn(dialog.userCombo(), 0);
        QVERIFY(dialog.okButton()->isEnabled());
        QVERIFY(dialog.problem().isEmpty());
        QVERIFY(problem->text().isEmpty());

        // Without a rating column: implicit feedback, still loadable.
        chooseImportColumn(dialog.ratingCombo(), -1);
        QVERIFY(dialog.okButton()->isEnabled());
        QVERIFY2(dialog.detectedText().endsWith(
                     "no rating column: implicit feedback — rating models will be disabled"),
                 qPrintable(dialog.detectedText()));

        // A date range without a time column cannot apply; an unreadable date is refused.
        dialog.filtersForm()->sinceEdit()->setText("2015-02-01");
        QVERIFY(dialog.okButton()->isEnabled());
        chooseImportColumn(dialog.timeCombo(), -1);
        QVERIFY(!dialog.okButton()->isEnabled());
        QVERIFY2(dialog.problem().contains("time column"), qPrintable(dialog.problem()));
        chooseImportColumn(dialog.timeCombo(), 3);
        dialog.filtersForm()->sinceEdit()->setText("2015-13-01");
        QVERIFY(!dialog.okButton()->isEnabled());
        QVERIFY2(dialog.problem().contains("Since"), qPrintable(dialog.problem()));
        dialog.filtersForm()->sinceEdit()->clear();
        QVERIFY(dialog.okButton()->isEnabled());

        // An items file that does not exist is a reason too.
        dialog.itemsForm()->setItems(dir_.filePath("missing.csv"), lens::ItemsFormat{});
        QVERIFY(!dialog.okButton()->isEnabled());
        QVERIFY2(dialog.problem().contains("missing.csv"), qPrintable(dialog.problem()));
    }

    void descriptorFromWidgets() {
        {
            ImportDialog dialog(tsv_);
            QCOMPARE(dialog.format(),
                     lens::parseInteractionFormat("user=userId,item=movieId,rating=rating,"
                                                  "time=timestamp,sep=tab,header=yes"));
            chooseImportColumn(dialog.ratingCombo(), -1);
            chooseImportColumn(dialog.userCombo(), 1);
            chooseImportColumn(dialog.itemCombo(), 0);
            QCOMPARE(dialog.format(),
                     lens::parseInteractionFormat(
                         "item=userId,user=movieId,time=timestamp,sep=\\t,header=yes"));
            dialog.filtersForm()->kCoreSpin()->setValue(3);
            dialog.filtersForm()->sinceEdit()->setText("2015-02-01");
            dialog.filtersForm()->untilEdit()->setText("2015-06-30");
            const lens::LoadFilters filters = dialog.choice().filters;
            QCOMPARE(filters.kCore, 3);
            QCOMPARE(filters.minUserRatings, 0);
            // 2015-02-01T00:00:00Z and 2015-06-30T23:59:59Z (date -u -d ... +%s).
            QCOMPARE(filters.since, std::optional<std::uint32_t>(1422748800));
            QCOMPARE(filters.until, std::optional<std::uint32_t>(1435708799));
        }
        {
            ImportDialog dialog(csv_);
            QCOMPARE(dialog.format(), lens::parseInteractionFormat(
                                          "user=0,item=1,rating=2,time=3,sep=comma,header=no"));
            const lens::LoadOptions options = dialog.choice().loadOptions();
            QVERIFY(options.format);
            QCOMPARE(*options.format, dialog.format());
            QVERIFY(options.itemsFile.empty());
            QVERIFY(!options.itemsFormat);
            QVERIFY(!options.filters.any());
        }
    }

    // Seconds from python's calendar.timegm; an until date runs to the day's last second.
    void filterDates_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("endOfDay");
        QTest::addColumn<qint64>("seconds");  // -1: refused
        QTest::addColumn<QString>("shownAs");
        QTest::newRow("since day") << "2016-02-29" << false << qint64(1456704000) << "2016-02-29";
        QTest::newRow("until day") << "2016-02-29" << true << qint64(1456790399) << "2016-02-29";
        QTest::newRow("date-time")
            << "2015-02-01T12:30:00Z" << true << qint64(1422793800) << "2015-02-01T12:30:00Z";
        QTest::newRow("unix seconds")
            << "1422793800" << false << qint64(1422793800) << "2015-02-01T12:30:00Z";
        QTest::newRow("no such day") << "2015-02-29" << false << qint64(-1) << "";
        QTest::newRow("not a date") << "last year" << false << qint64(-1) << "";
    }

    void filterDates() {
        QFETCH(QString, text);
        QFETCH(bool, endOfDay);
        QFETCH(qint64, seconds);
        QFETCH(QString, shownAs);
        const auto parsed = lens::ui::LoadFiltersForm::parseDate(text, endOfDay);
        QCOMPARE(parsed ? qint64(*parsed) : qint64(-1), seconds);
        if (parsed) QCOMPARE(lens::ui::LoadFiltersForm::dateText(*parsed, endOfDay), shownAs);
        lens::ui::LoadFiltersForm form;
        (endOfDay ? form.untilEdit() : form.sinceEdit())->setText(text);
        QCOMPARE(form.problem().isEmpty(), seconds >= 0);
    }

    void itemsFileMapping() {
        const QString items = dir_.filePath("items.csv");
        lens::test::writeFile(items,
                              "itemId,title,categories\n101,\"Blue, Train\",Jazz|Bop\n"
                              "102,Kind of Blue,Jazz\n");
        ImportDialog dialog(tsv_);
        auto* form = dialog.itemsForm();
        form->pathEdit()->setText(items);
        QMetaObject::invokeMethod(form->pathEdit(), "editingFinished");
        QCOMPARE(form->idCombo()->currentData().toInt(), 0);
        QCOMPARE(form->titleCombo()->currentData().toInt(), 1);
        QCOMPARE(form->categoriesCombo()->currentData().toInt(), 2);
        QCOMPARE(form->format(),
                 lens::parseItemsFormat("id=itemId,title=title,categories="
                                        "categories,sep=comma,catsep=|,header=yes"));
        QVERIFY(dialog.okButton()->isEnabled());
        chooseImportColumn(form->idCombo(), -1);
        QVERIFY(!dialog.okButton()->isEnabled());
        QVERIFY2(dialog.problem().contains("id column"), qPrintable(dialog.problem()));
    }

    void everyControlHasATooltip() {
        ImportDialog dialog(tsv_);
        QStringList missing;
        for (QWidget* w : dialog.findChildren<QWidget*>()) {
            const bool control = qobject_cast<QComboBox*>(w) || qobject_cast<QSpinBox*>(w) ||
                                 qobject_cast<QPushButton*>(w) || qobject_cast<QTableView*>(w) ||
                                 (qobject_cast<QLineEdit*>(w) &&
                                  !qobject_cast<QAbstractSpinBox*>(w->parentWidget()));
            if (control && w->toolTip().isEmpty())
                missing << QStringLiteral("%1 %2").arg(w->metaObject()->className(),
                                                       w->objectName());
        }
        QVERIFY2(missing.isEmpty(), qPrintable(missing.join(", ")));
    }

    void rememberedPerFile() {
        const QString items = dir_.filePath("remembered-items.tsv");
        lens::test::writeFile(items, "101\tFirst\tA|B\n102\tSecond\tB\n");
        {
            ImportDialog dialog(tsv_);
            chooseImportColumn(dialog.ratingCombo(), -1);
            chooseImportColumn(dialog.timeCombo(), 2);  // the rating column read as a time
            dialog.itemsForm()->setItems(items,
                                         lens::parseItemsFormat("id=0,title=1,categories=2"));
            dialog.filtersForm()->minUserSpin()->setValue(4);
            dialog.filtersForm()->untilEdit()->setText("2016-03-31");
            QVERIFY2(dialog.okButton()->isEnabled(), qPrintable(dialog.problem()));
            QTest::mouseClick(dialog.okButton(), Qt::LeftButton);
            QCOMPARE(dialog.result(), int(QDialog::Accepted));
        }
        {
            ImportDialog dialog(tsv_);
            QVERIFY(dialog.restoredFromMemory());
            QCOMPARE(importColumnOf(dialog.ratingCombo()), -1);
            QCOMPARE(importColumnOf(dialog.timeCombo()), 2);
            QCOMPARE(dialog.format(),
                     lens::parseInteractionFormat(
                         "user=userId,item=movieId,time=rating,sep=tab,header=yes"));
            QCOMPARE(dialog.itemsForm()->path(), QFileInfo(items).absoluteFilePath());
            QCOMPARE(dialog.itemsForm()->titleCombo()->currentData().toInt(), 1);
            QCOMPARE(dialog.filtersForm()->minUserSpin()->value(), 4);
            QCOMPARE(dialog.filtersForm()->untilEdit()->text(), QString("2016-03-31"));
            QCOMPARE(dialog.choice().filters.until, std::optional<std::uint32_t>(1459468799));
        }
        // The same file by another spelling of its path is the same file; another file is not.
        ImportDialog again(dir_.path() + "/./ratings.tsv");
        QVERIFY(again.restoredFromMemory());
        ImportDialog other(csv_);
        QVERIFY(!other.restoredFromMemory());
        QVERIFY(!lens::ui::importmemory::recall(csv_));
        // Cancel remembers nothing.
        other.reject();
        QVERIFY(!lens::ui::importmemory::recall(csv_));
    }

private:
    QTemporaryDir dir_;
    QString tsv_;
    QString csv_;
};

QTEST_MAIN(TestImportDialog)
#include "tst_import_dialog.moc"
