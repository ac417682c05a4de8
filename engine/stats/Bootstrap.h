#pragma once
// Bootstrap confidence intervals of a mean of per-user values (the Compare stage): users are
// the resampled unit, because a model's per-user metric values are the independent draws.
//
// One resample b (b = 0 .. B-1) draws n user indices uniformly with replacement,
// i_1 .. i_n ~ U{0, n-1}, from its own generator Pcg32(deriveSeed(seed, b)) (Lemire's unbiased
// bounded integers), and gives the resample mean m_b = (1/n) sum_k x[i_k], summed in draw
// order. Resamples run in parallel (OpenMP) but each depends only on (seed, b, n), so a seed
// gives the same interval whatever the thread count, and two calls with the same seed and the
// same n draw the same indices: the intervals of several metrics over the same users are
// computed on the same resamples, and bootstrapMeanDifferenceCI(a, b) uses exactly the
// resamples of bootstrapMeanCI(a) and bootstrapMeanCI(b).
//
// Percentile interval (Efron & Tibshirani 1993, ch. 13) at confidence c: with the sorted
// resample means m_(0) <= .. <= m_(B-1) and alpha = 1 - c,
//   lower = Q(alpha / 2), upper = Q(1 - alpha / 2),
// where Q(p) interpolates linearly between order statistics at position h = (B - 1) p,
//   Q(p) = m_(floor h) + (h - floor h) (m_(floor h + 1) - m_(floor h))
// (Hyndman & Fan type 7, numpy's default `percentile`). The standard error is the sample
// standard deviation of the m_b (denominator B - 1).
//
// Cost: n * B bounded draws and reads; 138,493 users x 1,000 resamples take about 0.3 s on
// 2 cores (see tests/engine/tst_comparison_stats.cpp, `bootstrapSpeed`).
#include <cstdint>
#include <span>
#include <vector>

namespace lens {

struct BootstrapOptions {
    int resamples = 1000;      // B >= 1
    double confidence = 0.95;  // c in (0, 1)
    std::uint64_t seed = 42;
    bool keepResampleMeans = false;  // fill BootstrapCI::resampleMeans (in resample order)
};

struct BootstrapCI {
    std::size_t n = 0;      // values (users)
    double estimate = 0.0;  // the plain mean of the values (NaN when n = 0)
    double lower = 0.0;     // percentile interval (NaN when n = 0)
    double upper = 0.0;
    double standardError = 0.0;  // sd of the resample means (NaN when n = 0 or B = 1)
    int resamples = 0;
    double confidence = 0.95;
    std::uint64_t seed = 42;
    std::vector<double> resampleMeans;  // only with BootstrapOptions::keepResampleMeans
    bool contains(double value) const { return lower <= value && value <= upper; }
};

// Percentile CI of the mean of `values`. Throws std::invalid_argument for a non-finite value,
// resamples < 1 or a confidence outside (0, 1). An empty input gives n = 0 and NaN bounds.
BootstrapCI bootstrapMeanCI(std::span<const double> values, const BootstrapOptions& options = {});

// Paired: CI of the mean of d_i = a_i - b_i, resampling users (the same indices for a and b).
// Throws std::invalid_argument when the sizes differ (and as above).
BootstrapCI bootstrapMeanDifferenceCI(std::span<const double> a, std::span<const double> b,
                                      const BootstrapOptions& options = {});

// Type-7 quantile of ascending `sorted` at p in [0, 1] (NaN when empty).
double sortedQuantile(std::span<const double> sorted, double p);

}  // namespace lens
