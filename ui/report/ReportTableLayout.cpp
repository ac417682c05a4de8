#include "report/ReportTableLayout.h"

#include <QFontMetricsF>
#include <QRegularExpression>
#include <algorithm>
#include <cmath>
#include <numeric>

namespace lens::ui {

namespace {

// Rounding in the text layout (glyph advances are snapped) can make a word a fraction of a pixel
// wider than measured here; this keeps it on one line.
constexpr double kSlack = 2.0;

double lineWidth(const QString& text, const QFont& font) {
    double widest = 0.0;
    const QFontMetricsF metrics(font);
    for (const QString& line : text.split(QLatin1Char('\n')))
        widest = std::max(widest, metrics.horizontalAdvance(line));
    return widest;
}

struct ColumnNeeds {
    double minimum = 0.0;  // the longest word
    double natural = 0.0;  // the longest cell on one line
};

ColumnNeeds columnNeeds(const ReportTable& table, int column, const ReportTableStyle& style) {
    ColumnNeeds needs;
    const auto add = [&](const QString& text, const QFont& font) {
        needs.minimum = std::max(needs.minimum, longestWordWidth(text, font));
        needs.natural = std::max(needs.natural, lineWidth(text, font));
    };
    if (column < table.header.size()) add(table.header[column], style.headerFont);
    for (const QStringList& row : table.rows)
        if (column < row.size()) add(row[column], style.cellFont);
    const double box = style.cellBox() + kSlack;
    needs.minimum += box;
    needs.natural = std::max(needs.natural + box, needs.minimum);
    return needs;
}

double sumOfMinimums(const QList<int>& columns, const std::vector<ColumnNeeds>& needs) {
    double sum = 0.0;
    for (int c : columns) sum += needs[static_cast<std::size_t>(c)].minimum;
    return sum;
}

// Every column its longest word, the rest of the width shared by what the columns still lack.
ReportTablePart distribute(const QList<int>& columns, const std::vector<ColumnNeeds>& needs,
                           double availableWidth) {
    ReportTablePart part;
    part.columns = columns;
    double lacking = 0.0;
    for (int c : columns) {
        const ColumnNeeds& n = needs[static_cast<std::size_t>(c)];
        lacking += n.natural - n.minimum;
    }
    const double spare = std::max(0.0, availableWidth - sumOfMinimums(columns, needs));
    const double share = lacking <= spare || lacking <= 0.0 ? 1.0 : spare / lacking;
    for (int c : columns) {
        const ColumnNeeds& n = needs[static_cast<std::size_t>(c)];
        part.widths << std::floor(n.minimum + share * (n.natural - n.minimum));
    }
    return part;
}

}  // namespace

ReportTableStyle ReportTableStyle::standard() {
    ReportTableStyle style;
    style.cellFont = QFont(QStringLiteral("DejaVu Sans"));
    style.cellFont.setPointSizeF(8.5);
    style.headerFont = style.cellFont;
    style.headerFont.setBold(true);
    return style;
}

double longestWordWidth(const QString& text, const QFont& font) {
    const QFontMetricsF metrics(font);
    double widest = 0.0;
    for (const QString& word :
         text.split(QRegularExpression(QStringLiteral("\\s+")), Qt::SkipEmptyParts))
        widest = std::max(widest, metrics.horizontalAdvance(word));
    return widest;
}

QList<ReportTablePart> layoutReportTable(const ReportTable& table, double availableWidth,
                                         const ReportTableStyle& style) {
    int columnCount = static_cast<int>(table.header.size());
    for (const QStringList& row : table.rows)
        columnCount = std::max(columnCount, static_cast<int>(row.size()));
    if (columnCount == 0) return {};
    std::vector<ColumnNeeds> needs;
    for (int c = 0; c < columnCount; ++c) needs.push_back(columnNeeds(table, c, style));

    QList<int> all(columnCount);
    std::iota(all.begin(), all.end(), 0);
    if (sumOfMinimums(all, needs) <= availableWidth)
        return {distribute(all, needs, availableWidth)};

    // Too wide even at the longest words: parts of as many columns as fit, the key column first.
    QList<ReportTablePart> parts;
    QList<int> current{0};
    for (int c = 1; c < columnCount; ++c) {
        QList<int> candidate = current;
        candidate << c;
        if (current.size() > 1 && sumOfMinimums(candidate, needs) > availableWidth) {
            parts << distribute(current, needs, availableWidth);
            candidate = {0, c};
        }
        current = candidate;
    }
    parts << distribute(current, needs, availableWidth);
    return parts;
}

}  // namespace lens::ui
