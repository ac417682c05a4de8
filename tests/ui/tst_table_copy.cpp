// Copying from tables (ui/TableCopy): Ctrl+C on a real QTableView over a QStandardItemModel puts
// the selected cells on the clipboard as TSV with a header row of the visible column titles (rows
// in visual order, hidden columns skipped, the current row when nothing is selected) and as an
// HTML table; the "Copy" context-menu entry joins existing menus without replacing them.
#include <QtTest>

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QHeaderView>
#include <QListWidget>
#include <QMenu>
#include <QMimeData>
#include <QStandardItemModel>
#include <QTableView>
#include <QTreeWidget>

#include "TableCopy.h"
#include "UiTestSetup.h"

using namespace lens::ui;

namespace {

using Cell = QPair<int, int>;  // row, column

// A 4 x 3 table: Name, Year (numbers), Note.
QStandardItemModel* makeModel(QObject* parent) {
    auto* model = new QStandardItemModel(4, 3, parent);
    model->setHorizontalHeaderLabels(
        {QStringLiteral("Name"), QStringLiteral("Year"), QStringLiteral("Note")});
    const QStringList names = {QStringLiteral("Alien"), QStringLiteral("Heat"),
                               QStringLiteral("Up"), QStringLiteral("Tom & <Jerry>")};
    const int years[] = {1979, 1995, 2009, 1992};
    const QStringList notes = {QStringLiteral("space"), QStringLiteral("tab\there"),
                               QStringLiteral("two\nlines"), QString()};
    for (int r = 0; r < 4; ++r) {
        model->setItem(r, 0, new QStandardItem(names[r]));
        auto* year = new QStandardItem;
        year->setData(years[r], Qt::DisplayRole);
        model->setItem(r, 1, year);
        model->setItem(r, 2, new QStandardItem(notes[r]));
    }
    return model;
}

}  // namespace

class TestTableCopy : public QObject {
    Q_OBJECT

    std::unique_ptr<QTableView> view_;
    QAction* copy_ = nullptr;

    // Shows the view in an active window with the keyboard focus, so that the WidgetShortcut
    // fires the way it does for a user.
    void showFocused(QWidget* view) {
        view->show();
        view->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(view));
        view->setFocus();
        QTRY_VERIFY(view->hasFocus());
    }

    void select(const QList<Cell>& cells) {
        QItemSelectionModel* selection = view_->selectionModel();
        selection->clearSelection();
        for (const Cell& c : cells)
            selection->select(view_->model()->index(c.first, c.second),
                              QItemSelectionModel::Select);
    }

    static QString pressCopy(QWidget* view) {
        QGuiApplication::clipboard()->clear();
        QTest::keySequence(view, QKeySequence::Copy);
        return QGuiApplication::clipboard()->text();
    }

public:
    static void initMain() { lens::test::useOffscreenPlatform(); }

private slots:
    void initTestCase() {
        QVERIFY2(lens::test::startIsolatedUiTest("tst_table_copy"), "no font installed");
        QLocale::setDefault(QLocale::c());  // numbers as "1979" whatever the machine's locale
    }

    void init() {
        view_ = std::make_unique<QTableView>();
        view_->setModel(makeModel(view_.get()));
        view_->setSelectionMode(QAbstractItemView::ExtendedSelection);
        view_->setLocale(QLocale::c());
        view_->resize(500, 300);
        copy_ = enableTableCopy(view_.get());
        QVERIFY(copy_);
        showFocused(view_.get());
    }

    void cleanup() { view_.reset(); }

    void copiesSelectionAsTsv_data() {
        QTest::addColumn<QList<Cell>>("cells");
        QTest::addColumn<QString>("expected");
        QTest::newRow("one cell") << QList<Cell>{{1, 0}} << QStringLiteral("Name\nHeat\n");
        QTest::newRow("block") << QList<Cell>{{0, 0}, {0, 1}, {1, 0}, {1, 1}}
                               << QStringLiteral("Name\tYear\nAlien\t1979\nHeat\t1995\n");
        // Rows come out in visual order whatever the order of selecting.
        QTest::newRow("rows selected bottom-up")
            << QList<Cell>{{2, 1}, {0, 1}} << QStringLiteral("Year\n1979\n2009\n");
        // A ragged selection keeps its shape: unselected cells of a used column stay empty.
        QTest::newRow("ragged") << QList<Cell>{{0, 0}, {1, 1}}
                                << QStringLiteral("Name\tYear\nAlien\t\n\t1995\n");
        // Tabs and line breaks inside a cell would break the TSV: they become spaces.
        QTest::newRow("tab and newline in cells")
            << QList<Cell>{{1, 2}, {2, 2}} << QStringLiteral("Note\ntab here\ntwo lines\n");
    }

    void copiesSelectionAsTsv() {
        QFETCH(QList<Cell>, cells);
        QFETCH(QString, expected);
        select(cells);
        QCOMPARE(pressCopy(view_.get()), expected);
    }

    void wholeRowSelectionCopiesTheRow() {
        view_->setSelectionBehavior(QAbstractItemView::SelectRows);
        view_->selectRow(2);
        QCOMPARE(pressCopy(view_.get()), QStringLiteral("Name\tYear\tNote\nUp\t2009\ttwo lines\n"));
    }

    void nothingSelectedCopiesCurrentRow() {
        view_->selectionModel()->setCurrentIndex(view_->model()->index(1, 1),
                                                 QItemSelectionModel::NoUpdate);
        view_->selectionModel()->clearSelection();
        QVERIFY(view_->selectionModel()->selectedIndexes().isEmpty());
        QCOMPARE(pressCopy(view_.get()),
                 QStringLiteral("Name\tYear\tNote\nHeat\t1995\ttab here\n"));
    }

    void hiddenColumnsSkippedMovedColumnsInVisualOrder() {
        view_->setColumnHidden(1, true);
        view_->horizontalHeader()->moveSection(2, 0);  // Note shown first
        view_->selectAll();
        QCOMPARE(pressCopy(view_.get()),
                 QStringLiteral("Note\tName\nspace\tAlien\ntab here\tHeat\ntwo lines\tUp\n"
                                "\tTom & <Jerry>\n"));
    }

    void rowsInVisualOrderAfterSortingAndMoving() {
        view_->setSortingEnabled(true);
        view_->sortByColumn(1, Qt::DescendingOrder);  // Up 2009, Heat 1995, Tom 1992, Alien 1979
        view_->verticalHeader()->moveSection(3, 0);   // Alien moved to the top
        select({{0, 0}, {1, 0}, {3, 0}});             // Up, Heat, Alien
        QCOMPARE(pressCopy(view_.get()), QStringLiteral("Name\nAlien\nUp\nHeat\n"));
    }

    void htmlTableOnClipboard() {
        select({{3, 0}, {3, 1}});
        QGuiApplication::clipboard()->clear();
        QTest::keySequence(view_.get(), QKeySequence::Copy);
        const QMimeData* mime = QGuiApplication::clipboard()->mimeData();
        QVERIFY(mime);
        QVERIFY(mime->hasHtml());
        const QString html = mime->html();
        QVERIFY2(html.contains(QStringLiteral("<table")), qPrintable(html));
        QVERIFY2(html.contains(QStringLiteral("<th>Name</th><th>Year</th>")), qPrintable(html));
        QVERIFY2(html.contains(QStringLiteral("<td>Tom &amp; &lt;Jerry&gt;</td><td>1992</td>")),
                 qPrintable(html));
        QCOMPARE(mime->text(), QStringLiteral("Name\tYear\nTom & <Jerry>\t1992\n"));
    }

    void contextMenuEntryTriggersCopy() {
        QCOMPARE(view_->contextMenuPolicy(), Qt::ActionsContextMenu);
        QVERIFY(view_->actions().contains(copy_));
        QCOMPARE(copy_->text(), QStringLiteral("Copy"));
        QCOMPARE(copy_->shortcut(), QKeySequence(QKeySequence::Copy));
        QCOMPARE(copy_->shortcutContext(), Qt::WidgetShortcut);
        QVERIFY(copy_->toolTip().contains(
            QKeySequence(QKeySequence::Copy).toString(QKeySequence::NativeText)));
        // Enabling twice adds nothing.
        QCOMPARE(enableTableCopy(view_.get()), copy_);
        QCOMPARE(view_->actions().count(copy_), 1);
        select({{0, 0}});
        QGuiApplication::clipboard()->clear();
        copy_->trigger();  // what the menu entry does
        QCOMPARE(QGuiApplication::clipboard()->text(), QStringLiteral("Name\nAlien\n"));
    }

    void existingContextMenusKept() {
        // Actions menu: the existing entry stays, Copy is added.
        QTableView withActions;
        withActions.setModel(makeModel(&withActions));
        withActions.setContextMenuPolicy(Qt::ActionsContextMenu);
        auto* remove = new QAction(QStringLiteral("Remove"), &withActions);
        withActions.addAction(remove);
        QAction* copy = enableTableCopy(&withActions);
        QCOMPARE(withActions.contextMenuPolicy(), Qt::ActionsContextMenu);
        QCOMPARE(withActions.actions(), (QList<QAction*>{remove, copy}));
        // Custom menu: left to its owner (who adds the returned action); the shortcut still works.
        QTableView custom;
        custom.setModel(makeModel(&custom));
        custom.setContextMenuPolicy(Qt::CustomContextMenu);
        QAction* customCopy = enableTableCopy(&custom);
        QCOMPARE(custom.contextMenuPolicy(), Qt::CustomContextMenu);
        QVERIFY(custom.actions().contains(customCopy));
        // Prevented menu stays prevented.
        QTableView prevented;
        prevented.setContextMenuPolicy(Qt::PreventContextMenu);
        enableTableCopy(&prevented);
        QCOMPARE(prevented.contextMenuPolicy(), Qt::PreventContextMenu);
    }

    void nothingToCopyLeavesClipboard() {
        QTableView empty;
        empty.setModel(new QStandardItemModel(0, 2, &empty));
        QGuiApplication::clipboard()->setText(QStringLiteral("before"));
        QVERIFY(!copyTableSelection(&empty));
        QCOMPARE(QGuiApplication::clipboard()->text(), QStringLiteral("before"));
        QVERIFY(tableCopySelection(&empty).isEmpty());
    }

    void treeAndListViews() {
        // A tree widget: header titles, rows depth first.
        QTreeWidget tree;
        tree.setHeaderLabels({QStringLiteral("Genre"), QStringLiteral("Movies")});
        auto* drama = new QTreeWidgetItem(&tree, {QStringLiteral("Drama"), QStringLiteral("10")});
        new QTreeWidgetItem(drama, {QStringLiteral("Noir"), QStringLiteral("2")});
        new QTreeWidgetItem(&tree, {QStringLiteral("Comedy"), QStringLiteral("7")});
        tree.expandAll();
        tree.setSelectionMode(QAbstractItemView::ExtendedSelection);
        tree.selectAll();
        QCOMPARE(tableCopyTsv(tableCopySelection(&tree)),
                 QStringLiteral("Genre\tMovies\nDrama\t10\nNoir\t2\nComedy\t7\n"));
        // A list has no column header: just the lines.
        QListWidget list;
        list.addItems({QStringLiteral("one"), QStringLiteral("two"), QStringLiteral("three")});
        list.setSelectionMode(QAbstractItemView::ExtendedSelection);
        list.item(2)->setSelected(true);
        list.item(0)->setSelected(true);
        enableTableCopy(&list);
        showFocused(&list);
        QCOMPARE(pressCopy(&list), QStringLiteral("one\nthree\n"));
    }
};

QTEST_MAIN(TestTableCopy)
#include "tst_table_copy.moc"
