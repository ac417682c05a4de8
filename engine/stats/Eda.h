#pragma once
// Exploratory statistics of a dataset, stage 1 of the study: are user activity and movie
// popularity scale-free, how unequal are they, and how are the ratings themselves distributed?
//
// computeEda() returns one immutable EdaReport of plain structs (the Explore panel draws it,
// `lens-atlas eda` prints it). It is meant to run off the GUI thread; the observer is called
// between stages with the fraction done and returns false to cancel (then lens::Cancelled is
// thrown). Passes over the ratings are parallel (OpenMP); ML-20M takes well under a second.
//
// Conventions: degrees count ratings only (users who only tag and movies nobody rated are
// counted in `zeroCount` and left out of the distributions); years are UTC calendar years of
// the rating timestamps; the rating median is the mean of the two middle ratings when the
// count is even; a movie's mean rating enters its histogram when the movie has at least
// `minRatingsForMovieMean` ratings; distinct tags are counted after trimming and ASCII
// case-folding ("Sci-Fi" and "sci-fi " are one tag).
#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "data/Dataset.h"
#include "data/Genre.h"
#include "stats/DegreeDistribution.h"

namespace lens {

struct EdaOptions {
    DegreeOptions degrees;
    std::uint64_t minRatingsForMovieMean = 1;
    // Bins from the scale's min to its max; non-positive: 1/18 of that range (0.25 for half stars).
    double movieMeanBinWidth = 0.0;
    std::size_t topTags = 20;
};

// Returns false to cancel.
using EdaObserver = std::function<bool(double fraction, const std::string& stage)>;

// Ratings per rating value of the dataset's scale (Dataset::scale): MovieLens's half stars get
// all ten bins 0.5..5.0 (zeros included: releases without half stars show them empty); any
// other scale one bin per stored code present, valued scale.value(code), ascending. Implicit
// feedback has no ratings: no bins, total 0, `implicit` set.
struct RatingHistogram {
    std::vector<std::uint64_t> counts;  // ratings per bin
    std::vector<double> values;         // rating value of each bin, ascending
    std::uint64_t total = 0;
    double mean = 0.0;
    double median = 0.0;
    bool implicit = false;
    double ratingOf(std::size_t index) const { return values[index]; }
};

struct MovieMeanHistogram {
    std::vector<double> edges;  // bins + 1, from the scale's min to its max (last bin closed)
    std::vector<std::uint64_t> counts;
    std::uint64_t minRatings = 1;
    std::uint64_t moviesCounted = 0;
    double meanOfMeans = 0.0;
    bool implicit = false;  // implicit feedback: no ratings, so no means (no bins)
};

// One rated movie's number of ratings and mean rating. The report keeps these (a few hundred KB
// at ML-20M size) so the per-movie mean histogram can be re-binned with another minimum-ratings
// filter without the dataset (the Explore panel's spin box).
struct MovieRatingSummary {
    std::uint64_t ratings = 0;
    double mean = 0.0;
};

struct YearCount {
    int year = 0;
    std::uint64_t ratings = 0;
};

struct GenreStat {
    std::string name;
    std::uint64_t movies = 0;   // movies carrying the genre (rated or not)
    std::uint64_t ratings = 0;  // ratings of those movies
    double meanRating = 0.0;    // over those ratings; 0 when none
};

struct TagCount {
    std::string text;  // the first spelling met
    std::uint64_t count = 0;
};

struct TagStats {
    std::uint64_t total = 0;
    std::uint64_t distinct = 0;
    std::uint64_t taggedMovies = 0;
    std::uint64_t taggingUsers = 0;
    std::vector<TagCount> top;  // most frequent first, ties by text
};

struct EdaReport {
    std::string datasetName;
    std::uint64_t users = 0, movies = 0, ratings = 0;
    RatingScale scale;      // the dataset's rating scale (values, range, implicit feedback)
    double density = 0.0;   // ratings / (users * movies)
    double sparsity = 0.0;  // 1 - density
    std::uint32_t firstTimestamp = 0, lastTimestamp = 0;

    DegreeStats userDegrees;   // ratings per user
    DegreeStats movieDegrees;  // ratings per movie
    RatingHistogram ratingHistogram;
    MovieMeanHistogram movieMeans;  // with EdaOptions::minRatingsForMovieMean
    std::vector<MovieRatingSummary> movieRatingSummaries;  // every rated movie, dataset order
    std::vector<YearCount> ratingsPerYear;                 // every year from the first to the last
    std::vector<GenreStat> genres;  // the dataset's genre vocabulary, in its order
    std::uint64_t moviesWithoutGenre = 0;
    std::uint64_t ratingsWithoutGenre = 0;
    TagStats tags;
    double seconds = 0.0;  // compute time
};

EdaReport computeEda(const Dataset& dataset, const EdaOptions& options = {},
                     const EdaObserver& observer = {});

// Histogram of the mean rating of every movie with at least `minRatings` ratings (0 counts as
// 1), bins of `binWidth` (non-positive: (hi - lo) / 18) from `lo` to `hi` (the scale's min and
// max: EdaReport::scale; the defaults are half stars), the last bin closed at `hi`.
MovieMeanHistogram movieMeanHistogram(const std::vector<MovieRatingSummary>& movies,
                                      std::uint64_t minRatings, double binWidth = 0.25,
                                      double lo = 0.5, double hi = 5.0);

// Calendar year (UTC, proleptic Gregorian) of a count of days since 1970-01-01.
int yearOfDay(std::int64_t daysSinceEpoch);

}  // namespace lens
