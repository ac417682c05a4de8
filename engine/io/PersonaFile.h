#pragma once
// Persona files: the presets shipped with the application (PresetPersonas.h) and the user's own
// personas (the Rank panel's file, `lens-atlas recommend --persona-file`), one format for both.
//
// File format (UTF-8 JSON):
//   { "version": 1,                                                    (optional; 1 when given)
//     "personas": [ { "name": "Lord of the Rings fan",
//                     "description": "...",                                        (optional)
//                     "movies": [ { "movie_id": 4993, "rating": 5,
//                                   "title": "Lord of the Rings: ... (2001)" } ] } ] } (optional)
// "title" is the expected title (for the reader and for reporting a missing movie); ratings are
// 0.5..5 in half stars. Reading rejects a malformed document, a missing or duplicate name
// (duplicates compare ASCII letters case-insensitively), an empty movie list, a non-integer or
// non-positive id, an id beyond 2^53 (not exact in JSON), a repeated movie within a persona and
// an out-of-range rating, with a lens::DataError "file:line: what is wrong" (the line of a JSON
// syntax error, else the persona's position "personas[2] ('Name').movies[0]: ..."; names longer
// than 80 characters are cut in messages). Never a crash, whatever the bytes
// (tests/fuzz/fuzz_personas). Writing is atomic (temporary file + rename).
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "ranking/TopNRanker.h"

namespace lens {

struct PersonaMovie {
    std::int64_t movieId = 0;
    double rating = 5.0;  // 0.5..5, half stars
    std::string title;    // expected title; may be empty in user files
};

struct Persona {
    std::string name;
    std::string description;
    std::vector<PersonaMovie> movies;
};

// Parses and validates a document; `fileName` names the source in errors. Throws DataError.
std::vector<Persona> parsePersonas(std::string_view json, const std::string& fileName);
// The document as files hold it (what parsePersonas reads back unchanged).
std::string serializePersonas(const std::vector<Persona>& personas);

// Reads a persona file; throws DataError naming the file (unreadable, bad JSON with its line,
// invalid content).
std::vector<Persona> readPersonaFile(const std::filesystem::path& path);
// Validates every persona, then writes atomically; throws DataError naming the file.
void writePersonaFile(const std::filesystem::path& path, const std::vector<Persona>& personas);

// What is wrong with a persona as a user or a file gives it ("'Name' has no movies",
// "movies[2]: rating 4.25 is not a half star in 0.5-5"); empty when it is valid.
std::string personaProblem(const Persona& persona);

// Names compared as personas are: ASCII letters case-insensitively.
bool samePersonaName(std::string_view a, std::string_view b);
// By exact name, then by samePersonaName; null when absent.
const Persona* findPersona(const std::vector<Persona>& personas, std::string_view name);

// The persona's ratings for TopNRanker (no check against a release).
std::vector<PersonaRating> personaRatings(const Persona& persona);

}  // namespace lens
