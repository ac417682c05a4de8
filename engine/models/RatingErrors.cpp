#include "models/RatingErrors.h"

#include <algorithm>
#include <cmath>

#include "models/Recommender.h"

namespace lens {

namespace {

// Deterministic sum of per-element values computed in parallel: fixed chunks, ordered total.
template <typename F>
double orderedSum(std::size_t n, F&& valueOf) {
    constexpr std::size_t chunk = 4096;
    const std::size_t chunks = (n + chunk - 1) / chunk;
    std::vector<double> partial(chunks, 0.0);
#pragma omp parallel for schedule(dynamic, 1)
    for (std::size_t c = 0; c < chunks; ++c) {
        double s = 0.0;
        const std::size_t end = std::min(n, (c + 1) * chunk);
        for (std::size_t i = c * chunk; i < end; ++i) s += valueOf(i);
        partial[c] = s;
    }
    double total = 0.0;
    for (double p : partial) total += p;
    return total;
}

}  // namespace

RatingErrors ratingErrors(const std::vector<RatingTriplet>& ratings,
                          const std::function<float(std::uint32_t, std::uint32_t)>& predict,
                          bool clip, const RatingScale& scale) {
    RatingErrors e;
    e.count = ratings.size();
    if (ratings.empty()) return e;
    auto err = [&](std::size_t i) {
        float p = predict(ratings[i].user, ratings[i].item);
        if (clip) p = scale.clip(p);
        return static_cast<double>(p) - static_cast<double>(ratings[i].rating);
    };
    const double sq = orderedSum(ratings.size(), [&](std::size_t i) {
        const double d = err(i);
        return d * d;
    });
    const double abs = orderedSum(ratings.size(), [&](std::size_t i) { return std::fabs(err(i)); });
    e.rmse = std::sqrt(sq / static_cast<double>(ratings.size()));
    e.mae = abs / static_cast<double>(ratings.size());
    return e;
}

RatingErrors trainRatingErrors(const TrainData& data,
                               const std::function<float(std::uint32_t, std::uint32_t)>& predict,
                               bool clip) {
    RatingErrors e;
    e.count = data.trainCount();
    if (!e.count) return e;
    // Entry -> user through the CSR offsets (binary search per chunk start is cheap enough).
    auto userOf = [&](std::size_t entry) {
        const auto it =
            std::upper_bound(data.byUser.offsets.begin(), data.byUser.offsets.end(), entry);
        return static_cast<std::uint32_t>(it - data.byUser.offsets.begin() - 1);
    };
    auto err = [&](std::size_t i) {
        float p = predict(userOf(i), data.byUser.index[i]);
        if (clip) p = data.scale.clip(p);
        return static_cast<double>(p) - static_cast<double>(data.byUser.values[i]);
    };
    const double sq = orderedSum(e.count, [&](std::size_t i) {
        const double d = err(i);
        return d * d;
    });
    const double abs = orderedSum(e.count, [&](std::size_t i) { return std::fabs(err(i)); });
    e.rmse = std::sqrt(sq / static_cast<double>(e.count));
    e.mae = abs / static_cast<double>(e.count);
    return e;
}

}  // namespace lens
