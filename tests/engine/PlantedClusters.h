#pragma once
// A fixture of the projection tests (t-SNE, cosine neighbours): points in Gaussian blobs around
// random centres, with each point's blob as its label, so a layout or a neighbour list can be
// checked against the planted structure.
#include <cstdint>
#include <vector>

#include "projection/EmbeddingMatrix.h"
#include "util/Random.h"

namespace lens::test {

// `clusters` Gaussian blobs (sd 1) around centres drawn with sd `spread`; labels returned.
inline EmbeddingMatrix plantedClusters(int clusters, int perCluster, int d, double spread,
                                       std::uint64_t seed, std::vector<int>& labels) {
    Pcg32 random(seed);
    Eigen::MatrixXd centres(clusters, d);
    for (int c = 0; c < clusters; ++c)
        for (int j = 0; j < d; ++j) centres(c, j) = random.normal() * spread;
    EmbeddingMatrix points(clusters * perCluster, d);
    labels.clear();
    for (int c = 0; c < clusters; ++c)
        for (int m = 0; m < perCluster; ++m) {
            const int i = c * perCluster + m;
            for (int j = 0; j < d; ++j)
                points(i, j) = static_cast<float>(centres(c, j) + random.normal());
            labels.push_back(c);
        }
    return points;
}

}  // namespace lens::test
