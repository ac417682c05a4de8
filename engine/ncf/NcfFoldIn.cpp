#include "ncf/NcfFoldIn.h"

#include <algorithm>
#include <cmath>

#include "util/Random.h"

namespace lens {

NcfFoldIn::NcfFoldIn(const NcfParameters<float>& params, const NcfConfig& config,
                     std::span<const std::uint32_t> itemCounts, double mu)
    : params_(params), config_(config), itemCounts_(itemCounts), mu_(mu) {}

Eigen::VectorXf NcfFoldIn::embedding(std::span<const FoldInRating> ratings) const {
    return fit(samples(ratings), static_cast<int>(ratings.size()));
}

NcfFoldIn::Samples NcfFoldIn::samples(std::span<const FoldInRating> ratings) const {
    Samples s;
    const auto itemCount = static_cast<std::uint32_t>(params_.itemEmbedding.cols());
    const bool implicit = config_.objective == NcfObjective::Implicit;
    std::vector<std::uint32_t> rated;
    for (const auto& r : ratings) rated.push_back(r.item);
    std::sort(rated.begin(), rated.end());
    Pcg32 rng(deriveSeed(config_.seed, 0xF01D1A));
    // Negatives: half uniform over the catalogue, as in training (so the folded user keeps the
    // trained push-down of movies nobody watches and an existing user's ranking is reproduced),
    // half in proportion to the movies' training ratings (inverse CDF on the cumulative counts),
    // so that a few popular positives are contrasted with other watched movies too. All uniform
    // when the counts are unknown (a version 1 model file). Rated movies are redrawn.
    std::vector<std::uint64_t> cumulative;
    if (itemCounts_.size() == itemCount) {
        cumulative.resize(itemCount);
        std::uint64_t sum = 0;
        for (std::uint32_t i = 0; i < itemCount; ++i) cumulative[i] = sum += itemCounts_[i];
        if (sum == 0) cumulative.clear();
    }
    auto drawNegative = [&]() -> std::uint32_t {
        if (cumulative.empty() || rng.uniform() < kUniformShare) return rng.below(itemCount);
        const auto x =
            static_cast<std::uint64_t>(rng.uniform() * static_cast<double>(cumulative.back()));
        const auto at = std::upper_bound(cumulative.begin(), cumulative.end(), x);
        return static_cast<std::uint32_t>(
            std::min<std::ptrdiff_t>(at - cumulative.begin(), itemCount - 1));
    };
    // A persona of a few movies would get a dozen negatives, and which ones were drawn would
    // decide the embedding: draw at least kMinNegatives in all and repeat each positive so that
    // the positive:negative weight stays 1:negatives, as in training.
    const int n = static_cast<int>(ratings.size());
    const int perPositive =
        config_.negatives <= 0 ? 0 : std::max(config_.negatives, (kMinNegatives + n - 1) / n);
    const int copies =
        implicit && config_.negatives > 0 ? std::max(1, perPositive / config_.negatives) : 1;
    for (const auto& r : ratings) {
        for (int c = 0; c < copies; ++c) {
            s.items.push_back(r.item);
            s.targets.push_back(implicit ? 1.0f : r.rating - static_cast<float>(mu_));
        }
        if (!implicit || rated.size() >= itemCount) continue;
        for (int k = 0; k < perPositive; ++k) {
            std::uint32_t j = drawNegative();
            while (std::binary_search(rated.begin(), rated.end(), j)) j = drawNegative();
            s.items.push_back(j);
            s.targets.push_back(0.0f);
        }
    }
    return s;
}

Eigen::VectorXf NcfFoldIn::fit(const Samples& s, int n) const {
    const Eigen::Index e = params_.shape.embeddingSize();
    Eigen::MatrixXf user = Eigen::MatrixXf::Zero(e, 1);
    const std::vector<std::uint32_t> users(s.items.size(), 0);
    NcfBatchWork<float> work;
    NcfDenseGradients<float> unused;
    unused.resizeLike(params_);
    Eigen::VectorXf m = Eigen::VectorXf::Zero(e), v = Eigen::VectorXf::Zero(e);
    const double b1 = 0.9, b2 = 0.999, eps = 1e-8;
    // The prior: mean pbar and per-dimension precision 1 / s_k^2 of the trained users, weight
    // kPriorWeight / n on the mean loss.
    const Eigen::VectorXf prior = params_.userEmbedding.cols() > 0
                                      ? Eigen::VectorXf(params_.userEmbedding.rowwise().mean())
                                      : Eigen::VectorXf::Zero(e);
    user.col(0) = prior;
    Eigen::VectorXf precision = Eigen::VectorXf::Ones(e);
    if (params_.userEmbedding.cols() > 1) {
        const Eigen::VectorXf meanSquare = params_.userEmbedding.cwiseAbs2().rowwise().mean();
        precision = ((meanSquare - prior.cwiseAbs2()).array().max(0.0f) + 1e-8f).inverse().matrix();
    }
    const auto priorWeight = static_cast<float>(kPriorWeight / static_cast<double>(n));
    for (int t = 1; t <= kSteps; ++t) {
        NcfNetwork<float>::forward(params_, user, users, params_.itemEmbedding, s.items, work);
        NcfNetwork<float>::loss(config_.objective, work, s.targets,
                                static_cast<double>(s.items.size()));
        NcfNetwork<float>::backward(params_, user, users, params_.itemEmbedding, s.items, work,
                                    unused);
        const Eigen::VectorXf g = work.userGradients.rowwise().sum() +
                                  priorWeight * (user.col(0) - prior).cwiseProduct(precision);
        m = static_cast<float>(b1) * m + static_cast<float>(1 - b1) * g;
        v = static_cast<float>(b2) * v + static_cast<float>(1 - b2) * g.cwiseAbs2();
        const double c1 = 1 - std::pow(b1, t), c2 = 1 - std::pow(b2, t);
        user.col(0).array() -=
            static_cast<float>(kLearningRate / c1) * m.array() /
            ((v.array() / static_cast<float>(c2)).sqrt() + static_cast<float>(eps));
    }
    return user.col(0);
}

}  // namespace lens
