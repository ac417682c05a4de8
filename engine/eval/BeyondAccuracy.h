#pragma once
// Beyond-accuracy metrics of top-N lists (the Compare stage): what a model recommends, not only
// whether it hits the test movies. Input: one top-N list of movie indices per user (empty for a
// user without a list), the training popularity k_i of every movie (training ratings), the genre
// masks, and optionally the users' training histories (calibration) and item embeddings.
// Notation: L_u = user u's list, U_L = users with a non-empty list, R = the union of the lists,
// C = the movies with k_i > 0 (the trained catalogue), |U| = `userCount`.
//
// - Catalogue coverage = |R| / |C u R| (share of the catalogue recommended to anyone).
// - Novelty (Zhou et al. 2010, PNAS): the self-information of a movie is
//   -log2(k_i / |U|), the surprise of a random user having rated it (0 for a movie every user
//   rated); a movie with k_i = 0 counts as k_i = 1, and the value is clamped at 0. Per user
//   the mean over L_u; overall the mean over U_L of the per-user values.
// - Intra-list diversity (Ziegler et al. 2005), per user the mean over the |L_u|(|L_u|-1)/2
//   pairs of a distance, overall the mean over users with |L_u| >= 2:
//   genre-based: Jaccard distance 1 - |G_i n G_j| / |G_i u G_j| of the genre sets (0 when both
//   movies have no genre); embedding-based: cosine distance 1 - x_i.x_j / (|x_i| |x_j|) of
//   the item factor rows (a zero row has cosine 0 with everything: distance 1).
// - Average recommended popularity (Abdollahpouri et al. 2019): per user the mean k_i over
//   L_u; overall the mean over U_L.
// - Exposure Gini: with e_i = number of lists holding movie i over the m = |C u R| movies,
//   sorted ascending e_(1) <= .. <= e_(m),
//     G = sum_j (2j - m - 1) e_(j) / (m sum_j e_(j)),
//   0 when every movie is recommended equally often, -> 1 when a few movies take all slots.
// - Long-tail share: the share of recommendation slots holding a movie outside the head, the
//   most popular movies that hold headShare = 20 % of the training ratings (popularityTiers in
//   eval/Segments.h: head = k_i >= h, h the count of the movie at which the running share from
//   the top reaches 20 %). Overall: non-head slots / all slots; per user: over L_u.
// - Calibration (Steck 2018, "Calibrated recommendations"): each movie spreads its weight
//   uniformly over its genres, p(g|i) = 1/|G_i| for g in G_i (movies without a genre are left
//   out). The user's genre profile p(g|u) is the mean of p(g|i) over the training history H_u,
//   the list's q(g|u) the mean over L_u (uniform weights). With Steck's smoothing alpha = 0.01,
//     q~(g|u) = (1 - alpha) q(g|u) + alpha p(g|u),
//     C_KL(p, q) = sum_{g : p(g|u) > 0} p(g|u) ln( p(g|u) / q~(g|u) )   (natural log, nats),
//   0 when the list mirrors the profile, at most ln(1/alpha) = 4.6 when it shares no genre.
//   Per user where both H_u and L_u hold a movie with a genre (else NaN); overall the mean.
//
// Per-user vectors are aligned with the input lists (NaN where a metric is undefined for the
// user), ready for bootstrapMeanCI and the paired tests. Per-user values are computed in
// parallel (OpenMP) and reduced serially in user order: the result does not depend on the
// thread count. At ML-20M scale (138,493 users, top-10 lists, 64 factors, every training
// history) one call takes under a second on 2 cores.
#include <cstdint>
#include <span>
#include <vector>

#include <Eigen/Core>

#include "data/Genre.h"

namespace lens {

// A CSR view of per-user movie lists, e.g. the training ratings {TrainData::byUser.offsets,
// TrainData::byUser.index} (row u is items[offsets[u] .. offsets[u + 1])).
struct UserItemsView {
    std::span<const std::uint64_t> offsets;  // rows + 1 entries (or empty: no histories)
    std::span<const std::uint32_t> items;
    std::size_t rows() const { return offsets.empty() ? 0 : offsets.size() - 1; }
    std::span<const std::uint32_t> row(std::size_t u) const {
        return items.subspan(offsets[u], offsets[u + 1] - offsets[u]);
    }
};

struct BeyondAccuracyInput {
    std::span<const std::vector<std::uint32_t>> lists;  // per user, best first
    std::span<const std::uint64_t> popularity;          // k_i: training ratings per movie
    std::span<const GenreMask> genres;                  // per movie (same size)
    std::size_t userCount = 0;  // |U| of novelty (users with training ratings); 0: derived
                                // from `histories` (non-empty rows), required otherwise
    UserItemsView histories;    // optional training histories, rows aligned with `lists`
    const Eigen::MatrixXf* itemFactors = nullptr;  // optional, rows = movies
    double headShare = 0.2;                        // head of the long-tail share
    double calibrationAlpha = 0.01;                // Steck's alpha
};

struct BeyondAccuracyResult {
    std::size_t users = 0;            // |U_L|
    std::size_t recommendations = 0;  // slots: sum |L_u|
    std::size_t catalogueSize = 0;    // |C u R|
    std::size_t distinctItems = 0;    // |R|
    std::uint64_t headMinCount = 0;   // h: movies with k_i >= h are the head
    std::size_t headItems = 0;

    double coverage = 0.0;
    double novelty = 0.0;  // bits
    double ildGenre = 0.0;
    double ildEmbedding = 0.0;       // NaN without item factors
    double averagePopularity = 0.0;  // training ratings
    double exposureGini = 0.0;
    double longTailShare = 0.0;
    double calibrationKl = 0.0;  // nats; NaN without histories

    std::vector<double> perUserNovelty;
    std::vector<double> perUserIldGenre;
    std::vector<double> perUserIldEmbedding;
    std::vector<double> perUserAveragePopularity;
    std::vector<double> perUserLongTailShare;
    std::vector<double> perUserCalibrationKl;
};

// Throws std::invalid_argument for a movie index out of range, mismatched sizes (genres,
// item factor rows, history rows) or a missing userCount.
BeyondAccuracyResult beyondAccuracy(const BeyondAccuracyInput& input);

// The pieces, for reuse and tests.
double jaccardDistance(GenreMask a, GenreMask b);
// Steck's genre distribution of `items` (p(g|i) = 1/|G_i| averaged); all zero when no movie of
// `items` has a genre.
std::vector<double> genreDistribution(std::span<const std::uint32_t> items,
                                      std::span<const GenreMask> genres);
// C_KL(p, q) with q~ = (1 - alpha) q + alpha p; NaN when p is all zero.
double calibrationKl(std::span<const double> p, std::span<const double> q, double alpha = 0.01);
// G of `values` (any order); NaN when they sum to 0 or are empty.
double giniCoefficient(std::vector<double> values);

}  // namespace lens
