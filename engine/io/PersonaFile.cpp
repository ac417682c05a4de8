#include "io/PersonaFile.h"

#include <charconv>
#include <cmath>
#include <unordered_set>

#include "io/JsonFile.h"
#include "util/Errors.h"

namespace lens {

namespace {

using nlohmann::json;

// JSON numbers are doubles: integers beyond 2^53 are not exact, and a cast of a larger value
// to int64 is undefined (found by tests/fuzz/fuzz_personas: "movie_id": 8.6e63).
constexpr double kMaxExactJsonInteger = 9007199254740992.0;  // 2^53

[[noreturn]] void fail(const std::string& file, std::size_t line, const std::string& problem) {
    throw DataError(file, line, problem);
}

// A name as errors quote it, 'Name': at most 80 characters, so a runaway name keeps messages
// short.
std::string quotedName(std::string_view name) {
    std::string quoted = "'";
    quoted += shortened(name, 80);
    quoted += '\'';
    return quoted;
}

// The shortest text that reads back as the same double ("4.25", "1e+300", "inf").
std::string numberText(double v, int precision = -1) {
    char buf[64];
    const auto result = precision < 0 ? std::to_chars(buf, buf + sizeof buf, v)
                                      : std::to_chars(buf, buf + sizeof buf, v,
                                                      std::chars_format::general, precision);
    return std::string(buf, result.ptr);
}

bool isHalfStar(double r) {
    return r >= 0.5 && r <= 5.0 && std::fabs(r * 2.0 - std::round(r * 2.0)) < 1e-9;
}

char asciiLower(char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

std::string foldedName(std::string_view name) {
    std::string folded(name);
    for (char& c : folded) c = asciiLower(c);
    return folded;
}

std::string_view trimmed(std::string_view s) {
    constexpr std::string_view kSpace = " \t\n\v\f\r";
    const auto begin = s.find_first_not_of(kSpace);
    if (begin == std::string_view::npos) return {};
    return s.substr(begin, s.find_last_not_of(kSpace) - begin + 1);
}

std::string stringOr(const json& object, const char* key, std::string fallback = {}) {
    const auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : fallback;
}

}  // namespace

std::string personaProblem(const Persona& p) {
    if (trimmed(p.name).empty()) return "name is empty";
    if (p.movies.empty()) return quotedName(p.name) + " has no movies";
    std::unordered_set<std::int64_t> seen;
    for (std::size_t m = 0; m < p.movies.size(); ++m) {
        const PersonaMovie& movie = p.movies[m];
        const std::string at = "movies[" + std::to_string(m) + "]: ";
        if (movie.movieId <= 0)
            return at + "movie_id " + std::to_string(movie.movieId) + " is not a positive integer";
        if (!isHalfStar(movie.rating))
            return at + "rating " + numberText(movie.rating) + " is not a half star in 0.5-5";
        if (!seen.insert(movie.movieId).second)
            return at + "movie_id " + std::to_string(movie.movieId) + " appears twice";
    }
    return {};
}

std::vector<Persona> parsePersonas(std::string_view text, const std::string& fileName) {
    JsonSyntaxError syntax;
    const std::optional<json> document = parseJson(text, &syntax);
    if (!document) fail(fileName, syntax.line, "invalid JSON: " + syntax.reason);
    if (!document->is_object()) fail(fileName, 0, "expected a JSON object at the top");
    if (const auto version = document->find("version");
        version != document->end() && jsonInt(*version, -1) != 1)
        fail(fileName, 0,
             "unsupported persona file version " +
                 shortened(version->is_string() ? version->get<std::string>() : version->dump(),
                           80) +
                 " (expected 1)");
    const auto array = document->find("personas");
    if (array == document->end() || !array->is_array())
        fail(fileName, 0, "missing array \"personas\"");

    std::vector<Persona> personas;
    std::unordered_set<std::string> names;  // folded
    for (std::size_t i = 0; i < array->size(); ++i) {
        const std::string where = "personas[" + std::to_string(i) + "]";
        const json& o = (*array)[i];
        if (!o.is_object()) fail(fileName, 0, where + ": expected an object");
        const auto name = o.find("name");
        if (name == o.end() || !name->is_string())
            fail(fileName, 0, where + ": missing string \"name\"");
        Persona p;
        p.name = std::string(trimmed(name->get_ref<const std::string&>()));
        p.description = stringOr(o, "description");
        const std::string named = where + " (" + quotedName(p.name) + ")";
        const auto movies = o.find("movies");
        if (movies == o.end() || !movies->is_array())
            fail(fileName, 0, named + ": missing array \"movies\"");
        p.movies.reserve(movies->size());
        for (std::size_t m = 0; m < movies->size(); ++m) {
            const std::string at = named + ".movies[" + std::to_string(m) + "]";
            const json& mo = (*movies)[m];
            if (!mo.is_object()) fail(fileName, 0, at + ": expected an object");
            const auto id = mo.find("movie_id");
            const double idValue = id != mo.end() && id->is_number() ? id->get<double>() : NAN;
            if (!(idValue == std::floor(idValue)))  // not a number, or not integral
                fail(fileName, 0, at + ": \"movie_id\" must be an integer");
            if (std::fabs(idValue) > kMaxExactJsonInteger)
                fail(fileName, 0,
                     at + ": \"movie_id\" " + numberText(idValue, 17) +
                         " is out of range (at most 2^53)");
            const auto rating = mo.find("rating");
            if (rating == mo.end() || !rating->is_number())
                fail(fileName, 0, at + ": \"rating\" must be a number");
            p.movies.push_back(
                {static_cast<std::int64_t>(idValue), rating->get<double>(), stringOr(mo, "title")});
        }
        if (const std::string problem = personaProblem(p); !problem.empty())
            fail(fileName, 0, where + ": " + problem);
        if (!names.insert(foldedName(p.name)).second)
            fail(fileName, 0, where + ": duplicate name " + quotedName(p.name));
        personas.push_back(std::move(p));
    }
    return personas;
}

std::string serializePersonas(const std::vector<Persona>& personas) {
    json array = json::array();
    for (const Persona& p : personas) {
        json o = json::object();
        o["name"] = p.name;
        if (!p.description.empty()) o["description"] = p.description;
        json movies = json::array();
        for (const PersonaMovie& m : p.movies) {
            json mo = {{"movie_id", m.movieId}, {"rating", jsonNumber(m.rating)}};
            if (!m.title.empty()) mo["title"] = m.title;
            movies.push_back(std::move(mo));
        }
        o["movies"] = std::move(movies);
        array.push_back(std::move(o));
    }
    return jsonFileText({{"version", 1}, {"personas", std::move(array)}});
}

std::vector<Persona> readPersonaFile(const std::filesystem::path& path) {
    return parsePersonas(readWholeFile(path), path.string());
}

void writePersonaFile(const std::filesystem::path& path, const std::vector<Persona>& personas) {
    for (const Persona& p : personas)
        if (const std::string problem = personaProblem(p); !problem.empty())
            fail(path.string(), 0, "not saved: " + problem);
    writeFileAtomically(path, serializePersonas(personas));
}

bool samePersonaName(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (asciiLower(a[i]) != asciiLower(b[i])) return false;
    return true;
}

const Persona* findPersona(const std::vector<Persona>& personas, std::string_view name) {
    for (const Persona& p : personas)
        if (p.name == name) return &p;
    for (const Persona& p : personas)
        if (samePersonaName(p.name, name)) return &p;
    return nullptr;
}

std::vector<PersonaRating> personaRatings(const Persona& persona) {
    std::vector<PersonaRating> ratings;
    ratings.reserve(persona.movies.size());
    for (const PersonaMovie& m : persona.movies)
        ratings.push_back({m.movieId, static_cast<float>(m.rating)});
    return ratings;
}

}  // namespace lens
