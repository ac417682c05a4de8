#pragma once
// An RFC 4180 reader for the small files of a release (movies.csv, tags.csv, links.csv):
// fields separated by commas, a field may be quoted, a quote inside a quoted field is doubled
// ("11'09""01 - September 11 (2002)"), quoted fields may hold separators and line breaks.
// Records end at LF or CRLF; a UTF-8 BOM is skipped; blank lines are skipped. A quote inside an
// unquoted field is kept literally (lenient towards hand-made files).
//
// Malformed records (unterminated quote, text after a closing quote, a record longer than
// kMaxRecordBytes) are reported with their first line; the reader then resumes at the next
// line, so lenient callers can skip and go on.
#include <algorithm>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "io/TextEncoding.h"
#include "util/HugePages.h"

namespace lens {

class CsvReader {
public:
    static constexpr std::size_t kMaxRecordBytes = 100'000;
    enum class Status { Record, End, Error };

    explicit CsvReader(std::string_view text, char separator = ',');

    Status next();
    const std::vector<std::string>& fields() const { return fields_; }
    std::size_t line() const { return recordLine_; }  // 1-based line where the record starts
    const std::string& error() const { return error_; }
    std::string_view rawRecord() const { return raw_; }  // the record's bytes (for messages)
    // Whether an unquoted field read so far held a '"' (kept literally, see above).
    bool sawLiteralQuote() const { return sawLiteralQuote_; }

private:
    void skipToNextLine(std::size_t from);

    std::string_view text_;
    char separator_;
    std::size_t pos_ = 0;
    std::size_t lineAtPos_ = 1;
    std::size_t recordLine_ = 0;
    std::vector<std::string> fields_;
    std::string error_;
    std::string_view raw_;
    bool sawLiteralQuote_ = false;
};

// Offsets cutting `text` into at most `parts` runs of whole records, to be read in parallel:
// {0, cut..., text.size()}, each cut just after a line break with an even number of quotes
// before it. That parity finds the records' ends only while every '"' opens, closes or doubles
// inside a quoted field: a reader of a run that meets an error or a literal quote
// (sawLiteralQuote) must distrust the cuts after it and read the text from the start.
// Runs are at least `minBytes` long (tests and the fuzz target cut small texts).
std::vector<std::size_t> csvChunkStarts(std::string_view text, std::size_t parts,
                                        std::size_t minBytes = 4096);

// The records after the header `columns` of a CSV text read on `threads` threads, each turned
// into a T by convert(fields, T&) -> bool; in the text's order. nullopt where the parallel
// reading cannot be trusted or finds anything wrong (a malformed record, another width, a
// literal quote, a missing header or one other than `columns`, convert's refusal): the caller then
// reads the text serially, which reports each problem with its line.
template <class T, class Convert>
std::optional<std::vector<T>> readCsvInChunks(std::string_view text,
                                              const std::vector<std::string_view>& columns,
                                              int threads, Convert&& convert,
                                              std::size_t minRunBytes = 4096) {
    const std::vector<std::size_t> starts =
        csvChunkStarts(text, static_cast<std::size_t>(std::max(1, threads)), minRunBytes);
    const std::size_t runs = starts.size() - 1;
    std::vector<std::vector<T>> read(runs);
    std::vector<char> ok(runs, 1);
#pragma omp parallel for num_threads(static_cast <int>(runs)) schedule(static, 1)
    for (std::size_t r = 0; r < runs; ++r) {
        const std::string_view run = text.substr(starts[r], starts[r + 1] - starts[r]);
        // CsvReader skips a BOM where it starts: only the text's own start may have one.
        if (r > 0 && run.substr(0, kUtf8Bom.size()) == kUtf8Bom) {
            ok[r] = 0;
            continue;
        }
        // A vector of this thread's own: the headers in `read` share a cache line, and two
        // threads pushing into them would write it in turn on every record.
        std::vector<T> records;
        reserveHuge(records, run.size() / 32);
        CsvReader reader(run);
        bool header = r == 0;
        for (auto status = reader.next(); status != CsvReader::Status::End;
             status = reader.next()) {
            const auto& f = reader.fields();
            T item;
            if (status == CsvReader::Status::Error || reader.sawLiteralQuote() ||
                (header && !std::equal(f.begin(), f.end(), columns.begin(), columns.end())) ||
                (!header && (f.size() != columns.size() || !convert(f, item)))) {
                ok[r] = 0;
                break;
            }
            if (!header) records.push_back(std::move(item));
            header = false;
        }
        if (header) ok[r] = 0;  // the first run holds no header: not a text to read here
        read[r] = std::move(records);
    }
    if (std::find(ok.begin(), ok.end(), 0) != ok.end()) return std::nullopt;
    std::vector<std::size_t> offsets{0};
    for (const auto& v : read) offsets.push_back(offsets.back() + v.size());
    std::vector<T> all;
    resizeHuge(all, offsets.back());
#pragma omp parallel for num_threads(static_cast <int>(runs)) schedule(static, 1)
    for (std::size_t r = 0; r < runs; ++r)
        std::move(read[r].begin(), read[r].end(),
                  all.begin() + static_cast<std::ptrdiff_t>(offsets[r]));
    return all;
}

}  // namespace lens
