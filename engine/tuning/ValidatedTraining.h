#pragma once
// A training run as the Train stage and the `train` command run it (issue #17's protocol):
//
// 1. The split's training part is cut into a fit part and a validation part
//    (tuning/ValidationData.h: 10 % of each user's training ratings, or each user's latest
//    training rating under leave-one-out, drawn with the split's seed). The model fits on the fit
//    part only.
// 2. Every iteration is scored on the validation part: the driver passes
//    heldOutEvaluation(validation view) as FitControl::evaluate, so the snapshot's held-out
//    fields (testRmse / testMae, hr10 / ndcg10) hold validation figures and live curves, early
//    stopping and any choice made from them never see the test part. It also sets
//    FitControl::selectOnEvaluation, so the NCF models pick their best epoch and stop early on
//    these figures rather than on a hold-out of their own.
// 3. When the fit ends with a usable model (completed, or stopped after at least one iteration)
//    the test part is scored once: the final figures (eval/ModelEvaluation's evaluateModel on the
//    split) and the per-user metrics (eval/PerUserMetrics.h) of the model as it ends up. The fit
//    view is released before the split's view is built, so the two never coexist in memory.
//
// Models know nothing of this; the driver owns the loop's evaluation (FitControl::evaluate).
#include <atomic>
#include <cstddef>
#include <functional>

#include "data/Dataset.h"
#include "data/Split.h"
#include "eval/ModelEvaluation.h"
#include "eval/PerUserMetrics.h"
#include "models/Recommender.h"
#include "tuning/TrainingBudget.h"
#include "tuning/ValidationData.h"

namespace lens {

enum class EvaluatedPart { Validation, Test };
const char* evaluatedPartName(EvaluatedPart part);  // "validation", "test"

// One held-out part's figures of a model; absent figures are NaN (kNoMetric).
struct HeldOutFigures {
    double rmse = kNoMetric, mae = kNoMetric;             // rating models, clipped predictions
    double hr10 = kNoMetric, ndcg10 = kNoMetric;          // NCF protocol (100 sampled negatives)
    double fullHr10 = kNoMetric, fullNdcg10 = kNoMetric;  // full catalogue
    // The full catalogue on a sample of users (large data; eval/RankingMetrics.h UserSampling):
    // users evaluated of those with held-out ratings and the 95 % interval of fullHr10.
    std::size_t fullUsers = 0, fullUsersTotal = 0;
    double fullHr10Low = kNoMetric, fullHr10High = kNoMetric;
    bool fullSampled() const { return fullUsers < fullUsersTotal; }
    bool any() const;
    // Figure by figure; two absent (NaN) figures are equal.
    bool operator==(const HeldOutFigures& other) const;
};

// Ratings of the three parts (known before the fit starts).
struct PartSizes {
    std::size_t fit = 0, validation = 0, test = 0;
};

struct ValidatedTrainingOptions {
    ValidationSpec validation;  // usually ValidationSpec::forSplit(split.spec)
    bool rankingModel = false;  // the registry's `ranking` flag of the model kind
    // Observer, stop token and cancel flag of the fit; `evaluate` and `selectOnEvaluation` are
    // set by the driver (any evaluator given here is replaced).
    FitControl control;
    // Called once the parts are built, before the fit (progress messages).
    std::function<void(const PartSizes&)> onPrepared;
    // Called on the fitting thread before each scoring of a held-out part, with the view
    // scored: every iteration's validation scoring and the final one, and the one test scoring.
    std::function<void(EvaluatedPart, const TrainData&)> onEvaluate;
    // Per-user metrics of the test part (see perUserOptionsFor()); false skips them.
    bool perUser = true;
    // Set when the caller no longer wants the result (a cancelled job, not a stopped one): the
    // test part is then not scored. Null: always scored when there is a model.
    const std::atomic<bool>* abandoned = nullptr;
    // Wall time of the run (none by default; tuning/TrainingBudget.h): counted from the start of
    // trainValidated, checked after each iteration, so the fit stops at the end of the
    // iteration that uses it up and the result's `stop` says so.
    TrainingBudget budget;
};

struct ValidatedTrainingResult {
    FitStatus status = FitStatus::Untrained;
    PartSizes sizes;
    double trainRmse = kNoMetric;  // the final model on the fit part (rating models)
    HeldOutFigures validation;     // the final model on validation (as the curves measure it)
    HeldOutFigures test;           // the final model on the test part, scored once
    bool tested = false;           // false: no usable model, the test part was not touched
    PerUserMetrics perUser;        // test part (empty when not tested or not asked for)
    double secondsPerIteration = kNoMetric;
    TrainingStop stop;  // why the fit ended (completed, budget, request, the model's own rule)
};

// What the per-user metrics of a finished run hold: rating models RMSE / MAE; ranking models
// (and every model on a leave-one-out split, as evaluateModel) HR, NDCG and reciprocal rank at 10
// under the sampled protocol and HR, NDCG, recall and reciprocal rank under the full catalogue.
PerUserOptions perUserOptionsFor(const Recommender& model, const SplitSpec& split,
                                 bool rankingModel);

// A final evaluation as held-out figures (the test part's or validation's).
HeldOutFigures heldOutFigures(const ModelEvaluation& e);

// The per-user metrics of a finished run on its split's test part (perUserOptionsFor), without
// the top lists and per-case hits the Compare stage computes itself.
PerUserMetrics testPerUserMetrics(const Recommender& model, const TrainData& full,
                                  bool rankingModel);

// Runs the protocol above. Throws what the fit throws (std::invalid_argument, DataError, ...);
// a stop request ends the fit as the model's contract says, and a stopped model with at least
// one iteration is still tested. `split` must be of `dataset`.
ValidatedTrainingResult trainValidated(Recommender& model, const Dataset& dataset,
                                       const Split& split, const ValidatedTrainingOptions& options);

}  // namespace lens
