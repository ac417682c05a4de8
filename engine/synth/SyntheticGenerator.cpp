#include "synth/SyntheticGenerator.h"

// The planted model, in order of generation:
//
// 1. Taste clusters. Seven latent directions A_c (coordinate axes 0..6 of a 16-dimensional
//    space): "space" (Sci-Fi, Fantasy, Adventure), "dark" (Horror, Thriller, Mystery),
//    "family" (Children, Animation, Musical), "heart" (Romance, Drama), "crime" (Crime,
//    Film-Noir, Thriller), "battle" (War, Western, Action), "real" (Documentary). A genre's
//    vector is e_g = sum_c w_gc A_c + u_g, with weights w_gc from the table below and a small
//    genre-specific part u_g (norm 0.5, in dimensions 7..15). Genres sharing a cluster with
//    weight >= 0.7 are the planted related pairs.
// 2. Movies. Genres are drawn so that co-occurring genres tend to share a cluster; the factor is
//    q_i = 0.7 * sum_{g in G_i} e_g / sqrt(|G_i|) + noise. Franchises of 3-5 installments
//    ("Title", "Title II", "Title III", ...) share genres and a franchise offset, so their
//    factors are close. Biases b_i ~ N(0, 0.3^2) plus a few broadly loved (and hated) movies.
//    Popularity is a heavy-tailed function of a random rank r, fitted to ML-20M's ratings per
//    movie: pop_i = exp(-0.374 (1 + r_i * 26744 / M)^0.33 + 0.8 b_i). Franchises are
//    blockbusters (first film ranked in the top 10 %), each sequel 0.75 times as popular.
// 3. Users. Activity n_u = 20 + a lognormal (sigma 1.3) part scaled so the total is exactly the
//    requested number of ratings (heavy tail, capped at a third of the movies). The factor p_u
//    loves one or two clusters, perhaps dislikes another, plus noise; b_u ~ N(0, 0.45^2).
// 4. Choice. A user picks distinct movies with probability proportional to
//    pop_i * exp(2 p_u.e_{g(i)}) * sigmoid(2 p_u.q_i) (g(i): the movie's first genre), and
//    after a franchise film often its other installments too; films released after the user's
//    active span are mostly avoided. Light users sample by rejection, heavy users (or when
//    rejection stalls) by exact weighted sampling without replacement (Efraimidis-Spirakis).
// 5. Ratings. r = quantise(clip(mu + b_u + b_i + p_u.q_i + N(0, 0.7^2) - d)), where d (1 to 2
//    stars, for 10 % of ratings) lengthens the left tail as in real data. Quantised to whole
//    stars, or for a share h_u of a user's ratings to half stars (h_u = 0 for a quarter of the
//    users, else U(0.5, 1)), which makes whole stars more common and the marginal peak at 4.0
//    then 3.0 with mean about 3.5, as in MovieLens.
// 6. Timestamps. Each user is active over a log-uniform span (ten minutes to ten years) inside
//    1996-01-29 .. 2018-09-24; a rating is never before the film's release.
// 7. Tags. About one user in ten tags a few of the movies they rated (favouring ones they
//    liked) with words of the movie's cluster, a franchise tag, or generic ones.

#include <omp.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <numeric>
#include <stdexcept>
#include <string_view>
#include <system_error>
#include <unordered_set>

#include "data/Genre.h"
#include "io/DatasetLoader.h"
#include "util/Calendar.h"
#include "util/Errors.h"
#include "util/Random.h"

namespace lens {
namespace {

constexpr int kDim = 16;
constexpr int kClusterCount = 7;
using Vec = std::array<float, kDim>;

float dot(const Vec& a, const Vec& b) {
    float s = 0.0f;
    for (int d = 0; d < kDim; ++d) s += a[d] * b[d];
    return s;
}

// ---- genre structure ----------------------------------------------------------------------

struct ClusterMember {
    std::string_view genre;
    double weight;
};

struct TasteCluster {
    std::string_view name;
    std::vector<ClusterMember> members;
    std::vector<std::string_view> tagWords;
};

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

constexpr std::array<std::string_view, 8> kGenericTags = {
    "classic", "overrated",           "must see",
    "boring",  "slow, but rewarding", "great soundtrack",
    "quirky",  "\"so bad it's good\""};

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

int dominantCluster(int genre) {
    const auto& w = clusterWeights()[genre];
    return static_cast<int>(std::max_element(w.begin(), w.end()) - w.begin());
}

// ---- small helpers ------------------------------------------------------------------------

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

double sigmoid(double x) {
    return 1.0 / (1.0 + std::exp(-x));
}

constexpr std::int64_t kDataStart = 822873600;  // 1996-01-29
constexpr std::int64_t kDataEnd = 1537799250;   // 2018-09-24
constexpr int kLastYear = 2018;
constexpr double kRatingsPerUser = 20'000'263.0 / 138'493.0;  // ML-20M's mean, about 144.4
constexpr double kMoviesAtMl20m = 26'744.0;
constexpr double kMovieExponent = 0.4;

// Stream ids for deriveSeed: one per part of the model.
constexpr std::uint64_t kStreamWorld = 0x57A4F00DULL;
constexpr std::uint64_t kStreamActivity = 0xAC71717EULL;
constexpr std::uint64_t kStreamUsers = 0x05E45EEDULL;

void appendUInt(std::string& out, std::uint64_t v) {
    char buf[24];
    int n = 0;
    do {
        buf[n++] = static_cast<char>('0' + v % 10);
        v /= 10;
    } while (v);
    while (n) out.push_back(buf[--n]);
}

// RFC 4180: a field holding a comma, a quote or a line break is quoted, quotes doubled.
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

// ---- titles -------------------------------------------------------------------------------

constexpr std::array<std::string_view, 60> kAdjectives = {
    "Silent",  "Crimson",  "Midnight",  "Broken",  "Golden",    "Hidden",   "Last",    "Distant",
    "Burning", "Frozen",   "Electric",  "Hollow",  "Wild",      "Secret",   "Velvet",  "Iron",
    "Lonely",  "Savage",   "Quiet",     "Endless", "Shattered", "Bright",   "Dark",    "Northern",
    "Lost",    "Falling",  "Rising",    "Paper",   "Glass",     "Silver",   "Scarlet", "Bitter",
    "Sweet",   "Restless", "Forgotten", "Brave",   "Little",    "Great",    "Final",   "Eternal",
    "Phantom", "Neon",     "Copper",    "Marble",  "Wandering", "Sleeping", "Crooked", "Painted",
    "Howling", "Starfall", "Thunder",   "Shadow",  "Summer",    "Winter",   "Autumn",  "Morning",
    "Evening", "Desert",   "Ocean",     "River"};
constexpr std::array<std::string_view, 50> kNouns = {
    "Protocol", "Harbor",    "Orchard",  "Empire",    "Horizon",  "Frontier",  "Garden",  "Kingdom",
    "Letters",  "Requiem",   "Station",  "Signal",    "Promise",  "Code",      "Legacy",  "Voyage",
    "Circus",   "Mirror",    "Island",   "Covenant",  "Dominion", "Witness",   "Machine", "Highway",
    "Lantern",  "Serenade",  "Carnival", "Labyrinth", "Vendetta", "Odyssey",   "Paradox", "Bridge",
    "Crossing", "Heist",     "Alibi",    "Reckoning", "Uprising", "Symphony",  "Affair",  "Secrets",
    "Dreams",   "Hearts",    "Wolves",   "Ghosts",    "Giants",   "Strangers", "Angels",  "Outlaws",
    "Soldiers", "Detectives"};
constexpr std::array<std::string_view, 20> kPlaces = {
    "Avalon", "Marrakesh", "Brooklyn", "Kyoto",      "Tangier", "Nevada",  "Patagonia",
    "Saturn", "Andromeda", "Vienna",   "Casablanca", "Yukon",   "Orion",   "Montana",
    "Havana", "Lisbon",    "Shanghai", "Berlin",     "Dakota",  "Atlantis"};
constexpr std::array<std::string_view, 16> kNames = {
    "Johnny", "Maggie", "Eleanor", "Frankie", "Oscar", "Vivian", "Henry", "Lucy",
    "Max",    "Rosa",   "Walter",  "Iris",    "Duke",  "Sadie",  "Leo",   "Nora"};

template <typename Array>
std::string_view pick(Pcg32& rng, const Array& words) {
    return words[rng.below(static_cast<std::uint32_t>(words.size()))];
}

// A plausible title without the year. `plain` leaves out the MovieLens quirks (moved article,
// commas, quotes), for franchise base titles.
std::string makeTitle(Pcg32& rng, bool plain) {
    const double r = rng.uniform();
    std::string t;
    if (r < 0.38) {
        t = std::string(pick(rng, kAdjectives)) + " " + std::string(pick(rng, kNouns));
    } else if (r < 0.53) {
        t = "The " + std::string(pick(rng, kAdjectives)) + " " + std::string(pick(rng, kNouns));
    } else if (r < 0.68) {
        t = "The " + std::string(pick(rng, kNouns)) + " of " + std::string(pick(rng, kPlaces));
    } else if (r < 0.78) {
        t = std::string(pick(rng, kNames)) + "'s " + std::string(pick(rng, kNouns));
    } else if (r < 0.88) {
        t = std::string(pick(rng, kNouns)) + " in " + std::string(pick(rng, kPlaces));
    } else if (r < 0.94) {
        t = std::string(pick(rng, kNames)) + " and " + std::string(pick(rng, kNames));
    } else if (r < 0.97 || plain) {
        t = std::string(pick(rng, kAdjectives)) + " " + std::string(pick(rng, kNouns)) + ": " +
            std::string(pick(rng, kPlaces));
    } else if (r < 0.99) {
        t = std::string(pick(rng, kAdjectives)) + ", " + std::string(pick(rng, kAdjectives)) + " " +
            std::string(pick(rng, kNouns));
    } else {
        t = "\"" + std::string(pick(rng, kAdjectives)) + " " + std::string(pick(rng, kNouns)) +
            "\" " + std::string(pick(rng, kPlaces));
    }
    // MovieLens moves a leading article to the end: "Harbor of Avalon, The".
    if (!plain && t.rfind("The ", 0) == 0 && rng.uniform() < 0.5) t = t.substr(4) + ", The";
    return t;
}

// ---- the world: genres, movies, franchises ------------------------------------------------

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
    std::vector<float> clusterShare;  // how often users love each cluster
};

constexpr int kGroupCount = kGenreCount + 1;

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

int drawYear(Pcg32& rng, int latest) {
    double back = -18.0 * std::log(1.0 - rng.uniform());
    const int year = kLastYear - static_cast<int>(back);
    return std::clamp(year, 1915, latest);
}

constexpr std::array<std::string_view, 5> kRoman = {"", " II", " III", " IV", " V"};

World buildWorld(std::uint64_t seed, std::size_t movieCount) {
    World world;
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
        int year = drawYear(rng, kLastYear - 2 * static_cast<int>(size - 1));
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
            year = std::min(kLastYear, year + 2 + static_cast<int>(rng.below(4)));
        }
        world.franchises.push_back(std::move(members));
        franchiseMovies += size;
    }
    while (movies.size() < movieCount) {
        SynthMovie m;
        int primary = -1;
        m.genres = drawGenres(rng, primary);
        m.group = primary;
        m.year = drawYear(rng, kLastYear);
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

    world.groupMovies.assign(kGroupCount, {});
    world.groupCumulative.assign(kGroupCount, {});
    world.groupPopularity.assign(kGroupCount, 0.0);
    for (std::size_t i = 0; i < world.movies.size(); ++i) {
        const int g = world.movies[i].group;
        world.groupPopularity[g] += world.movies[i].popularity;
        world.groupMovies[g].push_back(static_cast<std::uint32_t>(i));
        world.groupCumulative[g].push_back(world.groupPopularity[g]);
    }
    // Users love clusters about as often as their genres are made.
    world.clusterShare.assign(kClusterCount, 0.0f);
    for (const auto& m : world.movies)
        if (m.group < kGenreCount) world.clusterShare[dominantCluster(m.group)] += 1.0f;
    for (auto& share : world.clusterShare) share = std::sqrt(share) + 1.0f;
    return world;
}

// ---- users ----------------------------------------------------------------------------------

// Ratings per user: 20 plus a lognormal part scaled so that the total is exactly `total`,
// capped at `cap`; rounding remainders go to the largest fractional parts.
std::vector<std::uint32_t> drawActivity(std::uint64_t seed, std::size_t users, std::size_t total,
                                        std::size_t cap) {
    constexpr std::size_t kMinimum = 20;
    Pcg32 rng(deriveSeed(seed, kStreamActivity));
    std::vector<double> raw(users);
    for (auto& r : raw) r = std::exp(1.3 * rng.normal());
    const double extraTotal = static_cast<double>(total - kMinimum * users);
    const double extraCap = static_cast<double>(cap - kMinimum);
    auto allocated = [&](double s) {
        double sum = 0.0;
        for (double r : raw) sum += std::min(extraCap, s * r);
        return sum;
    };
    double lo = 0.0, hi = 1.0;
    while (allocated(hi) < extraTotal && hi < 1e300) hi *= 2.0;
    for (int it = 0; it < 200; ++it) {
        const double mid = 0.5 * (lo + hi);
        (allocated(mid) < extraTotal ? lo : hi) = mid;
    }
    std::vector<std::uint32_t> n(users);
    std::vector<std::pair<double, std::uint32_t>> remainders;
    std::size_t sum = 0;
    for (std::size_t u = 0; u < users; ++u) {
        const double x = std::min(extraCap, hi * raw[u]);
        const auto whole = static_cast<std::size_t>(std::floor(x));
        n[u] = static_cast<std::uint32_t>(kMinimum + whole);
        sum += n[u];
        if (n[u] < cap)
            remainders.emplace_back(x - static_cast<double>(whole), static_cast<std::uint32_t>(u));
    }
    std::sort(remainders.begin(), remainders.end(), [](const auto& a, const auto& b) {
        return a.first != b.first ? a.first > b.first : a.second < b.second;
    });
    // Hand out what is missing (or take back what is over) one rating at a time.
    for (std::size_t k = 0; sum < total && k < remainders.size(); ++k, ++sum)
        ++n[remainders[k].second];
    for (std::size_t u = 0; sum < total && u < users; ++u)
        while (sum < total && n[u] < cap) ++n[u], ++sum;
    for (std::size_t u = users; sum > total && u-- > 0;)
        while (sum > total && n[u] > kMinimum) --n[u], --sum;
    return n;
}

// The most ratings one user gets: a third of the movies (as ML-20M's most active user), more
// only when the requested total needs it.
std::size_t activityCap(const SyntheticSizes& s) {
    const std::size_t third = std::max<std::size_t>(20, s.movies / 3);
    const std::size_t needed = (s.ratings + s.users - 1) / s.users;
    return std::min(s.movies, std::max(third, needed));
}

struct UserModel {
    Vec p{};
    float bias = 0.0f;
    float halfStarShare = 0.0f;
    std::int64_t start = 0, end = 0;
    int endYear = 0;
};

UserModel drawUser(const World& world, Pcg32& rng) {
    UserModel user;
    const int loved = 1 + (rng.uniform() < 0.5 ? 1 : 0);
    std::array<double, kClusterCount> share{};
    for (int c = 0; c < kClusterCount; ++c) share[c] = world.clusterShare[c];
    int firstLoved = -1;
    for (int k = 0; k < loved; ++k) {
        const int c = drawIndex(rng, share.data(), kClusterCount);
        if (firstLoved < 0) firstLoved = c;
        user.p[c] += static_cast<float>(0.5 + 0.5 * rng.uniform());
        share[c] = 0.0;
    }
    if (rng.uniform() < 0.5) {
        const int c = drawIndex(rng, share.data(), kClusterCount);
        user.p[c] -= static_cast<float>(0.3 + 0.4 * rng.uniform());
    }
    for (int d = 0; d < kDim; ++d) user.p[d] += static_cast<float>(0.15 * rng.normal());
    user.bias = static_cast<float>(0.45 * rng.normal());
    user.halfStarShare =
        rng.uniform() < 0.25 ? 0.0f : static_cast<float>(0.5 + 0.5 * rng.uniform());
    const double span = std::exp(std::log(600.0) +
                                 rng.uniform() * (std::log(10.0 * 365 * 86400) - std::log(600.0)));
    user.start =
        kDataStart + static_cast<std::int64_t>(rng.uniform() *
                                               static_cast<double>(kDataEnd - kDataStart - 86400));
    user.end = std::min(kDataEnd, user.start + static_cast<std::int64_t>(span));
    user.endYear = civilYear(user.end);
    return user;
}

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

constexpr double kGroupTilt = 2.0;
constexpr double kAcceptTilt = 2.0;
constexpr double kFutureAcceptance = 0.15;
constexpr double kGlobalMean = 3.3;
constexpr double kRatingNoise = 0.7;
constexpr double kDisappointment = 0.1;

double choiceWeight(const World& world, const UserModel& user,
                    const std::array<double, kGroupCount>& groupTilt, std::uint32_t i) {
    const SynthMovie& m = world.movies[i];
    double w = m.popularity * groupTilt[m.group] * sigmoid(kAcceptTilt * dot(user.p, m.q));
    if (m.year > user.endYear) w *= kFutureAcceptance;
    return w;
}

// Exact weighted sampling without replacement of `count` more movies (Efraimidis & Spirakis
// 2006: the largest keys log(u) / w_i), skipping those already taken.
void sampleExactly(const World& world, const UserModel& user,
                   const std::array<double, kGroupCount>& groupTilt, std::size_t count, Pcg32& rng,
                   UserScratch& s) {
    s.keys.clear();
    for (std::uint32_t i = 0; i < world.movies.size(); ++i) {
        if (s.taken[i]) continue;
        double u = rng.uniform();
        while (u <= 0.0) u = rng.uniform();
        s.keys.emplace_back(std::log(u) / choiceWeight(world, user, groupTilt, i), i);
    }
    count = std::min(count, s.keys.size());
    auto larger = [](const auto& a, const auto& b) {
        return a.first != b.first ? a.first > b.first : a.second < b.second;
    };
    std::nth_element(s.keys.begin(), s.keys.begin() + static_cast<std::ptrdiff_t>(count),
                     s.keys.end(), larger);
    for (std::size_t k = 0; k < count; ++k) {
        s.taken[s.keys[k].second] = 1;
        s.chosen.push_back(s.keys[k].second);
    }
}

void chooseMovies(const World& world, const UserModel& user, std::size_t count, Pcg32& rng,
                  UserScratch& s) {
    std::array<double, kGroupCount> groupTilt{};
    std::array<double, kGroupCount> groupCumulative{};  // of popularity * tilt
    double total = 0.0;
    for (int g = 0; g < kGroupCount; ++g) {
        groupTilt[g] =
            g < kGenreCount ? std::exp(kGroupTilt * dot(user.p, world.genreVectors[g])) : 1.0;
        total += world.groupPopularity[g] * groupTilt[g];
        groupCumulative[g] = total;
    }
    s.chosen.clear();
    auto take = [&](std::uint32_t i) {
        s.taken[i] = 1;
        s.chosen.push_back(i);
    };
    const std::size_t movieCount = world.movies.size();
    if (count * 40 > movieCount) {
        sampleExactly(world, user, groupTilt, count, rng, s);
    } else {
        std::size_t tries = 0;
        const std::size_t maxTries = 60 * count + 2000;
        while (s.chosen.size() < count) {
            if (++tries > maxTries) {  // rejection stalls: finish exactly
                sampleExactly(world, user, groupTilt, count - s.chosen.size(), rng, s);
                break;
            }
            const double y = rng.uniform() * groupCumulative.back();
            const int g = std::min<int>(
                kGroupCount - 1, static_cast<int>(std::upper_bound(groupCumulative.begin(),
                                                                   groupCumulative.end(), y) -
                                                  groupCumulative.begin()));
            const auto& cumulative = world.groupCumulative[g];
            const double x = rng.uniform() * cumulative.back();
            const auto pos = static_cast<std::size_t>(
                std::upper_bound(cumulative.begin(), cumulative.end(), x) - cumulative.begin());
            const std::uint32_t i = world.groupMovies[g][std::min(pos, cumulative.size() - 1)];
            if (s.taken[i]) continue;
            const SynthMovie& m = world.movies[i];
            double accept = sigmoid(kAcceptTilt * dot(user.p, m.q));
            if (m.year > user.endYear) accept *= kFutureAcceptance;
            if (rng.uniform() >= accept) continue;
            take(i);
            // Who watched one film of a franchise often watches the others.
            if (m.franchise >= 0 && rng.uniform() < 0.6)
                for (std::uint32_t j : world.franchises[m.franchise])
                    if (s.chosen.size() < count && !s.taken[j] && rng.uniform() < 0.7) take(j);
        }
    }
    std::sort(s.chosen.begin(), s.chosen.end());
    for (std::uint32_t i : s.chosen) s.taken[i] = 0;
}

HalfStars drawRating(const World& world, const UserModel& user, std::uint32_t i, Pcg32& rng) {
    const SynthMovie& m = world.movies[i];
    double x = kGlobalMean + user.bias + m.bias + dot(user.p, m.q) + kRatingNoise * rng.normal();
    // Now and then a film disappoints: the left tail of real rating marginals is long.
    if (rng.uniform() < kDisappointment) x -= 1.0 + rng.uniform();
    if (rng.uniform() < user.halfStarShare)
        return static_cast<HalfStars>(std::clamp(std::floor(2.0 * x + 0.5), 1.0, 10.0));
    return static_cast<HalfStars>(2.0 * std::clamp(std::floor(x + 0.5), 1.0, 5.0));
}

std::uint32_t drawTimestamp(const World& world, const UserModel& user, std::uint32_t i,
                            Pcg32& rng) {
    std::int64_t t = user.start + static_cast<std::int64_t>(
                                      rng.uniform() * static_cast<double>(user.end - user.start));
    const std::int64_t release = world.movies[i].releaseTime;
    if (t < release)
        t = std::min(kDataEnd, release + static_cast<std::int64_t>(rng.uniform() * 60 * 86400));
    return static_cast<std::uint32_t>(t);
}

std::string_view drawTagText(const World& world, std::uint32_t i, Pcg32& rng) {
    const SynthMovie& m = world.movies[i];
    const double r = rng.uniform();
    if (m.franchise >= 0 && r < 0.25) return "franchise";
    if (m.group < kGenreCount && r < 0.75) {
        const auto& words = tasteClusters()[dominantCluster(m.group)].tagWords;
        return words[rng.below(static_cast<std::uint32_t>(words.size()))];
    }
    return kGenericTags[rng.below(static_cast<std::uint32_t>(kGenericTags.size()))];
}

void drawTags(const World& world, const std::uint32_t* movies, const HalfStars* ratings,
              const std::uint32_t* times, std::size_t count, Pcg32& rng,
              std::vector<TagRecord>& tags) {
    if (rng.uniform() >= 0.1) return;
    const std::size_t wanted =
        std::min(count, 1 + static_cast<std::size_t>(-0.2 * static_cast<double>(count) *
                                                     std::log(1.0 - rng.uniform())));
    for (std::size_t attempt = 0; tags.size() < wanted && attempt < 20 * wanted; ++attempt) {
        const std::size_t k = rng.below(static_cast<std::uint32_t>(count));
        if (ratings[k] < 7 && rng.uniform() > 0.3) continue;  // tags go mostly to liked movies
        const std::string_view text = drawTagText(world, movies[k], rng);
        const bool duplicate = std::any_of(tags.begin(), tags.end(), [&](const TagRecord& t) {
            return t.movie == movies[k] && t.text == text;
        });
        if (duplicate) continue;
        const auto t = static_cast<std::uint32_t>(
            std::min<std::int64_t>(kDataEnd, times[k] + 1 + rng.below(600)));
        tags.push_back({movies[k], text, t});
    }
    std::sort(tags.begin(), tags.end(), [](const TagRecord& a, const TagRecord& b) {
        return a.movie != b.movie ? a.movie < b.movie : a.timestamp < b.timestamp;
    });
}

// ---- formatting ---------------------------------------------------------------------------

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

}  // namespace

SyntheticSizes resolveSyntheticSizes(const SyntheticConfig& config) {
    SyntheticSizes s;
    s.ratings = config.ratings;
    if (s.ratings < 20) throw std::invalid_argument("synthetic dataset: need at least 20 ratings");
    s.users = config.users;
    if (s.users == 0) {
        s.users = static_cast<std::size_t>(
            std::llround(static_cast<double>(s.ratings) / kRatingsPerUser));
        s.users = std::clamp<std::size_t>(s.users, 1, s.ratings / 20);
    }
    if (s.users * 20 > s.ratings)
        throw std::invalid_argument("synthetic dataset: " + std::to_string(s.users) +
                                    " users need at least " + std::to_string(s.users * 20) +
                                    " ratings (20 each)");
    s.movies = config.movies;
    if (s.movies == 0) {
        s.movies = static_cast<std::size_t>(
            std::llround(kMoviesAtMl20m *
                         std::pow(static_cast<double>(s.ratings) / 20'000'263.0, kMovieExponent)));
        s.movies = std::max<std::size_t>(s.movies, 60);
    }
    if (s.movies < 40) throw std::invalid_argument("synthetic dataset: need at least 40 movies");
    if (s.ratings > s.users * s.movies)
        throw std::invalid_argument("synthetic dataset: " + std::to_string(s.ratings) +
                                    " ratings do not fit " + std::to_string(s.users) +
                                    " users rating at most all " + std::to_string(s.movies) +
                                    " movies each");
    if (s.movies > 50'000'000 || s.users > 500'000'000)
        throw std::invalid_argument("synthetic dataset: too large");
    return s;
}

std::vector<std::pair<std::string, std::string>> plantedRelatedGenres() {
    std::vector<std::pair<std::string, std::string>> pairs;
    for (const auto& cluster : tasteClusters())
        for (std::size_t a = 0; a < cluster.members.size(); ++a)
            for (std::size_t b = a + 1; b < cluster.members.size(); ++b)
                if (cluster.members[a].weight >= 0.7 && cluster.members[b].weight >= 0.7)
                    pairs.emplace_back(cluster.members[a].genre, cluster.members[b].genre);
    return pairs;
}

namespace {

// Each file as consecutive parts (ratings.csv in blocks of users), so a large release is written
// to disk without first joining it into one string.
using FileParts = std::map<std::string, std::vector<std::string>>;

FileParts generateRelease(const SyntheticConfig& config) {
    const SyntheticSizes sizes = resolveSyntheticSizes(config);
    const World world = buildWorld(config.seed, sizes.movies);
    const std::size_t cap = activityCap(sizes);
    const std::vector<std::uint32_t> activity =
        drawActivity(config.seed, sizes.users, sizes.ratings, cap);

    std::vector<std::uint64_t> offsets(sizes.users + 1, 0);
    for (std::size_t u = 0; u < sizes.users; ++u) offsets[u + 1] = offsets[u] + activity[u];
    std::vector<std::uint32_t> movieOf(sizes.ratings);
    std::vector<HalfStars> ratingOf(sizes.ratings);
    std::vector<std::uint32_t> timeOf(sizes.ratings);
    std::vector<std::vector<TagRecord>> tagsOf(config.tags ? sizes.users : 0);

    const int threads = config.threads > 0 ? config.threads : omp_get_max_threads();
    const auto userCount = static_cast<std::int64_t>(sizes.users);
    const std::uint64_t userSeed = deriveSeed(config.seed, kStreamUsers);
#pragma omp parallel num_threads(threads)
    {
        UserScratch scratch;
        scratch.taken.assign(world.movies.size(), 0);
#pragma omp for schedule(dynamic, 16)
        for (std::int64_t u = 0; u < userCount; ++u) {
            Pcg32 rng(deriveSeed(userSeed, static_cast<std::uint64_t>(u)));
            const UserModel user = drawUser(world, rng);
            chooseMovies(world, user, activity[u], rng, scratch);
            const std::uint64_t base = offsets[u];
            for (std::size_t k = 0; k < scratch.chosen.size(); ++k) {
                const std::uint32_t i = scratch.chosen[k];
                movieOf[base + k] = i;
                ratingOf[base + k] = drawRating(world, user, i, rng);
                timeOf[base + k] = drawTimestamp(world, user, i, rng);
            }
            if (config.tags)
                drawTags(world, movieOf.data() + base, ratingOf.data() + base, timeOf.data() + base,
                         scratch.chosen.size(), rng, tagsOf[u]);
        }
    }

    // ratings.csv in blocks of users formatted in parallel; block 0 is the header.
    const std::size_t blockCount = std::min<std::size_t>(sizes.users, 256);
    FileParts files;
    std::vector<std::string>& blocks = files["ratings.csv"];
    blocks.resize(blockCount + 1);
    blocks[0] = "userId,movieId,rating,timestamp\n";
    const auto blocks64 = static_cast<std::int64_t>(blockCount);
#pragma omp parallel for num_threads(threads) schedule(dynamic, 1)
    for (std::int64_t b = 0; b < blocks64; ++b) {
        const std::size_t first = sizes.users * static_cast<std::size_t>(b) / blockCount;
        const std::size_t last = sizes.users * static_cast<std::size_t>(b + 1) / blockCount;
        std::string& out = blocks[static_cast<std::size_t>(b) + 1];
        out.reserve((offsets[last] - offsets[first]) * 30);
        for (std::size_t u = first; u < last; ++u)
            for (std::uint64_t k = offsets[u]; k < offsets[u + 1]; ++k) {
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
    // Free the per-rating arrays before the caller joins or writes the text.
    std::vector<std::uint32_t>().swap(movieOf);
    std::vector<std::uint32_t>().swap(timeOf);
    std::vector<HalfStars>().swap(ratingOf);
    files["movies.csv"] = {formatMovies(world)};
    if (config.tags) {
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
        files["tags.csv"] = {std::move(tags)};
    }
    return files;
}

}  // namespace

std::map<std::string, std::string> generateSyntheticFiles(const SyntheticConfig& config) {
    FileParts parts = generateRelease(config);
    std::map<std::string, std::string> files;
    for (auto& [name, pieces] : parts) {
        std::size_t bytes = 0;
        for (const auto& piece : pieces) bytes += piece.size();
        std::string& joined = files[name];
        joined.reserve(bytes);
        for (auto& piece : pieces) {
            joined += piece;
            std::string().swap(piece);
        }
    }
    return files;
}

void writeSyntheticRelease(const SyntheticConfig& config, const std::filesystem::path& dir) {
    namespace fs = std::filesystem;
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) throw DataError(dir.string(), 0, "cannot create folder: " + ec.message());
    const FileParts files = generateRelease(config);
    for (const auto& [name, pieces] : files) {
        const fs::path target = dir / name;
        const fs::path temp = dir / (name + ".part");
        {
            std::FILE* f = std::fopen(temp.c_str(), "wb");
            if (!f)
                throw DataError(temp.string(), 0,
                                std::string("cannot write: ") + std::strerror(errno));
            bool ok = true;
            for (const auto& piece : pieces)
                ok = ok && std::fwrite(piece.data(), 1, piece.size(), f) == piece.size();
            const bool closed = std::fclose(f) == 0;
            if (!ok || !closed) {
                fs::remove(temp, ec);
                throw DataError(temp.string(), 0, "cannot write (disk full?)");
            }
        }
        fs::rename(temp, target, ec);
        if (ec) {
            const std::string problem = "cannot replace: " + ec.message();
            fs::remove(temp, ec);
            throw DataError(target.string(), 0, problem);
        }
    }
}

Dataset generateSyntheticDataset(const SyntheticConfig& config) {
    const std::string name = "synthetic-" + std::to_string(config.seed);
    Dataset ds = loadDatasetFromMemory(generateSyntheticFiles(config), name);
    ds.name = name;
    ds.layout = Layout::Synthetic;
    return ds;
}

}  // namespace lens
