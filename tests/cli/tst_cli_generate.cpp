// `lens-atlas generate`: runs the real executable into a temporary folder, checks the files it
// wrote (headers, exact rating count, determinism of the seed, what it printed) and that bad
// arguments exit with 2.
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

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
