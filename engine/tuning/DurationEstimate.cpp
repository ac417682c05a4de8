#include "tuning/DurationEstimate.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>
#include <stdexcept>

#include "models/RecommenderFactory.h"

namespace lens {

namespace {

// The constants of the cost model (seconds; see the header for where they come from).
constexpr double kEda = 1.2e-8;                  // per rating
constexpr double kAls = 2.8e-11;                 // per (R_fit k^2 + (U + I) k^3) and iteration
constexpr double kBias = 4.0e-9;                 // per rating and iteration
constexpr double kNcfSample = 5.5e-7;            // per training sample of NeuMF's defaults
constexpr double kNcfScore = 1.2e-7;             // per score of NeuMF's defaults
constexpr double kFactorScore = 6.0e-11;         // per score and factor (ALS-family dot products)
constexpr double kNeighbourScore = 2e-10;        // per score and neighbour (item-knn)
constexpr double kEaseCube = 2.0e-11;            // per I^3 (EASE's dense inverse)
constexpr double kMapPerItem = 1.0e-4;           // PCA, genre map and the movie map's figure
constexpr double kFigures = 5.0;                 // the other figures, HTML and PDF
constexpr std::size_t kSampledCandidates = 101;  // the NCF protocol: 1 held out + 100 sampled
constexpr std::size_t kFullRankingUsers = 10'000;

int intHyper(const Recommender& model, const char* key, int fallback) {
    const std::string v = model.hyperparameter(key);
    try {
        return v.empty() ? fallback : std::stoi(v);
    } catch (const std::exception&) {
        return fallback;
    }
}

bool isNcf(const std::string& kind) {
    return kind == "gmf" || kind == "mlp" || kind == "neumf";
}

// Per-sample work of an NCF model relative to NeuMF's defaults (factors 8, layers 64,32,16,8).
double ncfWork(const Recommender& model) {
    const auto work = [](int factors, const std::vector<int>& layers) {
        double w = 2.0 * (factors + (layers.empty() ? 0 : layers.front()));
        for (std::size_t l = 1; l < layers.size(); ++l) w += double(layers[l - 1]) * layers[l];
        return w;
    };
    std::vector<int> layers;
    std::stringstream list(model.hyperparameter("layers"));
    for (std::string part; std::getline(list, part, ',');) {
        try {
            layers.push_back(std::stoi(part));
        } catch (const std::exception&) {
        }
    }
    const double ratio =
        work(intHyper(model, "factors", 0), layers) / work(8, std::vector<int>{64, 32, 16, 8});
    return 0.3 + 0.7 * ratio;
}

int factorsOf(const Recommender& model) {
    const int k = intHyper(model, "k", 0);
    return k > 0 ? k : intHyper(model, "factors", 32);
}

}  // namespace

double DurationEstimate::total() const {
    double t = 0;
    for (const auto& s : stages) t += s.seconds;
    return t;
}

std::string formatEstimateSeconds(double s) {
    char buf[64];
    if (s < 10)
        std::snprintf(buf, sizeof buf, "%.1f s", s);
    else if (s < 90)
        std::snprintf(buf, sizeof buf, "%.0f s", s);
    else if (s < 3600)
        std::snprintf(buf, sizeof buf, "%.0f min", s / 60.0);
    else
        std::snprintf(buf, sizeof buf, "%d h %02d min", static_cast<int>(s / 3600),
                      static_cast<int>(std::fmod(s, 3600.0) / 60.0));
    return buf;
}

std::string DurationEstimate::describe() const {
    std::string out = "about " + formatEstimateSeconds(total()) + " (";
    for (std::size_t i = 0; i < stages.size(); ++i)
        out += (i ? ", " : "") + stages[i].stage + " " + formatEstimateSeconds(stages[i].seconds);
    return out + ")";
}

double estimateScoringSeconds(const Recommender& model, double scores) {
    const std::string kind = model.kind();
    if (isNcf(kind)) return scores * kNcfScore * ncfWork(model);
    if (kind == "item-knn") return scores * kNeighbourScore * intHyper(model, "neighbours", 50);
    if (kind == "bias") return scores * kFactorScore;
    return scores * kFactorScore * factorsOf(model);  // ALS family, EASE rows, BPMF
}

double estimateFitSeconds(const Recommender& model, const DataShape& data, std::size_t fitRatings,
                          bool ranking) {
    const std::string kind = model.kind();
    const double r = static_cast<double>(fitRatings);
    const double sides = static_cast<double>(data.users + data.items);
    const double iterations = std::max(1, model.iterationsFor(fitRatings));
    // Validation scoring per iteration: ranking models on the sampled protocol.
    const double validation =
        ranking ? estimateScoringSeconds(model, double(data.users) * kSampledCandidates) : 0.0;
    if (isNcf(kind)) {
        const bool implicit = model.hyperparameter("objective") != "explicit";
        const double samples = implicit ? r * (1 + intHyper(model, "negatives", 4)) : r;
        return iterations * (samples * kNcfSample * ncfWork(model) + validation);
    }
    if (kind == "bias") return iterations * r * kBias;
    if (kind == "ease") return kEaseCube * std::pow(double(data.items), 3.0);
    if (kind == "item-knn") {
        const double perUser = r / std::max<double>(1, double(data.users));
        return kBias * r * perUser;  // co-occurrences: each rating meets its user's others
    }
    const double k = factorsOf(model);
    const double perIteration = kAls * (r * k * k + sides * k * k * k);
    const double sweeps = kind == "bpmf" ? 2.0 : 1.0;  // a Gibbs sweep draws as well as solves
    return iterations * (sweeps * perIteration + validation);
}

DurationEstimate estimateStudyDuration(const DataShape& data,
                                       const std::vector<std::string>& models,
                                       double budgetSeconds) {
    DurationEstimate e;
    e.stages.push_back({"statistics", kEda * double(data.ratings)});
    const double users = static_cast<double>(data.users);
    const double fullUsers = std::min<double>(users, kFullRankingUsers);
    double comparison = 0;
    for (const std::string& kind : models) {
        const RecommenderDescriptor* d = findRecommender(kind);
        if (!d) throw std::invalid_argument("unknown model '" + kind + "'");
        const auto model = d->create();
        const bool rating = model->predictsRatings();
        // Rating models: 80 % training, of which 90 % fit; ranking models: all but two ratings of
        // each user (the test and the validation rating).
        const std::size_t fit = rating ? static_cast<std::size_t>(0.72 * double(data.ratings))
                                       : data.ratings - std::min(data.ratings, 2 * data.users);
        double train = estimateFitSeconds(*model, data, fit, d->ranking);
        if (budgetSeconds > 0)
            train = std::min(train, budgetSeconds + train / std::max(1, model->iterationsFor(fit)));
        double scoring = rating ? estimateScoringSeconds(*model, 0.2 * double(data.ratings)) : 0.0;
        if (!rating || d->ranking) {
            const double once = estimateScoringSeconds(
                *model, users * kSampledCandidates + fullUsers * double(data.items));
            scoring += 2 * once;  // the driver's test scoring and the report's evaluation
            comparison += once;   // the comparison's user-by-user scoring
        } else {
            // Rating models: retrained on leave-one-out and scored there for the comparison.
            const std::size_t looFit = data.ratings - std::min(data.ratings, 2 * data.users);
            double retrain = estimateFitSeconds(*model, data, looFit, false);
            if (budgetSeconds > 0)
                retrain = std::min(
                    retrain, budgetSeconds + retrain / std::max(1, model->iterationsFor(looFit)));
            comparison +=
                retrain + estimateScoringSeconds(
                              *model, users * kSampledCandidates + fullUsers * double(data.items));
        }
        e.stages.push_back({d->displayName, train + scoring});
    }
    if (models.size() >= 2) e.stages.push_back({"comparison", comparison});
    e.stages.push_back({"maps and figures", kMapPerItem * double(data.items) + kFigures});
    return e;
}

}  // namespace lens
