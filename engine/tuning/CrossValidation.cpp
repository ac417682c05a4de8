#include "tuning/CrossValidation.h"

#include <cmath>
#include <numeric>
#include <stdexcept>

#include "models/RecommenderFactory.h"
#include "models/TrainData.h"
#include "util/Errors.h"
#include "util/Random.h"

namespace lens {

std::vector<Split> perUserFoldSplits(const Dataset& dataset, int folds, std::uint64_t seed) {
    if (folds < 2 || folds > 20) throw std::invalid_argument("folds: expected 2..20");
    std::vector<Split> splits(static_cast<std::size_t>(folds));
    for (int f = 0; f < folds; ++f) {
        Split& s = splits[static_cast<std::size_t>(f)];
        s.spec.kind = SplitKind::PerUserHoldout;
        s.spec.fraction = 1.0 / folds;
        s.spec.seed = seed;
        s.isTest.assign(dataset.ratingCount(), 0);
    }
    const auto& offsets = dataset.byUser.offsets;
    std::vector<std::size_t> entries;
    for (std::size_t u = 0; u + 1 < offsets.size(); ++u) {
        const std::size_t n = offsets[u + 1] - offsets[u];
        if (n < 2) continue;
        entries.resize(n);
        std::iota(entries.begin(), entries.end(), offsets[u]);
        Pcg32 rng(deriveSeed(deriveSeed(seed, 0xf01d), u));
        for (std::size_t k = n; k > 1; --k)
            std::swap(entries[k - 1], entries[rng.below(static_cast<std::uint32_t>(k))]);
        for (std::size_t k = 0; k < n; ++k)
            splits[k % static_cast<std::size_t>(folds)].isTest[entries[k]] = 1;
    }
    for (Split& s : splits)
        for (std::uint8_t t : s.isTest) (t ? s.testCount : s.trainCount) += 1;
    return splits;
}

CrossValidationResult crossValidate(const Dataset& dataset, const CrossValidationConfig& config,
                                    const FoldObserver& observer) {
    const RecommenderDescriptor* descriptor = findRecommender(config.modelKind);
    if (!descriptor) throw std::invalid_argument("unknown model '" + config.modelKind + "'");
    auto configured = [&] {
        auto model = descriptor->create();
        model->setHyperparameter("seed", std::to_string(config.seed));
        for (const auto& [key, value] : config.settings) model->setHyperparameter(key, value);
        return model;
    };
    configured();  // bad settings fail before any training

    CrossValidationResult result;
    result.modelKind = config.modelKind;
    result.ranking = descriptor->ranking;
    result.predefined =
        config.usePredefinedMl100k && dataset.layout == Layout::Ml100k && config.folds == 5;
    std::vector<Split> splits;
    std::vector<std::string> names;
    if (result.predefined) {
        for (int f = 1; f <= 5; ++f) {
            splits.push_back(
                makeSplit(dataset, SplitSpec::parse("ml100k:u" + std::to_string(f), config.seed)));
            names.push_back("ml-100k u" + std::to_string(f));
        }
    } else {
        splits = perUserFoldSplits(dataset, config.folds, config.seed);
        for (int f = 1; f <= config.folds; ++f)
            names.push_back("fold " + std::to_string(f) + " of " + std::to_string(config.folds) +
                            " (per user, seed " + std::to_string(config.seed) + ")");
    }
    for (std::size_t f = 0; f < splits.size(); ++f) {
        const TrainData data = TrainData::build(dataset, splits[f]);
        auto model = configured();
        model->fit(data);
        FoldResult fold;
        fold.fold = static_cast<int>(f + 1);
        fold.split = names[f];
        fold.trainRatings = data.trainCount();
        fold.testRatings = data.testCount();
        fold.evaluation = evaluateModel(*model, data, result.ranking);
        result.folds.push_back(fold);
        if (observer && !observer(fold)) throw Cancelled();
    }
    const std::pair<const char*, double ModelEvaluation::*> metrics[] = {
        {"test_rmse", &ModelEvaluation::testRmse}, {"test_mae", &ModelEvaluation::testMae},
        {"hr10", &ModelEvaluation::sampledHr10},   {"ndcg10", &ModelEvaluation::sampledNdcg10},
        {"full_hr10", &ModelEvaluation::fullHr10}, {"full_ndcg10", &ModelEvaluation::fullNdcg10}};
    for (const auto& [name, member] : metrics) {
        std::vector<double> values;
        for (const auto& fold : result.folds)
            if (!std::isnan(fold.evaluation.*member)) values.push_back(fold.evaluation.*member);
        if (values.empty()) continue;
        MeanSd m;
        m.metric = name;
        m.folds = static_cast<int>(values.size());
        m.mean = std::accumulate(values.begin(), values.end(), 0.0) / values.size();
        double ss = 0;
        for (double v : values) ss += (v - m.mean) * (v - m.mean);
        m.sd = values.size() > 1 ? std::sqrt(ss / static_cast<double>(values.size() - 1)) : 0.0;
        result.summary.push_back(m);
    }
    return result;
}

}  // namespace lens
