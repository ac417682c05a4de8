#pragma once
// The NCF models (GMF, MLP, NeuMF; He et al., WWW 2017) as Recommenders: registry kinds "gmf",
// "mlp" and "neumf", each trainable with the implicit (sampled negatives, binary
// cross-entropy) or the explicit (squared error on r - mu) objective.
//
// Scores: explicit models predict mu + z (a rating); implicit models score sigmoid(z), the
// probability that the user watched the movie. Fold-in finds a new user's embedding column with
// every other parameter frozen, a MAP estimate under a Gaussian prior fitted to the trained users
// on the persona's movies against sampled negatives (NcfFoldIn.h).
// itemFactors() are the movie embeddings (GMF, MLP or both concatenated for NeuMF).
// Best epoch (validation > 0, the explicit default): picked, and early stopping judged, on the
// figures of the caller's evaluator when the caller marks them as validation
// (FitControl::selectOnEvaluation, set by tuning/ValidatedTraining); otherwise on an inner
// hold-out of that share of the training ratings (NcfTrainer.h, doFit says why).
// NeuMF pre-training (hyper-parameter pretrain=on) first trains a GMF and an MLP with the same
// settings, then starts NeuMF from their embeddings and tower with the output layer
// [alpha h_GMF; (1 - alpha) h_MLP] and bias alpha b_GMF + (1 - alpha) b_MLP.
// The parts always train with Adam (lr 0.001 when NeuMF itself is set to SGD), so the paper's
// recipe is pretrain=on with optimizer=sgd: Adam pre-training, then plain SGD fine-tuning.
// Hyper-parameter embedding_adam picks the bias correction of the embedding rows (lazy: a step
// count per row, the default; sparse: PyTorch's SparseAdam; dense: dense Adam's result, see
// NcfOptimizer.h).
#include <memory>

#include "models/Recommender.h"
#include "ncf/NcfNetwork.h"
#include "ncf/NcfTrainer.h"

namespace lens {

class NcfRecommender : public Recommender {
public:
    explicit NcfRecommender(NcfArchitecture architecture);

    std::string kind() const override;
    std::string displayName() const override;
    bool predictsRatings() const override { return config_.objective == NcfObjective::Explicit; }

    HyperparameterList hyperparameters() const override;
    void setHyperparameter(const std::string& key, const std::string& value) override;
    std::uint64_t seed() const override { return config_.seed; }
    int iterations() const override { return config_.epochs; }
    int iterationsFor(std::size_t trainRatings) const override;

    // The implicit models' default epochs: 20, fewer on large data so that a run makes about
    // kEpochRatings passes over positive ratings in all (never fewer than 4 epochs): 8 epochs at
    // ML-20M's size, 5 at ML-32M's, 20 up to 8 M training ratings. Set "epochs" to choose.
    static constexpr int kDefaultEpochs = 20;
    static constexpr double kEpochRatings = 160e6;
    static int defaultImplicitEpochs(std::size_t trainRatings);

    float predictRaw(std::uint32_t user, std::uint32_t item) const override;
    void scoreAll(std::uint32_t user, std::span<float> out) const override;
    void scoreItems(std::uint32_t user, std::span<const std::uint32_t> items,
                    std::span<float> out) const override;

    FoldedUser foldIn(std::span<const FoldInRating> ratings) const override;
    void scoreAll(const FoldedUser& user, std::span<float> out) const override;

    Eigen::MatrixXf itemFactors() const override;
    bool hasItemFactors() const override { return params_.itemEmbedding.size() > 0; }
    Eigen::MatrixXf userFactors() const override;
    double globalMean() const override { return mu_; }

    void writePayload(ModelWriter& out) const override;
    void readPayload(ModelReader& in) override;

    // Direct access for tests, benchmarks and the command line.
    const NcfConfig& config() const { return config_; }
    void setConfig(const NcfConfig& config);  // architecture stays this model's
    const NcfParameters<float>& parameters() const { return params_; }
    int bestEpoch() const { return bestEpoch_; }

protected:
    FitStatus doFit(const TrainData& data, const FitControl& control,
                    const std::function<bool(const TrainingSnapshot&)>& report) override;

private:
    // Raw scores (mu + z, or sigmoid z) of pairs against a user table.
    void scorePairs(const Eigen::MatrixXf& userTable, std::uint32_t userColumn,
                    std::span<const std::uint32_t> items, std::span<float> out) const;
    float toScore(float logit) const;
    double trainRmse(const TrainData& data) const;  // explicit: clipped, all train ratings

    NcfConfig config_;
    NcfParameters<float> params_;
    std::vector<std::uint32_t> itemCounts_;  // training ratings per movie (fold-in negatives)
    double mu_ = 0.0;
    int bestEpoch_ = 0;
    void applyObjectiveDefaults();  // the hyper-parameters not set follow the objective
    bool validationSet_ = false, patienceSet_ = false, l2Set_ = false, learningRateSet_ = false,
         averageSet_ = false;  // else they follow the objective
    bool epochsSet_ = false;   // else the default, which follows the data (iterationsFor)
};

// The three NCF kinds for the model registry (name, display name, description, factory).
struct RecommenderDescriptor;
std::vector<RecommenderDescriptor> ncfRecommenderDescriptors();

}  // namespace lens
