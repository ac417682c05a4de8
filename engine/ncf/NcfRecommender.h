#pragma once
// The NCF models (GMF, MLP, NeuMF; He et al., WWW 2017) as Recommenders: registry kinds "gmf",
// "mlp" and "neumf", each trainable with the implicit (sampled negatives, binary
// cross-entropy) or the explicit (squared error on r - mu) objective.
//
// Scores: explicit models predict mu + z (a rating); implicit models score sigmoid(z), the
// probability that the user watched the movie. Fold-in finds a new user's embedding column with
// every other parameter frozen, as a MAP estimate under a Gaussian prior fitted to the trained
// users (mean pbar, per-dimension variance s_k^2): kFoldInSteps full-batch Adam steps, from pbar,
// on the mean loss of the persona's samples plus (kFoldInPriorWeight / n) sum_k (p_k - pbar_k)^2
// / s_k^2 (n = rated movies: the prior shapes a 3-movie persona and fades for a heavy user; the
// variances put the GMF and MLP parts of the embedding on one scale).
// Implicit samples: the rated movies as positives plus `negatives` unrated movies each, drawn
// once from the seed, half uniformly (as in training) and half in proportion to the movies'
// training ratings (all uniformly for a version 1 model file without those counts), at least
// kFoldInMinNegatives in all with the positives repeated to keep the 1:negatives weight;
// explicit: squared error on r - mu. Deterministic.
// Why: three positives against uniform negatives (mostly movies almost nobody watched) are
// separated by the popularity direction alone, which every persona shares, and nothing bounded
// the embedding, which could leave the region the trained users occupy (where the MLP tower was
// never fitted). On ml-latest-small the LOTR and Toy Story personas' lists shared 9 of 10 movies
// (GMF) and the MLP put the three LOTR films in the Toy Story fan's list. Popular negatives ask
// what sets the persona's movies apart from other watched movies, its taste; the uniform half
// keeps the training objective, without which an existing user's folded-in ranking drifted
// (GMF Spearman 0.66 instead of 0.99 against the trained user, all-popular negatives).
// itemFactors() are the movie embeddings (GMF, MLP or both concatenated for NeuMF).
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
    static constexpr int kFoldInSteps = 150;
    static constexpr double kFoldInLearningRate = 0.02;
    static constexpr int kFoldInMinNegatives = 1000;  // implicit fold-in: negatives drawn at least
    static constexpr double kFoldInPriorWeight = 0.03;  // prior weight (see above)
    static constexpr double kFoldInUniformShare = 0.5;  // implicit: share of uniform negatives

    explicit NcfRecommender(NcfArchitecture architecture);

    std::string kind() const override;
    std::string displayName() const override;
    bool predictsRatings() const override { return config_.objective == NcfObjective::Explicit; }

    HyperparameterList hyperparameters() const override;
    void setHyperparameter(const std::string& key, const std::string& value) override;
    std::uint64_t seed() const override { return config_.seed; }
    int iterations() const override { return config_.epochs; }

    float predictRaw(std::uint32_t user, std::uint32_t item) const override;
    void scoreAll(std::uint32_t user, std::span<float> out) const override;
    void scoreItems(std::uint32_t user, std::span<const std::uint32_t> items,
                    std::span<float> out) const override;

    FoldedUser foldIn(std::span<const FoldInRating> ratings) const override;
    void scoreAll(const FoldedUser& user, std::span<float> out) const override;

    Eigen::MatrixXf itemFactors() const override;
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
};

// The three NCF kinds for the model registry (name, display name, description, factory).
struct RecommenderDescriptor;
std::vector<RecommenderDescriptor> ncfRecommenderDescriptors();

}  // namespace lens
