// ReportDocument: writes figures (PNG at the chosen DPI + SVG, with footers), a self-contained
// HTML report (figures embedded, tables escaped), a PDF and metrics.json; progress can cancel.
#include <QFile>
#include <QFontInfo>
#include <QGuiApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLineSeries>
#include <QTemporaryDir>
#include <QValueAxis>
#include <QtTest>

#include "UiTestHelpers.h"
#include "charts/ChartFigure.h"
#include "report/ReportDocument.h"

using namespace lens::ui;

using lens::test::readAll;

namespace {

std::unique_ptr<ChartFigure> lineChart(const QString& stem, double slope) {
    auto* chart = new QChart;
    chart->setTitle(QStringLiteral("Slope %1").arg(slope));
    auto* series = new QLineSeries;
    for (int i = 0; i < 20; ++i) series->append(i, slope * i);
    chart->addSeries(series);
    chart->createDefaultAxes();
    return std::make_unique<ChartFigure>(stem, chart);
}

}  // namespace

class TestReportDocument : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        QVERIFY2(!QFontInfo(QGuiApplication::font()).family().isEmpty(), "no font installed");
    }

    void writesEveryFile() {
        QTemporaryDir dir;
        auto a = lineChart(QStringLiteral("slope-one"), 1.0);
        auto b = lineChart(QStringLiteral("slope-two"), 2.0);
        ReportDocument report;
        report.title = QStringLiteral("Fixture report");
        report.subtitle = QStringLiteral("fixture dataset");
        report.dpi = 120;
        Provenance provenance;
        provenance.dataset = QStringLiteral("fixture");
        provenance.seed = QStringLiteral("9");
        ReportSection section;
        section.title = QStringLiteral("Lines");
        section.html = QStringLiteral("<p>Two lines.</p>");
        section.figures = {{a.get(), QStringLiteral("the first"), provenance},
                           {b.get(), QStringLiteral("the second"), provenance}};
        section.tables = {{QStringLiteral("Metrics"),
                           {QStringLiteral("model"), QStringLiteral("rmse")},
                           {{QStringLiteral("<als>"), QStringLiteral("0.85")}},
                           {}}};
        report.sections = {section};
        report.metrics.insert(QStringLiteral("rmse"), 0.85);

        QList<int> seen;
        QString error;
        QVERIFY2(report.write(dir.path(), &error,
                              [&](int done, int total, const QString&) {
                                  seen << done;
                                  return done <= total;
                              }),
                 qPrintable(error));
        QCOMPARE(seen.last(), 1 + 2 * 2 + 3);  // folder, 2 figures x 2 formats, 3 files
        const QImage png(dir.filePath("figures/slope-one.png"));
        QVERIFY(!png.isNull());
        QCOMPARE(qRound(png.dotsPerMeterX() * 0.0254), 120);
        QVERIFY(imageHasContent(png));
        QVERIFY(readAll(dir.filePath("figures/slope-two.svg")).contains("<svg"));
        const QByteArray html = readAll(dir.filePath("report.html"));
        QCOMPARE(html.count("data:image/png;base64,"), 2);
        QVERIFY(html.contains("&lt;als&gt;"));  // table cells escaped
        QVERIFY(html.contains("Two lines."));
        QVERIFY(!html.contains("src=\"figures/"));  // self-contained
        QVERIFY(readAll(dir.filePath("report.pdf")).startsWith("%PDF-"));
        QVERIFY(readAll(dir.filePath("report.pdf")).size() > 5000);
        const auto json = QJsonDocument::fromJson(readAll(dir.filePath("metrics.json")));
        QCOMPARE(json.object().value("rmse").toDouble(), 0.85);
    }

    void progressCancels() {
        QTemporaryDir dir;
        auto a = lineChart(QStringLiteral("only"), 1.0);
        ReportDocument report;
        ReportSection section;
        section.title = QStringLiteral("One");
        section.figures = {{a.get(), QString(), {}}};
        report.sections = {section};
        QString error;
        QVERIFY(!report.write(dir.path(), &error, [](int done, int, const QString&) {
            return done < 2;
        }));  // folder, then one figure
        QCOMPARE(error, QStringLiteral("cancelled"));
        QVERIFY(QFileInfo::exists(dir.filePath("figures/only.png")));
        QVERIFY(!QFileInfo::exists(dir.filePath("report.html")));
    }
};

QTEST_MAIN(TestReportDocument)
#include "tst_report_document.moc"
