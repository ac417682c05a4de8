#include "models/EaseModel.h"

#include <Eigen/Core>
#include <algorithm>
#include <armadillo>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "models/ModelFile.h"
#include "models/TrainData.h"
#include "util/HugePages.h"
#include "util/Stopwatch.h"

namespace lens {

namespace {

using Clock = SteadyClock;

std::string withThousands(std::uint64_t v) {
    std::string digits = std::to_string(v), out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return out;
}

std::string gigabytes(double bytes) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f GB", bytes / 1e9);
    return buf;
}

}  // namespace

HyperparameterList EaseModel::hyperparameters() const {
    return {
        {"lambda",
         formatReal(config_.lambda),
         "Regularisation (lambda)",
         "Added to the diagonal of X^T X; larger values shrink the item-item weights. Typical "
         "50-1000 (more for larger datasets).",
         1e-3,
         1e7,
         false,
         {}},
        {"seed",
         std::to_string(config_.seed),
         "Seed",
         "Kept for comparison with other models; EASE has no randomness.",
         0,
         1.8e19,
         true,
         {}},
    };
}

void EaseModel::setHyperparameter(const std::string& key, const std::string& value) {
    if (key == "lambda")
        config_.lambda = parseRealHyperparameter(key, value, 1e-3, 1e7);
    else if (key == "seed")
        config_.seed = parseSeedHyperparameter(key, value);
    else
        throw std::invalid_argument("unknown hyper-parameter '" + key + "' for model " + kind());
}

std::size_t EaseModel::minRatingsForLimit(const TrainData& data, std::size_t limit) {
    std::vector<std::size_t> counts;
    counts.reserve(data.byItem.rows());
    for (std::size_t i = 0; i < data.byItem.rows(); ++i)
        if (data.byItem.rowSize(i) > 0) counts.push_back(data.byItem.rowSize(i));
    if (counts.size() <= limit) return 1;
    // The (limit + 1)-th largest count must be excluded: N = that count + 1.
    std::nth_element(counts.begin(), counts.begin() + static_cast<std::ptrdiff_t>(limit),
                     counts.end(), std::greater<>());
    return counts[limit] + 1;
}

void EaseModel::clearWeights() {
    ratedItems_.clear();
    column_.assign(itemCount(), -1);
    weights_.resize(0, 0);
    userOffsets_.assign(userCount() + 1, 0);
    userColumns_.clear();
}

void EaseModel::indexColumns() {
    column_.assign(itemCount(), -1);
    for (std::size_t c = 0; c < ratedItems_.size(); ++c)
        column_[ratedItems_[c]] = static_cast<std::int32_t>(c);
}

FitStatus EaseModel::doFit(const TrainData& data, const FitControl& control,
                           const std::function<bool(const TrainingSnapshot&)>& report) {
    const auto start = Clock::now();
    clearWeights();
    // The catalogue: movies with at least one training rating.
    std::vector<std::uint32_t> rated;
    for (std::size_t i = 0; i < data.itemCount() && i < data.byItem.rows(); ++i)
        if (data.byItem.rowSize(i) > 0) rated.push_back(static_cast<std::uint32_t>(i));
    const std::size_t n = rated.size();
    if (n > config_.maxRatedItems) {
        const double bytes = static_cast<double>(n) * static_cast<double>(n) * 4.0;
        throw std::length_error(
            "EASE: " + withThousands(n) + " rated movies need a dense " + withThousands(n) + " x " +
            withThousands(n) + " float matrix of about " + gigabytes(bytes) + " (limit " +
            withThousands(config_.maxRatedItems) + " movies); train on movies with at least " +
            std::to_string(minRatingsForLimit(data, config_.maxRatedItems)) + " ratings");
    }
    if (control.stopRequested()) return FitStatus::Stopped;  // untrained: no weights

    const auto solveStart = Clock::now();
    ratedItems_ = std::move(rated);
    indexColumns();
    const auto cols = static_cast<std::int64_t>(n);
    const auto size = static_cast<Eigen::Index>(n);

    // G = X^T X + lambda I, lower triangle: G_ij counts the users who rated both i and j, an
    // exact integer whatever the thread count. Each task zeroes and fills its own column: for
    // each user who rated item c, the items of the user's row from c on (rows are ascending, and
    // so are the columns of rated items; `from` holds where c sits in each of those rows). The
    // strict upper triangle stays unwritten until the weights fill it; the matrix's pages are
    // 2 MB ones where the kernel gives them (a dense ML-20M catalogue is 2.9 GB: zeroing it in
    // 4 KB page faults took 8 s).
    std::vector<std::uint32_t> from(data.byItem.nnz());
    {
        std::vector<std::uint64_t> cursor(data.byItem.offsets.begin(),
                                          data.byItem.offsets.end() - 1);
        for (std::size_t u = 0; u < data.byUser.rows(); ++u) {
            const auto row = data.byUser.rowIndex(u);
            for (std::size_t p = 0; p < row.size(); ++p)
                from[cursor[row[p]]++] = static_cast<std::uint32_t>(p);
        }
    }
    Eigen::MatrixXf m(size, size);
    adviseHugePages(m.data(), n * n * sizeof(float));
#pragma omp parallel for schedule(dynamic, 16)
    for (std::int64_t c = 0; c < cols; ++c) {
        float* column = m.col(c).data();
        std::fill(column + c, column + cols, 0.0f);
        const std::uint32_t item = ratedItems_[static_cast<std::size_t>(c)];
        const auto users = data.byItem.rowIndex(item);
        const std::uint32_t* start = from.data() + data.byItem.offsets[item];
        for (std::size_t k = 0; k < users.size(); ++k) {
            const auto row = data.byUser.rowIndex(users[k]);
            for (std::size_t p = start[k]; p < row.size(); ++p) column[column_[row[p]]] += 1.0f;
        }
        column[c] += static_cast<float>(config_.lambda);
    }
    from = {};

    // G = L L^T in place (lower triangle); float32 keeps B within 1e-4 of a double inverse for
    // lambda >= ~1 (tst_ease), since the eigenvalues of G are at least lambda. LAPACK's spotrf
    // (OpenBLAS's, threaded, through Armadillo's Fortran bindings): n^3 / 3 flops that Eigen
    // (parallelism off in the engine) would do on one core.
    char lower = 'L';
    arma::blas_int order = static_cast<arma::blas_int>(size), info = 0;
    arma::lapack::potrf(&lower, &order, m.data(), &order, &info);
    if (info != 0)
        throw std::runtime_error("EASE: X^T X + lambda I is not positive definite (lambda " +
                                 formatReal(config_.lambda) + ")");
    if (control.stopRequested()) {
        clearWeights();
        return FitStatus::Stopped;
    }

    // P = G^-1 = L^-T L^-1 in the lower triangle: LAPACK's spotri (OpenBLAS's own threaded
    // trtri and lauum, 2 n^3 / 3 flops near the GEMM rate; Eigen's triangular solves per column
    // block did the same flops at about half that rate).
    arma::lapack::potri(&lower, &order, m.data(), &order, &info);
    if (info != 0)
        throw std::runtime_error("EASE: X^T X + lambda I could not be inverted (lambda " +
                                 formatReal(config_.lambda) + ")");
    if (control.stopRequested()) {
        clearWeights();
        return FitStatus::Stopped;
    }
    const Eigen::VectorXf pDiagonal = m.diagonal();

    // B_ij = -P_ij / P_jj, B_jj = 0, stored transposed: W(j, i) = B_ij. Task j reads P_ij
    // (i < j) at (j, i) and writes (i, j) and (j, i): no two tasks touch the same entry.
#pragma omp parallel for schedule(dynamic, 16)
    for (std::int64_t j = 0; j < cols; ++j) {
        for (std::int64_t i = 0; i < j; ++i) {
            const float p = m(j, i);
            m(i, j) = -p / pDiagonal(i);  // W(i, j) = B_ji
            m(j, i) = -p / pDiagonal(j);  // W(j, i) = B_ij
        }
        m(j, j) = 0.0f;
    }
    weights_ = std::move(m);

    // The training rows, as columns.
    userOffsets_.assign(data.userCount() + 1, 0);
    userColumns_.clear();
    userColumns_.reserve(data.byUser.nnz());
    for (std::size_t u = 0; u < data.userCount(); ++u) {
        for (std::uint32_t j : data.byUser.rowIndex(u))
            userColumns_.push_back(static_cast<std::uint32_t>(column_[j]));
        userOffsets_[u + 1] = userColumns_.size();
    }

    TrainingSnapshot s;
    s.iteration = 1;
    s.totalIterations = 1;
    s.seconds = secondsSince(solveStart);
    const auto evalStart = Clock::now();
    if (static_cast<double>(userColumns_.size()) * static_cast<double>(n) <= config_.lossBudget)
        s.objective = loss();
    control.evaluateInto(*this, s);
    s.evalSeconds = secondsSince(evalStart);
    s.elapsedSeconds = secondsSince(start);
    // The one iteration is done; a caller that asks to stop at its report gets Stopped, as the
    // contract says, with the finished model.
    return report(s) ? FitStatus::Completed : FitStatus::Stopped;
}

double EaseModel::loss() const {
    if (weights_.size() == 0) return kNoMetric;
    const auto users = static_cast<std::int64_t>(userOffsets_.size()) - 1;
    std::vector<double> perUser(static_cast<std::size_t>(std::max<std::int64_t>(users, 0)), 0.0);
#pragma omp parallel for schedule(dynamic, 16)
    for (std::int64_t u = 0; u < users; ++u) {
        const auto first = userOffsets_[static_cast<std::size_t>(u)];
        const auto last = userOffsets_[static_cast<std::size_t>(u) + 1];
        const std::span<const std::uint32_t> columns(userColumns_.data() + first, last - first);
        const Eigen::VectorXf s = columnScores(columns);
        // ||x - s||^2 = ||s||^2 - 2 sum_(k rated) s_k + n_u.
        double v = static_cast<double>(s.squaredNorm()) + static_cast<double>(columns.size());
        for (std::uint32_t k : columns) v -= 2.0 * static_cast<double>(s(k));
        perUser[static_cast<std::size_t>(u)] = v;
    }
    double total = config_.lambda * static_cast<double>(weights_.squaredNorm());
    for (double v : perUser) total += v;
    return total;
}

Eigen::VectorXf EaseModel::columnScores(std::span<const std::uint32_t> columns) const {
    Eigen::VectorXf s = Eigen::VectorXf::Zero(weights_.rows());
    for (std::uint32_t k : columns) s += weights_.col(k);
    return s;
}

void EaseModel::spreadScores(const Eigen::VectorXf& columnScores, std::span<float> out) const {
    std::fill(out.begin(), out.end(), weights_.size() ? kUnscored : 0.0f);
    for (std::size_t c = 0;
         c < ratedItems_.size() && c < static_cast<std::size_t>(columnScores.size()); ++c)
        if (ratedItems_[c] < out.size())
            out[ratedItems_[c]] = columnScores(static_cast<Eigen::Index>(c));
}

float EaseModel::weight(std::uint32_t from, std::uint32_t to) const {
    if (weights_.size() == 0 || from >= column_.size() || to >= column_.size()) return 0.0f;
    const std::int32_t a = column_[from], b = column_[to];
    return a < 0 || b < 0 ? 0.0f : weights_(b, a);
}

float EaseModel::predictRaw(std::uint32_t user, std::uint32_t item) const {
    if (weights_.size() == 0) return 0.0f;
    if (item >= column_.size() || column_[item] < 0 || user + 1 >= userOffsets_.size())
        return kUnscored;
    const Eigen::Index c = column_[item];
    float s = 0.0f;
    for (auto e = userOffsets_[user]; e < userOffsets_[user + 1]; ++e)
        s += weights_(c, userColumns_[e]);
    return s;
}

void EaseModel::scoreAll(std::uint32_t user, std::span<float> out) const {
    if (weights_.size() == 0 || user + 1 >= userOffsets_.size()) {
        spreadScores({}, out);
        return;
    }
    const auto first = userOffsets_[user], last = userOffsets_[user + 1];
    spreadScores(columnScores({userColumns_.data() + first, last - first}), out);
}

FoldedUser EaseModel::foldIn(std::span<const FoldInRating> ratings) const {
    // The persona's binary row: every listed movie counts once, whatever its rating.
    FoldedUser f;
    std::vector<std::uint8_t> seen(itemCount(), 0);
    for (const auto& r : ratings) {
        if (r.item >= itemCount() || seen[r.item]) continue;
        seen[r.item] = 1;
        f.ratings.push_back(r);
    }
    return f;
}

void EaseModel::scoreAll(const FoldedUser& user, std::span<float> out) const {
    if (weights_.size() == 0) {
        spreadScores({}, out);
        return;
    }
    std::vector<std::uint32_t> columns;
    for (const auto& r : user.ratings)
        if (r.item < column_.size() && column_[r.item] >= 0)
            columns.push_back(static_cast<std::uint32_t>(column_[r.item]));
    spreadScores(columnScores(columns), out);
}

std::vector<float> EaseModel::explain(const FoldedUser& user, std::uint32_t item) const {
    if (weights_.size() == 0 || item >= column_.size() || column_[item] < 0) return {};
    std::vector<float> contributions;
    contributions.reserve(user.ratings.size());
    for (const auto& r : user.ratings) contributions.push_back(weight(r.item, item));
    return contributions;
}

void EaseModel::writePayload(ModelWriter& out) const {
    out.f64(config_.lambda);
    out.u64(ratedItems_.size());
    out.raw(ratedItems_.data(), ratedItems_.size() * sizeof(std::uint32_t));
    // W = B^T, column-major as held (a float matrix of n x n; no row-major copy of it).
    out.u64(static_cast<std::uint64_t>(weights_.rows()));
    out.raw(weights_.data(), static_cast<std::size_t>(weights_.size()) * sizeof(float));
    out.u64(userColumns_.size());
    out.raw(userColumns_.data(), userColumns_.size() * sizeof(std::uint32_t));
    for (std::size_t u = 0; u + 1 < userOffsets_.size(); ++u)
        out.u32(static_cast<std::uint32_t>(userOffsets_[u + 1] - userOffsets_[u]));
}

void EaseModel::readPayload(ModelReader& in) {
    const double lambda = in.f64();
    if (!(lambda >= 1e-3 && lambda <= 1e7)) in.fail("corrupt model file (EASE lambda)");
    config_.lambda = lambda;
    const std::uint64_t n = in.u64();
    if (n > itemCount() || n > in.remaining() / sizeof(std::uint32_t))
        in.fail("corrupt model file (EASE rated movies: " + std::to_string(n) + ")");
    ratedItems_.resize(n);
    in.raw(ratedItems_.data(), n * sizeof(std::uint32_t));
    for (std::size_t c = 0; c < n; ++c)
        if (ratedItems_[c] >= itemCount() || (c && ratedItems_[c] <= ratedItems_[c - 1]))
            in.fail("corrupt model file (EASE rated movie index out of order or range)");
    indexColumns();
    const std::uint64_t rows = in.u64();
    if (rows != (n == 0 ? 0 : n) || (n && n > in.remaining() / sizeof(float) / n))
        in.fail("corrupt model file (EASE weight matrix does not match the rated movies)");
    weights_.resize(static_cast<Eigen::Index>(rows), static_cast<Eigen::Index>(rows));
    in.raw(weights_.data(), static_cast<std::size_t>(weights_.size()) * sizeof(float));
    const std::uint64_t entries = in.u64();
    if (entries > in.remaining() / sizeof(std::uint32_t))
        in.fail("corrupt model file (EASE training rows)");
    userColumns_.resize(entries);
    in.raw(userColumns_.data(), entries * sizeof(std::uint32_t));
    for (std::uint32_t c : userColumns_)
        if (c >= n) in.fail("corrupt model file (EASE training row names an unrated movie)");
    userOffsets_.assign(userCount() + 1, 0);
    for (std::size_t u = 0; u < userCount(); ++u) {
        userOffsets_[u + 1] = userOffsets_[u] + in.u32();
        if (userOffsets_[u + 1] > entries) in.fail("corrupt model file (EASE training rows)");
    }
    if (userOffsets_.back() != entries) in.fail("corrupt model file (EASE training rows)");
}

}  // namespace lens
