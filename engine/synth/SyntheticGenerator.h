#pragma once
// The embedded default dataset: a deterministic synthetic release in MovieLens CSV layout
// (ratings.csv, movies.csv, tags.csv), so the app shows something real before any download.
//
// Shape like the real thing: power-law user activity (every user >= 20 ratings) and movie
// popularity, a half-star rating marginal peaking at 4.0 and 3.0, timestamps. Ratings come
// from a planted latent model in which related genres share factors (Sci-Fi/Fantasy/Adventure,
// Horror/Thriller, Children/Animation, ...) and planted franchises of 3+ sequels.
//
// Sizes follow ML-20M's shape: about 144.4 ratings per user (20,000,263 ratings give 138,493
// users) and a movie count growing as ratings^0.4 (26,744 movies at ML-20M size, about 3,200 at
// the default 100k). The number of ratings written is exactly `ratings`. A release shape
// (SyntheticConfig::shape, SyntheticShape.h) instead reproduces ML-20M's, ML-25M's or ML-32M's
// exact counts and sparse movie ids, from a plan fixed before any rating is drawn.
//
// Determinism: the output depends only on the config (never on `threads` or the machine's
// thread count): every user draws from its own stream deriveSeed(seed, user) of lens::Pcg32.
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "data/Dataset.h"

namespace lens {

// A real release whose counts and movie-id sparsity the generated release reproduces
// (SyntheticShape.h: ML-20M, ML-25M, ML-32M); None is the demo's own shape above.
enum class SyntheticShape { None, Ml20m, Ml25m, Ml32m };

struct SyntheticConfig {
    std::size_t ratings = 100'000;  // target number of ratings (the app's default); exact
    std::size_t users = 0;          // 0: derived from `ratings` (about 144 ratings per user)
    std::size_t movies = 0;  // 0: derived from `ratings` (26,744 * (ratings / 20,000,263)^0.4)
    std::uint64_t seed = 42;
    bool tags = true;
    int threads = 0;  // OpenMP threads, 0 = all cores; the output is identical for any value
    // With a shape, the shape fixes every count and `ratings`, `users` and `movies` are not
    // used; shapeScale in (0, 1] shrinks it (ratings and users by the scale, movies and ids by
    // scale^0.4).
    SyntheticShape shape = SyntheticShape::None;
    double shapeScale = 1.0;
};

// The sizes a config resolves to (users and movies derived where 0). Throws
// std::invalid_argument for impossible configs: fewer than 20 ratings per user, fewer than 40
// movies, or more ratings than users x movies (for a shape: a scale outside (0, 1] or too small
// to make the release). generateSyntheticFiles and friends throw the same.
struct SyntheticSizes {
    std::size_t ratings = 0, users = 0, movies = 0;
    // Shapes only (0 otherwise): movies with at least one rating (exactly) and the largest
    // movie id.
    std::size_t ratedMovies = 0;
    std::int64_t maxMovieId = 0;
};
SyntheticSizes resolveSyntheticSizes(const SyntheticConfig& config);

// Genre pairs the generator plants as related (names as in kGenreNames); tests check that
// models recover them.
std::vector<std::pair<std::string, std::string>> plantedRelatedGenres();

// The release as in-memory files: "ratings.csv", "movies.csv", "tags.csv" (when config.tags).
std::map<std::string, std::string> generateSyntheticFiles(const SyntheticConfig& config);

// Writes those files into `dir` (created if needed), each atomically (temporary file + rename).
// Throws DataError naming the file when it cannot be written.
void writeSyntheticRelease(const SyntheticConfig& config, const std::filesystem::path& dir);

// The dataset itself (generated in memory and loaded through the CSV loader), named
// "synthetic-<seed>" with layout Synthetic.
Dataset generateSyntheticDataset(const SyntheticConfig& config);

}  // namespace lens
