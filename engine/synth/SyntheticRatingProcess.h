#pragma once
// The rating process of the synthetic release (steps 3 to 7 of the planted model described in
// SyntheticGenerator.cpp): how many ratings each user gives, each user's taste, which movies
// they choose, the ratings, the timestamps and the tags. Internal to engine/synth.
#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

#include "data/Dataset.h"
#include "synth/SyntheticGenerator.h"
#include "synth/SyntheticWorld.h"
#include "util/Random.h"

namespace lens::synth {

// Ratings per user: 20 plus a lognormal part scaled so that the total is exactly `total`,
// capped at `cap`; rounding remainders go to the largest fractional parts.
std::vector<std::uint32_t> drawActivity(std::uint64_t seed, std::size_t users, std::size_t total,
                                        std::size_t cap);

// The most ratings one user gets: a third of the movies (as ML-20M's most active user), more
// only when the requested total needs it.
std::size_t activityCap(const SyntheticSizes& s);

// A user's taste factor p_u, bias b_u, share of half-star ratings and active span.
struct UserModel {
    Vec p{};
    float bias = 0.0f;
    float halfStarShare = 0.0f;
    std::int64_t start = 0, end = 0;
    int endYear = 0;
};

// A user of the stream `rng`: loves one or two clusters, perhaps dislikes another.
UserModel drawUser(const World& world, Pcg32& rng);

struct TagRecord {
    std::uint32_t movie;
    std::string_view text;
    std::uint32_t timestamp;
};

// Scratch space of one thread.
struct UserScratch {
    std::vector<std::uint8_t> taken;  // per movie
    std::vector<std::uint32_t> chosen;
    std::vector<std::pair<double, std::uint32_t>> keys;
};

// The `count` movies `user` rates, sorted, into s.chosen (rejection sampling by genre group and
// taste, exact weighted sampling for heavy users or when rejection stalls).
void chooseMovies(const World& world, const UserModel& user, std::size_t count, Pcg32& rng,
                  UserScratch& s);

// The rating of movie i, in half stars (whole stars except for a share of the user's ratings).
HalfStars drawRating(const World& world, const UserModel& user, std::uint32_t i, Pcg32& rng);

// A time in the user's active span, never before the movie's release.
std::uint32_t drawTimestamp(const World& world, const UserModel& user, std::uint32_t i, Pcg32& rng);

// About one user in ten: tags on a few of the `count` rated movies (mostly liked ones), sorted
// by movie then time.
void drawTags(const World& world, const std::uint32_t* movies, const HalfStars* ratings,
              const std::uint32_t* times, std::size_t count, Pcg32& rng,
              std::vector<TagRecord>& tags);

}  // namespace lens::synth
