#include "ranking/TopNRanker.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <unordered_map>
#include <unordered_set>

#include "util/Errors.h"

namespace lens {

namespace {

float logit(float p) {
    const float eps = 1e-6f;
    p = std::clamp(p, eps, 1.0f - eps);
    return std::log(p / (1.0f - p));
}

}  // namespace

const char* rankScoringName(RankScoring scoring) {
    switch (scoring) {
        case RankScoring::StudyVariant:
            return "variant";
        case RankScoring::PredictedRating:
            return "predicted";
        case RankScoring::RawScore:
            return "raw";
    }
    return "variant";
}

RankScoring parseRankScoring(const std::string& name) {
    for (RankScoring s :
         {RankScoring::StudyVariant, RankScoring::PredictedRating, RankScoring::RawScore})
        if (name == rankScoringName(s)) return s;
    throw std::invalid_argument("scoring: expected variant, predicted or raw, got '" + name + "'");
}

double ListOverlap::fraction() const {
    const std::size_t m = std::max(sizeA, sizeB);
    return m ? static_cast<double>(shared.size()) / static_cast<double>(m) : 0.0;
}

double ListOverlap::jaccard() const {
    const std::size_t u = sizeA + sizeB - shared.size();
    return u ? static_cast<double>(shared.size()) / static_cast<double>(u) : 0.0;
}

ListOverlap listOverlap(const RankResult& a, const RankResult& b) {
    ListOverlap o;
    o.sizeA = a.items.size();
    o.sizeB = b.items.size();
    std::unordered_set<std::int64_t> inB;
    for (const auto& r : b.items) inB.insert(r.movieId);
    std::unordered_set<std::int64_t> seen;
    for (const auto& r : a.items)
        if (inB.count(r.movieId) && seen.insert(r.movieId).second) o.shared.push_back(r.movieId);
    return o;
}

TopNRanker::TopNRanker(const Recommender& model, const Dataset& dataset)
    : model_(model), dataset_(dataset) {
    if (model.movieIds() != dataset.movieIds)
        throw DataError(model.datasetName().empty() ? std::string("model") : model.datasetName(), 0,
                        "model was trained on '" + model.datasetName() + "' (" +
                            std::to_string(model.itemCount()) + " movies), not on '" +
                            dataset.name + "' (" + std::to_string(dataset.movieCount()) +
                            " movies)");
    const std::size_t movies = dataset.movieCount();
    counts_.assign(movies, 0);
    means_.assign(movies, 0.0);
    for (std::size_t m = 0; m < movies && m < dataset.byMovie.rows(); ++m) {
        const auto stars = dataset.byMovie.rowHalfStars(m);
        counts_[m] = stars.size();
        if (stars.empty()) continue;
        double sum = 0;
        for (HalfStars h : stars) sum += dataset.ratingValue(h);
        means_[m] = sum / static_cast<double>(stars.size());
    }
    itemBiases_ = model.itemBiases();
    if (itemBiases_.size() != movies) itemBiases_.clear();
    if (itemBiases_.empty()) {
        const Eigen::MatrixXf users = model.userFactors();
        if (users.rows() > 0 && users.cols() > 0) {
            FoldedUser mean;
            mean.factors = users.colwise().mean().transpose();
            appeal_.assign(movies, 0.0f);
            model.scoreAll(mean, appeal_);
            logitScores_ = !model.predictsRatings() &&
                           std::all_of(appeal_.begin(), appeal_.end(),
                                       [](float v) { return v >= 0.0f && v <= 1.0f; });
            if (logitScores_)
                for (float& v : appeal_) v = logit(v);
        }
    }
    itemUnit_ = model.itemFactors();
    if (itemUnit_.rows() != static_cast<Eigen::Index>(movies)) {
        itemUnit_.resize(0, 0);
    } else {
        for (Eigen::Index i = 0; i < itemUnit_.rows(); ++i) {
            const float norm = itemUnit_.row(i).norm();
            if (norm > 0) itemUnit_.row(i) /= norm;
        }
    }
}

bool TopNRanker::passesFilter(std::uint32_t item, const RankFilter& filter) const {
    if (item >= counts_.size() || counts_[item] < filter.minRatings) return false;
    const GenreMask g = dataset_.genres[item];
    if (g & filter.excludeGenres) return false;
    if (filter.includeGenres && !(g & filter.includeGenres)) return false;
    return true;
}

FoldedUser TopNRanker::foldInPersona(std::span<const PersonaRating> persona,
                                     std::vector<std::int64_t>* missing) const {
    // Keep each movie once, at its first position, with its last rating.
    std::vector<FoldInRating> ratings;
    std::unordered_map<std::uint32_t, std::size_t> position;
    for (const auto& p : persona) {
        const std::int64_t index = dataset_.movieIndex(p.movieId);
        if (index < 0 || static_cast<std::size_t>(index) >= model_.itemCount()) {
            if (missing && std::find(missing->begin(), missing->end(), p.movieId) == missing->end())
                missing->push_back(p.movieId);
            continue;
        }
        const auto item = static_cast<std::uint32_t>(index);
        const float rating = model_.clip(p.rating);
        if (auto it = position.find(item); it != position.end()) {
            ratings[it->second].rating = rating;
        } else {
            position.emplace(item, ratings.size());
            ratings.push_back({item, rating});
        }
    }
    return model_.foldIn(ratings);
}

std::vector<float> TopNRanker::scoreFolded(const FoldedUser& user, RankScoring scoring,
                                           double biasWeight, std::size_t minRatings) const {
    std::vector<float> scores(model_.itemCount());
    model_.scoreAll(user, scores);
    if (scoring != RankScoring::StudyVariant) return scores;
    const auto w = static_cast<float>(biasWeight);
    if (itemBiases_.empty()) {
        if (appeal_.empty()) return scores;
        // v_i = t_i - (1 - w) beta g_i: the least-squares share beta of the generic appeal g
        // in the persona's scores t is regressed out, w of it kept (as the study keeps w b_i).
        if (logitScores_)
            for (float& v : scores) v = logit(v);
        double n = 0, st = 0, sg = 0, stg = 0, sgg = 0;
        for (std::size_t i = 0; i < scores.size(); ++i) {
            if (counts_[i] < std::max<std::size_t>(1, minRatings)) continue;
            n += 1;
            st += scores[i];
            sg += appeal_[i];
            stg += static_cast<double>(scores[i]) * appeal_[i];
            sgg += static_cast<double>(appeal_[i]) * appeal_[i];
        }
        const double var = n > 1 ? sgg - sg * sg / n : 0.0;
        const double beta = var > 0 ? (stg - st * sg / n) / var : 0.0;
        const auto remove = static_cast<float>((1.0 - biasWeight) * beta);
        for (std::size_t i = 0; i < scores.size(); ++i) scores[i] -= remove * appeal_[i];
        return scores;
    }
    // p.q_i = s_i - mu - b_u - b_i, then v_i = p.q_i + w b_i.
    const auto offset = static_cast<float>(model_.globalMean()) + user.bias;
    for (std::size_t i = 0; i < scores.size(); ++i)
        scores[i] = scores[i] - offset - itemBiases_[i] + w * itemBiases_[i];
    return scores;
}

void TopNRanker::explainInto(const FoldedUser& user, RankedMovie& row, int count) const {
    if (count <= 0 || user.ratings.empty()) return;
    std::vector<float> weight = model_.explain(user, row.item);
    const bool contributions = weight.size() == user.ratings.size();
    if (!contributions) {
        if (itemUnit_.rows() == 0) return;
        weight.resize(user.ratings.size());
        for (std::size_t j = 0; j < user.ratings.size(); ++j)
            weight[j] = itemUnit_.row(row.item).dot(itemUnit_.row(user.ratings[j].item));
    }
    std::vector<std::size_t> order(weight.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return weight[a] > weight[b]; });
    for (std::size_t j : order) {
        if (static_cast<int>(row.because.size()) >= count) break;
        // A contribution that lowers the score explains nothing; the nearest movie always does.
        if (contributions && !(weight[j] > 0.0f)) break;
        row.because.push_back(dataset_.movieIds[user.ratings[j].item]);
        row.becauseWeights.push_back(weight[j]);
    }
}

RankResult TopNRanker::rankFolded(const FoldedUser& user, std::vector<std::int64_t> missing,
                                  const RankConfig& config) const {
    RankResult result;
    result.missing = std::move(missing);
    result.used = user.ratings;
    result.scoring = config.scoring;
    if (user.ratings.empty()) return result;
    std::vector<float> raw(model_.itemCount());
    model_.scoreAll(user, raw);
    const std::vector<float> scores =
        config.scoring == RankScoring::StudyVariant
            ? scoreFolded(user, config.scoring, config.biasWeight, config.filter.minRatings)
            : raw;
    std::vector<std::uint8_t> rated(raw.size(), 0);
    for (const auto& r : user.ratings) rated[r.item] = 1;
    std::vector<std::uint32_t> candidates;
    for (std::uint32_t i = 0; i < raw.size(); ++i) {
        if (config.filter.excludeRated && rated[i]) continue;
        if (!std::isfinite(scores[i]) || !passesFilter(i, config.filter)) continue;
        candidates.push_back(i);
    }
    result.candidates = candidates.size();
    const std::size_t n =
        std::min(candidates.size(), static_cast<std::size_t>(std::max(config.filter.n, 0)));
    std::partial_sort(candidates.begin(), candidates.begin() + static_cast<std::ptrdiff_t>(n),
                      candidates.end(), [&](std::uint32_t a, std::uint32_t b) {
                          return scores[a] != scores[b] ? scores[a] > scores[b] : a < b;
                      });
    result.explainedByContributions =
        !model_.explain(user, candidates.empty() ? 0 : candidates[0]).empty();
    for (std::size_t r = 0; r < n; ++r) {
        const std::uint32_t item = candidates[r];
        RankedMovie row;
        row.rank = static_cast<int>(r + 1);
        row.movieId = dataset_.movieIds[item];
        row.item = item;
        row.score = scores[item];
        row.rawScore = raw[item];
        if (model_.predictsRatings()) row.predictedRating = model_.clip(raw[item]);
        row.ratingsCount = counts_[item];
        row.meanRating = means_[item];
        explainInto(user, row, config.explanationCount);
        result.items.push_back(std::move(row));
    }
    return result;
}

RankResult TopNRanker::rankPersona(std::span<const PersonaRating> persona,
                                   const RankConfig& config) const {
    std::vector<std::int64_t> missing;
    const FoldedUser user = foldInPersona(persona, &missing);
    return rankFolded(user, std::move(missing), config);
}

std::vector<PersonaRating> TopNRanker::personaOfUser(std::int64_t userId) const {
    const std::int64_t u = dataset_.userIndex(userId);
    if (u < 0) throw std::invalid_argument("unknown user id " + std::to_string(userId));
    std::vector<PersonaRating> persona;
    const auto items = dataset_.byUser.rowIndex(static_cast<std::size_t>(u));
    const auto stars = dataset_.byUser.rowHalfStars(static_cast<std::size_t>(u));
    persona.reserve(items.size());
    for (std::size_t j = 0; j < items.size(); ++j)
        persona.push_back({dataset_.movieIds[items[j]], dataset_.ratingValue(stars[j])});
    return persona;
}

RankResult TopNRanker::rankUser(std::int64_t userId, const RankConfig& config) const {
    const std::vector<PersonaRating> persona = personaOfUser(userId);
    return rankPersona(persona, config);
}

RankResult TopNRanker::popularity(std::span<const PersonaRating> persona,
                                  const RankFilter& filter) const {
    RankResult result;
    result.scoring = RankScoring::RawScore;
    std::unordered_set<std::uint32_t> rated;
    for (const auto& p : persona) {
        const std::int64_t index = dataset_.movieIndex(p.movieId);
        if (index < 0) {
            result.missing.push_back(p.movieId);
            continue;
        }
        rated.insert(static_cast<std::uint32_t>(index));
    }
    std::vector<std::uint32_t> candidates;
    for (std::uint32_t i = 0; i < counts_.size(); ++i) {
        if (filter.excludeRated && rated.count(i)) continue;
        if (passesFilter(i, filter)) candidates.push_back(i);
    }
    result.candidates = candidates.size();
    const std::size_t n =
        std::min(candidates.size(), static_cast<std::size_t>(std::max(filter.n, 0)));
    std::partial_sort(candidates.begin(), candidates.begin() + static_cast<std::ptrdiff_t>(n),
                      candidates.end(), [&](std::uint32_t a, std::uint32_t b) {
                          if (counts_[a] != counts_[b]) return counts_[a] > counts_[b];
                          if (means_[a] != means_[b]) return means_[a] > means_[b];
                          return a < b;
                      });
    for (std::size_t r = 0; r < n; ++r) {
        const std::uint32_t item = candidates[r];
        RankedMovie row;
        row.rank = static_cast<int>(r + 1);
        row.movieId = dataset_.movieIds[item];
        row.item = item;
        row.score = static_cast<float>(counts_[item]);
        row.rawScore = row.score;
        row.ratingsCount = counts_[item];
        row.meanRating = means_[item];
        result.items.push_back(std::move(row));
    }
    return result;
}

}  // namespace lens
