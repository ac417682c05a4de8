#include "eval/Segments.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <stdexcept>

#include "util/Random.h"

namespace lens {

namespace {

void checkSplit(const Dataset& dataset, const Split& split) {
    if (!split.isTest.empty() && split.isTest.size() != dataset.byUser.nnz())
        throw std::invalid_argument(
            "segments: the split has " + std::to_string(split.isTest.size()) +
            " entries but the dataset " + std::to_string(dataset.byUser.nnz()) + " ratings");
}

bool isTrain(const Split& split, std::size_t entry) {
    return split.isTest.empty() || split.isTest[entry] == 0;
}

// t_f = c_(ceil(f n)) of ascending `sorted` (1-based), 0 when f n < 1 (no user qualifies).
std::uint64_t lowerQuantile(const std::vector<std::uint64_t>& sorted, double f) {
    const double position = std::ceil(f * static_cast<double>(sorted.size()) - 1e-9);
    if (position < 1.0) return 0;
    const auto k = std::min(static_cast<std::size_t>(position), sorted.size());
    return sorted[k - 1];
}

std::string percent(double fraction) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%g", 100.0 * fraction);
    return buffer;
}

std::vector<SegmentMean> bootstrapBySegment(std::span<const double> d,
                                            std::span<const std::uint8_t> segmentOf,
                                            int segmentCount, const BootstrapOptions& options) {
    if (segmentCount < 0) throw std::invalid_argument("segments: negative segment count");
    std::vector<std::vector<double>> groups(static_cast<std::size_t>(segmentCount));
    for (std::size_t u = 0; u < d.size(); ++u) {
        if (segmentOf[u] >= segmentCount || std::isnan(d[u])) continue;
        groups[segmentOf[u]].push_back(d[u]);
    }
    std::vector<SegmentMean> out;
    out.reserve(groups.size());
    for (int s = 0; s < segmentCount; ++s) {
        BootstrapOptions perSegment = options;
        perSegment.seed = deriveSeed(options.seed, static_cast<std::uint64_t>(s));
        SegmentMean m;
        m.segment = s;
        m.units = groups[static_cast<std::size_t>(s)].size();
        m.ci = bootstrapMeanCI(groups[static_cast<std::size_t>(s)], perSegment);
        out.push_back(std::move(m));
    }
    return out;
}

}  // namespace

std::vector<std::uint64_t> trainingRatingsPerUser(const Dataset& dataset, const Split& split) {
    checkSplit(dataset, split);
    const RatingMatrix& m = dataset.byUser;
    std::vector<std::uint64_t> counts(dataset.userCount(), 0);
    for (std::size_t u = 0; u < m.rows() && u < counts.size(); ++u)
        for (std::uint64_t e = m.offsets[u]; e < m.offsets[u + 1]; ++e)
            if (isTrain(split, e)) ++counts[u];
    return counts;
}

std::vector<std::uint64_t> trainingRatingsPerMovie(const Dataset& dataset, const Split& split) {
    checkSplit(dataset, split);
    const RatingMatrix& m = dataset.byUser;
    std::vector<std::uint64_t> counts(dataset.movieCount(), 0);
    for (std::size_t e = 0; e < m.nnz(); ++e)
        if (isTrain(split, e) && m.index[e] < counts.size()) ++counts[m.index[e]];
    return counts;
}

std::string activityBucketName(ActivityBucket bucket, double coldFraction) {
    switch (bucket) {
        case ActivityBucket::Cold:
            return "cold (lightest " + percent(coldFraction) + " %)";
        case ActivityBucket::Q1:
            return "Q1 (" + percent(coldFraction) + "-25 %)";
        case ActivityBucket::Q2:
            return "Q2 (25-50 %)";
        case ActivityBucket::Q3:
            return "Q3 (50-75 %)";
        case ActivityBucket::Q4:
            return "Q4 (heaviest 25 %)";
    }
    return "?";
}

ActivitySegments activitySegments(std::span<const std::uint64_t> ratingsPerUser,
                                  double coldFraction) {
    if (!(coldFraction >= 0.0 && coldFraction <= 0.25))
        throw std::invalid_argument("activity segments: the cold fraction must lie in [0, 0.25]");
    ActivitySegments seg;
    seg.coldFraction = coldFraction;
    std::vector<std::uint64_t> sorted;
    sorted.reserve(ratingsPerUser.size());
    for (const std::uint64_t c : ratingsPerUser)
        if (c > 0) sorted.push_back(c);
    std::sort(sorted.begin(), sorted.end());
    const double fractions[4] = {coldFraction, 0.25, 0.5, 0.75};
    for (int k = 0; k < 4; ++k) seg.upperCount[k] = lowerQuantile(sorted, fractions[k]);

    seg.bucketOf.resize(ratingsPerUser.size());
    for (std::size_t u = 0; u < ratingsPerUser.size(); ++u) {
        const std::uint64_t c = ratingsPerUser[u];
        std::uint8_t bucket = 4;
        if (c == 0) {
            bucket = 0;
        } else {
            for (std::uint8_t k = 0; k < 4; ++k)
                if (c <= seg.upperCount[k]) {
                    bucket = k;
                    break;
                }
        }
        seg.bucketOf[u] = bucket;
        ++seg.sizes[bucket];
    }
    return seg;
}

const char* popularityTierName(PopularityTier tier) {
    switch (tier) {
        case PopularityTier::Head:
            return "head";
        case PopularityTier::Mid:
            return "mid";
        case PopularityTier::Tail:
            return "long tail";
    }
    return "?";
}

PopularityTiers popularityTiers(std::span<const std::uint64_t> ratingsPerMovie, double headShare,
                                double tailShare) {
    if (!(headShare >= 0.0 && headShare <= 1.0 && tailShare >= 0.0 && tailShare <= 1.0 &&
          headShare + tailShare <= 1.0 + 1e-12))
        throw std::invalid_argument(
            "popularity tiers: the head and tail shares must lie in [0, 1] and add up to at most "
            "1");
    PopularityTiers tiers;
    tiers.headShare = headShare;
    tiers.tailShare = tailShare;
    const std::size_t m = ratingsPerMovie.size();
    const std::uint64_t total =
        std::accumulate(ratingsPerMovie.begin(), ratingsPerMovie.end(), std::uint64_t{0});

    std::vector<std::uint64_t> rated;
    rated.reserve(m);
    for (const std::uint64_t k : ratingsPerMovie)
        if (k > 0) rated.push_back(k);
    std::sort(rated.begin(), rated.end());  // ascending
    bool hasHead = false, hasTail = false;
    if (total > 0 && headShare > 0.0) {
        const double target = headShare * static_cast<double>(total);
        std::uint64_t cum = 0;
        for (auto it = rated.rbegin(); it != rated.rend(); ++it) {
            cum += *it;
            if (static_cast<double>(cum) >= target) {
                tiers.headMinCount = *it;
                hasHead = true;
                break;
            }
        }
    }
    if (total > 0 && tailShare > 0.0) {
        const double target = tailShare * static_cast<double>(total);
        std::uint64_t cum = 0;
        for (const std::uint64_t k : rated) {
            cum += k;
            if (static_cast<double>(cum) >= target) {
                tiers.tailMaxCount = k;
                hasTail = true;
                break;
            }
        }
    }

    tiers.tierOf.resize(m);
    std::array<std::uint64_t, kPopularityTierCount> ratings{};
    for (std::size_t i = 0; i < m; ++i) {
        const std::uint64_t k = ratingsPerMovie[i];
        PopularityTier tier = PopularityTier::Mid;
        if (hasHead && k > 0 && k >= tiers.headMinCount)
            tier = PopularityTier::Head;
        else if (k == 0 || (hasTail && k <= tiers.tailMaxCount))
            tier = PopularityTier::Tail;
        const auto t = static_cast<std::uint8_t>(tier);
        tiers.tierOf[i] = t;
        ++tiers.sizes[t];
        ratings[t] += k;
    }
    for (int t = 0; t < kPopularityTierCount; ++t)
        tiers.ratingShare[t] =
            total > 0 ? static_cast<double>(ratings[t]) / static_cast<double>(total) : 0.0;
    return tiers;
}

const char* demographicDimensionKey(DemographicDimension dimension) {
    switch (dimension) {
        case DemographicDimension::Gender:
            return "gender";
        case DemographicDimension::AgeGroup:
            return "age";
        case DemographicDimension::Occupation:
            return "occupation";
    }
    return "?";
}

DemographicSegments demographicSegments(const UserDemographics& demographics,
                                        DemographicDimension dimension) {
    DemographicSegments seg;
    seg.dimension = dimension;
    if (demographics.empty()) return seg;
    const std::vector<std::uint8_t>* field = &demographics.gender;
    std::vector<std::string> names;
    switch (dimension) {
        case DemographicDimension::Gender:
            for (int g = 0; g < kGenderCount; ++g)
                names.emplace_back(genderName(static_cast<Gender>(g)));
            break;
        case DemographicDimension::AgeGroup:
            field = &demographics.ageGroup;
            for (int a = 0; a < kAgeGroupCount; ++a)
                names.emplace_back(ageGroupName(static_cast<AgeGroup>(a)));
            break;
        case DemographicDimension::Occupation:
            field = &demographics.occupation;
            names = demographics.occupationNames;
            break;
    }
    std::vector<std::size_t> counts(names.size(), 0);
    for (const std::uint8_t v : *field)
        if (v < counts.size()) ++counts[v];
    // Segment order: the fixed order for gender and age; occupations by size, empty ones out.
    std::vector<std::size_t> order(names.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    if (dimension == DemographicDimension::Occupation) {
        std::erase_if(order, [&](std::size_t k) { return counts[k] == 0; });
        std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
            return counts[a] != counts[b] ? counts[a] > counts[b] : names[a] < names[b];
        });
    }
    std::vector<std::uint8_t> segmentOfValue(names.size(), kUnknownDemographic);
    for (std::size_t s = 0; s < order.size(); ++s) {
        segmentOfValue[order[s]] = static_cast<std::uint8_t>(s);
        seg.names.push_back(names[order[s]]);
        seg.sizes.push_back(counts[order[s]]);
    }
    seg.segmentOf.resize(field->size());
    for (std::size_t u = 0; u < field->size(); ++u) {
        const std::uint8_t v = (*field)[u];
        seg.segmentOf[u] = v < segmentOfValue.size() ? segmentOfValue[v] : kUnknownDemographic;
    }
    return seg;
}

std::vector<SegmentMean> segmentMeans(std::span<const double> values,
                                      std::span<const std::uint8_t> segmentOf, int segmentCount,
                                      const BootstrapOptions& options) {
    if (values.size() != segmentOf.size())
        throw std::invalid_argument("segment means: " + std::to_string(values.size()) +
                                    " values but " + std::to_string(segmentOf.size()) +
                                    " segment assignments");
    return bootstrapBySegment(values, segmentOf, segmentCount, options);
}

std::vector<SegmentMean> segmentMeanDifferences(std::span<const double> a,
                                                std::span<const double> b,
                                                std::span<const std::uint8_t> segmentOf,
                                                int segmentCount, const BootstrapOptions& options) {
    if (a.size() != b.size() || a.size() != segmentOf.size())
        throw std::invalid_argument("segment mean differences: sizes differ (" +
                                    std::to_string(a.size()) + ", " + std::to_string(b.size()) +
                                    ", " + std::to_string(segmentOf.size()) + ")");
    std::vector<double> d(a.size());
    for (std::size_t u = 0; u < a.size(); ++u)
        d[u] = std::isnan(a[u]) || std::isnan(b[u]) ? std::nan("") : a[u] - b[u];
    return bootstrapBySegment(d, segmentOf, segmentCount, options);
}

}  // namespace lens
