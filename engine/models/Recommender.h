#pragma once
// The one small virtual interface at the UI boundary: every trainable model (bias baseline,
// ALS, genre-prior ALS, implicit ALS, and the NCF models) is a Recommender, so the Train,
// Rank and Map panels and the command line switch models through a name in
// RecommenderFactory without knowing the concrete class.
//
// Contract (tests/engine/tst_recommender_contract.cpp checks it for every registered model):
// - Hyper-parameters live in the model (set before fit, saved with it); fit() reads them.
// - fit() reports every iteration through the observer as a plain TrainingSnapshot holding the
//   model's own training figures (train RMSE, objective); held-out figures come from the
//   caller's FitControl::evaluate, which the model runs before the observer. Returning
//   false from the observer, a stop request on the stop token or a set cancel flag stops
//   within one half-sweep (one mini-batch chunk for NCF) and leaves a consistent, usable
//   model whose status is Stopped. No exception is thrown for a cancel.
// - The same seed gives the same model whatever the OpenMP thread count.
// - Scores: predictRaw() is the model's raw output (explicit models: a rating, unclipped;
//   implicit models: a preference score); predict() clips explicit ratings to the rating scale
//   the model was fitted on (ratingScale(): MovieLens half stars 0.5..5, a user's data e.g. 1..10).
// - foldIn() represents a new user from their ratings against the fixed item side without
//   retraining; for ALS models the solve is linear in the ratings, so explain() splits a score
//   exactly into per-rated-movie contributions.
#include <Eigen/Core>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <span>
#include <stop_token>
#include <string>
#include <vector>

#include "data/RatingMatrix.h"
#include "data/Split.h"

namespace lens {

struct TrainData;
class ModelWriter;
class ModelReader;

// The MovieLens half-star range (RatingScale's default). Models clip with the scale they were
// fitted on (Recommender::clip); these remain for MovieLens-only code and tests.
inline constexpr float kMinRating = 0.5f;
inline constexpr float kMaxRating = 5.0f;
inline constexpr double kNoMetric = std::numeric_limits<double>::quiet_NaN();

inline float clipRating(float r) {  // to 0.5..5: MovieLens only; models use Recommender::clip

    return r < kMinRating ? kMinRating : (r > kMaxRating ? kMaxRating : r);
}

// What one finished iteration (epoch) of training reports. Absent metrics are NaN (kNoMetric);
// use hasMetric(). Plain value: safe to copy across threads.
struct TrainingSnapshot {
    int iteration = 0;            // 1-based number of finished iterations
    int totalIterations = 0;      // as configured
    double seconds = 0.0;         // wall time of this iteration's training work (sweeps / epoch)
    double evalSeconds = 0.0;     // wall time spent computing the metrics below
    double elapsedSeconds = 0.0;  // since fit() started, everything included
    // Set by the model: trainRmse (explicit models, clipped predictions) and objective.
    // Set by FitControl::evaluate (absent without one): testRmse / testMae (heldOutEvaluation:
    // rating models, clipped predictions) and hr10 / ndcg10 (heldOutEvaluation: ranking models,
    // on the NCF protocol, sampled).
    double trainRmse = kNoMetric;
    double testRmse = kNoMetric;
    double testMae = kNoMetric;
    double objective = kNoMetric;  // regularised loss the model minimises
    double hr10 = kNoMetric;
    double ndcg10 = kNoMetric;

    static bool hasMetric(double v) { return !std::isnan(v); }
};

class Recommender;

// Return false to stop training.
using TrainingObserver = std::function<bool(const TrainingSnapshot&)>;

// Per-iteration evaluation supplied by the caller: measures the model as it stands after an
// iteration and writes its figures into the snapshot (held-out metrics: test RMSE / MAE,
// HR@10 / NDCG@10). Models know nothing of evaluation; eval/ModelEvaluation.h provides the
// standard one (heldOutEvaluation).
using FitEvaluator = std::function<void(const Recommender& model, TrainingSnapshot& snapshot)>;

// How a caller watches, evaluates and stops a fit. Every member is optional.
struct FitControl {
    TrainingObserver observer;
    // Called on the fitting thread after an iteration, before the observer sees the snapshot
    // (and before it enters history()); its time counts in TrainingSnapshot::evalSeconds.
    // Every iteration, except that implicit ALS follows its eval_every schedule.
    FitEvaluator evaluate;
    // Set by a driver whose `evaluate` scores a validation part carved from the training data
    // (tuning/ValidatedTraining): a model that keeps its best iteration or stops early (NCF with
    // validation > 0) then does so on the figures `evaluate` wrote into the snapshot and holds
    // none of the training data out itself. Unset, those figures only inform the observer (they
    // may be of the test part) and never steer the fit.
    bool selectOnEvaluation = false;
    std::stop_token stopToken;
    const std::atomic<bool>* cancelFlag = nullptr;

    bool stopRequested() const {
        return stopToken.stop_requested() ||
               (cancelFlag && cancelFlag->load(std::memory_order_relaxed));
    }
    // Runs `evaluate` when set (models call this).
    void evaluateInto(const Recommender& model, TrainingSnapshot& snapshot) const {
        if (evaluate) evaluate(model, snapshot);
    }
};

enum class FitStatus : std::uint32_t { Untrained = 0, Completed = 1, Stopped = 2 };
const char* fitStatusName(FitStatus status);  // "untrained", "completed", "stopped"

// A hyper-parameter for display, editing and saving. Values travel as text ("10", "0.05",
// "weighted") so every model can use the same form and file format.
struct Hyperparameter {
    std::string key;             // "k", "lambda", "iterations", "seed", ...
    std::string value;           // current value
    std::string label;           // "Factors (k)"
    std::string description;     // tooltip: what it does, typical values
    double minimum = kNoMetric;  // numeric range (NaN: not numeric)
    double maximum = kNoMetric;
    bool integer = false;
    std::vector<std::string> choices;  // non-empty: one of these
};
using HyperparameterList = std::vector<Hyperparameter>;

// One rating of a folded-in user: dense item index and rating on the model's scale (implicit models
// treat every listed item as consumed, with confidence from the rating).
struct FoldInRating {
    std::uint32_t item = 0;
    float rating = 0.0f;
};

// A user represented against a trained model's fixed item side (Rank panel personas).
struct FoldedUser {
    std::vector<FoldInRating> ratings;  // the valid ratings used, in the order given
    Eigen::VectorXf factors;            // user vector (ALS: p_u; NCF: embedding); empty for bias
    float bias = 0.0f;                  // b_u for models with biases
    // Model-specific data for explain(): ALS keeps A^-1 z_j (r_j - mu - b_j) per rated movie
    // as columns, so contribution j to item i is z_i . column j.
    Eigen::MatrixXf contributionBasis;
};

class Recommender {
public:
    virtual ~Recommender() = default;

    // Identity.
    virtual std::string kind() const = 0;         // registry name: "bias", "als", ...
    virtual std::string displayName() const = 0;  // "Biased MF (ALS)"
    virtual bool predictsRatings() const = 0;     // false: scores are preferences (implicit)

    // Hyper-parameters (config held by the model). setHyperparameter throws
    // std::invalid_argument naming the key for unknown keys and bad or out-of-range values.
    virtual HyperparameterList hyperparameters() const = 0;
    virtual void setHyperparameter(const std::string& key, const std::string& value) = 0;
    std::string hyperparameter(const std::string& key) const;  // "" when unknown
    virtual std::uint64_t seed() const = 0;
    virtual int iterations() const = 0;  // configured iterations (epochs)
    // Iterations a fit on `trainRatings` training ratings will run: iterations() unless a
    // default shrinks on large data (the implicit NCF models' epochs, NcfRecommender).
    virtual int iterationsFor(std::size_t trainRatings) const {
        (void)trainRatings;
        return iterations();
    }

    // Trains on `data`; see the contract above. Records ids, split, scale, status and history.
    // Throws std::invalid_argument (ratingModelRefusal) when the model predicts ratings and
    // the data is implicit feedback.
    FitStatus fit(const TrainData& data, const FitControl& control = {});

    // Scoring by dense indices of the training data.
    virtual float predictRaw(std::uint32_t user, std::uint32_t item) const = 0;
    float predict(std::uint32_t user, std::uint32_t item) const;  // clipped when predictsRatings()
    // Raw scores of every item for a trained user; out.size() == itemCount().
    virtual void scoreAll(std::uint32_t user, std::span<float> out) const = 0;
    // Raw scores of selected items (default: predictRaw per item).
    virtual void scoreItems(std::uint32_t user, std::span<const std::uint32_t> items,
                            std::span<float> out) const;

    // Fold-in: a new user from ratings (items out of range are dropped).
    virtual FoldedUser foldIn(std::span<const FoldInRating> ratings) const = 0;
    virtual void scoreAll(const FoldedUser& user, std::span<float> out) const = 0;
    // Per-rated-movie contributions to the raw score of `item` (aligned with user.ratings);
    // empty when the model cannot explain (NCF: the panel uses nearest rated movie instead).
    virtual std::vector<float> explain(const FoldedUser& user, std::uint32_t item) const;

    // Embeddings for the Map panel and analysis helpers. Rows = items / users / genres;
    // an empty matrix when the model has none (bias baseline has no factors).
    virtual Eigen::MatrixXf itemFactors() const = 0;
    // Whether itemFactors() has rows, without building the matrix (a copy of tens of MB on large
    // data, which the Map stage's check would otherwise make on the GUI thread).
    virtual bool hasItemFactors() const { return itemFactors().size() > 0; }
    virtual Eigen::MatrixXf userFactors() const = 0;
    // theta, one row per genre of the training data's vocabulary (TrainData::genreCount).
    virtual Eigen::MatrixXf genreFactors() const { return {}; }
    virtual std::vector<float> itemBiases() const { return {}; }  // b_i, empty when none
    virtual double globalMean() const { return 0.0; }

    // Model-specific part of the saved file (ModelFile writes the common header).
    virtual void writePayload(ModelWriter& out) const = 0;
    virtual void readPayload(ModelReader& in) = 0;

    // Bookkeeping shared by all models (filled by fit() or by loading).
    FitStatus status() const { return status_; }
    const std::vector<TrainingSnapshot>& history() const { return history_; }
    const std::string& datasetName() const { return datasetName_; }
    const SplitSpec& splitSpec() const { return split_; }
    const std::vector<std::int64_t>& userIds() const { return userIds_; }
    const std::vector<std::int64_t>& movieIds() const { return movieIds_; }
    std::size_t userCount() const { return userIds_.size(); }
    std::size_t itemCount() const { return movieIds_.size(); }
    // The rating scale of the data the model was fitted on (TrainData::scale; saved with the
    // model; files written before scales existed read back as half stars). Predictions of
    // rating models are clipped to it.
    const RatingScale& ratingScale() const { return scale_; }
    float clip(float rating) const { return scale_.clip(rating); }

    // Used by ModelFile when loading.
    void restoreBookkeeping(FitStatus status, std::vector<TrainingSnapshot> history,
                            std::string datasetName, SplitSpec split,
                            std::vector<std::int64_t> userIds, std::vector<std::int64_t> movieIds);
    void restoreRatingScale(const RatingScale& scale) { scale_ = scale; }

protected:
    // Runs the training loop; report each iteration through `report` (which forwards to the
    // observer, records history and returns false when the caller wants to stop) and check
    // control.stopRequested() at least once per half-sweep. Return Completed or Stopped.
    virtual FitStatus doFit(const TrainData& data, const FitControl& control,
                            const std::function<bool(const TrainingSnapshot&)>& report) = 0;

private:
    FitStatus status_ = FitStatus::Untrained;
    std::vector<TrainingSnapshot> history_;
    std::string datasetName_;
    SplitSpec split_;
    std::vector<std::int64_t> userIds_, movieIds_;
    RatingScale scale_;
};

// Helpers for models' setHyperparameter implementations: parse and range-check, throwing
// std::invalid_argument("k: expected an integer in 1..256, got 'x'").
int parseIntHyperparameter(const std::string& key, const std::string& value, int lo, int hi);
double parseRealHyperparameter(const std::string& key, const std::string& value, double lo,
                               double hi);
std::uint64_t parseSeedHyperparameter(const std::string& key, const std::string& value);
std::string formatReal(double v);  // shortest text that parses back to the same double

}  // namespace lens
