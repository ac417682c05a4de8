#pragma once
// The one table of metric names in JSON (the run history of the Train panel, `lens-atlas train
// --json`, the report's metrics.json) and the one rule for writing an absent metric: a value that
// is not finite (NaN: not measured; an infinity) is written as JSON null, and null or a missing
// key reads back as NaN (kNoMetric).
#include <cmath>
#include <optional>
#include <span>

#include "eval/ModelEvaluation.h"
#include "models/Recommender.h"

namespace lens {

// What a metric becomes in JSON: nullopt is written as null.
inline std::optional<double> metricJsonValue(double v) {
    return std::isfinite(v) ? std::optional<double>(v) : std::nullopt;
}

template <class Owner>
struct MetricKey {
    const char* key;
    double Owner::*member;
};

// The metrics of one training iteration (TrainingSnapshot), in the order they are printed.
inline constexpr MetricKey<TrainingSnapshot> kSnapshotMetricKeys[] = {
    {"train_rmse", &TrainingSnapshot::trainRmse},
    {"test_rmse", &TrainingSnapshot::testRmse},
    {"test_mae", &TrainingSnapshot::testMae},
    {"objective", &TrainingSnapshot::objective},
    {"hr10", &TrainingSnapshot::hr10},
    {"ndcg10", &TrainingSnapshot::ndcg10},
};

// The timings of one training iteration (kept in the run history).
inline constexpr MetricKey<TrainingSnapshot> kSnapshotTimingKeys[] = {
    {"seconds", &TrainingSnapshot::seconds},
    {"eval_seconds", &TrainingSnapshot::evalSeconds},
    {"elapsed", &TrainingSnapshot::elapsedSeconds},
};

// The final figures of a trained model (ModelEvaluation): `train --json` and metrics.json.
inline constexpr MetricKey<ModelEvaluation> kEvaluationMetricKeys[] = {
    {"train_rmse", &ModelEvaluation::trainRmse},
    {"test_rmse", &ModelEvaluation::testRmse},
    {"test_mae", &ModelEvaluation::testMae},
    {"hr10", &ModelEvaluation::sampledHr10},
    {"ndcg10", &ModelEvaluation::sampledNdcg10},
    {"full_hr10", &ModelEvaluation::fullHr10},
    {"full_ndcg10", &ModelEvaluation::fullNdcg10},
    {"seconds_per_iteration", &ModelEvaluation::secondsPerIteration},
};

// The last finite value of a metric over a training history, NaN when there is none (ranking
// metrics may be computed only every few iterations, so the last snapshot's is often NaN).
inline double lastFiniteMetric(std::span<const TrainingSnapshot> history,
                               double TrainingSnapshot::*metric) {
    for (auto it = history.rbegin(); it != history.rend(); ++it)
        if (std::isfinite((*it).*metric)) return (*it).*metric;
    return kNoMetric;
}

}  // namespace lens
