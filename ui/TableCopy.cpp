#include "TableCopy.h"

#include <QAbstractItemView>
#include <QAction>
#include <QClipboard>
#include <QCoreApplication>
#include <QGuiApplication>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QListView>
#include <QMimeData>
#include <QStyledItemDelegate>
#include <QTableView>
#include <QTreeView>
#include <algorithm>
#include <map>
#include <set>
#include <vector>

namespace lens::ui {

namespace {

const QString kCopyActionName = QStringLiteral("lensTableCopyAction");

// The view's column header (null for list views); tables and trees only.
const QHeaderView* columnHeader(const QAbstractItemView* view) {
    if (const auto* table = qobject_cast<const QTableView*>(view)) return table->horizontalHeader();
    if (const auto* tree = qobject_cast<const QTreeView*>(view)) return tree->header();
    return nullptr;
}

bool isColumnShown(const QAbstractItemView* view, int column) {
    if (const auto* table = qobject_cast<const QTableView*>(view))
        return !table->isColumnHidden(column);
    if (const auto* tree = qobject_cast<const QTreeView*>(view))
        return !tree->isColumnHidden(column);
    if (const auto* list = qobject_cast<const QListView*>(view))
        return column == list->modelColumn();
    return true;
}

bool isRowShown(const QAbstractItemView* view, const QModelIndex& index) {
    if (const auto* table = qobject_cast<const QTableView*>(view))
        return !table->isRowHidden(index.row());
    if (const auto* tree = qobject_cast<const QTreeView*>(view))
        return !tree->isRowHidden(index.row(), index.parent());
    if (const auto* list = qobject_cast<const QListView*>(view))
        return !list->isRowHidden(index.row());
    return true;
}

// Where a row appears on screen, as a sortable key: a table's vertical header position; a tree's
// path of rows from the root (depth-first order); a list's row.
std::vector<int> visualRowKey(const QAbstractItemView* view, const QModelIndex& index) {
    if (const auto* table = qobject_cast<const QTableView*>(view))
        return {table->verticalHeader()->visualIndex(index.row())};
    std::vector<int> path;
    for (QModelIndex i = index; i.isValid() && i != view->rootIndex(); i = i.parent())
        path.push_back(i.row());
    std::reverse(path.begin(), path.end());
    return path;
}

// The visible columns in the header's visual order.
std::vector<int> visibleColumnsInVisualOrder(const QAbstractItemView* view,
                                             const QModelIndex& parent) {
    const QAbstractItemModel* model = view->model();
    std::vector<int> columns;
    for (int c = 0; c < model->columnCount(parent); ++c)
        if (isColumnShown(view, c)) columns.push_back(c);
    if (const QHeaderView* header = columnHeader(view))
        std::stable_sort(columns.begin(), columns.end(), [header](int a, int b) {
            return header->visualIndex(a) < header->visualIndex(b);
        });
    return columns;
}

QString cellText(const QAbstractItemView* view, const QModelIndex& index) {
    const QVariant value = index.data(Qt::DisplayRole);
    if (!value.isValid()) return {};
    QString text;
    if (const auto* delegate =
            qobject_cast<const QStyledItemDelegate*>(view->itemDelegateForIndex(index)))
        text = delegate->displayText(value, view->locale());
    else
        text = value.toString();
    // One cell stays one TSV field.
    for (QChar& ch : text)
        if (ch == QLatin1Char('\t') || ch == QLatin1Char('\n') || ch == QLatin1Char('\r') ||
            ch == QChar::LineSeparator || ch == QChar::ParagraphSeparator)
            ch = QLatin1Char(' ');
    return text;
}

}  // namespace

TableCopySelection tableCopySelection(const QAbstractItemView* view) {
    TableCopySelection out;
    if (!view || !view->model()) return out;
    const QAbstractItemModel* model = view->model();
    const bool isTree = qobject_cast<const QTreeView*>(view) != nullptr;

    // Selected cells grouped by row, keyed by the row's place on screen.
    struct Row {
        QModelIndex first;              // column 0 of the row
        std::set<int> selectedColumns;  // empty: every visible column
        bool all = false;
    };
    std::map<std::vector<int>, Row> rows;
    std::set<int> usedColumns;
    if (const QItemSelectionModel* selection = view->selectionModel()) {
        for (const QModelIndex& index : selection->selectedIndexes()) {
            if (!isTree && index.parent() != view->rootIndex()) continue;
            if (!isRowShown(view, index) || !isColumnShown(view, index.column())) continue;
            Row& row = rows[visualRowKey(view, index)];
            row.first = index.siblingAtColumn(0);
            row.selectedColumns.insert(index.column());
            usedColumns.insert(index.column());
        }
    }
    if (rows.empty()) {
        const QModelIndex current = view->currentIndex();
        if (!current.isValid() || !isRowShown(view, current)) return out;
        Row& row = rows[visualRowKey(view, current)];
        row.first = current.siblingAtColumn(0);
        row.all = true;
    }

    std::vector<int> columns =
        visibleColumnsInVisualOrder(view, rows.begin()->second.first.parent());
    if (!usedColumns.empty())
        columns.erase(std::remove_if(columns.begin(), columns.end(),
                                     [&usedColumns](int c) { return !usedColumns.count(c); }),
                      columns.end());

    const QHeaderView* header = columnHeader(view);
    if (header && !header->isHidden())
        for (int c : columns)
            out.header << model->headerData(c, Qt::Horizontal, Qt::DisplayRole).toString();

    for (const auto& [key, row] : rows) {
        QStringList cells;
        for (int c : columns) {
            const bool taken = row.all || row.selectedColumns.count(c) > 0;
            cells << (taken ? cellText(view, row.first.siblingAtColumn(c)) : QString());
        }
        out.rows << cells;
    }
    return out;
}

QString tableCopyTsv(const TableCopySelection& selection) {
    QString text;
    if (!selection.header.isEmpty()) text += selection.header.join(QLatin1Char('\t')) + u'\n';
    for (const QStringList& row : selection.rows) text += row.join(QLatin1Char('\t')) + u'\n';
    return text;
}

QString tableCopyHtml(const TableCopySelection& selection) {
    QString html = QStringLiteral("<table border=\"1\" cellspacing=\"0\" cellpadding=\"3\">");
    if (!selection.header.isEmpty()) {
        html += QStringLiteral("<thead><tr>");
        for (const QString& title : selection.header)
            html += QStringLiteral("<th>%1</th>").arg(title.toHtmlEscaped());
        html += QStringLiteral("</tr></thead>");
    }
    html += QStringLiteral("<tbody>");
    for (const QStringList& row : selection.rows) {
        html += QStringLiteral("<tr>");
        for (const QString& cell : row)
            html += QStringLiteral("<td>%1</td>").arg(cell.toHtmlEscaped());
        html += QStringLiteral("</tr>");
    }
    html += QStringLiteral("</tbody></table>");
    return html;
}

QMimeData* tableCopyMimeData(const QAbstractItemView* view) {
    const TableCopySelection selection = tableCopySelection(view);
    if (selection.isEmpty()) return nullptr;
    auto* mime = new QMimeData;
    mime->setText(tableCopyTsv(selection));
    mime->setHtml(tableCopyHtml(selection));
    return mime;
}

bool copyTableSelection(const QAbstractItemView* view) {
    QMimeData* mime = tableCopyMimeData(view);
    if (!mime) return false;
    QGuiApplication::clipboard()->setMimeData(mime);  // the clipboard takes ownership
    return true;
}

QAction* enableTableCopy(QAbstractItemView* view) {
    if (!view) return nullptr;
    if (auto* existing = view->findChild<QAction*>(kCopyActionName, Qt::FindDirectChildrenOnly))
        return existing;
    auto* action = new QAction(QCoreApplication::translate("TableCopy", "Copy"), view);
    action->setObjectName(kCopyActionName);
    action->setShortcut(QKeySequence::Copy);
    action->setShortcutContext(Qt::WidgetShortcut);
    const QString shortcut = action->shortcut().toString(QKeySequence::NativeText);
    action->setToolTip(QCoreApplication::translate(
                           "TableCopy",
                           "Copy the selected cells with their column titles, as tab-separated "
                           "text and as a table (%1)")
                           .arg(shortcut));
    action->setStatusTip(action->toolTip());
    QObject::connect(action, &QAction::triggered, view, [view] { copyTableSelection(view); });
    view->addAction(action);
    switch (view->contextMenuPolicy()) {
        case Qt::DefaultContextMenu:  // item views show no menu of their own
        case Qt::NoContextMenu:
            view->setContextMenuPolicy(Qt::ActionsContextMenu);
            break;
        case Qt::ActionsContextMenu:  // the new action joins the existing ones
        case Qt::CustomContextMenu:   // the owner adds the returned action to its menu
        case Qt::PreventContextMenu:  // deliberately no menu
            break;
    }
    return action;
}

}  // namespace lens::ui
