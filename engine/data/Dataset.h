#pragma once
// A loaded MovieLens release (or the synthetic demo) in compact, indexed form.
//
// Users and movies get dense 0-based indices; `userIds` / `movieIds` map them back to the
// release's ids and `userIndex()` / `movieIndex()` map forward. Ratings are held twice:
// by user (CSR, with timestamps, in the order splits refer to) and by movie (CSC).
// Every movie of the movies file is present, rated or not; ratings of movies missing from
// the movies file are kept under the title "unknown #<id>".
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "data/Demographics.h"
#include "data/Genre.h"
#include "data/RatingMatrix.h"
#include "util/Errors.h"

namespace lens {

enum class Layout { Ml100k, Ml1m, Ml10m, Csv, Synthetic, Interactions };

// "ml-100k", "ml-1m", "ml-10m", "csv" (ml-20m/25m/32m/latest/latest-small), "synthetic",
// "interactions" (a user's own file read through an interaction format, io/InteractionReader.h).
const char* layoutName(Layout layout);

struct Tag {
    std::uint32_t user = 0;   // dense user index; users who only tag get an index too
    std::uint32_t movie = 0;  // dense movie index
    std::string text;
    std::int64_t timestamp = 0;
};

// What loading found besides the data: counts of repaired or skipped input.
struct LoadReport {
    std::size_t skippedLines = 0;       // malformed lines skipped in lenient mode
    std::size_t duplicateRatings = 0;   // repeated (user, movie) pairs; the last one is kept
    std::size_t unknownMovies = 0;      // rated movies missing from the movies file
    std::vector<std::string> warnings;  // first few messages, "file:line: problem"
    double loadSeconds = 0.0;
};

// What one load filter (data/LoadFilters.h) removed, in the order the filters ran.
struct FilterStep {
    std::string filter;  // "k-core 5", "since 2015-01-01"
    std::size_t removedRatings = 0;
    std::size_t removedUsers = 0;
    std::size_t removedMovies = 0;
};

// A train/test split shipped with the release (ml-100k: u1..u5, ua, ub), read when the release
// is loaded (io/PredefinedSplits.h).
struct PredefinedSplit {
    std::string name;                  // "u1"
    std::vector<std::uint8_t> isTest;  // one per byUser entry; empty when `error` is set
    std::optional<DataError> error;    // its files disagree with the ratings (file and line)
};

class Dataset {
public:
    std::string name;    // e.g. "ml-latest-small", "synthetic-42"
    std::string source;  // folder or zip it came from ("" when generated in memory)
    Layout layout = Layout::Csv;

    std::vector<std::int64_t> userIds;   // dense index -> release id
    std::vector<std::int64_t> movieIds;  // dense index -> release id
    // Data whose ids are strings (an interaction file with "u-17" or e-mail hashes): the string
    // of each dense index; the numeric ids above are then 1..n in the strings' sorted order.
    // Empty when the ids are numbers.
    std::vector<std::string> userKeys;
    std::vector<std::string> movieKeys;

    RatingScale scale;  // how byUser / byMovie codes map to ratings (MovieLens: half stars)
    // Names of the genre bits of `genres`: MovieLens's fixed list (data/Genre.h) for releases,
    // the items file's categories (at most 32, the most frequent) for interaction data.
    std::vector<std::string> genreVocabulary = defaultGenreVocabulary();
    std::vector<FilterStep> filterSteps;  // load filters applied, in order (empty: none)

    // Per movie (dense index):
    std::vector<std::string> titles;  // UTF-8, year included as in the release
    std::vector<std::int16_t> years;  // release year parsed from the title, 0 if none
    std::vector<GenreMask> genres;
    std::vector<std::int64_t> imdbIds;  // from links.csv, 0 where absent
    std::vector<std::int64_t> tmdbIds;

    RatingMatrix byUser;                    // rows = users, columns = movies
    std::vector<std::uint32_t> timestamps;  // aligned with byUser entries (seconds since 1970)
    RatingMatrix byMovie;                   // rows = movies, columns = users

    std::vector<Tag> tags;
    std::vector<PredefinedSplit> predefinedSplits;  // ml-100k only; see makeSplit
    // Gender, age group and occupation per user (ml-100k u.user, ml-1m users.dat); empty for
    // releases without a user file (data/Demographics.h).
    UserDemographics demographics;
    LoadReport report;

    std::size_t userCount() const { return userIds.size(); }
    std::size_t movieCount() const { return movieIds.size(); }
    std::size_t ratingCount() const { return byUser.nnz(); }
    std::size_t ratedMovieCount() const;
    int genreCount() const { return static_cast<int>(genreVocabulary.size()); }
    const std::string& genreName(int genre) const { return genreVocabulary[genre]; }
    // "Action|Comedy" over this dataset's vocabulary; "(no genres listed)" for an empty mask.
    std::string genreListOf(GenreMask mask) const;
    // The rating value of a stored code under this dataset's scale.
    float ratingValue(HalfStars code) const { return scale.value(code); }
    // The user's / movie's id as the data spells it: the string key, or the number.
    std::string userLabel(std::size_t index) const;
    std::string movieLabel(std::size_t index) const;
    bool hasDemographics() const { return !demographics.empty(); }
    double density() const;  // ratings / (users * movies)
    double ratingMean() const;
    // The movie's mean rating; NaN without ratings or on an implicit scale.
    double movieMeanRating(std::size_t movie) const;
    // The first and last rating time (0 without timestamps): kept by rebuildIdMaps (a pass over
    // every timestamp, 32 M at ML-32M's size, made where the dataset is built, not on the GUI
    // thread that shows it); computed here when timestamps changed size since.
    std::uint32_t minTimestamp() const;
    std::uint32_t maxTimestamp() const;

    // Dense index for a release id, or -1 when the id is not in the dataset.
    std::int64_t userIndex(std::int64_t id) const;
    std::int64_t movieIndex(std::int64_t id) const;
    // Dense index for a user / movie as the data spells it (userLabel's / movieLabel's inverse:
    // the string key where the data has keys, else the number), or -1.
    std::int64_t userIndexOfLabel(std::string_view label) const;
    std::int64_t movieIndexOfLabel(std::string_view label) const;
    void rebuildIdMaps();  // call after filling userIds / movieIds (and timestamps) by hand

    std::size_t memoryBytes() const;

private:
    // Where the ids are not in ascending order (ids given by hand, a filter's subset in another
    // order): their indices by id. Ascending ids, as every loader leaves them, are looked up by
    // binary search instead, which spares building 27 k + 138 k hash nodes at ML-20M's size.
    std::unordered_map<std::int64_t, std::uint32_t> userLookup_;
    std::unordered_map<std::int64_t, std::uint32_t> movieLookup_;
    bool usersAscending_ = false, moviesAscending_ = false;
    std::pair<std::uint32_t, std::uint32_t> timeRange() const;
    std::pair<std::uint32_t, std::uint32_t> timeRange_{0, 0};
    std::size_t timeRangeOf_ = 0;  // timestamps.size() when timeRange_ was taken
};

// Year in "Title (1995)" or "Title (1995) " or "Title (2007-2009)"; 0 when absent.
int parseYearFromTitle(std::string_view title);

}  // namespace lens
