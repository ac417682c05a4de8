#include "io/CsvReader.h"

#include "io/TextEncoding.h"

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
    fields_.clear();
    error_.clear();
    recordLine_ = lineAtPos_;
    const std::size_t start = pos_;
    std::size_t p = pos_;
    std::size_t lines = 0;  // line breaks inside quoted fields
    const std::size_t n = text_.size();
    while (true) {
        std::string field;
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
                skipToNextLine(p);
                lineAtPos_ = recordLine_ + lines + 1;
                return Status::Error;
            }
        } else {
            std::size_t q = p;
            while (q < n && text_[q] != separator_ && text_[q] != '\n') ++q;
            std::size_t fieldEnd = q;
            if (q < n && text_[q] == '\n' && fieldEnd > p && text_[fieldEnd - 1] == '\r')
                --fieldEnd;
            else if (q == n && fieldEnd > p && text_[fieldEnd - 1] == '\r')
                --fieldEnd;
            field.assign(text_.substr(p, fieldEnd - p));
            p = q;
        }
        fields_.push_back(std::move(field));
        if (p - start > kMaxRecordBytes) {
            error_ = "line is longer than " + std::to_string(kMaxRecordBytes) + " bytes";
            raw_ = text_.substr(start, 80);
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
    raw_ = text_.substr(start, p - start);
    pos_ = p;
    lineAtPos_ = recordLine_ + lines + 1;
    return Status::Record;
}

}  // namespace lens
