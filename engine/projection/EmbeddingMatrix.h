#pragma once
// The matrix type every projection routine takes and returns: one row per point (a genre, a
// movie), one column per embedding dimension, stored row-major so a point's vector is
// contiguous. A 2D layout is an n x 2 EmbeddingMatrix (column 0 = x, column 1 = y).
#include <Eigen/Core>

namespace lens {

using EmbeddingMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

}  // namespace lens
