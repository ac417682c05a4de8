#pragma once
// What the ranking tests share: a Fixture holding a dataset, its training data and the models
// trained on it (each kind trained once, on first use, with modest settings so that every kind
// trains in a few seconds on ml-latest-small), the synthetic one (30,000 ratings, seed 11, a 20 %
// per-user split), every kind of the factory, a user's training ratings as a persona, and a
// genre mask from genre names.
#include <chrono>
#include <initializer_list>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "data/Genre.h"
#include "data/Split.h"
#include "models/RecommenderFactory.h"
#include "models/TrainData.h"
#include "ranking/TopNRanker.h"
#include "synth/SyntheticGenerator.h"

namespace lens::test {

// Modest settings so that every kind trains in a few seconds on ml-latest-small.
inline void applyModestSettings(Recommender& model, bool exactAls) {
    for (const auto& h : model.hyperparameters()) {
        if (h.key == "iterations") model.setHyperparameter("iterations", "12");
        if (h.key == "epochs") model.setHyperparameter("epochs", "6");
        if (h.key == "cg_steps" && exactAls) model.setHyperparameter("cg_steps", "0");
    }
}

struct Fixture {
    Dataset dataset;
    TrainData data;
    std::map<std::string, std::unique_ptr<Recommender>> models;
    std::map<std::string, double> trainSeconds;
    bool shippedEpochs = false;  // NCF: train with the shipped epochs (the Train panel's defaults)

    const Recommender& model(const std::string& kind, bool exactAls) {
        auto& m = models[kind];
        if (!m) {
            m = createRecommender(kind);
            bool epochs = false;  // an NCF model
            for (const auto& h : m->hyperparameters()) epochs = epochs || h.key == "epochs";
            if (!(shippedEpochs && epochs)) applyModestSettings(*m, exactAls);
            const auto t0 = std::chrono::steady_clock::now();
            m->fit(data);
            trainSeconds[kind] =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        }
        return *m;
    }
};

inline Fixture& synthetic() {
    static Fixture f = [] {
        Fixture x;
        SyntheticConfig config;
        config.ratings = 30'000;
        config.seed = 11;
        config.tags = false;
        x.dataset = generateSyntheticDataset(config);
        SplitSpec spec;
        spec.fraction = 0.2;
        spec.seed = 5;
        x.data = TrainData::build(x.dataset, makeSplit(x.dataset, spec));
        return x;
    }();
    return f;
}

inline std::vector<std::string> kinds() {
    std::vector<std::string> k;
    for (const auto& d : recommenderRegistry()) k.push_back(d.name);
    return k;
}

inline bool isNcf(const std::string& kind) {
    return kind == "gmf" || kind == "mlp" || kind == "neumf";
}

inline std::vector<PersonaRating> trainRatingsOf(const Fixture& f, std::uint32_t u) {
    std::vector<PersonaRating> p;
    const auto items = f.data.byUser.rowIndex(u);
    const auto values = f.data.byUser.rowValues(u);
    for (std::size_t j = 0; j < items.size(); ++j)
        p.push_back({f.dataset.movieIds[items[j]], values[j]});
    return p;
}

inline GenreMask genreMask(std::initializer_list<const char*> names) {
    GenreMask m = 0;
    for (const char* name : names) m |= GenreMask{1} << *genreIdFromName(name);
    return m;
}

}  // namespace lens::test
