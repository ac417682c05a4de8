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
// - ml-100k predefined: the (user, item) pairs of <name>.test, checked against <name>.base.

#include <omp.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <string_view>

#include "io/FileSource.h"
#include "util/Calendar.h"
#include "util/Errors.h"
#include "util/Random.h"

namespace lens {
namespace {

constexpr std::string_view kPredefinedNames[] = {"u1", "u2", "u3", "u4", "u5", "ua", "ub"};

bool isPredefinedName(std::string_view name) {
    return std::find(std::begin(kPredefinedNames), std::end(kPredefinedNames), name) !=
           std::end(kPredefinedNames);
}

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

// Reads "user item rating timestamp" lines (tab or space separated) and marks each pair's CSR
// entry with `mark` in `seen`; throws DataError naming the file and line.
void markPredefinedFile(const Dataset& ds, const FileBytes& file, std::uint8_t mark,
                        std::vector<std::uint8_t>& seen) {
    std::string_view text = file.content;
    std::size_t lineNo = 0;
    while (!text.empty()) {
        const std::size_t eol = text.find('\n');
        std::string_view line = text.substr(0, eol);
        text = eol == std::string_view::npos ? std::string_view() : text.substr(eol + 1);
        ++lineNo;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
        std::string_view tokens[4];
        std::size_t count = 0;
        for (std::size_t i = 0; i < line.size();) {
            if (line[i] == ' ' || line[i] == '\t') {
                ++i;
                continue;
            }
            std::size_t j = i;
            while (j < line.size() && line[j] != ' ' && line[j] != '\t') ++j;
            if (count < 4) tokens[count] = line.substr(i, j - i);
            ++count;
            i = j;
        }
        if (count != 4)
            throw DataError(file.name, lineNo,
                            "expected 4 fields (user, item, rating, timestamp), found " +
                                std::to_string(count));
        std::int64_t fields[4] = {0, 0, 0, 0};
        for (std::size_t f = 0; f < 4; ++f) {
            const auto [next, ec] =
                std::from_chars(tokens[f].data(), tokens[f].data() + tokens[f].size(), fields[f]);
            if (ec != std::errc() || next != tokens[f].data() + tokens[f].size())
                throw DataError(file.name, lineNo,
                                "field " + std::to_string(f + 1) + " '" + std::string(tokens[f]) +
                                    "' is not an integer");
        }
        const std::int64_t user = ds.userIndex(fields[0]);
        const std::int64_t movie = ds.movieIndex(fields[1]);
        if (user < 0 || movie < 0)
            throw DataError(file.name, lineNo,
                            "user " + std::to_string(fields[0]) + ", item " +
                                std::to_string(fields[1]) + " is not in the dataset");
        const auto row = ds.byUser.rowIndex(static_cast<std::size_t>(user));
        const auto it = std::lower_bound(row.begin(), row.end(), static_cast<std::uint32_t>(movie));
        if (it == row.end() || *it != static_cast<std::uint32_t>(movie))
            throw DataError(file.name, lineNo,
                            "user " + std::to_string(fields[0]) + " has no rating of item " +
                                std::to_string(fields[1]) + " in the dataset");
        const std::size_t pos = ds.byUser.offsets[static_cast<std::size_t>(user)] +
                                static_cast<std::size_t>(it - row.begin());
        if (static_cast<std::int64_t>(ds.byUser.halfStars[pos]) != 2 * fields[2])
            throw DataError(file.name, lineNo,
                            "rating " + std::to_string(fields[2]) + " differs from the dataset's " +
                                fractionText(halfStarsToRating(ds.byUser.halfStars[pos])));
        if (seen[pos] != 0)
            throw DataError(file.name, lineNo,
                            "user " + std::to_string(fields[0]) + ", item " +
                                std::to_string(fields[1]) +
                                (seen[pos] == mark ? " is listed twice"
                                                   : " is in both the base and the test file"));
        seen[pos] = mark;
    }
}

void ml100kPredefined(const Dataset& ds, const SplitSpec& spec, std::vector<std::uint8_t>& isTest) {
    if (!isPredefinedName(spec.predefined))
        throw DataError(spec.predefined, 0, "unknown ml-100k split (expected u1..u5, ua or ub)");
    if (ds.source.empty())
        throw DataError(ds.name, 0,
                        "the predefined split " + spec.predefined +
                            " needs the ml-100k release folder or zip, but this dataset was not "
                            "loaded from one");
    const auto source = FileSource::open(ds.source);
    const std::string baseName = spec.predefined + ".base", testName = spec.predefined + ".test";
    for (const auto& name : {baseName, testName})
        if (!source->exists(name))
            throw DataError(source->displayName(), 0,
                            "has no " + name + " (the predefined splits ship with ml-100k only)");
    constexpr std::uint8_t kBase = 1, kTest = 2;
    std::vector<std::uint8_t> seen(ds.ratingCount(), 0);
    markPredefinedFile(ds, source->read(baseName), kBase, seen);
    const FileBytes test = source->read(testName);
    markPredefinedFile(ds, test, kTest, seen);
    for (std::size_t u = 0; u < ds.userCount(); ++u)
        for (std::size_t k = ds.byUser.offsets[u]; k < ds.byUser.offsets[u + 1]; ++k) {
            if (seen[k] == 0)
                throw DataError(test.name, 0,
                                "the dataset's rating of user " + std::to_string(ds.userIds[u]) +
                                    ", item " + std::to_string(ds.movieIds[ds.byUser.index[k]]) +
                                    " is in neither " + baseName + " nor " + testName);
            isTest[k] = seen[k] == kTest ? 1 : 0;
        }
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
        if (!hasValue || !isPredefinedName(value))
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
    split.isTest.assign(dataset.ratingCount(), 0);
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
