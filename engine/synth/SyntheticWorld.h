#pragma once
// The world of the synthetic release (steps 1 and 2 of the planted model described in
// SyntheticGenerator.cpp): seven taste clusters as latent directions of a 16-dimensional space,
// a vector per genre built from them, and the movies with their genres, factors, biases,
// popularity, years and franchises. Internal to engine/synth.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "data/Genre.h"
#include "util/Random.h"

namespace lens::synth {

constexpr int kDim = 16;
constexpr int kClusterCount = 7;
using Vec = std::array<float, kDim>;

inline float dot(const Vec& a, const Vec& b) {
    float s = 0.0f;
    for (int d = 0; d < kDim; ++d) s += a[d] * b[d];
    return s;
}

struct ClusterMember {
    std::string_view genre;
    double weight;
};

struct TasteCluster {
    std::string_view name;
    std::vector<ClusterMember> members;
    std::vector<std::string_view> tagWords;
};

// The clusters with their genres (weight in the cluster) and tag words.
const std::vector<TasteCluster>& tasteClusters();
// The cluster in which `genre` weighs most.
int dominantCluster(int genre);

inline constexpr std::array<std::string_view, 8> kGenericTags = {
    "classic", "overrated",           "must see",
    "boring",  "slow, but rewarding", "great soundtrack",
    "quirky",  "\"so bad it's good\""};

// Index drawn from non-negative weights.
int drawIndex(Pcg32& rng, const double* weights, int count);

inline double sigmoid(double x) {
    return 1.0 / (1.0 + std::exp(-x));
}

// The time span of the ratings and the last year of release.
inline constexpr std::int64_t kDataStart = 822873600;  // 1996-01-29
inline constexpr std::int64_t kDataEnd = 1537799250;   // 2018-09-24
inline constexpr int kLastYear = 2018;
// Movies in ML-20M: the popularity ranks of any release are spread over as many.
inline constexpr double kMoviesAtMl20m = 26'744.0;

// When the ratings happen and the films come out: the demo's span above by default, a real
// release's span for a release shape (SyntheticShape).
struct Era {
    std::int64_t dataStart = kDataStart;
    std::int64_t dataEnd = kDataEnd;
    int lastYear = kLastYear;
};

struct SynthMovie {
    std::int64_t id = 0;
    std::string title;  // with year
    int year = 0;
    GenreMask genres = 0;
    int group = 0;       // first genre, or kGenreCount for "(no genres listed)"
    int franchise = -1;  // index into World::franchises
    Vec q{};
    float bias = 0.0f;
    double popularity = 0.0;
    std::int64_t releaseTime = 0;
};

struct World {
    std::array<Vec, kGenreCount> genreVectors{};
    std::vector<SynthMovie> movies;
    std::vector<std::vector<std::uint32_t>> franchises;   // movie indices in installment order
    std::vector<std::vector<std::uint32_t>> groupMovies;  // per group (genre, or none)
    std::vector<std::vector<double>> groupCumulative;     // cumulative popularity per group
    std::vector<double> groupPopularity;
    // Per group, a guide table for searching groupCumulative: entry k is the first position
    // whose cumulative popularity exceeds k / size of the group's total (groupPositionAbove).
    std::vector<std::vector<std::uint32_t>> groupGuide;
    // The choice loop's hot data, contiguous: each movie's factor q and year.
    struct alignas(64) Factor {
        Vec q;
    };
    std::vector<Factor> factors;
    std::vector<std::int16_t> years;
    std::vector<float> clusterShare;  // how often users love each cluster
    Era era;
};

// Groups of movies by first genre, the last one for "(no genres listed)".
inline constexpr int kGroupCount = kGenreCount + 1;

// The genres' vectors and `movieCount` movies, all drawn from the stream of `seed` for the world,
// released up to era.lastYear.
World buildWorld(std::uint64_t seed, std::size_t movieCount, const Era& era = {});

// (Re)builds groupMovies, groupCumulative, groupPopularity and groupGuide from the movies'
// groups and popularities (movies of popularity 0 are left out: never drawn by rejection
// sampling), and factors and years from the movies.
void indexMovieGroups(World& world);

// The first position of world.groupCumulative[g] whose value exceeds x (std::upper_bound's
// answer, exactly), found from the group's guide table in about one step.
std::size_t groupPositionAbove(const World& world, int g, double x);

}  // namespace lens::synth
