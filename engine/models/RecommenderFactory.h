#pragma once
// The registry that maps a model name ("bias", "als", "als-genre", "als-implicit", and the
// NCF models) to a factory, a display name and a short description. The command line, the
// Train panel's model picker and ModelFile's loader all go through it, so adding a model
// kind is one entry in RecommenderFactory.cpp (an explicit list: self-registration from a
// static library is dropped by the linker).
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "models/Recommender.h"

namespace lens {

struct RecommenderDescriptor {
    std::string name;         // "als"
    std::string displayName;  // "Biased MF (ALS)"
    std::string description;  // one sentence for tooltips and --help
    bool ranking = false;     // true: implicit-feedback model judged by HR@10 / NDCG@10
    std::function<std::unique_ptr<Recommender>()> create;
};

const std::vector<RecommenderDescriptor>& recommenderRegistry();
const RecommenderDescriptor* findRecommender(const std::string& name);

// A new untrained model with default hyper-parameters; throws std::invalid_argument listing
// the known names when `name` is unknown.
std::unique_ptr<Recommender> createRecommender(const std::string& name);

// Implicit feedback (RatingScale::implicit: interactions without ratings) trains ranking models
// only. The registered ranking models, "als-implicit, ease, gmf, mlp, neumf".
std::string rankingModelNames();
// Why a model named `model` that predicts ratings cannot train on `datasetName` with `scale`,
// or "" when it can: "als predicts ratings; clicks has no ratings (implicit feedback): use a
// ranking model: als-implicit, ease, ...". For pickers and usage errors.
std::string ratingModelRefusal(const std::string& model, bool predictsRatings,
                               const RatingScale& scale, const std::string& datasetName);
std::string ratingModelRefusal(const Recommender& model, const RatingScale& scale,
                               const std::string& datasetName);

}  // namespace lens
