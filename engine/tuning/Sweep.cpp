#include "tuning/Sweep.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>
#include <set>
#include <stdexcept>

#include "eval/ModelEvaluation.h"
#include "models/RecommenderFactory.h"
#include "models/TrainData.h"
#include "tuning/ValidationData.h"
#include "util/Errors.h"
#include "util/Random.h"

namespace lens {

namespace {

const std::vector<std::string>& metricNames() {
    static const std::vector<std::string> names = {"rmse", "hr10", "ndcg10", "full_hr10",
                                                   "full_ndcg10"};
    return names;
}

std::unique_ptr<Recommender> configured(const SweepConfig& config, const SweepTrial& trial) {
    auto model = createRecommender(config.modelKind);
    model->setHyperparameter("seed", std::to_string(config.seed));
    for (const auto& [key, value] : config.fixed) model->setHyperparameter(key, value);
    for (const auto& [key, value] : trial.params) model->setHyperparameter(key, value);
    return model;
}

}  // namespace

double evaluationMetric(const ModelEvaluation& e, const std::string& metric) {
    if (metric == "rmse") return e.testRmse;
    if (metric == "hr10") return e.sampledHr10;
    if (metric == "ndcg10") return e.sampledNdcg10;
    if (metric == "full_hr10") return e.fullHr10;
    if (metric == "full_ndcg10") return e.fullNdcg10;
    throw std::invalid_argument("unknown metric '" + metric +
                                "' (rmse, hr10, ndcg10, full_hr10, full_ndcg10)");
}

bool evaluationMetricLowerIsBetter(const std::string& metric) {
    return metric == "rmse";
}

std::vector<SweepTrial> sweepTrials(const SweepConfig& config) {
    std::set<std::string> keys;
    std::size_t total = 1;
    for (const auto& axis : config.axes) {
        if (axis.values.empty())
            throw std::invalid_argument("sweep: " + axis.key + " has no values");
        if (!keys.insert(axis.key).second)
            throw std::invalid_argument("sweep: " + axis.key + " is given twice");
        total *= axis.values.size();
        if (total > 10'000) throw std::invalid_argument("sweep: more than 10,000 combinations");
    }
    std::vector<SweepTrial> grid(total);
    for (std::size_t t = 0; t < total; ++t) {
        std::size_t rest = t;
        // The last axis varies fastest.
        std::vector<std::pair<std::string, std::string>> params(config.axes.size());
        for (std::size_t a = config.axes.size(); a-- > 0;) {
            const auto& values = config.axes[a].values;
            params[a] = {config.axes[a].key, values[rest % values.size()]};
            rest /= values.size();
        }
        grid[t].params = std::move(params);
    }
    if (config.randomTrials <= 0 || static_cast<std::size_t>(config.randomTrials) >= total)
        return grid;
    // Distinct combinations drawn without replacement (partial Fisher-Yates), kept in draw order.
    std::vector<std::size_t> order(total);
    std::iota(order.begin(), order.end(), 0);
    Pcg32 rng(deriveSeed(config.seed, 0x5ee9));
    std::vector<SweepTrial> drawn;
    for (std::size_t k = 0; k < static_cast<std::size_t>(config.randomTrials); ++k) {
        const std::size_t j = k + rng.below(static_cast<std::uint32_t>(total - k));
        std::swap(order[k], order[j]);
        drawn.push_back(grid[order[k]]);
    }
    return drawn;
}

SweepResult runSweep(const Dataset& dataset, const SplitSpec& splitSpec, const SweepConfig& config,
                     const SweepObserver& observer, std::stop_token stop) {
    const RecommenderDescriptor* descriptor = findRecommender(config.modelKind);
    if (!descriptor) throw std::invalid_argument("unknown model '" + config.modelKind + "'");
    SweepResult result;
    result.modelKind = config.modelKind;
    {
        auto probe = createRecommender(config.modelKind);
        result.metric = config.metric.empty()
                            ? (probe->predictsRatings() && !descriptor->ranking ? "rmse" : "ndcg10")
                            : config.metric;
        if (std::find(metricNames().begin(), metricNames().end(), result.metric) ==
            metricNames().end())
            evaluationMetric(ModelEvaluation{}, result.metric);  // throws the message
        if (result.metric == "rmse" && !probe->predictsRatings())
            throw std::invalid_argument(config.modelKind +
                                        " does not predict ratings: use "
                                        "hr10, ndcg10, full_hr10 or full_ndcg10");
    }
    result.lowerIsBetter = evaluationMetricLowerIsBetter(result.metric);
    const bool ranking = result.metric != "rmse";
    result.trials = sweepTrials(config);
    result.gridSize = 1;
    for (const auto& axis : config.axes) result.gridSize *= axis.values.size();
    // Validate every trial's values before any training: a typo fails at once.
    for (const auto& trial : result.trials) configured(config, trial);

    const Split split = makeSplit(dataset, splitSpec);
    const TrainData validation =
        validationTrainData(dataset, split, ValidationSpec::forSplit(splitSpec));
    result.validationRatings = validation.testCount();
    for (std::size_t t = 0; t < result.trials.size(); ++t) {
        SweepTrial& trial = result.trials[t];
        auto model = configured(config, trial);
        const auto start = std::chrono::steady_clock::now();
        FitControl control;
        control.stopToken = stop;
        trial.status = model->fit(validation, control);
        if (stop.stop_requested()) throw Cancelled();
        trial.seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        trial.validation =
            evaluationMetric(evaluateModel(*model, validation, ranking), result.metric);
        if (observer && !observer(t, result.trials.size(), trial)) throw Cancelled();
    }
    auto better = [&](double a, double b) {
        if (std::isnan(b)) return !std::isnan(a);
        if (std::isnan(a)) return false;
        return result.lowerIsBetter ? a < b : a > b;
    };
    for (std::size_t t = 1; t < result.trials.size(); ++t)
        if (better(result.trials[t].validation, result.trials[result.best].validation))
            result.best = t;
    result.bestValidation = result.trials[result.best].validation;
    // The chosen configuration, retrained on training + validation, tested once.
    const TrainData full = TrainData::build(dataset, split);
    auto model = configured(config, result.trials[result.best]);
    FitControl control;
    control.stopToken = stop;
    model->fit(full, control);
    if (stop.stop_requested()) throw Cancelled();
    result.bestTest = evaluationMetric(evaluateModel(*model, full, ranking), result.metric);
    return result;
}

}  // namespace lens
