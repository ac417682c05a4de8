#include "eval/PerUserMetrics.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "models/Recommender.h"
#include "util/Random.h"

namespace lens {

namespace {

// Test cases per user: indices into data.test.
std::vector<std::vector<std::size_t>> casesByUser(const TrainData& data) {
    std::vector<std::vector<std::size_t>> byUser(data.userCount());
    for (std::size_t i = 0; i < data.test.size(); ++i) byUser[data.test[i].user].push_back(i);
    return byUser;
}

struct CaseScore {
    double hit = 0, gain = 0, reciprocal = 0;
};

CaseScore scoreRank(double rank, int cutoff) {
    CaseScore s;
    const double r = std::floor(rank);
    s.reciprocal = 1.0 / (r + 1.0);
    if (rank < cutoff) {
        s.hit = 1.0;
        s.gain = 1.0 / std::log2(r + 2.0);
    }
    return s;
}

}  // namespace

const PerUserColumn* PerUserMetrics::column(const std::string& name) const {
    for (const auto& c : columns)
        if (c.name == name) return &c;
    return nullptr;
}

double PerUserMetrics::mean(const std::string& name) const {
    const PerUserColumn* c = column(name);
    if (!c || c->values.empty()) return kNoMetric;
    return std::accumulate(c->values.begin(), c->values.end(), 0.0) /
           static_cast<double>(c->values.size());
}

std::vector<std::uint32_t> perUserSample(const TrainData& data, const PerUserOptions& options) {
    return sampleTestUsers(data, {options.maxUsers, options.seed});
}

PerUserMetrics computePerUserMetrics(const TrainData& data, const Recommender& model,
                                     const SampledNegatives* negatives,
                                     const PerUserOptions& options) {
    PerUserMetrics out;
    out.cutoff = options.cutoff;
    out.datasetUsers = data.userCount();
    const auto byUser = casesByUser(data);
    out.usersWithTests = static_cast<std::size_t>(
        std::count_if(byUser.begin(), byUser.end(), [](const auto& v) { return !v.empty(); }));
    out.users = perUserSample(data, options);
    const std::size_t n = out.users.size();
    const int cutoff = options.cutoff;

    const bool ratings = options.ratingErrors && model.predictsRatings();
    const bool sampled = options.sampled && negatives != nullptr;
    const bool full = options.full;
    std::vector<double> rmse(ratings ? n : 0), mae(ratings ? n : 0);
    std::vector<double> hrS(sampled ? n : 0), ndcgS(sampled ? n : 0), rrS(sampled ? n : 0);
    std::vector<double> hrF(full ? n : 0), ndcgF(full ? n : 0), recallF(full ? n : 0),
        rrF(full ? n : 0);

    if (full) {
        out.fullHitByCase.assign(data.test.size(), kNoMetric);
        out.topLists.resize(n);
    }
    std::vector<std::uint8_t> inCatalogue(data.itemCount(), 0);
    for (std::uint32_t i : catalogueItems(data)) inCatalogue[i] = 1;

#pragma omp parallel
    {
        std::vector<float> scores(full ? data.itemCount() : 0);
        std::vector<std::uint8_t> excluded(full ? data.itemCount() : 0, 0);
        std::vector<std::uint32_t> items;
        std::vector<float> itemScores;
        std::vector<std::uint32_t> candidates;
#pragma omp for schedule(dynamic, 8)
        for (std::size_t k = 0; k < n; ++k) {
            const std::uint32_t u = out.users[k];
            const auto& cases = byUser[u];
            const double m = static_cast<double>(cases.size());
            if (ratings) {
                double sq = 0, abs = 0;
                for (std::size_t c : cases) {
                    const double d = static_cast<double>(model.predict(u, data.test[c].item)) -
                                     static_cast<double>(data.test[c].rating);
                    sq += d * d;
                    abs += std::fabs(d);
                }
                rmse[k] = std::sqrt(sq / m);
                mae[k] = abs / m;
            }
            if (sampled) {
                CaseScore sum;
                for (std::size_t c : cases) {
                    const auto neg = negatives->of(c);
                    items.assign(1, data.test[c].item);
                    items.insert(items.end(), neg.begin(), neg.end());
                    itemScores.resize(items.size());
                    model.scoreItems(u, items, itemScores);
                    const CaseScore s = scoreRank(
                        rankAmong(itemScores[0], std::span<const float>(itemScores).subspan(1)),
                        cutoff);
                    sum.hit += s.hit;
                    sum.gain += s.gain;
                    sum.reciprocal += s.reciprocal;
                }
                hrS[k] = sum.hit / m;
                ndcgS[k] = sum.gain / m;
                rrS[k] = sum.reciprocal / m;
            }
            if (full) {
                model.scoreAll(u, scores);
                const auto train = data.byUser.rowIndex(u);
                for (std::uint32_t i : train) excluded[i] = 1;
                for (std::size_t c : cases) excluded[data.test[c].item] = 1;
                CaseScore sum;
                for (std::size_t c : cases) {
                    const CaseScore s = scoreRank(
                        rankInCatalogue(scores[data.test[c].item], scores, excluded, inCatalogue),
                        cutoff);
                    sum.hit += s.hit;
                    sum.gain += s.gain;
                    sum.reciprocal += s.reciprocal;
                    out.fullHitByCase[c] = s.hit;
                }
                hrF[k] = sum.hit / m;
                ndcgF[k] = sum.gain / m;
                rrF[k] = sum.reciprocal / m;
                // recall@N: the top-N of the catalogue minus the training movies.
                for (std::size_t c : cases) excluded[data.test[c].item] = 0;
                candidates.clear();
                for (std::size_t i = 0; i < scores.size(); ++i)
                    if (inCatalogue[i] && !excluded[i])
                        candidates.push_back(static_cast<std::uint32_t>(i));
                const std::size_t top =
                    std::min<std::size_t>(static_cast<std::size_t>(cutoff), candidates.size());
                std::partial_sort(candidates.begin(),
                                  candidates.begin() + static_cast<std::ptrdiff_t>(top),
                                  candidates.end(), [&](std::uint32_t a, std::uint32_t b) {
                                      return scores[a] != scores[b] ? scores[a] > scores[b] : a < b;
                                  });
                double found = 0;
                for (std::size_t r = 0; r < top; ++r)
                    for (std::size_t c : cases) found += data.test[c].item == candidates[r];
                recallF[k] = found / m;
                out.topLists[k].assign(candidates.begin(),
                                       candidates.begin() + static_cast<std::ptrdiff_t>(top));
                for (std::uint32_t i : train) excluded[i] = 0;
            }
        }
    }
    auto add = [&](const char* name, std::vector<double>& v, bool on) {
        if (on) out.columns.push_back({name, std::move(v)});
    };
    add(kUserRmse, rmse, ratings);
    add(kUserMae, mae, ratings);
    add(kUserHrSampled, hrS, sampled);
    add(kUserNdcgSampled, ndcgS, sampled);
    add(kUserRrSampled, rrS, sampled);
    add(kUserHrFull, hrF, full && options.fullColumns);
    add(kUserNdcgFull, ndcgF, full && options.fullColumns);
    add(kUserRecallFull, recallF, full && options.fullColumns);
    add(kUserRrFull, rrF, full && options.fullColumns);
    return out;
}

}  // namespace lens
