#pragma once
// The sampling kernels of Bayesian probabilistic matrix factorisation (Salakhutdinov & Mnih,
// ICML 2008); BpmfModel owns the Gibbs loop, the sample store and the reporting.
//
// Model (ratings centred on the global mean mu, t_ij = r_ij - mu):
//     t_ij | U_i, V_j        ~ N(U_i . V_j, 1 / alpha)
//     U_i | mu_U, Lambda_U   ~ N(mu_U, Lambda_U^-1)           (V_j likewise with mu_V, Lambda_V)
//     mu_U, Lambda_U         ~ N(mu_U | mu0, (beta0 Lambda_U)^-1) W(Lambda_U | W0, nu0)
// with mu0 = 0, W0 = I, nu0 = k and beta0 = 2 (the paper's settings).
//
// Hyper-parameters given the N rows of one side that have ratings (mean Ubar, scatter
// S = sum (U_i - Ubar)(U_i - Ubar)^T):
//     beta* = beta0 + N, nu* = nu0 + N, mu0* = (beta0 mu0 + N Ubar) / (beta0 + N)
//     W*^-1 = W0^-1 + S + beta0 N / (beta0 + N) (mu0 - Ubar)(mu0 - Ubar)^T
//     Lambda ~ W(W*, nu*) (Bartlett decomposition), mu ~ N(mu0*, (beta* Lambda)^-1).
// Rows without ratings carry no information and are left out (their vector is set to mu).
//
// One row's conditional given the other side V and (mu, Lambda):
//     Lambda* = Lambda + alpha sum_j V_j V_j^T,  m* = Lambda*^-1 (alpha sum_j V_j t_ij + Lambda mu)
//     U_i = m* + L^-T z,  Lambda* = L L^T,  z ~ N(0, I)
// The normal equations are those of ALS with the isotropic lambda I replaced by Lambda: the
// rated rows are gathered into a block Y (from the other side repacked into aligned rows,
// PackedFactors) and Y^T Y is one rank-n product in register tiles (AVX2, or AVX-512 where the
// processor has it: GramKernel); Lambda* is factored in place by panels of four columns and
// the draw is U_i = L^-T (L^-1 Lambda* m* + z), one forward and one back substitution.
// With biases, each side's rows are [p, b] (k + 1 columns) and r_ij - mu ~ p_i . q_j + b_i + b_j:
// a row is solved with the other side's features [q_j, 1] and targets t_ij - b_j, so the bias
// is one more coordinate under the same Normal-Wishart prior (dimension k + 1).
// Storage float32, hyper-parameters in double. Every row draws from its own stream
// deriveSeed(streamSeed, row), so a side's draw is identical for any thread count.
#include <Eigen/Cholesky>
#include <Eigen/Core>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "models/AlsKernels.h"
#include "models/TrainData.h"
#include "util/Random.h"

namespace lens {

// (mu, Lambda) of one side.
struct GaussianHyper {
    Eigen::VectorXf mean;       // mu
    Eigen::MatrixXf precision;  // Lambda (k x k, symmetric positive definite)
};

struct NormalWishartPrior {
    double beta0 = 2.0;
    double nu0 = 0.0;  // <= 0: k
};

// Gamma(shape, 1) by Marsaglia & Tsang (2000); shape < 1 by boosting: G(a) = G(a + 1) U^(1/a).
double sampleGamma(double shape, Pcg32& rng);

// A Wishart W(scale, dof) draw (dof > k - 1) by the Bartlett decomposition:
// L A A^T L^T with scale = L L^T, A lower triangular, A_ii = sqrt(chi2(dof - i)), A_ij ~ N(0, 1).
Eigen::MatrixXd sampleWishart(const Eigen::MatrixXd& scale, double dof, Pcg32& rng);

// The Normal-Wishart posterior parameters of one side (the formulas above) from the rows that
// have ratings (ratings.rowSize(r) > 0), summed in fixed blocks: thread-count independent.
struct NormalWishartPosterior {
    Eigen::VectorXd mean;   // mu0*
    Eigen::MatrixXd scale;  // W*
    double beta = 0.0;      // beta*
    double dof = 0.0;       // nu*
    std::size_t rows = 0;   // N
};
// `shift` (optional, same shape as `factors`): each row's prior mean is mu + shift_r (the genre
// prior below), so the posterior is that of the rows minus their shifts.
NormalWishartPosterior normalWishartPosterior(const FactorMatrix& factors,
                                              const SparseRatings& ratings,
                                              const NormalWishartPrior& prior,
                                              const FactorMatrix* shift = nullptr);
// One draw of (mu, Lambda) from that posterior.
GaussianHyper sampleHyper(const NormalWishartPosterior& posterior, Pcg32& rng);

// One row's conditional precision Lambda* and mean m* (the formulas above; rows of `other`
// indexed by `items`, ratings centred by `mu`; `biases`: the last column is the bias, above).
void rowConditional(std::span<const std::uint32_t> items, std::span<const float> ratings,
                    const FactorMatrix& other, float alpha, float mu, const GaussianHyper& hyper,
                    bool biases, Eigen::MatrixXf& precision, Eigen::VectorXf& mean);

// The other side's rows repacked for the row draws: the features in 64-byte aligned rows of
// `stride` floats (a multiple of 8, zero padded: a row is whole cache lines and whole vectors),
// the biases apart. Kept by the caller so its memory is reused from sweep to sweep.
class PackedFactors {
public:
    void pack(const FactorMatrix& factors, bool biases);
    const float* row(std::uint32_t r) const {
        return rows_.get() + static_cast<std::size_t>(r) * static_cast<std::size_t>(stride_);
    }
    float bias(std::uint32_t r) const { return biases_.empty() ? 0.0f : biases_[r]; }
    int stride() const { return stride_; }
    int features() const { return features_; }

private:
    struct FreeDeleter {
        void operator()(float* p) const;
    };
    std::unique_ptr<float[], FreeDeleter> rows_;
    std::size_t capacity_ = 0;  // floats
    std::vector<float> biases_;
    int stride_ = 0, features_ = 0;
};

// The kernel that forms Y^T Y of a row's system: AVX-512 where the processor has it (chosen at
// run time), else AVX2; both give identical results. Tests pin each in turn.
enum class GramKernel { Auto, Avx2, Avx512 };
bool gramKernelAvailable(GramKernel kernel);
void pinGramKernel(GramKernel kernel);  // Auto: the processor decides

// Draws every row of `mine` (rows = this side of `ratings`) from its conditional; rows without
// ratings get their prior mean. `shift` (optional): row r's prior mean is hyper.mean + shift_r.
// `scratch` (optional): where `other` is packed (reused across calls).
void sampleSide(const SparseRatings& ratings, const FactorMatrix& other, float alpha, float mu,
                const GaussianHyper& hyper, bool biases, std::uint64_t streamSeed,
                FactorMatrix& mine, const FactorMatrix* shift = nullptr,
                PackedFactors* scratch = nullptr);

// Genre prior on the movie side (optional): V_i ~ N(mu_V + Theta^T f_i, Lambda_V^-1) with f_i
// the movie's row-normalised genre indicators (F, movies x G, as genre-prior ALS) and Theta
// (G x k) under an isotropic prior vec(Theta) ~ N(0, tau^-1 I), independent of (mu_V, Lambda_V)
// so their Normal-Wishart update is that of the rows V_i - Theta^T f_i. Theta's conditional given
// the rated movies (R_i = V_i - mu_V), with vec() stacking Theta's columns:
//     P = Lambda_V (x) F^T F + tau I,   P vec(Theta*) = vec(F^T R Lambda_V),
//     Theta = Theta* + P^-1/2 z (Cholesky of P; Gk dimensions, k x 20 genres).
struct GenreWeightsConditional {
    Eigen::VectorXd mean;       // vec(Theta*)
    Eigen::MatrixXd precision;  // P
};
GenreWeightsConditional genreWeightsConditional(const FactorMatrix& items,
                                                const SparseRatings& byItem,
                                                const Eigen::MatrixXf& genres,
                                                const GaussianHyper& hyper, double tau);
// One draw of Theta (genres x k) from that conditional.
Eigen::MatrixXf sampleGenreWeights(const GenreWeightsConditional& conditional, Eigen::Index genres,
                                   Pcg32& rng);

}  // namespace lens
