#include "eval/ModelEvaluation.h"

#include <memory>

#include "eval/RankingMetrics.h"

namespace lens {

FitEvaluator heldOutEvaluation(const TrainData& data) {
    // Negatives are sampled on the first ranking evaluation, so rating models never pay for them.
    auto negatives = std::make_shared<std::unique_ptr<SampledNegatives>>();
    return [&data, negatives](const Recommender& model, TrainingSnapshot& s) {
        if (data.test.empty()) return;
        if (model.predictsRatings()) {
            const RatingErrors e = ratingErrors(
                data.test,
                [&model](std::uint32_t u, std::uint32_t i) { return model.predictRaw(u, i); }, true,
                data.scale);
            s.testRmse = e.rmse;
            s.testMae = e.mae;
        } else {
            if (!*negatives)
                *negatives =
                    std::make_unique<SampledNegatives>(sampleNegatives(data, 100, data.split.seed));
            const RankingResult r = evaluateSampled(data, **negatives, model, 10);
            s.hr10 = r.hitRate;
            s.ndcg10 = r.ndcg;
        }
    };
}

ModelEvaluation evaluateModel(const Recommender& model, const TrainData& data, bool rankingModel,
                              std::size_t fullRankingUsers) {
    ModelEvaluation e;
    const auto& history = model.history();
    e.iterations = static_cast<int>(history.size());
    for (const auto& s : history) e.totalSeconds += s.seconds;
    if (!history.empty()) {
        e.secondsPerIteration = e.totalSeconds / static_cast<double>(history.size());
        e.trainRmse = history.back().trainRmse;
        e.testRmse = history.back().testRmse;
        e.testMae = history.back().testMae;
    }
    if (model.status() == FitStatus::Untrained) return e;
    if (model.predictsRatings()) {
        const auto predict = [&](std::uint32_t u, std::uint32_t i) {
            return model.predictRaw(u, i);
        };
        e.trainRmse = trainRatingErrors(data, predict).rmse;
        if (data.testCount() > 0) {
            const RatingErrors test = ratingErrors(data.test, predict, true, data.scale);
            e.testRmse = test.rmse;
            e.testMae = test.mae;
        }
    }
    const bool ranking = (rankingModel && !model.predictsRatings()) ||
                         data.split.kind == SplitKind::LeaveOneOutLatest;
    if (ranking && data.testCount() > 0) {
        const SampledNegatives negatives = sampleNegatives(data, 100, data.split.seed);
        const RankingResult sampled = evaluateSampled(data, negatives, model);
        const RankingResult full =
            evaluateFullRanking(data, model, 10, {fullRankingUsers, data.split.seed});
        e.sampledHr10 = sampled.hitRate;
        e.sampledNdcg10 = sampled.ndcg;
        e.fullHr10 = full.hitRate;
        e.fullNdcg10 = full.ndcg;
        e.fullUsers = full.users;
        e.fullUsersTotal = full.usersTotal;
        e.fullHr10Low = full.hitRateLow;
        e.fullHr10High = full.hitRateHigh;
    }
    return e;
}

}  // namespace lens
