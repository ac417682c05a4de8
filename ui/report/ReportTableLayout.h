#pragma once
// Column widths of a report table on a page, so that no cell breaks inside a word. Like HTML's
// automatic table layout, with one guarantee: no column is narrower than its longest word (a run
// of characters without white space, in its header or any of its cells). Each column first gets
// its longest word; what is left of the page goes to the columns whose text would still wrap, in
// proportion to the width that text would need on one line. When even the longest words do not
// fit side by side, the table is split by columns into parts that do, each part repeating the
// first (key) column, so the reader can still tell the rows apart.
//
// ReportDocument writes every table through this (HTML and PDF alike); the widths are in the
// 96-dpi pixels QTextDocument lays out in, and include the cell's padding and border.
#include <QFont>
#include <QList>

#include "report/ReportDocument.h"

namespace lens::ui {

// The fonts and cell box of the report's tables (ReportDocument's style sheet says the same).
struct ReportTableStyle {
    QFont cellFont;
    QFont headerFont;
    double horizontalPadding = 5.0;  // each side of a cell
    double border = 1.0;
    static ReportTableStyle standard();
    double cellBox() const { return 2.0 * horizontalPadding + border; }
};

struct ReportTablePart {
    QList<int> columns;    // indices into the table's header and rows
    QList<double> widths;  // px, aligned with columns: content + padding + border
};

// The widest run of non-white-space characters of `text` in `font`, px.
double longestWordWidth(const QString& text, const QFont& font);

// The parts of `table` (one when it fits in `availableWidth` px) with their column widths.
QList<ReportTablePart> layoutReportTable(
    const ReportTable& table, double availableWidth,
    const ReportTableStyle& style = ReportTableStyle::standard());

}  // namespace lens::ui
