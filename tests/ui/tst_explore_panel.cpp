// The Explore stage on generated fixtures: a small synthetic release (power-law shaped) and a
// hand-made dataset whose degree distributions leave empty log bins. Every chart is built with
// non-empty series, nothing zero or negative sits on a log axis (and every log axis spans whole
// decades holding all its points), captions quote the fitted numbers, every export (PNG, SVG,
// PDF) exists and is not blank, Save all writes every file, the min-ratings spin box re-bins, and
// the worker path (DatasetController -> QtConcurrent -> resultsShown) works and drops
// superseded jobs.
#include <QAbstractBarSeries>
#include <QAction>
#include <QBarSet>
#include <QChart>
#include <QFile>
#include <QFontInfo>
#include <QGuiApplication>
#include <QLocale>
#include <QLogValueAxis>
#include <QScatterSeries>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QSvgRenderer>
#include <QTemporaryDir>
#include <QXYSeries>
#include <QtTest>
#include <cmath>
#include <memory>

#include "DatasetController.h"
#include "UiTestSetup.h"
#include "charts/ChartFigure.h"
#include "charts/Figure.h"
#include "charts/FigureCard.h"
#include "data/DatasetBuilder.h"
#include "explore/ExploreFigures.h"
#include "explore/ExplorePanel.h"
#include "stats/Eda.h"
#include "synth/SyntheticGenerator.h"

using lens::ui::ChartFigure;
using lens::ui::ExploreChart;
using lens::ui::ExplorePanel;

namespace {

// Four users, 60 movies. Users rate 1, 2, 30 and 60 movies: ratings per user {1, 2, 30, 60}
// leave the log bins between 3 and 29 empty. Ratings per movie: movie 1 four, movie 2 three,
// movies 3..30 two, movies 31..60 one.
lens::Dataset handDataset() {
    lens::RawRatings r;
    const std::uint32_t t0 = 946684800;  // 2000-01-01
    const int perUser[] = {1, 2, 30, 60};
    for (int u = 0; u < 4; ++u)
        for (int m = 1; m <= perUser[u]; ++m)
            r.push(u + 1, m, static_cast<lens::HalfStars>(1 + (u * 7 + m) % 10),
                   t0 + static_cast<std::uint32_t>(m * 86400 * 20));
    std::vector<lens::RawMovie> movies;
    for (int m = 1; m <= 60; ++m)
        movies.push_back({m, "Movie " + std::to_string(m),
                          lens::parseGenreList(m % 3 ? "Drama" : "Comedy|Drama")});
    lens::Dataset ds = lens::buildDataset(std::move(r), std::move(movies));
    ds.name = "hand-made";
    return ds;
}

lens::SyntheticConfig smallSynthetic(std::uint64_t seed) {
    lens::SyntheticConfig config;
    config.ratings = 20'000;
    config.seed = seed;
    return config;
}

bool isPowerOfTen(double v) {
    const double e = std::log10(v);
    return v > 0 && std::abs(e - std::round(e)) < 1e-9;
}

QString fixed(double v, int decimals) {
    return QString::number(v, 'f', decimals);
}

// Structural checks of one chart: non-empty series, log axes clean.
void checkChart(ExploreChart kind, const QChart* chart) {
    QVERIFY2(!chart->title().isEmpty(), qPrintable(lens::ui::exploreChartStem(kind)));
    QVERIFY(!chart->series().isEmpty());
    for (QAbstractSeries* series : chart->series()) {
        const QString where = lens::ui::exploreChartStem(kind) + ": " + series->name();
        if (auto* xy = qobject_cast<QXYSeries*>(series)) {
            QVERIFY2(xy->count() > 0, qPrintable(where));
            for (QAbstractAxis* axis : series->attachedAxes()) {
                auto* log = qobject_cast<QLogValueAxis*>(axis);
                if (!log) continue;
                QVERIFY2(isPowerOfTen(log->min()) && isPowerOfTen(log->max()), qPrintable(where));
                const bool horizontal = log->orientation() == Qt::Horizontal;
                for (const QPointF& p : xy->points()) {
                    const double v = horizontal ? p.x() : p.y();
                    QVERIFY2(v > 0, qPrintable(where + QStringLiteral(" has %1").arg(v)));
                    QVERIFY2(v >= log->min() * (1 - 1e-12) && v <= log->max() * (1 + 1e-12),
                             qPrintable(where + QStringLiteral(" %1 outside the axis").arg(v)));
                }
            }
        } else if (auto* bars = qobject_cast<QAbstractBarSeries*>(series)) {
            QVERIFY2(!bars->barSets().isEmpty(), qPrintable(where));
            for (QBarSet* set : bars->barSets()) {
                QVERIFY2(set->count() > 0, qPrintable(where));
                double sum = 0;
                for (int i = 0; i < set->count(); ++i) sum += set->at(i);
                QVERIFY2(sum > 0, qPrintable(where));
            }
        } else {
            QFAIL(qPrintable(where + " has an unexpected series type"));
        }
    }
}

void checkExportedFiles(const QString& png, const QString& svg, const QString& pdf) {
    const QImage image(png);
    QVERIFY2(!image.isNull(), qPrintable(png));
    QVERIFY2(lens::ui::imageHasContent(image, 8), qPrintable(png));
    QSvgRenderer renderer(svg);
    QVERIFY2(renderer.isValid(), qPrintable(svg));
    QFile svgFile(svg);
    QVERIFY(svgFile.open(QIODevice::ReadOnly));
    QVERIFY2(svgFile.readAll().contains("<path"), qPrintable(svg));
    QFile pdfFile(pdf);
    QVERIFY(pdfFile.open(QIODevice::ReadOnly));
    const QByteArray bytes = pdfFile.readAll();
    QVERIFY2(bytes.startsWith("%PDF") && bytes.size() > 2000, qPrintable(pdf));
}

}  // namespace

class TestExplorePanel : public QObject {
    Q_OBJECT
public:
    static void initMain() { lens::test::useOffscreenPlatform(); }

private slots:
    void initTestCase();
    void rendersEveryChart_data();
    void rendersEveryChart();
    void emptyBinsLeftOffAndSaid();
    void captionsAndSummaryQuoteFit();
    void exportsAreNotBlank();
    void saveAllWritesEveryFile();
    void minRatingsRebins();
    void headlessFiguresRender();
    void workerPathShowsResults();
    void supersededJobIsDropped();

private:
    lens::Dataset synthetic_, hand_;
    lens::EdaReport syntheticReport_, handReport_;
    QTemporaryDir dir_;
};

void TestExplorePanel::initTestCase() {
    QVERIFY2(lens::test::startIsolatedUiTest("tst_explore_panel"), "no font installed");
    qRegisterMetaType<std::shared_ptr<const lens::Dataset>>();
    QVERIFY(dir_.isValid());
    synthetic_ = lens::generateSyntheticDataset(smallSynthetic(7));
    hand_ = handDataset();
    syntheticReport_ = lens::computeEda(synthetic_);
    handReport_ = lens::computeEda(hand_);
    QVERIFY(syntheticReport_.movieDegrees.fit.valid);
    QVERIFY(syntheticReport_.userDegrees.fit.valid);
}

void TestExplorePanel::rendersEveryChart_data() {
    QTest::addColumn<bool>("synthetic");
    QTest::newRow("synthetic release") << true;
    QTest::newRow("hand-made, empty log bins") << false;
}

void TestExplorePanel::rendersEveryChart() {
    QFETCH(bool, synthetic);
    const lens::EdaReport& report = synthetic ? syntheticReport_ : handReport_;
    ExplorePanel panel(nullptr);
    QSignalSpy shown(&panel, &ExplorePanel::resultsShown);
    panel.resize(1400, 1000);
    panel.setResult(report, QString::fromStdString(report.datasetName));
    QCOMPARE(shown.count(), 1);
    QVERIFY(panel.hasResult());
    QVERIFY(!panel.isBusy());
    QCOMPARE(panel.figures().size(), lens::ui::exploreCharts().size());
    for (ExploreChart kind : lens::ui::exploreCharts()) {
        ChartFigure* figure = panel.chartFigure(kind);
        QVERIFY(figure);
        checkChart(kind, figure->chart());
        if (QTest::currentTestFailed()) return;
        QVERIFY(!panel.card(kind)->caption().isEmpty());
        QVERIFY(figure->figureTitle().contains(QString::fromStdString(report.datasetName)));
    }
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    QVERIFY(lens::ui::imageHasContent(panel.grab().toImage(), 8));
    QVERIFY(
        lens::ui::imageHasContent(panel.chartFigure(ExploreChart::DegreePdf)->grab().toImage(), 8));
}

void TestExplorePanel::emptyBinsLeftOffAndSaid() {
    // Ratings per user {1, 2, 30, 60}: 10 bins per decade, integer edges: bins 1, 2 and those
    // holding 30 and 60 are full, the ones between are empty.
    const lens::LogBinnedPdf& pdf = handReport_.userDegrees.pdf;
    int userEmpty = 0;
    for (std::size_t k = 0; k < pdf.bins(); ++k) userEmpty += pdf.empty[k] ? 1 : 0;
    QVERIFY(userEmpty >= 5);
    const int leftOff = lens::ui::emptyPdfBinsLeftOff(handReport_);
    QVERIFY(leftOff >= userEmpty);

    std::unique_ptr<ChartFigure> figure(lens::ui::createExploreFigure(
        ExploreChart::DegreePdf, handReport_, QStringLiteral("hand-made")));
    int userPoints = -1;
    for (QAbstractSeries* s : figure->chart()->series())
        // "users", or "users, fit α = ..." when the tail was fitted (the fitted line: "users fit").
        if (s->name().section(QLatin1Char(','), 0, 0) == QLatin1String("users"))
            userPoints = static_cast<QXYSeries*>(s)->count();
    QCOMPARE(userPoints, static_cast<int>(pdf.bins()) - userEmpty);

    const QString caption = lens::ui::exploreCaption(ExploreChart::DegreePdf, handReport_);
    QVERIFY2(caption.contains(QStringLiteral("%1 empty bins").arg(leftOff)), qPrintable(caption));
    QVERIFY(caption.contains(QStringLiteral("left off the log axes")));
}

void TestExplorePanel::captionsAndSummaryQuoteFit() {
    ExplorePanel panel(nullptr);
    panel.setResult(syntheticReport_, QStringLiteral("synthetic"));
    const lens::EdaReport& r = syntheticReport_;
    const QString movieAlpha = fixed(r.movieDegrees.fit.alpha, 2);
    const QString userAlpha = fixed(r.userDegrees.fit.alpha, 2);
    const QString pdf = panel.card(ExploreChart::DegreePdf)->caption();
    QVERIFY2(pdf.contains(QStringLiteral("α = %1").arg(movieAlpha)), qPrintable(pdf));
    QVERIFY2(pdf.contains(QStringLiteral("α = %1").arg(userAlpha)), qPrintable(pdf));
    QVERIFY(pdf.contains(QStringLiteral("x_min = %1").arg(r.movieDegrees.fit.xmin)));
    const QString ccdf = panel.card(ExploreChart::Ccdf)->caption();
    QVERIFY2(ccdf.contains(movieAlpha) && ccdf.contains(userAlpha), qPrintable(ccdf));
    QVERIFY(ccdf.contains(fixed(r.movieDegrees.fit.alpha - 1.0, 2)));
    const QString lorenz = panel.card(ExploreChart::Lorenz)->caption();
    QVERIFY(lorenz.contains(fixed(r.movieDegrees.gini, 3)));
    QVERIFY(lorenz.contains(fixed(r.userDegrees.gini, 3)));
    const QString histogram = panel.card(ExploreChart::RatingHistogram)->caption();
    QVERIFY2(histogram.contains(QStringLiteral("mean is %1").arg(fixed(r.ratingHistogram.mean, 2))),
             qPrintable(histogram));
    // Sentences: two or three.
    for (ExploreChart kind : lens::ui::exploreCharts()) {
        const QString caption = panel.card(kind)->caption();
        const auto sentences = caption.count(QRegularExpression(QStringLiteral("[.](\\s|$)")));
        QVERIFY2(sentences >= 2 && sentences <= 3, qPrintable(caption));
    }
    // Legends carry alpha and Gini.
    bool alphaInLegend = false, giniInLegend = false;
    for (QAbstractSeries* s : panel.chartFigure(ExploreChart::DegreePdf)->chart()->series())
        alphaInLegend |= s->name().contains(QStringLiteral("α = %1").arg(movieAlpha));
    for (QAbstractSeries* s : panel.chartFigure(ExploreChart::Lorenz)->chart()->series())
        giniInLegend |= s->name().contains(fixed(r.movieDegrees.gini, 3));
    QVERIFY(alphaInLegend);
    QVERIFY(giniInLegend);

    const QString summary = panel.summaryText();
    QVERIFY2(summary.contains(QStringLiteral("α = %1 ± %2")
                                  .arg(movieAlpha, fixed(r.movieDegrees.fit.alphaStdErr, 2))),
             qPrintable(summary));
    QVERIFY(summary.contains(QStringLiteral("x_min %1").arg(r.movieDegrees.fit.xmin)));
    QVERIFY(summary.contains(QStringLiteral("KS %1").arg(fixed(r.movieDegrees.fit.ks, 3))));
    QVERIFY(summary.contains(fixed(100 * r.movieDegrees.top10Share, 1) + " %"));
    QVERIFY(summary.contains(fixed(100 * r.sparsity, 3) + " %"));
    QVERIFY(summary.contains(
        QLocale(QLocale::English).toString(static_cast<qulonglong>(r.movieDegrees.singleCount))));
}

void TestExplorePanel::exportsAreNotBlank() {
    ExplorePanel panel(nullptr);
    panel.setResult(syntheticReport_, QStringLiteral("synthetic"));
    const QString out = dir_.filePath("single");
    QVERIFY(QDir().mkpath(out));
    for (ExploreChart kind : lens::ui::exploreCharts()) {
        const QString stem = QDir(out).filePath(lens::ui::exploreChartStem(kind));
        QString error;
        for (const char* suffix : {".png", ".svg", ".pdf"})
            QVERIFY2(panel.card(kind)->exportTo(stem + suffix, &error), qPrintable(error));
        checkExportedFiles(stem + ".png", stem + ".svg", stem + ".pdf");
        if (QTest::currentTestFailed()) return;
    }
}

void TestExplorePanel::saveAllWritesEveryFile() {
    ExplorePanel panel(nullptr);
    QString error;
    QVERIFY(panel.saveAllCharts(dir_.filePath("none"), &error).isEmpty());
    QVERIFY(!error.isEmpty());
    QVERIFY(!panel.saveAllAction()->isEnabled());

    panel.setResult(handReport_, QStringLiteral("hand-made"));
    QVERIFY(panel.saveAllAction()->isEnabled());
    QCOMPARE(panel.saveAllAction()->shortcut(), QKeySequence(QStringLiteral("Ctrl+Shift+S")));
    QVERIFY(panel.saveAllAction()->toolTip().contains(QStringLiteral("Ctrl+Shift+S")));

    const QString out = dir_.filePath("all/nested");
    error.clear();
    const QStringList written = panel.saveAllCharts(out, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(written.size(), 3 * lens::ui::exploreCharts().size());
    for (ExploreChart kind : lens::ui::exploreCharts()) {
        const QString stem = QDir(out).filePath(lens::ui::exploreChartStem(kind));
        checkExportedFiles(stem + ".png", stem + ".svg", stem + ".pdf");
        if (QTest::currentTestFailed()) return;
    }
    QCOMPARE(QDir(out).entryList(QDir::Files).size(), written.size());
}

void TestExplorePanel::minRatingsRebins() {
    ExplorePanel panel(nullptr);
    panel.setResult(syntheticReport_, QStringLiteral("synthetic"));
    QCOMPARE(panel.minRatingsSpinBox()->value(), 1);
    panel.minRatingsSpinBox()->setValue(5);
    const lens::MovieMeanHistogram expected =
        lens::movieMeanHistogram(syntheticReport_.movieRatingSummaries, 5);
    QVERIFY(expected.moviesCounted < syntheticReport_.movieMeans.moviesCounted);
    QCOMPARE(panel.result()->movieMeans.moviesCounted, expected.moviesCounted);

    const QChart* chart = panel.chartFigure(ExploreChart::MovieMeans)->chart();
    QVERIFY(chart->title().contains(QStringLiteral("≥ 5 ratings")));
    double bars = 0;
    for (QAbstractSeries* s : chart->series())
        if (auto* b = qobject_cast<QAbstractBarSeries*>(s))
            for (int i = 0; i < b->barSets().first()->count(); ++i)
                bars += b->barSets().first()->at(i);
    QCOMPARE(bars, static_cast<double>(expected.moviesCounted));
    checkChart(ExploreChart::MovieMeans, chart);
    const QString caption = panel.card(ExploreChart::MovieMeans)->caption();
    QVERIFY2(caption.contains(QStringLiteral("at least 5 ratings")), qPrintable(caption));
    // The figure in figures() is the same object, now showing the new chart: it still exports.
    QString error;
    const QString png = dir_.filePath("movie-means-5.png");
    QVERIFY2(panel.card(ExploreChart::MovieMeans)->exportTo(png, &error), qPrintable(error));
    QVERIFY(lens::ui::imageHasContent(QImage(png), 8));
}

void TestExplorePanel::headlessFiguresRender() {
    // What `eda --out` and `report` do: figures never shown, rendered straight to images.
    const auto figures =
        lens::ui::createExploreFigures(syntheticReport_, QStringLiteral("synthetic"));
    QCOMPARE(figures.size(), std::size_t(lens::ui::exploreCharts().size()));
    lens::ui::FigureExportOptions options;
    options.dpi = 96;
    options.footer = lens::ui::exploreProvenance(syntheticReport_, "synthetic").text();
    QVERIFY(options.footer.contains(QStringLiteral("20,000 ratings")));
    for (const auto& figure : figures) {
        const QImage image = lens::ui::renderFigureImage(*figure, options);
        QVERIFY(image.width() >= 900);
        QVERIFY2(lens::ui::imageHasContent(image, 8), qPrintable(figure->figureFileStem()));
        QVERIFY(figure->isHidden());
    }
}

void TestExplorePanel::workerPathShowsResults() {
    lens::ui::DatasetController controller;
    controller.setLoadFunction([](const std::filesystem::path&, const lens::LoadOptions&) {
        return lens::generateSyntheticDataset(smallSynthetic(11));
    });
    ExplorePanel panel(&controller);
    QSignalSpy shown(&panel, &ExplorePanel::resultsShown);
    QSignalSpy busy(&panel, &ExplorePanel::busyChanged);
    controller.openPath(dir_.filePath("any-release"));
    QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 1, 60'000);
    QVERIFY(!panel.isBusy());
    QCOMPARE(busy.count(), 2);
    QCOMPARE(busy.at(0).at(0).toBool(), true);
    QCOMPARE(busy.at(1).at(0).toBool(), false);
    const QString name = QString::fromStdString(controller.dataset()->name);
    QCOMPARE(shown.at(0).at(0).toString(), name);
    QCOMPARE(panel.datasetName(), name);
    QCOMPARE(panel.figures().size(), lens::ui::exploreCharts().size());
    // Same numbers as a direct computation on the loaded dataset.
    const lens::EdaReport direct = lens::computeEda(*controller.dataset());
    QCOMPARE(panel.result()->movieDegrees.fit.alpha, direct.movieDegrees.fit.alpha);
    QCOMPARE(panel.result()->ratings, direct.ratings);
}

void TestExplorePanel::supersededJobIsDropped() {
    ExplorePanel panel(nullptr);
    QSignalSpy shown(&panel, &ExplorePanel::resultsShown);
    auto first = std::make_shared<lens::Dataset>(synthetic_);
    first->name = "first";
    auto second = std::make_shared<lens::Dataset>(hand_);
    second->name = "second";
    const quint64 a = panel.computeFor(first);
    const quint64 b = panel.computeFor(second);
    QVERIFY(b > a);
    QCOMPARE(panel.activeJobId(), b);
    QVERIFY(panel.isBusy());
    QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 1, 60'000);
    QTest::qWait(300);  // the first job's late result must not arrive after it
    QCOMPARE(shown.count(), 1);
    QCOMPARE(shown.at(0).at(0).toString(), QStringLiteral("second"));
    QCOMPARE(panel.result()->ratings, handReport_.ratings);

    // Cancel: nothing is shown, the panel is idle again.
    const quint64 c = panel.computeFor(first);
    QVERIFY(c > b);
    panel.cancel();
    QVERIFY(!panel.isBusy());
    QTest::qWait(500);
    QCOMPARE(shown.count(), 1);
}

QTEST_MAIN(TestExplorePanel)
#include "tst_explore_panel.moc"
