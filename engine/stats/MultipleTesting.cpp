#include "stats/MultipleTesting.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <string>

namespace lens {

namespace {

// Indices of the non-NaN p-values; throws for a value outside [0, 1].
std::vector<std::size_t> definedIndices(std::span<const double> p, const char* what) {
    std::vector<std::size_t> idx;
    idx.reserve(p.size());
    for (std::size_t i = 0; i < p.size(); ++i) {
        if (std::isnan(p[i])) continue;
        if (!(p[i] >= 0.0 && p[i] <= 1.0))
            throw std::invalid_argument(std::string(what) + ": p-value " + std::to_string(i) +
                                        " (" + std::to_string(p[i]) + ") is outside [0, 1]");
        idx.push_back(i);
    }
    return idx;
}

}  // namespace

std::vector<double> holmAdjust(std::span<const double> pValues) {
    std::vector<std::size_t> idx = definedIndices(pValues, "Holm correction");
    std::vector<double> adjusted(pValues.begin(), pValues.end());
    std::stable_sort(idx.begin(), idx.end(),
                     [&](std::size_t i, std::size_t j) { return pValues[i] < pValues[j]; });
    const std::size_t m = idx.size();
    double running = 0.0;
    for (std::size_t k = 0; k < m; ++k) {
        const double scaled = static_cast<double>(m - k) * pValues[idx[k]];
        running = std::min(1.0, std::max(running, scaled));
        adjusted[idx[k]] = running;
    }
    return adjusted;
}

std::vector<double> bonferroniAdjust(std::span<const double> pValues) {
    const std::vector<std::size_t> idx = definedIndices(pValues, "Bonferroni correction");
    std::vector<double> adjusted(pValues.begin(), pValues.end());
    for (const std::size_t i : idx)
        adjusted[i] = std::min(1.0, static_cast<double>(idx.size()) * pValues[i]);
    return adjusted;
}

}  // namespace lens
