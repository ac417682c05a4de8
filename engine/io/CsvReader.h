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
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

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
};

}  // namespace lens
