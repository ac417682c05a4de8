#include "io/CsvReader.h"

#include "io/TextEncoding.h"

#include <algorithm>

namespace lens {

CsvReader::CsvReader(std::string_view text, char separator)
    : text_(stripBom(text)), separator_(separator) {}

void CsvReader::skipToNextLine(std::size_t from) {
    const std::size_t nl = text_.find('\n', from);
    pos_ = nl == std::string_view::npos ? text_.size() : nl + 1;
    lineAtPos_ = recordLine_ + 1;
}

CsvReader::Status CsvReader::next() {
    // Skip blank lines.
    while (pos_ < text_.size() &&
           (text_[pos_] == '\n' ||
            (text_[pos_] == '\r' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n'))) {
        pos_ += text_[pos_] == '\n' ? 1 : 2;
        ++lineAtPos_;
    }
    if (pos_ >= text_.size()) return Status::End;
    // The field strings are kept from record to record (assigned, not rebuilt): most records
    // then cost no allocation.
    std::size_t count = 0;
    error_.clear();
    recordLine_ = lineAtPos_;
    const std::size_t start = pos_;
    std::size_t p = pos_;
    std::size_t lines = 0;  // line breaks inside quoted fields
    const std::size_t n = text_.size();
    while (true) {
        if (count == fields_.size()) fields_.emplace_back();
        std::string& field = fields_[count++];
        field.clear();
        if (p < n && text_[p] == '"') {
            ++p;
            while (true) {
                const std::size_t q = text_.find('"', p);
                if (q == std::string_view::npos || q - start > kMaxRecordBytes) {
                    error_ =
                        q == std::string_view::npos
                            ? "unterminated quoted field"
                            : "record is longer than " + std::to_string(kMaxRecordBytes) + " bytes";
                    raw_ = text_.substr(start, std::min<std::size_t>(n - start, 80));
                    fields_.resize(count);
                    skipToNextLine(start);
                    return Status::Error;
                }
                for (std::size_t k = p; k < q; ++k) lines += text_[k] == '\n';
                field.append(text_.substr(p, q - p));
                p = q + 1;
                if (p < n && text_[p] == '"') {  // doubled quote
                    field.push_back('"');
                    ++p;
                    continue;
                }
                break;
            }
            if (p < n && text_[p] != separator_ && text_[p] != '\n' &&
                !(text_[p] == '\r' && (p + 1 == n || text_[p + 1] == '\n'))) {
                error_ = "unexpected text after a closing quote";
                raw_ = text_.substr(start, std::min<std::size_t>(n - start, 80));
                fields_.resize(count);
                skipToNextLine(p);
                lineAtPos_ = recordLine_ + lines + 1;
                return Status::Error;
            }
        } else {
            std::size_t q = p;
            bool quote = false;
            for (char c; q < n && (c = text_[q]) != separator_ && c != '\n'; ++q) quote |= c == '"';
            sawLiteralQuote_ |= quote;
            std::size_t fieldEnd = q;
            if (q < n && text_[q] == '\n' && fieldEnd > p && text_[fieldEnd - 1] == '\r')
                --fieldEnd;
            else if (q == n && fieldEnd > p && text_[fieldEnd - 1] == '\r')
                --fieldEnd;
            field.assign(text_.data() + p, fieldEnd - p);
            p = q;
        }
        if (p - start > kMaxRecordBytes) {
            error_ = "line is longer than " + std::to_string(kMaxRecordBytes) + " bytes";
            raw_ = text_.substr(start, 80);
            fields_.resize(count);
            skipToNextLine(p);
            lineAtPos_ = recordLine_ + lines + 1;
            return Status::Error;
        }
        if (p < n && text_[p] == separator_) {
            ++p;
            continue;
        }
        // End of record: CR? LF or end of text.
        if (p < n && text_[p] == '\r') ++p;
        if (p < n && text_[p] == '\n') ++p;
        break;
    }
    fields_.resize(count);
    raw_ = text_.substr(start, p - start);
    pos_ = p;
    lineAtPos_ = recordLine_ + lines + 1;
    return Status::Record;
}

std::vector<std::size_t> csvChunkStarts(std::string_view text, std::size_t parts,
                                        std::size_t minBytes) {
    const std::size_t n = text.size();
    parts = std::max<std::size_t>(1, std::min(parts, n / std::max<std::size_t>(1, minBytes) + 1));
    // Quotes before each nominal cut, counted in parallel: their parity says whether the cut
    // lies inside a quoted field.
    std::vector<std::size_t> quotes(parts + 1, 0);
#pragma omp parallel for num_threads(static_cast <int>(parts)) schedule(static, 1)
    for (std::size_t i = 0; i < parts; ++i)
        quotes[i + 1] = static_cast<std::size_t>(
            std::count(text.begin() + static_cast<std::ptrdiff_t>(n * i / parts),
                       text.begin() + static_cast<std::ptrdiff_t>(n * (i + 1) / parts), '"'));
    std::vector<std::size_t> starts{0};
    std::size_t before = 0;  // quotes before text[n * i / parts]
    for (std::size_t i = 1; i < parts; ++i) {
        before += quotes[i];
        bool inside = before % 2 != 0;
        std::size_t p = n * i / parts;
        for (; p < n; ++p) {
            if (text[p] == '"')
                inside = !inside;
            else if (text[p] == '\n' && !inside)
                break;
        }
        const std::size_t cut = std::min(n, p + 1);
        if (cut > starts.back() && cut < n) starts.push_back(cut);
    }
    starts.push_back(n);
    return starts;
}

}  // namespace lens
