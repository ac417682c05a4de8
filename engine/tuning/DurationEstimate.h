#pragma once
// How long the whole study (`lens-atlas report`, bench_study) will take, printed up front
// (issue #21). An estimate from a simple cost model, not a measurement: each term is a count of
// the work a stage does times a constant measured on the project's 2-core machine (idle), so a
// busy or faster machine moves every term by the same factor (a load average of 10 on 2 cores
// made the runs ~2-5x slower than the estimate).
//
// The model, with R ratings, U users, I movies of the release:
//   statistics        kEda * R
//   ALS-family fit    iterations * kAls * (R_fit * k^2 + (U + I) * k^3)     (normal equations)
//   bias fit          iterations * kBias * R_fit
//   NCF fit           epochs * samples * kNcfSample * work / work(NeuMF defaults), samples =
//                     R_fit * (1 + negatives) for the implicit objective (R_fit explicit),
//                     work = 0.3 + 0.7 * (2 (factors + layers[0]) + sum of layer products)
//                     relative to the defaults, plus U * 101 validation scores per epoch
//   scoring           kScore(model) per (user, movie) score: ranking models are scored on the
//                     sampled protocol (U * 101) and the full catalogue of up to 10,000 users
//                     (x I), once by the driver, once by the report's evaluation and once by the
//                     comparison; rating models once on their test ratings
//   comparison        rating models retrained on leave-one-out (another fit)
//   maps and figures  kMapPerItem * I + kFigures (PCA, genre map, 36 figures written)
// A training budget caps each fit at the budget plus one iteration.
// Constants (seconds), from the runs quoted in issue #21 and the report log of ml-latest-small:
// ALS k 32 on the ML-20M shape 0.57 s per iteration; NeuMF 44-62 s per epoch there (100 M
// samples, ~0.55 us each with the steps on both cores; 1.3 us before issue #21's work) and 0.39 s
// per epoch on ml-latest-small; NeuMF's evaluation of ml-latest-small 0.7 s for 6 M scores;
// statistics 0.23 s for 20 M ratings; figures ~6.5 s for ml-latest-small.
#include <cstddef>
#include <string>
#include <vector>

#include "models/Recommender.h"

namespace lens {

struct DataShape {
    std::size_t ratings = 0, users = 0, items = 0;
};

struct StageEstimate {
    std::string stage;  // "statistics", "Biased MF (ALS)", "comparison", "maps and figures"
    double seconds = 0.0;
};

struct DurationEstimate {
    std::vector<StageEstimate> stages;
    double total() const;
    // "about 46 min (statistics 0.2 s, Biased MF (ALS) 11 s, NeuMF (NCF) 45 min, ...)"
    std::string describe() const;
};

// Training of `model` (its hyper-parameters as set) on `fitRatings` ratings of a release of
// `data`'s users and movies, validation scoring per iteration included; `ranking`: the model is
// evaluated as a ranking model.
double estimateFitSeconds(const Recommender& model, const DataShape& data, std::size_t fitRatings,
                          bool ranking);
// Scoring `scores` (user, movie) pairs with `model`.
double estimateScoringSeconds(const Recommender& model, double scores);

// The report's study of `models` (registry kinds, their defaults) on `data`: statistics, each
// model on its split (rating models per-user 80/20, ranking models leave-one-out), the
// comparison when there are two or more, maps and figures. budgetSeconds > 0 caps each fit.
// Unknown kinds throw std::invalid_argument.
DurationEstimate estimateStudyDuration(const DataShape& data,
                                       const std::vector<std::string>& models,
                                       double budgetSeconds = 0.0);

std::string formatEstimateSeconds(double seconds);  // "0.2 s", "11 s", "4 min", "1 h 05 min"

}  // namespace lens
