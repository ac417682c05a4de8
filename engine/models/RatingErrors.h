#pragma once
// RMSE and MAE of a rating predictor over a set of ratings. The models use it for their own
// training figures (train RMSE, the bias baseline's objective); eval/ uses it for held-out
// figures (test RMSE / MAE per iteration and at the end of a run). Plain arithmetic on
// TrainData, so it lives with the models, below eval/.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <vector>

#include "models/TrainData.h"

namespace lens {

struct RatingErrors {
    double rmse = kRatingErrorNone;
    double mae = kRatingErrorNone;
    std::size_t count = 0;
    static constexpr double kRatingErrorNone = std::numeric_limits<double>::quiet_NaN();
};

// RMSE and MAE of `predict` over triplets; clip = true clips predictions to `scale` (pass the
// data's scale, TrainData::scale; the default is MovieLens's half stars 0.5..5).
// Deterministic whatever the thread count (fixed-order reduction).
RatingErrors ratingErrors(
    const std::vector<RatingTriplet>& ratings,
    const std::function<float(std::uint32_t user, std::uint32_t item)>& predict, bool clip = true,
    const RatingScale& scale = RatingScale{});
// Same over the train ratings of `data` (CSR order), clipped to data.scale.
RatingErrors trainRatingErrors(const TrainData& data,
                               const std::function<float(std::uint32_t, std::uint32_t)>& predict,
                               bool clip = true);

}  // namespace lens
