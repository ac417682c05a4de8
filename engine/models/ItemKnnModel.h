#pragma once
// Item-kNN with baseline (Koren 2008, "Factorization meets the neighborhood", section 2.2;
// Surprise's KNNBaseline): ratings predicted as the bias baseline plus a similarity-weighted
// mean of the user's residuals on the most similar movies they rated,
//     b_ui = mu + b_u + b_i                      (BiasBaseline, its alternating updates)
//     r_ui = b_ui + sum_{j in N^k_i(u)} s_ij (r_uj - b_uj) / sum_{j in N^k_i(u)} s_ij
// where s_ij is the shrunk Pearson-baseline similarity (ItemKnnSimilarity.h) and N^k_i(u) the
// k movies rated by u most similar to i among i's kept positive neighbours (a negative
// similarity is no neighbour, as in Surprise, so sum s_ij = sum |s_ij|). With fewer than min_k
// such movies the prediction is b_ui.
//
// Training: the baseline's iterations (each reported as an iteration of this model, whose
// predictions are then the baseline's), then one "similarity" iteration computing the
// neighbours. A stop during the similarity step leaves the baseline model (no neighbours).
// Deterministic: the seed is kept only so every model has one.
//
// The model keeps the training rows (movie and rating per user) to score trained users.
// Fold-in: the persona's b_u by the baseline's closed form (BiasBaseline::foldIn), then the
// same prediction over its ratings; explain() gives each rated movie's share
// s_ij (r_j - b_uj) / sum s of the neighbour term (0 for movies outside N^k_i), which sum to
// r_ui - b_ui. Ranking scores are the predicted ratings. No embedding: the Map panel says so.
#include <cstdint>
#include <vector>

#include "models/BiasBaseline.h"
#include "models/ItemKnnSimilarity.h"
#include "models/Recommender.h"

namespace lens {

struct ItemKnnConfig {
    // Chosen on the validation part of ml-latest-small (per-user:0.2, seed 42, lens-atlas
    // sweep). With the baseline below: k 20, 40, 80 x shrinkage 50, 100 gave its best RMSE at
    // k 40, shrinkage 100 (0.8410; k 80 0.8411, k 20 0.8430, shrinkage 50 0.0010-0.0014
    // worse). Neighbours kept (with the study's baseline 10 / 10, k 40, shrinkage 100): 200
    // 0.8506, 1000 0.8448, every positive one 0.8443, so 1000: 214 MB on ML-20M's 26,744 movies.
    int k = 40;
    int minK = 1;  // Surprise's default
    double shrinkage = 100.0;
    int kept = 1000;  // neighbours kept per movie
    std::uint64_t seed = 42;
};

class ItemKnnModel : public Recommender {
public:
    explicit ItemKnnModel(ItemKnnConfig config = {}) : config_(config) {}

    std::string kind() const override { return "item-knn"; }
    std::string displayName() const override { return "Item kNN with baseline"; }
    bool predictsRatings() const override { return true; }
    HyperparameterList hyperparameters() const override;
    void setHyperparameter(const std::string& key, const std::string& value) override;
    std::uint64_t seed() const override { return config_.seed; }
    // The baseline's iterations and the similarity step.
    int iterations() const override { return baseline_.iterations() + 1; }
    const ItemKnnConfig& config() const { return config_; }

    float predictRaw(std::uint32_t user, std::uint32_t item) const override;
    void scoreAll(std::uint32_t user, std::span<float> out) const override;
    FoldedUser foldIn(std::span<const FoldInRating> ratings) const override;
    void scoreAll(const FoldedUser& user, std::span<float> out) const override;
    std::vector<float> explain(const FoldedUser& user, std::uint32_t item) const override;

    Eigen::MatrixXf itemFactors() const override { return {}; }  // no embedding
    Eigen::MatrixXf userFactors() const override { return {}; }
    std::vector<float> itemBiases() const override { return baseline_.itemBiases(); }
    double globalMean() const override { return baseline_.globalMean(); }

    void writePayload(ModelWriter& out) const override;
    void readPayload(ModelReader& in) override;

    const BiasBaseline& baseline() const { return baseline_; }
    const ItemNeighbours& neighbours() const { return neighbours_; }
    // s_ij when j is one of i's kept neighbours, else 0.
    float similarity(std::uint32_t i, std::uint32_t j) const;

protected:
    FitStatus doFit(const TrainData& data, const FitControl& control,
                    const std::function<bool(const TrainingSnapshot&)>& report) override;

private:
    float baselineOf(float userBias, std::uint32_t item) const;
    // Residuals r_uj - b_uj of a user's ratings, spread over the catalogue (NaN: not rated).
    std::vector<float> denseResiduals(std::uint32_t user) const;
    std::vector<float> denseResiduals(const FoldedUser& user) const;
    // The neighbour term of `item` given the user's dense residuals (0 below min_k).
    float neighbourTerm(std::uint32_t item, const std::vector<float>& residuals) const;
    void clearNeighbours();

    ItemKnnConfig config_;
    // The baseline's regularisation, chosen for this model on the same validation part (sweep
    // of user_lambda x item_lambda over {2, 5, 10}^2 with the defaults above): 10 / 2 gave RMSE
    // 0.8410, 5 / 2 0.8413, the study's 10 / 10 0.8448 (item lambda 2 lets the movie biases
    // absorb more, leaving cleaner residuals for the similarities).
    BiasBaseline baseline_{BiasBaselineConfig{.userLambda = 10.0, .itemLambda = 2.0}};
    ItemNeighbours neighbours_;
    // Training rows (CSR by user), ascending movie index within a row.
    std::vector<std::uint64_t> userOffsets_;
    std::vector<std::uint32_t> userItems_;
    std::vector<float> userRatings_;
};

}  // namespace lens
