#include "stats/ValueCounts.h"

#include <algorithm>

namespace lens {

ValueCounts ValueCounts::fromSample(std::span<const std::uint64_t> sample, std::uint64_t minValue) {
    ValueCounts vc;
    std::uint64_t maxValue = 0;
    for (std::uint64_t v : sample) maxValue = std::max(maxValue, v);

    auto push = [&vc](std::uint64_t value, std::uint64_t count) {
        vc.values.push_back(value);
        vc.counts.push_back(count);
        vc.n += count;
        vc.sum += static_cast<double>(value) * static_cast<double>(count);
    };

    if (maxValue <= 4 * sample.size() + 4096) {
        std::vector<std::uint64_t> tally(maxValue + 1, 0);
        for (std::uint64_t v : sample) ++tally[v];
        for (std::uint64_t v = minValue; v <= maxValue; ++v)
            if (tally[v]) push(v, tally[v]);
        return vc;
    }
    std::vector<std::uint64_t> sorted(sample.begin(), sample.end());
    std::sort(sorted.begin(), sorted.end());
    for (std::size_t i = 0; i < sorted.size();) {
        std::size_t j = i;
        while (j < sorted.size() && sorted[j] == sorted[i]) ++j;
        if (sorted[i] >= minValue) push(sorted[i], j - i);
        i = j;
    }
    return vc;
}

}  // namespace lens
