#include "models/BpmfSampler.h"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

namespace lens {

namespace {

// Per-thread scratch of the row draws: allocation only while it grows.
struct RowWorkspace {
    std::vector<float> ybuf;  // gathered rows of the other side, n x k row-major
    Eigen::VectorXf t, rhs, mean, z;
    Eigen::MatrixXf a;
    Eigen::LLT<Eigen::MatrixXf> llt;
};

// Lambda* and Lambda* m* (not yet solved) of one row into ws.a / ws.rhs.
void buildSystem(std::span<const std::uint32_t> items, std::span<const float> ratings,
                 const FactorMatrix& other, float alpha, float mu, const GaussianHyper& hyper,
                 const Eigen::VectorXf& priorTerm, bool biases, RowWorkspace& ws) {
    const auto n = static_cast<Eigen::Index>(items.size());
    const auto k = other.cols();
    if (ws.ybuf.size() < static_cast<std::size_t>(n * k))
        ws.ybuf.resize(static_cast<std::size_t>(n * k) * 5 / 4 + 64);
    const std::size_t rowBytes = static_cast<std::size_t>(k) * sizeof(float);
    for (Eigen::Index j = 0; j < n; ++j)
        std::memcpy(ws.ybuf.data() + j * k,
                    other.data() + static_cast<std::size_t>(items[static_cast<std::size_t>(j)]) *
                                       static_cast<std::size_t>(k),
                    rowBytes);
    Eigen::Map<FactorMatrix> y(ws.ybuf.data(), n, k);
    ws.t.resize(n);
    for (Eigen::Index j = 0; j < n; ++j) ws.t[j] = ratings[static_cast<std::size_t>(j)] - mu;
    if (biases) {
        // The other side's last column is its bias b_j: it leaves the target, and the feature
        // in its place is the constant 1 that multiplies this row's own bias.
        for (Eigen::Index j = 0; j < n; ++j) {
            ws.t[j] -= y(j, k - 1);
            y(j, k - 1) = 1.0f;
        }
    }
    ws.a = hyper.precision;
    ws.a.selfadjointView<Eigen::Lower>().rankUpdate(y.transpose(), alpha);
    ws.rhs.noalias() = y.transpose() * ws.t;
    ws.rhs *= alpha;
    ws.rhs += priorTerm;
}

}  // namespace

double sampleGamma(double shape, Pcg32& rng) {
    if (shape < 1.0) {
        double u = rng.uniform();
        while (u <= 0.0) u = rng.uniform();
        return sampleGamma(shape + 1.0, rng) * std::pow(u, 1.0 / shape);
    }
    const double d = shape - 1.0 / 3.0, c = 1.0 / std::sqrt(9.0 * d);
    for (;;) {
        double x = 0.0, v = 0.0;
        do {
            x = rng.normal();
            v = 1.0 + c * x;
        } while (v <= 0.0);
        v = v * v * v;
        const double u = rng.uniform();
        if (u < 1.0 - 0.0331 * x * x * x * x) return d * v;
        if (u > 0.0 && std::log(u) < 0.5 * x * x + d * (1.0 - v + std::log(v))) return d * v;
    }
}

Eigen::MatrixXd sampleWishart(const Eigen::MatrixXd& scale, double dof, Pcg32& rng) {
    const auto k = scale.rows();
    const Eigen::MatrixXd l = scale.llt().matrixL();
    Eigen::MatrixXd a = Eigen::MatrixXd::Zero(k, k);
    for (Eigen::Index i = 0; i < k; ++i) {
        // chi2(m) = 2 Gamma(m / 2)
        a(i, i) = std::sqrt(2.0 * sampleGamma(0.5 * (dof - static_cast<double>(i)), rng));
        for (Eigen::Index j = 0; j < i; ++j) a(i, j) = rng.normal();
    }
    const Eigen::MatrixXd la = l * a;
    return la * la.transpose();
}

NormalWishartPosterior normalWishartPosterior(const FactorMatrix& factors,
                                              const SparseRatings& ratings,
                                              const NormalWishartPrior& prior) {
    const auto k = factors.cols();
    const Eigen::Index rows = factors.rows();
    // Sums of U_i and U_i U_i^T over rated rows in fixed blocks, added in block order.
    constexpr Eigen::Index block = 4096;
    const Eigen::Index blocks = (rows + block - 1) / block;
    std::vector<Eigen::VectorXd> sums(static_cast<std::size_t>(blocks));
    std::vector<Eigen::MatrixXd> squares(static_cast<std::size_t>(blocks));
    std::vector<std::size_t> counts(static_cast<std::size_t>(blocks), 0);
#pragma omp parallel for schedule(static)
    for (Eigen::Index b = 0; b < blocks; ++b) {
        Eigen::VectorXd s = Eigen::VectorXd::Zero(k);
        Eigen::MatrixXd q = Eigen::MatrixXd::Zero(k, k);
        std::size_t n = 0;
        const Eigen::Index end = std::min(rows, (b + 1) * block);
        for (Eigen::Index r = b * block; r < end; ++r) {
            if (ratings.rowSize(static_cast<std::size_t>(r)) == 0) continue;
            const Eigen::VectorXd x = factors.row(r).transpose().cast<double>();
            s += x;
            q.selfadjointView<Eigen::Lower>().rankUpdate(x);
            ++n;
        }
        sums[static_cast<std::size_t>(b)] = s;
        squares[static_cast<std::size_t>(b)] = q;
        counts[static_cast<std::size_t>(b)] = n;
    }
    Eigen::VectorXd sum = Eigen::VectorXd::Zero(k);
    Eigen::MatrixXd square = Eigen::MatrixXd::Zero(k, k);
    std::size_t n = 0;
    for (std::size_t b = 0; b < sums.size(); ++b) {
        sum += sums[b];
        square += squares[b];
        n += counts[b];
    }
    square.triangularView<Eigen::StrictlyUpper>() = square.transpose();

    NormalWishartPosterior post;
    const double beta0 = prior.beta0;
    const double nu0 = prior.nu0 > 0.0 ? prior.nu0 : static_cast<double>(k);
    const double count = static_cast<double>(n);
    post.rows = n;
    post.beta = beta0 + count;
    post.dof = nu0 + count;
    // mu0 = 0 and W0 = I.
    const Eigen::VectorXd mean = n ? Eigen::VectorXd(sum / count) : Eigen::VectorXd::Zero(k);
    post.mean = count * mean / (beta0 + count);
    // S = sum U U^T - N Ubar Ubar^T
    Eigen::MatrixXd scaleInverse = Eigen::MatrixXd::Identity(k, k) + square -
                                   count * mean * mean.transpose() +
                                   (beta0 * count / (beta0 + count)) * mean * mean.transpose();
    scaleInverse = 0.5 * (scaleInverse + scaleInverse.transpose());
    post.scale = scaleInverse.llt().solve(Eigen::MatrixXd::Identity(k, k));
    post.scale = 0.5 * (post.scale + post.scale.transpose());
    return post;
}

GaussianHyper sampleHyper(const NormalWishartPosterior& posterior, Pcg32& rng) {
    const auto k = posterior.mean.size();
    const Eigen::MatrixXd lambda = sampleWishart(posterior.scale, posterior.dof, rng);
    // mu = mu0* + (beta* Lambda)^-1/2 z via the Cholesky factor of beta* Lambda.
    const Eigen::LLT<Eigen::MatrixXd> llt(posterior.beta * lambda);
    Eigen::VectorXd z(k);
    for (Eigen::Index c = 0; c < k; ++c) z[c] = rng.normal();
    const Eigen::VectorXd mu = posterior.mean + llt.matrixU().solve(z);
    GaussianHyper h;
    h.mean = mu.cast<float>();
    h.precision = lambda.cast<float>();
    return h;
}

void rowConditional(std::span<const std::uint32_t> items, std::span<const float> ratings,
                    const FactorMatrix& other, float alpha, float mu, const GaussianHyper& hyper,
                    bool biases, Eigen::MatrixXf& precision, Eigen::VectorXf& mean) {
    RowWorkspace ws;
    const Eigen::VectorXf priorTerm = hyper.precision * hyper.mean;
    buildSystem(items, ratings, other, alpha, mu, hyper, priorTerm, biases, ws);
    precision = ws.a.selfadjointView<Eigen::Lower>();
    ws.llt.compute(ws.a);
    mean = ws.llt.solve(ws.rhs);
}

void sampleSide(const SparseRatings& ratings, const FactorMatrix& other, float alpha, float mu,
                const GaussianHyper& hyper, bool biases, std::uint64_t streamSeed,
                FactorMatrix& mine) {
    const auto rows = static_cast<std::int64_t>(ratings.rows());
    const auto k = other.cols();
    const Eigen::VectorXf priorTerm = hyper.precision * hyper.mean;
    const std::int64_t chunk = std::max<std::int64_t>(1, rows / 8192);
#pragma omp parallel
    {
        RowWorkspace ws;
#pragma omp for schedule(dynamic, chunk)
        for (std::int64_t r = 0; r < rows; ++r) {
            const auto row = static_cast<std::size_t>(r);
            if (ratings.rowSize(row) == 0) {
                mine.row(r) = hyper.mean.transpose();
                continue;
            }
            buildSystem(ratings.rowIndex(row), ratings.rowValues(row), other, alpha, mu, hyper,
                        priorTerm, biases, ws);
            ws.llt.compute(ws.a);
            ws.mean = ws.llt.solve(ws.rhs);
            Pcg32 rng(deriveSeed(streamSeed, static_cast<std::uint64_t>(r)));
            ws.z.resize(k);
            for (Eigen::Index c = 0; c < k; ++c) ws.z[c] = static_cast<float>(rng.normal());
            // L^-T z has covariance (L L^T)^-1 = Lambda*^-1.
            ws.llt.matrixU().solveInPlace(ws.z);
            mine.row(r) = (ws.mean + ws.z).transpose();
        }
    }
}

}  // namespace lens
