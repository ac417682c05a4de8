#include "models/FactorAnalysis.h"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "models/Recommender.h"
#include "models/TrainData.h"

namespace lens {

namespace {

void checkCounts(const Eigen::MatrixXf& factors, std::span<const std::uint32_t> ratingCounts) {
    if (!ratingCounts.empty() && ratingCounts.size() != static_cast<std::size_t>(factors.rows()))
        throw std::invalid_argument("factor analysis: " + std::to_string(ratingCounts.size()) +
                                    " rating counts for " + std::to_string(factors.rows()) +
                                    " movies");
}

bool passes(std::span<const std::uint32_t> ratingCounts, std::uint32_t minRatings,
            std::uint32_t item) {
    return ratingCounts.empty() || ratingCounts[item] >= minRatings;
}

// Highest score first, lower index on ties; keeps the first `count`.
std::vector<ScoredMovie> topScores(std::vector<ScoredMovie> all, std::size_t count) {
    const auto better = [](const ScoredMovie& a, const ScoredMovie& b) {
        return a.score != b.score ? a.score > b.score : a.item < b.item;
    };
    count = std::min(count, all.size());
    std::partial_sort(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(count), all.end(),
                      better);
    all.resize(count);
    return all;
}

}  // namespace

std::vector<ScoredMovie> largestFactorNorms(const Eigen::MatrixXf& itemFactors, std::size_t count,
                                            std::span<const std::uint32_t> ratingCounts,
                                            std::uint32_t minRatings) {
    checkCounts(itemFactors, ratingCounts);
    std::vector<ScoredMovie> all;
    for (Eigen::Index i = 0; i < itemFactors.rows(); ++i) {
        const auto item = static_cast<std::uint32_t>(i);
        const float norm = itemFactors.row(i).norm();
        if (norm > 0.0f && passes(ratingCounts, minRatings, item)) all.push_back({item, norm});
    }
    return topScores(std::move(all), count);
}

std::vector<ScoredMovie> mostSimilarByCosine(const Eigen::MatrixXf& itemFactors, std::uint32_t item,
                                             std::size_t count,
                                             std::span<const std::uint32_t> ratingCounts,
                                             std::uint32_t minRatings) {
    checkCounts(itemFactors, ratingCounts);
    if (item >= static_cast<std::size_t>(itemFactors.rows()))
        throw std::out_of_range("factor analysis: movie index " + std::to_string(item) +
                                " out of range (" + std::to_string(itemFactors.rows()) +
                                " movies)");
    const Eigen::VectorXf query = itemFactors.row(item).transpose();
    const float queryNorm = query.norm();
    if (!(queryNorm > 0.0f)) return {};
    const Eigen::VectorXf dots = itemFactors * query;
    const Eigen::VectorXf norms = itemFactors.rowwise().norm();
    std::vector<ScoredMovie> all;
    for (Eigen::Index i = 0; i < itemFactors.rows(); ++i) {
        const auto other = static_cast<std::uint32_t>(i);
        if (other == item || !(norms[i] > 0.0f) || !passes(ratingCounts, minRatings, other))
            continue;
        const float cosine = std::clamp(dots[i] / (norms[i] * queryNorm), -1.0f, 1.0f);
        all.push_back({other, cosine});
    }
    return topScores(std::move(all), count);
}

std::vector<std::uint32_t> itemRatingCounts(const TrainData& data) {
    std::vector<std::uint32_t> counts(data.itemCount(), 0);
    for (std::size_t i = 0; i < counts.size() && i < data.byItem.rows(); ++i)
        counts[i] = static_cast<std::uint32_t>(data.byItem.rowSize(i));
    return counts;
}

FactorAnalysis::FactorAnalysis(const Recommender& model)
    : model_(model), itemFactors_(model.itemFactors()) {
    for (std::size_t u = 0; u < model.userIds().size(); ++u)
        userIndex_.emplace(model.userIds()[u], static_cast<std::uint32_t>(u));
    for (std::size_t i = 0; i < model.movieIds().size(); ++i)
        movieIndex_.emplace(model.movieIds()[i], static_cast<std::uint32_t>(i));
}

std::vector<ScoredMovie> FactorAnalysis::mostPolarising(std::size_t count,
                                                        std::span<const std::uint32_t> ratingCounts,
                                                        std::uint32_t minRatings) const {
    return largestFactorNorms(itemFactors_, count, ratingCounts, minRatings);
}

std::vector<ScoredMovie> FactorAnalysis::similarMovies(std::uint32_t item, std::size_t count,
                                                       std::span<const std::uint32_t> ratingCounts,
                                                       std::uint32_t minRatings) const {
    if (!hasFactors()) return {};
    return mostSimilarByCosine(itemFactors_, item, count, ratingCounts, minRatings);
}

std::optional<std::uint32_t> FactorAnalysis::userIndex(std::int64_t userId) const {
    const auto it = userIndex_.find(userId);
    if (it == userIndex_.end()) return std::nullopt;
    return it->second;
}

std::optional<std::uint32_t> FactorAnalysis::movieIndex(std::int64_t movieId) const {
    const auto it = movieIndex_.find(movieId);
    if (it == movieIndex_.end()) return std::nullopt;
    return it->second;
}

std::optional<float> FactorAnalysis::predict(std::int64_t userId, std::int64_t movieId) const {
    const auto u = userIndex(userId);
    const auto i = movieIndex(movieId);
    if (!u || !i || model_.status() == FitStatus::Untrained) return std::nullopt;
    return model_.predict(*u, *i);
}

}  // namespace lens
