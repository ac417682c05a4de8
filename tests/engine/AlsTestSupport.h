#pragma once
// Fixtures shared by the model tests (tst_als*, tst_model*, tst_recommender_contract): a planted
// low-rank rating set with genres, and the per-user holdout / leave-one-out masks built by hand
// (the same protocols as lens::makeSplit) so these tests depend only on the models.
#include <algorithm>
#include <cmath>
#include <vector>

#include "data/Dataset.h"
#include "data/Split.h"
#include "models/Recommender.h"
#include "models/TrainData.h"
#include "util/Random.h"

namespace lens::test {

// users x items ratings from mu + b_u + b_i + p_u . q_i (rank 3) plus noise, rounded to half
// stars and clipped; each cell observed with probability `density`; every 5th cell of a user
// (by draw) goes to the test set. Item genres: a deterministic mix of 1-3 genres.
inline TrainData plantedTrainData(std::size_t users = 240, std::size_t items = 160,
                                  double density = 0.3, std::uint64_t seed = 7) {
    Pcg32 rng(seed);
    const int rank = 3;
    std::vector<double> p(users * rank), q(items * rank), bu(users), bi(items);
    for (auto& v : p) v = rng.normal() * 0.6;
    for (auto& v : q) v = rng.normal() * 0.6;
    for (auto& v : bu) v = rng.normal() * 0.3;
    for (auto& v : bi) v = rng.normal() * 0.4;
    std::vector<RatingTriplet> train, test;
    for (std::size_t u = 0; u < users; ++u) {
        for (std::size_t i = 0; i < items; ++i) {
            if (rng.uniform() >= density) continue;
            double r = 3.5 + bu[u] + bi[i] + rng.normal() * 0.3;
            for (int f = 0; f < rank; ++f) r += p[u * rank + f] * q[i * rank + f];
            r = std::clamp(std::round(r * 2.0) / 2.0, 0.5, 5.0);
            RatingTriplet t{static_cast<std::uint32_t>(u), static_cast<std::uint32_t>(i),
                            static_cast<float>(r)};
            (rng.below(5) == 0 ? test : train).push_back(t);
        }
    }
    std::vector<GenreMask> genres(items);
    for (std::size_t i = 0; i < items; ++i) {
        genres[i] = GenreMask{1} << (i % kGenreCount);
        if (i % 3 == 0) genres[i] |= GenreMask{1} << ((i / 3) % kGenreCount);
    }
    return TrainData::fromTriplets(users, items, train, test, genres);
}

// Per-user holdout: each user's ratings shuffled with their own stream, round(fraction * n)
// to test.
inline Split perUserHoldout(const Dataset& d, double fraction, std::uint64_t seed) {
    Split s;
    s.spec.kind = SplitKind::PerUserHoldout;
    s.spec.fraction = fraction;
    s.spec.seed = seed;
    s.isTest.assign(d.ratingCount(), 0);
    for (std::size_t u = 0; u < d.userCount(); ++u) {
        const std::size_t n = d.byUser.rowSize(u);
        std::vector<std::size_t> idx(n);
        for (std::size_t i = 0; i < n; ++i) idx[i] = i;
        Pcg32 rng(deriveSeed(seed, u));
        for (std::size_t i = n; i > 1; --i)
            std::swap(idx[i - 1], idx[rng.below(static_cast<std::uint32_t>(i))]);
        const auto t = static_cast<std::size_t>(std::llround(fraction * static_cast<double>(n)));
        for (std::size_t i = 0; i < t; ++i) s.isTest[d.byUser.offsets[u] + idx[i]] = 1;
    }
    for (auto t : s.isTest) (t ? s.testCount : s.trainCount)++;
    return s;
}

// Leave-one-out latest: each user's latest rating (last in CSR order on ties) is the test one.
inline Split leaveOneOutLatest(const Dataset& d) {
    Split s;
    s.spec.kind = SplitKind::LeaveOneOutLatest;
    s.isTest.assign(d.ratingCount(), 0);
    for (std::size_t u = 0; u < d.userCount(); ++u) {
        const std::size_t b = d.byUser.offsets[u], e = d.byUser.offsets[u + 1];
        if (e - b < 2) continue;
        std::size_t best = b;
        for (std::size_t i = b; i < e; ++i)
            if (d.timestamps[i] >= d.timestamps[best]) best = i;
        s.isTest[best] = 1;
    }
    for (auto t : s.isTest) (t ? s.testCount : s.trainCount)++;
    return s;
}

// Every user's scores of every movie, row after row (users x movies, flattened): what two
// models or two fits are compared on.
inline std::vector<float> allScores(const Recommender& model) {
    std::vector<float> out, row(model.itemCount());
    for (std::uint32_t u = 0; u < model.userCount(); ++u) {
        model.scoreAll(u, row);
        out.insert(out.end(), row.begin(), row.end());
    }
    return out;
}

}  // namespace lens::test
