#include "stats/DegreeDistribution.h"

#include <algorithm>
#include <cmath>

#include "stats/HurwitzZeta.h"

namespace lens {

LogBinnedPdf logBinnedPdf(const ValueCounts& vc, int binsPerDecade) {
    LogBinnedPdf pdf;
    if (vc.empty() || vc.values.back() == 0) return pdf;
    const std::size_t first = vc.values.front() == 0 ? 1 : 0;  // zeros have no place on a log axis
    const double lo = static_cast<double>(vc.values[first]);
    const double hi = static_cast<double>(vc.values.back());
    const double ratio = std::pow(10.0, 1.0 / std::max(1, binsPerDecade));

    pdf.edges.push_back(lo);
    for (int k = 1; pdf.edges.back() <= hi; ++k) {
        double edge = std::ceil(lo * std::pow(ratio, k) - 1e-9);
        edge = std::max(edge, pdf.edges.back() + 1.0);
        pdf.edges.push_back(edge);
    }
    const std::size_t bins = pdf.edges.size() - 1;
    pdf.counts.assign(bins, 0);
    std::uint64_t n = 0;
    std::size_t bin = 0;
    for (std::size_t i = first; i < vc.distinct(); ++i) {
        const auto v = static_cast<double>(vc.values[i]);
        while (v >= pdf.edges[bin + 1]) ++bin;
        pdf.counts[bin] += vc.counts[i];
        n += vc.counts[i];
    }
    pdf.centres.resize(bins);
    pdf.widths.resize(bins);
    pdf.density.resize(bins);
    pdf.empty.resize(bins);
    for (std::size_t k = 0; k < bins; ++k) {
        pdf.widths[k] = pdf.edges[k + 1] - pdf.edges[k];
        pdf.centres[k] = std::sqrt(pdf.edges[k] * (pdf.edges[k + 1] - 1.0));
        pdf.density[k] =
            static_cast<double>(pdf.counts[k]) / (static_cast<double>(n) * pdf.widths[k]);
        pdf.empty[k] = pdf.counts[k] == 0;
    }
    return pdf;
}

std::vector<XY> ccdfPoints(const ValueCounts& vc) {
    std::vector<XY> out;
    out.reserve(vc.distinct());
    double above = static_cast<double>(vc.n);
    const double n = static_cast<double>(vc.n);
    for (std::size_t i = 0; i < vc.distinct(); ++i) {
        out.push_back({static_cast<double>(vc.values[i]), above / n});
        above -= static_cast<double>(vc.counts[i]);
    }
    return out;
}

std::vector<XY> rankFrequency(const ValueCounts& vc, int pointsPerDecade) {
    std::vector<XY> out;
    if (vc.empty()) return out;
    // Log-spaced ranks 1..n, each once.
    std::vector<std::uint64_t> ranks;
    const double step = std::pow(10.0, 1.0 / std::max(1, pointsPerDecade));
    for (double r = 1.0; r < static_cast<double>(vc.n); r *= step) {
        const auto rank = static_cast<std::uint64_t>(std::llround(r));
        if (ranks.empty() || rank > ranks.back()) ranks.push_back(rank);
    }
    if (ranks.empty() || ranks.back() != vc.n) ranks.push_back(vc.n);
    // Walk the values from the largest down; ranks [covered+1, covered+count] share a value.
    std::uint64_t covered = 0;
    std::size_t i = vc.distinct();
    for (std::uint64_t rank : ranks) {
        while (covered < rank) covered += vc.counts[--i];
        out.push_back({static_cast<double>(rank), static_cast<double>(vc.values[i])});
    }
    return out;
}

namespace {
// Sum of the k smallest values, k real: the Lorenz curve is linear between order statistics.
struct AscendingPrefix {
    const ValueCounts& vc;
    std::size_t i = 0;
    double taken = 0.0;  // entities fully summed
    double sum = 0.0;
    double upTo(double k) {
        while (i < vc.distinct() && taken + static_cast<double>(vc.counts[i]) <= k) {
            taken += static_cast<double>(vc.counts[i]);
            sum += static_cast<double>(vc.values[i]) * static_cast<double>(vc.counts[i]);
            ++i;
        }
        return i < vc.distinct() ? sum + (k - taken) * static_cast<double>(vc.values[i]) : sum;
    }
};
}  // namespace

std::vector<XY> lorenzCurve(const ValueCounts& vc, int points) {
    std::vector<XY> out;
    if (vc.empty() || vc.sum <= 0.0) return out;
    points = std::max(points, 2);
    AscendingPrefix prefix{vc};
    for (int p = 0; p < points; ++p) {
        const double share = static_cast<double>(p) / (points - 1);
        const double y =
            p == points - 1 ? 1.0 : prefix.upTo(share * static_cast<double>(vc.n)) / vc.sum;
        out.push_back({share, y});
    }
    return out;
}

double giniCoefficient(const ValueCounts& vc) {
    if (vc.empty() || vc.sum <= 0.0) return 0.0;
    // Value v at ascending ranks a+1..a+c contributes v * (c (2a + c + 1) / 2) to sum i x_(i).
    double weighted = 0.0;
    double before = 0.0;
    for (std::size_t i = 0; i < vc.distinct(); ++i) {
        const double c = static_cast<double>(vc.counts[i]);
        weighted += static_cast<double>(vc.values[i]) * c * (2.0 * before + c + 1.0) * 0.5;
        before += c;
    }
    const double n = static_cast<double>(vc.n);
    return 2.0 * weighted / (n * vc.sum) - (n + 1.0) / n;
}

double topShare(const ValueCounts& vc, double fraction) {
    if (vc.empty() || vc.sum <= 0.0) return 0.0;
    auto k = static_cast<std::uint64_t>(std::ceil(fraction * static_cast<double>(vc.n) - 1e-9));
    k = std::clamp<std::uint64_t>(k, 1, vc.n);
    double sum = 0.0;
    for (std::size_t i = vc.distinct(); i-- > 0 && k > 0;) {
        const std::uint64_t take = std::min(k, vc.counts[i]);
        sum += static_cast<double>(take) * static_cast<double>(vc.values[i]);
        k -= take;
    }
    return sum / vc.sum;
}

namespace {
// The value at 0-based ascending position `pos`.
double valueAt(const ValueCounts& vc, std::uint64_t pos) {
    std::uint64_t seen = 0;
    for (std::size_t i = 0; i < vc.distinct(); ++i) {
        seen += vc.counts[i];
        if (pos < seen) return static_cast<double>(vc.values[i]);
    }
    return static_cast<double>(vc.values.back());
}
}  // namespace

double medianValue(const ValueCounts& vc) {
    if (vc.empty()) return 0.0;
    const std::uint64_t mid = vc.n / 2;
    return vc.n % 2 ? valueAt(vc, mid) : 0.5 * (valueAt(vc, mid - 1) + valueAt(vc, mid));
}

DegreeStats describeDegrees(const std::vector<std::uint64_t>& degrees,
                            const DegreeOptions& options) {
    DegreeStats s;
    const ValueCounts vc = ValueCounts::fromSample(degrees, 1);
    s.zeroCount = degrees.size() - vc.n;
    s.entities = vc.n;
    s.total = vc.sum;
    if (vc.empty()) return s;
    s.min = vc.values.front();
    s.max = vc.values.back();
    s.mean = vc.sum / static_cast<double>(vc.n);
    s.median = medianValue(vc);
    s.singleCount = vc.values.front() == 1 ? vc.counts.front() : 0;
    s.gini = giniCoefficient(vc);
    s.top1Share = topShare(vc, 0.01);
    s.top10Share = topShare(vc, 0.10);
    s.fit = fitDiscretePowerLaw(vc, options.fit);
    s.pdf = logBinnedPdf(vc, options.binsPerDecade);
    s.ccdf = ccdfPoints(vc);
    s.rankFrequency = rankFrequency(vc, options.rankPointsPerDecade);
    s.lorenz = lorenzCurve(vc, options.lorenzPoints);

    if (s.fit.valid) {
        const double a = s.fit.alpha;
        const double tailShare = static_cast<double>(s.fit.nTail) / static_cast<double>(s.fit.n);
        const double zMin = hurwitzZeta(a, static_cast<double>(s.fit.xmin));
        for (std::size_t k = 0; k < s.pdf.bins(); ++k) {
            if (s.pdf.edges[k] < static_cast<double>(s.fit.xmin)) continue;
            const double mass = hurwitzZeta(a, s.pdf.edges[k]) - hurwitzZeta(a, s.pdf.edges[k + 1]);
            s.pdfFit.push_back({s.pdf.centres[k], tailShare * mass / (zMin * s.pdf.widths[k])});
        }
        for (const XY& p : s.ccdf)
            if (p.x >= static_cast<double>(s.fit.xmin))
                s.ccdfFit.push_back({p.x, tailShare * hurwitzZeta(a, p.x) / zMin});
    }
    return s;
}

}  // namespace lens
