#pragma once
// Biased matrix factorisation r_ui ~ mu + b_u + b_i + p_u . q_i fitted by alternating least
// squares: each iteration solves every user (biases and factors jointly, the augmented (k+1)
// system of AlsKernels.h) against the fixed movies, then every movie against the fixed users.
// The regularised objective is
//     sum_(u,i) (r_ui - mu - b_u - b_i - p_u . q_i)^2
//       + sum_u w_u (lambda |p_u|^2 + lambda_b b_u^2) + sum_i w_i (lambda |q_i|^2 + lambda_b b_i^2)
// with w = n (ratings of that user or movie: weighted lambda, Zhou et al. 2008) or w = 1.
// Factors start N(0, sigma^2) from per-row seeded streams; biases start at 0.
// GenrePriorAls extends this with a genre prior on q_i.
#include <Eigen/Core>

#include "models/AlsKernels.h"
#include "models/Recommender.h"

namespace lens {

struct AlsConfig {
    int factors = 32;            // k, 1..256
    double lambda = 0.15;        // factor regularisation (per rating when weighted)
    double biasLambda = 0.15;    // bias regularisation (per rating when weighted)
    bool weightedLambda = true;  // lambda * n (Zhou et al. 2008) instead of plain lambda
    int iterations = 15;
    double initSigma = 0.1;
    std::uint64_t seed = 42;
    int cgSteps = 3;  // 0: exact Cholesky; > 0: warm-started conjugate-gradient steps per solve
    bool reportMetrics = true;  // train RMSE and objective every iteration
};

class AlsModel : public Recommender {
public:
    explicit AlsModel(AlsConfig config = {}) : config_(config) {}

    std::string kind() const override { return "als"; }
    std::string displayName() const override { return "Biased MF (ALS)"; }
    bool predictsRatings() const override { return true; }

    HyperparameterList hyperparameters() const override;
    void setHyperparameter(const std::string& key, const std::string& value) override;
    std::uint64_t seed() const override { return config_.seed; }
    int iterations() const override { return config_.iterations; }
    const AlsConfig& config() const { return config_; }
    void setConfig(const AlsConfig& config) { config_ = config; }

    float predictRaw(std::uint32_t user, std::uint32_t item) const override;
    void scoreAll(std::uint32_t user, std::span<float> out) const override;
    FoldedUser foldIn(std::span<const FoldInRating> ratings) const override;
    void scoreAll(const FoldedUser& user, std::span<float> out) const override;
    std::vector<float> explain(const FoldedUser& user, std::uint32_t item) const override;

    Eigen::MatrixXf itemFactors() const override { return itemFactors_; }
    bool hasItemFactors() const override { return itemFactors_.size() > 0; }
    Eigen::MatrixXf userFactors() const override { return userFactors_; }
    std::vector<float> itemBiases() const override;
    double globalMean() const override { return mu_; }
    const FactorMatrix& itemFactorMatrix() const { return itemFactors_; }
    const FactorMatrix& userFactorMatrix() const { return userFactors_; }
    const Eigen::VectorXf& userBiasVector() const { return userBias_; }
    const Eigen::VectorXf& itemBiasVector() const { return itemBias_; }

    void writePayload(ModelWriter& out) const override;
    void readPayload(ModelReader& in) override;

    // The objective above (plus the prior term of subclasses) at the current parameters.
    double objective(const TrainData& data) const;
    // The objective and the train RMSE (clipped predictions) from one pass over the ratings.
    struct TrainFit {
        double objective = 0.0;
        double rmse = kNoMetric;
    };
    TrainFit trainFit(const TrainData& data) const;

protected:
    FitStatus doFit(const TrainData& data, const FitControl& control,
                    const std::function<bool(const TrainingSnapshot&)>& report) override;

    // Hooks for GenrePriorAls: the prior mean of every item's factors (null: 0), updated once
    // per iteration before the item half-sweep; and the prior's share of the objective.
    virtual void prepareFit(const TrainData&) {}
    virtual const FactorMatrix* itemPriorMean() const { return nullptr; }
    virtual void updatePrior(const TrainData&) {}
    virtual double priorObjective(const TrainData&) const;
    ExplicitSolveParams sideParams() const;

    AlsConfig config_;
    double mu_ = 0.0;
    FactorMatrix userFactors_, itemFactors_;
    Eigen::VectorXf userBias_, itemBias_;
};

}  // namespace lens
