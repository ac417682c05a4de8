#pragma once
// Questions the Rank and Map panels ask of a trained factor model, answered from its matrices.
//
// - Most polarising movies (the study's measure): the movies with the longest factor vector
//   |q_i|. The user-dependent part of a predicted rating is p_u . q_i, whose spread over users
//   grows with |q_i|, so a long vector marks a movie that divides opinion; a short one, a movie
//   everyone rates near its bias. Movies with few training ratings are left out (their vectors
//   are mostly regularisation), as is any movie whose vector is zero.
// - Similar movies: cosine similarity cos(q_i, q_j) = q_i . q_j / (|q_i| |q_j|) in factor space,
//   the N highest for one movie (itself and zero vectors left out).
// - Prediction for any (user, movie) given by release ids.
// Ties are broken by the lower dense index, so results are deterministic.
#include <Eigen/Core>
#include <cstdint>
#include <optional>
#include <span>
#include <unordered_map>
#include <vector>

namespace lens {

class Recommender;
struct TrainData;

struct ScoredMovie {
    std::uint32_t item = 0;  // dense movie index
    float score = 0.0f;      // factor norm or cosine similarity
};

// The `count` rows of `itemFactors` with the largest norm, longest first, among rows whose
// `ratingCounts` entry is >= minRatings (ratingCounts empty: no filter; otherwise one entry
// per row, else std::invalid_argument). Zero rows are never listed.
std::vector<ScoredMovie> largestFactorNorms(const Eigen::MatrixXf& itemFactors, std::size_t count,
                                            std::span<const std::uint32_t> ratingCounts = {},
                                            std::uint32_t minRatings = 0);

// The `count` rows most cosine-similar to row `item` (std::out_of_range for a bad index), most
// similar first; the same optional rating-count filter. Empty when row `item` is zero.
std::vector<ScoredMovie> mostSimilarByCosine(const Eigen::MatrixXf& itemFactors, std::uint32_t item,
                                             std::size_t count,
                                             std::span<const std::uint32_t> ratingCounts = {},
                                             std::uint32_t minRatings = 0);

// Training ratings per movie (dense index), for the filters above.
std::vector<std::uint32_t> itemRatingCounts(const TrainData& data);

// The helpers above bound to one trained model, plus id lookups. Keeps a copy of the item
// factors (Recommender::itemFactors() returns by value) and a reference to the model, which
// must outlive this object.
class FactorAnalysis {
public:
    explicit FactorAnalysis(const Recommender& model);

    bool hasFactors() const { return itemFactors_.size() > 0; }  // false for the bias baseline
    const Eigen::MatrixXf& itemFactors() const { return itemFactors_; }

    std::vector<ScoredMovie> mostPolarising(std::size_t count,
                                            std::span<const std::uint32_t> ratingCounts = {},
                                            std::uint32_t minRatings = 0) const;
    std::vector<ScoredMovie> similarMovies(std::uint32_t item, std::size_t count,
                                           std::span<const std::uint32_t> ratingCounts = {},
                                           std::uint32_t minRatings = 0) const;

    std::optional<std::uint32_t> userIndex(std::int64_t userId) const;
    std::optional<std::uint32_t> movieIndex(std::int64_t movieId) const;
    // model.predict() (clipped for rating models) for release ids; nullopt for unknown ids.
    std::optional<float> predict(std::int64_t userId, std::int64_t movieId) const;

private:
    const Recommender& model_;
    Eigen::MatrixXf itemFactors_;
    std::unordered_map<std::int64_t, std::uint32_t> userIndex_, movieIndex_;
};

}  // namespace lens
