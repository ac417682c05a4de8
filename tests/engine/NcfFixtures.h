#pragma once
// What the NCF tests share: a separable implicit problem (two communities of users, each
// watching every movie of its own group and none of the other) and a small, fast configuration
// of each architecture and objective.
#include <QMetaType>
#include <cstdint>
#include <vector>

#include "models/TrainData.h"
#include "ncf/NcfNetwork.h"
#include "ncf/NcfTrainer.h"

Q_DECLARE_METATYPE(lens::NcfArchitecture)
Q_DECLARE_METATYPE(lens::NcfObjective)

namespace lens::test {

inline TrainData separableData(std::size_t users, std::size_t items) {
    // Two communities: users in group g watched every movie of group g and none of the other.
    std::vector<RatingTriplet> train;
    for (std::uint32_t u = 0; u < users; ++u)
        for (std::uint32_t i = 0; i < items; ++i)
            if ((u % 2) == (i % 2))
                train.push_back({u, i, 4.0f + static_cast<float>(u % 2) * 0.5f});
    return TrainData::fromTriplets(users, items, train, {});
}

inline NcfConfig smallConfig(NcfArchitecture a, NcfObjective o) {
    NcfConfig c;
    c.shape.architecture = a;
    c.shape.factors = 4;
    c.shape.layers = {8, 8, 4};
    c.objective = o;
    c.epochs = 3;
    c.batchSize = 64;
    c.optimizer.learningRate = 0.01;
    return c;
}

// Bit-for-bit equality of two networks' parameters (a run repeated with the same seed).
inline bool sameParameters(const NcfParameters<float>& a, const NcfParameters<float>& b) {
    if (a.userEmbedding != b.userEmbedding || a.itemEmbedding != b.itemEmbedding) return false;
    if (a.weights.size() != b.weights.size()) return false;
    for (std::size_t l = 0; l < a.weights.size(); ++l)
        if (a.weights[l] != b.weights[l] || a.biases[l] != b.biases[l]) return false;
    return a.outputWeight == b.outputWeight && a.outputBias == b.outputBias;
}

}  // namespace lens::test
