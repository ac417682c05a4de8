#include "report/ReportDocument.h"

#include <QAbstractTextDocumentLayout>
#include <QBuffer>
#include <QDateTime>
#include <QDir>
#include <QHash>
#include <QImage>
#include <QJsonDocument>
#include <QPageLayout>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QSaveFile>
#include <QTextDocument>
#include <QTextTable>
#include <QUrl>
#include <cmath>

#include "report/ReportPagination.h"
#include "report/ReportTableLayout.h"

namespace lens::ui {

namespace {

// Sizes in pt, not em: QTextDocument (the PDF) and browsers then agree, and ReportTableStyle
// measures the tables' words in the same fonts.
const char* const kStyle =
    "body { font-family: 'DejaVu Sans', sans-serif; font-size: 10pt; max-width: 1000px; "
    "margin: 2em auto; color: #222; }"
    "h1 { font-size: 16pt; } h2 { font-size: 13pt; border-bottom: 1px solid #ccc; "
    "padding-bottom: 0.2em; margin-top: 1.4em; }"
    "p.figure { margin: 1.0em 0 0.2em 0; } p.figure img { max-width: 100%; height: auto; "
    "border: 1px solid #eee; }"
    "p.caption { font-size: 9pt; color: #444; margin-bottom: 1.0em; }"
    "p.table-caption { font-size: 9pt; font-weight: bold; margin: 1.0em 0 0.3em 0; }"
    "p.note { font-size: 8pt; color: #444; margin: 0.2em 0; }"
    "table { border-collapse: collapse; margin: 0 0 0.6em 0; font-size: 8.5pt; }"
    "th, td { border: 1px solid #ccc; padding: 2px 5px; text-align: left; vertical-align: top; }"
    "th { background: #f2f2f2; }"
    "td.contents, td.contents-page { border: none; padding: 1px 4px; font-size: 10pt; }"
    "td.contents-page { text-align: right; }"
    "ul.contents { line-height: 1.5; }"
    ".provenance { font-size: 8pt; color: #666; }"
    ".keep { break-inside: avoid; page-break-inside: avoid; }"
    "@media print { p.figure img { max-height: 10.5cm; width: auto; } }";

// QTextDocument takes the body's margins for the page's: the PDF has its own.
const char* const kPrintStyle = "body { margin: 0; max-width: none; }";

// Height of the band under each PDF page that holds its number, px at 96 dpi.
constexpr double kFooterBand = 26.0;
// QTextDocument's margin around the root frame (its default), px.
constexpr double kDocumentMargin = 4.0;

QByteArray pngBytes(const QImage& image) {
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "PNG");
    return bytes;
}

QString anchor(const char* name) {
    return QStringLiteral("<a name=\"%1\"></a>").arg(QLatin1String(name));
}

// The widest a table may be: the page less the document's and the table's own margins.
double tableWidthBudget() {
    return ReportDocument::printPageSize().width() - 2 * kDocumentMargin - 24.0;
}

// A table as one or more HTML tables (ReportTableLayout: split by columns when too wide), its
// caption before and its notes after; markers keep them on one page in the PDF.
QString tableHtml(const ReportTable& table, bool print) {
    const QList<ReportTablePart> parts = layoutReportTable(table, tableWidthBudget());
    QString out;
    if (!print) out += QStringLiteral("<div class=\"keep\">");
    for (int p = 0; p < parts.size(); ++p) {
        const ReportTablePart& part = parts[p];
        QString caption = table.caption;
        if (parts.size() > 1) caption += QStringLiteral(" (%1 of %2)").arg(p + 1).arg(parts.size());
        if (!caption.isEmpty())
            out += QStringLiteral("<p class=\"table-caption\">%1%2</p>")
                       .arg(print ? anchor(kKeepWithNext) : QString(), htmlEscape(caption));
        out += QStringLiteral("<table cellspacing=\"0\"><tr>");
        for (int i = 0; i < part.columns.size(); ++i) {
            const int c = part.columns[i];
            out += QStringLiteral("<th width=\"%1\">%2</th>")
                       .arg(qRound(part.widths[i]))
                       .arg(c < table.header.size() ? htmlEscape(table.header[c]) : QString());
        }
        out += QStringLiteral("</tr>");
        for (const QStringList& row : table.rows) {
            out += QStringLiteral("<tr>");
            for (int c : part.columns)
                out += QStringLiteral("<td>%1</td>")
                           .arg(c < row.size() ? htmlEscape(row[c]) : QString());
            out += QStringLiteral("</tr>");
        }
        out += QStringLiteral("</table>");
    }
    for (const QString& note : table.notes)
        out += QStringLiteral("<p class=\"note\">%1%2</p>")
                   .arg(print ? anchor(kKeepWithPrevious) : QString(), note);
    if (!print) out += QStringLiteral("</div>");
    return out;
}

// Figures in the PDF: as wide as the page allows while two of them, with captions of a few
// lines, fit on one page.
QSize printImageSize(const QSize& image) {
    const QSizeF page = ReportDocument::printPageSize();
    const double maxWidth = page.width() - 2 * kDocumentMargin - 8.0;
    const double maxHeight = page.height() / 2.0 - 105.0;
    if (image.isEmpty()) return QSize(qRound(maxWidth), qRound(maxHeight));
    const double scale = std::min(maxWidth / image.width(), maxHeight / image.height());
    return QSize(qFloor(image.width() * scale), qFloor(image.height() * scale));
}

QString figureResourceName(const Figure& figure) {
    return QStringLiteral("figures/%1.png").arg(figure.figureFileStem());
}

QImage renderForDocument(const ReportFigure& f) {
    FigureExportOptions options;
    options.dpi = 150;  // sharp on screen and in print, modest size
    options.footer = f.provenance.text();
    return renderFigureImage(*f.figure, options);
}

}  // namespace

QString htmlEscape(const QString& text) {
    return text.toHtmlEscaped();
}

QSizeF ReportDocument::printPageSize() {
    const QPageLayout layout(QPageSize(QPageSize::A4), QPageLayout::Portrait,
                             QMarginsF(15, 15, 15, 15), QPageLayout::Millimeter);
    const QSizeF page = layout.paintRect(QPageLayout::Point).size() * (96.0 / 72.0);
    return {page.width(), page.height() - kFooterBand};
}

int ReportDocument::figureCount() const {
    int n = 0;
    for (const ReportSection& section : sections) n += section.figures.size();
    return n;
}

QString ReportDocument::html(bool embedded, int imageWidth) const {
    return documentHtml(Target::Browser, embedded, imageWidth);
}

QString ReportDocument::documentHtml(Target target, bool embedded, int imageWidth,
                                     const QHash<QString, QSize>& printImageSizes) const {
    const bool print = target == Target::Print;
    QString out;
    out += QStringLiteral(
               "<!DOCTYPE html>\n<html><head><meta "
               "charset=\"utf-8\"><title>%1</title><style>%2</style></head><body>\n")
               .arg(htmlEscape(title), QString::fromLatin1(kStyle) +
                                           (print ? QString::fromLatin1(kPrintStyle) : QString()));
    out += QStringLiteral("<h1>%1</h1>\n").arg(htmlEscape(title));
    if (!subtitle.isEmpty()) out += QStringLiteral("<p><b>%1</b></p>\n").arg(htmlEscape(subtitle));
    if (!aboutHtml.isEmpty()) out += aboutHtml + QLatin1Char('\n');

    // Contents: links in the browser; in the PDF a table whose page numbers printDocument()
    // fills in once the layout is known.
    if (!sections.isEmpty()) {
        out += QStringLiteral("<h2>%1</h2>\n").arg(QObject::tr("Contents"));
        if (print) {
            const double width = tableWidthBudget();
            out += QStringLiteral("<table cellspacing=\"0\">");
            for (int i = 0; i < sections.size(); ++i)
                out += QStringLiteral(
                           "<tr><td class=\"contents\" width=\"%1\">%2. %3</td>"
                           "<td class=\"contents-page\" width=\"60\"></td></tr>")
                           .arg(qRound(width - 60))
                           .arg(i + 1)
                           .arg(htmlEscape(sections[i].title));
            out += QStringLiteral("</table>\n");
        } else {
            out += QStringLiteral("<ul class=\"contents\">");
            for (int i = 0; i < sections.size(); ++i)
                out += QStringLiteral("<li><a href=\"#section-%1\">%1. %2</a></li>")
                           .arg(i + 1)
                           .arg(htmlEscape(sections[i].title));
            out += QStringLiteral("</ul>\n");
        }
    }

    for (int s = 0; s < sections.size(); ++s) {
        const ReportSection& section = sections[s];
        out += QStringLiteral("<h2 id=\"section-%1\">%1. %2</h2>\n")
                   .arg(s + 1)
                   .arg(htmlEscape(section.title));
        if (!section.html.isEmpty()) out += section.html + QLatin1Char('\n');
        for (const ReportFigure& f : section.figures) {
            if (!f.figure) continue;
            QString src, size;
            if (print) {
                src = figureResourceName(*f.figure);
                const QSize image =
                    printImageSize(printImageSizes.value(src, f.figure->preferredFigureSize()));
                size = QStringLiteral("width=\"%1\" height=\"%2\"")
                           .arg(image.width())
                           .arg(image.height());
            } else {
                src = embedded ? QStringLiteral("data:image/png;base64,") +
                                     QString::fromLatin1(pngBytes(renderForDocument(f)).toBase64())
                               : figureResourceName(*f.figure);
                size = QStringLiteral("width=\"%1\"").arg(imageWidth);
            }
            // <p> rather than <figure>: QTextDocument (the PDF) knows no figure elements.
            out += QStringLiteral(
                       "%1<p class=\"figure\">%2<img src=\"%3\" alt=\"%4\" %5></p>"
                       "<p class=\"caption\">%6<b>%4.</b> %7</p>%8\n")
                       .arg(print ? QString() : QStringLiteral("<div class=\"keep\">"),
                            print ? anchor(kKeepWithNext) : QString(), src,
                            htmlEscape(f.figure->figureTitle()), size,
                            print ? anchor(kKeepWithPrevious) : QString(), f.caption,
                            print ? QString() : QStringLiteral("</div>"));
        }
        for (const ReportTable& table : section.tables)
            out += tableHtml(table, print) + QLatin1Char('\n');
    }
    out += QStringLiteral("<p class=\"provenance\">Generated by Lens Atlas %1 on %2.</p>\n")
               .arg(QStringLiteral(LENS_ATLAS_VERSION),
                    QDateTime::currentDateTimeUtc().toString(Qt::ISODate));
    out += QStringLiteral("</body></html>\n");
    return out;
}

std::unique_ptr<QTextDocument> ReportDocument::printDocument() const {
    auto document = std::make_unique<QTextDocument>();
    document->setDefaultStyleSheet(QString::fromLatin1(kStyle) + QString::fromLatin1(kPrintStyle));
    document->setDocumentMargin(kDocumentMargin);
    QHash<QString, QSize> imageSizes;
    for (const ReportSection& section : sections)
        for (const ReportFigure& f : section.figures) {
            if (!f.figure) continue;
            const QImage image = renderForDocument(f);
            imageSizes.insert(figureResourceName(*f.figure), image.size());
            document->addResource(QTextDocument::ImageResource, QUrl(figureResourceName(*f.figure)),
                                  image);
        }
    document->setPageSize(printPageSize());
    document->setHtml(documentHtml(Target::Print, false, 0, imageSizes));
    keepTogether(*document);

    // The contents' page numbers: the first table holds them, one row per section heading.
    const QList<HeadingPlacement> headings = headingPlacements(*document, 2);
    QTextTable* contents = nullptr;
    for (auto it = document->rootFrame()->begin(); !it.atEnd() && !contents; ++it)
        contents = qobject_cast<QTextTable*>(it.currentFrame());
    if (contents) {
        int row = 0;
        for (const HeadingPlacement& h : headings) {
            if (row >= contents->rows() || h.text == QObject::tr("Contents")) continue;
            QTextCursor cursor = contents->cellAt(row++, 1).firstCursorPosition();
            cursor.insertText(QString::number(h.page + 1));
        }
    }
    return document;
}

bool ReportDocument::writePdf(const QString& path, QString* error) const {
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        if (error) *error = QStringLiteral("%1: %2").arg(path, file.errorString());
        return false;
    }
    {
        const std::unique_ptr<QTextDocument> document = printDocument();
        QPdfWriter writer(&file);
        writer.setPageSize(QPageSize(QPageSize::A4));
        writer.setPageMargins(QMarginsF(15, 15, 15, 15), QPageLayout::Millimeter);
        writer.setResolution(150);
        writer.setTitle(title);
        writer.setCreator(QStringLiteral("Lens Atlas"));
        // The document lays out in 96-dpi pixels; the painter scales them to the writer's.
        const double scale = writer.resolution() / 96.0;
        const QSizeF page = document->pageSize();
        const int pages = document->pageCount();
        QPainter painter(&writer);
        QFont footerFont(QStringLiteral("DejaVu Sans"));
        footerFont.setPointSizeF(8);
        for (int p = 0; p < pages; ++p) {
            if (p > 0) writer.newPage();
            painter.save();
            painter.scale(scale, scale);
            painter.save();
            painter.translate(0, -p * page.height());
            QAbstractTextDocumentLayout::PaintContext context;
            context.clip = QRectF(0, p * page.height(), page.width(), page.height());
            painter.setClipRect(context.clip);
            document->documentLayout()->draw(&painter, context);
            painter.restore();
            painter.setFont(footerFont);
            painter.setPen(QColor(0x66, 0x66, 0x66));
            painter.drawText(QRectF(0, page.height(), page.width(), kFooterBand),
                             Qt::AlignRight | Qt::AlignBottom,
                             QObject::tr("%1 · page %2 of %3").arg(title).arg(p + 1).arg(pages));
            painter.restore();
        }
    }
    if (!file.commit()) {
        if (error) *error = QStringLiteral("%1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

std::vector<ReportDocument::WriteStep> ReportDocument::writeSteps(const QString& directory) const {
    std::vector<WriteStep> steps;
    const QDir dir(directory);
    steps.push_back({dir.filePath(QStringLiteral("figures")), [directory](QString* error) {
                         if (QDir().mkpath(QDir(directory).filePath(QStringLiteral("figures"))))
                             return true;
                         if (error)
                             *error = QStringLiteral("%1: cannot create the folder").arg(directory);
                         return false;
                     }});
    for (const ReportSection& section : sections)
        for (const ReportFigure& f : section.figures) {
            if (!f.figure) continue;
            FigureExportOptions options;
            options.dpi = dpi;
            options.footer = f.provenance.text();
            for (FigureFormat format : {FigureFormat::Png, FigureFormat::Svg}) {
                const QString path =
                    dir.filePath(QStringLiteral("figures/%1.%2")
                                     .arg(f.figure->figureFileStem(), figureFormatSuffix(format)));
                const Figure* figure = f.figure;
                steps.push_back({path, [figure, path, format, options](QString* error) {
                                     return exportFigure(*figure, path, format, options, error);
                                 }});
            }
        }
    const auto writeText = [](const QString& path, const QByteArray& bytes, QString* error) {
        QSaveFile file(path);
        if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() ||
            !file.commit()) {
            if (error) *error = QStringLiteral("%1: %2").arg(path, file.errorString());
            return false;
        }
        return true;
    };
    const QString metricsPath = dir.filePath(QStringLiteral("metrics.json"));
    steps.push_back({metricsPath, [this, metricsPath, writeText](QString* error) {
                         return writeText(metricsPath,
                                          QJsonDocument(metrics).toJson(QJsonDocument::Indented),
                                          error);
                     }});
    const QString htmlPath = dir.filePath(QStringLiteral("report.html"));
    steps.push_back({htmlPath, [this, htmlPath, writeText](QString* error) {
                         return writeText(htmlPath, html(true).toUtf8(), error);
                     }});
    const QString pdfPath = dir.filePath(QStringLiteral("report.pdf"));
    steps.push_back(
        {pdfPath, [this, pdfPath](QString* error) { return writePdf(pdfPath, error); }});
    return steps;
}

bool ReportDocument::write(const QString& directory, QString* error,
                           const Progress& progress) const {
    const std::vector<WriteStep> steps = writeSteps(directory);
    const int total = static_cast<int>(steps.size());
    for (int i = 0; i < total; ++i) {
        if (progress && !progress(i, total, steps[i].what)) {
            if (error) *error = QStringLiteral("cancelled");
            return false;
        }
        if (!steps[i].run(error)) return false;
    }
    if (progress) progress(total, total, QStringLiteral("done"));
    return true;
}

QString reportNumber(double v, int precision) {
    return std::isnan(v) ? QStringLiteral("–") : QString::number(v, 'f', precision);
}

}  // namespace lens::ui
