#include "synth/SyntheticWorld.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <unordered_set>

#include "synth/SyntheticTitles.h"
#include "util/Calendar.h"

namespace lens::synth {

namespace {

// Weight of each genre as a movie's first genre (IMAX only ever comes as an extra genre).
constexpr std::array<double, kGenreCount> kPrimaryGenreWeight = {10, 6, 3, 3, 20, 7, 5, 24, 3, 1,
                                                                 7,  0, 2, 2, 6,  4, 8, 2,  2};

int genreId(std::string_view name) {
    const auto id = genreIdFromName(name);
    if (!id) throw std::logic_error("SyntheticGenerator: unknown genre " + std::string(name));
    return *id;
}

// w[g][c]: weight of genre g in cluster c.
using ClusterWeights = std::array<std::array<double, kClusterCount>, kGenreCount>;

const ClusterWeights& clusterWeights() {
    static const ClusterWeights weights = [] {
        ClusterWeights w{};
        const auto& clusters = tasteClusters();
        for (int c = 0; c < kClusterCount; ++c)
            for (const auto& m : clusters[c].members) w[genreId(m.genre)][c] = m.weight;
        return w;
    }();
    return weights;
}

constexpr std::uint64_t kStreamWorld = 0x57A4F00DULL;

std::array<Vec, kGenreCount> makeGenreVectors(Pcg32& rng) {
    std::array<Vec, kGenreCount> e{};
    const auto& w = clusterWeights();
    for (int g = 0; g < kGenreCount; ++g) {
        for (int c = 0; c < kClusterCount; ++c) e[g][c] = static_cast<float>(w[g][c]);
        Vec u{};
        double norm = 0.0;
        for (int d = kClusterCount; d < kDim; ++d) {
            u[d] = static_cast<float>(rng.normal());
            norm += u[d] * u[d];
        }
        const double scale = 0.5 / std::sqrt(norm);
        for (int d = kClusterCount; d < kDim; ++d) e[g][d] = static_cast<float>(u[d] * scale);
    }
    return e;
}

GenreMask drawGenres(Pcg32& rng, int& primary) {
    if (rng.uniform() < 0.01) {
        primary = -1;
        return 0;
    }
    primary = drawIndex(rng, kPrimaryGenreWeight.data(), kGenreCount);
    GenreMask mask = GenreMask{1} << primary;
    const double extraDraw = rng.uniform();
    const int extras = extraDraw < 0.3 ? 0 : extraDraw < 0.65 ? 1 : extraDraw < 0.87 ? 2 : 3;
    const auto& w = clusterWeights();
    for (int k = 0; k < extras; ++k) {
        std::array<double, kGenreCount> weight{};
        const bool related = rng.uniform() < 0.7;
        for (int g = 0; g < kGenreCount; ++g) {
            if (hasGenre(mask, g)) continue;
            if (related) {
                double affinity = 0.0;
                for (int h = 0; h < kGenreCount; ++h)
                    if (hasGenre(mask, h))
                        for (int c = 0; c < kClusterCount; ++c) affinity += w[g][c] * w[h][c];
                weight[g] = affinity * (kPrimaryGenreWeight[g] + 2.0);
            } else {
                weight[g] = kPrimaryGenreWeight[g] + (g == genreId("IMAX") ? 0.3 : 0.0);
            }
        }
        double total = 0.0;
        for (double x : weight) total += x;
        if (total <= 0.0) break;
        mask |= GenreMask{1} << drawIndex(rng, weight.data(), kGenreCount);
    }
    return mask;
}

Vec movieFactor(const World& world, GenreMask genres, Pcg32& rng, double noise) {
    Vec q{};
    int count = 0;
    for (int g = 0; g < kGenreCount; ++g)
        if (hasGenre(genres, g)) {
            for (int d = 0; d < kDim; ++d) q[d] += world.genreVectors[g][d];
            ++count;
        }
    const float scale = count ? 0.7f / std::sqrt(static_cast<float>(count)) : 0.0f;
    const double sd = count ? noise : 2.0 * noise;
    for (int d = 0; d < kDim; ++d) q[d] = q[d] * scale + static_cast<float>(sd * rng.normal());
    return q;
}

float drawMovieBias(Pcg32& rng) {
    double b = 0.3 * rng.normal();
    const double r = rng.uniform();
    if (r < 0.04)
        b += 0.7;  // broadly loved
    else if (r < 0.07)
        b -= 0.8;  // broadly disliked
    return static_cast<float>(b);
}

int drawYear(Pcg32& rng, int lastYear, int latest) {
    double back = -18.0 * std::log(1.0 - rng.uniform());
    const int year = lastYear - static_cast<int>(back);
    return std::clamp(year, 1915, latest);
}

constexpr std::array<std::string_view, 5> kRoman = {"", " II", " III", " IV", " V"};

}  // namespace

const std::vector<TasteCluster>& tasteClusters() {
    static const std::vector<TasteCluster> clusters = {
        {"space",
         {{"Sci-Fi", 1.0}, {"Fantasy", 1.0}, {"Adventure", 1.0}, {"IMAX", 0.6}, {"Action", 0.35}},
         {"space", "aliens", "epic", "visually appealing", "time travel", "dystopia", "magic"}},
        {"dark",
         {{"Horror", 1.0}, {"Thriller", 1.0}, {"Mystery", 0.9}},
         {"creepy", "suspense", "twist ending", "atmospheric", "gore", "psychological"}},
        {"family",
         {{"Children", 1.0}, {"Animation", 1.0}, {"Musical", 0.8}, {"Comedy", 0.45}},
         {"family", "cute", "funny", "musical numbers", "heartwarming", "talking animals"}},
        {"heart",
         {{"Romance", 1.0}, {"Drama", 1.0}, {"Musical", 0.35}, {"Comedy", 0.35}},
         {"romance", "tearjerker", "beautiful", "based on a book", "bittersweet", "love story"}},
        {"crime",
         {{"Crime", 1.0}, {"Film-Noir", 1.0}, {"Thriller", 0.75}, {"Mystery", 0.45}},
         {"heist", "noir", "gangsters", "dark", "detective", "organized crime"}},
        {"battle",
         {{"War", 1.0}, {"Western", 1.0}, {"Action", 1.0}},
         {"war", "gunfight", "cowboys", "action-packed", "explosions", "historical"}},
        {"real",
         {{"Documentary", 1.0}, {"Drama", 0.25}},
         {"documentary", "true story", "thought-provoking"}},
    };
    return clusters;
}

int dominantCluster(int genre) {
    const auto& w = clusterWeights()[genre];
    return static_cast<int>(std::max_element(w.begin(), w.end()) - w.begin());
}

// Index drawn from non-negative weights.
int drawIndex(Pcg32& rng, const double* weights, int count) {
    double total = 0.0;
    for (int i = 0; i < count; ++i) total += weights[i];
    double x = rng.uniform() * total;
    for (int i = 0; i < count; ++i) {
        x -= weights[i];
        if (x < 0.0 && weights[i] > 0.0) return i;
    }
    for (int i = count - 1; i >= 0; --i)
        if (weights[i] > 0.0) return i;
    return 0;
}

void indexMovieGroups(World& world) {
    world.groupMovies.assign(kGroupCount, {});
    world.groupCumulative.assign(kGroupCount, {});
    world.groupPopularity.assign(kGroupCount, 0.0);
    for (std::size_t i = 0; i < world.movies.size(); ++i) {
        if (!(world.movies[i].popularity > 0.0)) continue;
        const int g = world.movies[i].group;
        world.groupPopularity[g] += world.movies[i].popularity;
        world.groupMovies[g].push_back(static_cast<std::uint32_t>(i));
        world.groupCumulative[g].push_back(world.groupPopularity[g]);
    }
    world.groupGuide.assign(kGroupCount, {});
    for (int g = 0; g < kGroupCount; ++g) {
        const std::vector<double>& c = world.groupCumulative[g];
        std::vector<std::uint32_t>& guide = world.groupGuide[g];
        const std::size_t buckets = c.size();
        guide.resize(buckets + 1);
        std::size_t pos = 0;
        for (std::size_t k = 0; k <= buckets; ++k) {
            const double at =
                buckets ? c.back() * static_cast<double>(k) / static_cast<double>(buckets) : 0.0;
            while (pos < c.size() && c[pos] <= at) ++pos;
            guide[k] = static_cast<std::uint32_t>(pos);
        }
    }
    world.factors.resize(world.movies.size());
    world.years.resize(world.movies.size());
    for (std::size_t i = 0; i < world.movies.size(); ++i) {
        world.factors[i].q = world.movies[i].q;
        world.years[i] = static_cast<std::int16_t>(world.movies[i].year);
    }
}

std::size_t groupPositionAbove(const World& world, int g, double x) {
    const std::vector<double>& c = world.groupCumulative[g];
    const std::vector<std::uint32_t>& guide = world.groupGuide[g];
    const std::size_t buckets = c.size();
    if (buckets == 0 || !(x >= 0.0))
        return static_cast<std::size_t>(std::upper_bound(c.begin(), c.end(), x) - c.begin());
    const double scaled = x / c.back() * static_cast<double>(buckets);
    const std::size_t k = std::min(buckets, static_cast<std::size_t>(scaled));
    std::size_t pos = guide[k];
    // guide[k] is right for any x at or above bucket k's start; rounding may have put x below.
    if (pos > 0 && c[pos - 1] > x)
        return static_cast<std::size_t>(std::upper_bound(c.begin(), c.end(), x) - c.begin());
    while (pos < buckets && c[pos] <= x) ++pos;
    return pos;
}

World buildWorld(std::uint64_t seed, std::size_t movieCount, const Era& era) {
    World world;
    world.era = era;
    Pcg32 rng(deriveSeed(seed, kStreamWorld));
    world.genreVectors = makeGenreVectors(rng);

    std::vector<SynthMovie> movies;
    movies.reserve(movieCount);
    std::unordered_set<std::string> franchiseTitles;

    // Franchises first: about one per 150 movies (at most 5000), 3-5 installments, at most a
    // quarter of the movies.
    const std::size_t franchiseCount = std::clamp<std::size_t>(movieCount / 150, 1, 5000);
    std::size_t franchiseMovies = 0;
    for (std::size_t f = 0; f < franchiseCount; ++f) {
        const std::size_t size = 3 + rng.below(3);
        if (franchiseMovies + size > movieCount / 4 + 3) break;
        int primary = -1;
        GenreMask genres = 0;
        while (genres == 0) genres = drawGenres(rng, primary);
        std::string base = makeTitle(rng, true);  // unique: there are ~70k plain titles
        while (!franchiseTitles.insert(base).second) base = makeTitle(rng, true);
        Vec shared = movieFactor(world, genres, rng, 0.1);
        for (int d = 0; d < kDim; ++d) shared[d] += static_cast<float>(0.25 * rng.normal());
        const float bias = drawMovieBias(rng);
        int year = drawYear(rng, era.lastYear, era.lastYear - 2 * static_cast<int>(size - 1));
        std::vector<std::uint32_t> members;
        for (std::size_t k = 0; k < size; ++k) {
            SynthMovie m;
            m.title = base + std::string(kRoman[k]) + " (" + std::to_string(year) + ")";
            m.year = year;
            m.genres = genres;
            m.group = primary;
            m.franchise = static_cast<int>(world.franchises.size());
            for (int d = 0; d < kDim; ++d)
                m.q[d] = shared[d] + static_cast<float>(0.05 * rng.normal());
            m.bias = bias - 0.1f * static_cast<float>(k) + static_cast<float>(0.1 * rng.normal());
            members.push_back(static_cast<std::uint32_t>(movies.size()));
            movies.push_back(std::move(m));
            year = std::min(era.lastYear, year + 2 + static_cast<int>(rng.below(4)));
        }
        world.franchises.push_back(std::move(members));
        franchiseMovies += size;
    }
    while (movies.size() < movieCount) {
        SynthMovie m;
        int primary = -1;
        m.genres = drawGenres(rng, primary);
        m.group = primary;
        m.year = drawYear(rng, era.lastYear, era.lastYear);
        std::string title = makeTitle(rng, false);
        // A film never shares its title with a franchise ("Title" and "Title II" belong together).
        while (franchiseTitles.count(title)) title = makeTitle(rng, false);
        m.title = title + " (" + std::to_string(m.year) + ")";
        m.q = movieFactor(world, m.genres, rng, 0.12);
        m.bias = drawMovieBias(rng);
        movies.push_back(std::move(m));
    }

    // Popularity: a function of a random rank, tilted by the bias.
    std::vector<std::uint32_t> rank(movies.size());
    std::iota(rank.begin(), rank.end(), 0U);
    for (std::size_t i = rank.size(); i > 1; --i)
        std::swap(rank[i - 1], rank[rng.below(static_cast<std::uint32_t>(i))]);
    // A stretched exponential in the rank, fitted to ML-20M's ratings per movie (share of the
    // most popular movie 0.34 %, of the 100th 0.1 %, of the median 0.00009 %); the rank is
    // scaled to ML-20M's movie count so the shape does not depend on the size.
    const double rankScale = kMoviesAtMl20m / static_cast<double>(movies.size());
    auto popularityAt = [&](double r, float bias) {
        return std::exp(-0.374 * std::pow(1.0 + r * rankScale, 0.33) + 0.8 * bias);
    };
    for (std::size_t i = 0; i < movies.size(); ++i)
        movies[i].popularity = popularityAt(rank[i], movies[i].bias);
    // Franchises are blockbusters: the first film gets a rank among the top 10 %, sequels less.
    const auto topRanks = static_cast<std::uint32_t>(std::max<std::size_t>(1, movies.size() / 10));
    for (const auto& members : world.franchises) {
        const double firstRank = rng.below(topRanks);
        for (std::size_t k = 0; k < members.size(); ++k)
            movies[members[k]].popularity =
                popularityAt(firstRank, movies[members[k]].bias) * std::pow(0.75, k);
    }

    // Shuffle into id order (franchise installments end up scattered, as in MovieLens) and give
    // ids with occasional gaps.
    std::vector<std::uint32_t> order(movies.size());
    std::iota(order.begin(), order.end(), 0U);
    for (std::size_t i = order.size(); i > 1; --i)
        std::swap(order[i - 1], order[rng.below(static_cast<std::uint32_t>(i))]);
    std::vector<std::uint32_t> newIndex(movies.size());
    std::int64_t nextId = 1;
    world.movies.resize(movies.size());
    for (std::size_t pos = 0; pos < order.size(); ++pos) {
        SynthMovie& m = movies[order[pos]];
        m.id = nextId;
        nextId += rng.uniform() < 0.9 ? 1 : 2 + rng.below(20);
        m.releaseTime = startOfYear(m.year) + static_cast<std::int64_t>(rng.below(200 * 86400));
        newIndex[order[pos]] = static_cast<std::uint32_t>(pos);
        world.movies[pos] = std::move(m);
    }
    for (auto& members : world.franchises)
        for (auto& idx : members) idx = newIndex[idx];
    for (auto& m : world.movies)
        if (m.group < 0) m.group = kGenreCount;

    indexMovieGroups(world);
    // Users love clusters about as often as their genres are made.
    world.clusterShare.assign(kClusterCount, 0.0f);
    for (const auto& m : world.movies)
        if (m.group < kGenreCount) world.clusterShare[dominantCluster(m.group)] += 1.0f;
    for (auto& share : world.clusterShare) share = std::sqrt(share) + 1.0f;
    return world;
}

}  // namespace lens::synth
