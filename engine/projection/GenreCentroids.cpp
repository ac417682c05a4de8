#include "projection/GenreCentroids.h"

#include <stdexcept>
#include <string>

namespace lens {

int genreRowCount(std::span<const GenreMask> masks) {
    GenreMask all = 0;
    for (GenreMask m : masks) all |= m;
    int rows = kGenreCount;
    for (int g = kGenreCount; g < kMaxGenreVocabulary; ++g)
        if (hasGenre(all, g)) rows = g + 1;
    return rows;
}

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
    const int genres = genreRowCount(masks);
    Eigen::MatrixXd sums = Eigen::MatrixXd::Zero(genres, d);
    GenreCentroids result;
    result.movieCount.assign(static_cast<std::size_t>(genres), 0);
    result.totalWeight.assign(static_cast<std::size_t>(genres), 0.0);
    for (std::size_t m = 0; m < movies; ++m) {
        const double w = weights.empty() ? 1.0 : static_cast<double>(weights[m]);
        if (!(w >= 0.0))
            throw std::invalid_argument("genre centroids: weight of movie row " +
                                        std::to_string(m) + " is negative or not a number");
        if (masks[m] == 0) continue;
        const Eigen::RowVectorXd v = movieVectors.row(static_cast<Eigen::Index>(m)).cast<double>();
        for (int g = 0; g < genres; ++g) {
            if (!hasGenre(masks[m], g)) continue;
            sums.row(g) += w * v;
            result.movieCount[static_cast<std::size_t>(g)] += 1;
            result.totalWeight[static_cast<std::size_t>(g)] += w;
        }
    }
    result.centroids = EmbeddingMatrix::Zero(genres, d);
    for (int g = 0; g < genres; ++g) {
        const double total = result.totalWeight[static_cast<std::size_t>(g)];
        if (total > 0.0) result.centroids.row(g) = (sums.row(g) / total).cast<float>();
    }
    return result;
}

}  // namespace lens
