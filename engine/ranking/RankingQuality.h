#pragma once
// Ranking quality of a trained model on its test split, for the Rank panel's quality card and
// `lens-atlas recommend --quality`-style reports:
// - top-N metrics at `cutoff` (precision, recall, NDCG, MAP) ranking the full catalogue minus
//   each user's training movies, every test movie relevant (eval/RankingMetrics evaluateTopN);
// - HR@cutoff and NDCG@cutoff on the NCF protocol (sampled, labelled kSampledProtocolLabel):
//   each test rating against `negatives` frozen sampled negatives (sampleNegatives);
// - catalogue coverage of everyone's top-N: distinct movies appearing in any user's top-N
//   (catalogue minus that user's training movies) divided by the catalogue size (movies with
//   at least one rating);
// - popularity bias: popularity = a movie's number of training ratings; the mean popularity of
//   the recommended slots (each user's top-N, a movie counted once per list it is in) against
//   the mean over the catalogue, and both distributions as log-binned PDFs (stats/
//   DegreeDistribution logBinnedPdf) to draw on log axes like the Explore panel.
// Users are scored in parallel (OpenMP); the observer is called from the calling thread's
// OpenMP master only, with monotonically increasing counts, and returning false cancels: the
// remaining users are skipped and the result comes back with cancelled = true (no exception).
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "eval/RankingMetrics.h"
#include "models/TrainData.h"
#include "stats/DegreeDistribution.h"

namespace lens {

class Recommender;

struct RankingQualityConfig {
    int cutoff = 10;
    int negatives = 100;  // NCF protocol negatives per test case
    std::uint64_t seed =
        42;                 // negatives' seed (use the split's seed for the Train panel's figures)
    bool sampled = true;    // compute HR / NDCG on the NCF protocol
    int binsPerDecade = 5;  // popularity PDFs
};

struct RankingQualityProgress {
    std::string stage;  // "top-N lists", "NCF protocol"
    std::size_t done = 0;
    std::size_t total = 0;
    double elapsedSeconds = 0.0;
};
// Return false to cancel.
using RankingQualityObserver = std::function<bool(const RankingQualityProgress&)>;

struct RankingQuality {
    TopNResult topN;              // precision / recall / NDCG / MAP at cutoff, full catalogue
    RankingResult sampled;        // HR / NDCG at cutoff, NCF protocol (cases = 0 when not computed)
    std::size_t usersListed = 0;  // users whose top-N was computed (coverage, popularity)
    std::size_t catalogueSize = 0;  // movies with at least one train or test rating
    std::size_t distinctRecommended = 0;
    double coverage = 0.0;                        // distinctRecommended / catalogueSize
    double meanPopularityRecommended = 0.0;       // mean training ratings of recommended slots
    double meanPopularityCatalogue = 0.0;         // mean training ratings over the catalogue
    LogBinnedPdf popularityRecommended;           // of recommended slots (popularity >= 1)
    LogBinnedPdf popularityCatalogue;             // of catalogue movies (popularity >= 1)
    std::vector<std::uint32_t> timesRecommended;  // per item: number of top-N lists holding it
    double seconds = 0.0;
    bool cancelled = false;
};

RankingQuality evaluateRankingQuality(const Recommender& model, const TrainData& data,
                                      const RankingQualityConfig& config = {},
                                      const RankingQualityObserver& observer = {});

}  // namespace lens
