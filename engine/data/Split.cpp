#include "data/Split.h"

// Sampling is our own, on lens::Pcg32, so a seed gives the same split on every machine and for
// any thread count:
// - per-user holdout: user u draws from the stream deriveSeed(seed, u); a partial Fisher-Yates
//   shuffle of the positions of the user's row picks round(fraction * n) of them (at least one
//   and at most n - 1 when n >= 2; a user with a single rating keeps it in train).
// - global random: Knuth's selection sampling (TAOCP 3.4.2, Algorithm S) walks the CSR entries
//   once and picks exactly round(fraction * N) of them, each subset equally likely.
// - leave-one-out latest: per user with n >= 2 the rating with the largest timestamp; ties go
//   to the later entry in the dataset's CSR order (Dataset::byUser, sorted by movie index within
//   a user, i.e. the larger movie index).
// - temporal cutoff: every rating with timestamp >= cutoff.
// - ml-100k predefined: the (user, item) pairs of <name>.test, checked against <name>.base when
//   the release was loaded (io/PredefinedSplits.h).

#include <omp.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <string_view>

#include "io/PredefinedSplits.h"
#include "util/Calendar.h"
#include "util/Errors.h"
#include "util/HugePages.h"
#include "util/Random.h"

namespace lens {
namespace {

const char* kSpecHelp =
    "expected per-user[:FRACTION], random[:FRACTION], loo, time:UNIX_SECONDS or "
    "ml100k:u1..u5|ua|ub (FRACTION like 0.2 or 20%)";

[[noreturn]] void badSpec(const std::string& text, const std::string& problem) {
    throw std::invalid_argument("split '" + text + "': " + problem + " (" + kSpecHelp + ")");
}

double parseFraction(const std::string& text, std::string_view value) {
    bool percent = false;
    if (!value.empty() && value.back() == '%') {
        percent = true;
        value.remove_suffix(1);
    }
    double f = 0.0;
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), f);
    if (value.empty() || ec != std::errc() || end != value.data() + value.size())
        badSpec(text, "'" + std::string(value) + "' is not a number");
    if (percent) f /= 100.0;
    if (!(f > 0.0 && f < 1.0))
        badSpec(text, "the test fraction must be between 0 and 1 (exclusive)");
    return f;
}

std::string percentText(double fraction) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g%%", fraction * 100.0);
    return buf;
}

// The shortest text that parses back to the same double: SplitSpec::text() must round-trip
// (the run history stores it; "%g" turned 0.1234567 into 0.123457 and 0.9999999 into "1", which
// the next start rejected, losing the run: tests/ui/tst_fuzz_regressions_ui).
std::string fractionText(double fraction) {
    char buf[32];
    const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, fraction);
    return ec == std::errc() ? std::string(buf, end) : std::string("nan");
}

std::size_t testCountFor(std::size_t n, double fraction) {
    if (n < 2) return 0;
    const auto t = static_cast<std::size_t>(std::floor(fraction * static_cast<double>(n) + 0.5));
    return std::clamp<std::size_t>(t, 1, n - 1);
}

void perUserHoldout(const Dataset& ds, const SplitSpec& spec, std::vector<std::uint8_t>& isTest) {
    const auto users = static_cast<std::int64_t>(ds.userCount());
#pragma omp parallel
    {
        std::vector<std::uint32_t> positions;
#pragma omp for schedule(dynamic, 256)
        for (std::int64_t u = 0; u < users; ++u) {
            const std::size_t begin = ds.byUser.offsets[u];
            const std::size_t n = ds.byUser.rowSize(static_cast<std::size_t>(u));
            const std::size_t t = testCountFor(n, spec.fraction);
            if (t == 0) continue;
            Pcg32 rng(deriveSeed(spec.seed, static_cast<std::uint64_t>(u)));
            positions.resize(n);
            for (std::size_t k = 0; k < n; ++k) positions[k] = static_cast<std::uint32_t>(k);
            for (std::size_t k = 0; k < t;
                 ++k) {  // partial Fisher-Yates: the first t are the sample
                const std::size_t j = k + rng.below(static_cast<std::uint32_t>(n - k));
                std::swap(positions[k], positions[j]);
                isTest[begin + positions[k]] = 1;
            }
        }
    }
}

void globalRandom(const Dataset& ds, const SplitSpec& spec, std::vector<std::uint8_t>& isTest) {
    const std::size_t n = ds.ratingCount();
    std::size_t remaining = std::min(
        n, static_cast<std::size_t>(std::floor(spec.fraction * static_cast<double>(n) + 0.5)));
    Pcg32 rng(deriveSeed(spec.seed, 0x61084A1ULL));
    for (std::size_t i = 0; i < n && remaining > 0; ++i)
        if (static_cast<double>(n - i) * rng.uniform() < static_cast<double>(remaining)) {
            isTest[i] = 1;
            --remaining;
        }
}

void leaveOneOutLatest(const Dataset& ds, std::vector<std::uint8_t>& isTest) {
    const auto users = static_cast<std::int64_t>(ds.userCount());
#pragma omp parallel for schedule(static)
    for (std::int64_t u = 0; u < users; ++u) {
        const std::size_t begin = ds.byUser.offsets[u], end = ds.byUser.offsets[u + 1];
        if (end - begin < 2) continue;
        std::size_t latest = begin;
        for (std::size_t k = begin + 1; k < end; ++k)
            if (ds.timestamps[k] >= ds.timestamps[latest]) latest = k;  // ties: the later entry
        isTest[latest] = 1;
    }
}

void temporalCutoff(const Dataset& ds, const SplitSpec& spec, std::vector<std::uint8_t>& isTest) {
    const std::size_t n = ds.ratingCount();
    for (std::size_t i = 0; i < n; ++i) isTest[i] = ds.timestamps[i] >= spec.cutoff ? 1 : 0;
}

// The release's own split, read by the loader (io/PredefinedSplits.h).
void ml100kPredefined(const Dataset& ds, const SplitSpec& spec, std::vector<std::uint8_t>& isTest) {
    if (!isPredefinedSplitName(spec.predefined))
        throw DataError(spec.predefined, 0, "unknown ml-100k split (expected u1..u5, ua or ub)");
    for (const PredefinedSplit& split : ds.predefinedSplits) {
        if (split.name != spec.predefined) continue;
        if (split.error) throw *split.error;
        isTest = split.isTest;
        return;
    }
    if (ds.source.empty())
        throw DataError(ds.name, 0,
                        "the predefined split " + spec.predefined +
                            " needs the ml-100k release folder or zip, but this dataset was not "
                            "loaded from one");
    throw DataError(ds.source, 0,
                    "has no " + spec.predefined + ".base and " + spec.predefined +
                        ".test (the predefined splits ship with ml-100k only)");
}

}  // namespace

SplitSpec SplitSpec::parse(const std::string& text, std::uint64_t seed) {
    SplitSpec spec;
    spec.seed = seed;
    const std::size_t colon = text.find(':');
    const std::string_view kind = std::string_view(text).substr(0, colon);
    const bool hasValue = colon != std::string::npos;
    const std::string_view value =
        hasValue ? std::string_view(text).substr(colon + 1) : std::string_view();
    if (kind == "per-user" || kind == "random") {
        spec.kind = kind == "per-user" ? SplitKind::PerUserHoldout : SplitKind::GlobalRandom;
        if (hasValue) spec.fraction = parseFraction(text, value);
    } else if (kind == "loo") {
        spec.kind = SplitKind::LeaveOneOutLatest;
        if (hasValue) badSpec(text, "loo takes no value");
    } else if (kind == "time") {
        spec.kind = SplitKind::TemporalCutoff;
        if (!hasValue || value.empty()) badSpec(text, "time needs a cutoff in seconds since 1970");
        std::uint64_t cutoff = 0;
        const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), cutoff);
        if (ec != std::errc() || end != value.data() + value.size() || cutoff > UINT32_MAX)
            badSpec(text, "'" + std::string(value) +
                              "' is not a timestamp (seconds since 1970, 0.." +
                              std::to_string(UINT32_MAX) + ")");
        spec.cutoff = static_cast<std::uint32_t>(cutoff);
    } else if (kind == "ml100k") {
        spec.kind = SplitKind::Ml100kPredefined;
        if (!hasValue || !isPredefinedSplitName(value))
            badSpec(text, "ml100k needs one of u1, u2, u3, u4, u5, ua, ub");
        spec.predefined = std::string(value);
    } else {
        badSpec(text, text.empty() ? "empty" : "unknown kind '" + std::string(kind) + "'");
    }
    return spec;
}

std::string SplitSpec::text() const {
    switch (kind) {
        case SplitKind::PerUserHoldout:
            return "per-user:" + fractionText(fraction);
        case SplitKind::GlobalRandom:
            return "random:" + fractionText(fraction);
        case SplitKind::LeaveOneOutLatest:
            return "loo";
        case SplitKind::TemporalCutoff:
            return "time:" + std::to_string(cutoff);
        case SplitKind::Ml100kPredefined:
            return "ml100k:" + predefined;
    }
    return {};
}

std::string SplitSpec::describe() const {
    switch (kind) {
        case SplitKind::PerUserHoldout:
            return "per-user holdout " + percentText(fraction) + " (seed " + std::to_string(seed) +
                   ")";
        case SplitKind::GlobalRandom:
            return "global random " + percentText(fraction) + " (seed " + std::to_string(seed) +
                   ")";
        case SplitKind::LeaveOneOutLatest:
            return "leave-one-out latest per user";
        case SplitKind::TemporalCutoff:
            return "temporal cutoff " + isoDate(cutoff) +
                   " (timestamp >= " + std::to_string(cutoff) + ")";
        case SplitKind::Ml100kPredefined:
            return "ml-100k predefined split " + predefined;
    }
    return {};
}

Split makeSplit(const Dataset& dataset, const SplitSpec& spec) {
    Split split;
    split.spec = spec;
    resizeHuge(split.isTest, dataset.ratingCount());
    switch (spec.kind) {
        case SplitKind::PerUserHoldout:
        case SplitKind::GlobalRandom:
            if (!(spec.fraction > 0.0 && spec.fraction < 1.0))
                throw std::invalid_argument(
                    "split: the test fraction must be between 0 and 1 (exclusive)");
            if (spec.kind == SplitKind::PerUserHoldout)
                perUserHoldout(dataset, spec, split.isTest);
            else
                globalRandom(dataset, spec, split.isTest);
            break;
        case SplitKind::LeaveOneOutLatest:
            leaveOneOutLatest(dataset, split.isTest);
            break;
        case SplitKind::TemporalCutoff:
            temporalCutoff(dataset, spec, split.isTest);
            break;
        case SplitKind::Ml100kPredefined:
            ml100kPredefined(dataset, spec, split.isTest);
            break;
    }
    for (std::uint8_t t : split.isTest) split.testCount += t;
    split.trainCount = split.isTest.size() - split.testCount;
    return split;
}

}  // namespace lens
