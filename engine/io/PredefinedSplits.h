#pragma once
// The train/test splits ml-100k ships beside u.data: u1..u5 (five disjoint 20 % test folds) and
// ua, ub (ten test ratings per user), each a pair <name>.base / <name>.test of "user item rating
// timestamp" lines. DatasetLoader reads them when it loads the release and hands them over in
// Dataset::predefinedSplits, so makeSplit ("ml100k:u1") reads no files.
#include <string_view>
#include <vector>

#include "data/Dataset.h"
#include "io/FileSource.h"

namespace lens {

inline constexpr std::string_view kPredefinedSplitNames[] = {"u1", "u2", "u3", "u4",
                                                             "u5", "ua", "ub"};
bool isPredefinedSplitName(std::string_view name);

// Every pair of files `source` holds, checked against the dataset's ratings: each pair of a
// .base or .test line must be a rating of the dataset with the same value, in one file only, and
// every rating must be in one of them. A pair that fails keeps its DataError (file and line) for
// the caller that asks for that split; loading never fails because of it.
std::vector<PredefinedSplit> readPredefinedSplits(const FileSource& source, const Dataset& ds);

}  // namespace lens
