#include "synth/SyntheticCsv.h"

namespace lens::synth {

void appendUInt(std::string& out, std::uint64_t v) {
    char buf[24];
    int n = 0;
    do {
        buf[n++] = static_cast<char>('0' + v % 10);
        v /= 10;
    } while (v);
    while (n) out.push_back(buf[--n]);
}

void appendCsvField(std::string& out, std::string_view field) {
    if (field.find_first_of(",\"\r\n") == std::string_view::npos) {
        out.append(field);
        return;
    }
    out.push_back('"');
    for (char ch : field) {
        if (ch == '"') out.push_back('"');
        out.push_back(ch);
    }
    out.push_back('"');
}

void appendRatingRows(std::string& out, const World& world, std::size_t first, std::size_t last,
                      const std::vector<std::uint64_t>& offsets, std::uint64_t base,
                      const std::uint32_t* movieOf, const HalfStars* ratingOf,
                      const std::uint32_t* timeOf) {
    for (std::size_t u = first; u < last; ++u)
        for (std::uint64_t k = offsets[u] - base; k < offsets[u + 1] - base; ++k) {
            appendUInt(out, u + 1);
            out.push_back(',');
            appendUInt(out, static_cast<std::uint64_t>(world.movies[movieOf[k]].id));
            out.push_back(',');
            out.push_back(static_cast<char>('0' + ratingOf[k] / 2));
            out.push_back('.');
            out.push_back(ratingOf[k] % 2 ? '5' : '0');
            out.push_back(',');
            appendUInt(out, timeOf[k]);
            out.push_back('\n');
        }
}

std::string formatMovies(const World& world) {
    std::string out = "movieId,title,genres\n";
    out.reserve(world.movies.size() * 48);
    for (const auto& m : world.movies) {
        appendUInt(out, static_cast<std::uint64_t>(m.id));
        out.push_back(',');
        appendCsvField(out, m.title);
        out.push_back(',');
        out += genreListString(m.genres);
        out.push_back('\n');
    }
    return out;
}

std::string formatTags(const World& world, const std::vector<std::vector<TagRecord>>& tagsOf) {
    std::string tags = "userId,movieId,tag,timestamp\n";
    for (std::size_t u = 0; u < tagsOf.size(); ++u)
        for (const auto& t : tagsOf[u]) {
            appendUInt(tags, u + 1);
            tags.push_back(',');
            appendUInt(tags, static_cast<std::uint64_t>(world.movies[t.movie].id));
            tags.push_back(',');
            appendCsvField(tags, t.text);
            tags.push_back(',');
            appendUInt(tags, t.timestamp);
            tags.push_back('\n');
        }
    return tags;
}

}  // namespace lens::synth
