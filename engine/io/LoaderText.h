#pragma once
// Small text helpers the loaders of the release's small files share (DatasetLoader.cpp,
// UserFiles.cpp): line iteration, id fields and whole-line checks of legacy text files.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace lens::loader {

inline std::string_view trimCr(std::string_view s) {
    if (!s.empty() && s.back() == '\r') s.remove_suffix(1);
    return s;
}

// Parses a non-negative id of a small file; returns the problem text or "".
std::string parseId(std::string_view field, const char* what, std::int64_t& out);

// Parses a timestamp field (seconds, may be negative); returns the problem text or "".
std::string parseTimestamp(std::string_view field, std::int64_t& out);

// The problem of a text field that is not valid UTF-8 or holds a NUL byte, naming `what`; "" if
// none.
std::string utf8Problem(std::string_view text, const char* what);

// Splits "a::b::c" style lines: the first `front` fields from the left, the last `back` from
// the right, the middle (which may itself hold the separator, e.g. a title) in between. False
// when the line has fewer separators than that.
bool splitFrontBack(std::string_view line, std::string_view sep, std::size_t front,
                    std::size_t back, std::vector<std::string_view>& out);

// The problem of a whole line of a legacy text file (movies.dat, tags.dat, u.item, user files)
// before it is split: longer than kMaxLineBytes or holding a NUL byte; "" when there is none.
std::string legacyLineProblem(std::string_view line);

// Calls fn(lineNumber, line) for each non-blank line (without its line end).
template <class Fn>
void forEachLine(std::string_view text, Fn&& fn) {
    std::size_t lineNo = 0;
    while (!text.empty()) {
        ++lineNo;
        const std::size_t nl = text.find('\n');
        std::string_view line = trimCr(text.substr(0, nl));
        text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
        if (!line.empty()) fn(lineNo, line);
    }
}

}  // namespace lens::loader
