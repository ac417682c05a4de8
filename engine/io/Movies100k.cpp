#include "io/Movies100k.h"

#include <array>
#include <string_view>

#include "data/Genre.h"
#include "io/LoaderText.h"
#include "io/TextEncoding.h"
#include "util/Errors.h"

namespace lens {

using loader::forEachLine;
using loader::legacyLineProblem;
using loader::parseId;

std::vector<std::optional<int>> genreFlagOrder(const FileBytes* genres) {
    std::vector<std::optional<int>> flagGenre;
    if (!genres) {
        static constexpr std::array<std::string_view, 19> kOrder = {
            "unknown",     "Action", "Adventure", "Animation", "Children's", "Comedy",  "Crime",
            "Documentary", "Drama",  "Fantasy",   "Film-Noir", "Horror",     "Musical", "Mystery",
            "Romance",     "Sci-Fi", "Thriller",  "War",       "Western"};
        for (auto name : kOrder) flagGenre.push_back(genreIdFromName(name));
        return flagGenre;
    }
    const std::string text = legacyTextToUtf8(genres->content);
    std::vector<std::pair<int, std::optional<int>>> listed;
    forEachLine(text, [&](std::size_t lineNo, std::string_view line) {
        const std::size_t bar = line.rfind('|');
        std::int64_t index = 0;
        if (bar == std::string_view::npos ||
            !parseId(line.substr(bar + 1), "genre index", index).empty() || index > 64)
            throw DataError(genres->name, lineNo, "expected 'name|index'");
        const std::string_view name = line.substr(0, bar);
        const auto id = genreIdFromName(name);
        if (!id && !isNoGenreName(name))
            throw DataError(genres->name, lineNo,
                            "unknown genre '" + excerptForMessage(name) + "'");
        listed.emplace_back(static_cast<int>(index), id);
    });
    flagGenre.assign(listed.size(), std::nullopt);
    for (auto& [index, id] : listed) {
        if (static_cast<std::size_t>(index) >= flagGenre.size())
            flagGenre.resize(static_cast<std::size_t>(index) + 1);
        flagGenre[static_cast<std::size_t>(index)] = id;
    }
    return flagGenre;
}

std::vector<RawMovie> parseMovies100k(const FileBytes& item,
                                      const std::vector<std::optional<int>>& flags,
                                      const LineProblemFn& problem) {
    std::vector<RawMovie> movies;
    const std::string text = legacyTextToUtf8(item.content);
    std::vector<std::string_view> f;
    forEachLine(text, [&](std::size_t lineNo, std::string_view line) {
        if (auto p = legacyLineProblem(line); !p.empty()) return problem(item.name, lineNo, p);
        f.clear();
        for (std::size_t start = 0;;) {
            const std::size_t bar = line.find('|', start);
            f.push_back(line.substr(
                start, bar == std::string_view::npos ? std::string_view::npos : bar - start));
            if (bar == std::string_view::npos) break;
            start = bar + 1;
        }
        if (f.size() != 5 + flags.size())
            return problem(item.name, lineNo,
                           "expected " + std::to_string(5 + flags.size()) +
                               " fields separated by '|', found " + std::to_string(f.size()));
        RawMovie m;
        if (auto p = parseId(f[0], "movie id", m.id); !p.empty())
            return problem(item.name, lineNo, p);
        m.title.assign(f[1]);
        for (std::size_t g = 0; g < flags.size(); ++g) {
            const std::string_view flag = f[5 + g];
            if (flag != "0" && flag != "1")
                return problem(item.name, lineNo,
                               "genre flag '" + excerptForMessage(flag) + "' is not 0 or 1");
            if (flag == "1" && flags[g]) m.genres |= GenreMask{1} << *flags[g];
        }
        movies.push_back(std::move(m));
    });
    return movies;
}

}  // namespace lens
