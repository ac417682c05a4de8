#pragma once
// The GUI benchmarks' stall percentiles (bench_gui_latency, bench_gui_jobs).
#include <algorithm>
#include <cmath>
#include <vector>

namespace lens::bench {

// The p-quantile (0..1) of `values` by the nearest-rank method; 0 when empty.
inline double nearestRankPercentile(std::vector<double> values, double p) {
    if (values.empty()) return 0;
    std::sort(values.begin(), values.end());
    const auto rank = static_cast<std::size_t>(std::ceil(p * double(values.size())));
    return values[std::min(rank == 0 ? 0 : rank - 1, values.size() - 1)];
}

}  // namespace lens::bench
