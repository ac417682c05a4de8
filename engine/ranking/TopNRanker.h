#pragma once
// Personalised top-N lists for the Rank panel and `lens-atlas recommend`: a persona (a few
// movies with star ratings) or an existing user is folded into a trained Recommender against
// its fixed item side (Recommender::foldIn, no retraining), every catalogue movie is scored,
// the filters are applied and the best N are returned with explanations.
//
// Scoring (RankScoring):
// - PredictedRating: the model's raw output s_i = mu + b_u + b_i + p.q_i (explicit models),
//   shown clipped to 0.5..5 (the list is ordered by the unclipped value, so movies predicted
//   above 5 do not tie). With a 3-movie persona the fold-in keeps p small (ridge lambda),
//   so b_i dominates and the globally loved movies (Shawshank, Forrest Gump, ...) fill the list.
// - StudyVariant (the default, as in the study): v_i = p.q_i + w * b_i, w = 0.05 by default.
//   The interaction term is recovered as p.q_i = s_i - mu - b_u - b_i from the model's
//   globalMean(), itemBiases() and the folded user's bias. Models without item biases
//   (implicit ALS, NCF) get the same idea generalised: the item's "generic appeal" g_i is the
//   score of the mean trained user (as a logit for models scoring probabilities), the least-
//   squares share beta of g in the persona's scores t is regressed out and w of it kept:
//   v_i = t_i - (1 - w) * beta * g_i (for biased models g = b_i and beta = 1 give the study's
//   formula). The bias baseline has no interaction term: its lists are the same for every
//   persona (by construction).
// - RawScore: the model's raw output without any transformation.
//
// Explanations ("because"): for models that can split a score (ALS family: Recommender::explain
// gives the exact per-rated-movie contributions of the linear fold-in solve: they sum to
// b_u + p.q_i for the explicit ALS models and to p.q_i for implicit ALS), the rated movies
// with the largest positive contributions; for models that cannot (NCF), the rated movies
// nearest to the recommended one by cosine similarity in itemFactors() space (weight = that
// cosine, nearest first).
//
// Filters: a movie is a candidate when it has at least `minRatings` ratings in the Dataset,
// has none of `excludeGenres`, has at least one of `includeGenres` (when non-zero), and, when
// `excludeRated` is set, is not one of the persona's rated movies.
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include "data/Dataset.h"
#include "data/Genre.h"
#include "models/Recommender.h"

namespace lens {

// One movie of a persona, by release id, with a star rating 0.5..5.
struct PersonaRating {
    std::int64_t movieId = 0;
    float rating = 5.0f;
};

enum class RankScoring { StudyVariant = 0, PredictedRating = 1, RawScore = 2 };
const char* rankScoringName(RankScoring scoring);  // "variant", "predicted", "raw"
// Parses the names above; throws std::invalid_argument naming the bad value.
RankScoring parseRankScoring(const std::string& name);

struct RankFilter {
    std::size_t minRatings = 100;  // as in the study
    bool excludeRated = true;      // drop the persona's own movies
    GenreMask includeGenres = 0;   // non-zero: keep movies with at least one of these
    GenreMask excludeGenres = 0;   // drop movies with any of these
    int n = 10;                    // list length (>= 1)
};

struct RankConfig {
    RankFilter filter;
    RankScoring scoring = RankScoring::StudyVariant;  // the shipped default (see above)
    double biasWeight = 0.05;                         // w of the study's variant
    int explanationCount = 3;                         // max rated movies in `because`
};

struct RankedMovie {
    int rank = 0;  // 1-based
    std::int64_t movieId = 0;
    std::uint32_t item = 0;  // dense movie index (Dataset and model)
    float score = 0.0f;      // the value the list is ordered by (per RankScoring)
    float rawScore = 0.0f;   // the model's raw output
    // Clipped 0.5..5 when the model predicts ratings; NaN for preference models.
    float predictedRating = std::numeric_limits<float>::quiet_NaN();
    std::size_t ratingsCount = 0;       // ratings of the movie in the Dataset
    double meanRating = 0.0;            // mean rating in the Dataset (0 when unrated)
    std::vector<std::int64_t> because;  // persona movies that contributed most, strongest first
    std::vector<float> becauseWeights;  // aligned: contribution (ALS) or cosine (nearest)
};

struct RankResult {
    std::vector<RankedMovie> items;
    std::vector<std::int64_t> missing;  // persona movie ids not in the model / dataset
    std::vector<FoldInRating> used;     // the ratings folded in (dense items)
    std::size_t candidates = 0;         // movies passing the filters
    RankScoring scoring = RankScoring::StudyVariant;
    bool explainedByContributions = false;  // true: because from explain(); false: nearest
};

// Overlap of two top-N lists by movie id.
struct ListOverlap {
    std::vector<std::int64_t> shared;  // in the order of the first list
    std::size_t sizeA = 0, sizeB = 0;
    double fraction() const;  // shared / max(sizeA, sizeB); 0 for two empty lists
    double jaccard() const;   // shared / |A u B|
};
ListOverlap listOverlap(const RankResult& a, const RankResult& b);

class TopNRanker {
public:
    // Both must outlive the ranker. Throws DataError when the model's movie ids do not match the
    // dataset (checkModelMatchesDataset) so indices never mismatch.
    TopNRanker(const Recommender& model, const Dataset& dataset);

    // Folds a persona in; ids not in the dataset go to `missing` (may be null). Duplicate ids:
    // the last rating wins.
    FoldedUser foldInPersona(std::span<const PersonaRating> persona,
                             std::vector<std::int64_t>* missing = nullptr) const;

    // The top-N list of a persona. An empty or entirely missing persona gives an empty list
    // with `missing` filled.
    RankResult rankPersona(std::span<const PersonaRating> persona,
                           const RankConfig& config = {}) const;

    // An existing user by release id: all of their ratings in the Dataset folded in (so the
    // list is explained like a persona's). Throws std::invalid_argument for an unknown id.
    RankResult rankUser(std::int64_t userId, const RankConfig& config = {}) const;
    // The user's ratings as a persona (Rank panel: "start from user 42").
    std::vector<PersonaRating> personaOfUser(std::int64_t userId) const;

    // The N movies with the most ratings under the same filters (exclusion uses `persona`);
    // score = ratings count. For comparison with personal lists.
    RankResult popularity(std::span<const PersonaRating> persona, const RankFilter& filter) const;

    // Scores of every item for a folded user under `scoring` (size = dataset movie count).
    // Models without item biases: the generic appeal is regressed out over the movies with at
    // least `minRatings` ratings (the candidates of the list).
    std::vector<float> scoreFolded(const FoldedUser& user, RankScoring scoring,
                                   double biasWeight = 0.05, std::size_t minRatings = 1) const;

    const Recommender& model() const { return model_; }
    const Dataset& dataset() const { return dataset_; }
    std::size_t ratingsCount(std::uint32_t item) const { return counts_[item]; }
    double meanRating(std::uint32_t item) const { return means_[item]; }
    bool passesFilter(std::uint32_t item, const RankFilter& filter) const;  // ignores excludeRated

private:
    RankResult rankFolded(const FoldedUser& user, std::vector<std::int64_t> missing,
                          const RankConfig& config) const;
    void explainInto(const FoldedUser& user, RankedMovie& row, int count) const;

    const Recommender& model_;
    const Dataset& dataset_;
    std::vector<std::size_t> counts_;
    std::vector<double> means_;
    std::vector<float> itemBiases_;  // empty when the model has none
    // Models without item biases: the mean trained user's score per item (logit for models
    // scoring probabilities), the "generic appeal" the variant regresses out.
    std::vector<float> appeal_;
    bool logitScores_ = false;  // scores are probabilities: compare them as logits
    Eigen::MatrixXf itemUnit_;  // item factors normalised to unit rows (nearest-rated)
};

}  // namespace lens
