#pragma once
// The similarity step of item-kNN with baseline (ItemKnnModel): shrunk Pearson-baseline
// similarities between movies over their common raters (Koren 2008, section 2.2; Surprise's
// pearson_baseline), keeping only the most similar positive neighbours of each movie.
//
// With residuals e_ui = r_ui - b_ui of the training ratings and U_ij the users who rated both i
// and j (n_ij = |U_ij|),
//     rho_ij = sum_{U_ij} e_ui e_uj / sqrt(sum_{U_ij} e_ui^2 * sum_{U_ij} e_uj^2)
//     s_ij   = n_ij / (n_ij + shrinkage) * rho_ij
// (Koren's shrinkage; Surprise uses (n_ij - 1) / (n_ij - 1 + shrinkage)). The square sums run
// over the common raters only, so four sums per pair are needed, not a Gram matrix and its
// diagonal. They are accumulated row by row: for movie i, every rater u of i adds e_ui e_uj,
// e_ui^2, e_uj^2 and 1 to the slot of each movie j that u rated (sum over users of n_u^2
// scatter-adds; a dense float slot per movie, 16 bytes, per thread). Each row is computed by one
// thread in a fixed order, so the result does not depend on the thread count, and s_ij == s_ji
// bit for bit (the common raters are visited in the same ascending order from both sides).
//
// Only positive similarities are neighbours (Surprise's predictions skip the others too), and
// of those the `kept` largest per movie, ordered by similarity (descending, ties by movie
// index): memory is items x kept x 8 bytes instead of the dense items^2.
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "models/TrainData.h"

namespace lens {

struct ItemNeighbours {
    std::vector<std::uint64_t> offsets;  // items + 1
    std::vector<std::uint32_t> items;    // neighbour movie, most similar first
    std::vector<float> similarities;     // s_ij > 0, descending within a row

    std::size_t rows() const { return offsets.empty() ? 0 : offsets.size() - 1; }
    std::size_t rowSize(std::size_t i) const { return offsets[i + 1] - offsets[i]; }
    bool empty() const { return items.empty(); }
};

struct ItemSimilarityOptions {
    double shrinkage = 100.0;
    std::size_t kept = 1000;  // neighbours kept per movie
};

// The residual e of every training rating, aligned with data.byUser.values and
// data.byItem.values (same entry order).
struct RatingResiduals {
    std::vector<float> byUser;
    std::vector<float> byItem;
};

// Neighbours of every movie of `data` from the residuals. `stopRequested` is asked once per
// movie (from the OpenMP threads; it must be thread-safe); when it returns true the remaining
// movies are skipped and `*stopped` is set (the result is then incomplete and must be dropped).
ItemNeighbours computeItemNeighbours(const TrainData& data, const RatingResiduals& residuals,
                                     const ItemSimilarityOptions& options,
                                     const std::function<bool()>& stopRequested = {},
                                     bool* stopped = nullptr);

}  // namespace lens
