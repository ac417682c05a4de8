#pragma once
// Bayesian probabilistic matrix factorisation by Gibbs sampling (Salakhutdinov & Mnih, ICML
// 2008): r_ui ~ mu + U_u . V_i with Normal-Wishart hyper-priors on the user and movie factor
// means and precisions (BpmfSampler.h has the formulas). One iteration is one Gibbs sweep:
// draw (mu_V, Lambda_V) and (mu_U, Lambda_U), then every user's vector given the movies, then
// every movie's given the users. Sweeps after the burn-in are samples; the prediction is their
// average
//     r_ui = mu + (1/S) sum_s U_u^s . V_i^s
// (clipped to 0.5..5 by predict()). The average of products is not a product of averages, so
// the model keeps every sample's factor matrices (S (users + movies) k floats; the memory
// estimate states it) and scores with all of them. Until the first sample (burn-in, or a stop
// during it) the prediction is the current draw, which then becomes the only sample.
//
// Train RMSE per sweep is that of the averaged prediction (the running sums of the predictions
// of the training ratings are kept, one float per rating); the objective is the current
// draw's data term alpha/2 sum (r - mu - U.V)^2. Held-out figures per sample come from the
// caller's FitControl::evaluate, as for every model.
//
// Fold-in of a persona, per sample s: the conditional mean of its vector given that sample's
// movie factors and user hyper-parameters,
//     m_s = (Lambda_U^s + alpha sum_j V_j^s V_j^s^T)^-1 (alpha sum_j V_j^s t_j + Lambda_U^s mu_U^s)
// (no random draw: a persona's list is stable), stacked into FoldedUser::factors (S k values);
// its score is mu + (1/S) sum_s V_i^s . m_s. The ratings' part of m_s is linear in t_j, so
// explain() splits the score exactly: movie j contributes (1/S) sum_s V_i^s . A_s^-1 V_j^s alpha
// t_j (the prior's share mu_U and mu stay unexplained, as ALS leaves mu + b_i).
// itemFactors()/userFactors() are the posterior means (average of the samples), the Map's
// embedding; scoreAll of a FoldedUser with k factors scores against them.
//
// Biases (the "biases" hyper-parameter, on by default: validation preferred them; off is the
// paper's model): r_ui = mu + p_u . q_i + b_u + b_i, each bias
// the last coordinate of its side's vector under the same Normal-Wishart prior (dimension
// k + 1); the fold-in then also gives the persona's b_u, and the explanations split
// score - mu - b_i as ALS's do.
#include <cstdint>
#include <vector>

#include "models/BpmfSampler.h"
#include "models/Recommender.h"

namespace lens {

struct BpmfConfig {
    // Chosen on the validation part of ml-latest-small (per-user:0.2, seed 42, lens-atlas sweep;
    // validation RMSE): k 10, 20, 40 x alpha 1.5, 2, 2.5 at 250 sweeps / burn-in 20 gave
    // 0.8351-0.8448 (alpha 2.5 worst everywhere, k within 0.001); at 150 sweeps, alpha 1.5:
    // k 20 with biases 0.8342, without 0.8360, k 10 0.8364 / 0.8378; 100 sweeps 0.8356 and the
    // paper's 80 / 10 at k 10 without biases 0.8390. Test RMSE of the choice 0.8398 (retrained
    // on the whole training part). Every sample is kept by default: 130 x (users + movies) x 21
    // floats, 113 MB on ml-latest-small, 1.8 GB on ML-20M (the memory estimate says so before a
    // fit); `thin` keeps every thin-th sweep after the burn-in instead (thin 10: 13 samples).
    int factors = 20;  // k
    int sweeps = 150;
    int burnIn = 20;
    int thin = 1;        // after the burn-in, sweeps burnIn + thin, burnIn + 2 thin, ... are kept
    double alpha = 1.5;  // rating precision (the paper's 2; validation preferred 1.5)
    double beta0 = 2.0;  // Normal-Wishart prior; mu0 = 0, W0 = I, nu0 = k
    bool biases = true;  // r = mu + p_u . q_i + b_u + b_i (BpmfSampler.h)
    // Genre prior (validation RMSE, same split; lens-atlas sweep): off 0.8342 -> on 0.8150 at
    // tau 0.1 and 1 (10: 0.8152, 100: 0.8164); seeds 1 / 2: 0.8543 -> 0.8360, 0.8527 -> 0.8370.
    // Test RMSE with it 0.8219 (seed 42), 0.8172 (1), 0.8154 (2).
    bool genrePrior = true;  // movie prior mean mu_V + Theta^T f_i (BpmfSampler.h)
    double genreTau = 1.0;   // prior precision of vec(Theta)
    double initSigma = 0.1;
    std::uint64_t seed = 42;
};

class BpmfModel : public Recommender {
public:
    explicit BpmfModel(BpmfConfig config = {}) : config_(config) {}

    std::string kind() const override { return "bpmf"; }
    std::string displayName() const override { return "Bayesian MF (BPMF)"; }
    bool predictsRatings() const override { return true; }
    HyperparameterList hyperparameters() const override;
    void setHyperparameter(const std::string& key, const std::string& value) override;
    std::uint64_t seed() const override { return config_.seed; }
    int iterations() const override { return config_.sweeps; }
    const BpmfConfig& config() const { return config_; }

    float predictRaw(std::uint32_t user, std::uint32_t item) const override;
    void scoreAll(std::uint32_t user, std::span<float> out) const override;
    FoldedUser foldIn(std::span<const FoldInRating> ratings) const override;
    void scoreAll(const FoldedUser& user, std::span<float> out) const override;
    std::vector<float> explain(const FoldedUser& user, std::uint32_t item) const override;

    Eigen::MatrixXf itemFactors() const override;  // posterior means
    bool hasItemFactors() const override { return !samples_.empty(); }
    Eigen::MatrixXf userFactors() const override;
    std::vector<float> itemBiases() const override;  // posterior means; empty without biases
    double globalMean() const override { return mu_; }

    void writePayload(ModelWriter& out) const override;
    void readPayload(ModelReader& in) override;

    // The stored samples (tests).
    struct Sample {
        FactorMatrix users, items;
        GaussianHyper userHyper;  // (mu_U, Lambda_U) the users were drawn with
    };
    const std::vector<Sample>& samples() const { return samples_; }

protected:
    FitStatus doFit(const TrainData& data, const FitControl& control,
                    const std::function<bool(const TrainingSnapshot&)>& report) override;

private:
    // Sums of each stored sample's prediction over the training ratings, CSR by user order.
    void addTrainPredictions(const TrainData& data, const FactorMatrix& users,
                             const FactorMatrix& items, std::vector<float>& sums,
                             double* squaredError) const;
    Eigen::MatrixXf meanOf(bool users) const;  // all columns (biases included)
    // Columns of a side's rows: k, plus the bias.
    Eigen::Index width() const { return config_.factors + (config_.biases ? 1 : 0); }
    // out += every item's score against one user row of the same sample (no mu).
    void addScores(const FactorMatrix& items, const Eigen::Ref<const Eigen::VectorXf>& user,
                   Eigen::Ref<Eigen::VectorXf> out) const;

    BpmfConfig config_;
    double mu_ = 0.0;
    std::vector<Sample> samples_;
    // The current draw while fitting (predictions use it until the first sample is stored).
    FactorMatrix users_, items_;
    GaussianHyper userHyper_;
};

}  // namespace lens
