#include "models/BpmfModel.h"

#include <Eigen/Cholesky>
#include <Eigen/Dense>
#include <cmath>
#include <stdexcept>

#include "models/GenrePriorAls.h"
#include "models/ModelFile.h"
#include "models/TrainData.h"
#include "util/Stopwatch.h"

namespace lens {

namespace {

using Clock = SteadyClock;

// Streams of one sweep: the two hyper-parameter draws and the two sides' rows.
enum SweepStream : std::uint64_t {
    kItemHyper = 0,
    kUserHyper = 1,
    kUsers = 2,
    kItems = 3,
    kGenreWeights = 4
};

std::uint64_t sweepSeed(std::uint64_t seed, int sweep, SweepStream stream) {
    return deriveSeed(deriveSeed(seed, 0xB9F0000ULL + static_cast<std::uint64_t>(sweep)), stream);
}

// U_u . V_i without biases; p_u . q_i + b_u + b_i with them (the rows' last column is the bias).
inline float pairScore(const float* u, const float* v, Eigen::Index k, bool biases) {
    float s = 0.0f;
    for (Eigen::Index c = 0; c < k; ++c) s += u[c] * v[c];
    return biases ? s + u[k] + v[k] : s;
}

}  // namespace

HyperparameterList BpmfModel::hyperparameters() const {
    const BpmfConfig& c = config_;
    return {
        {"k",
         std::to_string(c.factors),
         "Factors (k)",
         "Length of the user and movie vectors. Sampling averages over many draws, so BPMF "
         "overfits less than ALS as k grows; 10-40 is typical. Each stored sample keeps "
         "(users + movies) x k floats.",
         1,
         256,
         true,
         {}},
        {"sweeps",
         std::to_string(c.sweeps),
         "Gibbs sweeps",
         "Total sweeps (hyper-parameters, then every user, then every movie). Sweeps after the "
         "burn-in are the samples averaged into the prediction.",
         1,
         10000,
         true,
         {}},
        {"burn_in",
         std::to_string(c.burnIn),
         "Burn-in sweeps",
         "Sweeps discarded before samples are kept (the chain forgets its random start). At "
         "or above the sweeps, the last draw is the only sample.",
         0,
         10000,
         true,
         {}},
        {"thin",
         std::to_string(c.thin),
         "Keep every n-th sample",
         "After the burn-in, keep one sweep in `thin` as a sample (1: every sweep). Each sample "
         "holds (users + movies) x k floats: on large data, thinning saves memory at little cost "
         "in accuracy (successive Gibbs draws are strongly correlated).",
         1,
         10000,
         true,
         {}},
        {"alpha",
         formatReal(c.alpha),
         "Rating precision (alpha)",
         "1 / noise variance of a rating around the model (Salakhutdinov & Mnih: 2; 1.5 was "
         "best on validation). Larger trusts the ratings more against the prior.",
         1e-3,
         1e3,
         false,
         {}},
        {"beta0",
         formatReal(c.beta0),
         "Prior strength (beta0)",
         "Normal-Wishart prior: pseudo-count of the prior on the factor means (paper: 2).",
         1e-6,
         1e6,
         false,
         {}},
        {"biases",
         c.biases ? "on" : "off",
         "User and movie biases",
         "on: r = mu + p_u . q_i + b_u + b_i, the biases one more coordinate of each vector under "
         "the same prior; off: the paper's r = mu + U_u . V_i.",
         kNoMetric,
         kNoMetric,
         false,
         {"on", "off"}},
        {"genre_prior",
         c.genrePrior ? "on" : "off",
         "Genre prior",
         "on: a movie's prior mean is mu_V plus a mixture of its genres' vectors (sampled too, "
         "as genre-prior ALS learns them), so movies with few ratings lean on their genres; off: "
         "one prior mean for every movie (the paper).",
         kNoMetric,
         kNoMetric,
         false,
         {"on", "off"}},
        {"genre_tau",
         formatReal(c.genreTau),
         "Genre prior precision (tau)",
         "Precision of the Gaussian prior on the genre vectors (with the genre prior on): larger "
         "keeps them nearer 0.",
         1e-6,
         1e6,
         false,
         {}},
        {"init_sigma",
         formatReal(c.initSigma),
         "Initial spread",
         "Standard deviation of the random starting factors.",
         0,
         10,
         false,
         {}},
        {"seed",
         std::to_string(c.seed),
         "Seed",
         "Seed of the starting factors and of every draw: the same seed gives the same model "
         "whatever the thread count.",
         0,
         1.8e19,
         true,
         {}},
    };
}

void BpmfModel::setHyperparameter(const std::string& key, const std::string& value) {
    BpmfConfig& c = config_;
    if (key == "k")
        c.factors = parseIntHyperparameter(key, value, 1, 256);
    else if (key == "sweeps" || key == "iterations")
        c.sweeps = parseIntHyperparameter(key, value, 1, 10000);
    else if (key == "burn_in")
        c.burnIn = parseIntHyperparameter(key, value, 0, 10000);
    else if (key == "thin")
        c.thin = parseIntHyperparameter(key, value, 1, 10000);
    else if (key == "alpha")
        c.alpha = parseRealHyperparameter(key, value, 1e-3, 1e3);
    else if (key == "beta0")
        c.beta0 = parseRealHyperparameter(key, value, 1e-6, 1e6);
    else if (key == "biases") {
        if (value != "on" && value != "off")
            throw std::invalid_argument("biases: expected 'on' or 'off', got '" + value + "'");
        c.biases = value == "on";
    } else if (key == "genre_prior") {
        if (value != "on" && value != "off")
            throw std::invalid_argument("genre_prior: expected 'on' or 'off', got '" + value + "'");
        c.genrePrior = value == "on";
    } else if (key == "genre_tau")
        c.genreTau = parseRealHyperparameter(key, value, 1e-6, 1e6);
    else if (key == "init_sigma")
        c.initSigma = parseRealHyperparameter(key, value, 0, 10);
    else if (key == "seed")
        c.seed = parseSeedHyperparameter(key, value);
    else
        throw std::invalid_argument("unknown hyper-parameter '" + key + "' for model " + kind());
}

void BpmfModel::addTrainPredictions(const TrainData& data, const FactorMatrix& users,
                                    const FactorMatrix& items, std::vector<float>& sums,
                                    double* squaredError) const {
    // Adds the current draw's prediction of every training rating to `sums`; `squaredError`
    // receives the draw's data term. Per-user partial sums added in user order.
    const auto userCount = static_cast<std::int64_t>(data.userCount());
    std::vector<double> perUser(static_cast<std::size_t>(userCount), 0.0);
#pragma omp parallel for schedule(dynamic, 64)
    for (std::int64_t u = 0; u < userCount; ++u) {
        const auto row = static_cast<std::size_t>(u);
        const auto idx = data.byUser.rowIndex(row);
        const auto values = data.byUser.rowValues(row);
        float* s = sums.data() + data.byUser.offsets[row];
        double sse = 0.0;
        const Eigen::Index k = config_.factors;
        for (std::size_t j = 0; j < idx.size(); ++j) {
            const float p =
                pairScore(users.row(u).data(), items.row(idx[j]).data(), k, config_.biases);
            s[j] += p;
            const double e = static_cast<double>(values[j]) - mu_ - p;
            sse += e * e;
        }
        perUser[row] = sse;
    }
    if (squaredError) {
        *squaredError = 0.0;
        for (double v : perUser) *squaredError += v;
    }
}

FitStatus BpmfModel::doFit(const TrainData& data, const FitControl& control,
                           const std::function<bool(const TrainingSnapshot&)>& report) {
    const auto start = Clock::now();
    const Eigen::Index k = width();
    mu_ = data.globalMean;
    samples_.clear();
    users_.resize(static_cast<Eigen::Index>(data.userCount()), k);
    items_.resize(static_cast<Eigen::Index>(data.itemCount()), k);
    initFactors(users_, static_cast<float>(config_.initSigma), config_.seed, 0);
    initFactors(items_, static_cast<float>(config_.initSigma), config_.seed, 1ULL << 40);
    userHyper_.mean = Eigen::VectorXf::Zero(k);
    userHyper_.precision = Eigen::MatrixXf::Identity(k, k);
    const float mu = static_cast<float>(mu_);
    const float alpha = static_cast<float>(config_.alpha);
    NormalWishartPrior prior;
    prior.beta0 = config_.beta0;
    std::vector<float> sums(data.trainCount(), 0.0f), scratch(data.trainCount(), 0.0f);
    // The genre prior: F (movies x genres), Theta (genres x k) from 0, shift = F Theta.
    const bool genrePrior = config_.genrePrior && !data.genres.empty() && data.genreCount > 0;
    const Eigen::MatrixXf genres =
        genrePrior ? GenrePriorAls::genreMatrix(data.genres, data.genreCount) : Eigen::MatrixXf();
    FactorMatrix shift;
    if (genrePrior) shift = FactorMatrix::Zero(items_.rows(), k);
    const FactorMatrix* itemShift = genrePrior ? &shift : nullptr;
    PackedFactors packed;  // the side drawn against, repacked (memory reused by both sides)

    // A stop leaves the current draw as the only sample when none was kept yet.
    auto finish = [&](FitStatus status) {
        if (samples_.empty()) samples_.push_back({users_, items_, userHyper_});
        users_ = {};
        items_ = {};
        return status;
    };

    for (int sweep = 1; sweep <= config_.sweeps; ++sweep) {
        if (control.stopRequested()) return finish(FitStatus::Stopped);
        const auto sweepStart = Clock::now();
        Pcg32 itemRng(sweepSeed(config_.seed, sweep, kItemHyper));
        const GaussianHyper itemHyper =
            sampleHyper(normalWishartPosterior(items_, data.byItem, prior, itemShift), itemRng);
        Pcg32 userRng(sweepSeed(config_.seed, sweep, kUserHyper));
        userHyper_ = sampleHyper(normalWishartPosterior(users_, data.byUser, prior), userRng);
        sampleSide(data.byUser, items_, alpha, mu, userHyper_, config_.biases,
                   sweepSeed(config_.seed, sweep, kUsers), users_, nullptr, &packed);
        // A stop here leaves users drawn against the current movies: a consistent draw.
        if (control.stopRequested()) return finish(FitStatus::Stopped);
        sampleSide(data.byItem, users_, alpha, mu, itemHyper, config_.biases,
                   sweepSeed(config_.seed, sweep, kItems), items_, itemShift, &packed);
        if (genrePrior) {
            Pcg32 genreRng(sweepSeed(config_.seed, sweep, kGenreWeights));
            const Eigen::MatrixXf theta = sampleGenreWeights(
                genreWeightsConditional(items_, data.byItem, genres, itemHyper, config_.genreTau),
                genres.cols(), genreRng);
            shift.noalias() = genres * theta;
        }
        const bool isSample =
            sweep > config_.burnIn && (sweep - config_.burnIn) % config_.thin == 0;
        if (isSample) samples_.push_back({users_, items_, userHyper_});

        TrainingSnapshot s;
        s.iteration = sweep;
        s.totalIterations = config_.sweeps;
        s.seconds = secondsSince(sweepStart);
        const auto evalStart = Clock::now();
        double drawSse = 0.0;
        // The training RMSE is that of the prediction: the kept samples' average once there
        // is one (a thinned-out sweep shows the average so far), else the current draw.
        if (!isSample) std::fill(scratch.begin(), scratch.end(), 0.0f);
        addTrainPredictions(data, users_, items_, isSample ? sums : scratch, &drawSse);
        const bool averaged = !samples_.empty();
        const std::vector<float>& target = averaged ? sums : scratch;
        const double count = averaged ? static_cast<double>(samples_.size()) : 1.0;
        double clipped = 0.0;
        for (std::size_t j = 0; j < target.size(); ++j) {
            const double e = static_cast<double>(data.byUser.values[j]) -
                             clip(mu + static_cast<float>(target[j] / count));
            clipped += e * e;
        }
        s.trainRmse = data.trainCount()
                          ? std::sqrt(clipped / static_cast<double>(data.trainCount()))
                          : kNoMetric;
        s.objective = 0.5 * config_.alpha * drawSse;
        control.evaluateInto(*this, s);
        s.evalSeconds = secondsSince(evalStart);
        s.elapsedSeconds = secondsSince(start);
        if (!report(s))
            return finish(sweep == config_.sweeps ? FitStatus::Completed : FitStatus::Stopped);
    }
    return finish(FitStatus::Completed);
}

float BpmfModel::predictRaw(std::uint32_t user, std::uint32_t item) const {
    const Eigen::Index k = config_.factors;
    if (samples_.empty()) {
        if (users_.rows() == 0) return static_cast<float>(mu_);
        return static_cast<float>(mu_) +
               pairScore(users_.row(user).data(), items_.row(item).data(), k, config_.biases);
    }
    float sum = 0.0f;
    for (const Sample& s : samples_)
        sum += pairScore(s.users.row(user).data(), s.items.row(item).data(), k, config_.biases);
    return static_cast<float>(mu_) + sum / static_cast<float>(samples_.size());
}

void BpmfModel::addScores(const FactorMatrix& items, const Eigen::Ref<const Eigen::VectorXf>& user,
                          Eigen::Ref<Eigen::VectorXf> out) const {
    const Eigen::Index k = config_.factors;
    out.noalias() += items.leftCols(k) * user.head(k);
    if (config_.biases) out += items.col(k) + Eigen::VectorXf::Constant(out.size(), user[k]);
}

void BpmfModel::scoreAll(std::uint32_t user, std::span<float> out) const {
    Eigen::Map<Eigen::VectorXf> o(out.data(), static_cast<Eigen::Index>(out.size()));
    o.setZero();
    if (samples_.empty()) {
        if (users_.rows() != 0) addScores(items_, users_.row(user).transpose(), o);
    } else {
        for (const Sample& s : samples_) addScores(s.items, s.users.row(user).transpose(), o);
        o /= static_cast<float>(samples_.size());
    }
    o.array() += static_cast<float>(mu_);
}

FoldedUser BpmfModel::foldIn(std::span<const FoldInRating> ratings) const {
    FoldedUser f;
    if (samples_.empty()) return f;
    std::vector<std::uint32_t> items;
    std::vector<float> values;
    const auto itemCount = static_cast<std::uint32_t>(samples_.front().items.rows());
    for (const auto& r : ratings) {
        if (r.item >= itemCount) continue;
        f.ratings.push_back(r);
        items.push_back(r.item);
        values.push_back(r.rating);
    }
    const Eigen::Index d = width(), k = config_.factors;
    const auto count = static_cast<Eigen::Index>(samples_.size());
    const auto n = static_cast<Eigen::Index>(items.size());
    const float alpha = static_cast<float>(config_.alpha), mu = static_cast<float>(mu_);
    f.factors.resize(count * d);
    f.contributionBasis.resize(count * d, n);
    Eigen::MatrixXf precision, z(d, n);
    Eigen::VectorXf mean;
    for (Eigen::Index s = 0; s < count; ++s) {
        const Sample& sample = samples_[static_cast<std::size_t>(s)];
        rowConditional(items, values, sample.items, alpha, mu, sample.userHyper, config_.biases,
                       precision, mean);
        f.factors.segment(s * d, d) = mean;
        if (n == 0) continue;
        const Eigen::LLT<Eigen::MatrixXf> llt(precision);
        for (Eigen::Index j = 0; j < n; ++j) {
            const auto row = sample.items.row(items[static_cast<std::size_t>(j)]);
            // Feature z_j and target t_j of the solve: [q_j, 1] and r_j - mu - b_j with biases.
            z.col(j) = row.transpose();
            float target = values[static_cast<std::size_t>(j)] - mu;
            if (config_.biases) {
                target -= row[k];
                z(k, j) = 1.0f;
            }
            z.col(j) *= alpha * target;
        }
        f.contributionBasis.middleRows(s * d, d) = llt.solve(z) / static_cast<float>(count);
    }
    return f;
}

void BpmfModel::scoreAll(const FoldedUser& user, std::span<float> out) const {
    Eigen::Map<Eigen::VectorXf> o(out.data(), static_cast<Eigen::Index>(out.size()));
    o.setZero();
    if (!samples_.empty()) {
        const Eigen::Index d = width(), k = config_.factors;
        const auto count = static_cast<Eigen::Index>(samples_.size());
        if (user.factors.size() == count * d) {
            for (Eigen::Index s = 0; s < count; ++s)
                addScores(samples_[static_cast<std::size_t>(s)].items,
                          user.factors.segment(s * d, d), o);
            o /= static_cast<float>(count);
        } else if (user.factors.size() == k) {
            // A vector in the posterior-mean space (the Map's), with the mean movie biases.
            const Eigen::MatrixXf items = meanOf(false);
            o.noalias() = items.leftCols(k) * user.factors;
            if (config_.biases) o += items.col(k) + Eigen::VectorXf::Constant(o.size(), user.bias);
        }
    }
    o.array() += static_cast<float>(mu_);
}

std::vector<float> BpmfModel::explain(const FoldedUser& user, std::uint32_t item) const {
    if (samples_.empty() || item >= samples_.front().items.rows() ||
        user.contributionBasis.cols() == 0)
        return {};
    const Eigen::Index d = width(), k = config_.factors;
    const auto count = static_cast<Eigen::Index>(samples_.size());
    if (user.contributionBasis.rows() != count * d) return {};
    // Each sample's feature of the movie: V_i, or [q_i, 1] with biases.
    Eigen::VectorXf stacked(count * d);
    for (Eigen::Index s = 0; s < count; ++s) {
        stacked.segment(s * d, d) = samples_[static_cast<std::size_t>(s)].items.row(item);
        if (config_.biases) stacked[s * d + k] = 1.0f;
    }
    const Eigen::VectorXf c = user.contributionBasis.transpose() * stacked;
    return {c.data(), c.data() + c.size()};
}

Eigen::MatrixXf BpmfModel::meanOf(bool users) const {
    if (samples_.empty()) return {};
    Eigen::MatrixXf m =
        users ? Eigen::MatrixXf(samples_.front().users) : Eigen::MatrixXf(samples_.front().items);
    for (std::size_t s = 1; s < samples_.size(); ++s)
        m += users ? samples_[s].users : samples_[s].items;
    return m / static_cast<float>(samples_.size());
}

Eigen::MatrixXf BpmfModel::itemFactors() const {
    if (samples_.empty()) return {};
    return meanOf(false).leftCols(config_.factors);
}

Eigen::MatrixXf BpmfModel::userFactors() const {
    if (samples_.empty()) return {};
    return meanOf(true).leftCols(config_.factors);
}

std::vector<float> BpmfModel::itemBiases() const {
    if (samples_.empty() || !config_.biases) return {};
    const Eigen::VectorXf b = meanOf(false).col(config_.factors);
    return {b.data(), b.data() + b.size()};
}

void BpmfModel::writePayload(ModelWriter& out) const {
    out.f64(mu_);
    out.u32(static_cast<std::uint32_t>(samples_.size()));
    for (const Sample& s : samples_) {
        out.matrix(s.users);
        out.matrix(s.items);
        out.vector(s.userHyper.mean);
        out.matrix(s.userHyper.precision);
    }
}

void BpmfModel::readPayload(ModelReader& in) {
    mu_ = in.f64();
    const std::uint32_t count = in.u32();
    // Each sample holds at least its two matrix headers (32 bytes): a corrupt count fails here.
    if (count == 0 || static_cast<std::uint64_t>(count) * 32 > in.remaining())
        in.fail("corrupt model file (BPMF sample count " + std::to_string(count) + ")");
    samples_.clear();
    users_ = {};
    items_ = {};
    const auto users = static_cast<Eigen::Index>(userCount()),
               items = static_cast<Eigen::Index>(itemCount());
    const Eigen::Index k = width();
    for (std::uint32_t i = 0; i < count; ++i) {
        Sample s;
        s.users = in.matrix();
        s.items = in.matrix();
        s.userHyper.mean = in.vector();
        s.userHyper.precision = in.matrix();
        if (s.users.rows() != users || s.items.rows() != items || s.users.cols() != k ||
            s.items.cols() != k || s.userHyper.mean.size() != k ||
            s.userHyper.precision.rows() != k || s.userHyper.precision.cols() != k)
            in.fail("corrupt model file (BPMF sample " + std::to_string(i) +
                    ": matrix sizes do not match the id maps, k and biases)");
        samples_.push_back(std::move(s));
    }
}

}  // namespace lens
