// The reader of a user's own interaction data (io/InteractionFormat.h, io/InteractionReader.h):
// descriptors, sniffing, timestamps against libc's timegm, scale detection, and whole files —
// ml-latest-small read through a mapping must equal the MovieLens loader's dataset.
#include <QTemporaryDir>
#include <QtTest>
#include <ctime>
#include <fstream>
#include <map>
#include <random>

#include "TestData.h"
#include "io/DatasetLoader.h"
#include "io/InteractionReader.h"
#include "io/JsonFile.h"

using namespace lens;

namespace {

void writeTextFile(const std::filesystem::path& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary);
    out << text;
}

// (user label, item label) -> (rating, time), the dataset's content as the data spells it.
std::map<std::pair<std::string, std::string>, std::pair<float, std::uint32_t>> contentOf(
    const Dataset& ds) {
    std::map<std::pair<std::string, std::string>, std::pair<float, std::uint32_t>> out;
    for (std::size_t u = 0; u < ds.userCount(); ++u)
        for (auto e = ds.byUser.offsets[u]; e < ds.byUser.offsets[u + 1]; ++e)
            out[{ds.userLabel(u), ds.movieLabel(ds.byUser.index[e])}] = {
                ds.ratingValue(ds.byUser.halfStars[e]), ds.timestamps[e]};
    return out;
}

Dataset readText(const std::string& text, const std::string& format, LoadOptions options = {},
                 const std::string& items = {}, const std::string& itemsFormat = {}) {
    return readInteractions(text, "events.txt", parseInteractionFormat(format), "events", options,
                            items.empty() ? std::nullopt : std::optional<std::string_view>(items),
                            "items.txt",
                            itemsFormat.empty() ? ItemsFormat{} : parseItemsFormat(itemsFormat));
}

}  // namespace

class TestInteractionReader : public QObject {
    Q_OBJECT
private slots:
    void descriptorsRoundTrip() {
        const auto f = parseInteractionFormat("user=0,item=1,rating=2,time=3,sep=\\t,header=no");
        QCOMPARE(f.user.index, 0);
        QCOMPARE(f.time.index, 3);
        QCOMPARE(f.separator, '\t');
        QCOMPARE(f.header, HeaderMode::No);
        QCOMPARE(parseInteractionFormat(f.text()), f);
        QCOMPARE(f.text(), std::string("user=0,item=1,rating=2,time=3,sep=tab,header=no"));
        const auto byName = parseInteractionFormat("item=movieId, user=userId,sep=,");
        QCOMPARE(byName.user.name, std::string("userId"));
        QCOMPARE(byName.separator, ',');
        QCOMPARE(parseInteractionFormat(byName.text()), byName);
        const auto items = parseItemsFormat("id=0,title=1,categories=2,sep=;,catsep=|");
        QCOMPARE(items.separator, ';');
        QCOMPARE(parseItemsFormat(items.text()), items);
        for (const char* bad :
             {"user=0", "user=0,item=1,ratng=2", "user=0,item=1,sep=ab", "user=0,item=0",
              "user=0,item=1,header=maybe", "user=0,user=1,item=2", "user,item=1", "user=,item=1"})
            QVERIFY_THROWS_EXCEPTION(std::invalid_argument, parseInteractionFormat(bad));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, parseItemsFormat("title=1"));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, parseItemsFormat("id=0,sep=|,catsep=|"));
    }

    void sniffsSeparatorHeaderAndMapping() {
        const auto tsv = sniffInteractions(
            "visitorid\tproductid\tscore\tdate\nv1\tp9\t4\t2020-01-02\n"
            "v2\tp3\t5\t2020-01-03\n");
        QCOMPARE(tsv.separator, '\t');
        QVERIFY(tsv.header);
        QCOMPARE(tsv.rows.size(), std::size_t{2});
        QCOMPARE(tsv.guess.user.index, 0);
        QCOMPARE(tsv.guess.item.index, 1);
        QCOMPARE(tsv.guess.rating.index, 2);
        QCOMPARE(tsv.guess.time.index, 3);
        const auto csv = sniffInteractions("1,31,2.5,1260759144\n1,1029,3.0,1260759179\n1,10");
        QCOMPARE(csv.separator, ',');
        QVERIFY(!csv.header);
        QCOMPARE(csv.rows.size(), std::size_t{2});  // the cut last line is left out
        QCOMPARE(csv.columnNames.front(), std::string("column 1"));
        QCOMPARE(csv.guess.rating.index, 2);
        QCOMPARE(csv.guess.time.index, 3);
        const auto implicit = sniffInteractions("u1;i1;1425212400\nu2;i7;1425212500\n");
        QCOMPARE(implicit.separator, ';');
        QVERIFY(!implicit.guess.rating.given());
        QCOMPARE(implicit.guess.time.index, 2);
    }

    void timestampsAgreeWithTimegm() {
        std::mt19937 rng(7);
        for (int i = 0; i < 2000; ++i) {
            std::tm tm{};
            tm.tm_year = 70 + static_cast<int>(rng() % 130);
            tm.tm_mon = static_cast<int>(rng() % 12);
            tm.tm_mday = 1 + static_cast<int>(rng() % 28);
            tm.tm_hour = static_cast<int>(rng() % 24);
            tm.tm_min = static_cast<int>(rng() % 60);
            tm.tm_sec = static_cast<int>(rng() % 60);
            const int offsetMinutes = static_cast<int>(rng() % 1440) - 720;
            const std::int64_t utc = static_cast<std::int64_t>(timegm(&tm));
            char text[64];
            std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.125%c%02d:%02d",
                          tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
                          tm.tm_sec, offsetMinutes < 0 ? '-' : '+', std::abs(offsetMinutes) / 60,
                          std::abs(offsetMinutes) % 60);
            const std::int64_t expected = utc - offsetMinutes * 60;
            const auto parsed = parseTimestamp(text);
            if (expected < 0 || expected > 4294967295LL) {
                QVERIFY2(!parsed, text);
                continue;
            }
            QVERIFY2(parsed, text);
            QCOMPARE(static_cast<std::int64_t>(*parsed), expected);
        }
        QCOMPARE(parseTimestamp("1425212400"), std::optional<std::uint32_t>(1425212400u));
        QCOMPARE(parseTimestamp("2015-03-01"), std::optional<std::uint32_t>(1425168000u));
        QCOMPARE(parseTimestamp("2015-03-01 12:30Z"), std::optional<std::uint32_t>(1425213000u));
        for (const char* bad : {"", "2015-02-30", "2015-13-01", "1969-12-31", "yesterday",
                                "2015-03-01T25:00", "12.5.2015", "-5", "2015-03-01T12:00+5"})
            QVERIFY2(!parseTimestamp(bad), bad);
    }

    void detectsRatingScales() {
        const std::vector<double> tenPoint = {1, 2, 3, 7, 10};
        const auto a = detectRatingScale(tenPoint);
        QCOMPARE(a.step, 1.0f);
        QCOMPARE(a.min, 1.0f);
        QCOMPARE(a.max, 10.0f);
        for (double v : tenPoint) {
            const double code = std::round((v - a.offset) / a.step);
            QCOMPARE(a.value(static_cast<HalfStars>(code)), static_cast<float>(v));
        }
        const std::vector<double> halves = {0.5, 1.5, 5.0};
        QCOMPARE(detectRatingScale(halves).step, 0.5f);
        const std::vector<double> tenths = {0.1, 0.8, 2.3};
        QCOMPARE(detectRatingScale(tenths).step, 0.1f);
        std::string note;
        const std::vector<double> fine = {0.0, 100.0, 33.333};
        const auto q = detectRatingScale(fine, &note);
        QVERIFY(!note.empty());
        QVERIFY(std::fabs(q.step - 100.0 / 254.0) < 1e-5);
        QCOMPARE(q.value(1), 0.0f);
        QVERIFY(std::fabs(q.value(255) - 100.0f) < 1e-3f);
    }

    void readsMlLatestSmallThroughAMapping() {
        LENS_REQUIRE_RELEASE(dir, "ml-latest-small");
        const std::filesystem::path root = dir.toStdString();
        const Dataset reference = loadDataset(root);
        LoadOptions options;
        options.threads = 2;
        options.format = parseInteractionFormat(
            "user=userId,item=movieId,rating=rating,time=timestamp,header=yes");
        options.itemsFile = root / "movies.csv";
        options.itemsFormat = parseItemsFormat("id=movieId,title=title,categories=genres");
        const Dataset ds = loadDataset(root / "ratings.csv", options);
        QCOMPARE(ds.layout, Layout::Interactions);
        QCOMPARE(ds.name, std::string("ratings"));
        QCOMPARE(ds.ratingCount(), reference.ratingCount());
        QCOMPARE(ds.userIds, reference.userIds);
        QCOMPARE(ds.movieIds, reference.movieIds);
        QCOMPARE(ds.byUser.index, reference.byUser.index);
        QCOMPARE(ds.byUser.halfStars, reference.byUser.halfStars);  // 0.5..5 by 0.5: the same codes
        QCOMPARE(ds.timestamps, reference.timestamps);
        QVERIFY(ds.scale.isHalfStars());
        // Titles as the release has them, less the trailing spaces a few carry ("... (1999) ").
        std::vector<std::string> titles = reference.titles;
        for (auto& t : titles)
            while (!t.empty() && t.back() == ' ') t.pop_back();
        QCOMPARE(ds.titles, titles);
        QCOMPARE(ds.genreCount(),
                 kGenreCount);  // the release's 19 genres, "(no genres listed)" none
        for (std::size_t m = 0; m < ds.movieCount(); ++m)
            QCOMPARE(ds.genreListOf(ds.genres[m]), genreListString(reference.genres[m]));
        QVERIFY(ds.userKeys.empty() && ds.movieKeys.empty());
        // One thread and the RFC 4180 path (a quote anywhere) read the same.
        options.threads = 1;
        const Dataset one = loadDataset(root / "ratings.csv", options);
        QCOMPARE(one.byUser.index, ds.byUser.index);
        std::string text = readWholeFile(root / "ratings.csv");
        text.replace(text.find("\n1,"), 3, "\n\"1\",");
        const Dataset viaQuotes =
            readInteractions(text, "ratings.csv", *options.format, "q", options);
        QCOMPARE(viaQuotes.ratingCount(), ds.ratingCount());
        QVERIFY(contentOf(viaQuotes) == contentOf(ds));
    }

    void readsStringIdsIsoTimesAndCategories() {
        const std::string events =
            "alice\tbook-17\t7\t2021-05-01T10:00:00Z\n"
            "bob\tbook-3\t10\t2021-05-02\n"
            "alice\tsong \"x\"\t1\t2021-05-03T00:00:00+02:00\n"
            "carol\tbook-3\t4\t1620000000\n";
        const std::string items =
            "id;title;categories\nbook-17;Dune (1965);Books|Sci-Fi\nbook-3;Emma;Books\n"
            "book-99;Unrated;Books|Classics\n";
        LoadOptions lenientOff;
        const Dataset ds = readText(events, "user=0,item=1,rating=2,time=3,sep=tab", lenientOff,
                                    items, "id=id,title=title,categories=categories");
        QCOMPARE(ds.userKeys, (std::vector<std::string>{"alice", "bob", "carol"}));
        QCOMPARE(ds.movieCount(), std::size_t{4});  // book-17, book-3, book-99, song "x"
        QCOMPARE(ds.movieKeys,
                 (std::vector<std::string>{"book-17", "book-3", "book-99", "song \"x\""}));
        QCOMPARE(ds.scale.step, 1.0f);
        QCOMPARE(ds.scale.min, 1.0f);
        QCOMPARE(ds.scale.max, 10.0f);
        QCOMPARE(ds.genreVocabulary, (std::vector<std::string>{"Books", "Classics", "Sci-Fi"}));
        QCOMPARE(ds.titles[0], std::string("Dune (1965)"));
        QCOMPARE(ds.years[0], std::int16_t{1965});
        QCOMPARE(ds.titles[3], std::string("song \"x\""));  // not in the items file: its id
        QCOMPARE(ds.genreListOf(ds.genres[0]), std::string("Books|Sci-Fi"));
        QCOMPARE(ds.report.unknownMovies, std::size_t{1});
        const auto content = contentOf(ds);
        using Key = std::pair<std::string, std::string>;
        QCOMPARE(content.at(Key{"alice", "book-17"}).first, 7.0f);
        QCOMPARE(content.at(Key{"alice", "book-17"}).second, 1619863200u);
        QCOMPARE(content.at(Key{"alice", "song \"x\""}).second, 1619992800u);
        QCOMPARE(content.at(Key{"bob", "book-3"}).first, 10.0f);
        QCOMPARE(content.at(Key{"carol", "book-3"}).second, 1620000000u);
        // Ids with leading zeros are strings: "007" and "7" stay two users.
        const Dataset zeros = readText("007,1\n7,1\n", "user=0,item=1");
        QCOMPARE(zeros.userCount(), std::size_t{2});
        QCOMPARE(zeros.userKeys, (std::vector<std::string>{"007", "7"}));
    }

    void implicitDataHasNoRatings() {
        const Dataset ds = readText("u,i\n1,10\n1,11\n2,10\n", "user=u,item=i");
        QVERIFY(ds.scale.implicit);
        QCOMPARE(ds.ratingCount(), std::size_t{3});
        for (HalfStars h : ds.byUser.halfStars) QCOMPARE(ds.ratingValue(h), 1.0f);
        QCOMPARE(ratingScaleText(ds.scale), std::string("implicit feedback (no ratings)"));
    }

    void badInputNamesFileAndLine() {
        const std::string text = "user,item,rating\n1,2,3\n1,3,4\n2,2,x\n3,1,1\n";
        try {
            readText(text, "user=0,item=1,rating=2");
            QFAIL("a bad rating was accepted");
        } catch (const DataError& e) {
            QCOMPARE(e.file(), std::string("events.txt"));
            QCOMPARE(e.line(), std::size_t{4});
            QVERIFY(e.problem().find("'x'") != std::string::npos);
        }
        LoadOptions lenient;
        lenient.lenient = true;
        const Dataset ds = readText(text, "user=0,item=1,rating=2", lenient);
        QCOMPARE(ds.ratingCount(), std::size_t{3});
        QCOMPARE(ds.report.skippedLines, std::size_t{1});
        QVERIFY(ds.report.warnings.front().rfind("events.txt:4:", 0) == 0);
        // Short lines, bad times: file and line too.
        try {
            readText("1,2,3\n1,2\n", "user=0,item=1,rating=2");
            QFAIL("a short line was accepted");
        } catch (const DataError& e) {
            QCOMPARE(e.line(), std::size_t{2});
        }
        try {
            readText("a,b,t\n1,2,2015-02-30\n", "user=0,item=1,time=2");
            QFAIL("a bad date was accepted");
        } catch (const DataError& e) {
            QCOMPARE(e.line(), std::size_t{2});
        }
        // A mapping that names a missing column is a usage error.
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 readText(text, "user=user,item=movie,rating=rating"));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, readText(text, "user=0,item=1,rating=5"));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, readText(text, "user=0,item=user"));
        QVERIFY_THROWS_EXCEPTION(DataError, readText("user,item\n", "user=0,item=1"));
        // Items: an id listed twice.
        QVERIFY_THROWS_EXCEPTION(
            DataError, readText("1,2\n", "user=0,item=1", {}, "2,a\n2,b\n", "id=0,title=1"));
    }

    void fileReadInPiecesKeepsLinesAndOrder() {
        // 30,000 lines (CRLF, ~0.5 MB: several pieces of 64 KiB), one bad line deep inside.
        QTemporaryDir tmp;
        QVERIFY(tmp.isValid());
        const std::filesystem::path file =
            std::filesystem::path(tmp.path().toStdString()) / "e.csv";
        std::string text = "user,item,rating\r\n";
        const std::size_t badLine = 23'457;  // 1-based, the header being line 1
        for (std::size_t line = 2; line <= 30'001; ++line)
            text += std::to_string(line % 977) + "," + std::to_string(line % 1013) + "," +
                    (line == badLine ? std::string("oops") : std::to_string(1 + line % 7)) + "\r\n";
        writeTextFile(file, text);
        LoadOptions options;
        options.threads = 2;
        options.format = parseInteractionFormat("user=0,item=1,rating=2");
        try {
            loadDataset(file, options);
            QFAIL("the bad line was accepted");
        } catch (const DataError& e) {
            QCOMPARE(e.line(), badLine);
        }
        options.lenient = true;
        const Dataset pieces = loadDataset(file, options);
        QCOMPARE(pieces.report.skippedLines, std::size_t{1});
        QVERIFY(pieces.report.warnings.front().find(":" + std::to_string(badLine) + ":") !=
                std::string::npos);
        // The same content read from memory (pieces cut from the text instead of pread).
        const Dataset whole = readInteractions(text, "e.csv", *options.format, "e", options);
        QCOMPARE(pieces.byUser.index, whole.byUser.index);
        QCOMPARE(pieces.byUser.halfStars, whole.byUser.halfStars);
        QCOMPARE(pieces.ratingCount(), std::size_t{30'000 - 1 - pieces.report.duplicateRatings});
    }

    void ratingsKeepTheirValuesWhateverTheSpelling() {
        // A rating is stored as a code per distinct value of its piece (looked up by its bytes
        // after the first time): spellings of one value share it, and every record keeps its
        // value. 40,000 lines (several pieces of 64 KiB), the last without a line end.
        const char* spellings[] = {"3.5", "3.50", "03.5", "4",   "4.",
                                   "4.0", "0.5",  "5",    "1.5", "3.50000000000000000000"};
        std::string text = "user,item,rating,time\n";
        std::vector<std::pair<std::string, double>> expected;  // "user/item" -> value
        for (int line = 0; line < 40'000; ++line) {
            const std::string user = std::to_string(1 + line % 1'999);
            const std::string item = std::to_string(1 + line / 1'999);
            const char* r = spellings[(line * 7) % 10];
            text += user + "," + item + "," + r + "," + std::to_string(1'400'000'000 + line);
            if (line + 1 < 40'000) text += '\n';
            expected.emplace_back(user + "/" + item, std::stod(r));
        }
        LoadOptions options;
        options.threads = 2;
        const Dataset ds = readText(text, "user=0,item=1,rating=2,time=3", options);
        QCOMPARE(ds.ratingCount(), expected.size());
        QCOMPARE(ds.scale.step, 0.5f);
        const auto content = contentOf(ds);
        for (const auto& [key, value] : expected) {
            const auto slash = key.find('/');
            const auto it = content.find({key.substr(0, slash), key.substr(slash + 1)});
            QVERIFY(it != content.end());
            QCOMPARE(it->second.first, static_cast<float>(value));
        }
    }

    void piecesWithManyValuesKeepThemToTheGrid() {
        // 600 distinct values (0.00 to 5.99): more than a piece codes in a byte, so each piece
        // switches to keeping values part-way; the scale is 254 equal steps, and every record
        // lies within half a step of what the file says.
        QTemporaryDir tmp;
        QVERIFY(tmp.isValid());
        const std::filesystem::path file =
            std::filesystem::path(tmp.path().toStdString()) / "fine.csv";
        std::string text;
        std::map<std::pair<std::string, std::string>, double> expected;
        for (int line = 0; line < 30'000; ++line) {
            const std::string user = std::to_string(1 + line % 997),
                              item = std::to_string(1 + line / 997);
            const int hundredths = (line * 37) % 600;
            char r[16];
            std::snprintf(r, sizeof r, "%d.%02d", hundredths / 100, hundredths % 100);
            text += user + "\t" + item + "\t" + r + "\n";
            expected[{user, item}] = hundredths / 100.0;
        }
        writeTextFile(file, text);
        LoadOptions options;
        options.threads = 2;
        options.format = parseInteractionFormat("user=0,item=1,rating=2,sep=tab,header=no");
        const Dataset ds = loadDataset(file, options);
        QCOMPARE(ds.ratingCount(), expected.size());
        QVERIFY(std::fabs(ds.scale.step - 5.99f / 254.0f) < 1e-4f);
        const auto content = contentOf(ds);
        QCOMPARE(content.size(), expected.size());
        for (const auto& [key, value] : expected) {
            const float got = content.at(key).first;
            if (std::fabs(got - value) > ds.scale.step / 2 + 1e-4)
                QFAIL(qPrintable(
                    QString("%1/%2: %3 read as %4")
                        .arg(QString::fromStdString(key.first), QString::fromStdString(key.second))
                        .arg(value)
                        .arg(got)));
        }
    }

    void aQuoteInAnUnreadColumnSwitchesToTheQuotedReader() {
        // Plain lines first (the fast path), then a quoted note with the separator inside: the
        // whole file is read again by the RFC 4180 reader, so the rating after it is right.
        QTemporaryDir tmp;
        QVERIFY(tmp.isValid());
        const std::filesystem::path file =
            std::filesystem::path(tmp.path().toStdString()) / "notes.csv";
        std::string text = "user,item,note,rating\n";
        for (int line = 0; line < 20'000; ++line)
            text += std::to_string(1 + line % 500) + "," + std::to_string(1 + line / 500) +
                    (line == 15'000 ? ",\"fine, really\"," : ",ok,") +
                    std::to_string(1 + line % 5) + "\n";
        writeTextFile(file, text);
        LoadOptions options;
        options.threads = 2;
        options.format = parseInteractionFormat("user=user,item=item,rating=rating");
        const Dataset ds = loadDataset(file, options);
        QCOMPARE(ds.ratingCount(), std::size_t{20'000});
        const auto content = contentOf(ds);
        QCOMPARE(
            content.at({std::to_string(1 + 15'000 % 500), std::to_string(1 + 15'000 / 500)}).first,
            static_cast<float>(1 + 15'000 % 5));
    }

    void folderWithDescriptorOpensLikeARelease() {
        QTemporaryDir tmp;
        QVERIFY(tmp.isValid());
        const std::filesystem::path root = tmp.path().toStdString();
        writeTextFile(root / "events.tsv", "u1\tA\t3\nu2\tA\t5\nu2\tB\t1\n");
        writeTextFile(root / "items.csv", "A,Alpha,x|y\nB,Beta,y\n");
        writeTextFile(root / kDescriptorFileName,
                      R"({"interactions": "events.tsv", "format": "user=0,item=1,rating=2,sep=tab",
                          "items": "items.csv", "name": "shop"})");
        const Dataset ds = loadDataset(root);
        QCOMPARE(ds.name, std::string("shop"));
        QCOMPARE(ds.ratingCount(), std::size_t{3});
        QCOMPARE(ds.titles, (std::vector<std::string>{"Alpha", "Beta"}));
        QCOMPARE(ds.genreVocabulary, (std::vector<std::string>{"x", "y"}));
        QCOMPARE(detectLayout(root), Layout::Interactions);
        writeTextFile(root / kDescriptorFileName,
                      R"({"interactions": "events.tsv", "fromat": "x"})");
        try {
            loadDataset(root);
            QFAIL("a bad descriptor was accepted");
        } catch (const DataError& e) {
            QVERIFY(e.file().find(kDescriptorFileName) != std::string::npos);
            QVERIFY(std::string(e.what()).find("fromat") != std::string::npos);
        }
        // A single file without a format says how to give one.
        try {
            loadDataset(root / "events.tsv");
            QFAIL("a plain file without a format was accepted");
        } catch (const DataError& e) {
            QVERIFY(std::string(e.what()).find("--format") != std::string::npos);
        }
    }
};

QTEST_GUILESS_MAIN(TestInteractionReader)
#include "tst_interaction_reader.moc"
