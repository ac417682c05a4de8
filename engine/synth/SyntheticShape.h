#pragma once
// Release shapes of the synthetic generator: `generate --shape ml-20m|ml-25m|ml-32m` writes a
// release with the real one's counts (ratings, users, rated movies, movies in movies.csv, the
// largest movie id) and its id sparsity, for benchmarks at the scale of the real thing.
//
// A shape is generated from a plan that fixes everything countable before any rating is drawn:
//   - movie ids: the old catalogue's ids (1 .. 3,952, ML-1M's range) nearly all taken, then ids
//     ever sparser up to the largest id, which is always taken (as in MovieLens, where ids were
//     handed out over two decades to a growing catalogue). The density above the old catalogue
//     falls exponentially, by e^-1.6 (about 5x) from its start to the largest id; ids are drawn
//     in bins of 1,000 (counts by largest remainder, ids uniform inside a bin).
//   - which movies nobody rated: exactly movies - ratedMovies, drawn with weight growing with the
//     id (the newest additions, as in the real releases), never the largest id;
//   - ratings per user: the generator's activity law (at least 20, lognormal tail, capped at a
//     third of the rated movies), summing exactly to the ratings;
//   - a first rater for every rated movie: a user drawn in proportion to their activity (heavy
//     users find the obscure films), at most half of a user's ratings. That user rates the movie
//     whatever else they choose, so every rated movie has at least one rating and no other movie
//     has any: the rated-movie count is exact.
// The generator (SyntheticGenerator.cpp) follows the plan: each user's ratings are their first
// ratings plus the rest chosen by the usual taste process among the rated movies.
//
// `scale` (0 < scale <= 1) shrinks a shape for tests and quick runs: ratings and users by the
// scale, movies, rated movies, the id range and the old catalogue by scale^0.4 (the generator's
// law of movies against ratings), so density and ratings per user stay plausible.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "synth/SyntheticGenerator.h"

namespace lens {

// Movies grow as ratings^0.4 from ML-20M's catalogue (the generator and the shapes agree).
inline constexpr double kSyntheticMovieExponent = 0.4;

// The figures of a real release that a shape reproduces.
struct ReleaseShapeFigures {
    SyntheticShape shape = SyntheticShape::None;
    std::string_view name;  // "ml-20m"
    std::size_t ratings = 0, users = 0, ratedMovies = 0, movies = 0;
    std::int64_t maxMovieId = 0;
    std::int64_t oldCatalogueIds = 0;              // ids 1 .. this are nearly all taken
    std::int64_t firstRating = 0, lastRating = 0;  // Unix seconds, about the real release's span
    int lastYear = 0;                              // newest films
};

// ml-20m, ml-25m, ml-32m.
const std::vector<ReleaseShapeFigures>& releaseShapes();
const ReleaseShapeFigures& releaseShapeFigures(SyntheticShape shape);  // shape != None
std::optional<SyntheticShape> syntheticShapeFromName(std::string_view name);
// "ml-20m|ml-25m|ml-32m", for usage lines and messages.
std::string syntheticShapeNames();

// Everything countable of a shaped release, fixed before the ratings are drawn.
struct SyntheticShapePlan {
    SyntheticSizes sizes;  // ratings, users, movies, ratedMovies, maxMovieId
    std::int64_t oldCatalogueIds = 0;
    std::vector<std::int64_t> movieIds;         // movies.csv, ascending; movie index -> id
    std::vector<std::uint8_t> rated;            // per movie index: 1 when someone rates it
    std::vector<std::uint32_t> ratingsPerUser;  // user u (id u + 1)
    // The movies each user rates first (movie indices, ascending): user u's are
    // firstRatings[firstRatingOffsets[u] .. firstRatingOffsets[u + 1]). Every rated movie is in
    // exactly one user's list.
    std::vector<std::uint64_t> firstRatingOffsets;
    std::vector<std::uint32_t> firstRatings;
};

// The sizes of config.shape at config.shapeScale (what planSyntheticShape's plan holds), cheaply.
// Throws std::invalid_argument as planSyntheticShape does.
SyntheticSizes syntheticShapeSizes(const SyntheticConfig& config);

// The plan of config.shape at config.shapeScale with config.seed. Throws std::invalid_argument
// when there is no shape or the scale is outside (0, 1] or too small to make a release.
SyntheticShapePlan planSyntheticShape(const SyntheticConfig& config);

}  // namespace lens
