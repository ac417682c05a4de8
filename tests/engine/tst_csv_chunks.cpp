// Reading a release's CSV files in parallel (io/CsvReader.h): csvChunkStarts cuts only between
// records, also where quoted fields span lines; readCsvInChunks gives the serial reader's records
// or declines (literal quotes, malformed records, a wrong header); and tags.csv loads to the same
// tags, problems and error lines on one thread and on several.
#include <QtTest>

#include <optional>
#include <random>
#include <string>
#include <vector>

#include "io/CsvReader.h"
#include "io/DatasetLoader.h"

using namespace lens;

namespace {

using Record = std::vector<std::string>;

struct SerialRead {
    std::vector<Record> records;
    std::vector<std::pair<std::size_t, std::size_t>> spans;  // [begin, end) offsets of each record
    bool sound = true;                                       // no error, no literal quote
};

SerialRead readSerially(std::string_view text) {
    SerialRead out;
    CsvReader reader(text);
    for (auto status = reader.next(); status != CsvReader::Status::End; status = reader.next()) {
        if (status == CsvReader::Status::Error) {
            out.sound = false;
            continue;
        }
        const auto begin = static_cast<std::size_t>(reader.rawRecord().data() - text.data());
        out.spans.emplace_back(begin, begin + reader.rawRecord().size());
        out.records.push_back(reader.fields());
    }
    out.sound = out.sound && !reader.sawLiteralQuote();
    return out;
}

// A CSV text of `records` rows of 3 fields after the header "a,b,c": plain, quoted with commas,
// doubled quotes, and quoted fields spanning up to 40 lines (LF and CRLF), with blank lines.
std::string mixedCsv(int records, unsigned seed) {
    std::mt19937 rng(seed);
    std::string text = "a,b,c\n";
    for (int i = 0; i < records; ++i) {
        text += std::to_string(i) + ",";
        switch (rng() % 4) {
            case 0:
                text += "plain";
                break;
            case 1:
                text += "\"with, comma and \"\"doubled\"\" quotes\"";
                break;
            case 2: {
                text += '"';
                const auto lines = 1 + rng() % 40;
                for (unsigned k = 0; k < lines; ++k)
                    text += "line " + std::to_string(k) + ", a,b\n" + (k % 3 ? "" : "x,y,z\r\n");
                text += '"';
                break;
            }
            default:
                text += "\"\"";
                break;
        }
        text += "," + std::to_string(rng() % 1000) + (rng() % 2 ? "\n" : "\r\n");
        if (rng() % 50 == 0) text += "\n";
    }
    return text;
}

std::optional<std::vector<Record>> readInChunks(std::string_view text, int threads) {
    return readCsvInChunks<Record>(text, {"a", "b", "c"}, threads, [](const Record& f, Record& r) {
        r = f;
        return true;
    });
}

// Tags of a release loaded from memory with `threads` threads; the load's error text if it fails.
struct TagLoad {
    std::vector<Tag> tags;
    std::size_t skipped = 0;
    std::string error;
};

TagLoad loadTags(const std::string& tags, int threads, bool lenient) {
    LoadOptions options;
    options.threads = threads;
    options.lenient = lenient;
    TagLoad out;
    try {
        const Dataset ds = loadDatasetFromMemory(
            {{"ratings.csv", "userId,movieId,rating,timestamp\n1,1,4.0,1000\n2,1,3.5,1001\n"},
             {"movies.csv", "movieId,title,genres\n1,One (2000),Drama\n"},
             {"tags.csv", tags}},
            "chunks", options);
        out.tags = ds.tags;
        out.skipped = ds.report.skippedLines;
    } catch (const DataError& e) {
        out.error = e.what();
    }
    return out;
}

// A tags.csv above the 1 MB from which the loader reads it in parallel; `extra` is inserted after
// the first `at` records.
std::string bigTags(int records, int at, const std::string& extra) {
    std::string text = "userId,movieId,tag,timestamp\n";
    for (int i = 0; i < records; ++i) {
        if (i == at) text += extra;
        text += std::to_string(1 + i % 2) + ",1,";
        text += i % 7 == 0   ? "\"spans\nlines, \"\"quoted\"\"\""
                : i % 3 == 0 ? "\"a, b\""
                             : "tag number " + std::to_string(i);
        text += "," + std::to_string(1000 + i) + "\n";
    }
    return text;
}

bool sameTags(const std::vector<Tag>& a, const std::vector<Tag>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t k = 0; k < a.size(); ++k)
        if (a[k].user != b[k].user || a[k].movie != b[k].movie || a[k].text != b[k].text ||
            a[k].timestamp != b[k].timestamp)
            return false;
    return true;
}

}  // namespace

class TestCsvChunks : public QObject {
    Q_OBJECT
private slots:
    void cutsFallBetweenRecords() {
        for (unsigned seed : {1u, 2u, 3u}) {
            const std::string text = mixedCsv(3000, seed);
            const SerialRead serial = readSerially(text);
            QVERIFY(serial.sound);
            for (std::size_t parts : {2u, 3u, 7u, 16u, 64u}) {
                const auto starts = csvChunkStarts(text, parts);
                QCOMPARE(starts.front(), std::size_t{0});
                QCOMPARE(starts.back(), text.size());
                QVERIFY(starts.size() >= 2 && starts.size() <= parts + 1);
                QVERIFY(std::is_sorted(starts.begin(), starts.end()));
                QVERIFY(starts.size() > parts / 2);  // this text has room for many cuts
                for (std::size_t i = 1; i + 1 < starts.size(); ++i) {
                    const std::size_t cut = starts[i];
                    QCOMPARE(text[cut - 1], '\n');
                    for (const auto& [begin, end] : serial.spans)
                        if (begin < cut && cut < end)
                            QFAIL(qPrintable(QString("seed %1, %2 parts: cut %3 inside the record "
                                                     "at %4..%5")
                                                 .arg(seed)
                                                 .arg(parts)
                                                 .arg(cut)
                                                 .arg(begin)
                                                 .arg(end)));
                }
            }
        }
        // Tiny texts are not cut.
        QCOMPARE(csvChunkStarts("a,b\n1,2\n", 8), (std::vector<std::size_t>{0, 8}));
    }

    void chunkedReadIsTheSerialRead() {
        const std::string text = mixedCsv(4000, 7);
        const SerialRead serial = readSerially(text);
        QVERIFY(serial.records.front() == (Record{"a", "b", "c"}));
        const std::vector<Record> body(serial.records.begin() + 1, serial.records.end());
        for (int threads : {1, 2, 3, 8}) {
            const auto chunked = readInChunks(text, threads);
            QVERIFY2(chunked.has_value(), qPrintable(QString("%1 threads").arg(threads)));
            QCOMPARE(chunked->size(), body.size());
            QVERIFY(*chunked == body);
        }
    }

    void declinesWhatOnlyTheSerialReaderMayJudge() {
        const std::string text = mixedCsv(4000, 9);
        const SerialRead serial = readSerially(text);
        const std::size_t middle = serial.spans[serial.spans.size() / 2].first;  // a record's start
        const auto withAt = [&](const std::string& line) {
            return text.substr(0, middle) + line + text.substr(middle);
        };
        // A literal quote turns the parity the cuts rely on.
        QVERIFY(!readInChunks(withAt("1,it\"s odd,2\n"), 4).has_value());
        QVERIFY(!readInChunks(withAt("1,\"unterminated,2\n"), 4).has_value());
        QVERIFY(!readInChunks(withAt("1,\"x\"y,2\n"), 4).has_value());
        QVERIFY(!readInChunks(withAt("1,2\n"), 4).has_value());  // another width
        QVERIFY(!readInChunks("x,b,c\n" + text.substr(6), 4).has_value());
        // Without a header in the first run (blank lines before it), nothing is read as data.
        QVERIFY(!readInChunks(std::string(5000, '\n') + "a,b,c\n1,2,3\n", 2).has_value());
        QVERIFY(!readInChunks("", 2).has_value());
        QVERIFY(readInChunks(withAt("1,2,3\n"), 4).has_value());
        // A BOM is skipped at the start of the text only.
        QVERIFY(readInChunks("\xEF\xBB\xBF" + text, 4).has_value());
        // convert's refusal declines the whole read.
        const auto refused = readCsvInChunks<Record>(
            text, {"a", "b", "c"}, 4, [](const Record& f, Record&) { return f[0] != "3999"; });
        QVERIFY(!refused.has_value());
    }

    void tagsLoadAlikeOnOneThreadAndOnSeveral() {
        const int records = 60000;  // about 1.4 MB
        struct Case {
            const char* name;
            std::string extra;
            bool lenient;
            int tags;  // beyond `records`
        };
        const std::vector<Case> cases = {
            {"sound", "", false, 0},
            {"literal quote", "1,1,it\"s a \"tag,5\n", false, 1},
            {"bad id, lenient", "1,x,bad,5\n", true, 0},
            // The open quote takes the next record into its field, up to the next quote.
            {"unterminated, lenient", "1,1,\"never closed,5\n", true, -1},
        };
        for (const Case& c : cases) {
            const std::string text = bigTags(records, records * 3 / 4, c.extra);
            QVERIFY(text.size() > (1u << 20));
            const TagLoad one = loadTags(text, 1, c.lenient);
            const TagLoad two = loadTags(text, 2, c.lenient);
            QVERIFY2(one.error.empty(), qPrintable(QString::fromStdString(one.error)));
            QVERIFY2(two.error.empty(), c.name);
            QVERIFY2(sameTags(one.tags, two.tags), c.name);
            QCOMPARE(two.skipped, one.skipped);
            QVERIFY2(one.tags.size() == static_cast<std::size_t>(records + c.tags),
                     qPrintable(QString("%1: %2 tags").arg(c.name).arg(one.tags.size())));
        }
        QCOMPARE(loadTags(bigTags(records, 0, ""), 2, false).tags[7].text,
                 std::string("spans\nlines, \"quoted\""));
        // Strict: the same error, naming tags.csv and the line, from both.
        const std::string bad = bigTags(records, 50000, "1,1,tag,soon\n");
        const TagLoad one = loadTags(bad, 1, false), two = loadTags(bad, 2, false);
        QVERIFY(!one.error.empty());
        QCOMPARE(two.error, one.error);
        QVERIFY2(two.error.find("tags.csv") != std::string::npos, two.error.c_str());
        // Line of the bad record: the header, 50,000 records of which every 7th spans two lines.
        const std::size_t line = 1 + 50000 + (50000 + 6) / 7 + 1;
        QVERIFY2(two.error.find(":" + std::to_string(line) + ":") != std::string::npos,
                 two.error.c_str());
    }
};

QTEST_GUILESS_MAIN(TestCsvChunks)
#include "tst_csv_chunks.moc"
