#include "io/LoaderText.h"

#include <algorithm>
#include <charconv>

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

}  // namespace lens::loader
