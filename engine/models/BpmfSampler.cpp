#include "models/BpmfSampler.h"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

#include "util/Vec8.h"

namespace lens {

namespace {

// Per-thread scratch of the row draws: allocation only while it grows.
struct RowWorkspace {
    std::vector<float> ybuf;  // gathered feature rows of the other side, n x stride, zero padded
    std::vector<float> gram;  // stride x stride, row-major; the lower triangle is used
    std::vector<float> sums;  // 2 x stride: sum_j t_j y_j, then sum_j y_j
    Eigen::VectorXf rhs, mean, z;
    Eigen::MatrixXf a;
    Eigen::LLT<Eigen::MatrixXf> llt;
};

using simd::kLanes;
using simd::load8;
using simd::store8;
using simd::Vec8;

// gram = Y^T Y of the n gathered rows (row-major, `stride` a multiple of 8) in tiles of four
// rows by two 8-column blocks held in registers: no packing, every row read once per tile.
// Rows at or below each column block are computed (the lower triangle plus the upper part of
// the diagonal blocks, which is not read).
void gramLower(const float* y, std::size_t n, int stride, float* gram) {
    const int blocks = stride / kLanes;
    for (int cb = 0; cb < blocks; cb += 2) {
        const int c0 = cb * kLanes;
        const bool pair = cb + 1 < blocks;
        for (int a = c0; a < stride; a += 4) {
            Vec8 s00{}, s01{}, s10{}, s11{}, s20{}, s21{}, s30{}, s31{};
            const float* row = y;
            if (pair) {
                for (std::size_t j = 0; j < n; ++j, row += stride) {
                    const Vec8 v0 = load8(row + c0), v1 = load8(row + c0 + kLanes);
                    const float y0 = row[a], y1 = row[a + 1], y2 = row[a + 2], y3 = row[a + 3];
                    s00 += y0 * v0, s01 += y0 * v1, s10 += y1 * v0, s11 += y1 * v1;
                    s20 += y2 * v0, s21 += y2 * v1, s30 += y3 * v0, s31 += y3 * v1;
                }
                store8(gram + (a + 0) * stride + c0 + kLanes, s01);
                store8(gram + (a + 1) * stride + c0 + kLanes, s11);
                store8(gram + (a + 2) * stride + c0 + kLanes, s21);
                store8(gram + (a + 3) * stride + c0 + kLanes, s31);
            } else {
                for (std::size_t j = 0; j < n; ++j, row += stride) {
                    const Vec8 v0 = load8(row + c0);
                    s00 += row[a] * v0, s10 += row[a + 1] * v0;
                    s20 += row[a + 2] * v0, s30 += row[a + 3] * v0;
                }
            }
            store8(gram + (a + 0) * stride + c0, s00);
            store8(gram + (a + 1) * stride + c0, s10);
            store8(gram + (a + 2) * stride + c0, s20);
            store8(gram + (a + 3) * stride + c0, s30);
        }
    }
}

// Lambda* (lower triangle) and Lambda* m* (not yet solved) of one row into ws.a / ws.rhs.
// The rated rows of the other side are gathered (features only, prefetched ahead: on the
// movie side they are scattered over every user), Y^T Y comes from gramLower. With biases the
// feature in the bias's place is the constant 1, so its row of Lambda* is sum_j y_j and n.
void buildSystem(std::span<const std::uint32_t> items, std::span<const float> ratings,
                 const FactorMatrix& other, float alpha, float mu, const GaussianHyper& hyper,
                 const Eigen::VectorXf& priorTerm, bool biases, RowWorkspace& ws) {
    const std::size_t n = items.size();
    const int k = static_cast<int>(other.cols());
    const int features = biases ? k - 1 : k;
    const int stride = std::max(kLanes, (features + kLanes - 1) / kLanes * kLanes);
    if (ws.ybuf.size() < n * static_cast<std::size_t>(stride))
        ws.ybuf.resize(n * static_cast<std::size_t>(stride) * 5 / 4 + 64);
    ws.gram.resize(static_cast<std::size_t>(stride) * static_cast<std::size_t>(stride));
    ws.sums.assign(2 * static_cast<std::size_t>(stride), 0.0f);
    float* y = ws.ybuf.data();
    const float* base = other.data();
    const auto rowOf = [&](std::size_t j) {
        return base + static_cast<std::size_t>(items[j]) * static_cast<std::size_t>(k);
    };
    constexpr std::size_t kAhead = 8;
    float targetSum = 0.0f;
    for (std::size_t j = 0; j < n; ++j) {
        if (j + kAhead < n) {
            const float* next = rowOf(j + kAhead);
            for (int c = 0; c < k; c += 16) __builtin_prefetch(next + c);
            __builtin_prefetch(next + k - 1);
        }
        const float* src = rowOf(j);
        float* dst = y + j * static_cast<std::size_t>(stride);
        std::memcpy(dst, src, sizeof(float) * static_cast<std::size_t>(features));
        std::fill(dst + features, dst + stride, 0.0f);
        // The other side's bias b_j leaves the target.
        const float t = ratings[j] - mu - (biases ? src[k - 1] : 0.0f);
        targetSum += t;
        for (int c = 0; c < stride; c += kLanes) {
            const Vec8 v = load8(dst + c);
            store8(ws.sums.data() + c, load8(ws.sums.data() + c) + t * v);
            if (biases) store8(ws.sums.data() + stride + c, load8(ws.sums.data() + stride + c) + v);
        }
    }
    gramLower(y, n, stride, ws.gram.data());
    ws.a.resize(k, k);
    ws.rhs.resize(k);
    for (int c = 0; c < features; ++c) {
        for (int r = c; r < features; ++r)
            ws.a(r, c) =
                hyper.precision(r, c) + alpha * ws.gram[static_cast<std::size_t>(r) * stride + c];
        ws.rhs[c] = alpha * ws.sums[static_cast<std::size_t>(c)] + priorTerm[c];
    }
    if (biases) {
        for (int c = 0; c < features; ++c)
            ws.a(k - 1, c) =
                hyper.precision(k - 1, c) + alpha * ws.sums[static_cast<std::size_t>(stride + c)];
        ws.a(k - 1, k - 1) = hyper.precision(k - 1, k - 1) + alpha * static_cast<float>(n);
        ws.rhs[k - 1] = alpha * targetSum + priorTerm[k - 1];
    }
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
                                              const NormalWishartPrior& prior,
                                              const FactorMatrix* shift) {
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
            Eigen::VectorXd x = factors.row(r).transpose().cast<double>();
            if (shift) x -= shift->row(r).transpose().cast<double>();
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
                FactorMatrix& mine, const FactorMatrix* shift) {
    const auto rows = static_cast<std::int64_t>(ratings.rows());
    const auto k = other.cols();
    const Eigen::VectorXf sharedTerm = hyper.precision * hyper.mean;
    const std::int64_t chunk = std::max<std::int64_t>(1, rows / 8192);
#pragma omp parallel
    {
        RowWorkspace ws;
        Eigen::VectorXf rowTerm;
#pragma omp for schedule(dynamic, chunk)
        for (std::int64_t r = 0; r < rows; ++r) {
            const auto row = static_cast<std::size_t>(r);
            if (ratings.rowSize(row) == 0) {
                mine.row(r) = hyper.mean.transpose();
                if (shift) mine.row(r) += shift->row(r);
                continue;
            }
            // The row's prior mean is mu (+ its shift): Lambda (mu + shift_r).
            if (shift) rowTerm.noalias() = sharedTerm + hyper.precision * shift->row(r).transpose();
            buildSystem(ratings.rowIndex(row), ratings.rowValues(row), other, alpha, mu, hyper,
                        shift ? rowTerm : sharedTerm, biases, ws);
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

GenreWeightsConditional genreWeightsConditional(const FactorMatrix& items,
                                                const SparseRatings& byItem,
                                                const Eigen::MatrixXf& genres,
                                                const GaussianHyper& hyper, double tau) {
    const Eigen::Index k = items.cols(), g = genres.cols(), d = g * k;
    // F^T F and F^T R over the rated movies, R_i = V_i - mu (double).
    Eigen::MatrixXd ftf = Eigen::MatrixXd::Zero(g, g), ftr = Eigen::MatrixXd::Zero(g, k);
    const Eigen::VectorXd mu = hyper.mean.cast<double>();
    for (Eigen::Index i = 0; i < items.rows(); ++i) {
        if (byItem.rowSize(static_cast<std::size_t>(i)) == 0) continue;
        const Eigen::VectorXd f = genres.row(i).transpose().cast<double>();
        if (f.isZero()) continue;
        ftf.selfadjointView<Eigen::Lower>().rankUpdate(f);
        ftr.noalias() += f * (items.row(i).transpose().cast<double>() - mu).transpose();
    }
    ftf.triangularView<Eigen::StrictlyUpper>() = ftf.transpose();
    const Eigen::MatrixXd lambda = hyper.precision.cast<double>();
    GenreWeightsConditional c;
    c.precision = Eigen::MatrixXd::Identity(d, d) * tau;
    for (Eigen::Index a = 0; a < k; ++a)
        for (Eigen::Index b = 0; b < k; ++b)
            c.precision.block(a * g, b * g, g, g) += lambda(a, b) * ftf;
    const Eigen::MatrixXd rhs = ftr * lambda;  // g x k; vec column-major = the linear term
    const Eigen::VectorXd b = Eigen::Map<const Eigen::VectorXd>(rhs.data(), d);
    c.mean = c.precision.llt().solve(b);
    return c;
}

Eigen::MatrixXf sampleGenreWeights(const GenreWeightsConditional& conditional, Eigen::Index genres,
                                   Pcg32& rng) {
    const Eigen::Index d = conditional.mean.size();
    const Eigen::LLT<Eigen::MatrixXd> llt(conditional.precision);
    Eigen::VectorXd z(d);
    for (Eigen::Index c = 0; c < d; ++c) z[c] = rng.normal();
    const Eigen::VectorXd theta = conditional.mean + llt.matrixU().solve(z);
    return Eigen::Map<const Eigen::MatrixXd>(theta.data(), genres, d / genres).cast<float>();
}

}  // namespace lens
