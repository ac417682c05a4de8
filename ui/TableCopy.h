#pragma once
// Copying from the app's tables: Ctrl+C (QKeySequence::Copy) and a "Copy" context-menu entry on
// any QAbstractItemView (QTableView, QTreeView/QTreeWidget, QListView/QListWidget) put the selected
// cells on the clipboard twice: as tab-separated text for spreadsheets and editors, and as an HTML
// table (text/html) so that a word processor keeps the table.
//
// What is copied (TableCopySelection):
// - rows in the order the view shows them (a table's vertical header order; a tree depth first),
//   columns in the header's visual order, hidden columns and hidden rows skipped;
// - the columns are every visible column that holds a selected cell (a whole-row selection copies
//   the whole row); a cell of such a column that is not selected stays empty, so a ragged
//   selection keeps its shape;
// - nothing selected: the current row, all visible columns;
// - a first row with the visible column titles, for views with a column header (tables, trees);
// - cell text as the view displays it (the delegate's displayText, e.g. locale numbers); tabs and
//   line breaks inside a cell become spaces in the TSV.
#include <QString>
#include <QStringList>

class QAbstractItemView;
class QAction;
class QMimeData;

namespace lens::ui {

// The cells a copy takes, ready to be written as TSV or HTML.
struct TableCopySelection {
    QStringList header;       // visible column titles (empty for a view without a column header)
    QList<QStringList> rows;  // one list per row, as many cells as header columns
    bool isEmpty() const { return rows.isEmpty(); }
};

// What a copy would take from `view` now (see the rules above).
TableCopySelection tableCopySelection(const QAbstractItemView* view);

// The selection as tab-separated text (header row first, '\n' after every row) and as an HTML
// <table> (header cells <th>, text HTML-escaped).
QString tableCopyTsv(const TableCopySelection& selection);
QString tableCopyHtml(const TableCopySelection& selection);

// Both formats in one QMimeData (text/plain and text/html); the caller owns it.
QMimeData* tableCopyMimeData(const QAbstractItemView* view);

// Copies the selection of `view` to the clipboard now; false (clipboard untouched) when there is
// nothing to copy.
bool copyTableSelection(const QAbstractItemView* view);

// Adds the copy action to `view` (once; later calls return the same action): Ctrl+C with a
// WidgetShortcut context (an open cell editor keeps its own Ctrl+C), and a "Copy" context-menu
// entry. Context menus: a view with the default policy (or none) gets an actions context menu,
// which also lists the view's other actions; a view that already uses actions keeps them with
// "Copy" added; a view with a custom menu (CustomContextMenu) keeps it: add the returned action to
// that menu; a view whose menu is prevented (PreventContextMenu) keeps only the shortcut.
QAction* enableTableCopy(QAbstractItemView* view);

}  // namespace lens::ui
