#pragma once
// The unified genre vocabulary of every MovieLens release.
//
// ml-100k and ml-1m spell "Children's", the CSV releases "Children"; both map to one genre.
// "IMAX" exists only in the CSV releases. "(no genres listed)" and ml-100k's "unknown" map to
// no genre at all (an empty mask). A movie's genres are a bit mask over this fixed list, so a
// genre id is stable across releases and fits in 32 bits.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lens {

using GenreMask = std::uint32_t;

inline constexpr std::array<std::string_view, 19> kGenreNames = {
    "Action",  "Adventure", "Animation", "Children", "Comedy", "Crime",   "Documentary",
    "Drama",   "Fantasy",   "Film-Noir", "Horror",   "IMAX",   "Musical", "Mystery",
    "Romance", "Sci-Fi",    "Thriller",  "War",      "Western"};

inline constexpr int kGenreCount = static_cast<int>(kGenreNames.size());

// Genre id for a name as any release spells it; nullopt for names that mean "no genre"
// ("(no genres listed)", "unknown") and for names that are not genres at all.
std::optional<int> genreIdFromName(std::string_view name);

// True for the spellings that mean "this movie has no genre".
bool isNoGenreName(std::string_view name);

// "Action|Comedy" -> mask. Unknown names are reported through `unknown` (may be null).
GenreMask parseGenreList(std::string_view pipeSeparated,
                         std::vector<std::string>* unknown = nullptr);

// Genre names of a mask in canonical order.
std::vector<std::string_view> genreNamesOf(GenreMask mask);

// "Action|Comedy" in canonical order; "(no genres listed)" for an empty mask.
std::string genreListString(GenreMask mask);

// kGenreNames as strings: the genre vocabulary of every MovieLens release (Dataset's default).
std::vector<std::string> defaultGenreVocabulary();

// The most genre bits a vocabulary can have (GenreMask is 32 bits).
inline constexpr int kMaxGenreVocabulary = 32;

inline bool hasGenre(GenreMask mask, int genre) {
    return (mask >> genre) & 1U;
}

}  // namespace lens
