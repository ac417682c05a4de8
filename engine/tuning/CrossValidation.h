#pragma once
// k-fold cross-validation of one model kind (the `cv` command): mean and standard deviation of
// each test figure over the folds.
//
// Folds are per user: each user's ratings are shuffled with the user's own stream of `seed` and
// dealt round-robin into k folds, so every user with at least k ratings has about 1/k of them in
// each fold; fold f is the test part of split f and the rest its training part. A user with a
// single rating keeps it in training in every split (as the holdout splits do). On ml-100k with
// k = 5 the release's own u1..u5 splits are used as they ship (its 5-fold benchmark).
// The standard deviation is the sample one (k - 1 denominator).
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "data/Dataset.h"
#include "data/Split.h"
#include "eval/ModelEvaluation.h"

namespace lens {

struct CrossValidationConfig {
    std::string modelKind;
    int folds = 5;  // 2..20
    std::uint64_t seed = 42;
    std::vector<std::pair<std::string, std::string>> settings;  // hyper-parameters
    bool usePredefinedMl100k = true;                            // ml-100k with k = 5: u1..u5
};

struct FoldResult {
    int fold = 0;       // 1-based
    std::string split;  // "fold 1 of 5 (per user, seed 42)" or "ml-100k u1"
    std::size_t trainRatings = 0, testRatings = 0;
    ModelEvaluation evaluation;
};

struct MeanSd {
    std::string metric;  // "test_rmse", "test_mae", "hr10", "ndcg10", "full_hr10", "full_ndcg10"
    double mean = 0.0, sd = 0.0;
    int folds = 0;
};

struct CrossValidationResult {
    std::string modelKind;
    bool ranking = false;
    bool predefined = false;  // ml-100k u1..u5
    std::vector<FoldResult> folds;
    std::vector<MeanSd> summary;
};

// The k per-user fold splits (isTest marks fold f's ratings in split f).
std::vector<Split> perUserFoldSplits(const Dataset& dataset, int folds, std::uint64_t seed);

// Called after each fold; return false to stop (lens::Cancelled is thrown).
using FoldObserver = std::function<bool(const FoldResult&)>;

CrossValidationResult crossValidate(const Dataset& dataset, const CrossValidationConfig& config,
                                    const FoldObserver& observer = {});

}  // namespace lens
