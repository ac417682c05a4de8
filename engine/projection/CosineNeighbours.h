#pragma once
// The numbers behind a map: similarities measured in the full embedding space, not in 2D.
//
// Cosine similarity cos(a, b) = a.b / (|a| |b|); a zero vector has similarity 0 with everything
// (including itself), so an empty genre never looks like a neighbour. The matrix is computed as
// one product U U^T of the unit-norm rows; nearest neighbours of one query are a parallel scan
// (OpenMP) over all rows followed by a partial sort, ties broken by the lower index.
#include <vector>

#include "projection/EmbeddingMatrix.h"

namespace lens {

struct CosineNeighbour {
    int index = -1;
    float similarity = 0.0F;
};

// n x n matrix of cosine similarities between the rows (diagonal 1 for non-zero rows).
Eigen::MatrixXf cosineSimilarityMatrix(const EmbeddingMatrix& rows);

// For each row of a (square, symmetric) similarity matrix, its k most similar other rows, most
// similar first. `include` (optional, size n) restricts the candidates, e.g. to genres with movies.
std::vector<std::vector<CosineNeighbour>> nearestRowsByCosine(
    const Eigen::MatrixXf& similarity, int k, const std::vector<bool>& include = {});

// The k rows most cosine-similar to row `query` of `rows` (the query itself left out).
// Throws std::out_of_range for a bad query index.
std::vector<CosineNeighbour> nearestNeighboursByCosine(const EmbeddingMatrix& rows, int query,
                                                       int k);

// The k rows most cosine-similar to an arbitrary vector (size = cols).
std::vector<CosineNeighbour> nearestNeighboursByCosine(const EmbeddingMatrix& rows,
                                                       const Eigen::VectorXf& vector, int k,
                                                       int excludeIndex = -1);

}  // namespace lens
