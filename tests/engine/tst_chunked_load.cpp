// The ratings parser cut into pieces (RatingsParseConfig::pieceBytes forced small, so that a
// file of a few MB is parsed as hundreds of pieces by one or two threads): the ratings, line
// counts, warnings and errors must be those of an independent line-by-line reference whatever
// the piece size, thread count and source (file on disk or memory). An error in a late piece
// names its absolute line; of two errors the first in the file is reported; ids too wide for
// 32 bits in a late piece switch the whole parse to 64-bit ids; the dataset built from many
// pieces equals the one built from a single piece, and the rows by user of input sorted by user
// (taken in input order) and unsorted (counting sort) equal a std::map reference; progress rises
// to 1 and cancelling stops.
#include <QTemporaryDir>
#include <QtTest>
#include <charconv>
#include <fstream>
#include <map>
#include <random>

#include "ParsedRows.h"
#include "data/DatasetBuilder.h"
#include "io/RatingsParser.h"
#include "util/Errors.h"

using namespace lens;

using lens::test::ParsedRow;
using lens::test::parsedRowsOf;

namespace {

// The reference: the valid lines of `text` (after its header line), split at ',' and read with
// std::from_chars; `badLines` gets the line numbers of lines that are not blank and not valid.
std::vector<ParsedRow> pieceReferenceRows(const std::string& text,
                                          std::vector<std::size_t>& badLines,
                                          std::size_t& lineCount) {
    std::vector<ParsedRow> rows;
    std::size_t lineNo = 0, pos = 0;
    while (pos < text.size()) {
        const std::size_t nl = text.find('\n', pos);
        std::string_view line(text.data() + pos,
                              (nl == std::string::npos ? text.size() : nl) - pos);
        pos = nl == std::string::npos ? text.size() : nl + 1;
        if (++lineNo == 1) continue;  // header
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (line.empty()) continue;
        std::vector<std::string_view> f;
        for (std::size_t at; (at = line.find(',')) != std::string_view::npos;) {
            f.push_back(line.substr(0, at));
            line.remove_prefix(at + 1);
        }
        f.push_back(line);
        ParsedRow r;
        double rating = 0;
        bool ok = f.size() == 4;
        for (std::size_t i = 0; ok && i < 4; ++i) {
            const char* b = f[i].data();
            const char* e = b + f[i].size();
            std::from_chars_result got{};
            if (i == 2)
                got = std::from_chars(b, e, rating);
            else
                got = std::from_chars(b, e, i == 0 ? r.user : i == 1 ? r.movie : r.ts);
            ok = !f[i].empty() && got.ec == std::errc() && got.ptr == e;
        }
        ok = ok && rating >= 0.5 && rating <= 5 && rating * 2 == static_cast<int>(rating * 2) &&
             r.ts <= 0xFFFFFFFFu;
        if (!ok) {
            badLines.push_back(lineNo);
            continue;
        }
        r.half = static_cast<int>(rating * 2);
        rows.push_back(r);
    }
    lineCount = lineNo - 1;
    return rows;
}

// About 2.3 MB of ratings (more than 1 MB, so two threads are used), sorted by user like the
// MovieLens files, with CRLF and LF line ends, blank lines, ratings the fast loop refuses
// ("3.50", "4") and no line end after the last line. `bad` lines (0-based data line numbers) are
// written as "x,1,1.0,1".
std::string makePieceRatings(std::uint32_t seed, const std::vector<int>& bad = {},
                             const std::vector<int>& wide = {}) {
    std::mt19937 rng(seed);
    std::string text = "userId,movieId,rating,timestamp\n";
    const char* ratings[] = {"0.5", "1.0", "2.5", "3.50", "4", "5.0", "3.5", "4.0"};
    std::uint64_t user = 1;
    for (int i = 0; i < 90000; ++i) {
        if (rng() % 7 == 0) user += 1 + rng() % 40;
        const bool isBad = std::find(bad.begin(), bad.end(), i) != bad.end();
        const bool isWide = std::find(wide.begin(), wide.end(), i) != wide.end();
        if (isBad) {
            text += "x,1,1.0,1\n";
            continue;
        }
        if (rng() % 97 == 0) text += "\n";  // a blank line
        text += std::to_string(isWide ? user + 5'000'000'000ull : user) + "," +
                std::to_string(1 + rng() % 131262) + "," + ratings[rng() % 8] + "," +
                std::to_string(rng() % 1500000000u) + (rng() % 3 ? "\n" : "\r\n");
    }
    text += "99999999,7,2.0,12";  // no line end
    return text;
}

RatingsParseConfig pieceConfig(int threads, std::uint64_t pieceBytes, bool lenient) {
    RatingsParseConfig config;
    config.threads = threads;
    config.pieceBytes = pieceBytes;
    config.lenient = lenient;
    config.displayName = "ratings.csv";
    config.dataOffset = std::string_view("userId,movieId,rating,timestamp\n").size();
    config.firstLineNumber = 2;
    config.maxWarnings = 1000;
    return config;
}

}  // namespace

class TestChunkedLoad : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { QVERIFY(dir_.isValid()); }

    void piecesMatchTheReference_data() {
        QTest::addColumn<int>("threads");
        QTest::addColumn<qulonglong>("pieceBytes");
        QTest::addColumn<bool>("onDisk");
        for (int threads : {1, 2})
            for (qulonglong piece : {37ull, 4096ull, 65536ull, 1000000ull, 0ull})
                for (bool onDisk : {false, true})
                    QTest::addRow("threads%d piece%llu %s", threads, piece,
                                  onDisk ? "file" : "memory")
                        << threads << piece << onDisk;
    }
    void piecesMatchTheReference() {
        QFETCH(int, threads);
        QFETCH(qulonglong, pieceBytes);
        QFETCH(bool, onDisk);
        // Lenient, with bad lines near the start, the middle and the end.
        const std::string text = makePieceRatings(7, {3, 45000, 89990});
        std::vector<std::size_t> badLines;
        std::size_t lineCount = 0;
        const std::vector<ParsedRow> expected = pieceReferenceRows(text, badLines, lineCount);
        QCOMPARE(badLines.size(), std::size_t{3});
        const RatingsParseResult result =
            parse(text, pieceConfig(threads, pieceBytes, true), onDisk);
        QVERIFY(!result.wide);
        QVERIFY(parsedRowsOf(result) == expected);
        QCOMPARE(result.lines, lineCount);
        QCOMPARE(result.skippedLines, badLines.size());
        QCOMPARE(result.warnings.size(), badLines.size());
        for (std::size_t k = 0; k < badLines.size(); ++k)
            QVERIFY2(result.warnings[k].rfind("ratings.csv:" + std::to_string(badLines[k]) + ":",
                                              0) == 0,
                     result.warnings[k].c_str());
    }

    void strictErrorNamesItsLine_data() {
        QTest::addColumn<int>("threads");
        QTest::addColumn<qulonglong>("pieceBytes");
        for (int threads : {1, 2})
            for (qulonglong piece : {100ull, 4096ull, 300000ull, 0ull})
                QTest::addRow("threads%d piece%llu", threads, piece) << threads << piece;
    }
    void strictErrorNamesItsLine() {
        QFETCH(int, threads);
        QFETCH(qulonglong, pieceBytes);
        // Two errors in late pieces: the first in the file is reported, with its file line.
        const std::string text = makePieceRatings(11, {61000, 80000});
        std::vector<std::size_t> badLines;
        std::size_t lineCount = 0;
        pieceReferenceRows(text, badLines, lineCount);
        QCOMPARE(badLines.size(), std::size_t{2});
        for (bool onDisk : {false, true}) {
            try {
                parse(text, pieceConfig(threads, pieceBytes, false), onDisk);
                QFAIL("a bad line was accepted");
            } catch (const DataError& e) {
                const std::string expected = "ratings.csv:" + std::to_string(badLines[0]) + ":";
                QVERIFY2(std::string(e.what()).find(expected) != std::string::npos, e.what());
                QVERIFY2(
                    std::string(e.what()).find("user id 'x' is not a number") != std::string::npos,
                    e.what());
            }
        }
    }

    void wideIdInALatePiece() {
        const std::string text = makePieceRatings(13, {}, {70000});
        std::vector<std::size_t> badLines;
        std::size_t lineCount = 0;
        const std::vector<ParsedRow> expected = pieceReferenceRows(text, badLines, lineCount);
        QVERIFY(badLines.empty());
        for (int threads : {1, 2}) {
            const RatingsParseResult result = parse(text, pieceConfig(threads, 5000, false), false);
            QVERIFY(result.wide);
            QVERIFY(parsedRowsOf(result) == expected);
            QCOMPARE(result.lines, lineCount);
        }
    }

    // The builder gets hundreds of blocks (several carved from one storage) instead of one.
    void datasetFromPiecesEqualsOnePiece() {
        const std::string text = makePieceRatings(17);
        auto build = [&](int threads, std::uint64_t pieceBytes) {
            RatingsParseResult r = parse(text, pieceConfig(threads, pieceBytes, false), false);
            return buildDataset(std::move(r.compact), {});
        };
        const Dataset one = build(1, 1ull << 30);
        QVERIFY(one.ratingCount() > 80000);
        for (int threads : {1, 2}) {
            const Dataset many = build(threads, 3000);
            QVERIFY(many.userIds == one.userIds);
            QVERIFY(many.movieIds == one.movieIds);
            QVERIFY(many.byUser.offsets == one.byUser.offsets);
            QVERIFY(many.byUser.index == one.byUser.index);
            QVERIFY(many.byUser.halfStars == one.byUser.halfStars);
            QVERIFY(many.timestamps == one.timestamps);
            QVERIFY(many.byMovie.offsets == one.byMovie.offsets);
            QVERIFY(many.byMovie.index == one.byMovie.index);
            QVERIFY(many.byMovie.halfStars == one.byMovie.halfStars);
        }
    }

    // Sorted by user (rows taken in input order) and the same lines with two swapped (rows by
    // counting sort): both equal a reference built with std::map, duplicates resolved to the
    // last in the file.
    void rowsByUserMatchAMapReference() {
        std::string sorted = makePieceRatings(23);
        sorted += "\n99999999,7,4.5,13\n99999999,3,1.0,14\n";  // a duplicate of the last line
        std::vector<std::size_t> bad;
        std::size_t lines = 0;
        const std::vector<ParsedRow> rows = pieceReferenceRows(sorted, bad, lines);
        QVERIFY(bad.empty());
        std::map<std::pair<std::uint64_t, std::uint64_t>, std::pair<int, std::uint64_t>> reference;
        for (const ParsedRow& r : rows) reference[{r.user, r.movie}] = {r.half, r.ts};
        // Swap the first two data lines of different users: no longer sorted by user.
        std::string unsorted = sorted;
        const std::size_t first = unsorted.find('\n') + 1;
        const std::size_t second = unsorted.find('\n', first) + 1;
        std::size_t other = second;
        while (unsorted.compare(other, unsorted.find(',', first) - first + 1,
                                unsorted.substr(first, unsorted.find(',', first) - first + 1)) == 0)
            other = unsorted.find('\n', other) + 1;
        const std::size_t otherEnd = unsorted.find('\n', other) + 1;
        const std::string a = unsorted.substr(first, second - first);
        const std::string b = unsorted.substr(other, otherEnd - other);
        unsorted.replace(other, otherEnd - other, a);
        unsorted.replace(first, second - first, b);
        QVERIFY(unsorted != sorted && unsorted.size() == sorted.size());
        for (const std::string* text : {&sorted, &unsorted}) {
            for (int threads : {1, 2}) {
                RatingsParseResult r = parse(*text, pieceConfig(threads, 3000, false), false);
                const Dataset ds = buildDataset(std::move(r.compact), {});
                QCOMPARE(ds.ratingCount(), reference.size());
                QCOMPARE(ds.report.duplicateRatings, rows.size() - reference.size());
                lens::test::compareWithReference(ds, reference, true);
                if (QTest::currentTestFailed()) return;
            }
        }
    }

    void progressRisesAndCancelStops() {
        const std::string text = makePieceRatings(19);
        for (int threads : {1, 2}) {
            RatingsParseConfig config = pieceConfig(threads, 20000, false);
            std::vector<double> seen;
            config.progress = [&seen](double f) {
                seen.push_back(f);
                return true;
            };
            parse(text, config, true);
            // Only the calling thread reports while parsing; with two threads it may get few
            // pieces on a busy machine, so only one thread's count is certain.
            QVERIFY(seen.size() > (threads == 1 ? 100u : 0u));
            QVERIFY(std::is_sorted(seen.begin(), seen.end()));
            QVERIFY(seen.front() >= 0);
            QCOMPARE(seen.back(), 1.0);
            if (threads == 1) {
                // Cancel at the third report: the pieces after it are not read. (With two
                // threads the calling thread may report only twice before the other thread has
                // parsed everything, so the third call may never come: not a test there.)
                int calls = 0;
                config.progress = [&calls](double) { return ++calls < 3; };
                QVERIFY_THROWS_EXCEPTION(Cancelled, parse(text, config, true));
                QCOMPARE(calls, 3);
            }
            config.progress = [](double) { return false; };
            QVERIFY_THROWS_EXCEPTION(Cancelled, parse(text, config, false));
        }
    }

private:
    RatingsParseResult parse(const std::string& text, const RatingsParseConfig& config,
                             bool onDisk) {
        if (!onDisk) return parseRatingsMemory(text, config);
        const std::string path = dir_.filePath("ratings.csv").toStdString();
        std::ofstream(path, std::ios::binary) << text;
        return parseRatingsFile(path, config);
    }

    QTemporaryDir dir_;
};

QTEST_GUILESS_MAIN(TestChunkedLoad)
#include "tst_chunked_load.moc"
