#include "models/AlsModel.h"

#include <chrono>
#include <cmath>
#include <stdexcept>

#include "models/AlsHyperparameters.h"
#include "models/ModelFile.h"
#include "models/TrainData.h"
#include "util/Stopwatch.h"

namespace lens {

namespace {
using Clock = SteadyClock;
}  // namespace

HyperparameterList AlsModel::hyperparameters() const {
    const AlsConfig& c = config_;
    return {
        {"k",
         std::to_string(c.factors),
         "Factors (k)",
         "Length of the user and movie vectors. More factors fit finer taste but need more "
         "regularisation; 10-50 is typical.",
         1,
         256,
         true,
         {}},
        {"lambda",
         formatReal(c.lambda),
         "Factor regularisation (lambda)",
         "Penalty on the factor vectors. With weighted regularisation it is multiplied by each "
         "user's or movie's number of ratings (typical 0.02-0.1); plain: typical 1-20.",
         0,
         1e6,
         false,
         {}},
        {"bias_lambda",
         formatReal(c.biasLambda),
         "Bias regularisation",
         "Penalty on the user and movie biases (weighted like lambda).",
         0,
         1e6,
         false,
         {}},
        {"regularisation",
         c.weightedLambda ? "weighted" : "plain",
         "Regularisation scaling",
         "weighted: lambda times the number of ratings (Zhou et al. 2008); plain: lambda as is.",
         kNoMetric,
         kNoMetric,
         false,
         {"weighted", "plain"}},
        {"iterations",
         std::to_string(c.iterations),
         "Iterations",
         "Alternating sweeps (users, then movies).",
         1,
         1000,
         true,
         {}},
        {"init_sigma",
         formatReal(c.initSigma),
         "Initial spread",
         "Standard deviation of the random initial factors.",
         0,
         10,
         false,
         {}},
        {"seed",
         std::to_string(c.seed),
         "Seed",
         "Seed of the initial factors.",
         0,
         1.8e19,
         true,
         {}},
        {"cg_steps",
         std::to_string(c.cgSteps),
         "Conjugate-gradient steps",
         "0 solves each user and movie exactly (Cholesky); 2-4 uses warm-started conjugate "
         "gradient, faster for large k.",
         0,
         64,
         true,
         {}},
    };
}

void AlsModel::setHyperparameter(const std::string& key, const std::string& value) {
    AlsConfig& c = config_;
    if (setSharedAlsHyperparameter(c, hyperparameters(), key, value)) return;
    if (key == "bias_lambda")
        c.biasLambda = parseRealHyperparameter(key, value, 0, 1e6);
    else if (key == "regularisation") {
        if (value != "weighted" && value != "plain")
            throw std::invalid_argument("regularisation: expected 'weighted' or 'plain', got '" +
                                        value + "'");
        c.weightedLambda = value == "weighted";
    } else
        throw std::invalid_argument("unknown hyper-parameter '" + key + "' for model " + kind());
}

ExplicitSolveParams AlsModel::sideParams() const {
    ExplicitSolveParams p;
    p.lambda = static_cast<float>(config_.lambda);
    p.biasLambda = static_cast<float>(config_.biasLambda);
    p.weighted = config_.weightedLambda;
    p.cgSteps = config_.cgSteps;
    return p;
}

double AlsModel::priorObjective(const TrainData& data) const {
    double s = 0.0;
    for (Eigen::Index i = 0; i < itemFactors_.rows(); ++i) {
        const double w = config_.weightedLambda
                             ? static_cast<double>(data.byItem.rowSize(static_cast<std::size_t>(i)))
                             : 1.0;
        s += w * config_.lambda * static_cast<double>(itemFactors_.row(i).squaredNorm());
    }
    return s;
}

AlsModel::TrainFit AlsModel::trainFit(const TrainData& data) const {
    // One parallel pass over the training ratings gives both the clipped train RMSE and the
    // raw squared error of the objective; per-user partial sums are added in user order, so
    // the result does not depend on the thread count.
    const auto users = static_cast<std::int64_t>(data.userCount());
    std::vector<double> clippedPerUser(static_cast<std::size_t>(users), 0.0);
    std::vector<double> objectivePerUser(static_cast<std::size_t>(users), 0.0);
#pragma omp parallel for schedule(dynamic, 64)
    for (std::int64_t u = 0; u < users; ++u) {
        const auto items = data.byUser.rowIndex(static_cast<std::size_t>(u));
        const auto values = data.byUser.rowValues(static_cast<std::size_t>(u));
        double raw = 0.0, clipped = 0.0;
        for (std::size_t j = 0; j < items.size(); ++j) {
            const float p = predictRaw(static_cast<std::uint32_t>(u), items[j]);
            const double e = static_cast<double>(values[j]) - p;
            const double c = static_cast<double>(values[j]) - clip(p);
            raw += e * e;
            clipped += c * c;
        }
        const double w = config_.weightedLambda ? static_cast<double>(items.size()) : 1.0;
        raw += w * (config_.lambda * userFactors_.row(u).squaredNorm() +
                    config_.biasLambda * static_cast<double>(userBias_[u]) * userBias_[u]);
        objectivePerUser[static_cast<std::size_t>(u)] = raw;
        clippedPerUser[static_cast<std::size_t>(u)] = clipped;
    }
    double objective = 0.0, clipped = 0.0;
    for (double s : objectivePerUser) objective += s;
    for (double s : clippedPerUser) clipped += s;
    for (Eigen::Index i = 0; i < itemBias_.size(); ++i) {
        const double w = config_.weightedLambda
                             ? static_cast<double>(data.byItem.rowSize(static_cast<std::size_t>(i)))
                             : 1.0;
        objective += w * config_.biasLambda * static_cast<double>(itemBias_[i]) * itemBias_[i];
    }
    TrainFit fit;
    fit.objective = objective + priorObjective(data);
    fit.rmse =
        data.trainCount() ? std::sqrt(clipped / static_cast<double>(data.trainCount())) : kNoMetric;
    return fit;
}

double AlsModel::objective(const TrainData& data) const {
    return trainFit(data).objective;
}

FitStatus AlsModel::doFit(const TrainData& data, const FitControl& control,
                          const std::function<bool(const TrainingSnapshot&)>& report) {
    const auto start = Clock::now();
    const int k = config_.factors;
    mu_ = data.globalMean;
    userFactors_.resize(static_cast<Eigen::Index>(data.userCount()), k);
    itemFactors_.resize(static_cast<Eigen::Index>(data.itemCount()), k);
    initFactors(userFactors_, static_cast<float>(config_.initSigma), config_.seed, 0);
    initFactors(itemFactors_, static_cast<float>(config_.initSigma), config_.seed, 1ULL << 40);
    userBias_ = Eigen::VectorXf::Zero(static_cast<Eigen::Index>(data.userCount()));
    itemBias_ = Eigen::VectorXf::Zero(static_cast<Eigen::Index>(data.itemCount()));
    prepareFit(data);
    const float mu = static_cast<float>(mu_);

    for (int it = 1; it <= config_.iterations; ++it) {
        if (control.stopRequested()) return FitStatus::Stopped;
        const auto iterStart = Clock::now();
        ExplicitSolveParams users = sideParams();
        solveExplicitSide(data.byUser, itemFactors_, itemBias_, mu, users, userFactors_, userBias_);
        // A stop here leaves users solved against the current movies: a consistent model.
        if (control.stopRequested()) return FitStatus::Stopped;
        updatePrior(data);
        ExplicitSolveParams items = sideParams();
        items.priorMean = itemPriorMean();
        solveExplicitSide(data.byItem, userFactors_, userBias_, mu, items, itemFactors_, itemBias_);

        TrainingSnapshot s;
        s.iteration = it;
        s.totalIterations = config_.iterations;
        s.seconds = secondsSince(iterStart);
        const auto evalStart = Clock::now();
        if (config_.reportMetrics) {
            const TrainFit fit = trainFit(data);
            s.trainRmse = fit.rmse;
            s.objective = fit.objective;
        }
        control.evaluateInto(*this, s);
        s.evalSeconds = secondsSince(evalStart);
        s.elapsedSeconds = secondsSince(start);
        if (!report(s)) return it == config_.iterations ? FitStatus::Completed : FitStatus::Stopped;
    }
    return FitStatus::Completed;
}

float AlsModel::predictRaw(std::uint32_t user, std::uint32_t item) const {
    return static_cast<float>(mu_) + userBias_[user] + itemBias_[item] +
           userFactors_.row(user).dot(itemFactors_.row(item));
}

void AlsModel::scoreAll(std::uint32_t user, std::span<float> out) const {
    Eigen::Map<Eigen::VectorXf> o(out.data(), static_cast<Eigen::Index>(out.size()));
    o.noalias() = itemFactors_ * userFactors_.row(user).transpose();
    o.array() += itemBias_.array() + (static_cast<float>(mu_) + userBias_[user]);
}

FoldedUser AlsModel::foldIn(std::span<const FoldInRating> ratings) const {
    FoldedUser f;
    std::vector<std::uint32_t> items;
    std::vector<float> values;
    for (const auto& r : ratings) {
        if (r.item >= itemFactors_.rows()) continue;
        f.ratings.push_back(r);
        items.push_back(r.item);
        values.push_back(r.rating);
    }
    solveExplicitRow(items, values, itemFactors_, itemBias_, static_cast<float>(mu_), sideParams(),
                     nullptr, f.factors, f.bias, &f.contributionBasis);
    return f;
}

void AlsModel::scoreAll(const FoldedUser& user, std::span<float> out) const {
    Eigen::Map<Eigen::VectorXf> o(out.data(), static_cast<Eigen::Index>(out.size()));
    if (user.factors.size() != itemFactors_.cols()) {
        o = itemBias_.array() + static_cast<float>(mu_);
        return;
    }
    o.noalias() = itemFactors_ * user.factors;
    o.array() += itemBias_.array() + (static_cast<float>(mu_) + user.bias);
}

std::vector<float> AlsModel::explain(const FoldedUser& user, std::uint32_t item) const {
    if (item >= itemFactors_.rows() || user.contributionBasis.cols() == 0) return {};
    Eigen::VectorXf z(itemFactors_.cols() + 1);
    z[0] = 1.0f;
    z.tail(itemFactors_.cols()) = itemFactors_.row(item).transpose();
    const Eigen::VectorXf c = user.contributionBasis.transpose() * z;
    return {c.data(), c.data() + c.size()};
}

std::vector<float> AlsModel::itemBiases() const {
    return {itemBias_.data(), itemBias_.data() + itemBias_.size()};
}

void AlsModel::writePayload(ModelWriter& out) const {
    out.f64(mu_);
    out.matrix(userFactors_);
    out.matrix(itemFactors_);
    out.vector(userBias_);
    out.vector(itemBias_);
}

void AlsModel::readPayload(ModelReader& in) {
    mu_ = in.f64();
    userFactors_ = in.matrix();
    itemFactors_ = in.matrix();
    userBias_ = in.vector();
    itemBias_ = in.vector();
    const auto users = static_cast<Eigen::Index>(userCount()),
               items = static_cast<Eigen::Index>(itemCount());
    if (userFactors_.rows() != users || itemFactors_.rows() != items ||
        userFactors_.cols() != config_.factors || itemFactors_.cols() != config_.factors ||
        userBias_.size() != users || itemBias_.size() != items)
        in.fail("corrupt model file (factor matrix sizes do not match the id maps and k)");
}

}  // namespace lens
