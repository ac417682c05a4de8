#include "stats/PairedTests.h"
#include "util/Nan.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <string>
#include <vector>

#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>

namespace lens {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

std::vector<double> differences(std::span<const double> a, std::span<const double> b,
                                const char* test) {
    if (a.size() != b.size())
        throw std::invalid_argument(std::string(test) + ": paired vectors differ in size (" +
                                    std::to_string(a.size()) + " and " + std::to_string(b.size()) +
                                    ")");
    std::vector<double> d(a.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (!std::isfinite(a[i]) || !std::isfinite(b[i]))
            throw std::invalid_argument(std::string(test) + ": value " + std::to_string(i) +
                                        " is not finite");
        d[i] = a[i] - b[i];
    }
    return d;
}

// Two-sided p of the standard normal at z.
double normalTwoSided(double z) {
    const boost::math::normal_distribution<double> standard(0.0, 1.0);
    return 2.0 * boost::math::cdf(boost::math::complement(standard, std::fabs(z)));
}

// Counts c_n(s), s = 0 .. n (n + 1) / 2, of subsets of {1..n} summing to s (exact integers in a
// double while below 2^53, i.e. for n <= 52; relative rounding ~1e-15 beyond).
std::vector<double> signedRankCounts(std::size_t n) {
    const std::size_t maxSum = n * (n + 1) / 2;
    std::vector<double> counts(maxSum + 1, 0.0);
    counts[0] = 1.0;
    std::size_t reach = 0;
    for (std::size_t k = 1; k <= n; ++k) {
        reach += k;
        for (std::size_t s = reach; s >= k; --s) counts[s] += counts[s - k];
    }
    return counts;
}

}  // namespace

PairedTTestResult pairedTTest(std::span<const double> a, std::span<const double> b,
                              double confidence) {
    if (!(confidence > 0.0 && confidence < 1.0))
        throw std::invalid_argument("paired t-test: confidence must lie strictly between 0 and 1");
    const std::vector<double> d = differences(a, b, "paired t-test");
    PairedTTestResult r;
    r.n = d.size();
    r.confidence = confidence;
    if (d.empty()) {
        r.meanDifference = r.sdDifference = r.standardError = r.t = r.df = r.pValue = kNaN;
        r.ciLower = r.ciUpper = r.cohensDz = kNaN;
        return r;
    }
    const auto n = static_cast<double>(d.size());
    r.meanDifference = std::accumulate(d.begin(), d.end(), 0.0) / n;
    if (d.size() < 2) {
        r.sdDifference = r.standardError = r.t = r.df = r.pValue = kNaN;
        r.ciLower = r.ciUpper = r.cohensDz = kNaN;
        return r;
    }
    double ss = 0.0;
    for (const double x : d) ss += (x - r.meanDifference) * (x - r.meanDifference);
    r.df = n - 1.0;
    r.sdDifference = std::sqrt(ss / r.df);
    r.standardError = r.sdDifference / std::sqrt(n);
    if (r.sdDifference == 0.0) {
        if (r.meanDifference == 0.0) {
            r.t = r.pValue = r.cohensDz = kNaN;
        } else {
            r.t = r.cohensDz = r.meanDifference > 0.0 ? kInf : -kInf;
            r.pValue = 0.0;
        }
        r.ciLower = r.ciUpper = r.meanDifference;
        return r;
    }
    r.t = r.meanDifference / r.standardError;
    const boost::math::students_t_distribution<double> student(r.df);
    r.pValue =
        std::min(1.0, 2.0 * boost::math::cdf(boost::math::complement(student, std::fabs(r.t))));
    const double critical = boost::math::quantile(student, 0.5 + confidence / 2.0);
    r.ciLower = r.meanDifference - critical * r.standardError;
    r.ciUpper = r.meanDifference + critical * r.standardError;
    r.cohensDz = r.meanDifference / r.sdDifference;
    return r;
}

WilcoxonResult wilcoxonSignedRank(std::span<const double> a, std::span<const double> b,
                                  WilcoxonMethod method, bool continuityCorrection) {
    const std::vector<double> all = differences(a, b, "Wilcoxon signed-rank test");
    std::vector<double> d;
    d.reserve(all.size());
    for (const double x : all)
        if (x != 0.0) d.push_back(x);
    WilcoxonResult r;
    r.n = d.size();
    r.zeros = all.size() - d.size();
    if (d.empty()) {
        r.statistic = r.z = r.pValue = r.rankBiserial = kNaN;
        return r;
    }

    // Average ranks of |d|.
    const std::size_t n = d.size();
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::sort(order.begin(), order.end(),
              [&](std::size_t i, std::size_t j) { return std::fabs(d[i]) < std::fabs(d[j]); });
    double tieTerm = 0.0;  // sum t (t^2 - 1)
    for (std::size_t start = 0; start < n;) {
        std::size_t end = start + 1;
        while (end < n && std::fabs(d[order[end]]) == std::fabs(d[order[start]])) ++end;
        const double rank = 0.5 * static_cast<double>(start + 1 + end);  // mean of start+1..end
        const auto t = static_cast<double>(end - start);
        if (end - start > 1) {
            r.ties = true;
            tieTerm += t * (t * t - 1.0);
        }
        for (std::size_t k = start; k < end; ++k) (d[order[k]] > 0.0 ? r.rPlus : r.rMinus) += rank;
        start = end;
    }
    r.statistic = std::min(r.rPlus, r.rMinus);
    r.rankBiserial = (r.rPlus - r.rMinus) / (r.rPlus + r.rMinus);

    const bool exactPossible = !r.ties && r.zeros == 0 && n <= kWilcoxonExactLimit;
    r.exact = exactPossible && (method == WilcoxonMethod::Exact ||
                                (method == WilcoxonMethod::Auto && n <= kWilcoxonExactMaxN));
    if (r.exact) {
        r.z = kNaN;
        const std::vector<double> counts = signedRankCounts(n);
        const auto rPlus = static_cast<std::size_t>(std::llround(r.rPlus));
        const std::size_t centre = (counts.size() - 1) / 2;
        if (rPlus == centre) {
            r.pValue = 1.0;
        } else {
            double less = 0.0, greater = 0.0;
            for (std::size_t s = 0; s <= rPlus; ++s) less += counts[s];
            for (std::size_t s = rPlus; s < counts.size(); ++s) greater += counts[s];
            const double total = std::ldexp(1.0, static_cast<int>(n));
            r.pValue = std::min(1.0, 2.0 * std::min(less, greater) / total);
        }
        return r;
    }
    const auto nn = static_cast<double>(n);
    const double mu = nn * (nn + 1.0) * 0.25;
    const double sigma = std::sqrt((nn * (nn + 1.0) * (2.0 * nn + 1.0) - 0.5 * tieTerm) / 24.0);
    double correction = 0.0;
    if (continuityCorrection) correction = r.statistic > mu ? 0.5 : (r.statistic < mu ? -0.5 : 0.0);
    r.z = (r.statistic - mu - correction) / sigma;
    r.pValue = std::min(1.0, normalTwoSided(r.z));
    return r;
}

}  // namespace lens
