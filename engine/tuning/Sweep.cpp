#include "tuning/Sweep.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>
#include <set>
#include <stdexcept>

#include "eval/ModelEvaluation.h"
#include "eval/RankingMetrics.h"
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
    for (const auto& [key, value] : withTrialValues(config.fixed, trial))
        model->setHyperparameter(key, value);
    return model;
}

// A model worth scoring: fitted, or stopped after at least one iteration.
bool usable(FitStatus status, const Recommender& model) {
    return status == FitStatus::Completed ||
           (status == FitStatus::Stopped && !model.history().empty());
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

std::string sweepMetric(const SweepConfig& config) {
    const RecommenderDescriptor* descriptor = findRecommender(config.modelKind);
    if (!descriptor) throw std::invalid_argument("unknown model '" + config.modelKind + "'");
    auto probe = createRecommender(config.modelKind);
    const std::string metric =
        config.metric.empty()
            ? (probe->predictsRatings() && !descriptor->ranking ? "rmse" : "ndcg10")
            : config.metric;
    if (std::find(metricNames().begin(), metricNames().end(), metric) == metricNames().end())
        evaluationMetric(ModelEvaluation{}, metric);  // throws the message
    if (metric == "rmse" && !probe->predictsRatings())
        throw std::invalid_argument(config.modelKind +
                                    " does not predict ratings: use "
                                    "hr10, ndcg10, full_hr10 or full_ndcg10");
    return metric;
}

std::vector<std::pair<std::string, std::string>> withTrialValues(
    std::vector<std::pair<std::string, std::string>> settings, const SweepTrial& trial) {
    for (const auto& param : trial.params) {
        // (Not a structured binding: clang 14, the TSan compiler, cannot capture one.)
        const std::string& key = param.first;
        const auto it = std::find_if(settings.begin(), settings.end(),
                                     [&](const auto& kv) { return kv.first == key; });
        if (it != settings.end())
            it->second = param.second;
        else
            settings.emplace_back(key, param.second);
    }
    return settings;
}

std::size_t bestSweepTrial(const std::vector<SweepTrial>& trials, bool lowerIsBetter) {
    auto better = [&](double a, double b) {
        if (std::isnan(b)) return !std::isnan(a);
        if (std::isnan(a)) return false;
        return lowerIsBetter ? a < b : a > b;
    };
    std::size_t best = 0;
    for (std::size_t t = 1; t < trials.size(); ++t)
        if (better(trials[t].validation, trials[best].validation)) best = t;
    return best;
}

double heldOutMetric(const HeldOutFigures& f, const std::string& metric) {
    if (metric == "rmse") return f.rmse;
    if (metric == "hr10") return f.hr10;
    if (metric == "ndcg10") return f.ndcg10;
    if (metric == "full_hr10") return f.fullHr10;
    if (metric == "full_ndcg10") return f.fullNdcg10;
    return evaluationMetric(ModelEvaluation{}, metric);  // throws the message
}

SweepFit fitSweepTrial(Recommender& model, const TrainData& validation,
                       const SweepFitOptions& options) {
    SweepFit out;
    FitControl control = options.control;
    control.evaluate = options.curves ? heldOutEvaluation(validation) : FitEvaluator{};
    // As trainValidated: with curves, a model that keeps its best iteration or stops early
    // (NCF) does so on the validation figures (an empty validation part has none).
    control.selectOnEvaluation = options.curves && validation.testCount() > 0;
    out.status = model.fit(validation, control);
    if (!usable(out.status, model) || (options.abandoned && options.abandoned())) return out;
    const ModelEvaluation e = evaluateModel(model, validation, options.rankingModel);
    out.figures = heldOutFigures(e);
    out.trainRmse = e.trainRmse;
    out.scored = true;
    return out;
}

SweepFit fitSweepFinal(Recommender& model, const Dataset& dataset, const Split& split,
                       const SweepFitOptions& options) {
    SweepFit out;
    const TrainData full = TrainData::build(dataset, split);
    FitControl control = options.control;
    control.evaluate = {};  // nothing is held out but the test part, scored once below
    control.selectOnEvaluation = false;
    out.status = model.fit(full, control);
    if (!usable(out.status, model) || (options.abandoned && options.abandoned())) return out;
    const ModelEvaluation e = evaluateModel(model, full, options.rankingModel);
    out.figures = heldOutFigures(e);
    out.trainRmse = e.trainRmse;
    if (options.perUser) out.perUser = testPerUserMetrics(model, full, options.rankingModel);
    out.scored = true;
    return out;
}

SweepResult runSweep(const Dataset& dataset, const SplitSpec& splitSpec, const SweepConfig& config,
                     const SweepObserver& observer, std::stop_token stop) {
    SweepResult result;
    result.modelKind = config.modelKind;
    result.metric = sweepMetric(config);
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
    SweepFitOptions options;
    options.rankingModel = ranking;
    // Trials are fitted as the Train stage fits them: a model that keeps its best epoch (NCF)
    // chooses it on this validation part, not on an inner hold-out of its own.
    options.curves = true;
    options.control.stopToken = stop;
    options.abandoned = [&stop] { return stop.stop_requested(); };
    for (std::size_t t = 0; t < result.trials.size(); ++t) {
        SweepTrial& trial = result.trials[t];
        auto model = configured(config, trial);
        const auto start = std::chrono::steady_clock::now();
        const SweepFit fit = fitSweepTrial(*model, validation, options);
        trial.status = fit.status;
        if (stop.stop_requested()) throw Cancelled();
        trial.seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        trial.validation = heldOutMetric(fit.figures, result.metric);
        if (observer && !observer(t, result.trials.size(), trial)) throw Cancelled();
    }
    result.best = bestSweepTrial(result.trials, result.lowerIsBetter);
    result.bestValidation = result.trials[result.best].validation;
    // The chosen configuration, retrained on training + validation, tested once.
    auto model = configured(config, result.trials[result.best]);
    const SweepFit chosen = fitSweepFinal(*model, dataset, split, options);
    if (stop.stop_requested()) throw Cancelled();
    result.bestTest = heldOutMetric(chosen.figures, result.metric);
    return result;
}

}  // namespace lens
