#include "stats/Bootstrap.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include "util/Nan.h"
#include "util/Random.h"

namespace lens {

namespace {

constexpr double kParallelDraws = 1 << 20;  // n * B from which resamples run in parallel

void checkOptions(const BootstrapOptions& options) {
    if (options.resamples < 1)
        throw std::invalid_argument("bootstrap: resamples must be at least 1 (got " +
                                    std::to_string(options.resamples) + ")");
    if (!(options.confidence > 0.0 && options.confidence < 1.0))
        throw std::invalid_argument("bootstrap: confidence must lie strictly between 0 and 1");
}

void checkFinite(std::span<const double> values, const char* what) {
    for (std::size_t i = 0; i < values.size(); ++i)
        if (!std::isfinite(values[i]))
            throw std::invalid_argument(std::string("bootstrap: ") + what + " value " +
                                        std::to_string(i) + " is not finite");
}

// The percentile bootstrap of the mean of `values` (already checked).
BootstrapCI percentileBootstrap(std::span<const double> values, const BootstrapOptions& options) {
    BootstrapCI ci;
    ci.n = values.size();
    ci.resamples = options.resamples;
    ci.confidence = options.confidence;
    ci.seed = options.seed;
    if (values.empty()) {
        ci.estimate = ci.lower = ci.upper = ci.standardError = kNaN;
        return ci;
    }
    const std::size_t n = values.size();
    double total = 0.0;
    for (const double v : values) total += v;
    ci.estimate = total / static_cast<double>(n);

    const int resamples = options.resamples;
    std::vector<double> means(static_cast<std::size_t>(resamples));
    const double* x = values.data();
    const auto bound = static_cast<std::uint32_t>(n);
    // Each resample depends only on (seed, b, n): the result is the same for any schedule.
    // Small jobs (under ~a millisecond) stay serial: a parallel region would cost more.
    const bool parallel = static_cast<double>(n) * resamples >= kParallelDraws;
#pragma omp parallel for schedule(dynamic, 8) if (parallel)
    for (int b = 0; b < resamples; ++b) {
        Pcg32 rng(deriveSeed(options.seed, static_cast<std::uint64_t>(b)));
        double sum = 0.0;
        for (std::size_t k = 0; k < n; ++k) sum += x[rng.below(bound)];
        means[static_cast<std::size_t>(b)] = sum / static_cast<double>(n);
    }

    double meanOfMeans = 0.0;
    for (const double m : means) meanOfMeans += m;
    meanOfMeans /= static_cast<double>(resamples);
    if (resamples > 1) {
        double ss = 0.0;
        for (const double m : means) ss += (m - meanOfMeans) * (m - meanOfMeans);
        ci.standardError = std::sqrt(ss / static_cast<double>(resamples - 1));
    } else {
        ci.standardError = kNaN;
    }
    if (options.keepResampleMeans) ci.resampleMeans = means;
    std::sort(means.begin(), means.end());
    const double alpha = 1.0 - options.confidence;
    ci.lower = sortedQuantile(means, alpha / 2.0);
    ci.upper = sortedQuantile(means, 1.0 - alpha / 2.0);
    return ci;
}

}  // namespace

double sortedQuantile(std::span<const double> sorted, double p) {
    if (sorted.empty()) return kNaN;
    p = std::clamp(p, 0.0, 1.0);
    const double h = static_cast<double>(sorted.size() - 1) * p;
    const auto lo = static_cast<std::size_t>(std::floor(h));
    if (lo + 1 >= sorted.size()) return sorted.back();
    const double frac = h - static_cast<double>(lo);
    return sorted[lo] + frac * (sorted[lo + 1] - sorted[lo]);
}

BootstrapCI bootstrapMeanCI(std::span<const double> values, const BootstrapOptions& options) {
    checkOptions(options);
    checkFinite(values, "a");
    if (values.size() > std::numeric_limits<std::uint32_t>::max())
        throw std::invalid_argument("bootstrap: more than 2^32 - 1 values");
    return percentileBootstrap(values, options);
}

BootstrapCI bootstrapMeanDifferenceCI(std::span<const double> a, std::span<const double> b,
                                      const BootstrapOptions& options) {
    checkOptions(options);
    if (a.size() != b.size())
        throw std::invalid_argument("bootstrap: paired vectors differ in size (" +
                                    std::to_string(a.size()) + " and " + std::to_string(b.size()) +
                                    ")");
    checkFinite(a, "first");
    checkFinite(b, "second");
    if (a.size() > std::numeric_limits<std::uint32_t>::max())
        throw std::invalid_argument("bootstrap: more than 2^32 - 1 values");
    std::vector<double> d(a.size());
    for (std::size_t i = 0; i < a.size(); ++i) d[i] = a[i] - b[i];
    return percentileBootstrap(d, options);
}

}  // namespace lens
