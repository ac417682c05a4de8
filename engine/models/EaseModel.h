#pragma once
// EASE^R (Steck 2019, "Embarrassingly shallow autoencoders for sparse data"): an item-item
// linear model for implicit feedback with a closed-form solution. X is the binary user x item
// training matrix (every training rating counts as 1) restricted to the n movies with at least
// one training rating; EASE minimises
//     ||X - X B||_F^2 + lambda ||B||_F^2   subject to diag(B) = 0,
// whose solution is, with G = X^T X + lambda I (n x n, dense) and P = G^-1,
//     B_ij = -P_ij / P_jj (i != j),   B_jj = 0.
// The score of user u for movie j is x_u . B_:j = sum over the user's movies k of B_kj, so a
// score splits exactly into per-rated-movie contributions (explain()) and fold-in is just the
// persona's binary row. Movies without a training rating get no weights and the lowest score.
//
// Cost: G by counting co-occurrences (sum over users of n_u^2), one float32 Cholesky (n^3 / 3)
// and the inverse from it (n^3 / 3, in column blocks over OpenMP threads); P overwrites the
// free upper triangle of the factor and B overwrites both, so the peak is one n x n float
// matrix. Memory therefore grows with the square of the rated catalogue: fit() refuses more
// than EaseConfig::maxRatedItems movies (MemoryEstimate counts the same). One iteration; the
// seed is kept only so every model has one (EASE is deterministic).
#include <Eigen/Core>
#include <cstdint>
#include <limits>
#include <vector>

#include "models/Recommender.h"

namespace lens {

struct EaseConfig {
    double lambda = 300.0;  // best of 50, 100, 200, 300, 500 by sampled NDCG@10 on the validation
                            // part of ml-latest-small leave-one-out (lens-atlas sweep)
    std::uint64_t seed = 42;
    // Largest rated catalogue fit() accepts: 40,000 movies need a 6.4 GB float matrix.
    std::size_t maxRatedItems = 40'000;
    // The training loss is reported when it costs at most this many multiply-adds
    // (train ratings x rated movies); NaN above.
    double lossBudget = 4e9;
};

class EaseModel : public Recommender {
public:
    explicit EaseModel(EaseConfig config = {}) : config_(config) {}

    std::string kind() const override { return "ease"; }
    std::string displayName() const override { return "EASE (Steck 2019)"; }
    bool predictsRatings() const override { return false; }
    HyperparameterList hyperparameters() const override;
    void setHyperparameter(const std::string& key, const std::string& value) override;
    std::uint64_t seed() const override { return config_.seed; }
    int iterations() const override { return 1; }
    const EaseConfig& config() const { return config_; }
    void setConfig(const EaseConfig& c) { config_ = c; }

    // Score of movies without weights (no training rating, or an untrained model's none).
    static constexpr float kUnscored = std::numeric_limits<float>::lowest();

    float predictRaw(std::uint32_t user, std::uint32_t item) const override;
    void scoreAll(std::uint32_t user, std::span<float> out) const override;
    FoldedUser foldIn(std::span<const FoldInRating> ratings) const override;
    void scoreAll(const FoldedUser& user, std::span<float> out) const override;
    // B_{j,item} for every rated movie j of the user (0 for movies without weights); they sum
    // to the score. Empty for a movie without weights or an untrained model.
    std::vector<float> explain(const FoldedUser& user, std::uint32_t item) const override;

    Eigen::MatrixXf itemFactors() const override { return {}; }  // no embedding
    Eigen::MatrixXf userFactors() const override { return {}; }

    void writePayload(ModelWriter& out) const override;
    void readPayload(ModelReader& in) override;

    // The item-item weights: B(a, b) for rated movies a and b (dense item indices); 0 when
    // either has no weights.
    float weight(std::uint32_t from, std::uint32_t to) const;
    std::size_t ratedItemCount() const { return ratedItems_.size(); }
    // ||X - X B||_F^2 + lambda ||B||_F^2 on the training rows the model holds.
    double loss() const;
    // The smallest N such that at most `limit` movies have N or more ratings in `data`.
    static std::size_t minRatingsForLimit(const TrainData& data, std::size_t limit);

protected:
    FitStatus doFit(const TrainData& data, const FitControl& control,
                    const std::function<bool(const TrainingSnapshot&)>& report) override;

private:
    void clearWeights();
    void indexColumns();  // column_ from ratedItems_
    // Scores of the rated movies (one per column) for a set of columns.
    Eigen::VectorXf columnScores(std::span<const std::uint32_t> columns) const;
    void spreadScores(const Eigen::VectorXf& columnScores, std::span<float> out) const;

    EaseConfig config_;
    std::vector<std::uint32_t> ratedItems_;  // column -> dense item index
    std::vector<std::int32_t> column_;       // dense item index -> column, -1 without weights
    // weights_ = B^T: column k holds row k of B (what rated movie k adds to every movie), so a
    // user's scores are a sum of contiguous columns.
    Eigen::MatrixXf weights_;
    // Training rows as columns of weights_ (CSR by user), for trained users' scores.
    std::vector<std::uint64_t> userOffsets_;
    std::vector<std::uint32_t> userColumns_;
};

}  // namespace lens
