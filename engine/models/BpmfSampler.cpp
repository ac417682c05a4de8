#include "models/BpmfSampler.h"

#include <Eigen/Dense>
#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <iterator>
#include <new>
#include <vector>

#include "util/Vec8.h"

namespace lens {

namespace {

// Per-thread scratch of the row draws: allocation only while it grows.
struct RowWorkspace {
    std::vector<float> ybuf;  // gathered feature rows of the other side, n x stride, zero padded
    std::vector<float> gram;  // stride x stride, row-major; the lower triangle is used
    std::vector<float> sums;  // 2 x stride: sum_j t_j y_j, then sum_j y_j
    // Lambda* (lower triangle, k rows of `ld` floats, ld a multiple of 8), then its Cholesky
    // factor L in place with zeros above the diagonal.
    std::vector<float> sys;
    std::vector<float> rhs;              // Lambda* m* (ld floats), then solved in place
    std::vector<float> column;           // column j of L while the factorisation updates with it
    std::vector<float> inverseDiagonal;  // 1 / L_jj
    int ld = 0;
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

#if defined(__x86_64__) && defined(__GNUC__)
// The same product with AVX-512 where the processor has it (chosen at run time; the build
// targets AVX2): 16-column blocks, tiles of eight rows by one block, each tile's rows starting
// at its block's first column. Every entry is the same sequence of fused multiply-adds over j
// as in gramLower, so both give identical results.
using Vec16 = float __attribute__((vector_size(64)));

template <typename Vec>
__attribute__((target("avx512f"), always_inline)) inline void gramTiles(const float* y,
                                                                        std::size_t n, int stride,
                                                                        int c0, float* gram) {
    constexpr int width = static_cast<int>(sizeof(Vec) / sizeof(float));
    for (int a = c0; a < stride; a += 8) {
        Vec s0{}, s1{}, s2{}, s3{}, s4{}, s5{}, s6{}, s7{};
        const float* row = y;
        for (std::size_t j = 0; j < n; ++j, row += stride) {
            Vec v;
            std::memcpy(&v, row + c0, sizeof v);
            s0 += row[a] * v, s1 += row[a + 1] * v, s2 += row[a + 2] * v, s3 += row[a + 3] * v;
            s4 += row[a + 4] * v, s5 += row[a + 5] * v, s6 += row[a + 6] * v, s7 += row[a + 7] * v;
        }
        const Vec out[8] = {s0, s1, s2, s3, s4, s5, s6, s7};
        for (int r = 0; r < 8; ++r)
            std::memcpy(gram + static_cast<std::size_t>(a + r) * stride + c0, &out[r],
                        sizeof(float) * width);
    }
}

__attribute__((target("avx512f"))) void gramLowerAvx512(const float* y, std::size_t n, int stride,
                                                        float* gram) {
    int c0 = 0;
    for (; c0 + 16 <= stride; c0 += 16) gramTiles<Vec16>(y, n, stride, c0, gram);
    if (c0 < stride) gramTiles<Vec8>(y, n, stride, c0, gram);
}

bool processorHasAvx512() {
    static const bool has = __builtin_cpu_supports("avx512f");
    return has;
}
#endif

std::atomic<GramKernel> pinnedGramKernel{GramKernel::Auto};

void gramOfRows(const float* y, std::size_t n, int stride, float* gram) {
#if defined(__x86_64__) && defined(__GNUC__)
    const GramKernel pinned = pinnedGramKernel.load(std::memory_order_relaxed);
    if (pinned == GramKernel::Avx512 || (pinned == GramKernel::Auto && processorHasAvx512()))
        return gramLowerAvx512(y, n, stride, gram);
#endif
    gramLower(y, n, stride, gram);
}

// Gathers the rated rows of the other side (features only, zero padded to `stride`, prefetched
// ahead: on the movie side they are scattered over every user) and sums t_j y_j and y_j
// (sums[0..stride) and sums[stride..2 stride)); returns sum_j t_j. `Vectors` = stride / 8 keeps
// the running sums in registers (0: any width, sums in memory).
template <int Vectors>
float gatherRows(std::span<const std::uint32_t> items, std::span<const float> ratings,
                 const PackedFactors& other, float mu, float* y, float* sums) {
    const std::size_t n = items.size();
    const int stride = other.stride();
    const int vectors = Vectors > 0 ? Vectors : stride / kLanes;
    constexpr std::size_t kAhead = 16;
    constexpr int kHeld = Vectors > 0 ? Vectors : 1;
    Vec8 weighted[kHeld] = {}, plain[kHeld] = {};
    float targetSum = 0.0f;
    for (std::size_t j = 0; j < n; ++j) {
        if (j + kAhead < n) {
            const float* next = other.row(items[j + kAhead]);
            for (int c = 0; c < stride; c += 16) __builtin_prefetch(next + c);
        }
        const float* src = other.row(items[j]);
        float* dst = y + j * static_cast<std::size_t>(stride);
        // The other side's bias b_j leaves the target.
        const float t = ratings[j] - mu - other.bias(items[j]);
        targetSum += t;
        for (int v = 0; v < vectors; ++v) {
            const int c = v * kLanes;
            const Vec8 x = load8(src + c);
            store8(dst + c, x);
            if constexpr (Vectors > 0) {
                weighted[v] += t * x;
                plain[v] += x;
            } else {
                store8(sums + c, load8(sums + c) + t * x);
                store8(sums + stride + c, load8(sums + stride + c) + x);
            }
        }
    }
    if constexpr (Vectors > 0)
        for (int v = 0; v < Vectors; ++v) {
            store8(sums + v * kLanes, weighted[v]);
            store8(sums + stride + v * kLanes, plain[v]);
        }
    return targetSum;
}

// Lambda* (lower triangle) and Lambda* m* (not yet solved) of one row into ws.sys / ws.rhs:
// the rated rows gathered (gatherRows), Y^T Y from gramOfRows. With biases the feature in the
// bias's place is the constant 1, so its row of Lambda* is sum_j y_j and n.
void buildSystem(std::span<const std::uint32_t> items, std::span<const float> ratings,
                 const PackedFactors& other, float alpha, float mu, const GaussianHyper& hyper,
                 const float* priorTerm, bool biases, RowWorkspace& ws) {
    const std::size_t n = items.size();
    const int features = other.features();
    const int k = biases ? features + 1 : features;
    const int stride = other.stride();
    if (ws.ybuf.size() < n * static_cast<std::size_t>(stride))
        ws.ybuf.resize(n * static_cast<std::size_t>(stride) * 5 / 4 + 64);
    ws.gram.resize(static_cast<std::size_t>(stride) * static_cast<std::size_t>(stride));
    ws.sums.assign(2 * static_cast<std::size_t>(stride), 0.0f);  // gatherRows<0> adds to it
    float* y = ws.ybuf.data();
    // The gather with its sums in registers for strides up to 48 floats (6 vectors).
    using Gather = float (*)(std::span<const std::uint32_t>, std::span<const float>,
                             const PackedFactors&, float, float*, float*);
    static constexpr Gather gathers[] = {&gatherRows<0>, &gatherRows<1>, &gatherRows<2>,
                                         &gatherRows<3>, &gatherRows<4>, &gatherRows<5>,
                                         &gatherRows<6>};
    const int vectors = stride / kLanes;
    const Gather gather =
        vectors < static_cast<int>(std::size(gathers)) ? gathers[vectors] : &gatherRows<0>;
    const float targetSum = gather(items, ratings, other, mu, y, ws.sums.data());
    gramOfRows(y, n, stride, ws.gram.data());
    const int ld = (k + kLanes - 1) / kLanes * kLanes;
    ws.ld = ld;
    // Entries above the diagonal are zero between rows (factorSystem leaves them so): zeroed
    // only when the workspace is first sized.
    const std::size_t sysSize = static_cast<std::size_t>(k) * static_cast<std::size_t>(ld);
    if (ws.sys.size() != sysSize) ws.sys.assign(sysSize, 0.0f);
    ws.rhs.assign(static_cast<std::size_t>(ld), 0.0f);
    // Lambda is symmetric and column-major: its column r is row r.
    for (int r = 0; r < features; ++r) {
        const float* lambdaRow = hyper.precision.data() + static_cast<std::size_t>(r) * k;
        const float* gramRow = ws.gram.data() + static_cast<std::size_t>(r) * stride;
        float* out = ws.sys.data() + static_cast<std::size_t>(r) * ld;
        for (int c = 0; c <= r; ++c) out[c] = lambdaRow[c] + alpha * gramRow[c];
        ws.rhs[static_cast<std::size_t>(r)] =
            alpha * ws.sums[static_cast<std::size_t>(r)] + priorTerm[r];
    }
    if (biases) {
        const float* lambdaRow = hyper.precision.data() + static_cast<std::size_t>(k - 1) * k;
        float* out = ws.sys.data() + static_cast<std::size_t>(k - 1) * ld;
        for (int c = 0; c < features; ++c)
            out[c] = lambdaRow[c] + alpha * ws.sums[static_cast<std::size_t>(stride + c)];
        out[k - 1] = lambdaRow[k - 1] + alpha * static_cast<float>(n);
        ws.rhs[static_cast<std::size_t>(k - 1)] = alpha * targetSum + priorTerm[k - 1];
    }
}

// Cholesky factor Lambda* = L L^T in place (rows of ws.sys, lower triangle), right-looking by
// panels of four columns: each panel is factored on its own columns (scalar), then its four
// columns of L (copied to ws.column, zero left of the trailing part) update the rows below in
// one rank-4 pass, eight columns at a time. That pass writes past the diagonal within a row's
// last block of eight; those entries are zeroed at the end, so L's rows can be read whole.
// A pivot that rounding drives to zero or below is floored (Lambda* is positive definite).
void factorSystem(int k, RowWorkspace& ws) {
    constexpr int kPanel = 4;
    const int ld = ws.ld;
    float* a = ws.sys.data();
    const auto at = [a, ld](int i, int c) -> float& {
        return a[static_cast<std::size_t>(i) * static_cast<std::size_t>(ld) + c];
    };
    // Entries at and past k stay zero; the others are written before they are read.
    const std::size_t columnsSize = static_cast<std::size_t>(kPanel) * static_cast<std::size_t>(ld);
    if (ws.column.size() != columnsSize) ws.column.assign(columnsSize, 0.0f);
    ws.inverseDiagonal.resize(static_cast<std::size_t>(k));
    for (int p0 = 0; p0 < k; p0 += kPanel) {
        const int p1 = std::min(k, p0 + kPanel);
        for (int j = p0; j < p1; ++j) {
            const float d = std::sqrt(std::max(at(j, j), 1e-20f));
            at(j, j) = d;
            const float inverse = 1.0f / d;
            ws.inverseDiagonal[static_cast<std::size_t>(j)] = inverse;
            for (int i = j + 1; i < k; ++i) at(i, j) *= inverse;
            for (int next = j + 1; next < p1; ++next) {
                const float l = at(next, j);
                for (int i = next; i < k; ++i) at(i, next) -= at(i, j) * l;
            }
        }
        if (p1 == k) break;
        const int first = p1 / kLanes * kLanes;
        float* columns[kPanel];
        for (int q = 0; q < kPanel; ++q) {
            float* column = ws.column.data() + static_cast<std::size_t>(q) * ld;
            columns[q] = column;
            for (int c = first; c < p1; ++c) column[c] = 0.0f;
            for (int i = p1; i < k; ++i) column[i] = p0 + q < p1 ? at(i, p0 + q) : 0.0f;
        }
        for (int i = p1; i < k; ++i) {
            float* row = &at(i, 0);
            const Vec8 l0 = Vec8{} + columns[0][i], l1 = Vec8{} + columns[1][i];
            const Vec8 l2 = Vec8{} + columns[2][i], l3 = Vec8{} + columns[3][i];
            for (int c = first; c <= i; c += kLanes)
                store8(row + c,
                       load8(row + c) - (l0 * load8(columns[0] + c) + l1 * load8(columns[1] + c) +
                                         l2 * load8(columns[2] + c) + l3 * load8(columns[3] + c)));
        }
    }
    for (int i = 0; i < k; ++i) {
        float* row = &at(i, 0);
        for (int c = i + 1; c < std::min(ld, (i / kLanes + 1) * kLanes); ++c) row[c] = 0.0f;
    }
}

// rhs <- L^-1 rhs (forward substitution by rows of L). y_i is written back by storing its
// whole block of eight (blended), so the next row's vector loads of that block are forwarded
// from the store instead of stalling on a narrower one.
void forwardSolve(int k, RowWorkspace& ws) {
    using Lanes = std::int32_t __attribute__((vector_size(32)));
    const Lanes laneIndex = {0, 1, 2, 3, 4, 5, 6, 7};
    const int ld = ws.ld;
    const float* l = ws.sys.data();
    float* y = ws.rhs.data();
    for (int i = 0; i < k; ++i) {
        const float* row = l + static_cast<std::size_t>(i) * ld;
        const int last = i / kLanes * kLanes, lane = i - last;
        Vec8 acc{};
        for (int c = 0; c < last; c += kLanes) acc += load8(row + c) * load8(y + c);
        Vec8 block = load8(y + last);
        // Lanes below i are solved; lane i and above still hold the right-hand side.
        acc += laneIndex < lane ? load8(row + last) * block : Vec8{};
        const float solved = (block[lane] - simd::horizontalSum(acc)) *
                             ws.inverseDiagonal[static_cast<std::size_t>(i)];
        block = laneIndex == lane ? Vec8{} + solved : block;
        store8(y + last, block);
    }
}

// out <- L^-T y (back substitution by rows of L: row i of L is column i of L^T; y is used up).
void backwardSolve(int k, RowWorkspace& ws, float* out) {
    const int ld = ws.ld;
    const float* l = ws.sys.data();
    float* y = ws.rhs.data();
    for (int i = k - 1; i >= 0; --i) {
        const float* row = l + static_cast<std::size_t>(i) * ld;
        const float x = y[i] * ws.inverseDiagonal[static_cast<std::size_t>(i)];
        out[i] = x;
        const Vec8 xv = Vec8{} + x;
        for (int c = 0; c <= i; c += kLanes) store8(y + c, load8(y + c) - xv * load8(row + c));
    }
}

}  // namespace

bool gramKernelAvailable(GramKernel kernel) {
#if defined(__x86_64__) && defined(__GNUC__)
    if (kernel == GramKernel::Avx512) return processorHasAvx512();
#else
    if (kernel == GramKernel::Avx512) return false;
#endif
    return true;
}

void pinGramKernel(GramKernel kernel) {
    pinnedGramKernel.store(gramKernelAvailable(kernel) ? kernel : GramKernel::Auto,
                           std::memory_order_relaxed);
}

void PackedFactors::FreeDeleter::operator()(float* p) const {
    std::free(p);
}

void PackedFactors::pack(const FactorMatrix& factors, bool biases) {
    const auto k = static_cast<int>(factors.cols());
    features_ = biases ? k - 1 : k;
    stride_ = std::max(kLanes, (features_ + kLanes - 1) / kLanes * kLanes);
    const auto rows = static_cast<std::int64_t>(factors.rows());
    const std::size_t size = static_cast<std::size_t>(rows) * static_cast<std::size_t>(stride_);
    if (size > capacity_ || !rows_) {
        const std::size_t bytes = (std::max<std::size_t>(size, 1) * sizeof(float) + 63) / 64 * 64;
        rows_.reset(static_cast<float*>(std::aligned_alloc(64, bytes)));
        if (!rows_) throw std::bad_alloc();
        capacity_ = size;
    }
    biases_.resize(biases ? static_cast<std::size_t>(rows) : 0);
#pragma omp parallel for schedule(static)
    for (std::int64_t r = 0; r < rows; ++r) {
        const float* src = factors.data() + r * k;
        float* dst = rows_.get() + r * stride_;
        std::copy(src, src + features_, dst);
        std::fill(dst + features_, dst + stride_, 0.0f);
        if (biases) biases_[static_cast<std::size_t>(r)] = src[k - 1];
    }
}

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
    // Only the rated rows are packed (a fold-in calls this once per sample): row j of the
    // packed copy is items[j].
    FactorMatrix rated(static_cast<Eigen::Index>(items.size()), other.cols());
    std::vector<std::uint32_t> local(items.size());
    for (std::size_t j = 0; j < items.size(); ++j) {
        rated.row(static_cast<Eigen::Index>(j)) = other.row(items[j]);
        local[j] = static_cast<std::uint32_t>(j);
    }
    RowWorkspace ws;
    PackedFactors packed;
    packed.pack(rated, biases);
    const Eigen::VectorXf priorTerm = hyper.precision * hyper.mean;
    buildSystem(local, ratings, packed, alpha, mu, hyper, priorTerm.data(), biases, ws);
    const auto k = static_cast<int>(other.cols());
    precision.resize(k, k);
    for (int r = 0; r < k; ++r)
        for (int c = 0; c <= r; ++c)
            precision(r, c) = precision(c, r) = ws.sys[static_cast<std::size_t>(r) * ws.ld + c];
    factorSystem(k, ws);
    forwardSolve(k, ws);
    mean.resize(k);
    backwardSolve(k, ws, mean.data());
}

void sampleSide(const SparseRatings& ratings, const FactorMatrix& other, float alpha, float mu,
                const GaussianHyper& hyper, bool biases, std::uint64_t streamSeed,
                FactorMatrix& mine, const FactorMatrix* shift, PackedFactors* scratch) {
    PackedFactors local;
    PackedFactors& packed = scratch ? *scratch : local;
    packed.pack(other, biases);
    const auto rows = static_cast<std::int64_t>(ratings.rows());
    const auto kk = static_cast<int>(other.cols());
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
            buildSystem(ratings.rowIndex(row), ratings.rowValues(row), packed, alpha, mu, hyper,
                        shift ? rowTerm.data() : sharedTerm.data(), biases, ws);
            // U = m* + L^-T z = L^-T (L^-1 Lambda* m* + z): L^-T z has covariance
            // (L L^T)^-1 = Lambda*^-1.
            factorSystem(kk, ws);
            forwardSolve(kk, ws);
            Pcg32 rng(deriveSeed(streamSeed, static_cast<std::uint64_t>(r)));
            for (int c = 0; c < kk; c += 2) {
                double first = 0.0, second = 0.0;
                rng.normalPair(first, second);
                ws.rhs[static_cast<std::size_t>(c)] += static_cast<float>(first);
                if (c + 1 < kk)
                    ws.rhs[static_cast<std::size_t>(c + 1)] += static_cast<float>(second);
            }
            backwardSolve(kk, ws, mine.row(r).data());
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
