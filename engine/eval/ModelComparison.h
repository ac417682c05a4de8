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
// - Stored per-user metrics: a Train stage run keeps its per-user metrics of the test part
//   (io/RunHistoryFile.h). Where they fit the comparison (storedPerUserFit: same dataset, split,
//   seed, cutoff and test users, the columns needed), those columns are taken as they were
//   measured when the run finished, never recomputed; what is not stored (the full protocol's
//   top-N lists and per-case hits, protocols the run did not measure) is computed from the model.
//   Each ModelResult says which columns came from where and why.
// Lower is better for rmse and mae, higher for every other accuracy metric.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "data/Demographics.h"
#include "data/Split.h"
#include "eval/BeyondAccuracy.h"
#include "eval/PerUserMetrics.h"
#include "stats/Bootstrap.h"

namespace lens {

class Recommender;

// A run's per-user metrics as they were measured when it finished (the Train stage's
// <run>.peruser, io/RunHistoryFile.h), with what they were measured on.
struct StoredPerUser {
    PerUserMetrics metrics;      // metrics.datasetUsers: the dataset's users when written
    SplitSpec split;             // the run's split and seed (its run history entry)
    int sampledNegatives = 100;  // the sampled protocol's negatives (tuning/ValidatedTraining.h)
    std::string file;            // shown in reasons
};

struct ComparedModel {
    ComparedModel() = default;
    ComparedModel(std::string name, const Recommender* model)
        : name(std::move(name)), model(model) {}

    std::string name;                    // shown and used as the key ("als", a run id)
    const Recommender* model = nullptr;  // trained on the TrainData given to compareModels
    // The run's stored per-user metrics (null: none). Their columns that fit the comparison
    // (storedPerUserFit) are taken as stored; the rest is computed from the model.
    std::shared_ptr<const StoredPerUser> stored;
    // Why `stored` is null ("no per-user metrics file", "x.peruser: cut short ..."), reported as
    // the reason the model's per-user metrics were computed. Empty: the run never had one.
    std::string storedProblem;
};

// Reads a run's per-user metrics file measured on `split` into model.stored; a file that
// cannot be read leaves model.stored null and says why in model.storedProblem. Throws nothing.
void attachStoredPerUser(ComparedModel& model, const std::filesystem::path& file,
                         const SplitSpec& split);

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
    // Where the per-user columns came from: those named here were taken from the run's stored
    // per-user metrics as they are; the others were computed from the model.
    std::vector<std::string> storedColumns;
    // Why the columns were computed (no file, or why it does not fit), or, with stored columns,
    // which ones were not stored and were computed ("hr_sampled, ... not stored"); may be empty.
    std::string perUserNote;
    bool perUserStored() const { return !storedColumns.empty(); }

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

// What a comparison of `data` under `options` can take from a run's stored per-user metrics,
// for a model that predicts ratings or not. The comparison needs up to three groups of columns
// (rmse and mae; the sampled protocol's three; the full protocol's four: see
// computePerUserMetrics); a group is taken only whole. Nothing is taken, and `reason` says why,
// when the file was measured on other data: another dataset user count, split or seed, cutoff,
// number of test users or of sampled negatives, or when it lacks a user of the comparison's user
// sample (PerUserOptions::maxUsers: the stored rows of the sampled users are taken).
struct StoredPerUserFit {
    std::vector<std::string> columns;   // taken as stored (canonical order)
    std::vector<std::string> computed;  // needed but not stored (whole groups)
    std::string reason;                 // set when nothing is taken
};
StoredPerUserFit storedPerUserFit(const StoredPerUser& stored, const TrainData& data,
                                  const ComparisonOptions& options, bool predictsRatings);

// Scores every model on `data` (each must have been trained on it), taking the columns of a
// model's stored per-user metrics that fit (storedPerUserFit) as they are. Throws
// std::invalid_argument for fewer than one model or a model of another shape; honours
// `stop` between models (lens::Cancelled). `progress(fraction, stage)` may be empty.
Comparison compareModels(const TrainData& data, const std::vector<ComparedModel>& models,
                         const ComparisonOptions& options = {},
                         const std::function<bool(double, const std::string&)>& progress = {});

}  // namespace lens
