#pragma once
// A report of one study: sections of text, figures and tables, written as a folder with
//   figures/<stem>.png (300 dpi by default) and figures/<stem>.svg, each with its provenance
//   footer; report.html, self-contained (figures embedded as data URIs, no external files);
//   report.pdf, the same content on A4 pages (a QTextDocument painted page by page onto a
//   QPdfWriter, with "page N of M" under each page);
//   metrics.json, the numbers of the study for scripts.
// Both documents open with a contents list (the PDF's with page numbers). Tables get column
// widths from their longest words (ReportTableLayout.h: split by columns when too wide) and keep
// on one page with their caption and notes; figures are sized so that two fit on a page and keep
// with their captions (ReportPagination.h).
// Everything is written atomically (QSaveFile); progress goes through a callback that may cancel.
// Works headless on the offscreen platform (the `report` command) and from the GUI
// (File > Export report…).
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QSize>
#include <QSizeF>
#include <QString>
#include <QStringList>
#include <functional>
#include <memory>
#include <vector>

#include "charts/Figure.h"

class QTextDocument;

namespace lens::ui {

struct ReportFigure {
    const Figure* figure = nullptr;  // not owned; must outlive write()
    QString caption;                 // plain text or simple rich text
    Provenance provenance;           // footer of the exported figure
};

struct ReportTable {
    QString caption;
    QStringList header;
    QList<QStringList> rows;  // plain text
    QStringList notes;        // rich text under the table (e.g. each model's hyper-parameters)
};

struct ReportSection {
    QString title;
    QString html;  // paragraphs (rich text) before the figures
    QList<ReportFigure> figures;
    QList<ReportTable> tables;
};

class ReportDocument {
public:
    // The PDF's page: A4 with 15 mm margins, in the 96-dpi pixels QTextDocument lays out in,
    // less a band at the bottom for the page number.
    static QSizeF printPageSize();
    QString title = QStringLiteral("Lens Atlas report");
    QString subtitle;   // dataset and date
    QString aboutHtml;  // software and dataset versions, split protocol, seeds
    QList<ReportSection> sections;
    QJsonObject metrics;  // written as metrics.json
    int dpi = 300;        // PNG figures

    // (done, total, what) -> false to cancel. Called before each file.
    using Progress = std::function<bool(int done, int total, const QString& what)>;

    // Writes everything into `directory` (created). Returns false with *error set on failure
    // or cancel ("cancelled"). Files already written stay (each one complete).
    bool write(const QString& directory, QString* error = nullptr,
               const Progress& progress = {}) const;

    // The HTML of the report; figures as <img src="data:image/png;base64,…"> when `embedded`,
    // else as "figures/<stem>.png" links; images `imageWidth` px wide.
    QString html(bool embedded, int imageWidth = 900) const;

    int figureCount() const;

    // The document report.pdf prints: laid out on printPageSize() pages, groups kept together,
    // the contents list's page numbers filled in. Tests inspect it (ReportPagination.h).
    std::unique_ptr<QTextDocument> printDocument() const;

    // The same work as write(), one file per step, for callers that interleave it with an event
    // loop (the GUI's report dialog runs one step per timer tick). Steps refer to this document
    // and its figures: both must outlive them.
    struct WriteStep {
        QString what;                             // the file the step writes
        std::function<bool(QString* error)> run;  // false with *error on failure
    };
    std::vector<WriteStep> writeSteps(const QString& directory) const;

private:
    enum class Target { Browser, Print };
    // `imageWidth` for the browser; the print target sizes each figure to half a page.
    QString documentHtml(Target target, bool embedded, int imageWidth,
                         const QHash<QString, QSize>& printImageSizes = {}) const;
    bool writePdf(const QString& path, QString* error) const;
};

// HTML-escapes plain text.
QString htmlEscape(const QString& text);

// A figure in a report table: fixed decimals, an en dash for a missing (NaN) value.
QString reportNumber(double v, int precision = 4);

}  // namespace lens::ui
