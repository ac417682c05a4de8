#include "tuning/ValidationData.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include "util/HugePages.h"
#include "util/Random.h"

namespace lens {

ValidationSpec ValidationSpec::forSplit(const SplitSpec& split) {
    ValidationSpec v;
    v.latest = split.kind == SplitKind::LeaveOneOutLatest;
    v.seed = split.seed;
    return v;
}

std::vector<std::uint8_t> validationMask(const Dataset& dataset, const Split& split,
                                         const ValidationSpec& spec) {
    if (split.isTest.size() != dataset.ratingCount())
        throw std::invalid_argument("validation: the split does not match the dataset");
    if (!spec.latest && !(spec.fraction > 0.0 && spec.fraction < 1.0))
        throw std::invalid_argument("validation: the fraction must lie in (0, 1)");
    std::vector<std::uint8_t> mask;
    resizeHuge(mask, dataset.ratingCount());
    const auto& offsets = dataset.byUser.offsets;
    std::vector<std::size_t> train;
    for (std::size_t u = 0; u + 1 < offsets.size(); ++u) {
        train.clear();
        for (std::size_t e = offsets[u]; e < offsets[u + 1]; ++e)
            if (!split.isTest[e]) train.push_back(e);
        const std::size_t n = train.size();
        if (n < 2) continue;
        if (spec.latest) {
            std::size_t latest = train[0];
            for (std::size_t e : train)
                if (dataset.timestamps[e] >= dataset.timestamps[latest]) latest = e;
            mask[latest] = 1;
            continue;
        }
        const auto want = static_cast<std::size_t>(std::clamp<double>(
            std::round(spec.fraction * static_cast<double>(n)), 1.0, static_cast<double>(n - 1)));
        // Partial Fisher-Yates on the user's own stream (0x7a11 keeps it apart from the split).
        Pcg32 rng(deriveSeed(deriveSeed(spec.seed, 0x7a11), u));
        for (std::size_t k = 0; k < want; ++k) {
            const std::size_t j = k + rng.below(static_cast<std::uint32_t>(n - k));
            std::swap(train[k], train[j]);
            mask[train[k]] = 1;
        }
    }
    return mask;
}

TrainData validationTrainData(const Dataset& dataset, const Split& split,
                              const ValidationSpec& spec) {
    const std::vector<std::uint8_t> mask = validationMask(dataset, split, spec);
    std::vector<RatingTriplet> train, validation;
    std::size_t trainSize = 0, validationSize = 0;
    for (std::size_t e = 0; e < mask.size(); ++e)
        if (!split.isTest[e]) ++(mask[e] ? validationSize : trainSize);
    reserveHuge(train, trainSize);
    reserveHuge(validation, validationSize);
    const auto& offsets = dataset.byUser.offsets;
    for (std::size_t u = 0; u + 1 < offsets.size(); ++u)
        for (std::size_t e = offsets[u]; e < offsets[u + 1]; ++e) {
            if (split.isTest[e]) continue;
            const RatingTriplet t{static_cast<std::uint32_t>(u), dataset.byUser.index[e],
                                  dataset.ratingValue(dataset.byUser.halfStars[e])};
            (mask[e] ? validation : train).push_back(t);
        }
    TrainData data =
        TrainData::fromTriplets(dataset.userCount(), dataset.movieCount(), std::move(train),
                                std::move(validation), dataset.genres);
    data.datasetName = dataset.name;
    data.split = split.spec;
    data.userIds = dataset.userIds;
    data.movieIds = dataset.movieIds;
    data.scale = dataset.scale;
    data.genreCount = dataset.genreCount();
    return data;
}

}  // namespace lens
