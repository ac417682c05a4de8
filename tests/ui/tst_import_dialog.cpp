// The import dialog for a user's own interaction file, on real files in a temporary folder and
// the real widgets: the preview and guessed mapping of a TSV with a header and of a headerless
// CSV, re-sniffing when the separator changes, OK disabled (with its reason) for an incomplete
// or contradictory mapping, the descriptor the widgets build, the choices remembered per file,
// and accepting: the file loads through DatasetController with its mapping, items file and
// filters, and the Load panel shows its scale, its filters' results and its categories as genres.
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

namespace {

// One interaction as the fixture writes it.
struct ImportRecord {
    QString user, item, rating, time;
};

// 40 users x 15 items, about three quarters of the pairs, ratings 1..10 (all ten present),
// one day apart from 2015-01-01. Users with few items exist (user u rates items i with
// (u * 7 + i * 3) % 4 != 0, and users 36..39 only the first few items) so that a k-core removes
// something.
std::vector<ImportRecord> numericRecords() {
    std::vector<ImportRecord> out;
    const std::uint32_t start = 1420070400;  // 2015-01-01T00:00:00Z
    for (int u = 1; u <= 40; ++u)
        for (int i = 1; i <= 15; ++i) {
            if ((u * 7 + i * 3) % 4 == 0) continue;
            if (u > 35 && i > u - 34) continue;  // users 36..39 rate 2..5 items
            const int rating = 1 + (u * 5 + i * 11) % 10;
            const std::uint32_t t = start + static_cast<std::uint32_t>((u * 15 + i) * 86400);
            out.push_back({QString::number(u), QString::number(100 + i), QString::number(rating),
                           QString::number(t)});
        }
    return out;
}

QByteArray joined(const std::vector<ImportRecord>& records, char sep, const QByteArray& header,
                  bool withRating = true) {
    QByteArray text = header;
    for (const ImportRecord& r : records) {
        text += r.user.toUtf8() + sep + r.item.toUtf8();
        if (withRating) text += sep + r.rating.toUtf8();
        text += sep + r.time.toUtf8() + '\n';
    }
    return text;
}

// Headerless CSV with string ids and ISO dates, ratings 0.5..5 in halves.
std::vector<ImportRecord> stringRecords() {
    std::vector<ImportRecord> out;
    for (int u = 1; u <= 12; ++u)
        for (int i = 1; i <= 9; ++i) {
            if ((u + i) % 3 == 0) continue;
            const int halves = 1 + (u * 3 + i * 7) % 10;
            out.push_back({QStringLiteral("u-%1").arg(u), QStringLiteral("item %1").arg(i),
                           QString::number(halves / 2.0, 'f', 1),
                           QStringLiteral("2016-%1-%2")
                               .arg(1 + u % 12, 2, 10, QLatin1Char('0'))
                               .arg(1 + i, 2, 10, QLatin1Char('0'))});
        }
    return out;
}

// The iterative k-core of `records` (distinct user-item pairs): drop every user and item with
// fewer than k interactions, repeat until none is dropped. A plain fixed-point loop.
std::set<std::pair<QString, QString>> kCoreOf(const std::vector<ImportRecord>& records, int k) {
    std::set<std::pair<QString, QString>> pairs;
    for (const ImportRecord& r : records) pairs.insert({r.user, r.item});
    for (bool changed = true; changed;) {
        std::map<QString, int> users, items;
        for (const auto& p : pairs) {
            ++users[p.first];
            ++items[p.second];
        }
        changed = false;
        for (auto it = pairs.begin(); it != pairs.end();) {
            if (users[it->first] < k || items[it->second] < k) {
                it = pairs.erase(it);
                changed = true;
            } else {
                ++it;
            }
        }
    }
    return pairs;
}

// How many colours a sample of the image's pixels holds.
int distinctColours(const QImage& image) {
    std::set<QRgb> colours;
    for (int y = 0; y < image.height(); y += 7)
        for (int x = 0; x < image.width(); x += 7) colours.insert(image.pixel(x, y));
    return static_cast<int>(colours.size());
}

// With LENS_ATLAS_SCREENSHOT_DIR set, saves `image` there under `name` (for eyeballing).
void saveScreenshot(const QImage& image, const char* name) {
    const QString out = qEnvironmentVariable("LENS_ATLAS_SCREENSHOT_DIR");
    if (!out.isEmpty()) QVERIFY(image.save(QDir(out).filePath(QLatin1String(name))));
}

int columnOf(const QComboBox* combo) {
    return combo->currentData().toInt();
}

void chooseColumn(QComboBox* combo, int column) {
    combo->setCurrentIndex(combo->findData(column));
}

}  // namespace

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
        tsv_ = dir_.filePath("ratings.tsv");
        csv_ = dir_.filePath("events.csv");
        lens::test::writeFile(
            tsv_, joined(numericRecords(), '\t', "userId\tmovieId\trating\ttimestamp\n"));
        lens::test::writeFile(csv_, joined(stringRecords(), ',', {}));
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
        QCOMPARE(columnOf(dialog.userCombo()), 0);
        QCOMPARE(columnOf(dialog.itemCombo()), 1);
        QCOMPARE(columnOf(dialog.ratingCombo()), 2);
        QCOMPARE(columnOf(dialog.timeCombo()), 3);
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
        QCOMPARE(columnOf(dialog.userCombo()), 0);
        QCOMPARE(columnOf(dialog.itemCombo()), 1);
        QCOMPARE(columnOf(dialog.ratingCombo()), 2);
        QCOMPARE(columnOf(dialog.timeCombo()), 3);
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
        QCOMPARE(columnOf(dialog.itemCombo()), 1);
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
        chooseColumn(dialog.ratingCombo(), 2);
        QVERIFY2(dialog.detectedText().contains("record 1's rating \"rating\" is not a number"),
                 qPrintable(dialog.detectedText()));
    }

    void okDisabledForIncompleteMapping() {
        ImportDialog dialog(tsv_);
        QVERIFY(dialog.okButton()->isEnabled());
        chooseColumn(dialog.userCombo(), -1);
        QVERIFY(!dialog.okButton()->isEnabled());
        QVERIFY2(dialog.problem().contains("user"), qPrintable(dialog.problem()));
        QCOMPARE(dialog.okButton()->toolTip(), dialog.problem());
        auto* problem = dialog.findChild<QLabel*>("importProblem");
        QVERIFY(problem && problem->text().contains(dialog.problem()));

        chooseColumn(dialog.userCombo(), 1);  // the item's column
        QVERIFY(!dialog.okButton()->isEnabled());
        QCOMPARE(dialog.problem(), QString("User and item must be different columns."));
        saveScreenshot(dialog.grab().toImage(), "import_dialog_problem.png");

        chooseColumn(dialog.userCombo(), 0);
        QVERIFY(dialog.okButton()->isEnabled());
        QVERIFY(dialog.problem().isEmpty());
        QVERIFY(problem->text().isEmpty());

        // Without a rating column: implicit feedback, still loadable.
        chooseColumn(dialog.ratingCombo(), -1);
        QVERIFY(dialog.okButton()->isEnabled());
        QVERIFY2(dialog.detectedText().endsWith(
                     "no rating column: implicit feedback — rating models will be disabled"),
                 qPrintable(dialog.detectedText()));

        // A date range without a time column cannot apply; an unreadable date is refused.
        dialog.filtersForm()->sinceEdit()->setText("2015-02-01");
        QVERIFY(dialog.okButton()->isEnabled());
        chooseColumn(dialog.timeCombo(), -1);
        QVERIFY(!dialog.okButton()->isEnabled());
        QVERIFY2(dialog.problem().contains("time column"), qPrintable(dialog.problem()));
        chooseColumn(dialog.timeCombo(), 3);
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
            chooseColumn(dialog.ratingCombo(), -1);
            chooseColumn(dialog.userCombo(), 1);
            chooseColumn(dialog.itemCombo(), 0);
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
        chooseColumn(form->idCombo(), -1);
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
            chooseColumn(dialog.ratingCombo(), -1);
            chooseColumn(dialog.timeCombo(), 2);  // the rating column read as a time
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
            QCOMPARE(columnOf(dialog.ratingCombo()), -1);
            QCOMPARE(columnOf(dialog.timeCombo()), 2);
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
        lens::test::writeFile(implicitFile, joined(records, '\t', "user\titem\ttime\n", false));

        DatasetController controller;
        RecentDatasets recent;
        LoadPanel panel(&controller, &recent);
        QSignalSpy changed(&controller, &DatasetController::datasetChanged);
        QSignalSpy failed(&controller, &DatasetController::loadFailed);
        ImportDialog* dialog = panel.importFile(implicitFile);
        QCOMPARE(columnOf(dialog->ratingCombo()), -1);
        QCOMPARE(columnOf(dialog->timeCombo()), 2);
        QVERIFY(dialog->detectedText().contains("implicit feedback"));
        dialog->itemsForm()->setItems(
            items, lens::parseItemsFormat("id=id,title=name,categories=tags,header=yes"));
        constexpr int k = 6;
        dialog->filtersForm()->kCoreSpin()->setValue(k);
        QVERIFY2(dialog->okButton()->isEnabled(), qPrintable(dialog->problem()));
        dialog->resize(900, 760);
        const QImage shot = dialog->grab().toImage();
        QVERIFY(!shot.isNull());
        QVERIFY(distinctColours(shot) > 8);  // drawn, not a blank rectangle
        saveScreenshot(shot, "import_dialog.png");
        QTest::mouseClick(dialog->okButton(), Qt::LeftButton);
        QVERIFY2(changed.wait(30000),
                 failed.isEmpty() ? "no dataset" : qPrintable(failed.at(0).at(0).toString()));
        const auto d = controller.dataset();
        QVERIFY(d);
        QVERIFY(d->scale.implicit);

        const auto core = kCoreOf(records, k);
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
        genres->setCurrentIndex(genres->findText("Jazz"));
        int jazz = 0;
        for (const auto& item : coreItems) jazz += (item.toInt() - 100) % 3 == 0;
        QCOMPARE(panel.movieProxy()->rowCount(), jazz);

        panel.resize(1280, 720);
        saveScreenshot(panel.grab().toImage(), "import_loaded.png");
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

QTEST_MAIN(TestImportDialog)
#include "tst_import_dialog.moc"
