// `lens-atlas eda`: runs the real executable on a CSV release written by the test (values
// computed by hand below), on broken input and bad arguments (exit codes), and on
// ml-latest-small when present. `--out` writes eda.json and every Explore chart as a 300 dpi PNG
// (not blank) and an SVG (parses, has paths), rendered offscreen.
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSvgRenderer>
#include <QTemporaryDir>
#include <QtTest>

#include "CliTestSupport.h"

#include "ImageContent.h"
#include "TestData.h"

namespace {

using Run = lens::test::CliRun;

Run runEda(const QStringList& args) {
    return lens::test::runLensAtlas(QStringList{"eda"} + args);
}

using lens::test::writeFile;

// Four users, five movies (movie 5 unrated):
//   user 1: movie 1 5.0, movie 2 4.0, movie 3 3.0, movie 4 0.5
//   user 2: movie 1 4.0, movie 2 4.0
//   user 3: movie 1 3.5
//   user 4: movie 1 4.5
// 8 ratings, sum 28.5, mean 3.5625; density 8 / (4 * 5) = 0.4.
// Ratings per user {4, 2, 1, 1} and per rated movie {4, 2, 1, 1}: ascending 1,1,2,4,
// sum i x_(i) = 1 + 2 + 6 + 16 = 25, total 8: Gini = 2*25/(4*8) - 5/4 = 0.3125; the top 1 %
// and top 10 % are one entity each (ceil), holding 4 of 8 ratings.
const char* kEdaRatings =
    "userId,movieId,rating,timestamp\n"
    "1,1,5.0,946684800\n"  // 2000-01-01
    "1,2,4.0,946684801\n"
    "1,3,3.0,946684802\n"
    "1,4,0.5,978307200\n"  // 2001-01-01
    "2,1,4.0,978307201\n"
    "2,2,4.0,978307202\n"
    "3,1,3.5,1009843200\n"  // 2002-01-01
    "4,1,4.5,1009843201\n";
const char* kEdaMovies =
    "movieId,title,genres\n"
    "1,Alpha (1995),Action|Comedy\n"
    "2,Beta (1996),Comedy\n"
    "3,Gamma (1997),Drama\n"
    "4,Delta (1998),(no genres listed)\n"
    "5,Epsilon (1999),Drama\n";

}  // namespace

class TestCliEda : public QObject {
    Q_OBJECT
public:
    static void initMain() {
        if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
    }

private slots:
    void initTestCase();
    void jsonOnFixture();
    void textOnFixture();
    void outWritesJsonAndCharts();
    void usageErrors_data();
    void usageErrors();
    void badData();
    void mlLatestSmall();

private:
    QTemporaryDir tmp_;
    QString release_;
};

void TestCliEda::initTestCase() {
    QVERIFY(tmp_.isValid());
    release_ = tmp_.filePath("tiny-release");
    QVERIFY(QDir().mkpath(release_));
    writeFile(release_ + "/ratings.csv", kEdaRatings);
    writeFile(release_ + "/movies.csv", kEdaMovies);
}

void TestCliEda::jsonOnFixture() {
    const Run r = runEda({release_, "--json"});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(r.out, &error);
    QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));
    const QJsonObject o = doc.object();

    QCOMPARE(o["n_users"].toInt(), 4);
    QCOMPARE(o["n_movies"].toInt(), 5);
    QCOMPARE(o["n_ratings"].toInt(), 8);
    QCOMPARE(o["density"].toDouble(), 0.4);
    QVERIFY(qAbs(o["sparsity"].toDouble() - 0.6) < 1e-12);
    QCOMPARE(o["rating_mean"].toDouble(), 3.5625);
    QCOMPARE(o["rating_median"].toDouble(), 4.0);  // 0.5 3 3.5 4 | 4 4 4.5 5

    const QJsonObject h = o["rating_histogram"].toObject();
    const QStringList keys{"0.5", "1.0", "1.5", "2.0", "2.5", "3.0", "3.5", "4.0", "4.5", "5.0"};
    QCOMPARE(h.keys().size(), 10);
    const int expected[] = {1, 0, 0, 0, 0, 1, 1, 3, 1, 1};
    for (int i = 0; i < 10; ++i) QCOMPARE(h[keys[i]].toInt(-1), expected[i]);

    for (const char* side : {"users", "movies"}) {
        const QJsonObject d = o[side].toObject();
        for (const char* key : {"alpha", "alpha_se", "xmin", "ks", "gini", "top1_share",
                                "top10_share", "n_tail", "single_rating", "min", "median", "max"})
            QVERIFY2(d.contains(key), key);
        QCOMPARE(d["count"].toInt(), 4);
        QVERIFY(qAbs(d["gini"].toDouble() - 0.3125) < 1e-12);
        QCOMPARE(d["top1_share"].toDouble(), 0.5);
        QCOMPARE(d["top10_share"].toDouble(), 0.5);
        QCOMPARE(d["single_rating"].toInt(), 2);
        QCOMPARE(d["min"].toInt(), 1);
        QCOMPARE(d["median"].toDouble(), 1.5);
        QCOMPARE(d["max"].toInt(), 4);
        // Four values, fewer than the 50 a candidate tail needs: the whole sample is the tail.
        QCOMPARE(d["xmin"].toInt(), 1);
        QCOMPARE(d["n_tail"].toInt(), 4);
        QVERIFY(d["alpha"].toDouble() > 1.0);
        QVERIFY(d["alpha_se"].toDouble() > 0.0);
        QVERIFY(d["ks"].toDouble() >= 0.0 && d["ks"].toDouble() < 1.0);
        const QJsonObject curves = d["curves"].toObject();
        QCOMPARE(curves["lorenz"].toArray().first().toArray(), (QJsonArray{0.0, 0.0}));
        QCOMPARE(curves["lorenz"].toArray().last().toArray(), (QJsonArray{1.0, 1.0}));
    }
    QCOMPARE(o["users"].toObject()["zero_count"].toInt(), 0);
    QCOMPARE(o["movies"].toObject()["zero_count"].toInt(), 1);

    const QJsonObject years = o["ratings_per_year"].toObject();
    QCOMPARE(years["2000"].toInt(), 3);
    QCOMPARE(years["2001"].toInt(), 3);
    QCOMPARE(years["2002"].toInt(), 2);

    // Comedy: movies 1 and 2, 6 ratings; no genre: movie 4, 1 rating.
    bool seenComedy = false;
    for (const QJsonValue& g : o["genres"].toArray()) {
        if (g["name"].toString() != "Comedy") continue;
        seenComedy = true;
        QCOMPARE(g["movies"].toInt(), 2);
        QCOMPARE(g["ratings"].toInt(), 6);
    }
    QVERIFY(seenComedy);
    QCOMPARE(o["movies_without_genre"].toInt(), 1);
    QCOMPARE(o["ratings_without_genre"].toInt(), 1);
    QCOMPARE(o["tags"].toObject()["total"].toInt(), 0);
}

void TestCliEda::textOnFixture() {
    const Run r = runEda({release_, "--min-ratings", "2"});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QString text = QString::fromUtf8(r.out);
    QVERIFY(text.contains("4 users, 5 movies, 8 ratings"));
    QVERIFY(text.contains("mean 3.5625"));
    QVERIFY(text.contains("Gini 0.31"));  // 0.3125 to three places
    QVERIFY(text.contains("movies with >= 2 ratings: 2"));
}

void TestCliEda::outWritesJsonAndCharts() {
    const QString out = tmp_.filePath("out/nested");
    const Run r = runEda({release_, "--json", "--out", out});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QFile f(out + "/eda.json");
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QJsonObject written = QJsonDocument::fromJson(f.readAll()).object();
    const QJsonObject printed = QJsonDocument::fromJson(r.out).object();
    QVERIFY(!written.isEmpty());
    // Same report (the timing aside): stdout stays pure JSON, the file list goes to stderr.
    QJsonObject a = written, b = printed;
    a.remove("compute_seconds");
    b.remove("compute_seconds");
    QCOMPARE(a, b);
    QVERIFY(r.err.contains("eda.json"));

    const QStringList stems{
        "degree-pdf",           "degree-ccdf", "rank-frequency",   "rating-histogram",
        "movie-mean-histogram", "lorenz",      "ratings-per-year", "genres"};
    QStringList expected{"eda.json"};
    for (const QString& stem : stems) expected << stem + ".png" << stem + ".svg";
    expected.sort();
    QStringList files = QDir(out).entryList(QDir::Files);
    files.sort();
    QCOMPARE(files, expected);
    for (const QString& stem : stems) {
        const QImage png(out + "/" + stem + ".png");
        QVERIFY2(!png.isNull(), qPrintable(stem));
        QVERIFY2(lens::ui::imageHasContent(png, 8), qPrintable(stem));
        // 300 dpi: the 900-unit-wide figure is round(900 * 300 / 96) = 2813 pixels wide.
        QCOMPARE(png.width(), qRound(900 * 300 / 96.0));
        QCOMPARE(qRound(png.dotsPerMeterX() * 0.0254), 300);
        QSvgRenderer svg(out + "/" + stem + ".svg");
        QVERIFY2(svg.isValid(), qPrintable(stem));
        QFile svgFile(out + "/" + stem + ".svg");
        QVERIFY(svgFile.open(QIODevice::ReadOnly));
        const QByteArray svgText = svgFile.readAll();
        QVERIFY2(svgText.contains("<path"), qPrintable(stem));
        QVERIFY(r.err.contains(QFile::encodeName(stem + ".png")));
    }
    // The footer names the dataset (SVG keeps the text).
    QFile pdfSvg(out + "/degree-pdf.svg");
    QVERIFY(pdfSvg.open(QIODevice::ReadOnly));
    QVERIFY(pdfSvg.readAll().contains("8 ratings, 4 users, 5 movies"));

    // Without --out nothing but stdout.
    const Run plain = runEda({release_});
    QVERIFY2(plain.exitCode == 0, plain.err.constData());
    QVERIFY(!plain.err.contains("wrote"));
}

void TestCliEda::usageErrors_data() {
    QTest::addColumn<QStringList>("args");
    QTest::newRow("no path") << QStringList{};
    QTest::newRow("unknown option") << QStringList{"x", "--frobnicate"};
    QTest::newRow("--out without value") << QStringList{"x", "--out"};
    QTest::newRow("bad --min-ratings") << QStringList{"x", "--min-ratings", "zero"};
    QTest::newRow("two paths") << QStringList{"a", "b"};
}

void TestCliEda::usageErrors() {
    QFETCH(QStringList, args);
    const Run r = runEda(args);
    QCOMPARE(r.exitCode, 2);
    QVERIFY(r.err.contains("usage: lens-atlas eda PATH"));
    QVERIFY(r.out.isEmpty());
}

void TestCliEda::badData() {
    const QString broken = tmp_.filePath("broken-release");
    QVERIFY(QDir().mkpath(broken));
    writeFile(broken + "/movies.csv", kEdaMovies);
    writeFile(broken + "/ratings.csv",
              "userId,movieId,rating,timestamp\n1,1,4.0,946684800\n1,2,seven,946684801\n");
    Run r = runEda({broken, "--json"});
    QCOMPARE(r.exitCode, 3);
    QVERIFY2(r.err.contains("ratings.csv:3"), r.err.constData());
    QVERIFY(r.out.isEmpty());

    r = runEda({tmp_.filePath("does-not-exist")});
    QCOMPARE(r.exitCode, 3);
    QVERIFY(r.err.contains("does-not-exist"));
}

void TestCliEda::mlLatestSmall() {
    LENS_REQUIRE_RELEASE(path, "ml-latest-small");
    const Run r = runEda({path, "--json"});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QJsonObject o = QJsonDocument::fromJson(r.out).object();
    const QJsonObject h = o["rating_histogram"].toObject();
    QCOMPARE(h["0.5"].toInt(), 1370);
    QCOMPARE(h["4.0"].toInt(), 26818);
    QCOMPARE(h["5.0"].toInt(), 13211);
    QVERIFY(qAbs(o["rating_mean"].toDouble() - 3.5016) < 5e-5);
    const double movieAlpha = o["movies"].toObject()["alpha"].toDouble();
    qInfo("ml-latest-small via the CLI: movies alpha %.4f (xmin %d), users alpha %.4f (xmin %d)",
          movieAlpha, o["movies"].toObject()["xmin"].toInt(),
          o["users"].toObject()["alpha"].toDouble(), o["users"].toObject()["xmin"].toInt());
    QVERIFY(movieAlpha > 1.5 && movieAlpha < 3.5);
}

QTEST_MAIN(TestCliEda)  // QSvgRenderer and QImage checks want a QGuiApplication
#include "tst_cli_eda.moc"
