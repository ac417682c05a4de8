#include "charts/Figure.h"

#include <QClipboard>
#include <QDir>
#include <QFileInfo>
#include <QFontMetricsF>
#include <QGuiApplication>
#include <QPainter>
#include <QPdfWriter>
#include <QSaveFile>
#include <QSet>
#include <QSvgGenerator>
#include <algorithm>
#include <cmath>

namespace lens::ui {

namespace {

// In logical pixels (1/96 inch), not points: a point size would be scaled twice on a high-DPI
// image (once by the image's resolution, once by the painter's scale).
constexpr int kFooterPixelSize = 11;

QFont footerFont() {
    QFont font = QGuiApplication::font();
    font.setPixelSize(kFooterPixelSize);
    return font;
}

// Height of the footer strip in logical units (0 without a footer).
double footerHeight(const QString& footer) {
    if (footer.isEmpty()) return 0.0;
    return std::ceil(QFontMetricsF(footerFont()).height() * 1.8);
}

QSize logicalSizeOf(const Figure& figure, const FigureExportOptions& options) {
    QSize size = options.logicalSize.isEmpty() ? figure.preferredFigureSize() : options.logicalSize;
    if (size.isEmpty()) size = QSize(900, 600);
    return size;
}

// Paints the figure and its footer into a canvas of logical size (figure + footer strip).
void paintWithFooter(const Figure& figure, QPainter& painter, QSizeF logical,
                     const QString& footer) {
    painter.save();
    figure.paintFigure(painter, QRectF(QPointF(0, 0), logical));
    painter.restore();
    if (footer.isEmpty()) return;
    const double height = footerHeight(footer);
    const QRectF strip(0, logical.height(), logical.width(), height);
    painter.save();
    painter.setPen(QColor(0xd0, 0xd0, 0xd0));
    painter.drawLine(QPointF(8, strip.top() + 1), QPointF(strip.right() - 8, strip.top() + 1));
    painter.setFont(footerFont());
    painter.setPen(QColor(0x55, 0x55, 0x55));
    const QString text =
        QFontMetricsF(footerFont()).elidedText(footer, Qt::ElideMiddle, logical.width() - 16);
    painter.drawText(strip.adjusted(8, 0, -8, 0), Qt::AlignVCenter | Qt::AlignLeft, text);
    painter.restore();
}

}  // namespace

QString Provenance::text() const {
    QStringList parts;
    // The random splits describe themselves with their seed ("per-user holdout 20% (seed 42)"):
    // the same seed is not named twice.
    const bool splitNamesSeed =
        !seed.isEmpty() && split.contains(QStringLiteral("(seed %1)").arg(seed));
    for (const QString& part :
         {dataset, model, split,
          seed.isEmpty() || splitNamesSeed ? QString() : QStringLiteral("seed %1").arg(seed),
          extra})
        if (!part.trimmed().isEmpty()) parts << part.trimmed();
    return parts.join(QStringLiteral(" · "));
}

std::optional<FigureFormat> figureFormatForPath(const QString& path) {
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == QLatin1String("png")) return FigureFormat::Png;
    if (suffix == QLatin1String("svg")) return FigureFormat::Svg;
    if (suffix == QLatin1String("pdf")) return FigureFormat::Pdf;
    return std::nullopt;
}

QString figureFormatSuffix(FigureFormat format) {
    switch (format) {
        case FigureFormat::Png:
            return QStringLiteral("png");
        case FigureFormat::Svg:
            return QStringLiteral("svg");
        case FigureFormat::Pdf:
            return QStringLiteral("pdf");
    }
    return {};
}

QImage renderFigureImage(const Figure& figure, const FigureExportOptions& options) {
    const QSize logical = logicalSizeOf(figure, options);
    const QSizeF total(logical.width(), logical.height() + footerHeight(options.footer));
    const double factor = std::clamp(options.dpi, 24, 1200) / 96.0;
    QImage image((total * factor).toSize(), QImage::Format_ARGB32_Premultiplied);
    if (image.isNull()) return image;
    image.fill(Qt::white);
    const int dotsPerMeter = qRound(options.dpi / 0.0254);
    image.setDotsPerMeterX(dotsPerMeter);
    image.setDotsPerMeterY(dotsPerMeter);
    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setRenderHint(QPainter::TextAntialiasing);
    painter.scale(factor, factor);
    paintWithFooter(figure, painter, QSizeF(logical), options.footer);
    painter.end();
    return image;
}

bool exportFigure(const Figure& figure, const QString& path, FigureFormat format,
                  const FigureExportOptions& options, QString* error) {
    auto fail = [&](const QString& message) {
        if (error) *error = QStringLiteral("%1: %2").arg(QDir::toNativeSeparators(path), message);
        return false;
    };
    if (format == FigureFormat::Png && (options.dpi < 24 || options.dpi > 1200))
        return fail(QObject::tr("DPI must be between 24 and 1200 (got %1)").arg(options.dpi));
    const QSize logical = logicalSizeOf(figure, options);
    const QSizeF total(logical.width(), logical.height() + footerHeight(options.footer));

    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) return fail(file.errorString());
    switch (format) {
        case FigureFormat::Png: {
            const QImage image = renderFigureImage(figure, options);
            if (image.isNull()) return fail(QObject::tr("the image is too large to allocate"));
            if (!image.save(&file, "PNG")) return fail(QObject::tr("could not encode PNG"));
            break;
        }
        case FigureFormat::Svg: {
            QSvgGenerator generator;
            generator.setOutputDevice(&file);
            generator.setSize(total.toSize());
            generator.setViewBox(QRectF(QPointF(0, 0), total));
            generator.setResolution(96);
            generator.setTitle(figure.figureTitle());
            generator.setDescription(options.footer);
            QPainter painter;
            if (!painter.begin(&generator))
                return fail(QObject::tr("could not start the SVG writer"));
            painter.fillRect(QRectF(QPointF(0, 0), total), Qt::white);
            paintWithFooter(figure, painter, QSizeF(logical), options.footer);
            painter.end();
            break;
        }
        case FigureFormat::Pdf: {
            QPdfWriter writer(&file);
            writer.setResolution(96);
            writer.setPageSize(QPageSize(total * (72.0 / 96.0), QPageSize::Point, QString(),
                                         QPageSize::ExactMatch));
            writer.setPageMargins(QMarginsF(0, 0, 0, 0));
            writer.setTitle(figure.figureTitle());
            writer.setCreator(QStringLiteral("Lens Atlas"));
            QPainter painter;
            if (!painter.begin(&writer)) return fail(QObject::tr("could not start the PDF writer"));
            // The writer's device may be a little larger than requested (rounding to points).
            const double scale =
                std::min(writer.width() / total.width(), writer.height() / total.height());
            painter.scale(scale, scale);
            paintWithFooter(figure, painter, QSizeF(logical), options.footer);
            painter.end();
            break;
        }
    }
    if (!file.commit()) return fail(file.errorString());
    return true;
}

bool exportFigure(const Figure& figure, const QString& path, const FigureExportOptions& options,
                  QString* error) {
    const auto format = figureFormatForPath(path);
    if (!format) {
        if (error)
            *error = QObject::tr("%1: unknown figure format (use .png, .svg or .pdf)")
                         .arg(QDir::toNativeSeparators(path));
        return false;
    }
    return exportFigure(figure, path, *format, options, error);
}

void copyFigureToClipboard(const Figure& figure, const FigureExportOptions& options) {
    if (auto* clipboard = QGuiApplication::clipboard())
        clipboard->setImage(renderFigureImage(figure, options));
}

QStringList saveAllFigures(const QList<const Figure*>& figures, const QString& directory,
                           const QList<FigureFormat>& formats, const FigureExportOptions& options,
                           QString* error) {
    QStringList written;
    if (!QDir().mkpath(directory)) {
        if (error)
            *error = QObject::tr("%1: cannot create the folder")
                         .arg(QDir::toNativeSeparators(directory));
        return written;
    }
    const QDir dir(directory);
    for (const Figure* figure : figures) {
        if (!figure) continue;
        for (FigureFormat format : formats) {
            const QString path = dir.filePath(figure->figureFileStem() + QLatin1Char('.') +
                                              figureFormatSuffix(format));
            if (!exportFigure(*figure, path, format, options, error)) return written;
            written << path;
        }
    }
    return written;
}

}  // namespace lens::ui
