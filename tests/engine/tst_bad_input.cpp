// Every kind of bad input the loaders must survive, one data row each: the expected error
// text, file and line in strict mode, and in lenient mode either the number of skipped lines
// or (for whole-file problems) the same error. Also inputs that look odd but are fine (BOM,
// CRLF, ids near 2^63), and the zip entry size limit. Never a crash or a hang. (Bad model files:
// tst_bad_model_files.)
#include <sys/stat.h>
#include <unistd.h>

#include <QTemporaryDir>
#include <QtTest>
#include <cstring>
#include <memory>

#include "FileBytes.h"
#include "LoaderFixtures.h"
#include "io/DatasetLoader.h"
#include "io/TextEncoding.h"
#include "io/ZipFileSource.h"

using namespace lens;
using namespace lens::test;

namespace {

const std::string kRatingsHeader = "userId,movieId,rating,timestamp\n";

// The CSV fixture with ratings line 4 (the third data line) replaced.
std::string ratingsWithLine4(const std::string& line) {
    return kRatingsHeader + "1,10,4.0,964982703\n1,20,3.5,964981247\n" + line +
           "\n2,30,0.5,964983815\n";
}

std::string moviesWithLine3(const std::string& line) {
    return "movieId,title,genres\n10,Ten (1995),Drama\n" + line + "\n30,Thirty (2001),Comedy\n";
}

std::string tagsWithLine3(const std::string& line) {
    return "userId,movieId,tag,timestamp\n1,10,funny,1445714994\n" + line + "\n";
}

// Offsets of the local header and of the central directory header of `entry`.
std::pair<qsizetype, qsizetype> zipHeaders(const QByteArray& zip, const QByteArray& entry) {
    qsizetype localAt = -1, centralAt = -1;
    for (qsizetype at = zip.indexOf("PK\x03\x04"); at >= 0; at = zip.indexOf("PK\x03\x04", at + 4))
        if (zip.mid(at + 30, entry.size()) == entry) localAt = at;
    for (qsizetype at = zip.indexOf("PK\x01\x02"); at >= 0; at = zip.indexOf("PK\x01\x02", at + 4))
        if (zip.mid(at + 46, entry.size()) == entry) centralAt = at;
    return {localAt, centralAt};
}

}  // namespace

class TestBadInput : public QObject {
    Q_OBJECT

private:
    QTemporaryDir tmp_;
    int counter_ = 0;

    // Writes the case and returns the path to open.
    QString prepare(const QString& layout, const QString& file, const QByteArray& content) {
        const QString dir = tmp_.filePath(QString("case%1").arg(++counter_));
        const std::string name = file.toStdString();
        const std::string bytes(content.constData(), static_cast<std::size_t>(content.size()));
        if (layout == "csv" || layout == "ml-1m" || layout == "ml-100k") {
            Files files = layout == "csv"     ? csvRelease()
                          : layout == "ml-1m" ? ml1mRelease()
                                              : ml100kRelease();
            files[name] = bytes;
            writeFiles(dir + "/release", files);
            return dir + "/release";
        }
        QDir().mkpath(dir);
        const QString zip = dir + "/ml-latest-small.zip";
        if (layout == "zip-truncated") {
            writeZip(zip, "ml-latest-small", csvRelease());
            QFile f(zip);
            f.resize(f.size() / 2);
        } else if (layout == "zip-garbage") {
            QFile f(zip);
            f.open(QIODevice::WriteOnly);
            f.write("PK\x03\x04 this is not really a zip archive at all");
        } else if (layout == "zip-corrupt") {
            writeZip(zip, "ml-latest-small", csvRelease(), ZipCompression::Store);
            QFile f(zip);
            f.open(QIODevice::ReadWrite);
            QByteArray all = f.readAll();
            const auto at = all.indexOf("964982703");
            all[at] = '7';  // same length, wrong CRC
            f.seek(0);
            f.write(all);
        } else if (layout == "zip-unsafe") {
            std::vector<ZipEntryData> entries;
            for (const auto& [n, c] : csvRelease()) entries.push_back({"ml-latest-small/" + n, c});
            entries.push_back({"ml-latest-small/../../evil.sh", "echo gotcha"});
            writeZipFile(zip.toStdString(), entries);
        } else if (layout == "zip-bomb") {
            std::vector<ZipEntryData> entries;
            for (const auto& [n, c] : csvRelease()) entries.push_back({"ml-latest-small/" + n, c});
            entries.push_back(
                {"ml-latest-small/genome-scores.csv", std::string(std::size_t{64} << 20, '\0')});
            writeZipFile(zip.toStdString(), entries,
                         zipCompressionSupported(ZipCompression::Bzip2) ? ZipCompression::Bzip2
                                                                        : ZipCompression::Deflate);
        } else if (layout == "zip-claims-4gib" || layout == "zip-symlink" ||
                   layout == "zip-shorter-declared") {
            // Stored entries, then header fields patched like a hand-crafted archive would be.
            writeZip(zip, "ml-latest-small", csvRelease(), ZipCompression::Store);
            QByteArray bytes = readAll(zip);
            const auto [local, central] = zipHeaders(bytes, "ml-latest-small/ratings.csv");
            if (local < 0 || central < 0) return {};
            if (layout == "zip-claims-4gib") {  // uncompressed size 0xFFFFFF00 in both headers
                put32(bytes, local + 22, 0xFFFFFF00U);
                put32(bytes, central + 24, 0xFFFFFF00U);
            } else if (layout == "zip-shorter-declared") {  // 10 bytes declared, more stored
                put32(bytes, local + 22, 10);
                put32(bytes, central + 24, 10);
            } else {  // "made by" Unix, mode lrwxrwxrwx: a symbolic link entry
                put16(bytes, central + 4, quint16((3 << 8) | 20));
                put32(bytes, central + 38, quint32(0120777) << 16);
            }
            writeAll(zip, bytes);
        } else if (layout == "zip-absolute" || layout == "zip-backslash") {
            std::vector<ZipEntryData> entries;
            for (const auto& [n, c] : csvRelease()) entries.push_back({"ml-latest-small/" + n, c});
            entries.push_back(
                {layout == "zip-absolute" ? "/etc/cron.d/evil" : "ml-latest-small\\..\\evil.bat",
                 "echo gotcha"});
            writeZipFile(zip.toStdString(), entries);
        } else if (layout.startsWith("folder-")) {
            // A release folder whose `file` is replaced by something that is not a plain file.
            const QString release = dir + "/release";
            Files files = csvRelease();
            files.erase(file.toStdString());
            writeFiles(release, files);
            const QByteArray target = QFile::encodeName(release + "/" + file);
            int rc = 0;
            if (layout == "folder-dangling-symlink")
                rc = ::symlink("no-such-file.csv", target.constData());
            else if (layout == "folder-symlink-loop")
                rc = ::symlink(QFile::encodeName(file).constData(), target.constData());
            else if (layout == "folder-symlink-to-dev-zero")
                rc = ::symlink("/dev/zero", target.constData());
            else if (layout == "folder-fifo")
                rc = ::mkfifo(target.constData(), 0600);
            else if (layout == "folder-symlink-outside") {  // valid: a link to a real file
                writeFiles(dir + "/elsewhere",
                           {{file.toStdString(), csvRelease()[file.toStdString()]}});
                rc = ::symlink(QFile::encodeName(dir + "/elsewhere/" + file).constData(),
                               target.constData());
            } else if (layout == "folder-unreadable") {
                writeFiles(release, {{file.toStdString(), csvRelease()[file.toStdString()]}});
                rc = ::chmod(target.constData(), 0);
            }
            if (rc != 0)
                qWarning("cannot prepare %s: %s", qPrintable(layout), std::strerror(errno));
            return release;
        } else if (layout == "shrinking") {
            // 20 MB of ratings; the test truncates the file while the loader reads it.
            const QString release = dir + "/release";
            Files files = csvRelease();
            files.erase("ratings.csv");
            writeFiles(release, files);  // ratings.csv: written by the test before each load
            return release;
        } else if (layout == "zip-empty") {
            writeZipFile(zip.toStdString(), {});
        } else if (layout == "not-release") {
            writeFiles(dir + "/downloads", {{"readme.txt", "hello"}, {"ratings.txt", "1,2,3,4"}});
            return dir + "/downloads";
        } else if (layout == "not-zip") {
            writeFiles(dir, {{"notes.txt", "hello"}});
            return dir + "/notes.txt";
        } else if (layout == "missing") {
            return dir + "/does-not-exist";
        }
        return zip;
    }

private slots:
    void initTestCase() { QVERIFY(tmp_.isValid()); }

    void badInput_data() {
        QTest::addColumn<QString>("layout");
        QTest::addColumn<QString>("file");
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("fragment");  // empty: loads fine
        QTest::addColumn<int>("line");
        QTest::addColumn<int>("lenientSkipped");  // -1: an error in lenient mode too

        auto bytes = [](const std::string& s) {
            return QByteArray(s.data(), static_cast<qsizetype>(s.size()));
        };
        const QString r = "ratings.csv", m = "movies.csv";

        // Headers and empty files: whole-file problems, fatal in both modes.
        QTest::newRow("missing header")
            << "csv" << r << bytes("1,10,4.0,964982703\n2,10,3.0,964982703\n") << "missing header"
            << 1 << -1;
        QTest::newRow("wrong header") << "csv" << r << bytes("user,movie,rating,time\n1,10,4.0,1\n")
                                      << "wrong header" << 1 << -1;
        QTest::newRow("wrong movies header")
            << "csv" << m << bytes("id,name,genres\n10,X,Drama\n") << "wrong header" << 1 << -1;
        QTest::newRow("wrong tags header")
            << "csv" << QString("tags.csv") << bytes("a,b\n") << "wrong header" << 1 << -1;
        QTest::newRow("empty ratings file")
            << "csv" << r << QByteArray() << "file is empty" << 0 << -1;
        QTest::newRow("header only")
            << "csv" << r << bytes(kRatingsHeader) << "no ratings" << 0 << -1;
        QTest::newRow("empty movies file")
            << "csv" << m << QByteArray() << "file is empty" << 0 << -1;
        QTest::newRow("empty u.data")
            << "ml-100k" << QString("u.data") << bytes("\n\n") << "file is empty" << 0 << -1;

        // Malformed ratings lines: fatal when strict, skipped when lenient.
        QTest::newRow("too few fields")
            << "csv" << r << bytes(ratingsWithLine4("2,10,5.0")) << "expected 4 fields" << 4 << 1;
        QTest::newRow("too many fields")
            << "csv" << r << bytes(ratingsWithLine4("2,10,5.0,1,9")) << "found 5" << 4 << 1;
        QTest::newRow("non-numeric user") << "csv" << r << bytes(ratingsWithLine4("bob,10,5.0,1"))
                                          << "user id 'bob' is not a number" << 4 << 1;
        QTest::newRow("non-numeric movie") << "csv" << r << bytes(ratingsWithLine4("2,1O,5.0,1"))
                                           << "movie id '1O' is not a number" << 4 << 1;
        QTest::newRow("non-numeric rating") << "csv" << r << bytes(ratingsWithLine4("2,10,good,1"))
                                            << "rating 'good' is not a number" << 4 << 1;
        QTest::newRow("non-numeric timestamp")
            << "csv" << r << bytes(ratingsWithLine4("2,10,5.0,yesterday"))
            << "timestamp 'yesterday'" << 4 << 1;
        QTest::newRow("rating above 5") << "csv" << r << bytes(ratingsWithLine4("2,10,7,1"))
                                        << "rating 7 is outside 0.5-5" << 4 << 1;
        QTest::newRow("rating 0") << "csv" << r << bytes(ratingsWithLine4("2,10,0.0,1"))
                                  << "outside 0.5-5" << 4 << 1;
        QTest::newRow("rating negative")
            << "csv" << r << bytes(ratingsWithLine4("2,10,-1,1")) << "outside 0.5-5" << 4 << 1;
        QTest::newRow("rating not a half step")
            << "csv" << r << bytes(ratingsWithLine4("2,10,3.3,1")) << "not a half-star step" << 4
            << 1;
        QTest::newRow("negative user id") << "csv" << r << bytes(ratingsWithLine4("-5,10,4.0,1"))
                                          << "user id -5 is negative" << 4 << 1;
        QTest::newRow("negative movie id") << "csv" << r << bytes(ratingsWithLine4("5,-10,4.0,1"))
                                           << "movie id -10 is negative" << 4 << 1;
        QTest::newRow("overflowing user id")
            << "csv" << r << bytes(ratingsWithLine4("9223372036854775808,10,4.0,1"))
            << "out of range" << 4 << 1;
        QTest::newRow("huge movie id")
            << "csv" << r << bytes(ratingsWithLine4("1,99999999999999999999999,4.0,1"))
            << "out of range" << 4 << 1;
        QTest::newRow("timestamp after 2106")
            << "csv" << r << bytes(ratingsWithLine4("1,10,4.0,99999999999"))
            << "timestamp 99999999999 is out of range" << 4 << 1;
        QTest::newRow("NUL byte in ratings")
            << "csv" << r << bytes(ratingsWithLine4(std::string("1,10,4.\0,1", 10))) << "NUL byte"
            << 4 << 1;
        QTest::newRow("million-char ratings line")
            << "csv" << r << bytes(ratingsWithLine4(std::string(1'000'000, '7')))
            << "bytes long (limit 100000)" << 4 << 1;
        QTest::newRow("invalid UTF-8 in ratings")
            << "csv" << r << bytes(ratingsWithLine4("1,1\xC3\x28,4.0,1")) << "movie id" << 4 << 1;
        QTest::newRow("last line without newline bad")
            << "csv" << r << bytes(kRatingsHeader + "1,10,4.0,1\n1,20,9,2") << "rating 9 is outside"
            << 3 << 1;

        // Malformed lines of the other files.
        QTest::newRow("invalid UTF-8 title")
            << "csv" << m << bytes(moviesWithLine3("20,Bad \xC3\x28 title (1999),Drama"))
            << "invalid UTF-8 in title" << 3 << 1;
        QTest::newRow("NUL in title")
            << "csv" << m << bytes(moviesWithLine3(std::string("20,Bad\0title,Drama", 18)))
            << "NUL byte" << 3 << 1;
        QTest::newRow("movies field count")
            << "csv" << m << bytes(moviesWithLine3("20,Comma, unquoted (1999),Drama"))
            << "expected 3 fields" << 3 << 1;
        QTest::newRow("unterminated quote")
            << "csv" << m << bytes(moviesWithLine3("20,\"Never closed (1999),Drama"))
            << "unterminated quoted field" << 3 << 1;
        QTest::newRow("text after closing quote")
            << "csv" << m << bytes(moviesWithLine3("20,\"Closed\" late,Drama"))
            << "after a closing quote" << 3 << 1;
        QTest::newRow("million-char title")
            << "csv" << m << bytes(moviesWithLine3("20," + std::string(1'000'000, 'x') + ",Drama"))
            << "longer than 100000 bytes" << 3 << 1;
        QTest::newRow("non-numeric movie id in movies")
            << "csv" << m << bytes(moviesWithLine3("abc,Title (1999),Drama"))
            << "movie id 'abc' is not a number" << 3 << 1;
        QTest::newRow("ml-1m single colons")
            << "ml-1m" << QString("ratings.dat") << bytes("1::1::5::978300760\n1:2:3:978302109\n")
            << "expected 4 fields" << 2 << 1;
        QTest::newRow("ml-1m movies.dat fields")
            << "ml-1m" << QString("movies.dat")
            << bytes("1::Toy Story (1995)::Comedy\n2 Star Wars\n") << "expected 3 fields" << 2 << 1;
        QTest::newRow("ml-100k spaces not tabs")
            << "ml-100k" << QString("u.data")
            << bytes("196\t242\t3\t881250949\n186 302 3 891717742\n") << "expected 4 fields" << 2
            << 1;
        QTest::newRow("ml-100k u.item fields")
            << "ml-100k" << QString("u.item")
            << bytes(ml100kItem(242, "Kolya (1996)", {5}) + "302|L.A. Confidential (1997)|x\n")
            << "expected 24 fields" << 2 << 1;

        // Odd but valid.
        QTest::newRow("UTF-8 BOM")
            << "csv" << r << bytes("\xEF\xBB\xBF" + kRatingsHeader + "1,10,4.0,1\n") << "" << 0
            << 0;
        QTest::newRow("BOM in movies")
            << "csv" << m << bytes("\xEF\xBB\xBFmovieId,title,genres\n10,X (1990),Drama\n") << ""
            << 0 << 0;
        QTest::newRow("CRLF")
            << "csv" << r
            << bytes("userId,movieId,rating,timestamp\r\n1,10,4.0,1\r\n2,10,3.5,2\r\n") << "" << 0
            << 0;
        QTest::newRow("CRLF movies")
            << "csv" << m << bytes("movieId,title,genres\r\n10,\"A, B (1990)\",Drama\r\n") << ""
            << 0 << 0;
        QTest::newRow("ids near 2^63")
            << "csv" << r
            << bytes(ratingsWithLine4("9223372036854775807,9223372036854775806,4.0,1")) << "" << 0
            << 0;
        QTest::newRow("blank lines")
            << "csv" << r << bytes(kRatingsHeader + "1,10,4.0,1\n\n\n2,10,3.0,2\n") << "" << 0 << 0;

        // Archives and folders.
        QTest::newRow("truncated zip")
            << "zip-truncated"
            << "ml-latest-small.zip" << QByteArray() << "not a valid zip archive" << 0 << -1;
        QTest::newRow("garbage zip")
            << "zip-garbage"
            << "ml-latest-small.zip" << QByteArray() << "not a valid zip archive" << 0 << -1;
        QTest::newRow("corrupt zip entry")
            << "zip-corrupt"
            << "ml-latest-small.zip:ratings.csv" << QByteArray() << "corrupt zip entry" << 0 << -1;
        QTest::newRow("zip entry with ../")
            << "zip-unsafe"
            << "ml-latest-small.zip" << QByteArray() << "unsafe path" << 0 << -1;
        QTest::newRow("zip bomb") << "zip-bomb"
                                  << "ml-latest-small.zip" << QByteArray() << "compression ratio"
                                  << 0 << -1;
        QTest::newRow("empty zip")
            << "zip-empty"
            << "ml-latest-small.zip" << QByteArray() << "not a MovieLens release" << 0 << -1;
        QTest::newRow("not a release")
            << "not-release"
            << "downloads" << QByteArray() << "looked for ratings.csv" << 0 << -1;
        QTest::newRow("not a zip")
            << "not-zip"
            << "notes.txt" << QByteArray() << "not a folder or a .zip" << 0 << -1;
        QTest::newRow("missing path")
            << "missing"
            << "does-not-exist" << QByteArray() << "no such file or folder" << 0 << -1;

        // ---- Issue 10 additions: hostile archives, links, extreme lines, encodings, I/O. ----
        const QString zipName = "ml-latest-small.zip";
        QTest::newRow("zip entry claiming 4 GiB")
            << "zip-claims-4gib" << zipName << QByteArray() << "(zip bomb?)" << 0 << -1;
        QTest::newRow("zip entry longer than declared")
            << "zip-shorter-declared" << zipName + ":ratings.csv" << QByteArray() << "zip entry"
            << 0 << -1;
        QTest::newRow("zip entry with absolute path")
            << "zip-absolute" << zipName << QByteArray() << "unsafe path" << 0 << -1;
        QTest::newRow("zip entry with ..\\ path")
            << "zip-backslash" << zipName << QByteArray() << "unsafe path" << 0 << -1;
        QTest::newRow("zip symlink entry")
            << "zip-symlink" << zipName << QByteArray() << "a symbolic link" << 0 << -1;
        QTest::newRow("dangling symlink as ratings.csv")
            << "folder-dangling-symlink" << r << QByteArray() << "broken symbolic link" << 0 << -1;
        QTest::newRow("symlink loop as ratings.csv")
            << "folder-symlink-loop" << r << QByteArray() << "cannot open" << 0 << -1;
        QTest::newRow("ratings.csv -> /dev/zero")
            << "folder-symlink-to-dev-zero" << r << QByteArray() << "not a regular file" << 0 << -1;
        QTest::newRow("movies.csv a FIFO (no hang)")
            << "folder-fifo" << m << QByteArray() << "not a regular file" << 0 << -1;
        QTest::newRow("symlink to a file elsewhere (valid)")
            << "folder-symlink-outside" << r << QByteArray() << "" << 0 << 0;
        QTest::newRow("unreadable ratings.csv (chmod 000)")
            << "folder-unreadable" << r << QByteArray() << "Permission denied" << 0 << -1;
        QTest::newRow("unreadable movies.csv (chmod 000)")
            << "folder-unreadable" << m << QByteArray() << "Permission denied" << 0 << -1;
        QTest::newRow("file shrinks while read")
            << "shrinking" << r << QByteArray() << "shrank while it was read" << 0 << -1;

        QTest::newRow("ids 2^63-1 in movies and tags (valid)")
            << "csv" << m
            << bytes(
                   "movieId,title,genres\n10,Ten (1995),Drama\n20,X (1999),Drama\n"
                   "30,Thirty (2001),Comedy\n9223372036854775807,Max (2000),Drama\n")
            << "" << 0 << 0;
        QTest::newRow("movie id 2^63 in movies")
            << "csv" << m << bytes(moviesWithLine3("9223372036854775808,Over (2000),Drama"))
            << "out of range" << 3 << 1;
        QTest::newRow("user id 2^64 in tags")
            << "csv" << QString("tags.csv") << bytes(tagsWithLine3("18446744073709551616,10,x,1"))
            << "out of range" << 3 << 1;
        QTest::newRow("ids 2^63 in ratings.dat")
            << "ml-1m" << QString("ratings.dat")
            << bytes("1::1::5::978300760\n9223372036854775808::2::3::978302109\n") << "out of range"
            << 2 << 1;

        QTest::newRow("million-char header")
            << "csv" << r << bytes(std::string(1'000'000, 'h') + "\n1,10,4.0,1\n") << "wrong header"
            << 1 << -1;
        QTest::newRow("million-char last line without newline")
            << "csv" << r << bytes(kRatingsHeader + "1,10,4.0,1\n" + std::string(1'000'000, '1'))
            << "bytes long (limit 100000)" << 3 << 1;
        QTest::newRow("million-char tag")
            << "csv" << QString("tags.csv")
            << bytes(tagsWithLine3("2,20,\"" + std::string(1'000'000, 't') + "\",1"))
            << "longer than 100000 bytes" << 3 << 1;
        QTest::newRow("million-char movies.dat line")
            << "ml-1m" << QString("movies.dat")
            << bytes("1::Toy Story (1995)::Comedy\n2::" + std::string(1'000'000, 'x') + "::Drama\n")
            << "bytes long (limit 100000)" << 2 << 1;
        QTest::newRow("million-char u.item line")
            << "ml-100k" << QString("u.item")
            << bytes(ml100kItem(242, "Kolya (1996)", {5}) + std::string(1'000'000, '|') + "\n")
            << "bytes long (limit 100000)" << 2 << 1;
        QTest::newRow("million-char ratings.dat line")
            << "ml-1m" << QString("ratings.dat")
            << bytes("1::1::5::978300760\n" + std::string(1'000'000, ':') + "\n")
            << "bytes long (limit 100000)" << 2 << 1;

        QTest::newRow("NUL byte in header")
            << "csv" << r << bytes(std::string("userId,movieId\0rating,timestamp\n1,10,4,1\n", 41))
            << "wrong header" << 1 << -1;
        QTest::newRow("NUL byte in tag")
            << "csv" << QString("tags.csv")
            << bytes(tagsWithLine3(std::string("2,20,a\0b,1445714996", 19))) << "NUL byte" << 3
            << 1;
        QTest::newRow("NUL byte in u.data")
            << "ml-100k" << QString("u.data")
            << bytes(std::string("196\t242\t3\t881250949\n186\t302\t\0\t891717742\n", 40))
            << "NUL byte" << 2 << 1;
        QTest::newRow("NUL byte in u.item")
            << "ml-100k" << QString("u.item")
            << bytes(ml100kItem(242, "Kolya (1996)", {5}) +
                     ml100kItem(302, std::string("L.A.\0Confidential", 17), {6}))
            << "NUL byte" << 2 << 1;
        QTest::newRow("whole file of NUL bytes")
            << "csv" << r << QByteArray(4096, '\0') << "wrong header" << 1 << -1;

        QTest::newRow("latin-1 tag in UTF-8 tags.csv")
            << "csv" << QString("tags.csv") << bytes(tagsWithLine3("2,20,caf\xE9,1445714996"))
            << "invalid UTF-8 in tag" << 3 << 1;
        QTest::newRow("mixed UTF-8 and latin-1 lines in movies.dat (read as latin-1)")
            << "ml-1m" << QString("movies.dat")
            << bytes(
                   "1::Caf\xC3\xA9 (1995)::Comedy\n2::Caf\xE9 (1995)::Drama\n3::Three "
                   "(1990)::Drama\n")
            << "" << 0 << 0;
        QTest::newRow("UTF-16 ratings.csv")
            << "csv" << r << QByteArray("\xFF\xFEu\0s\0e\0r\0I\0d\0,\0m\0\n\0", 20)
            << "wrong header" << 1 << -1;
        QTest::newRow("CR-only line ends")
            << "csv" << r << bytes("userId,movieId,rating,timestamp\r1,10,4.0,1\r2,10,3.5,2\r")
            << "wrong header" << 1 << -1;
    }

    void badInput() {
        QFETCH(QString, layout);
        QFETCH(QString, file);
        QFETCH(QByteArray, content);
        QFETCH(QString, fragment);
        QFETCH(int, line);
        QFETCH(int, lenientSkipped);
        if (layout == "folder-unreadable" && ::geteuid() == 0)
            QSKIP(
                "running as root: chmod 000 does not stop root from reading; run the tests as "
                "a normal user to check this row");
        const QString path = prepare(layout, file, content);
        QVERIFY2(!path.isEmpty(), "fixture could not be prepared");
        for (const bool lenient : {false, true}) {
            LoadOptions options;
            options.lenient = lenient;
            if (layout == "shrinking") {
                // 20 MB of ratings, cut to half while the first 8 MB piece is being parsed.
                const QString ratings = path + "/ratings.csv";
                QByteArray big(kRatingsHeader.c_str());
                big.reserve(21 << 20);
                for (int i = 0; big.size() < (20 << 20); ++i)
                    big += QByteArray::number(1 + i / 400) + ',' +
                           QByteArray::number(10 + i % 400) + ",4.0,964982703\n";
                writeAll(ratings, big);
                options.threads = 1;
                auto cut = std::make_shared<bool>(false);
                options.progress = [ratings, cut](double fraction, const std::string& stage) {
                    if (!*cut && stage == "reading ratings" && fraction > 0.0) {
                        *cut = true;
                        QFile::resize(ratings, QFileInfo(ratings).size() / 2);
                    }
                    return true;
                };
            }
            const bool expectError = !fragment.isEmpty() && (!lenient || lenientSkipped < 0);
            try {
                const Dataset ds = loadDataset(path.toStdString(), options);
                QVERIFY2(!expectError, qPrintable(QString("no error; expected '%1' (lenient %2)")
                                                      .arg(fragment)
                                                      .arg(lenient)));
                QVERIFY(ds.ratingCount() > 0);
                QCOMPARE(ds.report.skippedLines, std::size_t(std::max(0, lenientSkipped)));
                if (lenientSkipped > 0) {
                    QVERIFY(!ds.report.warnings.empty());
                    const QString warning = QString::fromStdString(ds.report.warnings.front());
                    QVERIFY2(warning.contains(fragment), qPrintable(warning));
                    QVERIFY2(warning.contains(QString("%1:%2: ").arg(file).arg(line)),
                             qPrintable(warning));
                }
            } catch (const DataError& e) {
                QVERIFY2(expectError, e.what());
                QVERIFY2(QString::fromStdString(e.problem()).contains(fragment), e.what());
                QCOMPARE(e.line(), std::size_t(line));
                QVERIFY2(QString::fromStdString(e.file()).endsWith(file), e.what());
                QVERIFY2(std::string(e.what()).size() < 400, "messages stay short");
            }
        }
    }

    // The small files are read on a thread of their own while the ratings parse (one thread:
    // in turn): either way a problem in each file is reported in the files' order, ratings
    // first, and strict mode stops at the ratings' problem.
    void problemsInSeveralFiles() {
        Files files = csvRelease();
        files["ratings.csv"] = ratingsWithLine4("1,x,4.0,964982703");
        files["movies.csv"] = moviesWithLine3("y,Twenty (1999),Drama");
        files["tags.csv"] = tagsWithLine3("1,10,funny,z");
        const QString path = tmp_.filePath("several/release");
        writeFiles(path, files);
        std::vector<std::string> first;
        for (const int threads : {1, 2}) {
            LoadOptions options;
            options.threads = threads;
            options.lenient = true;
            const Dataset ds = loadDataset(path.toStdString(), options);
            QCOMPARE(ds.report.skippedLines, std::size_t{3});
            QVERIFY(ds.report.warnings.size() >= 3);
            const std::vector<std::string> warnings(ds.report.warnings.begin(),
                                                    ds.report.warnings.begin() + 3);
            for (const auto& [at, where] :
                 {std::pair{0, "ratings.csv:4: "}, std::pair{1, "movies.csv:3: "},
                  std::pair{2, "tags.csv:3: "}})
                QVERIFY2(warnings[static_cast<std::size_t>(at)].find(where) != std::string::npos,
                         warnings[static_cast<std::size_t>(at)].c_str());
            if (first.empty())
                first = warnings;
            else
                QCOMPARE(warnings, first);
            options.lenient = false;
            try {
                loadDataset(path.toStdString(), options);
                QFAIL("strict mode loaded a release with a malformed ratings line");
            } catch (const DataError& e) {
                QVERIFY2(e.file().ends_with("ratings.csv"), e.what());
                QCOMPARE(e.line(), std::size_t{4});
            }
        }
    }

    void zipSizeLimit() {
        const QString zip = tmp_.filePath("limit.zip");
        writeZip(zip, "ml-latest-small", csvRelease());
        ZipLimits limits;
        limits.maxEntryBytes = 100;  // the ratings entry is larger
        try {
            ZipFileSource::openFile(zip.toStdString(), limits);
            QFAIL("oversized entry accepted");
        } catch (const DataError& e) {
            QVERIFY2(std::string(e.what()).find("exceeds the limit") != std::string::npos,
                     e.what());
        }
        QVERIFY(ZipFileSource::openFile(zip.toStdString())->exists("ratings.csv"));
    }
};

QTEST_GUILESS_MAIN(TestBadInput)
#include "tst_bad_input.moc"
