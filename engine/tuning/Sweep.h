#pragma once
// Hyper-parameter search by validation (the `sweep` command; the Compare stage's "validation-
// chosen settings").
//
// A sweep trains one model kind once per trial on the validation view of a split
// (tuning/ValidationData.h: the split's training part minus a validation part), scores each
// trial on the validation part only, picks the best trial by the validation metric, retrains
// that configuration on the whole training part (training + validation) and scores it once on
// the test part. The test part is never seen while choosing.
//
// Trials: the full grid (every combination of the axes' values, the first axis varying
// slowest), or with `randomTrials` = N > 0, N distinct combinations drawn from the grid
// without replacement by `seed` (random search over the grid; Bergstra and Bengio 2012).
// Metrics (eval/ModelEvaluation figures): "rmse" (lower is better; rating models), "hr10",
// "ndcg10" (sampled protocol), "full_hr10", "full_ndcg10"; the default is rmse for rating
// models and ndcg10 for ranking models.
//
// The pieces below runSweep are shared with the Train stage's sweep (ui/train/SweepSession),
// where each trial is a queued training run of its own: the metric, a trial's settings, how a
// trial and the final run train and are scored, and the choice of the best trial.
#include <cstdint>
#include <functional>
#include <stop_token>
#include <string>
#include <utility>
#include <vector>

#include "data/Dataset.h"
#include "data/Split.h"
#include "models/Recommender.h"
#include "tuning/ValidatedTraining.h"

namespace lens {

struct ModelEvaluation;
struct TrainData;

struct SweepAxis {
    std::string key;                  // a hyper-parameter key of the model ("k", "lambda")
    std::vector<std::string> values;  // as text, validated by the model
};

struct SweepConfig {
    std::string modelKind;  // a RecommenderFactory name
    std::vector<SweepAxis> axes;
    int randomTrials = 0;  // 0: the full grid
    std::uint64_t seed = 42;
    std::string metric;  // empty: the default for the model kind
    std::vector<std::pair<std::string, std::string>> fixed;  // set on every trial first
};

struct SweepTrial {
    std::vector<std::pair<std::string, std::string>> params;  // the axes' values of this trial
    double validation = 0.0;                                  // the metric on validation
    double seconds = 0.0;                                     // training time
    FitStatus status = FitStatus::Untrained;
};

struct SweepResult {
    std::string modelKind, metric;
    bool lowerIsBetter = false;
    std::size_t validationRatings = 0, gridSize = 0;
    std::vector<SweepTrial> trials;
    std::size_t best = 0;         // index into trials
    double bestTest = 0.0;        // the best configuration retrained, on the test part
    double bestValidation = 0.0;  // == trials[best].validation
};

// Called after each trial (index, trial); return false to stop (lens::Cancelled is thrown).
using SweepObserver = std::function<bool(std::size_t, std::size_t, const SweepTrial&)>;

// The trials a config asks for (their params only), in order. Throws std::invalid_argument for
// an empty axis, a repeated key or more than 10,000 combinations.
std::vector<SweepTrial> sweepTrials(const SweepConfig& config);

// Throws std::invalid_argument naming the key for unknown keys or bad values, and for an
// unknown model kind or metric.
// `stop`: a stop request ends the trial being trained within one iteration and the sweep with
// lens::Cancelled (as does the observer returning false).
SweepResult runSweep(const Dataset& dataset, const SplitSpec& split, const SweepConfig& config,
                     const SweepObserver& observer = {}, std::stop_token stop = {});

// "rmse", "hr10", ... of an evaluation (NaN when absent) and its direction.
double evaluationMetric(const ModelEvaluation& e, const std::string& metric);
bool evaluationMetricLowerIsBetter(const std::string& metric);

// ---------------------------------------------------------------------------------------------
// Shared by runSweep and the Train stage's sweep

// The metric a sweep of `config` is judged by: config.metric, or the model kind's default.
// Throws std::invalid_argument for an unknown model kind or metric, and for rmse on a model that
// does not predict ratings.
std::string sweepMetric(const SweepConfig& config);

// `settings` (key, value in order) with the trial's values: a key already there takes the
// trial's value in place, a new key is appended. A trial's model is set from
// withTrialValues(config.fixed, trial) (after its seed).
std::vector<std::pair<std::string, std::string>> withTrialValues(
    std::vector<std::pair<std::string, std::string>> settings, const SweepTrial& trial);

// The best trial by validation: lowest or highest, the first of equals; a NaN figure never wins
// over a number (all NaN: 0). `trials` must not be empty.
std::size_t bestSweepTrial(const std::vector<SweepTrial>& trials, bool lowerIsBetter);

// The metric of held-out figures (NaN when absent): rmse, hr10, ndcg10, full_hr10, full_ndcg10.
double heldOutMetric(const HeldOutFigures& figures, const std::string& metric);

struct SweepFitOptions {
    bool rankingModel = false;  // evaluateModel's flag (HR/NDCG for rating models too)
    FitControl control;         // observer, stop token; `evaluate` is set here (or cleared)
    // Trials: score every iteration on validation (FitControl::evaluate, the live curves of a
    // Train run) and let a model that keeps its best iteration choose it on them
    // (FitControl::selectOnEvaluation), as trainValidated does; runSweep (the `sweep` command)
    // turns it on too, so its trials are fitted like the Train stage's.
    bool curves = false;
    // The final run: also the per-user metrics of the test part (perUserOptionsFor).
    bool perUser = false;
    // Asked after the fit: true skips the scoring (the caller no longer wants the result).
    std::function<bool()> abandoned;
};

struct SweepFit {
    FitStatus status = FitStatus::Untrained;
    bool scored = false;           // false: no usable model, or abandoned
    HeldOutFigures figures;        // trial: on validation; final: on the test part
    double trainRmse = kNoMetric;  // on the ratings fitted (rating models)
    PerUserMetrics perUser;        // final run with perUser: the test part's
};

// A trial: fits `model` on `validation` (validationTrainData: the fit part, with the validation
// part as its held-out ratings) and scores the final model on validation with evaluateModel, so
// every sweep metric is there (the curves' heldOutEvaluation has no full-catalogue figures).
// The test part is not touched.
SweepFit fitSweepTrial(Recommender& model, const TrainData& validation,
                       const SweepFitOptions& options);

// The chosen configuration: fits on the split's whole training part (training + validation)
// with nothing held out during the fit (no curves), then scores the test part once.
SweepFit fitSweepFinal(Recommender& model, const Dataset& dataset, const Split& split,
                       const SweepFitOptions& options);

}  // namespace lens
