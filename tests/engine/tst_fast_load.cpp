// The fast ratings path against an independent reference: the 8-bytes-at-a-time digit scanner
// at every id and timestamp length (1 to 20 digits, either side of its 8-digit step), rating
// spellings, separators, CRLF, a last line without its line end; and whole datasets of
// shuffled, duplicated lines over more than one parsing thread, compared entry by entry with a
// map built from the same lines by std::from_chars.
#include <QtTest>
#include <charconv>
#include <map>
#include <random>

#include "ParsedRows.h"
#include "io/DatasetLoader.h"
#include "io/RatingsParser.h"

using namespace lens;

using lens::test::ParsedRow;
using lens::test::parsedRowsOf;

namespace {

// Independent reference for one valid line: split at the separator, std::from_chars.
ParsedRow referenceRow(std::string_view line, std::string_view sep) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    std::vector<std::string_view> f;
    for (std::size_t at; (at = line.find(sep)) != std::string_view::npos;) {
        f.push_back(line.substr(0, at));
        line.remove_prefix(at + sep.size());
    }
    f.push_back(line);
    if (f.size() != 4) throw std::runtime_error("reference: not 4 fields");
    ParsedRow r;
    std::from_chars(f[0].data(), f[0].data() + f[0].size(), r.user);
    std::from_chars(f[1].data(), f[1].data() + f[1].size(), r.movie);
    double rating = 0;
    std::from_chars(f[2].data(), f[2].data() + f[2].size(), rating);
    r.half = static_cast<int>(rating * 2);
    std::from_chars(f[3].data(), f[3].data() + f[3].size(), r.ts);
    return r;
}

// A decimal of exactly `digits` digits (leading digit nonzero unless digits == 1).
std::string number(std::mt19937_64& rng, int digits) {
    std::string s(1, static_cast<char>('1' + rng() % 9));
    if (digits == 1) s[0] = static_cast<char>('0' + rng() % 10);
    while (static_cast<int>(s.size()) < digits) s.push_back(static_cast<char>('0' + rng() % 10));
    return s;
}

const char* const kRatings[] = {"0.5", "1", "1.0", "2.5", "3.50", "4.000", "5", "5.0", "05.0"};

}  // namespace

class TestFastLoad : public QObject {
    Q_OBJECT
private slots:
    void digitLengthsMatchTheReference_data() {
        QTest::addColumn<int>("separator");
        QTest::addColumn<bool>("crlf");
        QTest::addColumn<int>("threads");
        for (int sep = 0; sep < 3; ++sep)
            for (bool crlf : {false, true})
                for (int threads : {1, 2})
                    QTest::addRow("sep%d crlf%d threads%d", sep, int(crlf), threads)
                        << sep << crlf << threads;
    }
    void digitLengthsMatchTheReference() {
        QFETCH(int, separator);
        QFETCH(bool, crlf);
        QFETCH(int, threads);
        const auto kind = static_cast<RatingsSeparator>(separator);
        const std::string sep = separator == 0 ? "," : separator == 1 ? "\t" : "::";
        std::mt19937_64 rng(1234u + static_cast<unsigned>(separator));
        std::string text;
        std::vector<ParsedRow> expected;
        // More than 1 MB, so that two threads split it; ids of 1..18 digits (all < 2^63), also
        // with leading zeros; timestamps of 1..10 digits below 2^32.
        for (int line = 0; text.size() < (std::size_t{3} << 19); ++line) {
            const int userDigits = 1 + line % 18, movieDigits = 1 + (line / 18) % 18;
            std::string user = number(rng, userDigits), movie = number(rng, movieDigits);
            if (line % 7 == 0 && userDigits <= 16) user = "000" + user;  // 19 chars at most
            std::string ts = std::to_string(rng() % 4294967296u);
            if (line % 11 == 0) ts = number(rng, 1 + line % 9);
            const std::string rating = kRatings[line % std::size(kRatings)];
            const std::string body = user + sep + movie + sep + rating + sep + ts;
            expected.push_back(referenceRow(body, sep));
            text += body + (crlf ? "\r\n" : "\n");
            if (line % 1000 == 0) text += crlf ? "\r\n" : "\n";  // blank lines are skipped
        }
        // The last line without a line end, with an 8-digit user id (the scanner's step).
        const std::string last = "12345678" + sep + "87654321" + sep + "4.5" + sep + "4294967295";
        expected.push_back(referenceRow(last, sep));
        text += last;
        RatingsParseConfig config;
        config.separator = kind;
        config.threads = threads;
        config.displayName = "r";
        const RatingsParseResult result = parseRatingsMemory(text, config);
        QVERIFY(result.wide);  // ids above 2^32 switch to 64-bit ids
        const std::vector<ParsedRow> rows = parsedRowsOf(result);
        QCOMPARE(rows.size(), expected.size());
        for (std::size_t i = 0; i < rows.size(); ++i)
            if (!(rows[i] == expected[i]))
                QFAIL(qPrintable(QString("row %1 differs: user %2 movie %3 half %4 ts %5")
                                     .arg(i)
                                     .arg(rows[i].user)
                                     .arg(rows[i].movie)
                                     .arg(rows[i].half)
                                     .arg(rows[i].ts)));
    }

    // Fields one digit too long, or too large, are refused with the line they are on, whichever
    // side of the 8-digit step they fall.
    void overlongFieldsAreErrors_data() {
        QTest::addColumn<QString>("line");
        QTest::addColumn<QString>("problem");
        QTest::addRow("20-digit user") << "12345678901234567890,1,3.0,5"
                                       << "user id 12345678901234567890 is out of range";
        QTest::addRow("user above 2^63-1") << "9223372036854775808,1,3.0,5"
                                           << "user id 9223372036854775808 is out of range";
        QTest::addRow("11-digit timestamp") << "1,1,3.0,10000000000"
                                            << "timestamp 10000000000 is out of range";
        QTest::addRow("timestamp 2^32") << "1,1,3.0,4294967296"
                                        << "timestamp 4294967296 is out of range";
        QTest::addRow("letter after 8 digits") << "123456789x,1,3.0,5"
                                               << "user id '123456789x' is not a number";
        QTest::addRow("letter in 8 digits") << "1234x678,1,3.0,5"
                                            << "user id '1234x678' is not a number";
        QTest::addRow("rating 3.05") << "1,1,3.05,5"
                                     << "rating 3.05 is not a half-star step";
        QTest::addRow("rating 0.0") << "1,1,0.0,5"
                                    << "rating 0.0 is outside 0.5-5";
        QTest::addRow("rating 5.5") << "1,1,5.5,5"
                                    << "rating 5.5 is outside 0.5-5";
    }
    void overlongFieldsAreErrors() {
        QFETCH(QString, line);
        QFETCH(QString, problem);
        std::string text;
        for (int i = 1; i <= 60000; ++i)  // over 1 MB: the bad line is in the second thread's half
            text += std::to_string(i) + ",7,3.5,1000000000\n";
        text += line.toStdString() + "\n3,3,3.0,3\n";
        RatingsParseConfig config;
        config.threads = 2;
        config.displayName = "ratings.csv";
        config.firstLineNumber = 2;
        try {
            parseRatingsMemory(text, config);
            QFAIL("no error");
        } catch (const DataError& e) {
            const QString what = QString::fromStdString(e.what());
            QVERIFY2(what.startsWith("ratings.csv:60002: "), qPrintable(what));
            QVERIFY2(what.contains(problem), qPrintable(what));
        }
    }

    // A whole release through the loader against a reference built from the same lines: dense
    // ids in ascending order, each user's row sorted by movie with the last of duplicate pairs,
    // the CSC the transpose of the CSR.
    void datasetMatchesTheReference_data() {
        QTest::addColumn<int>("threads");
        QTest::addRow("1 thread") << 1;
        QTest::addRow("2 threads") << 2;
    }
    void datasetMatchesTheReference() {
        QFETCH(int, threads);
        std::mt19937_64 rng(99);
        std::string ratings = "\xEF\xBB\xBFuserId,movieId,rating,timestamp\r\n";
        std::map<std::pair<std::int64_t, std::int64_t>, std::pair<int, std::uint32_t>> reference;
        for (int i = 0; i < 120000; ++i) {
            // Sparse ids (up to 6 digits, like ML-20M's movies), unsorted, with duplicates.
            const std::int64_t user = 1 + static_cast<std::int64_t>(rng() % 3000) * 37;
            const std::int64_t movie = 1 + static_cast<std::int64_t>(rng() % 5000) * 29;
            const int half = 1 + static_cast<int>(rng() % 10);
            const auto ts = static_cast<std::uint32_t>(rng());
            ratings += std::to_string(user) + "," + std::to_string(movie) + "," +
                       std::to_string(half / 2) + (half % 2 ? ".5" : ".0") + "," +
                       std::to_string(ts) + (i % 3 ? "\n" : "\r\n");
            reference[{user, movie}] = {half, ts};  // the last of duplicates wins
        }
        const std::string movies =
            "movieId,title,genres\n1,\"Quoted, Title (1999)\",Comedy\n999999,Unrated "
            "(2001),Drama\n";
        // Enough tags to be indexed by more than one thread; some by users and of movies that
        // have no rating (they get dense indices too).
        struct RefTag {
            std::int64_t user, movie;
            std::string text;
            std::int64_t ts;
        };
        std::vector<RefTag> refTags;
        std::string tags = "userId,movieId,tag,timestamp\n";
        for (int i = 0; i < 50000; ++i) {
            RefTag t{1 + static_cast<std::int64_t>(rng() % 3100) * 37,
                     1 + static_cast<std::int64_t>(rng() % 5100) * 29,
                     i % 5 ? "tag " + std::to_string(i) : "\"a, \"\"quoted\"\" tag\"",
                     static_cast<std::int64_t>(rng() % 2000000000)};
            tags += std::to_string(t.user) + "," + std::to_string(t.movie) + "," + t.text + "," +
                    std::to_string(t.ts) + "\n";
            if (i % 5 == 0) t.text = "a, \"quoted\" tag";
            refTags.push_back(std::move(t));
        }
        LoadOptions options;
        options.threads = threads;
        const Dataset ds = loadDatasetFromMemory(
            {{"ratings.csv", ratings}, {"movies.csv", movies}, {"tags.csv", tags}}, "fast",
            options);
        std::vector<std::int64_t> users, movieIds{999999};
        for (const RefTag& t : refTags) {
            users.push_back(t.user);
            movieIds.push_back(t.movie);
        }
        for (const auto& [key, value] : reference) {
            users.push_back(key.first);
            movieIds.push_back(key.second);
        }
        std::sort(users.begin(), users.end());
        users.erase(std::unique(users.begin(), users.end()), users.end());
        std::sort(movieIds.begin(), movieIds.end());
        movieIds.erase(std::unique(movieIds.begin(), movieIds.end()), movieIds.end());
        QVERIFY(ds.userIds == users);
        QVERIFY(ds.movieIds == movieIds);
        QCOMPARE(ds.ratingCount(), reference.size());
        QCOMPARE(ds.report.duplicateRatings, std::size_t{120000} - reference.size());
        QCOMPARE(ds.titles[0], std::string("Quoted, Title (1999)"));
        lens::test::compareWithReference(ds, reference, false);
        if (QTest::currentTestFailed()) return;
        // Tags in file order, their dense ids mapping back to the release ids.
        QCOMPARE(ds.tags.size(), refTags.size());
        for (std::size_t k = 0; k < refTags.size(); ++k) {
            QCOMPARE(ds.userIds[ds.tags[k].user], refTags[k].user);
            QCOMPARE(ds.movieIds[ds.tags[k].movie], refTags[k].movie);
            QCOMPARE(ds.tags[k].text, refTags[k].text);
            QCOMPARE(ds.tags[k].timestamp, refTags[k].ts);
        }
    }
};

QTEST_GUILESS_MAIN(TestFastLoad)
#include "tst_fast_load.moc"
