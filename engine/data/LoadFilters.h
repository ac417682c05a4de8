#pragma once
// Filters applied to a dataset as it loads, recorded in Dataset::filterSteps and in the
// dataset's name (so every figure's provenance and every saved model names them):
//
//  - date range: ratings before `since` or after `until` (Unix seconds, inclusive) are dropped;
//  - minimum interactions per user, then per item (one pass each);
//  - iterative k-core: users and items with fewer than k ratings are dropped, repeatedly, until
//    every remaining user and item has at least k.
//
// They run in that order. Users and movies left without ratings are removed from the dataset
// (movies of the movies file that nobody rated stay only when no filter ran).
//
// Details (data/LoadFilters.cpp):
//  - `since` and `until` are two steps ("since 2015-01-01", "until 2016-12-31"); the minimum
//    filters are ">= 5 per user" and ">= 3 per item"; k-core is "k-core 10". A minimum or k of 0
//    or less is unset.
//  - A FilterStep counts the ratings the step removed, and the users and movies that had ratings
//    before the step and have none after it. So, over all steps, removed + remaining = original
//    for ratings, for users with ratings and for movies with ratings. Movies of the movies file
//    that nobody rated and users who only tagged are dropped too when any filter ran, but no
//    step counts them (they had no ratings to remove).
//  - The k-core is found by degree decrements from a work list (each rating is looked at a
//    constant number of times: O(ratings + users + movies)); the one-pass minimum filters and the
//    date range are single passes.
//  - Kept users and movies keep their order (dense indices stay sorted by id); string keys are
//    renumbered 1..n again (Dataset::userKeys / movieKeys). Tags of dropped users or movies are
//    dropped; demographics, links, titles, years and genres follow their user or movie.
//  - Predefined splits (ml-100k u1..u5, ua, ub) refer to the unfiltered ratings: when a filter
//    removed any rating they are dropped, with a warning in report.warnings.
//  - When no rating is left, DataError("<name>", 0, "the filters left no ratings ...") is thrown
//    and the dataset is left as it was.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "data/Dataset.h"

namespace lens {

struct LoadFilters {
    std::optional<std::uint32_t> since;  // Unix seconds, inclusive
    std::optional<std::uint32_t> until;  // Unix seconds, inclusive
    int minUserRatings = 0;
    int minItemRatings = 0;
    int kCore = 0;

    bool any() const {
        return since || until || minUserRatings > 0 || minItemRatings > 0 || kCore > 0;
    }
    // "k-core 5, since 2015-01-01": what the dataset's name gets in brackets.
    std::string text() const;
};

// Applies `filters` to `dataset` (no-op when none is set): rebuilds its matrices, id maps,
// per-movie arrays, tags and splits, appends one FilterStep per filter to filterSteps and
// " [<filters.text()>]" to its name. Throws DataError when nothing is left.
void applyLoadFilters(Dataset& dataset, const LoadFilters& filters);

// "2015-01-01" or "2015-01-01T12:00:00Z" or Unix seconds -> seconds (nullopt when unreadable):
// what the interaction reader takes for times (io/InteractionReader.h parseTimestamp: "T" or a
// space before the time, seconds optional, "Z" or an offset such as "+02:00"; no zone is UTC). A
// date without a time is the day's first second, or its last (23:59:59) with `endOfDay`: what an
// inclusive `until` of a whole day wants. text() writes a since at midnight and an until at
// 23:59:59 as the bare date, other times in full ("until 2016-12-31T12:00:00Z").
std::optional<std::uint32_t> parseDateArgument(std::string_view text, bool endOfDay = false);

}  // namespace lens
