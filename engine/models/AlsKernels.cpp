#include "models/AlsKernels.h"

#include <Eigen/Cholesky>
#include <Eigen/Dense>
#ifdef __AVX2__
#include <immintrin.h>
#endif
#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

#include "util/Random.h"
#include "util/Vec8.h"

namespace lens {

namespace {

using RowBlock = Eigen::Map<FactorMatrix, Eigen::Unaligned>;

// Per-thread scratch space, grown to the largest row seen, so a sweep allocates almost nothing.
struct Workspace {
    std::vector<float> ybuf;  // gathered factor block Y_u, n x k row-major
    Eigen::VectorXf t;        // targets (explicit) or confidences (implicit)
    Eigen::MatrixXf gram;     // k x k
    Eigen::MatrixXf a;        // system matrix
    Eigen::VectorXf rhs, x;
    Eigen::LLT<Eigen::MatrixXf> llt;
    Eigen::VectorXf cgR, cgP, cgAp, cgYv;  // conjugate-gradient vectors

    // Copies the rows `items` of `other` into the contiguous block Y_u. The rows are scattered
    // over a table larger than the caches, so rows a few steps ahead are prefetched: the copy
    // is bound by memory latency otherwise.
    RowBlock gather(std::span<const std::uint32_t> items, const FactorMatrix& other,
                    const Eigen::VectorXf* bias = nullptr) {
        const auto n = static_cast<Eigen::Index>(items.size());
        const auto k = other.cols();
        if (ybuf.size() < static_cast<std::size_t>(n * k))
            ybuf.resize(static_cast<std::size_t>(n * k) * 5 / 4 + 64);
        float* dst = ybuf.data();
        const float* src = other.data();
        constexpr Eigen::Index ahead = 12;
        const std::size_t rowBytes = static_cast<std::size_t>(k) * sizeof(float);
        for (Eigen::Index j = 0; j < n; ++j) {
            if (j + ahead < n) {
                const char* next = reinterpret_cast<const char*>(
                    src + static_cast<std::size_t>(items[static_cast<std::size_t>(j + ahead)]) *
                              static_cast<std::size_t>(k));
                for (std::size_t line = 0; line < rowBytes; line += 64)
                    __builtin_prefetch(next + line);
                if (bias)
                    __builtin_prefetch(bias->data() + items[static_cast<std::size_t>(j + ahead)]);
            }
            std::memcpy(dst + j * k,
                        src + static_cast<std::size_t>(items[static_cast<std::size_t>(j)]) *
                                  static_cast<std::size_t>(k),
                        rowBytes);
        }
        return RowBlock(ybuf.data(), n, k);
    }
};

// Implicit model: conjugate gradient passes over the gathered block 2 * steps times, cheap
// while the block stays in the L2 cache. Larger blocks (popular movies) are solved exactly:
// their Gram product runs at GEMM speed. The choice depends on the row's size only, so results
// stay thread-count independent. (The explicit model uses the fused kernel below for every
// row: one pass per step.)
bool useConjugateGradient(Eigen::Index n, Eigen::Index k) {
    return n * k * 4 <= 256 * 1024;
}

// Conjugate gradient on a symmetric positive definite operator, warm-started at x. applyA(v, out)
// writes A v into out; all vectors live in the workspace, so a solve allocates nothing.
template <typename ApplyA>
void conjugateGradient(const ApplyA& applyA, const Eigen::VectorXf& b, Eigen::VectorXf& x,
                       int steps, Workspace& ws) {
    applyA(x, ws.cgAp);
    ws.cgR = b - ws.cgAp;
    ws.cgP = ws.cgR;
    float rr = ws.cgR.squaredNorm();
    for (int s = 0; s < steps && rr > 1e-20f; ++s) {
        applyA(ws.cgP, ws.cgAp);
        const float denom = ws.cgP.dot(ws.cgAp);
        if (!(denom > 0.0f)) break;
        const float alpha = rr / denom;
        x += alpha * ws.cgP;
        ws.cgR -= alpha * ws.cgAp;
        const float rrNew = ws.cgR.squaredNorm();
        ws.cgP = ws.cgR + (rrNew / rr) * ws.cgP;
        rr = rrNew;
    }
}

// Solves one explicit row exactly (Gram product + Cholesky); x = [b_u, p_u] on exit.
void explicitRowCore(std::span<const std::uint32_t> items, std::span<const float> values,
                     const FactorMatrix& other, const Eigen::VectorXf& otherBias, float mu,
                     const ExplicitSolveParams& params, const float* prior, Workspace& ws,
                     Eigen::VectorXf& x) {
    const auto n = static_cast<Eigen::Index>(items.size());
    const auto k = other.cols();
    RowBlock y = ws.gather(items, other, params.solveBias ? &otherBias : nullptr);
    ws.t.resize(n);
    for (Eigen::Index j = 0; j < n; ++j) {
        const auto item = items[static_cast<std::size_t>(j)];
        ws.t[j] =
            values[static_cast<std::size_t>(j)] - mu - (params.solveBias ? otherBias[item] : 0.0f);
    }
    const float count = static_cast<float>(n);
    const float l = params.weighted ? params.lambda * count : params.lambda;
    const float lb = params.weighted ? params.biasLambda * count : params.biasLambda;
    const Eigen::Index off = params.solveBias ? 1 : 0;
    const Eigen::Index dim = k + off;

    ws.rhs.resize(dim);
    ws.rhs.tail(k).noalias() = y.transpose() * ws.t;
    if (prior) ws.rhs.tail(k) += l * Eigen::Map<const Eigen::VectorXf>(prior, k);
    if (params.solveBias) ws.rhs[0] = ws.t.sum();

    // Y_u^T Y_u as one symmetric rank-n product of the gathered block (lower triangle).
    ws.gram.setZero(k, k);
    ws.gram.selfadjointView<Eigen::Lower>().rankUpdate(y.transpose());
    ws.a.resize(dim, dim);
    ws.a.bottomRightCorner(k, k).triangularView<Eigen::Lower>() =
        ws.gram.triangularView<Eigen::Lower>();
    ws.a.bottomRightCorner(k, k).diagonal().array() += l;
    if (params.solveBias) {
        ws.a(0, 0) = count + lb;
        ws.a.block(1, 0, k, 1) = y.colwise().sum().transpose();
    }
    ws.llt.compute(ws.a);
    x = ws.llt.solve(ws.rhs);
}

void explicitBasis(std::span<const std::uint32_t> items, const FactorMatrix& other,
                   const Eigen::VectorXf& targets, bool solveBias, Workspace& ws,
                   Eigen::MatrixXf& basis) {
    const auto n = static_cast<Eigen::Index>(items.size());
    const auto k = other.cols();
    const Eigen::Index off = solveBias ? 1 : 0;
    Eigen::MatrixXf z(k + off, n);
    for (Eigen::Index j = 0; j < n; ++j) {
        if (solveBias) z(0, j) = 1.0f;
        z.col(j).tail(k) = other.row(items[static_cast<std::size_t>(j)]).transpose();
        z.col(j) *= targets[j];
    }
    basis = ws.llt.solve(z);
}

// ---- Fused conjugate-gradient kernel (the default explicit solve) ----------------------------
//
// With A = [[n + lb, 1^T Y], [Y^T 1, Y^T Y + l I]] the product A v for v = [v0, v1] is
//     s_j = v0 + y_j . v1,   (A v)_0 = lb v0 + sum_j s_j,   (A v)_1 = Y^T s + l v1,
// one pass over the rows of the block in which every row is read once for a dot product and
// once for an axpy while it sits in registers. The starting residual r = b - A x is likewise
//     e_j = t_j - x0 - y_j . x1,  r0 = sum_j e_j - lb x0,  r1 = Y^T e - l (x1 - m)
// (e_j: the row's current prediction errors), computed in the same pass that gathers the
// block. So s CG steps cost 1 + s passes instead of 2 + 2 s matrix-vector products, and no
// Gram matrix is formed. Rows are stored as 8-float vectors (k padded with zeros to a multiple
// of 8: GCC/Clang vector extensions, one AVX register with x86-64-v3, two SSE registers
// otherwise); padding lanes stay exactly 0 through every step.

using simd::horizontalSum;
using simd::kLanes;
using simd::loadTail;
using simd::Vec8;
constexpr int kMaxVectors = 256 / kLanes;  // k <= 256

struct FusedWorkspace {
    std::vector<Vec8> block;  // gathered rows, n x vectors
};

// Solves one explicit row by `params.cgSteps` CG steps warm-started at (bias, factors); both
// are updated in place. FixedV > 0: the number of 8-float vectors per row, known at compile
// time (k <= 64) so the row loops unroll; 0: runtime.
template <int FixedV>
void explicitRowFusedCg(std::span<const std::uint32_t> items, std::span<const float> values,
                        const FactorMatrix& other, const Eigen::VectorXf& otherBias, float mu,
                        const ExplicitSolveParams& params, const float* prior, FusedWorkspace& ws,
                        float& bias, float* factors) {
    constexpr int capacity = FixedV > 0 ? FixedV : kMaxVectors;
    const int k = static_cast<int>(other.cols());
    const int nv = FixedV > 0 ? FixedV : (k + kLanes - 1) / kLanes;
    const int fullVectors = k / kLanes, tailLanes = k % kLanes;
    const std::size_t n = items.size();
    if (ws.block.size() < n * static_cast<std::size_t>(nv))
        ws.block.resize(n * static_cast<std::size_t>(nv) * 5 / 4 + 64);
    Vec8* block = ws.block.data();
    const bool withBias = params.solveBias;
    const float count = static_cast<float>(n);
    const float l = params.weighted ? params.lambda * count : params.lambda;
    const float lb =
        withBias ? (params.weighted ? params.biasLambda * count : params.biasLambda) : 0.0f;

    Vec8 x[capacity], r[capacity], p[capacity], ap[capacity], ap2[capacity];
    for (int v = 0; v < nv; ++v) {
        x[v] = Vec8{};
        for (int c = 0; c < kLanes && v * kLanes + c < k; ++c) x[v][c] = factors[v * kLanes + c];
        r[v] = Vec8{};
    }
    float x0 = withBias ? bias : 0.0f;

    // Pass 1: gather the block and accumulate the residual.
    const float* table = other.data();
    const std::size_t stride = static_cast<std::size_t>(k);
    constexpr std::size_t ahead = 16;
    float r0 = 0.0f;
    // The first `ahead` rows are requested together up front: their misses then overlap
    // instead of each waiting in turn (a user's row holds ~150 ratings on average, so the
    // unprefetched head would be a tenth of all gathers).
    for (std::size_t j = 0; j < std::min(n, ahead); ++j) {
        const char* first = reinterpret_cast<const char*>(table + items[j] * stride);
        for (std::size_t line = 0; line < stride * sizeof(float); line += 64)
            __builtin_prefetch(first + line);
    }
    for (std::size_t j = 0; j < n; ++j) {
        if (j + ahead < n) {
            const char* next = reinterpret_cast<const char*>(table + items[j + ahead] * stride);
            for (std::size_t line = 0; line < stride * sizeof(float); line += 64)
                __builtin_prefetch(next + line);
        }
        const std::uint32_t item = items[j];
        const float* src = table + item * stride;
        Vec8* row = block + j * static_cast<std::size_t>(nv);
        // The row is loaded into registers, stored to the block and used from the registers:
        // reading it back from the block right after the store would wait for the store to
        // retire (the 32-byte copy is two 16-byte stores with generic tuning, which a 32-byte
        // load cannot be forwarded from).
        Vec8 rv[capacity];
        for (int v = 0; v < nv; ++v) {
            if (v < fullVectors)
                std::memcpy(&rv[v], src + v * kLanes, sizeof(Vec8));
            else
                rv[v] = loadTail(src + v * kLanes, tailLanes);
            row[v] = rv[v];
        }
        Vec8 acc{};  // 0 + rv[0] * x[0] is that product exactly
        for (int v = 0; v < nv; ++v) acc += rv[v] * x[v];
        const float target = values[j] - mu - (withBias ? otherBias[item] : 0.0f);
        const float e = target - x0 - horizontalSum(acc);
        r0 += e;
        for (int v = 0; v < nv; ++v) r[v] += e * rv[v];
    }
    float rr = 0.0f;
    {
        Vec8 acc{};
        for (int v = 0; v < nv; ++v) {
            Vec8 m{};
            if (prior)
                for (int c = 0; c < kLanes && v * kLanes + c < k; ++c) m[c] = prior[v * kLanes + c];
            r[v] -= l * (x[v] - m);
            p[v] = r[v];
            acc += r[v] * r[v];
        }
        r0 = withBias ? r0 - lb * x0 : 0.0f;
        rr = horizontalSum(acc) + r0 * r0;
    }
    float p0 = r0;

    for (int step = 0; step < params.cgSteps && rr > 1e-20f; ++step) {
        // A p in one pass; two accumulator sets (even and odd rows) break the add chain.
        for (int v = 0; v < nv; ++v) ap[v] = ap2[v] = Vec8{};
        float ap0 = 0.0f, ap0b = 0.0f;
        std::size_t j = 0;
        for (; j + 1 < n; j += 2) {
            const Vec8* ra = block + j * static_cast<std::size_t>(nv);
            const Vec8* rb = ra + nv;
            Vec8 da = ra[0] * p[0], db = rb[0] * p[0];
            for (int v = 1; v < nv; ++v) {
                da += ra[v] * p[v];
                db += rb[v] * p[v];
            }
            const float sa = p0 + horizontalSum(da), sb = p0 + horizontalSum(db);
            ap0 += sa;
            ap0b += sb;
            for (int v = 0; v < nv; ++v) {
                ap[v] += sa * ra[v];
                ap2[v] += sb * rb[v];
            }
        }
        if (j < n) {
            const Vec8* ra = block + j * static_cast<std::size_t>(nv);
            Vec8 da = ra[0] * p[0];
            for (int v = 1; v < nv; ++v) da += ra[v] * p[v];
            const float sa = p0 + horizontalSum(da);
            ap0 += sa;
            for (int v = 0; v < nv; ++v) ap[v] += sa * ra[v];
        }
        ap0 = withBias ? ap0 + ap0b + lb * p0 : 0.0f;
        Vec8 pap{};
        for (int v = 0; v < nv; ++v) {
            ap[v] += ap2[v] + l * p[v];
            pap += p[v] * ap[v];
        }
        const float denom = horizontalSum(pap) + p0 * ap0;
        if (!(denom > 0.0f)) break;
        const float alpha = rr / denom;
        Vec8 acc{};
        for (int v = 0; v < nv; ++v) {
            x[v] += alpha * p[v];
            r[v] -= alpha * ap[v];
            acc += r[v] * r[v];
        }
        x0 += alpha * p0;
        r0 -= alpha * ap0;
        const float rrNew = horizontalSum(acc) + r0 * r0;
        const float beta = rrNew / rr;
        for (int v = 0; v < nv; ++v) p[v] = r[v] + beta * p[v];
        p0 = r0 + beta * p0;
        rr = rrNew;
    }
    for (int v = 0; v < nv; ++v)
        for (int c = 0; c < kLanes && v * kLanes + c < k; ++c) factors[v * kLanes + c] = x[v][c];
    bias = withBias ? x0 : 0.0f;
}

void explicitRowFusedCgDispatch(std::span<const std::uint32_t> items, std::span<const float> values,
                                const FactorMatrix& other, const Eigen::VectorXf& otherBias,
                                float mu, const ExplicitSolveParams& params, const float* prior,
                                FusedWorkspace& ws, float& bias, float* factors) {
    switch ((other.cols() + kLanes - 1) / kLanes) {
#define LENS_FUSED_CASE(V)                                                                  \
    case V:                                                                                 \
        explicitRowFusedCg<V>(items, values, other, otherBias, mu, params, prior, ws, bias, \
                              factors);                                                     \
        return;
        LENS_FUSED_CASE(1)
        LENS_FUSED_CASE(2)
        LENS_FUSED_CASE(3)
        LENS_FUSED_CASE(4)
        LENS_FUSED_CASE(5)
        LENS_FUSED_CASE(6)
        LENS_FUSED_CASE(7)
        LENS_FUSED_CASE(8)
#undef LENS_FUSED_CASE
        default:
            explicitRowFusedCg<0>(items, values, other, otherBias, mu, params, prior, ws, bias,
                                  factors);
    }
}

}  // namespace

void solveExplicitSide(const SparseRatings& ratings, const FactorMatrix& other,
                       const Eigen::VectorXf& otherBias, float mu,
                       const ExplicitSolveParams& params, FactorMatrix& mine,
                       Eigen::VectorXf& myBias) {
    const auto rows = static_cast<std::int64_t>(ratings.rows());
    const auto k = other.cols();
    // Small chunks: rows are often sorted by popularity, and one chunk must not hold all the
    // heavy rows.
    const std::int64_t chunk = std::max<std::int64_t>(1, rows / 8192);
#pragma omp parallel
    {
        Workspace ws;
        FusedWorkspace fused;
        Eigen::VectorXf x;
#pragma omp for schedule(dynamic, chunk)
        for (std::int64_t r = 0; r < rows; ++r) {
            const float* prior = params.priorMean ? params.priorMean->row(r).data() : nullptr;
            if (ratings.rowSize(static_cast<std::size_t>(r)) == 0) {
                if (prior)
                    mine.row(r) = params.priorMean->row(r);
                else
                    mine.row(r).setZero();
                myBias[r] = 0.0f;
                continue;
            }
            const auto items = ratings.rowIndex(static_cast<std::size_t>(r));
            if (params.cgSteps > 0) {
                explicitRowFusedCgDispatch(items, ratings.rowValues(static_cast<std::size_t>(r)),
                                           other, otherBias, mu, params, prior, fused, myBias[r],
                                           mine.row(r).data());
                continue;
            }
            const Eigen::Index off = params.solveBias ? 1 : 0;
            x.resize(k + off);
            if (params.solveBias) x[0] = myBias[r];
            x.tail(k) = mine.row(r).transpose();
            explicitRowCore(ratings.rowIndex(static_cast<std::size_t>(r)),
                            ratings.rowValues(static_cast<std::size_t>(r)), other, otherBias, mu,
                            params, prior, ws, x);
            myBias[r] = params.solveBias ? x[0] : 0.0f;
            mine.row(r) = x.tail(k).transpose();
        }
    }
}

void solveExplicitRow(std::span<const std::uint32_t> items, std::span<const float> ratings,
                      const FactorMatrix& other, const Eigen::VectorXf& otherBias, float mu,
                      const ExplicitSolveParams& params, const Eigen::VectorXf* priorMean,
                      Eigen::VectorXf& factors, float& bias, Eigen::MatrixXf* basis) {
    const auto k = other.cols();
    const Eigen::Index off = params.solveBias ? 1 : 0;
    if (items.empty()) {
        factors = priorMean ? *priorMean : Eigen::VectorXf::Zero(k);
        bias = 0.0f;
        if (basis) basis->resize(k + off, 0);
        return;
    }
    ExplicitSolveParams exact = params;
    exact.cgSteps = 0;  // fold-in is one small solve: always exact
    Workspace ws;
    Eigen::VectorXf x = Eigen::VectorXf::Zero(k + off);
    explicitRowCore(items, ratings, other, otherBias, mu, exact,
                    priorMean ? priorMean->data() : nullptr, ws, x);
    bias = params.solveBias ? x[0] : 0.0f;
    factors = x.tail(k);
    if (basis) explicitBasis(items, other, ws.t, params.solveBias, ws, *basis);
}

namespace {

void implicitRowCore(std::span<const std::uint32_t> items, std::span<const float> values,
                     const FactorMatrix& other, const Eigen::MatrixXf& gram,
                     const ImplicitSolveParams& params, Workspace& ws, Eigen::VectorXf& x) {
    const auto n = static_cast<Eigen::Index>(items.size());
    const auto k = other.cols();
    RowBlock y = ws.gather(items, other);
    ws.t.resize(n);  // confidences
    for (Eigen::Index j = 0; j < n; ++j)
        ws.t[j] = implicitConfidence(params, values[static_cast<std::size_t>(j)]);
    ws.rhs.noalias() = y.transpose() * ws.t;  // Y_u^T C_u 1
    if (params.cgSteps > 0 && useConjugateGradient(n, k)) {
        // A v = (Y^T Y + lambda I) v + Y_u^T ((C_u - I) Y_u v).
        auto applyA = [&](const Eigen::VectorXf& v, Eigen::VectorXf& out) {
            out.noalias() = gram * v;
            out += params.lambda * v;
            ws.cgYv.noalias() = y * v;
            ws.cgYv.array() *= ws.t.array() - 1.0f;
            out.noalias() += y.transpose() * ws.cgYv;
        };
        conjugateGradient(applyA, ws.rhs, x, params.cgSteps, ws);
        return;
    }
    // Scale rows by sqrt(c - 1) so that one rank-n product gives Y_u^T (C_u - I) Y_u.
    for (Eigen::Index j = 0; j < n; ++j) y.row(j) *= std::sqrt(ws.t[j] - 1.0f);
    ws.a = gram;
    ws.a.selfadjointView<Eigen::Lower>().rankUpdate(y.transpose());
    ws.a.diagonal().array() += params.lambda;
    ws.llt.compute(ws.a);
    x = ws.llt.solve(ws.rhs);
}

}  // namespace

void solveImplicitSide(const SparseRatings& ratings, const FactorMatrix& other,
                       const ImplicitSolveParams& params, FactorMatrix& mine) {
    const Eigen::MatrixXf gram = gramOf(other);
    const auto rows = static_cast<std::int64_t>(ratings.rows());
    const std::int64_t chunk = std::max<std::int64_t>(1, rows / 8192);
#pragma omp parallel
    {
        Workspace ws;
        Eigen::VectorXf x;
#pragma omp for schedule(dynamic, chunk)
        for (std::int64_t r = 0; r < rows; ++r) {
            if (ratings.rowSize(static_cast<std::size_t>(r)) == 0) {
                mine.row(r).setZero();
                continue;
            }
            x = mine.row(r).transpose();
            implicitRowCore(ratings.rowIndex(static_cast<std::size_t>(r)),
                            ratings.rowValues(static_cast<std::size_t>(r)), other, gram, params, ws,
                            x);
            mine.row(r) = x.transpose();
        }
    }
}

void solveImplicitRow(std::span<const std::uint32_t> items, std::span<const float> ratings,
                      const FactorMatrix& other, const Eigen::MatrixXf& gram,
                      const ImplicitSolveParams& params, Eigen::VectorXf& factors,
                      Eigen::MatrixXf* basis) {
    const auto k = other.cols();
    if (items.empty()) {
        factors = Eigen::VectorXf::Zero(k);
        if (basis) basis->resize(k, 0);
        return;
    }
    ImplicitSolveParams exact = params;
    exact.cgSteps = 0;
    Workspace ws;
    Eigen::VectorXf x = Eigen::VectorXf::Zero(k);
    implicitRowCore(items, ratings, other, gram, exact, ws, x);
    factors = x;
    if (basis) {
        const auto n = static_cast<Eigen::Index>(items.size());
        Eigen::MatrixXf z(k, n);
        for (Eigen::Index j = 0; j < n; ++j)
            z.col(j) = other.row(items[static_cast<std::size_t>(j)]).transpose() * ws.t[j];
        *basis = ws.llt.solve(z);
    }
}

Eigen::MatrixXf gramOf(const FactorMatrix& factors) {
    // Fixed blocks summed in order: deterministic whatever the thread count.
    const auto k = factors.cols();
    const Eigen::Index rows = factors.rows();
    constexpr Eigen::Index block = 4096;
    const Eigen::Index blocks = (rows + block - 1) / block;
    std::vector<Eigen::MatrixXf> partial(static_cast<std::size_t>(blocks));
#pragma omp parallel for schedule(static)
    for (Eigen::Index b = 0; b < blocks; ++b) {
        const Eigen::Index start = b * block, len = std::min(block, rows - start);
        Eigen::MatrixXf g = Eigen::MatrixXf::Zero(k, k);
        g.selfadjointView<Eigen::Lower>().rankUpdate(factors.middleRows(start, len).transpose());
        partial[static_cast<std::size_t>(b)] = g;
    }
    Eigen::MatrixXf gram = Eigen::MatrixXf::Zero(k, k);
    for (const auto& g : partial) gram += g;
    gram.triangularView<Eigen::StrictlyUpper>() = gram.transpose();
    return gram;
}

void initFactors(FactorMatrix& factors, float sigma, std::uint64_t seed, std::uint64_t stream) {
    const auto rows = static_cast<std::int64_t>(factors.rows());
#pragma omp parallel for schedule(static)
    for (std::int64_t r = 0; r < rows; ++r) {
        Pcg32 rng(deriveSeed(seed, stream + static_cast<std::uint64_t>(r)));
        for (Eigen::Index c = 0; c < factors.cols(); ++c)
            factors(r, c) = static_cast<float>(sigma * rng.normal());
    }
}

}  // namespace lens
