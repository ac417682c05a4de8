#pragma once
// Small text helpers the loaders of the release's small files share (DatasetLoader.cpp,
// UserFiles.cpp): line iteration, id fields and whole-line checks of legacy text files.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace lens::loader {

inline std::string_view trimCr(std::string_view s) {
    if (!s.empty() && s.back() == '\r') s.remove_suffix(1);
    return s;
}

// Parses a non-negative id of a small file; returns the problem text or "".
std::string parseId(std::string_view field, const char* what, std::int64_t& out);

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
