#include "models/BiasBaseline.h"

#include <chrono>
#include <stdexcept>

#include "models/ModelFile.h"
#include "models/RatingErrors.h"
#include "models/TrainData.h"
#include "util/Stopwatch.h"

namespace lens {

namespace {
using Clock = SteadyClock;

// b_r = sum (value - mu - other_bias) / (lambda + n) for every row, in double.
void solveBiases(const SparseRatings& rows, const Eigen::VectorXf& otherBias, double mu,
                 double lambda, Eigen::VectorXf& out) {
    const auto n = static_cast<std::int64_t>(rows.rows());
#pragma omp parallel for schedule(static)
    for (std::int64_t r = 0; r < n; ++r) {
        const auto idx = rows.rowIndex(static_cast<std::size_t>(r));
        const auto val = rows.rowValues(static_cast<std::size_t>(r));
        double s = 0.0;
        for (std::size_t j = 0; j < idx.size(); ++j) s += val[j] - mu - otherBias[idx[j]];
        const double denom = lambda + static_cast<double>(idx.size());
        out[r] = denom > 0 ? static_cast<float>(s / denom) : 0.0f;
    }
}
}  // namespace

HyperparameterList BiasBaseline::hyperparameters() const {
    return {
        {"user_lambda",
         formatReal(config_.userLambda),
         "User bias regularisation",
         "Shrinks user biases of users with few ratings towards 0 (5, chosen on validation; "
         "the study used 10).",
         0,
         1e6,
         false,
         {}},
        {"item_lambda",
         formatReal(config_.itemLambda),
         "Movie bias regularisation",
         "Shrinks movie biases of rarely rated movies towards 0 (2, chosen on validation; "
         "the study used 10).",
         0,
         1e6,
         false,
         {}},
        {"iterations",
         std::to_string(config_.iterations),
         "Iterations",
         "Alternating updates (users, then movies); the study used 15.",
         1,
         1000,
         true,
         {}},
        {"seed",
         std::to_string(config_.seed),
         "Seed",
         "Unused: the baseline has no randomness.",
         0,
         1.8e19,
         true,
         {}},
    };
}

void BiasBaseline::setHyperparameter(const std::string& key, const std::string& value) {
    if (key == "user_lambda")
        config_.userLambda = parseRealHyperparameter(key, value, 0, 1e6);
    else if (key == "item_lambda")
        config_.itemLambda = parseRealHyperparameter(key, value, 0, 1e6);
    else if (key == "lambda") {  // both at once (command line --lambda)
        config_.userLambda = config_.itemLambda = parseRealHyperparameter(key, value, 0, 1e6);
    } else if (key == "iterations")
        config_.iterations = parseIntHyperparameter(key, value, 1, 1000);
    else if (key == "seed")
        config_.seed = parseSeedHyperparameter(key, value);
    else
        throw std::invalid_argument("unknown hyper-parameter '" + key + "' for model bias");
}

FitStatus BiasBaseline::doFit(const TrainData& data, const FitControl& control,
                              const std::function<bool(const TrainingSnapshot&)>& report) {
    const auto start = Clock::now();
    mu_ = data.globalMean;
    userBias_ = Eigen::VectorXf::Zero(static_cast<Eigen::Index>(data.userCount()));
    itemBias_ = Eigen::VectorXf::Zero(static_cast<Eigen::Index>(data.itemCount()));
    for (int it = 1; it <= config_.iterations; ++it) {
        if (control.stopRequested()) return FitStatus::Stopped;
        const auto iterStart = Clock::now();
        solveBiases(data.byUser, itemBias_, mu_, config_.userLambda, userBias_);
        if (control.stopRequested()) return FitStatus::Stopped;
        solveBiases(data.byItem, userBias_, mu_, config_.itemLambda, itemBias_);
        TrainingSnapshot s;
        s.iteration = it;
        s.totalIterations = config_.iterations;
        s.seconds = secondsSince(iterStart);
        const auto evalStart = Clock::now();
        auto predictFn = [this](std::uint32_t u, std::uint32_t i) { return predictRaw(u, i); };
        const RatingErrors train = trainRatingErrors(data, predictFn, false);
        s.trainRmse = trainRatingErrors(data, predictFn).rmse;
        s.objective = train.rmse * train.rmse * static_cast<double>(train.count) +
                      config_.userLambda * static_cast<double>(userBias_.squaredNorm()) +
                      config_.itemLambda * static_cast<double>(itemBias_.squaredNorm());
        control.evaluateInto(*this, s);
        s.evalSeconds = secondsSince(evalStart);
        s.elapsedSeconds = secondsSince(start);
        if (!report(s)) return it == config_.iterations ? FitStatus::Completed : FitStatus::Stopped;
    }
    return FitStatus::Completed;
}

float BiasBaseline::predictRaw(std::uint32_t user, std::uint32_t item) const {
    return static_cast<float>(mu_) + userBias_[user] + itemBias_[item];
}

void BiasBaseline::scoreAll(std::uint32_t user, std::span<float> out) const {
    for (std::size_t i = 0; i < out.size(); ++i)
        out[i] = predictRaw(user, static_cast<std::uint32_t>(i));
}

FoldedUser BiasBaseline::foldIn(std::span<const FoldInRating> ratings) const {
    FoldedUser f;
    double s = 0.0;
    for (const auto& r : ratings) {
        if (r.item >= itemBias_.size()) continue;
        f.ratings.push_back(r);
        s += r.rating - mu_ - itemBias_[r.item];
    }
    f.bias =
        f.ratings.empty()
            ? 0.0f
            : static_cast<float>(s / (config_.userLambda + static_cast<double>(f.ratings.size())));
    return f;
}

void BiasBaseline::scoreAll(const FoldedUser& user, std::span<float> out) const {
    for (std::size_t i = 0; i < out.size(); ++i)
        out[i] = static_cast<float>(mu_) + user.bias + itemBias_[static_cast<Eigen::Index>(i)];
}

std::vector<float> BiasBaseline::explain(const FoldedUser& user, std::uint32_t) const {
    std::vector<float> c;
    const double denom = config_.userLambda + static_cast<double>(user.ratings.size());
    for (const auto& r : user.ratings)
        c.push_back(static_cast<float>((r.rating - mu_ - itemBias_[r.item]) / denom));
    return c;
}

std::vector<float> BiasBaseline::itemBiases() const {
    return {itemBias_.data(), itemBias_.data() + itemBias_.size()};
}

void BiasBaseline::writePayload(ModelWriter& out) const {
    out.f64(mu_);
    out.vector(userBias_);
    out.vector(itemBias_);
}

void BiasBaseline::readPayload(ModelReader& in) {
    mu_ = in.f64();
    userBias_ = in.vector();
    itemBias_ = in.vector();
    if (userBias_.size() != static_cast<Eigen::Index>(userCount()) ||
        itemBias_.size() != static_cast<Eigen::Index>(itemCount()))
        in.fail("corrupt model file (bias vector sizes do not match the id maps)");
}

}  // namespace lens
