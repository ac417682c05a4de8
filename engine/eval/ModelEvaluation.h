#pragma once
// The final figures of a trained model on its split, computed the same way wherever a run is
// reported (the `train` and `report` commands, the report of the GUI):
// - rating models: train and test RMSE / MAE of the model as it ends up (clipped to 0.5..5), which
//   for a model that keeps its best validated epoch (explicit NCF) is not the last iteration's;
// - ranking models (implicit objective, or any model on a leave-one-out split): HR@10 and NDCG@10
//   on the NCF protocol (100 sampled negatives frozen by the split seed) and on the full ranking;
// - mean seconds per training iteration from the history.
// Absent figures are NaN (kNoMetric).
#include "models/Recommender.h"
#include "models/TrainData.h"

namespace lens {

struct ModelEvaluation {
    double trainRmse = kNoMetric, testRmse = kNoMetric, testMae = kNoMetric;
    double sampledHr10 = kNoMetric, sampledNdcg10 = kNoMetric;  // NCF protocol (sampled)
    double fullHr10 = kNoMetric, fullNdcg10 = kNoMetric;        // full ranking
    double secondsPerIteration = kNoMetric;
    double totalSeconds = 0.0;  // training time (sum of iteration seconds)
    int iterations = 0;         // finished iterations
};

// `rankingModel`: evaluate HR/NDCG (the registry's `ranking` flag of the model kind).
ModelEvaluation evaluateModel(const Recommender& model, const TrainData& data, bool rankingModel);

}  // namespace lens
