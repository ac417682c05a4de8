// `lens-atlas report`: the whole study headless. On the built-in demo (always available) with
// the bias and ALS models: every file is written (figures PNG at the chosen DPI + SVG, HTML with
// embedded figures, PDF, metrics.json with the models' metrics and the map); on ml-latest-small
// (skipped when absent) the personas' lists name the real movies; bad arguments exit 2.
#include <QDir>
#include <QFile>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include "../TestData.h"
#include "CliTestSupport.h"

using lens::test::runLensAtlas;

using lens::test::readAll;

class TestCliReport : public QObject {
    Q_OBJECT
private slots:
    void demoReportWritesEverything() {
        QTemporaryDir dir;
        const auto run =
            runLensAtlas({"report", "demo", "--out", dir.path(), "--models", "bias,als",
                          "--personas", "lotr,toy-story", "--dpi", "100", "--seed", "7"},
                         300'000);
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QVERIFY(run.out.contains("training Biased MF (ALS)"));  // progress lines
        QVERIFY(run.out.contains("report written to"));
        // Every figure as PNG and SVG.
        const QStringList pngs = QDir(dir.filePath("figures")).entryList({"*.png"});
        const QStringList svgs = QDir(dir.filePath("figures")).entryList({"*.svg"});
        QVERIFY2(pngs.size() >= 13, qPrintable(pngs.join(',')));  // 8 explore + 2 curves + 3 map
        QCOMPARE(svgs.size(), pngs.size());
        for (const char* stem : {"degree-pdf", "learning-curve-als", "genre-map", "movie-map"})
            QVERIFY2(pngs.contains(QString(stem) + ".png"), stem);
        const QImage png(dir.filePath("figures/degree-pdf.png"));
        QCOMPARE(qRound(png.dotsPerMeterX() * 0.0254), 100);
        QCOMPARE(png.width(), qRound(900 * 100 / 96.0));
        const QByteArray html = readAll(dir.filePath("report.html"));
        QCOMPARE(html.count("data:image/png;base64,"), pngs.size());
        QVERIFY(html.contains("seed 7") || html.contains("Seed 7"));
        QVERIFY(readAll(dir.filePath("report.pdf")).startsWith("%PDF-"));
        const QJsonObject metrics =
            QJsonDocument::fromJson(readAll(dir.filePath("metrics.json"))).object();
        QCOMPARE(metrics.value("seed").toString(), QStringLiteral("7"));
        const QJsonArray models = metrics.value("models").toArray();
        QCOMPARE(models.size(), 2);
        QCOMPARE(models[1].toObject().value("model").toString(), QStringLiteral("als"));
        const double rmse = models[1].toObject().value("test_rmse").toDouble();
        QVERIFY2(rmse > 0.3 && rmse < 1.5, qPrintable(QString::number(rmse)));
        QVERIFY(metrics.value("map").toObject().value("genres").toArray().size() >= 10);
        QCOMPARE(metrics.value("personas").toArray().size(), 4);  // 2 personas x 2 models

        // The comparison section: both models on leave-one-out, one pair per metric, and its
        // figures and text in the report.
        const QJsonObject comparison = metrics.value("comparison").toObject();
        QVERIFY(comparison.value("split").toString().contains("leave-one-out"));
        QCOMPARE(comparison.value("models").toArray().size(), 2);
        const QJsonArray pairs = comparison.value("pairs").toArray();
        QVERIFY(!pairs.isEmpty());
        for (const auto& p : pairs) {
            QCOMPARE(p.toObject().value("a").toString(), QStringLiteral("bias"));
            QCOMPARE(p.toObject().value("b").toString(), QStringLiteral("als"));
        }
        QVERIFY(pngs.contains("compare-protocols.png"));
        QVERIFY(html.contains("Compare: is one model really better?"));
    }

    void realReleaseListsRealMovies() {
        LENS_REQUIRE_RELEASE(release, "ml-latest-small");
        QTemporaryDir dir;
        const auto run = runLensAtlas({"report", release, "--out", dir.path(), "--models", "als",
                                       "--personas", "lotr", "--dpi", "72"},
                                      300'000);
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const QJsonObject metrics =
            QJsonDocument::fromJson(readAll(dir.filePath("metrics.json"))).object();
        const QJsonArray lists = metrics.value("personas").toArray();
        QCOMPARE(lists.size(), 1);
        const QJsonArray items = lists[0].toObject().value("items").toArray();
        QCOMPARE(items.size(), 10);
        for (const auto& item : items) {
            const qint64 id = item.toObject().value("movie_id").toInteger();
            QVERIFY(id != 4993 && id != 5952 &&
                    id != 7153);  // the persona's own movies are excluded
            QVERIFY(item.toObject().value("ratings_count").toInteger() >= 100);
        }
        const QByteArray html = readAll(dir.filePath("report.html"));
        QVERIFY(html.contains("Lord of the Rings fan"));
    }

    void badArguments_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("no out") << QStringList{"report", "demo"} << "missing --out";
        QTest::newRow("unknown model")
            << QStringList{"report", "demo", "--out", "x", "--models", "svd"}
            << "unknown model 'svd'";
        QTest::newRow("unknown persona")
            << QStringList{"report", "demo", "--out", "x", "--personas", "nobody"}
            << "unknown persona 'nobody'";
        QTest::newRow("bad dpi") << QStringList{"report", "demo", "--out", "x", "--dpi", "5"}
                                 << "--dpi";
    }
    void badArguments() {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        const auto run = runLensAtlas(args);
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains(message.toUtf8()), run.err.constData());
    }

    void missingReleaseIsBadData() {
        QTemporaryDir dir;
        const auto run =
            runLensAtlas({"report", dir.filePath("nowhere"), "--out", dir.filePath("out")});
        QVERIFY(run.exitCode == 3 || run.exitCode == 1);
        QVERIFY(run.err.contains("nowhere"));
    }
};

QTEST_MAIN(TestCliReport)
#include "tst_cli_report.moc"
