#include "models/RecommenderFactory.h"

#include <stdexcept>

#include "models/AlsModel.h"
#include "models/BiasBaseline.h"
#include "models/BpmfModel.h"
#include "models/EaseModel.h"
#include "models/GenrePriorAls.h"
#include "models/ImplicitAls.h"
#include "models/ItemKnnModel.h"
#include "ncf/NcfRecommender.h"

namespace lens {

const std::vector<RecommenderDescriptor>& recommenderRegistry() {
    // Add new model kinds here (name, display name, description, ranking?, factory).
    static const std::vector<RecommenderDescriptor> registry = [] {
        std::vector<RecommenderDescriptor> r = {
            {"bias", "Bias baseline", "r = mu + b_u + b_i by alternating closed-form updates",
             false, [] { return std::make_unique<BiasBaseline>(); }},
            {"als", "Biased MF (ALS)",
             "r = mu + b_u + b_i + p_u . q_i by alternating least squares", false,
             [] { return std::make_unique<AlsModel>(); }},
            {"als-genre", "Genre-prior MF (ALS)",
             "biased MF whose movie factors have a prior centred on a mixture of genre vectors",
             false, [] { return std::make_unique<GenrePriorAls>(); }},
            {"als-implicit", "Implicit ALS (Hu et al.)",
             "implicit-feedback MF with confidence weights, for top-N ranking", true,
             [] { return std::make_unique<ImplicitAls>(); }},
            {"ease", "EASE (Steck 2019)",
             "item-item linear autoencoder with a closed-form solution (one matrix inverse), "
             "for top-N ranking",
             true, [] { return std::make_unique<EaseModel>(); }},
            {"item-knn", "Item kNN with baseline",
             "r = mu + b_u + b_i + a similarity-weighted mean of the user's residuals on the k "
             "most similar rated movies (shrunk Pearson-baseline, Koren 2008)",
             false, [] { return std::make_unique<ItemKnnModel>(); }},
            {"bpmf", "Bayesian MF (BPMF)",
             "r = mu + U_u . V_i averaged over Gibbs samples with Normal-Wishart hyper-priors "
             "(Salakhutdinov & Mnih 2008)",
             false, [] { return std::make_unique<BpmfModel>(); }},
        };
        for (auto& d : ncfRecommenderDescriptors()) r.push_back(std::move(d));
        return r;
    }();
    return registry;
}

const RecommenderDescriptor* findRecommender(const std::string& name) {
    for (const auto& d : recommenderRegistry())
        if (d.name == name) return &d;
    return nullptr;
}

std::string rankingModelNames() {
    std::string names;
    for (const auto& d : recommenderRegistry())
        if (d.ranking) names += (names.empty() ? "" : ", ") + d.name;
    return names;
}

std::string ratingModelRefusal(const std::string& model, bool predictsRatings,
                               const RatingScale& scale, const std::string& datasetName) {
    if (!predictsRatings || !scale.implicit) return {};
    return model + " predicts ratings; " + (datasetName.empty() ? "the data" : datasetName) +
           " has no ratings (implicit feedback): use a ranking model: " + rankingModelNames();
}

std::string ratingModelRefusal(const Recommender& model, const RatingScale& scale,
                               const std::string& datasetName) {
    return ratingModelRefusal(model.kind(), model.predictsRatings(), scale, datasetName);
}

std::unique_ptr<Recommender> createRecommender(const std::string& name) {
    if (const auto* d = findRecommender(name)) return d->create();
    std::string known;
    for (const auto& d : recommenderRegistry()) known += (known.empty() ? "" : ", ") + d.name;
    throw std::invalid_argument("unknown model '" + name + "' (known: " + known + ")");
}

}  // namespace lens
