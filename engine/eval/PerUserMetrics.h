#pragma once
// Per-user metrics of a trained model on its split: the unit a comparison resamples and pairs.
//
// Every headline figure of the Compare stage is the mean over test users of one of these
// columns, so a bootstrap over users (stats/Bootstrap.h) gives its confidence interval and two
// runs on the same split pair up user by user (stats/PairedTests.h).
//
// Rating models (on any split): per user u with test ratings T_u,
//   rmse_u = sqrt(mean_{(u,i) in T_u} (clip(r^_ui) - r_ui)^2),  mae_u = mean |clip(r^_ui) - r_ui|.
// Ranking models, for each test case (u, i) with rank r (0-based; higher scores count 1, ties
// 1/2, as in eval/RankingMetrics.h) among its candidates:
//   hit = [r < N],  gain = [r < N] / log2(floor(r) + 2),  reciprocal rank = 1 / (floor(r) + 1);
// averaged over the user's test cases (one case per user under leave-one-out, where the user
// means equal the case means RankingMetrics reports). Two protocols:
//   "sampled": candidates = the case's frozen sampled negatives (NCF protocol);
//   "full":    candidates = every catalogue movie the user has not rated.
// recall@N (full only) = |top-N of (catalogue minus the user's training movies) ∩ T_u| / |T_u|.
//
// On very large data the full protocol may rank a seeded sample of test users (`maxUsers`);
// the result says how many users it kept.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "eval/RankingMetrics.h"
#include "models/TrainData.h"

namespace lens {

class Recommender;

// Column names (also the JSON keys of `compare`).
inline constexpr const char* kUserRmse = "rmse";
inline constexpr const char* kUserMae = "mae";
inline constexpr const char* kUserHrSampled = "hr_sampled";
inline constexpr const char* kUserNdcgSampled = "ndcg_sampled";
inline constexpr const char* kUserRrSampled = "rr_sampled";
inline constexpr const char* kUserHrFull = "hr_full";
inline constexpr const char* kUserNdcgFull = "ndcg_full";
inline constexpr const char* kUserRecallFull = "recall_full";
inline constexpr const char* kUserRrFull = "rr_full";

struct PerUserColumn {
    std::string name;            // one of the constants above
    std::vector<double> values;  // aligned with PerUserMetrics::users
};

struct PerUserMetrics {
    int cutoff = 10;
    std::size_t datasetUsers = 0;      // users of the data scored (0: unknown)
    std::vector<std::uint32_t> users;  // dense user indices with at least one test case, ascending
    std::vector<PerUserColumn> columns;
    std::size_t usersWithTests = 0;  // before any sampling of users
    // Full protocol only: the hit of every test case (aligned with TrainData::test; NaN for
    // cases of users left out by the sample), for segments by the test movie's popularity.
    std::vector<double> fullHitByCase;
    // Full protocol only: each kept user's top-N of the catalogue minus their training movies
    // (aligned with `users`), for the beyond-accuracy metrics.
    std::vector<std::vector<std::uint32_t>> topLists;

    const PerUserColumn* column(const std::string& name) const;
    double mean(const std::string& name) const;  // NaN when the column is absent or empty
};

struct PerUserOptions {
    int cutoff = 10;
    bool ratingErrors = true;  // rmse, mae (only for models that predict ratings)
    bool sampled = true;       // needs `negatives`
    bool full = true;
    // With `full`: false keeps only the full protocol's per-case hits and top-N lists, without
    // its columns (the Compare stage takes those from a run's stored per-user metrics).
    bool fullColumns = true;
    // 0: every test user; otherwise at most this many, drawn without replacement by `seed`
    // (the same users for every model on the same split and seed).
    std::size_t maxUsers = 0;
    std::uint64_t seed = 42;
};

// Users of `data` kept under options.maxUsers (ascending dense indices).
std::vector<std::uint32_t> perUserSample(const TrainData& data, const PerUserOptions& options);

PerUserMetrics computePerUserMetrics(const TrainData& data, const Recommender& model,
                                     const SampledNegatives* negatives,
                                     const PerUserOptions& options = {});

}  // namespace lens
