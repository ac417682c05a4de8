#pragma once
// The JSON form of a model comparison (the `compare` command's --json and the report's
// comparison section). Keys, all snake_case; a figure that is undefined is null:
//   dataset, split, cutoff, bootstrap {resamples, confidence, seed}, users {with_tests, scored}
//   models: [{model, kind, display_name, predicts_ratings, users,
//             metrics: {NAME: {value, ci_low, ci_high}},
//             per_user_source: "stored" (some columns taken from the run's stored per-user
//             metrics) or "computed", per_user_stored_columns: [NAME], per_user_reason: why
//             computed, or which needed columns were not stored ("" when none)}]
//   pairs: [{a, b, metric, n, mean_difference, ci_low, ci_high, p_t, p_wilcoxon, p_holm,
//            cohens_dz, rank_biserial, better}]
//   segments: [{model, dimension, segment, metric, units, value, ci_low, ci_high}]; dimension
//             is activity, popularity, or (releases with a user file) gender, age, occupation
//   beyond_accuracy: [{model, coverage, exposure_gini, distinct_items, catalogue,
//                      metrics: {NAME: {value, ci_low, ci_high}}}]
//   protocol_disagreements: [{a, b, sampled_metric, full_metric, sampled_difference,
//                             full_difference}]
#include <nlohmann/json.hpp>

#include "eval/ModelComparison.h"

namespace lens {

nlohmann::json comparisonToJson(const Comparison& comparison);

}  // namespace lens
