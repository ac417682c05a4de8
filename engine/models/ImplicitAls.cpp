#include "models/ImplicitAls.h"

#include <chrono>
#include <stdexcept>

#include "models/AlsHyperparameters.h"
#include "models/ModelFile.h"
#include "models/TrainData.h"
#include "util/Stopwatch.h"

namespace lens {

namespace {
using Clock = SteadyClock;
}  // namespace

HyperparameterList ImplicitAls::hyperparameters() const {
    const ImplicitAlsConfig& c = config_;
    return {
        {"k",
         std::to_string(c.factors),
         "Factors (k)",
         "Length of the user and movie vectors.",
         1,
         256,
         true,
         {}},
        {"lambda",
         formatReal(c.lambda),
         "Regularisation (lambda)",
         "Penalty on all factor vectors (not scaled by counts); typical 1-50.",
         0,
         1e6,
         false,
         {}},
        {"alpha",
         formatReal(c.alpha),
         "Confidence scale (alpha)",
         "Confidence of a rated movie is 1 + alpha * rating (or 1 + alpha).",
         0,
         1e6,
         false,
         {}},
        {"confidence",
         c.scaleByRating ? "rating" : "constant",
         "Confidence",
         "rating: 1 + alpha * r; constant: 1 + alpha for every rated movie.",
         kNoMetric,
         kNoMetric,
         false,
         {"rating", "constant"}},
        {"iterations",
         std::to_string(c.iterations),
         "Iterations",
         "Alternating sweeps.",
         1,
         1000,
         true,
         {}},
        {"init_sigma",
         formatReal(c.initSigma),
         "Initial spread",
         "Std. dev. of the initial factors.",
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
         "0: exact Cholesky; 2-4: warm-started conjugate gradient.",
         0,
         64,
         true,
         {}},
        {"eval_every",
         std::to_string(c.evalEvery),
         "Ranking metrics every",
         "Compute HR@10 / NDCG@10 (100 sampled negatives) every N iterations; 0: only at the end.",
         0,
         1000,
         true,
         {}},
    };
}

void ImplicitAls::setHyperparameter(const std::string& key, const std::string& value) {
    ImplicitAlsConfig& c = config_;
    if (setSharedAlsHyperparameter(c, hyperparameters(), key, value)) return;
    if (key == "alpha")
        c.alpha = parseRealHyperparameter(key, value, 0, 1e6);
    else if (key == "confidence") {
        if (value != "rating" && value != "constant")
            throw std::invalid_argument("confidence: expected 'rating' or 'constant', got '" +
                                        value + "'");
        c.scaleByRating = value == "rating";
    } else if (key == "eval_every")
        c.evalEvery = parseIntHyperparameter(key, value, 0, 1000);
    else
        throw std::invalid_argument("unknown hyper-parameter '" + key + "' for model " + kind());
}

ImplicitSolveParams ImplicitAls::solveParams() const {
    ImplicitSolveParams p;
    p.lambda = static_cast<float>(config_.lambda);
    p.alpha = static_cast<float>(config_.alpha);
    p.scaleByRating = config_.scaleByRating;
    p.cgSteps = config_.cgSteps;
    return p;
}

double ImplicitAls::loss(const TrainData& data) const {
    // sum over all cells = sum_u [x_u^T (Y^T Y) x_u + sum_(j rated) (c_j (1 - s_j)^2 - s_j^2)].
    const Eigen::MatrixXf gram = gramOf(itemFactors_);
    const ImplicitSolveParams p = solveParams();
    const auto users = static_cast<std::int64_t>(data.userCount());
    std::vector<double> perUser(static_cast<std::size_t>(users), 0.0);
#pragma omp parallel for schedule(dynamic, 64)
    for (std::int64_t u = 0; u < users; ++u) {
        const Eigen::VectorXf x = userFactors_.row(u).transpose();
        double s = static_cast<double>(x.dot(gram * x));
        const auto items = data.byUser.rowIndex(static_cast<std::size_t>(u));
        const auto values = data.byUser.rowValues(static_cast<std::size_t>(u));
        for (std::size_t j = 0; j < items.size(); ++j) {
            const double pred = x.dot(itemFactors_.row(items[j]).transpose());
            const double c = implicitConfidence(p, values[j]);
            s += c * (1.0 - pred) * (1.0 - pred) - pred * pred;
        }
        perUser[static_cast<std::size_t>(u)] =
            s + config_.lambda * static_cast<double>(x.squaredNorm());
    }
    double total = config_.lambda * static_cast<double>(itemFactors_.squaredNorm());
    for (double s : perUser) total += s;
    return total;
}

FitStatus ImplicitAls::doFit(const TrainData& data, const FitControl& control,
                             const std::function<bool(const TrainingSnapshot&)>& report) {
    const auto start = Clock::now();
    const int k = config_.factors;
    userFactors_.resize(static_cast<Eigen::Index>(data.userCount()), k);
    itemFactors_.resize(static_cast<Eigen::Index>(data.itemCount()), k);
    initFactors(userFactors_, static_cast<float>(config_.initSigma), config_.seed, 0);
    initFactors(itemFactors_, static_cast<float>(config_.initSigma), config_.seed, 1ULL << 40);
    const ImplicitSolveParams params = solveParams();
    FitStatus status = FitStatus::Completed;
    for (int it = 1; it <= config_.iterations; ++it) {
        if (control.stopRequested()) {
            status = FitStatus::Stopped;
            break;
        }
        const auto iterStart = Clock::now();
        solveImplicitSide(data.byUser, itemFactors_, params, userFactors_);
        if (control.stopRequested()) {
            status = FitStatus::Stopped;
            break;
        }
        solveImplicitSide(data.byItem, userFactors_, params, itemFactors_);
        TrainingSnapshot s;
        s.iteration = it;
        s.totalIterations = config_.iterations;
        s.seconds = secondsSince(iterStart);
        const auto evalStart = Clock::now();
        if (config_.reportLoss) s.objective = loss(data);
        if (config_.evalEvery > 0 && (it % config_.evalEvery == 0 || it == config_.iterations))
            control.evaluateInto(*this, s);
        s.evalSeconds = secondsSince(evalStart);
        s.elapsedSeconds = secondsSince(start);
        if (!report(s)) {
            if (it < config_.iterations) status = FitStatus::Stopped;
            break;
        }
    }
    itemGram_ = gramOf(itemFactors_);
    return status;
}

float ImplicitAls::predictRaw(std::uint32_t user, std::uint32_t item) const {
    return userFactors_.row(user).dot(itemFactors_.row(item));
}

void ImplicitAls::scoreAll(std::uint32_t user, std::span<float> out) const {
    Eigen::Map<Eigen::VectorXf> o(out.data(), static_cast<Eigen::Index>(out.size()));
    o.noalias() = itemFactors_ * userFactors_.row(user).transpose();
}

FoldedUser ImplicitAls::foldIn(std::span<const FoldInRating> ratings) const {
    FoldedUser f;
    std::vector<std::uint32_t> items;
    std::vector<float> values;
    for (const auto& r : ratings) {
        if (r.item >= itemFactors_.rows()) continue;
        f.ratings.push_back(r);
        items.push_back(r.item);
        values.push_back(r.rating);
    }
    solveImplicitRow(items, values, itemFactors_, itemGram_, solveParams(), f.factors,
                     &f.contributionBasis);
    return f;
}

void ImplicitAls::scoreAll(const FoldedUser& user, std::span<float> out) const {
    Eigen::Map<Eigen::VectorXf> o(out.data(), static_cast<Eigen::Index>(out.size()));
    if (user.factors.size() != itemFactors_.cols()) {
        o.setZero();
        return;
    }
    o.noalias() = itemFactors_ * user.factors;
}

std::vector<float> ImplicitAls::explain(const FoldedUser& user, std::uint32_t item) const {
    if (item >= itemFactors_.rows() || user.contributionBasis.cols() == 0) return {};
    const Eigen::VectorXf c =
        user.contributionBasis.transpose() * itemFactors_.row(item).transpose();
    return {c.data(), c.data() + c.size()};
}

void ImplicitAls::writePayload(ModelWriter& out) const {
    out.matrix(userFactors_);
    out.matrix(itemFactors_);
}

void ImplicitAls::readPayload(ModelReader& in) {
    userFactors_ = in.matrix();
    itemFactors_ = in.matrix();
    if (userFactors_.rows() != static_cast<Eigen::Index>(userCount()) ||
        itemFactors_.rows() != static_cast<Eigen::Index>(itemCount()) ||
        userFactors_.cols() != config_.factors || itemFactors_.cols() != config_.factors)
        in.fail("corrupt model file (factor matrix sizes do not match the id maps and k)");
    itemGram_ = gramOf(itemFactors_);
}

}  // namespace lens
