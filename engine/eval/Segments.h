#pragma once
// Segments of the Compare stage: users by activity, movies by popularity, and per-segment
// means with bootstrap intervals ("is model A better for cold users? for long-tail movies?").
//
// Counts are of training ratings (the split's train side: what a model saw).
//
// User activity buckets (activitySegments): with the training counts c_u of the users who have
// at least one training rating, sorted ascending c_(1) <= .. <= c_(n), the threshold at a
// fraction f is the lower empirical quantile t_f = c_(ceil(f n)) (the smallest count such that
// at least f n users have no more). A user's bucket is the first that holds:
//   Cold   c_u <= t_0.10  (the lightest 10 %; `coldFraction`)
//   Q1     c_u <= t_0.25  (the rest of the lightest quarter)
//   Q2     c_u <= t_0.50
//   Q3     c_u <= t_0.75
//   Q4     otherwise      (the heaviest quarter)
// Users with equal counts always share a bucket, so with many ties a lower bucket holds more
// than its nominal share and a higher one less (possibly none). Users with no training rating
// at all are Cold and do not enter the quantiles.
//
// Movie popularity tiers (popularityTiers): with the training counts k_i and their total K,
// walk the movies from the most popular down; the head threshold h is the count of the movie
// at which the running sum first reaches headShare * K (20 % by default). Walking the rated
// movies from the least popular up, the tail threshold l is the count at which the running sum
// first reaches tailShare * K (20 %). Then
//   Head   k_i >= h               (the few blockbusters holding the top 20 % of ratings)
//   Tail   k_i <= l or k_i = 0    (the many movies holding the bottom 20 %, and unrated ones)
//   Mid    otherwise
// with Head taking precedence; equal counts share a tier (so a tier's share of ratings is at
// least its nominal share for Head and Tail). headShare = 0 gives no Head, tailShare = 0 no
// Tail except the unrated movies.
//
// Demographic segments (demographicSegments), where the release has a user file (ml-100k
// u.user, ml-1m users.dat; data/Demographics.h): users by gender (female, male), by age group
// (ml-1m's seven groups, ml-100k's ages grouped alike) or by occupation. Users the file does not
// list are in no segment. Gender and age keep every group in their fixed order (an empty group
// has no estimate); occupation keeps the occupations some user has, largest first (users of the
// dataset; ties by name), so that 21 bars read by size.
//
// Per-segment means (segmentMeans): the units (users, or any other unit) of each segment are
// bootstrapped on their own (bootstrapMeanCI, stratified by segment) with the seed
// deriveSeed(options.seed, segment); NaN values (units a metric does not define) are left out.
// segmentMeanDifferences does the same for paired differences a - b (units where either is NaN
// are left out).
#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "data/Dataset.h"
#include "data/Split.h"
#include "stats/Bootstrap.h"

namespace lens {

// Training ratings per user / per movie under a split (all ratings when split.isTest is
// empty). Throws std::invalid_argument when the split does not match the dataset.
std::vector<std::uint64_t> trainingRatingsPerUser(const Dataset& dataset, const Split& split);
std::vector<std::uint64_t> trainingRatingsPerMovie(const Dataset& dataset, const Split& split);

enum class ActivityBucket : std::uint8_t { Cold = 0, Q1 = 1, Q2 = 2, Q3 = 3, Q4 = 4 };
inline constexpr int kActivityBucketCount = 5;
// "cold (lightest 10 %)", "Q1 (10-25 %)", "Q2 (25-50 %)", "Q3 (50-75 %)", "Q4 (heaviest 25 %)"
// (with the default cold fraction; the cold share is printed as given).
std::string activityBucketName(ActivityBucket bucket, double coldFraction = 0.10);

struct ActivitySegments {
    double coldFraction = 0.10;
    std::vector<std::uint8_t> bucketOf;  // per user: an ActivityBucket value
    // Inclusive upper count of Cold, Q1, Q2, Q3 (t_coldFraction, t_0.25, t_0.5, t_0.75).
    std::array<std::uint64_t, 4> upperCount{};
    std::array<std::size_t, kActivityBucketCount> sizes{};
};

// coldFraction in [0, 0.25]; throws std::invalid_argument otherwise.
ActivitySegments activitySegments(std::span<const std::uint64_t> ratingsPerUser,
                                  double coldFraction = 0.10);

enum class PopularityTier : std::uint8_t { Head = 0, Mid = 1, Tail = 2 };
inline constexpr int kPopularityTierCount = 3;
const char* popularityTierName(PopularityTier tier);  // "head", "mid", "long tail"

struct PopularityTiers {
    double headShare = 0.2, tailShare = 0.2;
    std::vector<std::uint8_t> tierOf;  // per movie: a PopularityTier value
    std::uint64_t headMinCount = 0;    // h (0 when there is no head)
    std::uint64_t tailMaxCount = 0;    // l (0 when only unrated movies are tail)
    std::array<std::size_t, kPopularityTierCount> sizes{};
    std::array<double, kPopularityTierCount> ratingShare{};  // share of training ratings
    bool isHead(std::uint32_t movie) const { return tierOf[movie] == 0; }
};

// Shares in [0, 1] with headShare + tailShare <= 1; throws std::invalid_argument otherwise.
PopularityTiers popularityTiers(std::span<const std::uint64_t> ratingsPerMovie,
                                double headShare = 0.2, double tailShare = 0.2);

enum class DemographicDimension : std::uint8_t { Gender = 0, AgeGroup = 1, Occupation = 2 };
inline constexpr int kDemographicDimensionCount = 3;
const char* demographicDimensionKey(DemographicDimension dimension);  // "gender", "age", ...

struct DemographicSegments {
    DemographicDimension dimension = DemographicDimension::Gender;
    std::vector<std::string> names;       // per segment: "female", "25-34", "programmer"
    std::vector<std::uint8_t> segmentOf;  // per user; kUnknownDemographic: in no segment
    std::vector<std::size_t> sizes;       // users per segment
};

// Empty (no names) when `demographics` is empty.
DemographicSegments demographicSegments(const UserDemographics& demographics,
                                        DemographicDimension dimension);

// Segments with fewer units than this have wide intervals; the charts and text flag them.
inline constexpr std::size_t kSmallSegmentUnits = 30;

struct SegmentMean {
    int segment = 0;
    std::size_t units = 0;  // defined values in the segment
    BootstrapCI ci;         // ci.estimate is the segment's mean; NaN bounds when empty
};

// Per-segment mean and bootstrap CI of `values` (one per unit); segmentOf[u] >= segmentCount
// puts unit u in no segment. Throws std::invalid_argument when the sizes differ.
std::vector<SegmentMean> segmentMeans(std::span<const double> values,
                                      std::span<const std::uint8_t> segmentOf, int segmentCount,
                                      const BootstrapOptions& options = {});
// Per-segment mean of the paired differences a - b with bootstrap CI.
std::vector<SegmentMean> segmentMeanDifferences(std::span<const double> a,
                                                std::span<const double> b,
                                                std::span<const std::uint8_t> segmentOf,
                                                int segmentCount,
                                                const BootstrapOptions& options = {});

}  // namespace lens
