#pragma once
// ml-100k's movie list: u.item (movie id|title|release date|video release date|IMDb URL|19 genre
// flags), the flags in the order u.genre gives (name|index lines), or in the documented order
// where the release has no u.genre.
#include <optional>
#include <vector>

#include "data/DatasetBuilder.h"
#include "io/FileSource.h"
#include "io/UserFiles.h"

namespace lens {

// The genre of each flag column (nullopt: "unknown", no genre) from u.genre, or the documented
// order when `genres` is null. A malformed u.genre throws DataError naming its line.
std::vector<std::optional<int>> genreFlagOrder(const FileBytes* genres);

// The movies of u.item with `flags` as genreFlagOrder gives them; a malformed line goes to
// `problem` (strict loads throw there, lenient ones skip it).
std::vector<RawMovie> parseMovies100k(const FileBytes& item,
                                      const std::vector<std::optional<int>>& flags,
                                      const LineProblemFn& problem);

}  // namespace lens
