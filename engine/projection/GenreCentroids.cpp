#include "projection/GenreCentroids.h"

#include <stdexcept>
#include <string>

namespace lens {

GenreCentroids genreCentroids(const EmbeddingMatrix& movieVectors, std::span<const GenreMask> masks,
                              std::span<const float> weights) {
    const auto movies = static_cast<std::size_t>(movieVectors.rows());
    if (masks.size() != movies)
        throw std::invalid_argument("genre centroids: " + std::to_string(masks.size()) +
                                    " genre masks for " + std::to_string(movies) + " movies");
    if (!weights.empty() && weights.size() != movies)
        throw std::invalid_argument("genre centroids: " + std::to_string(weights.size()) +
                                    " weights for " + std::to_string(movies) + " movies");
    const auto d = movieVectors.cols();
    Eigen::MatrixXd sums = Eigen::MatrixXd::Zero(kGenreCount, d);
    GenreCentroids result;
    result.movieCount.assign(kGenreCount, 0);
    result.totalWeight.assign(kGenreCount, 0.0);
    for (std::size_t m = 0; m < movies; ++m) {
        const double w = weights.empty() ? 1.0 : static_cast<double>(weights[m]);
        if (!(w >= 0.0))
            throw std::invalid_argument("genre centroids: weight of movie row " +
                                        std::to_string(m) + " is negative or not a number");
        if (masks[m] == 0) continue;
        const Eigen::RowVectorXd v = movieVectors.row(static_cast<Eigen::Index>(m)).cast<double>();
        for (int g = 0; g < kGenreCount; ++g) {
            if (!hasGenre(masks[m], g)) continue;
            sums.row(g) += w * v;
            result.movieCount[static_cast<std::size_t>(g)] += 1;
            result.totalWeight[static_cast<std::size_t>(g)] += w;
        }
    }
    result.centroids = EmbeddingMatrix::Zero(kGenreCount, d);
    for (int g = 0; g < kGenreCount; ++g) {
        const double total = result.totalWeight[static_cast<std::size_t>(g)];
        if (total > 0.0) result.centroids.row(g) = (sums.row(g) / total).cast<float>();
    }
    return result;
}

}  // namespace lens
