#pragma once
// Pagination of a report laid out by QTextDocument (a document with a page size: page n covers
// y in [n·h, (n+1)·h) of the layout), and the checks that the result reads well on paper.
//
// keepTogether() moves to the next page every group of top-level items that would straddle a page
// boundary but fits on one page. Groups come from markers in the HTML: an empty anchor named
// kKeepWithNext in a block ties it to the item after it (a figure to its caption, a table's
// caption to the table), kKeepWithPrevious ties a block to the item before it (a caption to its
// figure, notes to their table), and headings always keep with what follows.
//
// The checks read positions from the layout: line breaks inside a word in table cells, the pages
// each table spans, the page of each figure and heading. The tests run them on whole reports; the
// `report` command could too.
#include <QList>
#include <QString>
#include <QStringList>

class QTextDocument;
class QTextBlock;

namespace lens::ui {

inline constexpr char kKeepWithNext[] = "keep-with-next";
inline constexpr char kKeepWithPrevious[] = "keep-with-previous";

// The page (0-based) of a y coordinate of the layout.
int pageOfY(const QTextDocument& document, double y);

// Inserts page breaks so that no keep-together group straddles two pages. Returns how many.
int keepTogether(QTextDocument& document);

struct TablePlacement {
    QString caption;  // the text of the block before the table
    int firstPage = 0, lastPage = 0;
    double left = 0.0, right = 0.0;  // px of the layout
};
QList<TablePlacement> tablePlacements(const QTextDocument& document);

// Every line break in a table cell that is not after white space or a hyphen, as
// "'<caption>' row R column C: '<text before>|<text after>'". Empty when none.
QStringList wordBreaksInTables(const QTextDocument& document);

// Pages of the top-level blocks holding an image, in document order.
QList<int> figurePages(const QTextDocument& document);

// Page and text of each top-level heading of `level`.
struct HeadingPlacement {
    QString text;
    int page = 0;
};
QList<HeadingPlacement> headingPlacements(const QTextDocument& document, int level);

}  // namespace lens::ui
