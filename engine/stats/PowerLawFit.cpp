#include "stats/PowerLawFit.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "stats/HurwitzZeta.h"
#include "util/Nan.h"

namespace lens {

namespace {

// Tail sums of the sample from each distinct-value index: count and sum of ln x.
struct TailSums {
    std::vector<std::uint64_t> count;  // count[i] = values >= values[i]
    std::vector<double> sumLog;        // sum of ln x over those values
};

TailSums tailSums(const ValueCounts& vc, std::size_t first) {
    const std::size_t u = vc.distinct();
    TailSums t;
    t.count.assign(u + 1, 0);
    t.sumLog.assign(u + 1, 0.0);
    for (std::size_t i = u; i-- > first;) {
        t.count[i] = t.count[i + 1] + vc.counts[i];
        t.sumLog[i] = t.sumLog[i + 1] + static_cast<double>(vc.counts[i]) *
                                            std::log(static_cast<double>(vc.values[i]));
    }
    return t;
}

double logLikelihood(double alpha, double xmin, double n, double sumLog) {
    return -n * std::log(hurwitzZeta(alpha, xmin)) - alpha * sumLog;
}

// Golden-section maximisation of the concave log-likelihood.
double maximiseAlpha(double xmin, double n, double sumLog, const PowerLawFitOptions& o) {
    constexpr double kInvPhi = 0.6180339887498949;
    double a = o.alphaLow, b = o.alphaHigh;
    double c = b - kInvPhi * (b - a), d = a + kInvPhi * (b - a);
    double fc = logLikelihood(c, xmin, n, sumLog), fd = logLikelihood(d, xmin, n, sumLog);
    while (b - a > o.alphaTolerance) {
        if (fc >= fd) {
            b = d;
            d = c;
            fd = fc;
            c = b - kInvPhi * (b - a);
            fc = logLikelihood(c, xmin, n, sumLog);
        } else {
            a = c;
            c = d;
            fc = fd;
            d = a + kInvPhi * (b - a);
            fd = logLikelihood(d, xmin, n, sumLog);
        }
    }
    return 0.5 * (a + b);
}

// KS distance between the empirical CDF of the tail (distinct values from `first`) and the
// fitted discrete power law. Z_j = zeta(alpha, values[j]) is evaluated afresh at each distinct
// value from the asymptotic expansion (one exp() per value, with ln x precomputed); below the
// point where the expansion alone is accurate, by subtracting the few terms of the gap.
double ksDistance(const ValueCounts& vc, const std::vector<double>& logValues, std::size_t first,
                  std::uint64_t nTail, double alpha) {
    const std::size_t u = vc.distinct();
    const double asymptoticFrom = hurwitzZetaAsymptoticFrom(alpha);
    const double zMin = hurwitzZeta(alpha, static_cast<double>(vc.values[first]));
    const double invZMin = 1.0 / zMin, invN = 1.0 / static_cast<double>(nTail);
    double z = zMin;
    double xPow = std::exp(-alpha * logValues[first]);  // x^-alpha
    double below = 0.0;                                 // tail values <= current value
    double d = 0.0;
    for (std::size_t j = first; j < u; ++j) {
        const std::uint64_t x = vc.values[j];
        below += static_cast<double>(vc.counts[j]);
        const double empirical = below * invN;
        // zeta(alpha, x + 1): the fitted mass above x.
        const double zNext = z - xPow;
        d = std::max(d, std::abs((1.0 - zNext * invZMin) - empirical));
        if (j + 1 == u) break;
        const std::uint64_t next = vc.values[j + 1];
        const double nextPow = std::exp(-alpha * logValues[j + 1]);
        double zAtNext;
        if (static_cast<double>(next) >= asymptoticFrom) {
            zAtNext = hurwitzZetaAsymptotic(alpha, static_cast<double>(next), nextPow);
        } else {
            zAtNext = zNext;
            for (std::uint64_t k = x + 1; k < next; ++k)
                zAtNext -= std::pow(static_cast<double>(k), -alpha);
        }
        // Just below the next data value the fitted CDF has risen while the empirical has not.
        d = std::max(d, std::abs((1.0 - zAtNext * invZMin) - empirical));
        // Beyond here |S - P| <= max(1 - S, 1 - P), both non-increasing: stop when both are <= d.
        if (1.0 - empirical <= d && zAtNext * invZMin <= d) break;
        z = zAtNext;
        xPow = nextPow;
    }
    return d;
}

std::vector<double> logsOf(const ValueCounts& vc) {
    std::vector<double> logs(vc.distinct());
    for (std::size_t i = 0; i < logs.size(); ++i)
        logs[i] = std::log(static_cast<double>(vc.values[i]));
    return logs;
}

// Var(ln X) = d^2/dalpha^2 ln zeta(alpha, xmin), by a central difference.
double logVariance(double alpha, double xmin) {
    const double h = 1e-4 * std::max(1.0, alpha);
    const double lo = std::max(alpha - h, 1.0 + 0.5 * (alpha - 1.0));
    const double step = alpha - lo;
    const double f0 = std::log(hurwitzZeta(alpha, xmin));
    const double fm = std::log(hurwitzZeta(alpha - step, xmin));
    const double fp = std::log(hurwitzZeta(alpha + step, xmin));
    return (fp - 2.0 * f0 + fm) / (step * step);
}

std::size_t firstPositive(const ValueCounts& vc) {
    std::size_t i = 0;
    while (i < vc.distinct() && vc.values[i] == 0) ++i;
    return i;
}

void finish(PowerLawFit& fit, const ValueCounts& vc, std::size_t first, const TailSums& t,
            std::uint64_t n) {
    fit.valid = true;
    fit.n = n;
    fit.xmin = vc.values[first];
    fit.nTail = t.count[first];
    const double nt = static_cast<double>(fit.nTail);
    const double xmin = static_cast<double>(fit.xmin);
    fit.logLikelihood = logLikelihood(fit.alpha, xmin, nt, t.sumLog[first]);
    fit.alphaStdErrApprox = (fit.alpha - 1.0) / std::sqrt(nt);
    const double var = logVariance(fit.alpha, xmin);
    fit.alphaStdErr = var > 0.0 ? 1.0 / std::sqrt(nt * var) : kNaN;
}

}  // namespace

PowerLawFit fitDiscretePowerLaw(const ValueCounts& vc, const PowerLawFitOptions& options) {
    PowerLawFit best;
    const std::size_t start = firstPositive(vc);
    const std::size_t u = vc.distinct();
    if (u < start + 2) return best;
    const TailSums t = tailSums(vc, start);
    const std::uint64_t n = t.count[start];
    best.n = n;
    const std::uint64_t minTail =
        std::min<std::uint64_t>(std::max<std::uint64_t>(options.minTail, 2), n);

    // Candidates: distinct values leaving >= minTail values and >= 2 distinct values above.
    std::size_t end = start;
    while (end + 1 < u && t.count[end] >= minTail) ++end;
    const auto candidates = static_cast<std::ptrdiff_t>(end - start);
    if (candidates == 0) return best;

    const std::vector<double> logValues = logsOf(vc);
    std::vector<double> alphas(static_cast<std::size_t>(candidates)), ks(alphas.size());
#pragma omp parallel for schedule(dynamic, 8)
    for (std::ptrdiff_t c = 0; c < candidates; ++c) {
        const std::size_t i = start + static_cast<std::size_t>(c);
        const double alpha = maximiseAlpha(static_cast<double>(vc.values[i]),
                                           static_cast<double>(t.count[i]), t.sumLog[i], options);
        alphas[static_cast<std::size_t>(c)] = alpha;
        ks[static_cast<std::size_t>(c)] = ksDistance(vc, logValues, i, t.count[i], alpha);
    }
    const auto winner =
        static_cast<std::size_t>(std::min_element(ks.begin(), ks.end()) - ks.begin());
    best.alpha = alphas[winner];
    best.ks = ks[winner];
    best.candidatesTried = static_cast<std::size_t>(candidates);
    finish(best, vc, start + winner, t, n);
    return best;
}

PowerLawFit fitDiscretePowerLawAt(const ValueCounts& vc, std::uint64_t xmin,
                                  const PowerLawFitOptions& options) {
    PowerLawFit fit;
    const std::size_t start = firstPositive(vc);
    const std::size_t u = vc.distinct();
    const auto it = std::lower_bound(vc.values.begin() + static_cast<std::ptrdiff_t>(start),
                                     vc.values.end(), std::max<std::uint64_t>(xmin, 1));
    const auto first = static_cast<std::size_t>(it - vc.values.begin());
    if (first + 2 > u) return fit;  // fewer than two distinct values in the tail
    const TailSums t = tailSums(vc, start);
    fit.alpha = maximiseAlpha(static_cast<double>(vc.values[first]),
                              static_cast<double>(t.count[first]), t.sumLog[first], options);
    fit.ks = ksDistance(vc, logsOf(vc), first, t.count[first], fit.alpha);
    fit.candidatesTried = 1;
    finish(fit, vc, first, t, t.count[start]);
    return fit;
}

double powerLawTailCcdf(const PowerLawFit& fit, double x) {
    if (!fit.valid) return kNaN;
    if (x <= static_cast<double>(fit.xmin)) return 1.0;
    return hurwitzZeta(fit.alpha, x) / hurwitzZeta(fit.alpha, static_cast<double>(fit.xmin));
}

}  // namespace lens
