#pragma once
// Train/test splits of a Dataset's ratings, deterministic on every machine for a given seed
// (lens::Pcg32 and our own sampling). A split is a mask over the dataset's CSR entries
// (Dataset::byUser order): 1 marks a test rating.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "data/Dataset.h"

namespace lens {

enum class SplitKind {
    PerUserHoldout,
    GlobalRandom,
    LeaveOneOutLatest,
    TemporalCutoff,
    Ml100kPredefined
};

struct SplitSpec {
    SplitKind kind = SplitKind::PerUserHoldout;
    double fraction = 0.2;  // test fraction (per-user holdout, global random)
    std::uint64_t seed = 42;
    std::uint32_t cutoff = 0;  // temporal: ratings with timestamp >= cutoff are test
    std::string predefined;    // ml-100k: "u1".."u5", "ua", "ub"

    // Parses "per-user:0.2", "random:0.2", "loo", "time:1200000000", "ml100k:u1";
    // "per-user" and "random" alone mean 20 %, and a fraction may be written "20%".
    // Throws std::invalid_argument with a clear message otherwise.
    static SplitSpec parse(const std::string& text, std::uint64_t seed = 42);
    std::string text() const;      // the parseable form, "per-user:0.2" (the seed is separate)
    std::string describe() const;  // "per-user holdout 20% (seed 42)"
};

struct Split {
    SplitSpec spec;
    std::vector<std::uint8_t> isTest;  // one per Dataset::byUser entry
    std::size_t trainCount = 0;
    std::size_t testCount = 0;
};

// Builds the split. Reads no files: Ml100kPredefined takes the split the loader read with the
// release (Dataset::predefinedSplits, io/PredefinedSplits.h) and throws its DataError when its
// uN.base/uN.test files are absent or disagree (a pair not in the dataset, a different rating, a
// pair in both files or in neither).
//
// Leave-one-out latest takes, per user with at least 2 ratings, the rating with the largest
// timestamp; ties go to the later entry in CSR order (Dataset::byUser, which is sorted by movie
// index within a user). Per-user holdout puts round(fraction * n) of a user's n ratings in
// test, at least 1 and at most n - 1 when n >= 2; a user with one rating keeps it in train.
Split makeSplit(const Dataset& dataset, const SplitSpec& spec);

}  // namespace lens
