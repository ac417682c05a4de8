#include "eval/RankingMetrics.h"

#include <algorithm>
#include <cmath>
#include <unordered_set>

#include "models/Recommender.h"
#include "util/HugePages.h"
#include "util/Random.h"

namespace lens {

namespace {

// Test cases grouped by user: for each user the indices into data.test.
std::vector<std::vector<std::size_t>> testCasesByUser(const TrainData& data) {
    std::vector<std::vector<std::size_t>> byUser(data.userCount());
    for (std::size_t i = 0; i < data.test.size(); ++i) byUser[data.test[i].user].push_back(i);
    return byUser;
}

double ndcgAt(double rank, int cutoff) {
    return rank < cutoff ? 1.0 / std::log2(std::floor(rank) + 2.0) : 0.0;
}

}  // namespace

std::vector<std::uint32_t> catalogueItems(const TrainData& data) {
    std::vector<std::uint8_t> seen(data.itemCount(), 0);
    for (std::size_t i = 0; i < data.itemCount(); ++i) seen[i] = data.byItem.rowSize(i) > 0;
    for (const auto& t : data.test) seen[t.item] = 1;
    std::vector<std::uint32_t> items;
    for (std::size_t i = 0; i < seen.size(); ++i)
        if (seen[i]) items.push_back(static_cast<std::uint32_t>(i));
    return items;
}

double rankAmong(float positive, std::span<const float> candidates) {
    std::size_t higher = 0, ties = 0;
    for (float c : candidates) {
        higher += c > positive;
        ties += c == positive;
    }
    return static_cast<double>(higher) + 0.5 * static_cast<double>(ties);
}

double rankInCatalogue(float positive, std::span<const float> scores,
                       std::span<const std::uint8_t> excluded,
                       std::span<const std::uint8_t> inCatalogue) {
    std::size_t higher = 0, ties = 0;
    for (std::size_t i = 0; i < scores.size(); ++i) {
        if (excluded[i] || !inCatalogue[i]) continue;
        higher += scores[i] > positive;
        ties += scores[i] == positive;
    }
    return static_cast<double>(higher) + 0.5 * static_cast<double>(ties);
}

namespace {

// The negatives of one user's test cases, drawn case by case: each case's draws come from its own
// stream (seed, user, test item), so they are the same whichever cases are drawn together.
class CaseNegatives {
public:
    CaseNegatives(const TrainData& data, const std::vector<std::uint32_t>& catalogue, int perCase,
                  std::uint64_t seed)
        : data_(data), catalogue_(catalogue), perCase_(perCase), seed_(seed) {}

    // Prepares user u with its test cases (indices into data.test).
    void startUser(std::size_t u, const std::vector<std::size_t>& cases) {
        user_ = u;
        testItems_.clear();
        for (std::size_t c : cases) testItems_.push_back(data_.test[c].item);
        std::sort(testItems_.begin(), testItems_.end());
        const std::size_t rated = data_.byUser.rowSize(u) + testItems_.size();
        const std::size_t available = catalogue_.size() > rated ? catalogue_.size() - rated : 0;
        want_ = std::min<std::size_t>(static_cast<std::size_t>(perCase_), available);
    }

    // Draws case c's negatives into dst (room for perCase); returns how many were drawn.
    std::size_t draw(std::size_t c, std::uint32_t* dst) const {
        Pcg32 rng(deriveSeed(deriveSeed(seed_, user_), data_.test[c].item));
        std::size_t got = 0;
        // Rejection sampling; bounded so that a user who rated nearly everything cannot loop.
        for (std::size_t attempt = 0; got < want_ && attempt < 1000 * want_ + 1000; ++attempt) {
            const std::uint32_t item =
                catalogue_[rng.below(static_cast<std::uint32_t>(catalogue_.size()))];
            if (data_.byUser.contains(user_, item) ||
                std::binary_search(testItems_.begin(), testItems_.end(), item) ||
                std::find(dst, dst + got, item) != dst + got)
                continue;
            dst[got++] = item;
        }
        return got;
    }

private:
    const TrainData& data_;
    const std::vector<std::uint32_t>& catalogue_;
    int perCase_;
    std::uint64_t seed_;
    std::size_t user_ = 0, want_ = 0;
    std::vector<std::uint32_t> testItems_;
};

}  // namespace

// What a SampledNegatives that is not stored draws from.
class NegativeDrawer {
public:
    NegativeDrawer(const TrainData& data, int perCase, std::uint64_t seed)
        : data_(data),
          catalogue_(catalogueItems(data)),
          byUser_(testCasesByUser(data)),
          perCase_(perCase),
          seed_(seed) {}
    std::size_t draw(std::size_t testCase, std::uint32_t* dst) const {
        const std::size_t u = data_.test[testCase].user;
        CaseNegatives negatives(data_, catalogue_, perCase_, seed_);
        negatives.startUser(u, byUser_[u]);
        return negatives.draw(testCase, dst);
    }

private:
    const TrainData& data_;
    std::vector<std::uint32_t> catalogue_;
    std::vector<std::vector<std::size_t>> byUser_;
    int perCase_;
    std::uint64_t seed_;
};

std::span<const std::uint32_t> SampledNegatives::of(std::size_t testCase) const {
    if (!drawer)
        return {items.data() + testCase * static_cast<std::size_t>(perCase), counts[testCase]};
    thread_local std::vector<std::uint32_t> buffer;
    buffer.resize(static_cast<std::size_t>(perCase));
    return {buffer.data(), drawer->draw(testCase, buffer.data())};
}

SampledNegatives sampleNegatives(const TrainData& data, int perCase, std::uint64_t seed,
                                 std::size_t maxStored) {
    SampledNegatives out;
    out.perCase = perCase;
    out.seed = seed;
    if (data.test.size() * static_cast<std::size_t>(perCase) > maxStored) {
        out.drawer = std::make_shared<const NegativeDrawer>(data, perCase, seed);
        return out;
    }
    resizeHuge(out.items, data.test.size() * static_cast<std::size_t>(perCase));
    out.counts.assign(data.test.size(), 0);
    const std::vector<std::uint32_t> catalogue = catalogueItems(data);
    const auto byUser = testCasesByUser(data);
#pragma omp parallel
    {
        CaseNegatives negatives(data, catalogue, perCase, seed);
#pragma omp for schedule(dynamic, 16)
        for (std::size_t u = 0; u < byUser.size(); ++u) {
            if (byUser[u].empty()) continue;
            negatives.startUser(u, byUser[u]);
            for (std::size_t c : byUser[u])
                out.counts[c] = static_cast<std::uint32_t>(
                    negatives.draw(c, out.items.data() + c * static_cast<std::size_t>(perCase)));
        }
    }
    return out;
}

namespace {
// HR and NDCG of a protocol: the means of the per-case hits and gains.
void setMeans(RankingResult& result, const std::vector<double>& hits,
              const std::vector<double>& gains) {
    double h = 0, g = 0;
    for (std::size_t c = 0; c < hits.size(); ++c) {
        h += hits[c];
        g += gains[c];
    }
    result.hitRate = h / static_cast<double>(hits.size());
    result.ndcg = g / static_cast<double>(hits.size());
}
}  // namespace

namespace {

// The sampled protocol's figures, case by case: each case's positive ranked among its negatives.
class SampledCases {
public:
    SampledCases(const TrainData& data, const ItemScorer& score, int cutoff)
        : data_(data),
          score_(score),
          cutoff_(cutoff),
          hits_(data.test.size()),
          gains_(data.test.size()) {}
    // Case c with `items` = its positive, then its negatives; `scores` is the thread's buffer.
    void score(std::size_t c, std::span<const std::uint32_t> items, std::vector<float>& scores) {
        scores.resize(items.size());
        score_(data_.test[c].user, items, scores);
        const double rank = rankAmong(scores[0], std::span<const float>(scores).subspan(1));
        hits_[c] = rank < cutoff_ ? 1.0 : 0.0;
        gains_[c] = ndcgAt(rank, cutoff_);
    }
    RankingResult result() const {
        RankingResult r;
        r.protocol = kSampledProtocolLabel;
        r.cutoff = cutoff_;
        r.cases = data_.test.size();
        if (!hits_.empty()) setMeans(r, hits_, gains_);
        return r;
    }

private:
    const TrainData& data_;
    const ItemScorer& score_;
    int cutoff_;
    std::vector<double> hits_, gains_;
};

}  // namespace

RankingResult evaluateSampled(const TrainData& data, const SampledNegatives& negatives,
                              const ItemScorer& score, int cutoff) {
    SampledCases cases(data, score, cutoff);
#pragma omp parallel
    {
        std::vector<std::uint32_t> items;
        std::vector<float> scores;
#pragma omp for schedule(dynamic, 64)
        for (std::size_t c = 0; c < data.test.size(); ++c) {
            const auto neg = negatives.of(c);
            items.assign(1, data.test[c].item);
            items.insert(items.end(), neg.begin(), neg.end());
            cases.score(c, items, scores);
        }
    }
    return cases.result();
}

std::vector<std::uint32_t> sampleTestUsers(const TrainData& data, const UserSampling& sampling) {
    std::vector<std::uint8_t> hasTest(data.userCount(), 0);
    for (const auto& t : data.test) hasTest[t.user] = 1;
    std::vector<std::uint32_t> users;
    for (std::size_t u = 0; u < hasTest.size(); ++u)
        if (hasTest[u]) users.push_back(static_cast<std::uint32_t>(u));
    if (sampling.maxUsers == 0 || users.size() <= sampling.maxUsers) return users;
    // A partial Fisher-Yates shuffle with the split's seed: the same users for every model.
    Pcg32 rng(deriveSeed(sampling.seed, 0x5eed0f5e55ULL));
    for (std::size_t i = 0; i < sampling.maxUsers; ++i) {
        const std::size_t j = i + rng.below(static_cast<std::uint32_t>(users.size() - i));
        std::swap(users[i], users[j]);
    }
    users.resize(sampling.maxUsers);
    std::sort(users.begin(), users.end());
    return users;
}

RankingResult evaluateFullRanking(const TrainData& data, const CatalogueScorer& score, int cutoff,
                                  const UserSampling& sampling) {
    RankingResult result;
    result.protocol = kFullRankingLabel;
    result.cutoff = cutoff;
    if (data.test.empty()) return result;
    const auto byUser = testCasesByUser(data);
    const std::vector<std::uint32_t> users = sampleTestUsers(data, sampling);
    for (const auto& cases : byUser) result.usersTotal += cases.empty() ? 0 : 1;
    result.users = users.size();
    std::vector<std::uint8_t> inCatalogue(data.itemCount(), 0);
    for (std::uint32_t i : catalogueItems(data)) inCatalogue[i] = 1;
    std::vector<double> hits(data.test.size()), gains(data.test.size());
#pragma omp parallel
    {
        std::vector<float> scores(data.itemCount());
        std::vector<std::uint8_t> excluded(data.itemCount());
#pragma omp for schedule(dynamic, 8)
        for (std::size_t k = 0; k < users.size(); ++k) {
            const std::uint32_t u = users[k];
            score(u, scores);
            for (std::uint32_t i : data.byUser.rowIndex(u)) excluded[i] = 1;
            for (std::size_t c : byUser[u]) excluded[data.test[c].item] = 1;
            for (std::size_t c : byUser[u]) {
                const double rank =
                    rankInCatalogue(scores[data.test[c].item], scores, excluded, inCatalogue);
                hits[c] = rank < cutoff ? 1.0 : 0.0;
                gains[c] = ndcgAt(rank, cutoff);
            }
            for (std::uint32_t i : data.byUser.rowIndex(u)) excluded[i] = 0;
            for (std::size_t c : byUser[u]) excluded[data.test[c].item] = 0;
        }
    }
    // Means over the evaluated users' cases; with sampling, the interval of the ratio estimator.
    double h = 0, g = 0;
    std::size_t cases = 0;
    for (std::uint32_t u : users)
        for (std::size_t c : byUser[u]) {
            h += hits[c];
            g += gains[c];
            ++cases;
        }
    result.cases = cases;
    result.hitRate = h / static_cast<double>(cases);
    result.ndcg = g / static_cast<double>(cases);
    if (result.sampled() && users.size() > 1) {
        const double n = static_cast<double>(users.size());
        const double meanCases = static_cast<double>(cases) / n;
        double ss = 0;
        for (std::uint32_t u : users) {
            double hu = 0;
            for (std::size_t c : byUser[u]) hu += hits[c];
            const double residual = hu - result.hitRate * static_cast<double>(byUser[u].size());
            ss += residual * residual;
        }
        const double fpc = 1.0 - n / static_cast<double>(result.usersTotal);
        const double se = std::sqrt(fpc * ss / (n - 1.0) / n) / meanCases;
        result.hitRateLow = std::max(0.0, result.hitRate - 1.959963984540054 * se);
        result.hitRateHigh = std::min(1.0, result.hitRate + 1.959963984540054 * se);
    }
    return result;
}

TopNResult evaluateTopN(const TrainData& data, const CatalogueScorer& score, int cutoff) {
    TopNResult result;
    result.cutoff = cutoff;
    const auto byUser = testCasesByUser(data);
    std::vector<std::uint8_t> inCatalogue(data.itemCount(), 0);
    for (std::uint32_t i : catalogueItems(data)) inCatalogue[i] = 1;
    struct PerUser {
        double precision = 0, recall = 0, ndcg = 0, ap = 0;
        bool counted = false;
    };
    std::vector<PerUser> per(byUser.size());
#pragma omp parallel
    {
        std::vector<float> scores(data.itemCount());
        std::vector<std::uint32_t> candidates;
        std::vector<std::uint8_t> relevant(data.itemCount(), 0);
#pragma omp for schedule(dynamic, 8)
        for (std::size_t u = 0; u < byUser.size(); ++u) {
            if (byUser[u].empty()) continue;
            score(static_cast<std::uint32_t>(u), scores);
            candidates.clear();
            const auto train = data.byUser.rowIndex(u);
            for (std::size_t i = 0; i < scores.size(); ++i)
                if (inCatalogue[i] && !std::binary_search(train.begin(), train.end(), i))
                    candidates.push_back(static_cast<std::uint32_t>(i));
            const std::size_t k =
                std::min<std::size_t>(static_cast<std::size_t>(cutoff), candidates.size());
            std::partial_sort(candidates.begin(),
                              candidates.begin() + static_cast<std::ptrdiff_t>(k), candidates.end(),
                              [&](std::uint32_t a, std::uint32_t b) {
                                  return scores[a] != scores[b] ? scores[a] > scores[b] : a < b;
                              });
            for (std::size_t c : byUser[u]) relevant[data.test[c].item] = 1;
            const std::size_t nRelevant = byUser[u].size();
            double hits = 0, dcg = 0, idcg = 0, ap = 0;
            for (std::size_t r = 0; r < k; ++r) {
                if (relevant[candidates[r]]) {
                    hits += 1;
                    dcg += 1.0 / std::log2(static_cast<double>(r) + 2.0);
                    ap += hits / static_cast<double>(r + 1);
                }
            }
            for (std::size_t r = 0; r < std::min(k, nRelevant); ++r)
                idcg += 1.0 / std::log2(static_cast<double>(r) + 2.0);
            for (std::size_t c : byUser[u]) relevant[data.test[c].item] = 0;
            PerUser& p = per[u];
            p.counted = true;
            p.precision = hits / static_cast<double>(cutoff);
            p.recall = hits / static_cast<double>(nRelevant);
            p.ndcg = idcg > 0 ? dcg / idcg : 0.0;
            p.ap = ap / static_cast<double>(
                            std::min<std::size_t>(nRelevant, static_cast<std::size_t>(cutoff)));
        }
    }
    for (const auto& p : per) {
        if (!p.counted) continue;
        ++result.users;
        result.precision += p.precision;
        result.recall += p.recall;
        result.ndcg += p.ndcg;
        result.map += p.ap;
    }
    if (result.users) {
        const double n = static_cast<double>(result.users);
        result.precision /= n;
        result.recall /= n;
        result.ndcg /= n;
        result.map /= n;
    }
    return result;
}

RankingResult evaluateSampled(const TrainData& data, const SampledNegatives& negatives,
                              const Recommender& model, int cutoff) {
    return evaluateSampled(
        data, negatives,
        [&](std::uint32_t u, std::span<const std::uint32_t> items, std::span<float> out) {
            model.scoreItems(u, items, out);
        },
        cutoff);
}

RankingResult evaluateFullRanking(const TrainData& data, const Recommender& model, int cutoff,
                                  const UserSampling& sampling) {
    return evaluateFullRanking(
        data, [&](std::uint32_t u, std::span<float> out) { model.scoreAll(u, out); }, cutoff,
        sampling);
}

TopNResult evaluateTopN(const TrainData& data, const Recommender& model, int cutoff) {
    return evaluateTopN(
        data, [&](std::uint32_t u, std::span<float> out) { model.scoreAll(u, out); }, cutoff);
}

}  // namespace lens
