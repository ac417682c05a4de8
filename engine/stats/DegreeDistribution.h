#pragma once
// Descriptive statistics of a degree sequence (ratings per user, ratings per movie): the
// curves the Explore panel draws and the inequality measures it quotes.
//
// - Log-binned PDF: bin edges grow geometrically, 10^(1/binsPerDecade) per bin from the smallest
//   value, rounded up to integers (a bin never narrower than one integer), so bin k holds the
//   integers [edge_k, edge_k+1) and its width is their number. density_k = count_k / (n * width_k)
//   estimates P(X = x) in the bin and sum_k density_k * width_k = 1. The centre is the geometric
//   mean of the bin's smallest and largest integer (the integer itself for a one-integer bin).
//   Empty bins are flagged so log axes can leave them out.
// - CCDF: P(X >= x) at every distinct value (starts at 1, non-increasing).
// - Rank-frequency (Zipf): the value of rank r (1 = largest) at log-spaced ranks.
// - Lorenz curve: share of the total held by the poorest fraction p of entities, at evenly
//   spaced p, linear between order statistics (exact endpoints (0,0) and (1,1)), and the Gini
//   coefficient from the ascending order statistics:
//     G = 2 sum_i i x_(i) / (n sum_i x_i) - (n + 1) / n.
// - Top shares: share of the total held by the top ceil(p n) entities (at least one).
#include <cstdint>
#include <vector>

#include "stats/PowerLawFit.h"
#include "stats/ValueCounts.h"

namespace lens {

struct XY {
    double x = 0.0;
    double y = 0.0;
};

struct LogBinnedPdf {
    std::vector<double> edges;    // bins + 1 integer edges; bin k = [edges[k], edges[k+1])
    std::vector<double> centres;  // geometric centre of each bin
    std::vector<double> widths;   // integers per bin
    std::vector<double> density;  // count / (n * width)
    std::vector<std::uint64_t> counts;
    std::vector<bool> empty;  // count == 0: leave off log axes
    std::size_t bins() const { return counts.size(); }
};

struct DegreeOptions {
    int binsPerDecade = 10;
    int rankPointsPerDecade = 40;  // rank-frequency samples per decade of rank
    int lorenzPoints = 101;        // evenly spaced population fractions 0..1
    PowerLawFitOptions fit;
};

struct DegreeStats {
    std::uint64_t entities = 0;   // with at least one rating
    std::uint64_t zeroCount = 0;  // without any rating (left out of everything below)
    double total = 0.0;           // ratings
    std::uint64_t min = 0, max = 0;
    double median = 0.0, mean = 0.0;
    std::uint64_t singleCount = 0;  // entities with exactly one rating
    double gini = 0.0;
    double top1Share = 0.0, top10Share = 0.0;
    PowerLawFit fit;
    LogBinnedPdf pdf;
    std::vector<XY>
        pdfFit;            // fitted law averaged over each bin at or above xmin, scaled by nTail/n
    std::vector<XY> ccdf;  // (x, P(X >= x))
    std::vector<XY> ccdfFit;        // (x, nTail/n * zeta(alpha, x) / zeta(alpha, xmin)), x >= xmin
    std::vector<XY> rankFrequency;  // (rank, value)
    std::vector<XY> lorenz;         // (population share, rating share)
};

LogBinnedPdf logBinnedPdf(const ValueCounts& vc, int binsPerDecade);
std::vector<XY> ccdfPoints(const ValueCounts& vc);
std::vector<XY> rankFrequency(const ValueCounts& vc, int pointsPerDecade);
std::vector<XY> lorenzCurve(const ValueCounts& vc, int points);
double giniCoefficient(const ValueCounts& vc);
double topShare(const ValueCounts& vc, double fraction);  // fraction of entities, e.g. 0.01
double medianValue(const ValueCounts& vc);  // mean of the two middle values if n is even

// Everything above plus the power-law fit, for a degree sequence (zeros counted, then dropped).
DegreeStats describeDegrees(const std::vector<std::uint64_t>& degrees,
                            const DegreeOptions& options = {});

}  // namespace lens
