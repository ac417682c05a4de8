#pragma once
// A sample of non-negative integers (e.g. ratings per user) summarised as its distinct values
// in ascending order with how often each occurs. Every degree statistic (power-law fit, log
// bins, CCDF, Lorenz curve, Gini) walks this compact form instead of the raw sample: ML-20M's
// 138,493 user degrees have fewer than 3,000 distinct values.
#include <cstdint>
#include <span>
#include <vector>

namespace lens {

struct ValueCounts {
    std::vector<std::uint64_t> values;  // distinct, ascending
    std::vector<std::uint64_t> counts;  // occurrences of each value (> 0)
    std::uint64_t n = 0;                // sum of counts: the sample size
    double sum = 0.0;                   // sum of value * count (exact below 2^53)

    std::size_t distinct() const { return values.size(); }
    bool empty() const { return n == 0; }

    // Values below `minValue` are left out (pass 1 to drop zero degrees). Counting sort when
    // the largest value is small compared with the sample, otherwise a sort of a copy.
    static ValueCounts fromSample(std::span<const std::uint64_t> sample,
                                  std::uint64_t minValue = 0);
};

}  // namespace lens
