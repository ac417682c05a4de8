#pragma once
// How a model is judged on its split's held-out ratings, the same way wherever it is trained
// (the `train` and `report` commands, the Train panel, the report of the GUI).
//
// Per iteration: heldOutEvaluation(data) is the FitControl::evaluate a driver passes to
// Recommender::fit for live curves (models compute only their own training figures):
// - rating models (predictsRatings()): test RMSE and MAE of clipped predictions;
// - ranking models: HR@10 and NDCG@10 on the NCF protocol (100 sampled negatives frozen by the
//   split seed, drawn once, at the first evaluation of a ranking model);
// nothing when the split has no test ratings.
//
// Final figures of a trained model (evaluateModel):
// - rating models: train and test RMSE / MAE of the model as it ends up (clipped to 0.5..5), which
//   for a model that keeps its best validated epoch (explicit NCF) is not the last iteration's;
// - ranking models (implicit objective, or any model on a leave-one-out split): HR@10 and NDCG@10
//   on the NCF protocol (100 sampled negatives frozen by the split seed) and on the full ranking
//   (on large data a seeded sample of at most `fullRankingUsers` test users, default 10,000, with
//   the 95 % interval of that sampling: RankingMetrics.h UserSampling);
// - mean seconds per training iteration from the history.
// Absent figures are NaN (kNoMetric).
#include "eval/RankingMetrics.h"
#include "models/Recommender.h"
#include "models/TrainData.h"

namespace lens {

struct ModelEvaluation {
    double trainRmse = kNoMetric, testRmse = kNoMetric, testMae = kNoMetric;
    double sampledHr10 = kNoMetric, sampledNdcg10 = kNoMetric;  // NCF protocol (sampled)
    double fullHr10 = kNoMetric, fullNdcg10 = kNoMetric;        // full ranking
    // Users the full ranking evaluated of those with test ratings; fewer when sampled, and then
    // the 95 % interval of fullHr10 for the sampling (NaN otherwise).
    std::size_t fullUsers = 0, fullUsersTotal = 0;
    double fullHr10Low = kNoMetric, fullHr10High = kNoMetric;
    bool fullSampled() const { return fullUsers < fullUsersTotal; }
    double secondsPerIteration = kNoMetric;
    double totalSeconds = 0.0;  // training time (sum of iteration seconds)
    int iterations = 0;         // finished iterations
};

// `rankingModel`: evaluate HR/NDCG (the registry's `ranking` flag of the model kind).
ModelEvaluation evaluateModel(const Recommender& model, const TrainData& data, bool rankingModel,
                              std::size_t fullRankingUsers = kDefaultFullRankingUsers);

// The standard per-iteration evaluation on `data`'s test ratings (see above). `data` must
// outlive every fit the evaluator is passed to; the evaluator may be reused for several fits on
// the same data (the sampled negatives are kept). Not for concurrent fits.
FitEvaluator heldOutEvaluation(const TrainData& data);

}  // namespace lens
