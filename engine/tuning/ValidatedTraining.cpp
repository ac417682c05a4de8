#include "tuning/ValidatedTraining.h"

#include <cmath>
#include <optional>

#include "eval/ModelEvaluation.h"
#include "eval/RankingMetrics.h"
#include "models/TrainData.h"

namespace lens {

const char* evaluatedPartName(EvaluatedPart part) {
    return part == EvaluatedPart::Validation ? "validation" : "test";
}

bool HeldOutFigures::any() const {
    for (double v : {rmse, mae, hr10, ndcg10, fullHr10, fullNdcg10})
        if (!std::isnan(v)) return true;
    return false;
}

bool HeldOutFigures::operator==(const HeldOutFigures& o) const {
    const auto same = [](double a, double b) { return a == b || (std::isnan(a) && std::isnan(b)); };
    return same(rmse, o.rmse) && same(mae, o.mae) && same(hr10, o.hr10) && same(ndcg10, o.ndcg10) &&
           same(fullHr10, o.fullHr10) && same(fullNdcg10, o.fullNdcg10);
}

PerUserOptions perUserOptionsFor(const Recommender& model, const SplitSpec& split,
                                 bool rankingModel) {
    PerUserOptions options;
    options.seed = split.seed;
    options.ratingErrors = model.predictsRatings();
    const bool ranking =
        (rankingModel && !model.predictsRatings()) || split.kind == SplitKind::LeaveOneOutLatest;
    options.sampled = ranking;
    options.full = ranking;
    // Large data: the same seeded sample of test users as the headline full-catalogue figure.
    options.maxUsers = kDefaultFullRankingUsers;
    return options;
}

HeldOutFigures heldOutFigures(const ModelEvaluation& e) {
    HeldOutFigures f;
    f.rmse = e.testRmse;
    f.mae = e.testMae;
    f.hr10 = e.sampledHr10;
    f.ndcg10 = e.sampledNdcg10;
    f.fullHr10 = e.fullHr10;
    f.fullNdcg10 = e.fullNdcg10;
    f.fullUsers = e.fullUsers;
    f.fullUsersTotal = e.fullUsersTotal;
    f.fullHr10Low = e.fullHr10Low;
    f.fullHr10High = e.fullHr10High;
    return f;
}

PerUserMetrics testPerUserMetrics(const Recommender& model, const TrainData& full,
                                  bool rankingModel) {
    const PerUserOptions perUser = perUserOptionsFor(model, full.split, rankingModel);
    std::optional<SampledNegatives> negatives;
    if (perUser.sampled) negatives = sampleNegatives(full, 100, full.split.seed);
    PerUserMetrics m =
        computePerUserMetrics(full, model, negatives ? &*negatives : nullptr, perUser);
    m.topLists.clear();  // kept by the Compare stage's own run, not here
    m.fullHitByCase.clear();
    return m;
}

ValidatedTrainingResult trainValidated(Recommender& model, const Dataset& dataset,
                                       const Split& split,
                                       const ValidatedTrainingOptions& options) {
    ValidatedTrainingResult result;
    BudgetWatch budget(options.budget);
    std::optional<TrainData> fit = validationTrainData(dataset, split, options.validation);
    result.sizes.fit = fit->trainCount();
    result.sizes.validation = fit->testCount();
    for (std::uint8_t t : split.isTest) result.sizes.test += t;
    if (options.onPrepared) options.onPrepared(result.sizes);

    FitControl control = options.control;
    const FitEvaluator onValidation = heldOutEvaluation(*fit);
    control.evaluate = [&](const Recommender& m, TrainingSnapshot& s) {
        if (options.onEvaluate) options.onEvaluate(EvaluatedPart::Validation, *fit);
        onValidation(m, s);
    };
    // The figures are validation figures: a model that keeps its best iteration or stops early
    // (NCF) does so on them instead of holding out training ratings itself. An empty validation
    // part (every user with one training rating) has no figures: the model's fallback then.
    control.selectOnEvaluation = result.sizes.validation > 0;
    // The budget is checked after the caller's observer has seen the iteration: a used-up
    // budget stops the fit at this iteration's end (never within one) as an observer's false
    // does; a caller's own false is a request, whatever the budget.
    control.observer = [&budget, &options](const TrainingSnapshot& s) {
        const TrainingObserver& caller = options.control.observer;
        if (caller && !caller(s)) return false;
        return budget.allowsNextIteration(s);
    };
    result.status = model.fit(*fit, control);
    result.stop = trainingStopOf(model, result.status, budget);
    const auto& history = model.history();
    if (!history.empty()) {
        double total = 0;
        for (const auto& s : history) total += s.seconds;
        result.secondsPerIteration = total / static_cast<double>(history.size());
    }
    if (result.status == FitStatus::Untrained ||
        (result.status == FitStatus::Stopped && history.empty()) ||
        (options.abandoned && options.abandoned->load()))
        return result;

    // The final model on validation (a model that keeps its best epoch is not the last
    // iteration's state) and on the fit part, then the fit view goes.
    {
        TrainingSnapshot last;
        control.evaluate(model, last);
        result.validation.rmse = last.testRmse;
        result.validation.mae = last.testMae;
        result.validation.hr10 = last.hr10;
        result.validation.ndcg10 = last.ndcg10;
        if (model.predictsRatings())
            result.trainRmse = trainRatingErrors(*fit, [&](std::uint32_t u, std::uint32_t i) {
                                   return model.predictRaw(u, i);
                               }).rmse;
    }
    fit.reset();

    // The test part, once.
    const TrainData full = TrainData::build(dataset, split);
    if (full.testCount() == 0) return result;
    if (options.onEvaluate) options.onEvaluate(EvaluatedPart::Test, full);
    result.test = heldOutFigures(evaluateModel(model, full, options.rankingModel));
    if (options.perUser) result.perUser = testPerUserMetrics(model, full, options.rankingModel);
    result.tested = true;
    return result;
}

}  // namespace lens
