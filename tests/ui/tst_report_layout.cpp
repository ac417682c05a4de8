// The report on paper: tables fit the page without breaking a word in any cell (column widths
// from the longest words, too-wide tables split by columns), every table (a top-10 list above
// all) on one page with its caption, figures two to a page, page numbers under each page and a
// contents list with the pages of the sections; report.html the same tables and contents.
// Positions come from the QTextDocument layout the PDF is printed from (ReportPagination.h); the
// PDF itself is read back with pdftotext when poppler-utils is installed. The checkers are shown
// to fail on a deliberately too-narrow table and on a table longer than a page.
#include <QAbstractTextDocumentLayout>
#include <QFile>
#include <QFontInfo>
#include <QGuiApplication>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTextDocument>
#include <QTextTable>
#include <QtTest>

#include "UiTestSetup.h"
#include "report/ReportBuilder.h"
#include "report/ReportPagination.h"
#include "report/ReportStudy.h"
#include "report/ReportTableLayout.h"
#include "synth/SyntheticGenerator.h"

using namespace lens::ui;

namespace {

QTextDocument* pagedDocument(const QString& html, QObject* parent) {
    auto* document = new QTextDocument(parent);
    document->setPageSize(ReportDocument::printPageSize());
    document->setHtml(html);
    return document;
}

QString rowsHtml(int rows) {
    QString html = QStringLiteral("<table border=\"1\"><tr><th>rank</th><th>title</th></tr>");
    for (int r = 0; r < rows; ++r)
        html += QStringLiteral("<tr><td>%1</td><td>A movie title</td></tr>").arg(r + 1);
    return html + QStringLiteral("</table>");
}

bool isTopTenCaption(const QString& caption) {
    return caption.contains(QStringLiteral(" fan · "));  // "<persona> · <model>"
}

}  // namespace

class TestReportLayout : public QObject {
    Q_OBJECT
public:
    static void initMain() { lens::test::useOffscreenPlatform(); }

private:
    std::shared_ptr<const lens::Dataset> dataset_;
    ReportStudy study_;

private slots:
    void initTestCase() {
        QVERIFY2(!QFontInfo(QGuiApplication::font()).family().isEmpty(), "no font installed");
        lens::SyntheticConfig config;
        config.ratings = 20'000;
        config.seed = 5;
        dataset_ = std::make_shared<const lens::Dataset>(lens::generateSyntheticDataset(config));
        ReportOptions options;
        options.models = {QStringLiteral("bias"), QStringLiteral("als")};
        options.personas = {QStringLiteral("lotr"), QStringLiteral("toy-story")};
        options.seed = 3;
        study_ = runReportStudy(dataset_, options);
        QCOMPARE(study_.lists.size(), std::size_t(4));
    }

    // The checkers themselves: a column narrower than its word, a table longer than a page.
    void checkerFindsAWordBrokenInACell() {
        QObject owner;
        QTextDocument* narrow = pagedDocument(
            QStringLiteral("<p>Too narrow</p><table><tr><th width=\"30\">NDCG@10</th>"
                           "<th width=\"40\">hyper-parameters</th></tr><tr><td>0.1234</td>"
                           "<td>k 32, lambda 0.15</td></tr></table>"),
            &owner);
        const QStringList breaks = wordBreaksInTables(*narrow);
        QVERIFY2(!breaks.isEmpty(), "a 30 px column must break NDCG@10");
        QVERIFY2(breaks.first().startsWith(QStringLiteral("'Too narrow' row 0 column 0")),
                 qPrintable(breaks.first()));
        QTextDocument* wide = pagedDocument(
            QStringLiteral("<table><tr><th width=\"120\">NDCG@10</th><th>a b c</th></tr></table>"),
            &owner);
        QVERIFY2(wordBreaksInTables(*wide).isEmpty(),
                 qPrintable(wordBreaksInTables(*wide).join('\n')));
    }

    void checkerFindsATableOverTwoPages() {
        QObject owner;
        QTextDocument* longTable = pagedDocument(rowsHtml(120), &owner);
        const QList<TablePlacement> placements = tablePlacements(*longTable);
        QCOMPARE(placements.size(), 1);
        QVERIFY(placements[0].lastPage > placements[0].firstPage);
        // Longer than a page: keepTogether() leaves it (and says so by breaking nothing).
        QCOMPARE(keepTogether(*longTable), 0);
    }

    // A short table that would straddle the page boundary moves, with its caption, to the next
    // page; a caption marked to keep with its figure moves with it.
    void keepTogetherMovesAStraddlingGroup() {
        QObject owner;
        // Filler paragraphs until the table's caption would sit about 80 px above the boundary.
        const double pageHeight = ReportDocument::printPageSize().height();
        QString filler;
        for (int i = 0; i < 200; ++i) {
            filler += QStringLiteral("<p>filler %1</p>").arg(i);
            QTextDocument probe;
            probe.setPageSize(ReportDocument::printPageSize());
            probe.setHtml(filler);
            if (probe.documentLayout()->documentSize().height() > pageHeight - 80) break;
        }
        const QString html = filler +
                             QStringLiteral("<p><a name=\"%1\"></a>Caption of the table</p>")
                                 .arg(QLatin1String(kKeepWithNext)) +
                             rowsHtml(12);
        QTextDocument* document = pagedDocument(html, &owner);
        QList<TablePlacement> before = tablePlacements(*document);
        QCOMPARE(before.size(), 1);
        QVERIFY2(before[0].lastPage > before[0].firstPage,
                 "the fixture must straddle the first page boundary");
        QCOMPARE(keepTogether(*document), 1);
        const QList<TablePlacement> after = tablePlacements(*document);
        QCOMPARE(after[0].firstPage, 1);
        QCOMPARE(after[0].lastPage, 1);
        // The caption went with it.
        for (auto it = document->rootFrame()->begin(); !it.atEnd(); ++it)
            if (it.currentBlock().text() == QStringLiteral("Caption of the table"))
                QCOMPARE(
                    pageOfY(*document,
                            document->documentLayout()->blockBoundingRect(it.currentBlock()).top()),
                    1);
    }

    // Column widths: never below the longest word; parts repeating the key column when even the
    // longest words do not fit side by side.
    void tableLayoutKeepsWordsWhole_data() {
        QTest::addColumn<int>("columns");
        QTest::addColumn<double>("budget");
        QTest::addColumn<int>("parts");
        QTest::newRow("fits") << 4 << 600.0 << 1;
        QTest::newRow("split in two") << 12 << 600.0 << 2;
        QTest::newRow("one column a part") << 4 << 150.0 << 3;
    }
    void tableLayoutKeepsWordsWhole() {
        QFETCH(int, columns);
        QFETCH(double, budget);
        QFETCH(int, parts);
        ReportTable table;
        table.header << QStringLiteral("model");
        for (int c = 1; c < columns; ++c) table.header << QStringLiteral("NDCG@10 (sampled)");
        QStringList row{QStringLiteral("Biased MF (ALS)")};
        for (int c = 1; c < columns; ++c) row << QStringLiteral("0.1234 [0.1100, 0.1300]");
        table.rows << row;
        const ReportTableStyle style = ReportTableStyle::standard();
        const QList<ReportTablePart> layout = layoutReportTable(table, budget, style);
        QCOMPARE(layout.size(), parts);
        QList<int> seen;
        for (const ReportTablePart& part : layout) {
            QCOMPARE(part.columns.first(), 0);  // the key column in every part
            double sum = 0;
            for (int i = 0; i < part.columns.size(); ++i) {
                const int c = part.columns[i];
                if (c > 0) seen << c;
                const double word = std::max(longestWordWidth(table.header[c], style.headerFont),
                                             longestWordWidth(row[c], style.cellFont)) +
                                    style.cellBox();
                QVERIFY2(
                    part.widths[i] >= word,
                    qPrintable(
                        QStringLiteral("column %1: %2 < %3").arg(c).arg(part.widths[i]).arg(word)));
                sum += part.widths[i];
            }
            QVERIFY2(sum <= budget || part.columns.size() == 2, qPrintable(QString::number(sum)));
        }
        QCOMPARE(seen.size(), columns - 1);  // every other column exactly once
    }

    // The whole report of the demo study, as the PDF prints it.
    void reportFitsItsPages() {
        ReportBuilder builder;
        const ReportDocument report = builder.build(study_, QStringLiteral("fixture"));
        const std::unique_ptr<QTextDocument> document = report.printDocument();
        const int pages = document->pageCount();
        QVERIFY(pages >= 4);

        const QStringList breaks = wordBreaksInTables(*document);
        QVERIFY2(breaks.isEmpty(), qPrintable(breaks.join('\n')));

        const QList<TablePlacement> tables = tablePlacements(*document);
        const double pageWidth = document->pageSize().width();
        int topTen = 0;
        for (const TablePlacement& t : tables) {
            QVERIFY2(t.firstPage == t.lastPage, qPrintable(QStringLiteral("'%1' on pages %2-%3")
                                                               .arg(t.caption)
                                                               .arg(t.firstPage + 1)
                                                               .arg(t.lastPage + 1)));
            QVERIFY2(t.right <= pageWidth, qPrintable(QStringLiteral("'%1' ends at %2 of %3")
                                                          .arg(t.caption)
                                                          .arg(t.right)
                                                          .arg(pageWidth)));
            topTen += isTopTenCaption(t.caption);
        }
        QCOMPARE(topTen, 4);

        // "Because" names one or two movies.
        for (const ReportSection& section : report.sections)
            for (const ReportTable& table : section.tables) {
                if (!isTopTenCaption(table.caption)) continue;
                QCOMPARE(table.header.last(), QStringLiteral("because"));
                for (const QStringList& row : table.rows)
                    QVERIFY2(row.last().split(QStringLiteral("; ")).size() <= 2,
                             qPrintable(row.last()));
            }

        // Figures two to a page: of the eight Explore charts, one after another, only the first
        // (under the contents) and the last (before the next section) may be alone on a page.
        const QList<int> figures = figurePages(*document);
        QVERIFY(figures.size() >= 8);
        const QList<int> explore = figures.mid(0, 8);
        QVERIFY2(
            QSet<int>(explore.begin(), explore.end()).size() <= 5,
            qPrintable(
                QStringLiteral("%1 pages").arg(QSet<int>(explore.begin(), explore.end()).size())));
        for (int i = 1; i + 1 < explore.size(); ++i)
            QVERIFY2(explore.count(explore[i]) == 2,
                     qPrintable(QStringLiteral("Explore figure %1 alone on page %2")
                                    .arg(i + 1)
                                    .arg(explore[i] + 1)));

        // The contents: one row per section with the page its heading is on.
        const QList<HeadingPlacement> headings = headingPlacements(*document, 2);
        QCOMPARE(headings.first().text, QStringLiteral("Contents"));
        QCOMPARE(headings.size(), report.sections.size() + 1);
        QTextTable* contents = nullptr;
        for (auto it = document->rootFrame()->begin(); !it.atEnd() && !contents; ++it)
            contents = qobject_cast<QTextTable*>(it.currentFrame());
        QVERIFY(contents);
        QCOMPARE(contents->rows(), report.sections.size());
        for (int i = 0; i < contents->rows(); ++i) {
            QCOMPARE(contents->cellAt(i, 0).firstCursorPosition().block().text(),
                     headings[i + 1].text);
            QCOMPARE(contents->cellAt(i, 1).firstCursorPosition().block().text(),
                     QString::number(headings[i + 1].page + 1));
        }
    }

    // The files: report.html has the contents and the same tables; report.pdf has as many pages
    // as the layout, each numbered (read back with pdftotext when installed).
    void writtenFilesAgree() {
        ReportBuilder builder;
        ReportDocument report = builder.build(study_, QStringLiteral("fixture"));
        report.dpi = 72;
        QTemporaryDir dir;
        QString error;
        QVERIFY2(report.write(dir.path(), &error), qPrintable(error));

        QFile htmlFile(dir.filePath(QStringLiteral("report.html")));
        QVERIFY(htmlFile.open(QIODevice::ReadOnly));
        const QString html = QString::fromUtf8(htmlFile.readAll());
        for (int i = 1; i <= report.sections.size(); ++i) {
            QVERIFY(html.contains(QStringLiteral("href=\"#section-%1\"").arg(i)));
            QVERIFY(html.contains(QStringLiteral("id=\"section-%1\"").arg(i)));
        }
        // Every table's columns add up to no more than the printed page.
        const QRegularExpression tableExpression(QStringLiteral("<table[^>]*>(.*?)</table>"));
        const QRegularExpression widthExpression(QStringLiteral("<th width=\"(\\d+)\""));
        int tables = 0;
        for (const auto& table : tableExpression.globalMatch(html)) {
            int sum = 0;
            for (const auto& width : widthExpression.globalMatch(table.captured(1)))
                sum += width.captured(1).toInt();
            QVERIFY2(sum > 0 && sum <= ReportDocument::printPageSize().width(),
                     qPrintable(QString::number(sum)));
            ++tables;
        }
        QVERIFY(tables >= 7);  // metrics, 2 comparison, 4 top-10, nearest genres

        const QString pdftotext = QStandardPaths::findExecutable(QStringLiteral("pdftotext"));
        if (pdftotext.isEmpty()) QSKIP("pdftotext (poppler-utils) is not installed");
        QProcess process;
        process.start(pdftotext, {dir.filePath(QStringLiteral("report.pdf")), QStringLiteral("-")});
        QVERIFY(process.waitForFinished(60'000));
        QCOMPARE(process.exitCode(), 0);
        const QString text = QString::fromUtf8(process.readAllStandardOutput());
        const QStringList pageTexts = text.split(QChar('\f'), Qt::SkipEmptyParts);
        const int pages = report.printDocument()->pageCount();
        QCOMPARE(pageTexts.size(), pages);
        for (int p = 0; p < pages; ++p)
            QVERIFY2(pageTexts[p].contains(QStringLiteral("page %1 of %2").arg(p + 1).arg(pages)),
                     qPrintable(QStringLiteral("page %1").arg(p + 1)));
        QVERIFY(pageTexts.first().contains(QStringLiteral("Contents")));
    }
};

QTEST_MAIN(TestReportLayout)
#include "tst_report_layout.moc"
