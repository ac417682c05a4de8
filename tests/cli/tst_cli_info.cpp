// `lens-atlas info`: runs the real executable on a CSV release written here (values worked out
// by hand below), on a broken ratings file (exit 3, "file:line: problem" and the --lenient hint),
// with --lenient, on `demo`, with bad arguments (exit 2) and --help (exit 0); and the window
// without a display (exit 1 with what to do instead of Qt's abort).
#include <QDir>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include "CliTestSupport.h"

namespace {

using Run = lens::test::CliRun;

Run runInfo(const QStringList& args) {
    return lens::test::runLensAtlas(QStringList{"info"} + args, 60'000);
}

using lens::test::writeFile;

// 5 ratings: user 1 {10: 4.0, 20: 3.5}, user 2 {10: 5.0, 30: 0.5}, user 3 {20: 2.0}; user 4 only
// tags. Movies 10, 20, 30, 40 (40 unrated). Mean 15 / 5 = 3.0; density 5 / (4 * 4) = 0.3125.
// Ratings per user {2, 2, 1, 0}: min 0, median 1.5, max 2. Per rated movie {2, 2, 1}: min 1,
// median 2, max 2. Drama: movies 10 and 20.
const char* kInfoRatings =
    "userId,movieId,rating,timestamp\n1,10,4.0,964982703\n1,20,3.5,964981247\n2,10,5.0,964982224\n"
    "2,30,0.5,964983815\n3,20,2.0,964982931\n";
const char* kInfoMovies =
    "movieId,title,genres\n10,\"American President, The (1995)\",Comedy|Drama|Romance\n"
    "20,\"11'09\"\"01 - September 11 (2002)\",Drama\n30,Pokemon 3 (2001),Animation|Children|IMAX\n"
    "40,Unreleased,(no genres listed)\n";
const char* kInfoTags =
    "userId,movieId,tag,timestamp\n1,10,\"funny, clever\",1\n2,20,doc,2\n4,30,anime,3\n";

}  // namespace

class TestCliInfo : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;
    QString good_, bad_;

private slots:
    void initTestCase() {
        QVERIFY(tmp_.isValid());
        good_ = tmp_.filePath("ml-latest-small");
        bad_ = tmp_.filePath("broken");
        QDir().mkpath(good_);
        QDir().mkpath(bad_);
        writeFile(good_ + "/ratings.csv", kInfoRatings);
        writeFile(good_ + "/movies.csv", kInfoMovies);
        writeFile(good_ + "/tags.csv", kInfoTags);
        writeFile(bad_ + "/ratings.csv",
                  "userId,movieId,rating,timestamp\n1,10,4.0,1\n1,20,x,2\n2,10,3.0,3\n");
        writeFile(bad_ + "/movies.csv", kInfoMovies);
    }

    void json() {
        const Run r = runInfo({good_, "--json"});
        QCOMPARE(r.exitCode, 0);
        QJsonParseError error;
        const QJsonObject o = QJsonDocument::fromJson(r.out, &error).object();
        QCOMPARE(error.error, QJsonParseError::NoError);
        for (const char* key : {"layout", "ratings", "users", "movies", "rated_movies", "tags",
                                "density", "rating_mean", "skipped_lines", "load_seconds",
                                "ratings_per_user", "ratings_per_movie", "genres"})
            QVERIFY2(o.contains(key), key);
        QCOMPARE(o["layout"].toString(), QString("csv"));
        QCOMPARE(o["name"].toString(), QString("ml-latest-small"));
        QCOMPARE(o["ratings"].toInteger(), 5);
        QCOMPARE(o["users"].toInteger(), 4);
        QCOMPARE(o["movies"].toInteger(), 4);
        QCOMPARE(o["rated_movies"].toInteger(), 3);
        QCOMPARE(o["tags"].toInteger(), 3);
        QCOMPARE(o["density"].toDouble(), 0.3125);
        QCOMPARE(o["rating_mean"].toDouble(), 3.0);
        QCOMPARE(o["skipped_lines"].toInteger(), 0);
        QVERIFY(o["load_seconds"].toDouble() > 0);
        const QJsonObject perUser = o["ratings_per_user"].toObject();
        QCOMPARE(perUser["min"].toInteger(), 0);
        QCOMPARE(perUser["median"].toDouble(), 1.5);
        QCOMPARE(perUser["max"].toInteger(), 2);
        const QJsonObject perMovie = o["ratings_per_movie"].toObject();
        QCOMPARE(perMovie["min"].toInteger(), 1);
        QCOMPARE(perMovie["median"].toDouble(), 2.0);
        QCOMPARE(perMovie["max"].toInteger(), 2);
        QCOMPARE(o["genres"].toObject()["Drama"].toInteger(), 2);
        QCOMPARE(o["genres"].toObject()["IMAX"].toInteger(), 1);
        QCOMPARE(o["movies_without_genre"].toInteger(), 1);
    }

    void text() {
        const Run r = runInfo({good_});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains("layout         csv"), r.out.constData());
        QVERIFY2(r.out.contains("rating mean    3.0000"), r.out.constData());
    }

    void badData() {
        const Run r = runInfo({bad_, "--json"});
        QCOMPARE(r.exitCode, 3);
        QVERIFY2(r.err.contains("ratings.csv:3: rating 'x' is not a number"), r.err.constData());
        QVERIFY2(r.err.startsWith("lens-atlas info: "), r.err.constData());
        QVERIFY2(r.err.contains("--lenient skips malformed lines"), r.err.constData());
        QVERIFY(r.out.isEmpty());
        const Run lenient = runInfo({bad_, "--json", "--lenient"});
        QCOMPARE(lenient.exitCode, 0);
        const QJsonObject o = QJsonDocument::fromJson(lenient.out).object();
        QCOMPARE(o["skipped_lines"].toInteger(), 1);
        QCOMPARE(o["ratings"].toInteger(), 2);
        const Run notRelease = runInfo({tmp_.path()});
        QCOMPARE(notRelease.exitCode, 3);
        QVERIFY2(notRelease.err.contains("not a MovieLens release"), notRelease.err.constData());
    }

    // `demo` is the built-in synthetic dataset in every command taking a PATH.
    void demo() {
        const Run r = runInfo({"demo", "--json"});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(o["name"].toString(), QStringLiteral("synthetic-42"));
        QCOMPARE(o["ratings"].toInteger(), 100'000);
    }

    void helpIsNotAnError() {
        for (const char* flag : {"--help", "-h"}) {
            const Run r = runInfo({flag});
            QCOMPARE(r.exitCode, 0);
            QVERIFY2(r.out.startsWith("usage: lens-atlas info PATH"), r.out.constData());
            QVERIFY2(r.out.contains("[--format DESCRIPTOR]") && r.out.contains("[--kcore K]"),
                     r.out.constData());  // the data options every PATH command takes
            QVERIFY(r.err.isEmpty());
        }
        const Run all = lens::test::runLensAtlas({"--help"});
        QCOMPARE(all.exitCode, 0);
        QVERIFY2(all.out.contains("or `demo` for the built-in synthetic dataset"),
                 all.out.constData());
        QVERIFY2(all.out.contains("1 failure"), all.out.constData());
    }

    // --version names the BLAS kernels. A user's OPENBLAS_CORETYPE is kept; without it, on a
    // processor with AVX-512 where OpenBLAS 0.3.21 would take its AVX2 (Haswell or Zen)
    // kernels, the program starts again with the AVX-512 ones (util/BlasCore.h).
    void versionNamesTheBlasKernels() {
        QProcessEnvironment chosen = QProcessEnvironment::systemEnvironment();
        chosen.insert(QStringLiteral("OPENBLAS_CORETYPE"), QStringLiteral("Haswell"));
        const Run pinned = lens::test::runLensAtlas({"--version"}, 60'000, chosen);
        QCOMPARE(pinned.exitCode, 0);
        if (pinned.out.contains("BLAS: not OpenBLAS"))
            QSKIP("the BLAS alternative here is not OpenBLAS");
        QVERIFY2(pinned.out.contains("BLAS: OpenBLAS, Haswell kernels"), pinned.out.constData());

        __builtin_cpu_init();
        const bool avx512 =
            __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512cd") &&
            __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512dq") &&
            __builtin_cpu_supports("avx512vl");
        QProcessEnvironment unset = QProcessEnvironment::systemEnvironment();
        unset.remove(QStringLiteral("OPENBLAS_CORETYPE"));
        const Run chosenHere = lens::test::runLensAtlas({"--version"}, 60'000, unset);
        QCOMPARE(chosenHere.exitCode, 0);
        const QByteArray line = chosenHere.out.mid(chosenHere.out.indexOf("BLAS: "));
        QVERIFY2(line.startsWith("BLAS: OpenBLAS, ") && line.contains(" kernels"),
                 chosenHere.out.constData());
        if (!avx512) QSKIP("this processor has no AVX-512: OpenBLAS's own choice stands");
        QVERIFY2(!line.contains("Haswell") && !line.contains("Zen"), line.constData());
    }

    void windowWithoutDisplaySaysWhatToDo() {
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        for (const char* name : {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"})
            environment.remove(QString::fromLatin1(name));
        const Run r = lens::test::runLensAtlas({}, 60'000, environment);
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("no display"), r.err.constData());
        QVERIFY2(r.err.contains("lens-atlas --help"), r.err.constData());
    }

    void usageErrors_data() {
        QTest::addColumn<QStringList>("args");
        QTest::newRow("no path") << QStringList{};
        QTest::newRow("unknown option") << QStringList{good_, "--frobnicate"};
        QTest::newRow("two paths") << QStringList{good_, good_};
    }
    void usageErrors() {
        QFETCH(QStringList, args);
        const Run r = runInfo(args);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("usage: lens-atlas info"), r.err.constData());
    }
};

QTEST_GUILESS_MAIN(TestCliInfo)
#include "tst_cli_info.moc"
