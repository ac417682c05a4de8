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
#include <cstdint>
#include <optional>
#include <string>

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

// "2015-01-01" or "2015-01-01T12:00:00Z" or Unix seconds -> seconds (nullopt when unreadable).
std::optional<std::uint32_t> parseDateArgument(std::string_view text);

}  // namespace lens
