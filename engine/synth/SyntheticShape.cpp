#include "synth/SyntheticShape.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <stdexcept>

#include "synth/SyntheticRatingProcess.h"
#include "util/Calendar.h"
#include "util/Random.h"

namespace lens {

namespace {

using namespace std::chrono;

// Noon UTC of a civil date.
std::int64_t noonOf(int y, unsigned m, unsigned d) {
    return unixSecondsOf(year_month_day{year{y}, month{m}, day{d}}) + 12 * 3600;
}

constexpr std::int64_t kOldCatalogueIds = 3'952;  // ML-1M's id range: the catalogue of 2000
constexpr double kOldCatalogueDensity = 0.97;     // ML-1M: 3,883 movies in 3,952 ids
constexpr double kSparsityDecay = 1.6;            // density falls by e^-1.6 to the largest id
constexpr std::int64_t kIdBin = 1'000;

constexpr std::uint64_t kStreamIds = 0x1D5BA25EULL;
constexpr std::uint64_t kStreamUnrated = 0x0BA2E1D5ULL;
constexpr std::uint64_t kStreamFirstRaters = 0xF125A7E2ULL;

struct ScaledShape {
    SyntheticSizes sizes;
    std::int64_t oldCatalogueIds = 0;
};

ScaledShape scaledShape(const SyntheticConfig& config) {
    if (config.shape == SyntheticShape::None)
        throw std::invalid_argument("synthetic dataset: no release shape");
    const ReleaseShapeFigures& f = releaseShapeFigures(config.shape);
    const double scale = config.shapeScale;
    if (!(scale > 0.0 && scale <= 1.0))
        throw std::invalid_argument("synthetic dataset: the scale of a shape must be in (0, 1]");
    const double movieScale = std::pow(scale, kSyntheticMovieExponent);  // exactly 1 at scale 1
    auto scaled = [](double count, double by) {
        return static_cast<std::size_t>(std::llround(count * by));
    };
    ScaledShape s;
    s.sizes.ratings = scaled(static_cast<double>(f.ratings), scale);
    s.sizes.users = scaled(static_cast<double>(f.users), scale);
    s.sizes.movies = scaled(static_cast<double>(f.movies), movieScale);
    s.sizes.ratedMovies = scaled(static_cast<double>(f.ratedMovies), movieScale);
    s.sizes.maxMovieId =
        static_cast<std::int64_t>(scaled(static_cast<double>(f.maxMovieId), movieScale));
    s.oldCatalogueIds =
        static_cast<std::int64_t>(scaled(static_cast<double>(f.oldCatalogueIds), movieScale));

    char scaleText[32];
    std::snprintf(scaleText, sizeof scaleText, "%g", scale);
    const std::string what =
        "synthetic dataset: " + std::string(f.name) + " at scale " + scaleText + " is too small";
    const SyntheticSizes& z = s.sizes;
    if (z.users < 1 || z.ratings < 20 * z.users || z.ratedMovies < 40)
        throw std::invalid_argument(what + " (" + std::to_string(z.ratings) + " ratings, " +
                                    std::to_string(z.users) + " users, " +
                                    std::to_string(z.ratedMovies) +
                                    " rated movies; need 20 ratings per user and 40 movies)");
    // Every rated movie needs a first rater with room (half of each user's ratings).
    if ((z.ratings - z.users) / 2 < z.ratedMovies)
        throw std::invalid_argument(what + " (" + std::to_string(z.ratings) +
                                    " ratings cannot cover " + std::to_string(z.ratedMovies) +
                                    " rated movies)");
    return s;
}

// `count` distinct ids of [lo, hi] chosen uniformly (partial Fisher-Yates), appended ascending.
void chooseIds(std::int64_t lo, std::int64_t hi, std::size_t count, Pcg32& rng,
               std::vector<std::int64_t>& out) {
    std::vector<std::int64_t> pool(static_cast<std::size_t>(hi - lo + 1));
    std::iota(pool.begin(), pool.end(), lo);
    for (std::size_t k = 0; k < count; ++k)
        std::swap(pool[k], pool[k + rng.below(static_cast<std::uint32_t>(pool.size() - k))]);
    const auto first = out.size();
    out.insert(out.end(), pool.begin(), pool.begin() + static_cast<std::ptrdiff_t>(count));
    std::sort(out.begin() + static_cast<std::ptrdiff_t>(first), out.end());
}

// `total` split over bins in proportion to `weight`, no bin above its `room`, rounded by
// largest remainder. Precondition: total <= sum of room.
std::vector<std::size_t> splitByWeight(std::size_t total, const std::vector<double>& weight,
                                       const std::vector<std::size_t>& room) {
    const std::size_t n = weight.size();
    std::vector<std::size_t> count(n, 0);
    std::vector<double> share(n, 0.0);
    std::vector<bool> full(n, false);
    // Water-filling: bins whose share would exceed their room are filled, the rest shared anew.
    for (bool changed = true; changed;) {
        changed = false;
        std::size_t left = total;
        double free = 0.0;
        for (std::size_t b = 0; b < n; ++b) {
            if (full[b])
                left -= room[b];
            else
                free += weight[b];
        }
        for (std::size_t b = 0; b < n; ++b) {
            share[b] = full[b] ? static_cast<double>(room[b])
                               : (free > 0.0 ? static_cast<double>(left) * weight[b] / free : 0.0);
            if (!full[b] && share[b] > static_cast<double>(room[b])) full[b] = changed = true;
        }
    }
    std::size_t sum = 0;
    std::vector<std::pair<double, std::size_t>> remainders;
    for (std::size_t b = 0; b < n; ++b) {
        count[b] = std::min(room[b], static_cast<std::size_t>(std::floor(share[b])));
        sum += count[b];
        if (count[b] < room[b]) remainders.emplace_back(share[b] - std::floor(share[b]), b);
    }
    std::sort(remainders.begin(), remainders.end(), [](const auto& a, const auto& b) {
        return a.first != b.first ? a.first > b.first : a.second < b.second;
    });
    for (std::size_t k = 0; sum < total && k < remainders.size(); ++k, ++sum)
        ++count[remainders[k].second];
    for (std::size_t b = 0; sum < total && b < n; ++b)  // rounding left a bin short
        while (sum < total && count[b] < room[b]) ++count[b], ++sum;
    return count;
}

// `movies` ascending ids from 1 to maxId (both taken): the old catalogue 1 .. oldIds nearly
// full, above it a density falling exponentially towards maxId.
std::vector<std::int64_t> planMovieIds(std::size_t movies, std::int64_t maxId, std::int64_t oldIds,
                                       Pcg32& rng) {
    if (maxId < static_cast<std::int64_t>(movies))
        throw std::invalid_argument("synthetic dataset: fewer ids than movies");
    oldIds = std::clamp<std::int64_t>(oldIds, 1, maxId / 2);
    const std::size_t oldCount = std::min<std::size_t>(
        {static_cast<std::size_t>(std::llround(kOldCatalogueDensity * static_cast<double>(oldIds))),
         movies / 2, static_cast<std::size_t>(oldIds)});
    std::vector<std::int64_t> ids;
    ids.reserve(movies);
    ids.push_back(1);
    if (oldCount > 1) chooseIds(2, oldIds, oldCount - 1, rng, ids);

    // Above the old catalogue, in bins: ids oldIds + 1 .. maxId - 1, then maxId itself.
    const std::size_t newCount = movies - std::max<std::size_t>(oldCount, 1) - 1;
    const std::int64_t lo = oldIds + 1, hi = maxId - 1;
    std::vector<double> weight;
    std::vector<std::size_t> room;
    for (std::int64_t a = lo; a <= hi; a += kIdBin) {
        const std::int64_t b = std::min(hi, a + kIdBin - 1);
        const double middle = (0.5 * static_cast<double>(a + b) - static_cast<double>(lo)) /
                              static_cast<double>(std::max<std::int64_t>(1, hi - lo));
        room.push_back(static_cast<std::size_t>(b - a + 1));
        weight.push_back(std::exp(-kSparsityDecay * middle) * static_cast<double>(b - a + 1));
    }
    if (newCount > static_cast<std::size_t>(std::max<std::int64_t>(0, hi - lo + 1)))
        throw std::invalid_argument("synthetic dataset: fewer ids than movies");
    const std::vector<std::size_t> perBin = splitByWeight(newCount, weight, room);
    for (std::size_t k = 0; k < perBin.size(); ++k) {
        const std::int64_t a = lo + static_cast<std::int64_t>(k) * kIdBin;
        chooseIds(a, std::min(hi, a + kIdBin - 1), perBin[k], rng, ids);
    }
    ids.push_back(maxId);
    if (ids.size() != movies) throw std::logic_error("synthetic dataset: movie id plan is off");
    return ids;
}

// 1 for the movies someone rates: all but `unrated` of them, the unrated drawn with weight
// (position / movies)^3 (the newest additions), never the last (the largest id).
std::vector<std::uint8_t> planRatedMovies(std::size_t movies, std::size_t unrated, Pcg32& rng) {
    std::vector<std::uint8_t> rated(movies, 1);
    std::vector<std::pair<double, std::uint32_t>> keys;  // Efraimidis-Spirakis: log(u) / w
    keys.reserve(movies);
    for (std::size_t i = 0; i + 1 < movies; ++i) {
        double u = rng.uniform();
        while (u <= 0.0) u = rng.uniform();
        const double w = std::pow(static_cast<double>(i + 1) / static_cast<double>(movies), 3.0);
        keys.emplace_back(std::log(u) / w, static_cast<std::uint32_t>(i));
    }
    auto larger = [](const auto& a, const auto& b) {
        return a.first != b.first ? a.first > b.first : a.second < b.second;
    };
    unrated = std::min(unrated, keys.size());
    std::nth_element(keys.begin(), keys.begin() + static_cast<std::ptrdiff_t>(unrated), keys.end(),
                     larger);
    for (std::size_t k = 0; k < unrated; ++k) rated[keys[k].second] = 0;
    return rated;
}

// Each rated movie's first rater: a user drawn in proportion to their ratings, the next one
// with room when that user already has half their ratings planned. Fills the plan's
// firstRatingOffsets and firstRatings.
void planFirstRaters(SyntheticShapePlan& plan, Pcg32& rng) {
    const std::size_t users = plan.ratingsPerUser.size();
    std::vector<std::uint64_t> cumulative(users);
    std::uint64_t total = 0;
    for (std::size_t u = 0; u < users; ++u) cumulative[u] = total += plan.ratingsPerUser[u];
    std::vector<std::uint32_t> movies;
    for (std::size_t i = 0; i < plan.rated.size(); ++i)
        if (plan.rated[i]) movies.push_back(static_cast<std::uint32_t>(i));
    for (std::size_t i = movies.size(); i > 1; --i)
        std::swap(movies[i - 1], movies[rng.below(static_cast<std::uint32_t>(i))]);

    std::vector<std::uint32_t> raterOf(movies.size());
    std::vector<std::uint32_t> planned(users, 0);
    for (std::size_t k = 0; k < movies.size(); ++k) {
        const auto x = static_cast<std::uint64_t>(rng.uniform() * static_cast<double>(total));
        std::size_t u = static_cast<std::size_t>(
            std::upper_bound(cumulative.begin(), cumulative.end(), x) - cumulative.begin());
        u = std::min(u, users - 1);
        for (std::size_t step = 0; planned[u] >= plan.ratingsPerUser[u] / 2; ++step) {
            if (step >= users)
                throw std::logic_error("synthetic dataset: no room for first raters");
            u = (u + 1) % users;
        }
        ++planned[u];
        raterOf[k] = static_cast<std::uint32_t>(u);
    }
    plan.firstRatingOffsets.assign(users + 1, 0);
    for (std::size_t u = 0; u < users; ++u)
        plan.firstRatingOffsets[u + 1] = plan.firstRatingOffsets[u] + planned[u];
    plan.firstRatings.assign(movies.size(), 0);
    std::vector<std::uint64_t> next(plan.firstRatingOffsets.begin(),
                                    plan.firstRatingOffsets.end() - 1);
    for (std::size_t k = 0; k < movies.size(); ++k)
        plan.firstRatings[next[raterOf[k]]++] = movies[k];
    for (std::size_t u = 0; u < users; ++u)
        std::sort(
            plan.firstRatings.begin() + static_cast<std::ptrdiff_t>(plan.firstRatingOffsets[u]),
            plan.firstRatings.begin() +
                static_cast<std::ptrdiff_t>(plan.firstRatingOffsets[u + 1]));
}

}  // namespace

const std::vector<ReleaseShapeFigures>& releaseShapes() {
    // Counts as published by GroupLens (each release's README); the first and last rating
    // about as in the real files.
    static const std::vector<ReleaseShapeFigures> shapes = {
        {SyntheticShape::Ml20m, "ml-20m", 20'000'263, 138'493, 26'744, 27'278, 131'262,
         kOldCatalogueIds, noonOf(1995, 1, 9), noonOf(2015, 3, 31), 2015},
        {SyntheticShape::Ml25m, "ml-25m", 25'000'095, 162'541, 59'047, 62'423, 209'171,
         kOldCatalogueIds, noonOf(1995, 1, 9), noonOf(2019, 11, 21), 2019},
        {SyntheticShape::Ml32m, "ml-32m", 32'000'204, 200'948, 84'432, 87'585, 292'757,
         kOldCatalogueIds, noonOf(1995, 1, 9), noonOf(2023, 10, 12), 2023},
    };
    return shapes;
}

const ReleaseShapeFigures& releaseShapeFigures(SyntheticShape shape) {
    for (const auto& s : releaseShapes())
        if (s.shape == shape) return s;
    throw std::invalid_argument("synthetic dataset: no release shape");
}

std::optional<SyntheticShape> syntheticShapeFromName(std::string_view name) {
    for (const auto& s : releaseShapes())
        if (s.name == name) return s.shape;
    return std::nullopt;
}

std::string syntheticShapeNames() {
    std::string names;
    for (const auto& s : releaseShapes()) {
        if (!names.empty()) names += '|';
        names += s.name;
    }
    return names;
}

SyntheticSizes syntheticShapeSizes(const SyntheticConfig& config) {
    return scaledShape(config).sizes;
}

SyntheticShapePlan planSyntheticShape(const SyntheticConfig& config) {
    const ScaledShape scaled = scaledShape(config);
    SyntheticShapePlan plan;
    plan.sizes = scaled.sizes;
    plan.oldCatalogueIds = scaled.oldCatalogueIds;
    const SyntheticSizes& s = plan.sizes;

    Pcg32 idRng(deriveSeed(config.seed, kStreamIds));
    plan.movieIds = planMovieIds(s.movies, s.maxMovieId, scaled.oldCatalogueIds, idRng);
    Pcg32 unratedRng(deriveSeed(config.seed, kStreamUnrated));
    plan.rated = planRatedMovies(s.movies, s.movies - s.ratedMovies, unratedRng);

    // Ratings per user as the generator draws them, capped as if the rated movies were all.
    SyntheticSizes choosable = s;
    choosable.movies = s.ratedMovies;
    const std::size_t cap = synth::activityCap(choosable);
    if (s.ratings > s.users * cap)
        throw std::invalid_argument("synthetic dataset: ratings do not fit the users");
    plan.ratingsPerUser = synth::drawActivity(config.seed, s.users, s.ratings, cap);

    Pcg32 raterRng(deriveSeed(config.seed, kStreamFirstRaters));
    planFirstRaters(plan, raterRng);
    return plan;
}

}  // namespace lens
