#include "synth/SyntheticRatingProcess.h"

#include <algorithm>
#include <cmath>

#include "util/Calendar.h"

namespace lens::synth {

namespace {

constexpr std::uint64_t kStreamActivity = 0xAC71717EULL;

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

}  // namespace

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
    const Era& era = world.era;
    user.start = era.dataStart +
                 static_cast<std::int64_t>(
                     rng.uniform() * static_cast<double>(era.dataEnd - era.dataStart - 86400));
    user.end = std::min(era.dataEnd, user.start + static_cast<std::int64_t>(span));
    user.endYear = civilYear(user.end);
    return user;
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
            const std::size_t pos = groupPositionAbove(world, g, x);
            const std::uint32_t i = world.groupMovies[g][std::min(pos, cumulative.size() - 1)];
            if (s.taken[i]) continue;
            // The movie's factor and year from the contiguous copies (fewer cache misses).
            double accept = sigmoid(kAcceptTilt * dot(user.p, world.factors[i].q));
            if (world.years[i] > user.endYear) accept *= kFutureAcceptance;
            if (rng.uniform() >= accept) continue;
            take(i);
            const SynthMovie& m = world.movies[i];
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
        t = std::min(world.era.dataEnd,
                     release + static_cast<std::int64_t>(rng.uniform() * 60 * 86400));
    return static_cast<std::uint32_t>(t);
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
            std::min<std::int64_t>(world.era.dataEnd, times[k] + 1 + rng.below(600)));
        tags.push_back({movies[k], text, t});
    }
    std::sort(tags.begin(), tags.end(), [](const TagRecord& a, const TagRecord& b) {
        return a.movie != b.movie ? a.movie < b.movie : a.timestamp < b.timestamp;
    });
}

}  // namespace lens::synth
