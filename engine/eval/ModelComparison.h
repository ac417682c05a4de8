#pragma once
// Is model A really better than model B? The Compare stage's engine: two or more models trained
// on the same split are scored user by user (eval/PerUserMetrics.h), and every headline figure
// is reported with its uncertainty.
//
// - Per model and metric: the mean over test users with a bootstrap percentile CI (users
//   resampled, stats/Bootstrap.h; the same resamples for every metric and model, by seed).
// - Per pair of models and metric (over the users both were scored on): the mean difference
//   a - b with its paired t-based CI, the paired t-test and the Wilcoxon signed-rank test
//   (stats/PairedTests.h), effect sizes (Cohen's d_z, rank-biserial r), and the t-test's
//   p-value Holm-adjusted over the family of all pairs of that metric (stats/MultipleTesting.h;
//   with two models the family has one member and p_holm = p_t).
// - Protocol disagreements: a pair whose order by the sampled protocol (100 negatives) differs
//   from its order by the full-catalogue ranking, for HR and NDCG (Krichene and Rendle 2020).
// - Segments (eval/Segments.h): users by training activity (cold, quartiles) with each model's
//   per-segment mean and CI of its primary metric; test cases by the popularity tier of the
//   test movie (head, mid, long tail) with each model's full-catalogue hit rate and CI; where
//   the options carry the release's demographics, users by gender, age group and occupation
//   (occupations largest first) with each model's mean and CI of its primary metric.
// - Beyond accuracy (eval/BeyondAccuracy.h) of every scored user's full-catalogue top-N list:
//   coverage, novelty, intra-list diversity, popularity, exposure Gini, long-tail share and
//   calibration, each per-user metric with a bootstrap CI.
// Lower is better for rmse and mae, higher for every other accuracy metric.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "data/Demographics.h"
#include "eval/BeyondAccuracy.h"
#include "eval/PerUserMetrics.h"
#include "stats/Bootstrap.h"

namespace lens {

class Recommender;

struct ComparedModel {
    std::string name;                    // shown and used as the key ("als", a run id)
    const Recommender* model = nullptr;  // trained on the TrainData given to compareModels
};

struct ComparisonOptions {
    PerUserOptions perUser;                   // cutoff, protocols, user sample
    BootstrapOptions bootstrap;               // resamples, confidence, seed
    int sampledNegatives = 100;               // per test case (the NCF protocol)
    double coldFraction = 0.10;               // activity segments
    double headShare = 0.2, tailShare = 0.2;  // popularity tiers
    // Per user of the TrainData (Dataset::demographics); empty: no demographic segments.
    UserDemographics demographics;
};

struct MetricEstimate {
    std::string metric;  // a PerUserMetrics column name or a beyond-accuracy name
    BootstrapCI ci;      // ci.estimate is the mean
};

// Segment dimensions (SegmentEstimate::dimension; the JSON's "dimension").
inline constexpr const char* kSegmentActivity = "activity";
inline constexpr const char* kSegmentPopularity = "popularity";
// and demographicDimensionKey(): "gender", "age", "occupation" (eval/Segments.h).

struct SegmentEstimate {
    std::string segment;  // "cold (lightest 10 %)", "head", "female", "25-34", "programmer", ...
    std::string metric;
    std::size_t units = 0;  // users (activity, demographics) or test cases (popularity)
    BootstrapCI ci;
    std::string dimension;  // kSegmentActivity, kSegmentPopularity, "gender", "age", ...
};

struct BeyondAccuracySummary {
    double coverage = 0, exposureGini = 0;  // list-set figures (no CI: not a mean over users)
    std::size_t distinctItems = 0, catalogueSize = 0;
    std::vector<MetricEstimate> perUser;  // novelty, ild_genre, ild_embedding, popularity, ...
};

struct ModelResult {
    std::string name, kind, displayName;
    bool predictsRatings = false;
    std::size_t users = 0;  // users scored
    std::vector<MetricEstimate> metrics;
    std::vector<SegmentEstimate> segments;
    BeyondAccuracySummary beyond;
    PerUserMetrics perUser;  // kept for charts (scatter, distributions)

    const MetricEstimate* metric(const std::string& name) const;
};

struct PairResult {
    std::string a, b, metric;
    std::size_t n = 0;
    double meanDifference = 0, ciLower = 0, ciUpper = 0;  // a - b, paired t interval
    double pT = 1, pWilcoxon = 1, pHolm = 1;
    double cohensDz = 0, rankBiserial = 0;
    bool aBetter() const;  // by the direction of the metric
};

struct ProtocolDisagreement {
    std::string a, b;
    std::string sampledMetric, fullMetric;             // "hr_sampled" vs "hr_full"
    double sampledDifference = 0, fullDifference = 0;  // a - b under each protocol
};

struct Comparison {
    std::string datasetName, split;
    int cutoff = 10;
    int resamples = 0;
    double confidence = 0.95;
    std::uint64_t seed = 42;
    std::size_t usersWithTests = 0, usersScored = 0;
    std::vector<ModelResult> models;
    std::vector<PairResult> pairs;
    std::vector<ProtocolDisagreement> disagreements;
};

// True when some model has segments of `dimension` ("gender", ...; see SegmentEstimate).
bool hasSegments(const Comparison& comparison, const std::string& dimension);
// True when the comparison has gender, age or occupation segments.
bool hasDemographicSegments(const Comparison& comparison);

// True for metrics where lower is better (rmse, mae).
bool lowerIsBetter(const std::string& metric);
// The metric a model is judged by first: rmse for rating models, ndcg_full otherwise.
std::string primaryMetric(bool predictsRatings);

// Scores every model on `data` (each must have been trained on it). Throws
// std::invalid_argument for fewer than one model or a model of another shape; honours
// `stop` between models (lens::Cancelled). `progress(fraction, stage)` may be empty.
Comparison compareModels(const TrainData& data, const std::vector<ComparedModel>& models,
                         const ComparisonOptions& options = {},
                         const std::function<bool(double, const std::string&)>& progress = {});

}  // namespace lens
