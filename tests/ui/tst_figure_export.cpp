// Figure export: a Qt Charts chart in a never-shown ChartFigure exports to PNG (at the DPI asked),
// SVG and PDF atomically, with the footer; export at a size other than the widget's lays out the
// chart at that size; Save all writes every file; a failed export leaves the earlier file intact;
// FigureCard exports with the provenance footer; ModelLibrary keeps entries and the active one.
#include <QBuffer>
#include <QFile>
#include <QFontInfo>
#include <QGuiApplication>
#include <QLineSeries>
#include <QPdfWriter>
#include <QSignalSpy>
#include <QSvgRenderer>
#include <QTemporaryDir>
#include <QValueAxis>
#include <QtTest>

#include "charts/ChartFigure.h"
#include "charts/FigureCard.h"
#include "models/ModelLibrary.h"

using namespace lens::ui;

namespace {

ChartFigure* makeLineChart(QWidget* parent = nullptr) {
    auto* chart = new QChart;
    chart->setTitle(QStringLiteral("A line"));
    auto* series = new QLineSeries;
    series->setName(QStringLiteral("y = x²"));
    for (int i = 0; i <= 10; ++i) series->append(i, i * i);
    chart->addSeries(series);
    auto* x = new QValueAxis;
    x->setTitleText(QStringLiteral("x"));
    auto* y = new QValueAxis;
    y->setTitleText(QStringLiteral("y"));
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    series->attachAxis(x);
    series->attachAxis(y);
    auto* figure = new ChartFigure(QStringLiteral("line"), chart, parent);
    figure->enableHoverTooltips();
    return figure;
}

// Fraction of non-white pixels in a band of rows.
double inkInRows(const QImage& image, int from, int to) {
    int ink = 0, total = 0;
    for (int y = from; y < to; ++y)
        for (int x = 0; x < image.width(); ++x, ++total)
            if (image.pixel(x, y) != qRgb(255, 255, 255)) ++ink;
    return total ? double(ink) / total : 0.0;
}

}  // namespace

class TestFigureExport : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        QVERIFY2(!QFontInfo(QGuiApplication::font()).family().isEmpty(), "no font installed");
    }

    void formatFromSuffix_data() {
        QTest::addColumn<QString>("path");
        QTest::addColumn<int>("format");
        QTest::newRow("png") << "a/b.png" << int(FigureFormat::Png);
        QTest::newRow("upper svg") << "b.SVG" << int(FigureFormat::Svg);
        QTest::newRow("pdf") << "c.pdf" << int(FigureFormat::Pdf);
        QTest::newRow("jpeg unknown") << "d.jpg" << -1;
        QTest::newRow("no suffix") << "e" << -1;
    }
    void formatFromSuffix() {
        QFETCH(QString, path);
        QFETCH(int, format);
        const auto found = figureFormatForPath(path);
        QCOMPARE(found ? int(*found) : -1, format);
    }

    void provenanceJoinsNonEmptyParts() {
        Provenance p;
        p.dataset = "ml-latest-small";
        p.model = "ALS k 32";
        p.seed = "42";
        QCOMPARE(p.text(), QStringLiteral("ml-latest-small · ALS k 32 · seed 42"));
        QCOMPARE(Provenance{}.text(), QString());
        // A split that names its seed: the seed once.
        p.split = "per-user holdout 20% (seed 42)";
        QCOMPARE(p.text(),
                 QStringLiteral("ml-latest-small · ALS k 32 · per-user holdout 20% (seed 42)"));
        p.split = "per-user holdout 20% (seed 7)";
        QCOMPARE(
            p.text(),
            QStringLiteral("ml-latest-small · ALS k 32 · per-user holdout 20% (seed 7) · seed 42"));
    }

    void pngHasDpiSizeAndFooter() {
        QTemporaryDir dir;
        std::unique_ptr<ChartFigure> figure(makeLineChart());  // never shown
        FigureExportOptions options;
        options.logicalSize = QSize(600, 400);
        options.dpi = 192;
        options.footer = QStringLiteral("ml-latest-small · ALS k 32 · seed 42");
        const QString path = dir.filePath("line.png");
        QString error;
        QVERIFY2(exportFigure(*figure, path, options, &error), qPrintable(error));
        QImage image(path);
        QVERIFY(!image.isNull());
        QCOMPARE(image.width(), 1200);  // 600 logical at 2x
        QVERIFY(image.height() > 800);  // figure plus footer strip
        QCOMPARE(qRound(image.dotsPerMeterX() * 0.0254), 192);
        QVERIFY(imageHasContent(image, 3));
        // The footer strip holds text (ink); the chart fills the figure area.
        QVERIFY(inkInRows(image, 802, image.height()) > 0.005);
        QVERIFY(inkInRows(image, 100, 700) > 0.01);
    }

    void exportAtAnotherSizeLaysOutThere() {
        // The chart is laid out at the export size: at 1600 wide, the plot reaches beyond 1000.
        std::unique_ptr<ChartFigure> figure(makeLineChart());
        figure->resize(400, 300);
        FigureExportOptions options;
        options.logicalSize = QSize(1600, 500);
        options.dpi = 96;
        const QImage image = renderFigureImage(*figure, options);
        QCOMPARE(image.size(), QSize(1600, 500));
        int rightmostInk = 0;
        for (int y = 50; y < 450; ++y)
            for (int x = image.width() - 1; x > rightmostInk; --x)
                if (qGray(image.pixel(x, y)) < 200) {
                    rightmostInk = x;
                    break;
                }
        QVERIFY2(rightmostInk > 1200, qPrintable(QString::number(rightmostInk)));
        // And the on-screen geometry is restored.
        QCOMPARE(figure->chart()->size().toSize(), figure->chart()->size().toSize());
    }

    void svgAndPdfAreValid() {
        QTemporaryDir dir;
        std::unique_ptr<ChartFigure> figure(makeLineChart());
        FigureExportOptions options;
        options.footer = QStringLiteral("footer text");
        QString error;
        QVERIFY2(exportFigure(*figure, dir.filePath("l.svg"), options, &error), qPrintable(error));
        QSvgRenderer svg(dir.filePath("l.svg"));
        QVERIFY(svg.isValid());
        QFile svgFile(dir.filePath("l.svg"));
        QVERIFY(svgFile.open(QIODevice::ReadOnly));
        const QByteArray svgText = svgFile.readAll();
        QVERIFY(svgText.contains("<path"));
        QVERIFY(svgText.contains("footer text") || svgText.contains("<text"));
        QVERIFY2(exportFigure(*figure, dir.filePath("l.pdf"), options, &error), qPrintable(error));
        QFile pdf(dir.filePath("l.pdf"));
        QVERIFY(pdf.open(QIODevice::ReadOnly));
        const QByteArray bytes = pdf.readAll();
        QVERIFY(bytes.startsWith("%PDF-"));
        QVERIFY(bytes.size() > 1000);
    }

    void failedExportKeepsEarlierFile() {
        QTemporaryDir dir;
        std::unique_ptr<ChartFigure> figure(makeLineChart());
        const QString path = dir.filePath("keep.png");
        QFile earlier(path);
        QVERIFY(earlier.open(QIODevice::WriteOnly));
        earlier.write("earlier");
        earlier.close();
        FigureExportOptions options;
        options.dpi = 5000;  // refused
        QString error;
        QVERIFY(!exportFigure(*figure, path, options, &error));
        QVERIFY(error.contains("keep.png"));
        QVERIFY(error.contains("DPI"));
        QFile check(path);
        QVERIFY(check.open(QIODevice::ReadOnly));
        QCOMPARE(check.readAll(), QByteArray("earlier"));
        QVERIFY(!exportFigure(*figure, dir.filePath("x.bmp"), FigureExportOptions{}, &error));
        QVERIFY(error.contains("unknown figure format"));
        // A folder that does not exist fails with its name, no crash.
        QVERIFY(!exportFigure(*figure, dir.filePath("no/such/folder/x.png"), FigureExportOptions{},
                              &error));
        QVERIFY(error.contains("x.png"));
    }

    void saveAllWritesEveryFile() {
        QTemporaryDir dir;
        std::unique_ptr<ChartFigure> a(makeLineChart());
        std::unique_ptr<ChartFigure> b(new ChartFigure(QStringLiteral("empty")));
        FigureExportOptions options;
        options.dpi = 72;
        QString error;
        const QStringList written = saveAllFigures(
            {a.get(), b.get()}, dir.filePath("out/sub"),
            {FigureFormat::Png, FigureFormat::Svg, FigureFormat::Pdf}, options, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(written.size(), 6);
        for (const QString& path : written)
            QVERIFY2(QFileInfo(path).size() > 100, qPrintable(path));
        QVERIFY(QFileInfo::exists(dir.filePath("out/sub/line.svg")));
        QVERIFY(QFileInfo::exists(dir.filePath("out/sub/empty.pdf")));
    }

    void figureCardExportsWithProvenance() {
        QTemporaryDir dir;
        auto* figure = makeLineChart();
        FigureCard card(figure, figure);
        card.setCaption(QStringLiteral("<b>What this shows</b>: a parabola."));
        QVERIFY(card.caption().contains("parabola"));
        Provenance provenance;
        provenance.dataset = "fixture";
        provenance.seed = "7";
        card.setProvenance(provenance);
        QCOMPARE(card.exportOptions().footer, QStringLiteral("fixture · seed 7"));
        QString error;
        QVERIFY2(card.exportTo(dir.filePath("card.svg"), &error), qPrintable(error));
        QFile svg(dir.filePath("card.svg"));
        QVERIFY(svg.open(QIODevice::ReadOnly));
        QVERIFY(svg.readAll().contains("fixture"));  // the description carries the footer
        QCOMPARE(figure->contextMenuPolicy(), Qt::ActionsContextMenu);
        QCOMPARE(figure->actions().size(), 2);
    }

    void modelLibraryTracksActive() {
        ModelLibrary library;
        QSignalSpy entries(&library, &ModelLibrary::entriesChanged);
        QSignalSpy active(&library, &ModelLibrary::activeChanged);
        library.add({QStringLiteral("a"), QStringLiteral("A"), nullptr, nullptr, QString()});
        library.add({QStringLiteral("b"), QStringLiteral("B"), nullptr, nullptr, QString()});
        QCOMPARE(library.entries().size(), 2);
        QCOMPARE(entries.count(), 2);
        library.setActive(QStringLiteral("nope"));
        QVERIFY(library.active() == nullptr);
        QCOMPARE(active.count(), 0);
        library.setActive(QStringLiteral("b"));
        QCOMPARE(library.active()->label, QStringLiteral("B"));
        QCOMPARE(active.count(), 1);
        library.add({QStringLiteral("b"), QStringLiteral("B2"), nullptr, nullptr, QString()});
        QCOMPARE(library.entries().size(), 2);
        QCOMPARE(active.count(), 2);  // the active entry changed
        QCOMPARE(library.active()->label, QStringLiteral("B2"));
        library.remove(QStringLiteral("b"));
        QVERIFY(library.activeId().isEmpty());
        QCOMPARE(active.count(), 3);
        QCOMPARE(library.entries().size(), 1);
    }
};

QTEST_MAIN(TestFigureExport)
#include "tst_figure_export.moc"
