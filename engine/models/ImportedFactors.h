#pragma once
// A matrix factorisation trained elsewhere (implicit on a GPU, Spark MLlib's ALS on a cluster,
// any tool that writes id,f1..fk rows) and brought in by io/FactorImport.h, so that Rank, Map,
// Compare and the commands treat it like a model trained here. It is not in the training
// registry (RecommenderFactory): it cannot be fitted, only loaded (ModelFile knows its kind).
//
// Scores: explicit feedback (Spark's default ALS) predicts ratings
//     r_ui = mu + b_u + b_i + p_u . q_i
// (mu and the biases are 0 unless the file carried them: our own npz export does), clipped to
// the rating scale like every rating model; implicit feedback (implicit, Spark's implicitPrefs)
// scores preferences p_u . q_i for ranking.
// Fold-in of a persona: least squares against the fixed item factors with the user's lambda,
// the same kernels as the ALS models (models/AlsKernels.h):
//   explicit  min sum_j (r_j - mu - b_j - b_u - p . q_j)^2 + lambda |p|^2 (+ lambda b_u^2 when
//             the file has biases; otherwise b_u = 0),
//   implicit  Hu et al.: (Y^T Y + Y_u^T (C_u - I) Y_u + lambda I) p = Y_u^T C_u 1,
//             c_j = 1 + alpha r_j.
// Explanations are the per-movie contributions of that solve, as for ALS.
#include <Eigen/Core>
#include <optional>

#include "models/AlsKernels.h"
#include "models/Recommender.h"

namespace lens {

struct ImportedFactorsData {
    FactorMatrix users, items;  // rows aligned with the dataset's dense indices
    Eigen::VectorXf userBias;   // empty or one per user
    Eigen::VectorXf itemBias;   // empty or one per item
    double globalMean = 0.0;
    bool implicitFeedback = false;
    std::string provenance;  // "spark:/data/als-model (2026-12-06)": shown with the model
    // The split whose training part the factors were fitted on, when the user says so
    // (`import --split`); unknown: the model is usable for ranking and maps but not compared
    // on a test part (it may have seen it).
    std::optional<SplitSpec> split;
};

class ImportedFactors : public Recommender {
public:
    static constexpr const char* kKind = "imported";

    ImportedFactors() = default;

    std::string kind() const override { return kKind; }
    std::string displayName() const override;
    bool predictsRatings() const override { return !data_.implicitFeedback; }
    HyperparameterList hyperparameters() const override;
    void setHyperparameter(const std::string& key, const std::string& value) override;
    std::uint64_t seed() const override { return 0; }
    int iterations() const override { return 0; }

    // Takes the factors (rows = userIds.size() / movieIds.size()) and the dataset's id maps;
    // the model is then Completed, with an empty history.
    void adopt(ImportedFactorsData data, std::string datasetName, std::vector<std::int64_t> userIds,
               std::vector<std::int64_t> movieIds);
    const std::string& provenance() const { return data_.provenance; }
    bool splitKnown() const { return data_.split.has_value(); }
    bool implicitFeedback() const { return data_.implicitFeedback; }

    float predictRaw(std::uint32_t user, std::uint32_t item) const override;
    void scoreAll(std::uint32_t user, std::span<float> out) const override;
    FoldedUser foldIn(std::span<const FoldInRating> ratings) const override;
    void scoreAll(const FoldedUser& user, std::span<float> out) const override;
    std::vector<float> explain(const FoldedUser& user, std::uint32_t item) const override;

    Eigen::MatrixXf itemFactors() const override { return data_.items; }
    bool hasItemFactors() const override { return data_.items.size() > 0; }
    Eigen::MatrixXf userFactors() const override { return data_.users; }
    std::vector<float> itemBiases() const override;
    double globalMean() const override { return data_.globalMean; }

    void writePayload(ModelWriter& out) const override;
    void readPayload(ModelReader& in) override;

protected:
    // Imported factors are not trained here: throws std::logic_error.
    FitStatus doFit(const TrainData& data, const FitControl& control,
                    const std::function<bool(const TrainingSnapshot&)>& report) override;

private:
    bool hasBiases() const { return data_.itemBias.size() > 0; }
    ImportedFactorsData data_;
    double lambda_ = 0.1;  // fold-in regularisation
    double alpha_ = 1.0;   // fold-in confidence (implicit)
    Eigen::MatrixXf itemGram_;
};

}  // namespace lens
