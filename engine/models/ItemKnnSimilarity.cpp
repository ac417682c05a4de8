#include "models/ItemKnnSimilarity.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <utility>

namespace lens {

namespace {

// The four sums of one pair (i, j), accumulated while row i is computed. Float: one 16-byte
// slot per movie keeps a thread's slots of a 27k-movie catalogue (430 KB) in its L2 cache.
struct PairSums {
    float dot = 0.0f;  // sum e_ui e_uj
    float sqi = 0.0f;  // sum e_ui^2 over the common raters
    float sqj = 0.0f;  // sum e_uj^2 over the common raters
    std::uint32_t count = 0;
};

using Candidate = std::pair<float, std::uint32_t>;  // (similarity, movie)

// Most similar first, ties by the lower movie index: a total order, so the kept set and its
// order do not depend on how the candidates were gathered.
bool moreSimilar(const Candidate& a, const Candidate& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
}

}  // namespace

ItemNeighbours computeItemNeighbours(const TrainData& data, const RatingResiduals& residuals,
                                     const ItemSimilarityOptions& options,
                                     const std::function<bool()>& stopRequested, bool* stopped) {
    const std::size_t items = data.byItem.rows();
    const auto rows = static_cast<std::int64_t>(items);
    const std::size_t kept = std::max<std::size_t>(options.kept, 1);
    std::vector<std::vector<Candidate>> perRow(items);
    std::atomic<bool> stop{false};

#pragma omp parallel
    {
        std::vector<PairSums> sums(items);
        std::vector<std::uint32_t> touched;
        std::vector<Candidate> candidates;
#pragma omp for schedule(dynamic, 8)
        for (std::int64_t row = 0; row < rows; ++row) {
            if (stop.load(std::memory_order_relaxed)) continue;
            if (stopRequested && stopRequested()) {
                stop.store(true, std::memory_order_relaxed);
                continue;
            }
            const auto i = static_cast<std::size_t>(row);
            const auto raters = data.byItem.rowIndex(i);
            const std::size_t first = data.byItem.offsets[i];
            touched.clear();
            for (std::size_t e = 0; e < raters.size(); ++e) {
                const std::uint32_t u = raters[e];
                const float a = residuals.byItem[first + e];
                const float aa = a * a;
                const auto rated = data.byUser.rowIndex(u);
                const float* b = residuals.byUser.data() + data.byUser.offsets[u];
                for (std::size_t f = 0; f < rated.size(); ++f) {
                    PairSums& s = sums[rated[f]];
                    if (s.count == 0) touched.push_back(rated[f]);
                    s.dot += a * b[f];
                    s.sqi += aa;
                    s.sqj += b[f] * b[f];
                    ++s.count;
                }
            }
            candidates.clear();
            for (std::uint32_t j : touched) {
                PairSums& s = sums[j];
                if (j != i) {
                    const double denominator =
                        std::sqrt(static_cast<double>(s.sqi) * static_cast<double>(s.sqj));
                    const double n = s.count;
                    // |rho| <= 1 up to the float sums' rounding; clamped so s_ij <= 1.
                    const double rho =
                        denominator > 0 ? std::clamp(s.dot / denominator, -1.0, 1.0) : 0.0;
                    const double similarity = n / (n + options.shrinkage) * rho;
                    const auto value = static_cast<float>(similarity);
                    if (value > 0.0f) candidates.emplace_back(value, j);
                }
                s = PairSums{};
            }
            if (candidates.size() > kept) {
                std::nth_element(candidates.begin(),
                                 candidates.begin() + static_cast<std::ptrdiff_t>(kept),
                                 candidates.end(), moreSimilar);
                candidates.resize(kept);
            }
            std::sort(candidates.begin(), candidates.end(), moreSimilar);
            perRow[i] = candidates;
        }
    }
    if (stopped) *stopped = stop.load();

    ItemNeighbours out;
    out.offsets.assign(items + 1, 0);
    for (std::size_t i = 0; i < items; ++i) out.offsets[i + 1] = out.offsets[i] + perRow[i].size();
    out.items.reserve(out.offsets.back());
    out.similarities.reserve(out.offsets.back());
    for (auto& row : perRow) {
        for (const auto& [similarity, j] : row) {
            out.items.push_back(j);
            out.similarities.push_back(similarity);
        }
        std::vector<Candidate>().swap(row);  // release as we go: the peak stays near one copy
    }
    return out;
}

}  // namespace lens
