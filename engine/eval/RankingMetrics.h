#pragma once
// Ranking metrics of trained models, for the per-iteration evaluation a training driver passes
// to fit() (eval/ModelEvaluation heldOutEvaluation), the final figures of a run and the Rank
// panel. Rating errors (RMSE / MAE) come from models/RatingErrors.h, included here.
//
// Ranking follows the leave-one-out protocol of He et al. (NCF, WWW 2017): every test rating
// (user, item) is a held-out positive, ranked among candidates the user never rated:
// - "NCF protocol (sampled)": 100 negatives drawn uniformly per test case from the catalogue
//   minus the user's rated movies (train and test), frozen by seed (each case draws from its
//   own stream deriveSeed(deriveSeed(seed, user), item), so the set is the same for every
//   model, thread count and machine);
// - "full ranking": every catalogue movie the user has not rated (Krichene & Rendle 2020 show
//   that sampled metrics can reverse model rankings).
// The catalogue is the movies with at least one rating (train or test). With the positive's
// rank r (0-based; candidates scoring higher count 1, ties count 1/2), HR@K = [r < K] and
// NDCG@K = [r < K] / log2(r + 2), averaged over test cases.
// Per-user top-N metrics (precision, recall, NDCG, MAP at K) treat all of a user's test
// movies as relevant and rank the catalogue minus the user's training movies.
#include <cmath>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "models/RatingErrors.h"
#include "models/TrainData.h"

namespace lens {

class Recommender;

inline constexpr const char* kSampledProtocolLabel = "NCF protocol (sampled)";
inline constexpr const char* kFullRankingLabel = "full ranking";

struct RankingResult {
    std::string protocol;  // kSampledProtocolLabel or kFullRankingLabel
    int cutoff = 10;
    double hitRate = 0.0;   // HR@cutoff
    double ndcg = 0.0;      // NDCG@cutoff
    std::size_t cases = 0;  // test ratings evaluated
    // Full ranking on a sample of users (UserSampling): the users evaluated of those with test
    // ratings, and a 95 % confidence interval of HR for the sampling (below); without sampling
    // users == usersTotal and the interval is NaN.
    std::size_t users = 0, usersTotal = 0;
    double hitRateLow = std::nan(""), hitRateHigh = std::nan("");
    bool sampled() const { return users < usersTotal; }
};

// The full ranking protocol scores every movie for every test user: on ML-20M 138,493 users x
// 26,744 movies, 3.7e9 scores, through a network for NCF. Large data is therefore evaluated on
// a seeded sample of at most `maxUsers` test users (drawn without replacement; 0 = everyone).
// The figure is the mean over the sampled users' test cases; its 95 % interval is the normal
// one with the cluster-robust (per-user) standard error of a ratio estimator and the finite
// population correction (1 - n/N), the users being a simple random sample of the test users.
struct UserSampling {
    std::size_t maxUsers = 0;
    std::uint64_t seed = 42;
};
inline constexpr std::size_t kDefaultFullRankingUsers = 10000;
// The users with test ratings under `sampling` (ascending dense indices); the per-user metrics
// (PerUserMetrics.h) draw the same sample for the same maxUsers and seed.
std::vector<std::uint32_t> sampleTestUsers(const TrainData& data, const UserSampling& sampling);

struct TopNResult {
    int cutoff = 10;
    double precision = 0.0, recall = 0.0, ndcg = 0.0, map = 0.0;
    std::size_t users = 0;  // users with at least one test movie
};

// The negatives of every test case, row i belonging to data.test[i]. Each case's draws come from
// its own stream (seed, user, test item). Up to kStoredNegatives entries they are drawn once and
// stored; a larger test part (a 20 % per-user split of ML-32M: 6.4 M cases x 100 = 2.6 GB) keeps
// only a drawer, and of() draws the case's negatives when asked, the same ones, into a buffer of
// the calling thread that its next of() overwrites. Either way valid while the TrainData lives.
class NegativeDrawer;
inline constexpr std::size_t kStoredNegatives = std::size_t{16} << 20;  // entries: 64 MB
struct SampledNegatives {
    int perCase = 100;
    std::uint64_t seed = 42;
    std::vector<std::uint32_t> items;   // test.size() * perCase; fewer valid when a user rated
    std::vector<std::uint32_t> counts;  // almost everything: counts[i] <= perCase are valid
    std::shared_ptr<const NegativeDrawer> drawer;  // set instead of items and counts
    std::span<const std::uint32_t> of(std::size_t testCase) const;
};

// Items with at least one train or test rating, ascending.
std::vector<std::uint32_t> catalogueItems(const TrainData& data);

SampledNegatives sampleNegatives(const TrainData& data, int perCase = 100, std::uint64_t seed = 42,
                                 std::size_t maxStored = kStoredNegatives);

// Scores `items` for `user` into `out` (raw model scores; higher is better).
using ItemScorer = std::function<void(std::uint32_t user, std::span<const std::uint32_t> items,
                                      std::span<float> out)>;
// Scores every item (out.size() == data.itemCount()).
using CatalogueScorer = std::function<void(std::uint32_t user, std::span<float> out)>;

RankingResult evaluateSampled(const TrainData& data, const SampledNegatives& negatives,
                              const ItemScorer& score, int cutoff = 10);
RankingResult evaluateFullRanking(const TrainData& data, const CatalogueScorer& score,
                                  int cutoff = 10, const UserSampling& sampling = {});
TopNResult evaluateTopN(const TrainData& data, const CatalogueScorer& score, int cutoff = 10);

// Same, for a trained Recommender (scores through scoreItems / scoreAll).
RankingResult evaluateSampled(const TrainData& data, const SampledNegatives& negatives,
                              const Recommender& model, int cutoff = 10);
RankingResult evaluateFullRanking(const TrainData& data, const Recommender& model, int cutoff = 10,
                                  const UserSampling& sampling = {});
TopNResult evaluateTopN(const TrainData& data, const Recommender& model, int cutoff = 10);

// Position of a positive among candidates: count of higher scores + half the ties.
double rankAmong(float positive, std::span<const float> candidates);
// Same among the catalogue: every item i with inCatalogue[i] and not excluded[i] (the full
// ranking protocol; `excluded` marks the user's rated movies).
double rankInCatalogue(float positive, std::span<const float> scores,
                       std::span<const std::uint8_t> excluded,
                       std::span<const std::uint8_t> inCatalogue);

}  // namespace lens
