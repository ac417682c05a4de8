#include "data/Genre.h"

#include <algorithm>
#include <cctype>

namespace lens {

namespace {
bool equalsIgnoreCase(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}
std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
        s.remove_suffix(1);
    return s;
}
}  // namespace

bool isNoGenreName(std::string_view name) {
    name = trim(name);
    return name.empty() || equalsIgnoreCase(name, "(no genres listed)") ||
           equalsIgnoreCase(name, "unknown");
}

std::optional<int> genreIdFromName(std::string_view name) {
    name = trim(name);
    if (equalsIgnoreCase(name, "Children's")) name = "Children";
    if (equalsIgnoreCase(name, "Science Fiction")) name = "Sci-Fi";
    for (int g = 0; g < kGenreCount; ++g)
        if (equalsIgnoreCase(name, kGenreNames[static_cast<size_t>(g)])) return g;
    return std::nullopt;
}

GenreMask parseGenreList(std::string_view list, std::vector<std::string>* unknown) {
    GenreMask mask = 0;
    while (true) {
        const size_t bar = list.find('|');
        const std::string_view part = list.substr(0, bar);
        if (!isNoGenreName(part)) {
            if (auto id = genreIdFromName(part))
                mask |= GenreMask{1} << *id;
            else if (unknown)
                unknown->emplace_back(trim(part));
        }
        if (bar == std::string_view::npos) break;
        list.remove_prefix(bar + 1);
    }
    return mask;
}

std::vector<std::string_view> genreNamesOf(GenreMask mask) {
    std::vector<std::string_view> out;
    for (int g = 0; g < kGenreCount; ++g)
        if (hasGenre(mask, g)) out.push_back(kGenreNames[static_cast<size_t>(g)]);
    return out;
}

std::string genreListString(GenreMask mask) {
    if (mask == 0) return "(no genres listed)";
    std::string out;
    for (auto name : genreNamesOf(mask)) {
        if (!out.empty()) out += '|';
        out += name;
    }
    return out;
}

std::vector<std::string> defaultGenreVocabulary() {
    return {kGenreNames.begin(), kGenreNames.end()};
}

}  // namespace lens
