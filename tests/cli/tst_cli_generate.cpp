// `lens-atlas generate`: runs the real executable into a temporary folder, checks the files it
// wrote (headers, exact rating count, determinism of the seed, what it printed), a release shape
// at a small scale (exact counts, sparse ids) and that bad arguments exit with 2.
#include <QDir>
#include <QFile>
#include <QSet>
#include <QTemporaryDir>
#include <QtTest>
#include <algorithm>
#include <cmath>

#include "CliTestSupport.h"

namespace {

using Run = lens::test::CliRun;

Run runGenerate(const QStringList& args) {
    return lens::test::runLensAtlas(QStringList{"generate"} + args);
}

using lens::test::readAll;

}  // namespace

class TestCliGenerate : public QObject {
    Q_OBJECT

private slots:
    void writesARelease() {
        QTemporaryDir tmp;
        QVERIFY(tmp.isValid());
        const QString dir = tmp.filePath("demo");
        const Run r = runGenerate({"--out", dir, "--ratings", "20000", "--seed", "7"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QByteArray ratings = readAll(dir + "/ratings.csv");
        const QByteArray movies = readAll(dir + "/movies.csv");
        const QByteArray tags = readAll(dir + "/tags.csv");
        QVERIFY(ratings.startsWith("userId,movieId,rating,timestamp\n"));
        QVERIFY(movies.startsWith("movieId,title,genres\n"));
        QVERIFY(tags.startsWith("userId,movieId,tag,timestamp\n"));
        QCOMPARE(ratings.count('\n'), 20001);  // header + exactly the requested ratings
        // Every rating row is userId,movieId,r.r,timestamp.
        const QList<QByteArray> rows = ratings.split('\n');
        for (int i = 1; i < rows.size() - 1; ++i) {
            const QList<QByteArray> f = rows[i].split(',');
            QCOMPARE(f.size(), 4);
            QVERIFY(f[2].size() == 3 && f[2][1] == '.');
        }
        // It says what it wrote.
        QVERIFY2(r.out.contains("ratings.csv") && r.out.contains("20000 ratings") &&
                     r.out.contains("movies.csv") && r.out.contains("tags.csv") &&
                     r.out.contains("seed 7"),
                 r.out.constData());
        QCOMPARE(QDir(dir).entryList(QDir::Files).size(), 3);

        // Same seed, same bytes; another seed, other bytes.
        const Run again =
            runGenerate({"--out", tmp.filePath("again"), "--ratings", "20000", "--seed", "7"});
        QCOMPARE(again.exitCode, 0);
        QCOMPARE(readAll(tmp.filePath("again") + "/ratings.csv"), ratings);
        QCOMPARE(readAll(tmp.filePath("again") + "/movies.csv"), movies);
        const Run other =
            runGenerate({"--out", tmp.filePath("other"), "--ratings", "20000", "--seed", "8"});
        QCOMPARE(other.exitCode, 0);
        QVERIFY(readAll(tmp.filePath("other") + "/ratings.csv") != ratings);
    }

    void noTagsOption() {
        QTemporaryDir tmp;
        const Run r = runGenerate({"--out", tmp.path(), "--ratings", "5000", "--no-tags"});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(QFile::exists(tmp.filePath("ratings.csv")));
        QVERIFY(!QFile::exists(tmp.filePath("tags.csv")));
    }

    void usageErrorsExitWithTwo_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("no arguments") << QStringList{} << "missing --out";
        QTest::newRow("out without value") << QStringList{"--out"} << "needs a value";
        QTest::newRow("unknown option")
            << QStringList{"--out", "x", "--frobnicate"} << "unknown argument";
        QTest::newRow("ratings not a number")
            << QStringList{"--out", "x", "--ratings", "lots"} << "not a non-negative";
        QTest::newRow("negative seed")
            << QStringList{"--out", "x", "--seed", "-1"} << "not a non-negative";
        QTest::newRow("too few ratings")
            << QStringList{"--out", "x", "--ratings", "5"} << "at least 20";
        QTest::newRow("users cannot hold the ratings")
            << QStringList{"--out", "x", "--ratings", "100000", "--users", "10", "--movies", "100"}
            << "do not fit";
        QTest::newRow("unknown shape")
            << QStringList{"--out", "x", "--shape", "ml-99m"} << "unknown shape 'ml-99m'";
        QTest::newRow("shape without value")
            << QStringList{"--out", "x", "--shape"} << "needs a value";
        QTest::newRow("shape with --ratings")
            << QStringList{"--out", "x", "--shape", "ml-20m", "--ratings", "1000"}
            << "drop --ratings";
        QTest::newRow("shape with --users and --movies")
            << QStringList{"--out", "x", "--users", "10", "--shape", "ml-25m", "--movies", "50"}
            << "drop --users, --movies";
        QTest::newRow("scale without shape")
            << QStringList{"--out", "x", "--scale", "0.5"} << "--scale needs --shape";
        QTest::newRow("scale zero")
            << QStringList{"--out", "x", "--shape", "ml-32m", "--scale", "0"} << "not a fraction";
        QTest::newRow("scale above one")
            << QStringList{"--out", "x", "--shape", "ml-32m", "--scale", "2"} << "not a fraction";
        QTest::newRow("scale not a number")
            << QStringList{"--out", "x", "--shape", "ml-32m", "--scale", "half"}
            << "not a fraction";
        QTest::newRow("scale too small")
            << QStringList{"--out", "x", "--shape", "ml-32m", "--scale", "0.00001"} << "too small";
    }
    void usageErrorsExitWithTwo() {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        QTemporaryDir tmp;
        for (auto& a : args)
            if (a == "x") a = tmp.filePath("never");
        const Run r = runGenerate(args);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(message.toUtf8()) && r.err.contains("usage:"), r.err.constData());
        QVERIFY(!QFile::exists(tmp.filePath("never")));
    }

    // A shape at a small scale through the real executable: the counts it promises are the
    // counts in the files (ratings and users by the scale, movies and ids by scale^0.4 of the
    // published ML-25M figures), ids sparse and users 1..N.
    void writesAScaledShape() {
        QTemporaryDir tmp;
        const QString dir = tmp.filePath("ml-25m");
        const Run r =
            runGenerate({"--out", dir, "--shape", "ml-25m", "--scale", "0.001", "--seed", "3"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const double m = std::pow(0.001, 0.4);
        const long ratingCount = std::lround(25'000'095 * 0.001);
        const long userCount = std::lround(162'541 * 0.001);
        const long movieCount = std::lround(62'423 * m);
        const long ratedCount = std::lround(59'047 * m);
        const long maxId = std::lround(209'171 * m);

        const QList<QByteArray> ratingRows = readAll(dir + "/ratings.csv").split('\n');
        QCOMPARE(ratingRows.first(), QByteArray("userId,movieId,rating,timestamp"));
        QCOMPARE(ratingRows.size() - 2, ratingCount);  // header and the final empty piece
        QSet<long> users, rated;
        for (int i = 1; i < ratingRows.size() - 1; ++i) {
            const QList<QByteArray> f = ratingRows[i].split(',');
            QCOMPARE(f.size(), 4);
            users.insert(f[0].toLong());
            rated.insert(f[1].toLong());
        }
        QCOMPARE(users.size(), userCount);
        QCOMPARE(*std::max_element(users.begin(), users.end()), userCount);  // ids 1..N
        QCOMPARE(rated.size(), ratedCount);
        QCOMPARE(*std::max_element(rated.begin(), rated.end()), maxId);

        const QList<QByteArray> movieRows = readAll(dir + "/movies.csv").split('\n');
        QCOMPARE(movieRows.first(), QByteArray("movieId,title,genres"));
        QCOMPARE(movieRows.size() - 2, movieCount);
        QSet<long> ids;
        for (int i = 1; i < movieRows.size() - 1; ++i)
            ids.insert(movieRows[i].left(movieRows[i].indexOf(',')).toLong());
        QCOMPARE(ids.size(), movieCount);
        QCOMPARE(*std::max_element(ids.begin(), ids.end()), maxId);
        QVERIFY(maxId > 2 * movieCount);  // sparse ids, not 1..N
        for (long id : rated) QVERIFY(ids.contains(id));
        QVERIFY(QFile::exists(dir + "/tags.csv"));
        QCOMPARE(QDir(dir).entryList(QDir::Files).size(), 3);

        QVERIFY2(
            r.out.contains(QByteArray::number(static_cast<qlonglong>(ratingCount)) + " ratings") &&
                r.out.contains("shape ml-25m") &&
                r.out.contains(QByteArray::number(static_cast<qlonglong>(ratedCount)) +
                               " rated movies") &&
                r.out.contains("ids up to " + QByteArray::number(static_cast<qlonglong>(maxId))),
            r.out.constData());

        // The seed decides the release: same seed, same bytes.
        const QString again = tmp.filePath("again");
        QCOMPARE(
            runGenerate({"--out", again, "--shape", "ml-25m", "--scale", "0.001", "--seed", "3"})
                .exitCode,
            0);
        QCOMPARE(readAll(again + "/ratings.csv"), readAll(dir + "/ratings.csv"));
        QCOMPARE(readAll(again + "/movies.csv"), readAll(dir + "/movies.csv"));
    }

    void unwritableFolderFails() {
        QTemporaryDir tmp;
        QFile plain(tmp.filePath("plain"));
        QVERIFY(plain.open(QIODevice::WriteOnly));
        plain.close();
        const Run r = runGenerate({"--out", tmp.filePath("plain/sub"), "--ratings", "1000"});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("plain"), r.err.constData());
    }
};

QTEST_GUILESS_MAIN(TestCliGenerate)
#include "tst_cli_generate.moc"
