#pragma once
// t-distributed stochastic neighbour embedding (van der Maaten & Hinton 2008) into 2D, exact for
// small inputs, Barnes-Hut (van der Maaten 2014) above a size threshold and FFT-accelerated
// interpolation (FIt-SNE, Linderman et al. 2019; projection/TsneInterpolation.h) for large ones.
//
// Input similarities: for each point i a Gaussian over squared distances, its precision beta_i
// found by binary search so that the perplexity 2^H(P_i) of p_{j|i} matches the setting;
// P = (P_cond + P_cond^T) / sum. Exact: all n - 1 other points. Barnes-Hut: only the
// k = 3 * perplexity nearest neighbours (brute-force k-NN by blocked products, in parallel), so P
// is sparse.
//
// Output: a Student-t kernel q_ij = (1 + |y_i - y_j|^2)^-1 / Z, Z = sum_{k != l} (1 + |y_k -
// y_l|^2)^-1. The gradient of KL(P || Q) is (up to the constant 4 folded into the learning rate, as
// bhtsne does) dC/dy_i = sum_j p_ij w_ij (y_i - y_j) - (1/Z) sum_j w_ij^2 (y_i - y_j), w_ij = (1 +
// d_ij^2)^-1. Barnes-Hut approximates the second (repulsive) sum with a quadtree: a cell of width w
// whose centre of mass lies at distance D from y_i is taken as one body when w / D < theta.
// Interpolation computes the same two sums on a grid (TsneInterpolation.h): its cost grows with
// n plus the grid, so 84,000 movies take seconds per hundred iterations where Barnes-Hut takes
// minutes. Both share the sparse P and the attractive term.
// Optimisation: gradient descent with momentum (0.5, then 0.8 after 250 iterations), per-
// coordinate gains (+0.2 when the gradient changes sign, *0.8 otherwise, floor 0.01), early
// exaggeration (P * 12 for the first 250 iterations), layout re-centred each iteration.
// Initial layout: N(0, 1e-4^2) from lens::Pcg32(seed), so a seed gives the same map everywhere;
// per-point loops run in parallel (OpenMP) and write per-point results that are summed serially,
// so the result does not depend on the thread count either.
//
// Animation, pause and stop: the observer is called every `observeEvery` iterations (and after
// the last one) with the current layout. Returning false stops the run; the result then holds the
// layout reached so far with stoppedEarly = true (a partly converged map is still a map, so this is
// not an error). To pause, the caller blocks inside the observer (e.g. waits on a condition
// variable in the worker thread) until resumed; t-SNE itself keeps no clock other than the
// elapsed time it reports.
#include <cstdint>
#include <functional>

#include "projection/EmbeddingMatrix.h"
#include "projection/TsneInterpolation.h"

namespace lens {

enum class TsneMethod { Automatic, Exact, BarnesHut, Interpolation };

struct TsneConfig {
    double perplexity = 30.0;  // clamped to (n - 1) / 3 for small inputs
    int iterations = 1000;
    double learningRate = 0.0;  // <= 0: automatic, max(200, n / 12) (Belkina et al. 2019)
    double theta = 0.5;         // Barnes-Hut accuracy (0 would be exact but slow)
    double earlyExaggeration = 12.0;
    int exaggerationIterations = 250;
    double initialMomentum = 0.5;
    double finalMomentum = 0.8;
    int momentumSwitchIteration = 250;
    TsneMethod method = TsneMethod::Automatic;
    InterpolationSettings interpolation;  // the grid of TsneMethod::Interpolation
    int exactThreshold = 1000;            // Automatic: exact when n <= this,
    int interpolationThreshold = 10000;   // Barnes-Hut when n <= this, interpolation above
    std::uint64_t seed = 42;
    int observeEvery = 10;
};

struct TsneProgress {
    int iteration = 0;  // iterations done so far
    int totalIterations = 0;
    double elapsedSeconds = 0.0;
    double klDivergence = 0.0;  // KL(P || Q) of the current layout (without exaggeration)
    bool exact = false;
    const EmbeddingMatrix* layout = nullptr;  // n x 2, valid during the call only
};

// Returns false to stop. May block to pause. Called on the thread that runs runTsne.
using TsneObserver = std::function<bool(const TsneProgress&)>;

struct TsneResult {
    EmbeddingMatrix layout;  // n x 2
    int iterationsRun = 0;
    bool stoppedEarly = false;
    bool exact = false;
    TsneMethod method = TsneMethod::Exact;  // the method used (never Automatic)
    double perplexity = 0.0;                // the perplexity actually used (after clamping)
    double klDivergence = 0.0;
    double seconds = 0.0;
};

// Throws std::invalid_argument for fewer than 2 points, non-positive perplexity or iterations,
// non-finite input values; std::runtime_error when the layout diverges under interpolation.
TsneResult runTsne(const EmbeddingMatrix& points, const TsneConfig& config = {},
                   const TsneObserver& observer = {});

}  // namespace lens
