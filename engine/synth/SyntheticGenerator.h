#pragma once
// The embedded default dataset: a deterministic synthetic release in MovieLens CSV layout
// (ratings.csv, movies.csv, tags.csv), so the app shows something real before any download.
//
// Shape like the real thing: power-law user activity (every user >= 20 ratings) and movie
// popularity, a half-star rating marginal peaking at 4.0 and 3.0, timestamps. Ratings come
// from a planted latent model in which related genres share factors (Sci-Fi/Fantasy/Adventure,
// Horror/Thriller, Children/Animation, ...) and planted franchises of 3+ sequels.
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "data/Dataset.h"

namespace lens {

struct SyntheticConfig {
    std::size_t ratings = 100'000;  // target number of ratings (the app's default)
    std::size_t users = 0;          // 0: derived from `ratings` (about 165 ratings per user)
    std::size_t movies = 0;         // 0: derived from `ratings`
    std::uint64_t seed = 42;
    bool tags = true;
};

// Genre pairs the generator plants as related (names as in kGenreNames); tests check that
// models recover them.
std::vector<std::pair<std::string, std::string>> plantedRelatedGenres();

// The release as in-memory files: "ratings.csv", "movies.csv", "tags.csv".
std::map<std::string, std::string> generateSyntheticFiles(const SyntheticConfig& config);

// Writes those files into `dir` (created if needed), each atomically.
void writeSyntheticRelease(const SyntheticConfig& config, const std::filesystem::path& dir);

// The dataset itself (generated in memory and loaded through the CSV loader).
Dataset generateSyntheticDataset(const SyntheticConfig& config);

}  // namespace lens
