#include "io/LoaderText.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <vector>

#include "io/RatingsParser.h"
#include "io/TextEncoding.h"

namespace lens::loader {

std::string parseId(std::string_view field, const char* what, std::int64_t& out) {
    if (field.empty()) return std::string("empty ") + what;
    const bool digits =
        std::all_of(field.begin(), field.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (field.front() == '-' && field.size() > 1 &&
        std::all_of(field.begin() + 1, field.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return std::string(what) + " " + excerptForMessage(field) + " is negative";
    if (!digits) return std::string(what) + " '" + excerptForMessage(field) + "' is not a number";
    auto [ptr, ec] = std::from_chars(field.data(), field.data() + field.size(), out);
    if (ec != std::errc())
        return std::string(what) + " " + excerptForMessage(field) +
               " is out of range (above 2^63-1)";
    return {};
}

std::string legacyLineProblem(std::string_view line) {
    if (line.size() > kMaxLineBytes)
        return "line is " + std::to_string(line.size()) + " bytes long (limit " +
               std::to_string(kMaxLineBytes) + ")";
    if (line.find('\0') != std::string_view::npos) return "line contains a NUL byte";
    return {};
}

std::string parseTimestamp(std::string_view field, std::int64_t& out) {
    if (field.empty()) return "empty timestamp";
    auto [ptr, ec] = std::from_chars(field.data(), field.data() + field.size(), out);
    if (ec != std::errc() || ptr != field.data() + field.size())
        return "timestamp '" + excerptForMessage(field) + "' is not an integer";
    return {};
}

std::string utf8Problem(std::string_view text, const char* what) {
    const std::size_t bad = findInvalidUtf8(text);
    if (bad == std::string_view::npos) return {};
    if (text[bad] == '\0') return std::string(what) + " contains a NUL byte";
    char hex[8];
    std::snprintf(hex, sizeof hex, "0x%02X", static_cast<unsigned char>(text[bad]));
    return std::string("invalid UTF-8 in ") + what + " (byte " + hex + " at offset " +
           std::to_string(bad) + ")";
}

bool splitFrontBack(std::string_view line, std::string_view sep, std::size_t front,
                    std::size_t back, std::vector<std::string_view>& out) {
    out.clear();
    for (std::size_t i = 0; i < front; ++i) {
        const std::size_t at = line.find(sep);
        if (at == std::string_view::npos) return false;
        out.push_back(line.substr(0, at));
        line.remove_prefix(at + sep.size());
    }
    std::vector<std::string_view> tail;
    for (std::size_t i = 0; i < back; ++i) {
        const std::size_t at = line.rfind(sep);
        if (at == std::string_view::npos) return false;
        tail.push_back(line.substr(at + sep.size()));
        line = line.substr(0, at);
    }
    out.push_back(line);
    out.insert(out.end(), tail.rbegin(), tail.rend());
    return true;
}

}  // namespace lens::loader
