// Loader tests on fixtures the test writes itself: every layout from a folder and from a .zip,
// RFC 4180 quoting, latin-1 titles, genre unification, years, duplicates, unknown movies,
// 64-bit ids, the parallel parser's line numbers, progress and cancel.
#include <QTemporaryDir>
#include <QtTest>
#include <atomic>

#include "LoaderFixtures.h"
#include "data/Genre.h"
#include "io/CsvReader.h"
#include "io/DatasetLoader.h"
#include "io/FileSource.h"
#include "io/TextEncoding.h"

using namespace lens;
using namespace lens::test;

namespace {

GenreMask maskOf(std::initializer_list<const char*> names) {
    GenreMask m = 0;
    for (auto n : names) m |= GenreMask{1} << *genreIdFromName(n);
    return m;
}

std::uint32_t denseMovie(const Dataset& ds, std::int64_t id) {
    const auto i = ds.movieIndex(id);
    if (i < 0) throw std::runtime_error("movie " + std::to_string(id) + " missing");
    return static_cast<std::uint32_t>(i);
}

// The rating of (user id, movie id) in half stars, or -1; checked in both CSR and CSC.
int halfStarsOf(const Dataset& ds, std::int64_t userId, std::int64_t movieId) {
    const auto u = ds.userIndex(userId), m = ds.movieIndex(movieId);
    if (u < 0 || m < 0) return -1;
    int fromRows = -1, fromColumns = -1;
    auto cols = ds.byUser.rowIndex(static_cast<std::size_t>(u));
    for (std::size_t k = 0; k < cols.size(); ++k)
        if (cols[k] == static_cast<std::uint32_t>(m))
            fromRows = ds.byUser.rowHalfStars(static_cast<std::size_t>(u))[k];
    auto rows = ds.byMovie.rowIndex(static_cast<std::size_t>(m));
    for (std::size_t k = 0; k < rows.size(); ++k)
        if (rows[k] == static_cast<std::uint32_t>(u))
            fromColumns = ds.byMovie.rowHalfStars(static_cast<std::size_t>(m))[k];
    return fromRows == fromColumns ? fromRows : -2;
}

std::string bigCsvRatings(int rows, int badLine, const std::string& badText) {
    std::string text = "userId,movieId,rating,timestamp\n";
    for (int line = 2; line < rows + 2; ++line) {
        if (line == badLine) {
            text += badText + "\n";
            continue;
        }
        const int user = 1 + line / 50, movie = 1 + (line * 7919) % 5000;
        text += std::to_string(user) + "," + std::to_string(movie) + "," +
                std::to_string(1 + line % 4) + (line % 2 ? ".5" : ".0") + "," +
                std::to_string(1000000000 + line) + "\n";
    }
    return text;
}

}  // namespace

class TestLoaders : public QObject {
    Q_OBJECT

private:
    QTemporaryDir tmp_;

    void checkCsv(const Dataset& ds) {
        QCOMPARE(ds.layout, Layout::Csv);
        QCOMPARE(ds.ratingCount(), std::size_t{5});
        QCOMPARE(ds.userCount(), std::size_t{4});  // user 4 only tags
        QCOMPARE(ds.movieCount(), std::size_t{4});
        QCOMPARE(ds.ratedMovieCount(), std::size_t{3});
        QCOMPARE(ds.tags.size(), std::size_t{3});
        QCOMPARE(ds.ratingMean(), (4.0 + 3.5 + 5.0 + 0.5 + 2.0) / 5);
        QCOMPARE(ds.titles[denseMovie(ds, 10)], std::string("American President, The (1995)"));
        QCOMPARE(ds.titles[denseMovie(ds, 20)], std::string("11'09\"01 - September 11 (2002)"));
        QCOMPARE(ds.titles[denseMovie(ds, 30)], std::string("Pok\xC3\xA9mon 3: The Movie (2001)"));
        QCOMPARE(ds.years[denseMovie(ds, 20)], std::int16_t{2002});
        QCOMPARE(ds.years[denseMovie(ds, 40)], std::int16_t{0});
        QCOMPARE(ds.genres[denseMovie(ds, 10)], maskOf({"Comedy", "Drama", "Romance"}));
        QCOMPARE(ds.genres[denseMovie(ds, 30)], maskOf({"Animation", "Children", "IMAX"}));
        QCOMPARE(ds.genres[denseMovie(ds, 40)], GenreMask{0});
        QCOMPARE(halfStarsOf(ds, 1, 20), 7);
        QCOMPARE(halfStarsOf(ds, 2, 30), 1);
        QCOMPARE(ds.imdbIds[denseMovie(ds, 20)], std::int64_t{328802});
        QCOMPARE(ds.tmdbIds[denseMovie(ds, 20)], std::int64_t{0});
        QCOMPARE(ds.tmdbIds[denseMovie(ds, 30)], std::int64_t{10991});
        const auto funny = std::find_if(ds.tags.begin(), ds.tags.end(),
                                        [](const Tag& t) { return t.text == "funny, clever"; });
        QVERIFY(funny != ds.tags.end());
        QCOMPARE(ds.userIds[funny->user], std::int64_t{1});
        QCOMPARE(ds.movieIds[funny->movie], std::int64_t{10});
        QCOMPARE(ds.timestamps[ds.byUser.offsets[static_cast<std::size_t>(ds.userIndex(1))]],
                 964982703u);
        QCOMPARE(ds.report.skippedLines, std::size_t{0});
        QVERIFY(!ds.hasDemographics());  // the CSV releases have no user file
    }
    void checkMl1m(const Dataset& ds) {
        QCOMPARE(ds.layout, Layout::Ml1m);
        QCOMPARE(ds.ratingCount(), std::size_t{4});
        QCOMPARE(ds.userCount(), std::size_t{2});
        QCOMPARE(ds.movieCount(), std::size_t{4});
        QCOMPARE(ds.ratedMovieCount(), std::size_t{3});
        QCOMPARE(ds.titles[denseMovie(ds, 2)],
                 std::string("Star Wars: Episode IV - A New Hope (1977)"));
        QCOMPARE(ds.titles[denseMovie(ds, 3)],
                 std::string("Pok\xC3\xA9mon: The First Movie (1998)"));
        QCOMPARE(ds.years[denseMovie(ds, 2)], std::int16_t{1977});
        QCOMPARE(ds.genres[denseMovie(ds, 1)], maskOf({"Animation", "Children", "Comedy"}));
        QCOMPARE(halfStarsOf(ds, 2, 3), 4);
        // users.dat (details in tst_demographics): both raters listed.
        QVERIFY(ds.hasDemographics());
        QCOMPARE(ds.demographics.usersListed, std::size_t{2});
    }
    void checkMl10m(const Dataset& ds) {
        QCOMPARE(ds.layout, Layout::Ml10m);
        QCOMPARE(ds.ratingCount(), std::size_t{4});
        QCOMPARE(ds.userCount(), std::size_t{5});  // 3 raters + 2 taggers
        QCOMPARE(ds.tags.size(), std::size_t{2});
        QCOMPARE(halfStarsOf(ds, 1, 185), 9);
        QCOMPARE(halfStarsOf(ds, 3, 292), 1);
        QCOMPARE(ds.titles[denseMovie(ds, 185)], std::string("Net, The (1995)"));
        QCOMPARE(ds.tags[0].text, std::string("excellent!"));
        QVERIFY(!ds.hasDemographics());  // ml-10m ships no users.dat
    }
    void checkMl100k(const Dataset& ds) {
        QCOMPARE(ds.layout, Layout::Ml100k);
        QCOMPARE(ds.ratingCount(), std::size_t{4});
        QCOMPARE(ds.userCount(), std::size_t{3});
        QCOMPARE(ds.movieCount(), std::size_t{4});
        QCOMPARE(ds.titles[denseMovie(ds, 377)], std::string("Caf\xC3\xA9 au lait (1993)"));
        QCOMPARE(ds.genres[denseMovie(ds, 377)], maskOf({"Children", "Comedy"}));
        QCOMPARE(ds.genres[denseMovie(ds, 302)],
                 maskOf({"Crime", "Film-Noir", "Mystery", "Thriller"}));
        QCOMPARE(ds.genres[denseMovie(ds, 999)], GenreMask{0});  // "unknown" is no genre
        QCOMPARE(ds.years[denseMovie(ds, 302)], std::int16_t{1997});
        QCOMPARE(halfStarsOf(ds, 196, 377), 8);
        // u.user (details in tst_demographics): the three raters listed, user 5 not a rater.
        QVERIFY(ds.hasDemographics());
        QCOMPARE(ds.demographics.usersListed, std::size_t{3});
    }

private slots:
    void initTestCase() { QVERIFY(tmp_.isValid()); }

    void layouts_data() {
        QTest::addColumn<QString>("layout");
        QTest::addColumn<bool>("zipped");
        for (const char* layout : {"csv", "ml-1m", "ml-10m", "ml-100k"}) {
            QTest::newRow(qPrintable(QString("%1 folder").arg(layout))) << QString(layout) << false;
            QTest::newRow(qPrintable(QString("%1 zip").arg(layout))) << QString(layout) << true;
        }
    }
    void layouts() {
        QFETCH(QString, layout);
        QFETCH(bool, zipped);
        Files files = layout == "csv"      ? csvRelease()
                      : layout == "ml-1m"  ? ml1mRelease()
                      : layout == "ml-10m" ? ml10mRelease()
                                           : ml100kRelease();
        const QString name = layout == "csv"      ? "ml-latest-small"
                             : layout == "ml-10m" ? "ml-10M100K"
                                                  : layout;
        const QString where = tmp_.filePath(QString("layouts-%1-%2").arg(layout).arg(zipped));
        QString path = where + "/" + name;
        if (zipped) {
            QDir().mkpath(where);
            path += ".zip";
            writeZip(path, name.toStdString(), files);
        } else {
            writeFiles(path, files);
        }
        QCOMPARE(detectLayout(path.toStdString()), layout == "csv"      ? Layout::Csv
                                                   : layout == "ml-1m"  ? Layout::Ml1m
                                                   : layout == "ml-10m" ? Layout::Ml10m
                                                                        : Layout::Ml100k);
        const Dataset ds = loadDataset(path.toStdString());
        QCOMPARE(QString::fromStdString(ds.name), name);
        QCOMPARE(QString::fromStdString(ds.source), path);
        if (layout == "csv") checkCsv(ds);
        if (layout == "ml-1m") checkMl1m(ds);
        if (layout == "ml-10m") checkMl10m(ds);
        if (layout == "ml-100k") checkMl100k(ds);
        QVERIFY(ds.report.loadSeconds > 0);
        QVERIFY(ds.memoryBytes() > 0);
    }

    void fromMemoryAndZipBytes() {
        const Dataset ds = loadDatasetFromMemory(csvRelease(), "demo");
        QCOMPARE(ds.name, std::string("demo"));
        checkCsv(ds);
        const QString zip = tmp_.filePath("bytes.zip");
        writeZip(zip, "ml-latest-small", csvRelease());
        QFile f(zip);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray bytes = f.readAll();
        auto source = FileSource::fromZipBytes(
            std::string(bytes.constData(), static_cast<std::size_t>(bytes.size())), "x.zip");
        QCOMPARE(source->list(),
                 (std::vector<std::string>{"links.csv", "movies.csv", "ratings.csv", "tags.csv"}));
        QCOMPARE(source->read("ratings.csv").content, csvRelease()["ratings.csv"]);
    }

    void genresUnifiedAcrossReleases() {
        const Dataset csv = loadDatasetFromMemory(csvRelease(), "a");
        const Dataset old = loadDatasetFromMemory(ml1mRelease(), "ml-1m");
        const int children = *genreIdFromName("Children's");
        QCOMPARE(children, *genreIdFromName("Children"));
        QVERIFY(hasGenre(csv.genres[denseMovie(csv, 30)], children));
        QVERIFY(hasGenre(old.genres[denseMovie(old, 3)], children));
    }

    void duplicatesKeepTheLast() {
        Files files = csvRelease();
        files["ratings.csv"] += "1,10,1.5,964999999\n2,10,2.5,965000000\n1,10,3.0,965000001\n";
        const Dataset ds = loadDatasetFromMemory(files, "dups");
        QCOMPARE(ds.report.duplicateRatings, std::size_t{3});
        QCOMPARE(ds.ratingCount(), std::size_t{5});
        QCOMPARE(halfStarsOf(ds, 1, 10), 6);
        QCOMPARE(halfStarsOf(ds, 2, 10), 5);
        const auto u1 = static_cast<std::size_t>(ds.userIndex(1));
        const auto cols = ds.byUser.rowIndex(u1);
        QVERIFY(std::is_sorted(cols.begin(), cols.end()));
        QCOMPARE(ds.timestamps[ds.byUser.offsets[u1]],
                 965000001u);  // movie 10 comes first in the row
        QVERIFY(!ds.report.warnings.empty());
    }

    void unknownMoviesAreKept() {
        Files files = csvRelease();
        files["ratings.csv"] += "3,77,4.5,964999999\n";
        const Dataset ds = loadDatasetFromMemory(files, "unknown");
        QCOMPARE(ds.report.unknownMovies, std::size_t{1});
        QCOMPARE(ds.titles[denseMovie(ds, 77)], std::string("unknown #77"));
        QCOMPARE(halfStarsOf(ds, 3, 77), 9);
    }

    void idsBeyond32Bits() {
        Files files = csvRelease();
        files["ratings.csv"] +=
            "9223372036854775807,10,4.5,964999999\n5000000000,6000000000,1.0,1\n";
        const Dataset ds = loadDatasetFromMemory(files, "wide");
        QCOMPARE(ds.ratingCount(), std::size_t{7});
        QCOMPARE(halfStarsOf(ds, 9223372036854775807LL, 10), 9);
        QCOMPARE(halfStarsOf(ds, 5000000000LL, 6000000000LL), 2);
        QCOMPARE(ds.titles[denseMovie(ds, 6000000000LL)], std::string("unknown #6000000000"));
        QCOMPARE(ds.titles[denseMovie(ds, 10)], std::string("American President, The (1995)"));
        QCOMPARE(ds.tags.size(), std::size_t{3});
    }

    // The parallel parser: same result for 1 and 2 threads; first error by line across threads.
    void parallelParseAndLineNumbers_data() {
        QTest::addColumn<int>("badLine");
        QTest::newRow("no error") << 0;
        QTest::newRow("early") << 17;
        QTest::newRow("late") << 180'000;
    }
    void parallelParseAndLineNumbers() {
        QFETCH(int, badLine);
        const int rows = 200'000;  // about 4 MB: both threads get a share
        const QString dir = tmp_.filePath(QString("parallel-%1").arg(badLine));
        Files files = {{"ratings.csv", bigCsvRatings(rows, badLine, "7,8,nine,10")}};
        writeFiles(dir, files);
        LoadOptions one, two;
        one.threads = 1;
        two.threads = 2;
        if (badLine == 0) {
            const Dataset a = loadDataset(dir.toStdString(), one);
            const Dataset b = loadDataset(dir.toStdString(), two);
            const Dataset c = loadDatasetFromMemory(files, "mem", two);
            QCOMPARE(a.ratingCount(), b.ratingCount());
            QCOMPARE(a.byUser.index, b.byUser.index);
            QCOMPARE(a.byUser.halfStars, b.byUser.halfStars);
            QCOMPARE(a.timestamps, b.timestamps);
            QCOMPARE(a.byMovie.index, b.byMovie.index);
            QCOMPARE(c.byMovie.index, b.byMovie.index);
            QCOMPARE(a.report.duplicateRatings + a.ratingCount(), std::size_t(rows));
            return;
        }
        for (const LoadOptions& options : {one, two}) {
            try {
                loadDataset(dir.toStdString(), options);
                QFAIL("bad line not reported");
            } catch (const DataError& e) {
                QCOMPARE(e.line(), std::size_t(badLine));
                QVERIFY2(e.problem().find("rating 'nine' is not a number") != std::string::npos,
                         e.what());
            }
            LoadOptions lenient = options;
            lenient.lenient = true;
            const Dataset ds = loadDataset(dir.toStdString(), lenient);
            QCOMPARE(ds.report.skippedLines, std::size_t{1});
            QVERIFY(!ds.report.warnings.empty());
            QVERIFY2(ds.report.warnings[0].find(":" + std::to_string(badLine) + ": ") !=
                         std::string::npos,
                     ds.report.warnings[0].c_str());
        }
        // Two bad lines in different halves: the first is reported.
        Files two_bad = {{"ratings.csv", bigCsvRatings(rows, badLine, "1,2,3")}};
        two_bad["ratings.csv"] += "x,y,z,w\n";
        try {
            loadDatasetFromMemory(two_bad, "mem", two);
            QFAIL("bad line not reported");
        } catch (const DataError& e) {
            QCOMPARE(e.line(), std::size_t(badLine));
        }
    }

    void progressAndCancel() {
        const Files files = {{"ratings.csv", bigCsvRatings(100'000, 0, "")}};
        const QString dir = tmp_.filePath("progress");
        writeFiles(dir, files);
        double last = -1;
        bool monotonic = true;
        LoadOptions options;
        options.progress = [&](double f, const std::string&) {
            monotonic = monotonic && f >= last;
            last = f;
            return true;
        };
        loadDataset(dir.toStdString(), options);
        QVERIFY(monotonic);
        QCOMPARE(last, 1.0);
        LoadOptions cancel;
        std::atomic<int> calls{0};
        cancel.progress = [&](double, const std::string&) { return ++calls < 2; };
        QVERIFY_THROWS_EXCEPTION(Cancelled, loadDataset(dir.toStdString(), cancel));
    }

    void csvReaderEdgeCases() {
        CsvReader reader(
            "\xEF\xBB\xBF"
            "a,\"b\r\nc\",\"\"\"q\"\"\"\r\n\r\nd,,\n\"x\"y,1\nlast");
        QCOMPARE(reader.next(), CsvReader::Status::Record);
        QCOMPARE(reader.fields(), (std::vector<std::string>{"a", "b\r\nc", "\"q\""}));
        QCOMPARE(reader.line(), std::size_t{1});
        QCOMPARE(reader.next(), CsvReader::Status::Record);
        QCOMPARE(reader.fields(), (std::vector<std::string>{"d", "", ""}));
        QCOMPARE(reader.line(), std::size_t{4});
        QCOMPARE(reader.next(), CsvReader::Status::Error);
        QCOMPARE(reader.line(), std::size_t{5});
        QCOMPARE(reader.next(), CsvReader::Status::Record);
        QCOMPARE(reader.fields(), (std::vector<std::string>{"last"}));
        QCOMPARE(reader.line(), std::size_t{6});
        QCOMPARE(reader.next(), CsvReader::Status::End);
    }

    // Ascending ids (as every loader leaves them) are found by binary search, ids in another
    // order through a hash map: both answer the same, -1 for an absent id.
    void idLookupsInAnyOrder() {
        Dataset ds;
        ds.userIds = {10, 20, 30, 131262};
        ds.movieIds = {7, 3, 5};
        ds.rebuildIdMaps();
        const std::vector<std::pair<std::int64_t, std::int64_t>> users = {
            {10, 0}, {20, 1}, {30, 2}, {131262, 3}, {5, -1}, {15, -1}, {131263, -1}, {-1, -1}};
        for (const auto& [id, index] : users) QCOMPARE(ds.userIndex(id), index);
        const std::vector<std::pair<std::int64_t, std::int64_t>> movies = {
            {7, 0}, {3, 1}, {5, 2}, {4, -1}, {8, -1}};
        for (const auto& [id, index] : movies) QCOMPARE(ds.movieIndex(id), index);
        ds.userIds = {30, 10};  // changed by hand: the lookups follow after rebuildIdMaps
        ds.movieIds = {1, 2};
        ds.rebuildIdMaps();
        QCOMPARE(ds.userIndex(10), std::int64_t{1});
        QCOMPARE(ds.userIndex(20), std::int64_t{-1});
        QCOMPARE(ds.movieIndex(2), std::int64_t{1});
        QCOMPARE(ds.movieIndex(7), std::int64_t{-1});
    }

    void textEncoding() {
        QCOMPARE(latin1ToUtf8("Caf\xE9"), std::string("Caf\xC3\xA9"));
        QCOMPARE(legacyTextToUtf8("Caf\xC3\xA9"), std::string("Caf\xC3\xA9"));  // already UTF-8
        QVERIFY(isValidUtf8("\xE2\x82\xAC"));
        QCOMPARE(findInvalidUtf8("ab\xC0\xAF"), std::size_t{2});      // overlong
        QCOMPARE(findInvalidUtf8("ab\xED\xA0\x80"), std::size_t{2});  // surrogate
        QCOMPARE(findInvalidUtf8("ab\xE2\x82"), std::size_t{2});      // truncated
        QCOMPARE(findInvalidUtf8(std::string_view("a\0b", 3)), std::size_t{1});
    }
};

QTEST_GUILESS_MAIN(TestLoaders)
#include "tst_loaders.moc"
