#include "models/ItemKnnModel.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "models/ModelFile.h"
#include "models/RatingErrors.h"
#include "models/TrainData.h"
#include "util/Stopwatch.h"

namespace lens {

namespace {

using Clock = SteadyClock;
constexpr float kNotRated = std::numeric_limits<float>::quiet_NaN();

// The neighbour term of one movie: walk its kept neighbours (most similar first), take the
// first k the user rated (`residualOf` gives r_uj - b_uj, NaN when unrated), and return
// sum s e / sum s, or 0 with fewer than min_k of them. `visit(position, share)` sees each
// used neighbour (its position in the row) with its share of the term. One routine for
// predictRaw, both scoreAll and explain, so they agree bit for bit.
template <bool kShares, class ResidualOf, class Visit>
float neighbourSum(const ItemNeighbours& nb, std::uint32_t item, int k, int minK,
                   ResidualOf&& residualOf, Visit&& visit) {
    if (item >= nb.rows()) return 0.0f;
    const std::uint64_t first = nb.offsets[item], last = nb.offsets[item + 1];
    float weighted = 0.0f, total = 0.0f;
    int used = 0;
    std::uint64_t end = first;
    for (std::uint64_t p = first; p < last && used < k; ++p) {
        const float e = residualOf(nb.items[p]);
        if (std::isnan(e)) continue;
        weighted += nb.similarities[p] * e;
        total += nb.similarities[p];
        ++used;
        end = p + 1;
    }
    if (used < minK || !(total > 0.0f)) return 0.0f;
    if constexpr (kShares) {
        for (std::uint64_t p = first; p < end; ++p) {
            const float e = residualOf(nb.items[p]);
            if (!std::isnan(e)) visit(p - first, nb.similarities[p] * e / total);
        }
    }
    return weighted / total;
}

}  // namespace

HyperparameterList ItemKnnModel::hyperparameters() const {
    HyperparameterList list = {
        {"k",
         std::to_string(config_.k),
         "Neighbours (k)",
         "How many of the most similar movies the user rated enter a prediction (Surprise: 40).",
         1,
         1000,
         true,
         {}},
        {"min_k",
         std::to_string(config_.minK),
         "Minimum neighbours",
         "With fewer similar rated movies than this the prediction is the baseline alone.",
         1,
         1000,
         true,
         {}},
        {"shrinkage",
         formatReal(config_.shrinkage),
         "Similarity shrinkage",
         "s_ij = n_ij / (n_ij + shrinkage) x Pearson: pairs with few common raters count less "
         "(Koren and Surprise: 100).",
         0,
         1e6,
         false,
         {}},
        {"kept",
         std::to_string(config_.kept),
         "Neighbours kept per movie",
         "The most similar movies stored for each movie (memory: movies x kept x 8 bytes); "
         "predictions choose their k among these.",
         1,
         100000,
         true,
         {}},
    };
    for (auto h : baseline_.hyperparameters()) {
        if (h.key == "seed") continue;
        if (h.key == "iterations")
            h.description =
                "Baseline iterations (alternating updates of b_u and b_i); the "
                "similarity step follows as one more iteration.";
        else if (h.key == "user_lambda")
            h.description =
                "Baseline: shrinks user biases of users with few ratings towards 0 "
                "(10, chosen on validation for this model).";
        else if (h.key == "item_lambda")
            h.description =
                "Baseline: shrinks movie biases of rarely rated movies towards 0 "
                "(2, chosen on validation for this model).";
        list.push_back(std::move(h));
    }
    list.push_back({"seed",
                    std::to_string(config_.seed),
                    "Seed",
                    "Unused: item kNN has no randomness.",
                    0,
                    1.8e19,
                    true,
                    {}});
    return list;
}

void ItemKnnModel::setHyperparameter(const std::string& key, const std::string& value) {
    if (key == "k")
        config_.k = parseIntHyperparameter(key, value, 1, 1000);
    else if (key == "min_k")
        config_.minK = parseIntHyperparameter(key, value, 1, 1000);
    else if (key == "shrinkage")
        config_.shrinkage = parseRealHyperparameter(key, value, 0, 1e6);
    else if (key == "kept")
        config_.kept = parseIntHyperparameter(key, value, 1, 100000);
    else if (key == "seed")
        config_.seed = parseSeedHyperparameter(key, value);
    else if (key == "user_lambda" || key == "item_lambda" || key == "lambda" || key == "iterations")
        baseline_.setHyperparameter(key, value);
    else
        throw std::invalid_argument("unknown hyper-parameter '" + key + "' for model " + kind());
}

void ItemKnnModel::clearNeighbours() {
    neighbours_ = ItemNeighbours{};
    neighbours_.offsets.assign(itemCount() + 1, 0);
}

FitStatus ItemKnnModel::doFit(const TrainData& data, const FitControl& control,
                              const std::function<bool(const TrainingSnapshot&)>& report) {
    const auto start = Clock::now();
    clearNeighbours();
    userOffsets_ = data.byUser.offsets;
    userItems_ = data.byUser.index;
    userRatings_ = data.byUser.values;

    // The baseline's iterations are this model's first iterations: its snapshots are forwarded
    // with this model's iteration count and the caller's evaluation of this model (whose
    // predictions are the baseline's until the neighbours exist).
    bool stopped = false;
    FitControl inner;
    inner.stopToken = control.stopToken;
    inner.cancelFlag = control.cancelFlag;
    inner.observer = [&](const TrainingSnapshot& s) {
        TrainingSnapshot t = s;
        t.totalIterations = iterations();
        const auto evalStart = Clock::now();
        control.evaluateInto(*this, t);
        t.evalSeconds += secondsSince(evalStart);
        t.elapsedSeconds = secondsSince(start);
        if (!report(t)) stopped = true;
        return !stopped;
    };
    if (baseline_.fit(data, inner) == FitStatus::Stopped || stopped) return FitStatus::Stopped;
    if (control.stopRequested()) return FitStatus::Stopped;

    // The similarity step, on the residuals of the final baseline.
    const auto stepStart = Clock::now();
    RatingResiduals residuals;
    residuals.byUser.resize(data.byUser.nnz());
    residuals.byItem.resize(data.byItem.nnz());
    const auto& bu = baseline_.userBiasVector();
    const auto& bi = baseline_.itemBiasVector();
    const auto mu = static_cast<float>(baseline_.globalMean());
    for (std::size_t u = 0; u < data.byUser.rows(); ++u)
        for (std::uint64_t e = data.byUser.offsets[u]; e < data.byUser.offsets[u + 1]; ++e)
            residuals.byUser[e] = data.byUser.values[e] - (mu + bu[static_cast<Eigen::Index>(u)] +
                                                           bi[data.byUser.index[e]]);
    for (std::size_t i = 0; i < data.byItem.rows(); ++i)
        for (std::uint64_t e = data.byItem.offsets[i]; e < data.byItem.offsets[i + 1]; ++e)
            residuals.byItem[e] = data.byItem.values[e] - (mu + bu[data.byItem.index[e]] +
                                                           bi[static_cast<Eigen::Index>(i)]);
    bool interrupted = false;
    ItemSimilarityOptions options;
    options.shrinkage = config_.shrinkage;
    options.kept = static_cast<std::size_t>(config_.kept);
    ItemNeighbours computed = computeItemNeighbours(
        data, residuals, options, [&] { return control.stopRequested(); }, &interrupted);
    if (interrupted) return FitStatus::Stopped;  // still the baseline model: no neighbours
    neighbours_ = std::move(computed);

    TrainingSnapshot s;
    s.iteration = iterations();
    s.totalIterations = iterations();
    s.seconds = secondsSince(stepStart);
    const auto evalStart = Clock::now();
    s.trainRmse = trainRatingErrors(data, [this](std::uint32_t u, std::uint32_t i) {
                      return predictRaw(u, i);
                  }).rmse;
    control.evaluateInto(*this, s);  // no objective: the neighbourhood minimises nothing
    s.evalSeconds = secondsSince(evalStart);
    s.elapsedSeconds = secondsSince(start);
    return report(s) ? FitStatus::Completed : FitStatus::Stopped;
}

float ItemKnnModel::baselineOf(float userBias, std::uint32_t item) const {
    return static_cast<float>(baseline_.globalMean()) + userBias +
           baseline_.itemBiasVector()[static_cast<Eigen::Index>(item)];
}

float ItemKnnModel::similarity(std::uint32_t i, std::uint32_t j) const {
    if (i >= neighbours_.rows()) return 0.0f;
    for (std::uint64_t p = neighbours_.offsets[i]; p < neighbours_.offsets[i + 1]; ++p)
        if (neighbours_.items[p] == j) return neighbours_.similarities[p];
    return 0.0f;
}

float ItemKnnModel::predictRaw(std::uint32_t user, std::uint32_t item) const {
    if (baseline_.userBiasVector().size() == 0) return 0.0f;  // untrained
    const float userBias = baseline_.userBiasVector()[static_cast<Eigen::Index>(user)];
    const float b = baselineOf(userBias, item);
    if (neighbours_.empty() || user + 1 >= userOffsets_.size()) return b;
    const auto* first = userItems_.data() + userOffsets_[user];
    const auto* last = userItems_.data() + userOffsets_[user + 1];
    auto residualOf = [&](std::uint32_t j) {
        const auto* at = std::lower_bound(first, last, j);
        if (at == last || *at != j) return kNotRated;
        return userRatings_[static_cast<std::size_t>(at - userItems_.data())] -
               baselineOf(userBias, j);
    };
    return b + neighbourSum<false>(neighbours_, item, config_.k, config_.minK, residualOf,
                                   [](std::uint64_t, float) {});
}

std::vector<float> ItemKnnModel::denseResiduals(std::uint32_t user) const {
    std::vector<float> r(itemCount(), kNotRated);
    const float userBias = baseline_.userBiasVector()[static_cast<Eigen::Index>(user)];
    for (std::uint64_t e = userOffsets_[user]; e < userOffsets_[user + 1]; ++e)
        r[userItems_[e]] = userRatings_[e] - baselineOf(userBias, userItems_[e]);
    return r;
}

std::vector<float> ItemKnnModel::denseResiduals(const FoldedUser& user) const {
    std::vector<float> r(itemCount(), kNotRated);
    for (const auto& rating : user.ratings)
        r[rating.item] = rating.rating - baselineOf(user.bias, rating.item);
    return r;
}

float ItemKnnModel::neighbourTerm(std::uint32_t item, const std::vector<float>& residuals) const {
    return neighbourSum<false>(
        neighbours_, item, config_.k, config_.minK, [&](std::uint32_t j) { return residuals[j]; },
        [](std::uint64_t, float) {});
}

void ItemKnnModel::scoreAll(std::uint32_t user, std::span<float> out) const {
    if (baseline_.userBiasVector().size() == 0 || user + 1 >= userOffsets_.size()) {
        std::fill(out.begin(), out.end(), 0.0f);
        return;
    }
    const float userBias = baseline_.userBiasVector()[static_cast<Eigen::Index>(user)];
    const std::vector<float> residuals = denseResiduals(user);
    for (std::size_t i = 0; i < out.size(); ++i) {
        const auto item = static_cast<std::uint32_t>(i);
        out[i] = baselineOf(userBias, item) + neighbourTerm(item, residuals);
    }
}

FoldedUser ItemKnnModel::foldIn(std::span<const FoldInRating> ratings) const {
    // Each movie once (its first rating), then b_u by the baseline's closed form.
    std::vector<FoldInRating> unique;
    std::vector<std::uint8_t> seen(itemCount(), 0);
    for (const auto& r : ratings) {
        if (r.item >= itemCount() || seen[r.item]) continue;
        seen[r.item] = 1;
        unique.push_back(r);
    }
    if (baseline_.itemBiasVector().size() == 0) {  // untrained: nothing to fold against
        FoldedUser f;
        f.ratings = std::move(unique);
        return f;
    }
    return baseline_.foldIn(unique);
}

void ItemKnnModel::scoreAll(const FoldedUser& user, std::span<float> out) const {
    if (baseline_.itemBiasVector().size() == 0) {
        std::fill(out.begin(), out.end(), 0.0f);
        return;
    }
    const std::vector<float> residuals = denseResiduals(user);
    for (std::size_t i = 0; i < out.size(); ++i) {
        const auto item = static_cast<std::uint32_t>(i);
        out[i] = baselineOf(user.bias, item) + neighbourTerm(item, residuals);
    }
}

std::vector<float> ItemKnnModel::explain(const FoldedUser& user, std::uint32_t item) const {
    if (baseline_.itemBiasVector().size() == 0 || item >= itemCount()) return {};
    std::vector<float> contributions(user.ratings.size(), 0.0f);
    // Position of each rated movie in user.ratings.
    std::vector<std::int32_t> position(itemCount(), -1);
    for (std::size_t r = 0; r < user.ratings.size(); ++r)
        position[user.ratings[r].item] = static_cast<std::int32_t>(r);
    const std::vector<float> residuals = denseResiduals(user);
    const std::uint64_t first = item < neighbours_.rows() ? neighbours_.offsets[item] : 0;
    neighbourSum<true>(
        neighbours_, item, config_.k, config_.minK, [&](std::uint32_t j) { return residuals[j]; },
        [&](std::uint64_t p, float share) {
            contributions[static_cast<std::size_t>(position[neighbours_.items[first + p]])] = share;
        });
    return contributions;
}

void ItemKnnModel::writePayload(ModelWriter& out) const {
    baseline_.writePayload(out);
    // Training rows: row count, per-user counts, then movies and ratings.
    out.u64(userOffsets_.empty() ? 0 : userOffsets_.size() - 1);
    for (std::size_t u = 0; u + 1 < userOffsets_.size(); ++u)
        out.u32(static_cast<std::uint32_t>(userOffsets_[u + 1] - userOffsets_[u]));
    out.u64(userItems_.size());
    out.raw(userItems_.data(), userItems_.size() * sizeof(std::uint32_t));
    out.raw(userRatings_.data(), userRatings_.size() * sizeof(float));
    // Neighbours: row count (0 before the similarity step), per-movie counts, then movies and
    // similarities.
    out.u64(neighbours_.rows());
    for (std::size_t i = 0; i < neighbours_.rows(); ++i)
        out.u32(static_cast<std::uint32_t>(neighbours_.rowSize(i)));
    out.u64(neighbours_.items.size());
    out.raw(neighbours_.items.data(), neighbours_.items.size() * sizeof(std::uint32_t));
    out.raw(neighbours_.similarities.data(), neighbours_.similarities.size() * sizeof(float));
}

void ItemKnnModel::readPayload(ModelReader& in) {
    baseline_.restoreBookkeeping(status(), {}, datasetName(), splitSpec(), userIds(), movieIds());
    baseline_.restoreRatingScale(ratingScale());
    baseline_.readPayload(in);
    // Offsets from per-row counts, checked against the entry count that follows.
    auto readOffsets = [&](std::size_t expected, std::vector<std::uint64_t>& offsets,
                           const char* what) {
        const std::uint64_t rows = in.u64();
        if ((rows != 0 && rows != expected) || rows > in.remaining() / sizeof(std::uint32_t))
            in.fail(std::string("corrupt model file (item-knn ") + what + ")");
        offsets.assign(expected + 1, 0);
        for (std::size_t r = 0; r < rows; ++r) offsets[r + 1] = offsets[r] + in.u32();
        const std::uint64_t entries = in.u64();
        if (entries != offsets.back() ||
            entries > in.remaining() / (sizeof(std::uint32_t) + sizeof(float)))
            in.fail(std::string("corrupt model file (item-knn ") + what + ")");
        return static_cast<std::size_t>(entries);
    };
    const std::size_t ratings = readOffsets(userCount(), userOffsets_, "training rows");
    userItems_.resize(ratings);
    userRatings_.resize(ratings);
    in.raw(userItems_.data(), ratings * sizeof(std::uint32_t));
    in.raw(userRatings_.data(), ratings * sizeof(float));
    for (std::size_t u = 0; u < userCount(); ++u)
        for (std::uint64_t e = userOffsets_[u]; e < userOffsets_[u + 1]; ++e)
            if (userItems_[e] >= itemCount() ||
                (e > userOffsets_[u] && userItems_[e] <= userItems_[e - 1]) ||
                !(userRatings_[e] >= ratingScale().min && userRatings_[e] <= ratingScale().max))
                in.fail("corrupt model file (item-knn training row out of order or range)");
    // A model stopped before its neighbours existed has none.
    const std::size_t entries = readOffsets(itemCount(), neighbours_.offsets, "neighbours");
    neighbours_.items.resize(entries);
    neighbours_.similarities.resize(entries);
    in.raw(neighbours_.items.data(), entries * sizeof(std::uint32_t));
    in.raw(neighbours_.similarities.data(), entries * sizeof(float));
    for (std::size_t e = 0; e < entries; ++e)
        if (neighbours_.items[e] >= itemCount() || !(neighbours_.similarities[e] > 0.0f) ||
            neighbours_.similarities[e] > 1.0f)
            in.fail("corrupt model file (item-knn neighbour out of range)");
}

}  // namespace lens
