#pragma once
// The validation part of a split: carved from its training part so that tuning, early stopping
// and model selection never look at the test part (the test part is scored once, by the final
// model).
//
// - Leave-one-out latest: each user's latest *training* rating (the second latest overall;
//   ties go to the later entry in CSR order, as the split does) is the validation rating, for
//   users with at least two training ratings.
// - Every other protocol: a per-user holdout of the training ratings, round(fraction * n) of a
//   user's n training ratings (at least 1 and at most n - 1 when n >= 2), drawn with the
//   split's seed (its own stream, so validation never coincides with the test draw).
// The result is a TrainData over the same users and movies (ids, genres and dataset name of the
// full view) whose training part is the split's training ratings minus validation and whose
// "test" part is the validation ratings; its split spec is the outer split's.
#include <cstdint>

#include "data/Dataset.h"
#include "data/Split.h"
#include "models/TrainData.h"

namespace lens {

struct ValidationSpec {
    double fraction = 0.1;  // per-user holdout share of each user's training ratings
    bool latest = false;    // leave-one-out: the latest training rating per user
    std::uint64_t seed = 42;

    // The default for a split: latest for leave-one-out, else 10 % per user, the split's seed.
    static ValidationSpec forSplit(const SplitSpec& split);
};

// Entry mask over dataset.byUser: 1 where a training rating of `split` is held out for
// validation (test entries are 0).
std::vector<std::uint8_t> validationMask(const Dataset& dataset, const Split& split,
                                         const ValidationSpec& spec);

TrainData validationTrainData(const Dataset& dataset, const Split& split,
                              const ValidationSpec& spec);

}  // namespace lens
