#pragma once
// Discrete power-law fit by maximum likelihood, with x_min chosen by the minimum
// Kolmogorov-Smirnov distance (Clauset, Shalizi & Newman 2009, "Power-law distributions in
// empirical data", SIAM Review 51(4), sections 3.1 and 3.3).
//
// Model on the tail x >= x_min: P(X = x) = x^(-alpha) / zeta(alpha, x_min), with the Hurwitz
// zeta as normaliser. For a given x_min the log-likelihood of the n tail values is
//   L(alpha) = -n ln zeta(alpha, x_min) - alpha * sum ln x_i,
// which is concave in alpha (ln zeta is a log-sum-exp in alpha), so a golden-section search on
// [alphaLow, alphaHigh] finds the maximum. The KS distance
//   D = max_{x >= x_min} |S(x) - P(x)|
// between the empirical CDF S of the tail and the fitted CDF P(x) = 1 - zeta(alpha, x+1) /
// zeta(alpha, x_min) is the supremum over all integers x (both CDFs are step functions, so it is
// attained at a data value or one below the next data value). The x_min with the smallest D wins
// (ties: the smaller x_min).
//
// Candidates: every distinct value that leaves at least `minTail` values (and two distinct
// values) in the tail. The KS scan of a candidate stops once both remaining tail masses fall
// below the best distance so far for that candidate, which makes the whole search close to
// linear in the number of distinct values. Candidates run in parallel (OpenMP).
//
// Standard error of alpha: the discrete Fisher information,
//   se = 1 / sqrt(n * Var(ln X)),  Var(ln X) = d^2/dalpha^2 ln zeta(alpha, x_min),
// (the second derivative by a central difference), reported as `alphaStdErr`; Clauset's
// continuous approximation (alpha - 1) / sqrt(n) is reported as `alphaStdErrApprox`.
#include <cstdint>
#include <limits>

#include "stats/ValueCounts.h"

namespace lens {

struct PowerLawFitOptions {
    std::uint64_t minTail = 50;  // fewest tail values a candidate x_min may leave (capped at n)
    double alphaLow = 1.0001;    // search interval for alpha
    double alphaHigh = 30.0;
    double alphaTolerance = 1e-7;
};

struct PowerLawFit {
    bool valid = false;  // false when the sample has fewer than two distinct positive values
    double alpha = std::numeric_limits<double>::quiet_NaN();
    double alphaStdErr = std::numeric_limits<double>::quiet_NaN();        // discrete Fisher
    double alphaStdErrApprox = std::numeric_limits<double>::quiet_NaN();  // (alpha - 1)/sqrt(n)
    std::uint64_t xmin = 0;
    double ks = std::numeric_limits<double>::quiet_NaN();
    std::uint64_t nTail = 0;  // values >= xmin
    std::uint64_t n = 0;      // positive values in the sample
    double logLikelihood = std::numeric_limits<double>::quiet_NaN();  // of the tail at alpha
    std::size_t candidatesTried = 0;
};

// Full fit: x_min by minimum KS distance. Zero values are ignored (the law lives on x >= 1).
PowerLawFit fitDiscretePowerLaw(const ValueCounts& sample, const PowerLawFitOptions& options = {});

// Alpha, its errors and the KS distance for a given x_min (no search over x_min); an x_min
// that is not a value of the sample is raised to the next value that is.
PowerLawFit fitDiscretePowerLawAt(const ValueCounts& sample, std::uint64_t xmin,
                                  const PowerLawFitOptions& options = {});

// P(X >= x) under the fitted tail law, for x >= xmin: zeta(alpha, x) / zeta(alpha, xmin).
double powerLawTailCcdf(const PowerLawFit& fit, double x);

}  // namespace lens
