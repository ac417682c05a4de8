#include "report/ReportPagination.h"

#include <QAbstractTextDocumentLayout>
#include <QTextBlock>
#include <QTextDocument>
#include <QTextFrame>
#include <QTextLayout>
#include <QTextTable>
#include <cmath>
#include <vector>

namespace lens::ui {

namespace {

bool hasAnchor(const QTextBlock& block, const char* name) {
    for (auto it = block.begin(); !it.atEnd(); ++it)
        if (it.fragment().charFormat().anchorNames().contains(QLatin1String(name))) return true;
    return false;
}

bool hasImage(const QTextBlock& block) {
    for (auto it = block.begin(); !it.atEnd(); ++it)
        if (it.fragment().charFormat().isImageFormat()) return true;
    return false;
}

// One top-level item of the document: a block or a frame (a table).
struct Item {
    QTextBlock block;
    QTextFrame* frame = nullptr;
    bool withNext = false, withPrevious = false;
};

std::vector<Item> topLevelItems(const QTextDocument& document) {
    std::vector<Item> items;
    for (auto it = document.rootFrame()->begin(); !it.atEnd(); ++it) {
        Item item;
        if (QTextFrame* frame = it.currentFrame()) {
            item.frame = frame;
        } else {
            item.block = it.currentBlock();
            // QTextDocument puts an empty block after every table: it belongs to nothing.
            if (item.block.text().isEmpty() && !hasImage(item.block)) continue;
            item.withNext =
                item.block.blockFormat().headingLevel() > 0 || hasAnchor(item.block, kKeepWithNext);
            item.withPrevious = hasAnchor(item.block, kKeepWithPrevious);
        }
        items.push_back(item);
    }
    return items;
}

QRectF rectOf(const QTextDocument& document, const Item& item) {
    QAbstractTextDocumentLayout* layout = document.documentLayout();
    return item.frame ? layout->frameBoundingRect(item.frame)
                      : layout->blockBoundingRect(item.block);
}

void breakPageBefore(QTextDocument& document, const Item& item) {
    if (item.frame) {
        QTextFrameFormat format = item.frame->frameFormat();
        format.setPageBreakPolicy(QTextFormat::PageBreak_AlwaysBefore);
        item.frame->setFrameFormat(format);
    } else {
        QTextBlockFormat format = item.block.blockFormat();
        format.setPageBreakPolicy(QTextFormat::PageBreak_AlwaysBefore);
        QTextCursor(item.block).setBlockFormat(format);
    }
    (void)document;
}

bool breaksInsideWord(const QString& text, int position) {
    if (position <= 0 || position >= text.size()) return false;
    const QChar before = text[position - 1], after = text[position];
    return !before.isSpace() && !after.isSpace() && before != QLatin1Char('-');
}

}  // namespace

// The layout is lazy: lines and positions exist once something asked for the whole size.
void ensureLaidOut(const QTextDocument& document) {
    (void)document.documentLayout()->documentSize();
}

int pageOfY(const QTextDocument& document, double y) {
    const double height = document.pageSize().height();
    return height > 0 ? static_cast<int>(std::floor(y / height)) : 0;
}

int keepTogether(QTextDocument& document) {
    ensureLaidOut(document);
    const double pageHeight = document.pageSize().height();
    if (pageHeight <= 0) return 0;
    const std::vector<Item> items = topLevelItems(document);
    int breaks = 0;
    for (std::size_t first = 0; first < items.size();) {
        std::size_t last = first;
        while (last + 1 < items.size() && (items[last].withNext || items[last + 1].withPrevious))
            ++last;
        if (last > first || items[first].frame) {
            const double top = rectOf(document, items[first]).top();
            const double bottom = rectOf(document, items[last]).bottom();
            if (bottom - top < pageHeight &&
                pageOfY(document, top) != pageOfY(document, bottom - 1)) {
                breakPageBefore(document, items[first]);
                ++breaks;
            }
        }
        first = last + 1;
    }
    return breaks;
}

QList<TablePlacement> tablePlacements(const QTextDocument& document) {
    ensureLaidOut(document);
    QList<TablePlacement> out;
    QString previousText;
    for (auto it = document.rootFrame()->begin(); !it.atEnd(); ++it) {
        if (auto* table = qobject_cast<QTextTable*>(it.currentFrame())) {
            const QRectF rect = document.documentLayout()->frameBoundingRect(table);
            out.append({previousText, pageOfY(document, rect.top()),
                        pageOfY(document, rect.bottom() - 1), rect.left(), rect.right()});
        } else if (!it.currentBlock().text().isEmpty()) {
            previousText = it.currentBlock().text();
        }
    }
    return out;
}

QStringList wordBreaksInTables(const QTextDocument& document) {
    ensureLaidOut(document);
    QStringList out;
    QString previousText;
    for (auto it = document.rootFrame()->begin(); !it.atEnd(); ++it) {
        auto* table = qobject_cast<QTextTable*>(it.currentFrame());
        if (!table) {
            if (!it.currentBlock().text().isEmpty()) previousText = it.currentBlock().text();
            continue;
        }
        for (int r = 0; r < table->rows(); ++r)
            for (int c = 0; c < table->columns(); ++c) {
                const QTextTableCell cell = table->cellAt(r, c);
                if (cell.row() != r || cell.column() != c) continue;  // spanned
                for (auto b = cell.begin(); !b.atEnd(); ++b) {
                    const QTextBlock block = b.currentBlock();
                    const QTextLayout* layout = block.layout();
                    const QString text = block.text();
                    for (int l = 1; layout && l < layout->lineCount(); ++l) {
                        const int at = layout->lineAt(l).textStart();
                        if (breaksInsideWord(text, at))
                            out << QStringLiteral("'%1' row %2 column %3: '%4|%5'")
                                       .arg(previousText)
                                       .arg(r)
                                       .arg(c)
                                       .arg(text.left(at), text.mid(at));
                    }
                }
            }
    }
    return out;
}

QList<int> figurePages(const QTextDocument& document) {
    ensureLaidOut(document);
    QList<int> out;
    for (auto it = document.rootFrame()->begin(); !it.atEnd(); ++it)
        if (!it.currentFrame() && hasImage(it.currentBlock()))
            out << pageOfY(document,
                           document.documentLayout()->blockBoundingRect(it.currentBlock()).top());
    return out;
}

QList<HeadingPlacement> headingPlacements(const QTextDocument& document, int level) {
    ensureLaidOut(document);
    QList<HeadingPlacement> out;
    for (auto it = document.rootFrame()->begin(); !it.atEnd(); ++it) {
        if (it.currentFrame()) continue;
        const QTextBlock block = it.currentBlock();
        if (block.blockFormat().headingLevel() != level) continue;
        out.append({block.text(),
                    pageOfY(document, document.documentLayout()->blockBoundingRect(block).top())});
    }
    return out;
}

}  // namespace lens::ui
