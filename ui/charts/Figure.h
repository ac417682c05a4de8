#pragma once
// Exportable figures: one interface for everything the app draws (Qt Charts views, the movie map,
// heat maps), so every chart exports the same way to PNG (chosen DPI, 300 by default), SVG and PDF,
// copies to the clipboard, and carries a provenance footer (dataset, model and hyper-parameters,
// split protocol, seed) that screenshot-based reporting needs.
//
// A figure paints itself into a rectangle in logical units (1/96 inch). Export adds the footer
// line below that rectangle and writes atomically (QSaveFile): an earlier file of the same name
// survives any failure. Works without a display (offscreen platform) and on never-shown widgets.
#include <QImage>
#include <QList>
#include <QRectF>
#include <QSize>
#include <QString>
#include <QStringList>
#include <optional>

#include "charts/ImageContent.h"

class QPainter;

namespace lens::ui {

// What a figure was computed from. text() joins the non-empty parts with " · ".
struct Provenance {
    QString dataset;  // "ml-latest-small (100,836 ratings)"
    QString model;    // "Biased MF (ALS): k 32, lambda 0.15, 15 iterations"
    QString split;    // "per-user holdout 20 %"
    QString seed;     // "42"
    QString extra;    // anything else: "t-SNE perplexity 30"
    QString text() const;
};

enum class FigureFormat { Png, Svg, Pdf };

struct FigureExportOptions {
    QSize logicalSize;  // in 1/96 inch; empty = the figure's preferredFigureSize()
    int dpi = 300;      // PNG only, 24..1200
    QString footer;     // drawn below the figure in small grey text; empty = none
};

class Figure {
public:
    virtual ~Figure() = default;
    // Human title ("Degree distribution (log-binned PDF)") and file stem ("degree-pdf").
    virtual QString figureTitle() const = 0;
    virtual QString figureFileStem() const = 0;
    virtual QSize preferredFigureSize() const { return {900, 600}; }
    // Paints the whole figure (title, axes, legend; not the footer) into `target` (logical units).
    virtual void paintFigure(QPainter& painter, const QRectF& target) const = 0;
};

// "png" / "svg" / "pdf" from a path's suffix (case-insensitive), nullopt otherwise.
std::optional<FigureFormat> figureFormatForPath(const QString& path);
QString figureFormatSuffix(FigureFormat format);  // "png", "svg", "pdf"

// Writes `figure` to `path` atomically. Returns false and sets *error ("path: reason").
bool exportFigure(const Figure& figure, const QString& path, FigureFormat format,
                  const FigureExportOptions& options, QString* error = nullptr);
// Format from the suffix; an unknown suffix is an error.
bool exportFigure(const Figure& figure, const QString& path, const FigureExportOptions& options,
                  QString* error = nullptr);

// The figure as an image at options.dpi (white background), footer included.
QImage renderFigureImage(const Figure& figure, const FigureExportOptions& options);
// Puts the image (at 150 dpi unless options say otherwise) on the system clipboard.
void copyFigureToClipboard(const Figure& figure, const FigureExportOptions& options);

// Writes every figure as <directory>/<stem>.<suffix> for each format (creating the folder).
// Stops at the first failure (message in *error). Returns the paths written.
QStringList saveAllFigures(const QList<const Figure*>& figures, const QString& directory,
                           const QList<FigureFormat>& formats, const FigureExportOptions& options,
                           QString* error = nullptr);

}  // namespace lens::ui
