#include "projection/CosineNeighbours.h"

#include <algorithm>
#include <stdexcept>

#include "projection/Pca.h"

namespace lens {
namespace {

bool moreSimilar(const CosineNeighbour& a, const CosineNeighbour& b) {
    return a.similarity > b.similarity || (a.similarity == b.similarity && a.index < b.index);
}

std::vector<CosineNeighbour> topK(std::vector<CosineNeighbour> candidates, int k) {
    const auto keep =
        std::min<std::size_t>(static_cast<std::size_t>(std::max(k, 0)), candidates.size());
    std::partial_sort(candidates.begin(), candidates.begin() + static_cast<std::ptrdiff_t>(keep),
                      candidates.end(), [](const CosineNeighbour& a, const CosineNeighbour& b) {
                          return moreSimilar(a, b);
                      });
    candidates.resize(keep);
    return candidates;
}

}  // namespace

Eigen::MatrixXf cosineSimilarityMatrix(const EmbeddingMatrix& rows) {
    const EmbeddingMatrix unit = unitNormRows(rows);
    Eigen::MatrixXf similarity = unit * unit.transpose();
    // Rounding can push |cos| a hair above 1.
    return similarity.cwiseMax(-1.0F).cwiseMin(1.0F);
}

std::vector<std::vector<CosineNeighbour>> nearestRowsByCosine(const Eigen::MatrixXf& similarity,
                                                              int k,
                                                              const std::vector<bool>& include) {
    const auto n = static_cast<int>(similarity.rows());
    if (similarity.cols() != n) throw std::invalid_argument("similarity matrix must be square");
    if (!include.empty() && static_cast<int>(include.size()) != n)
        throw std::invalid_argument("include mask must have one entry per row");
    std::vector<std::vector<CosineNeighbour>> result(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) {
        std::vector<CosineNeighbour> candidates;
        for (int j = 0; j < n; ++j) {
            if (j == i || (!include.empty() && !include[static_cast<std::size_t>(j)])) continue;
            candidates.push_back({j, similarity(i, j)});
        }
        result[static_cast<std::size_t>(i)] = topK(std::move(candidates), k);
    }
    return result;
}

std::vector<CosineNeighbour> nearestNeighboursByCosine(const EmbeddingMatrix& rows,
                                                       const Eigen::VectorXf& vector, int k,
                                                       int excludeIndex) {
    if (vector.size() != rows.cols())
        throw std::invalid_argument("query vector length differs from the embedding dimension");
    const auto n = static_cast<int>(rows.rows());
    const float queryNorm = vector.norm();
    std::vector<CosineNeighbour> all(static_cast<std::size_t>(n));
#pragma omp parallel for schedule(static)
    for (int i = 0; i < n; ++i) {
        const float rowNorm = rows.row(i).norm();
        const float denominator = rowNorm * queryNorm;
        const float cosine =
            denominator > 0.0F ? rows.row(i).dot(vector.transpose()) / denominator : 0.0F;
        all[static_cast<std::size_t>(i)] = {i, std::clamp(cosine, -1.0F, 1.0F)};
    }
    if (excludeIndex >= 0 && excludeIndex < n) all.erase(all.begin() + excludeIndex);
    return topK(std::move(all), k);
}

std::vector<CosineNeighbour> nearestNeighboursByCosine(const EmbeddingMatrix& rows, int query,
                                                       int k) {
    if (query < 0 || query >= rows.rows())
        throw std::out_of_range("nearest neighbours: query row " + std::to_string(query) +
                                " is outside 0.." + std::to_string(rows.rows() - 1));
    const Eigen::VectorXf vector = rows.row(query).transpose();
    return nearestNeighboursByCosine(rows, vector, k, query);
}

}  // namespace lens
