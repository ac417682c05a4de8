#pragma once
// The dense kernels shared by the ALS models: one half-sweep solves every row (user or movie)
// of one side against the fixed other side. A driver (AlsModel, GenrePriorAls, ImplicitAls)
// owns the iteration loop, metrics and observer.
//
// Explicit half-sweep, joint solve of the augmented (k+1) system (not bias-then-factors):
// for a row u with rated items j, targets t_j = r_uj - mu - b_j (b_j: other side's bias) and
// features z_j = [1, q_j], the unknowns x_u = [b_u, p_u] minimise
//     sum_j (t_j - z_j . x_u)^2 + lb_u b_u^2 + l_u |p_u - m_u|^2
// with l_u = lambda (plain) or lambda * n_u (weighted, Zhou et al. 2008), lb_u likewise with the
// bias lambda, and m_u an optional prior mean (genre prior; 0 otherwise). Normal equations:
//     [ n + lb_u      1^T Y_u          ] x_u = [ 1^T t            ]
//     [ Y_u^T 1       Y_u^T Y_u + l_u I]       [ Y_u^T t + l_u m_u]
// Y_u (n x k) is the user's item factors gathered into a contiguous block; Y_u^T Y_u is one
// rank-n symmetric product (Eigen selfadjointView::rankUpdate, i.e. a SYRK on the block), never
// a loop of rank-1 updates. Solved by Cholesky (LLT) or, optionally, by a few steps of
// conjugate gradient warm-started at the previous x_u (Takacs, Pilaszy & Tikk 2011). The CG
// solve forms no Gram matrix: each step applies A in one fused pass over the gathered rows
// (s_j = v0 + y_j . v1, then A v = [lb v0 + sum s_j ; Y^T s + l v1]), and the starting
// residual comes from the row's prediction errors in the pass that gathers the block, so s
// steps read the block 1 + s times.
//
// Implicit half-sweep (Hu, Koren & Volinsky 2008): preferences p = 1 for rated items with
// confidence c_j = 1 + alpha * r_j (or 1 + alpha), zero preference with confidence 1 elsewhere:
//     (Y^T Y + Y_u^T (C_u - I) Y_u + lambda I) x_u = Y_u^T C_u 1
// with Y^T Y computed once per half-sweep.
//
// Storage float32; the Gram block, the bias border and the right-hand side accumulate in
// float inside the GEMM kernel (exact enough: float relative error ~1e-7 per term). Every row
// is solved independently from the same inputs, so results do not depend on the thread count.
#include <Eigen/Core>
#include <cstdint>
#include <span>

#include "models/TrainData.h"

namespace lens {

using FactorMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

struct ExplicitSolveParams {
    float lambda = 0.1f;      // factor regularisation
    float biasLambda = 0.1f;  // bias regularisation
    bool weighted = true;     // multiply both by the row's rating count
    bool solveBias = true;    // false: bias fixed at 0 (plain MF)
    int cgSteps = 0;          // 0: Cholesky; > 0: conjugate-gradient steps from the current x
    const FactorMatrix* priorMean = nullptr;  // rows aligned with this side; null: prior mean 0
};

// One explicit half-sweep over all rows of `ratings` (rows = this side). `mine` and `myBias`
// hold the current values (used as CG warm start) and receive the solution. Rows without
// ratings get their prior mean (or 0) and bias 0. Drivers check for a stop between half-sweeps.
void solveExplicitSide(const SparseRatings& ratings, const FactorMatrix& other,
                       const Eigen::VectorXf& otherBias, float mu,
                       const ExplicitSolveParams& params, FactorMatrix& mine,
                       Eigen::VectorXf& myBias);

// The same solve for one row given explicitly (fold-in). If `basis` is not null it receives
// A^-1 [1; q_j] t_j for every rated item j as columns ((k+1) x n): the per-item contributions.
void solveExplicitRow(std::span<const std::uint32_t> items, std::span<const float> ratings,
                      const FactorMatrix& other, const Eigen::VectorXf& otherBias, float mu,
                      const ExplicitSolveParams& params, const Eigen::VectorXf* priorMean,
                      Eigen::VectorXf& factors, float& bias, Eigen::MatrixXf* basis);

struct ImplicitSolveParams {
    float lambda = 0.1f;
    float alpha = 1.0f;
    bool scaleByRating = true;  // c = 1 + alpha * r; false: c = 1 + alpha
    int cgSteps = 0;            // 0: Cholesky
};

inline float implicitConfidence(const ImplicitSolveParams& p, float rating) {
    return 1.0f + p.alpha * (p.scaleByRating ? rating : 1.0f);
}

void solveImplicitSide(const SparseRatings& ratings, const FactorMatrix& other,
                       const ImplicitSolveParams& params, FactorMatrix& mine);

// One implicit row (fold-in); `basis` receives A^-1 q_j c_j as columns (k x n).
void solveImplicitRow(std::span<const std::uint32_t> items, std::span<const float> ratings,
                      const FactorMatrix& other, const Eigen::MatrixXf& gram,
                      const ImplicitSolveParams& params, Eigen::VectorXf& factors,
                      Eigen::MatrixXf* basis);

// Y^T Y of a factor matrix (k x k, full symmetric), deterministic.
Eigen::MatrixXf gramOf(const FactorMatrix& factors);

// Rows ~ N(0, sigma^2) from per-row streams deriveSeed(seed, stream + row): same values for
// any thread count and any order.
void initFactors(FactorMatrix& factors, float sigma, std::uint64_t seed, std::uint64_t stream);

}  // namespace lens
