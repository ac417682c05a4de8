#include "projection/Pca.h"

#include <armadillo>
#include <cmath>
#include <stdexcept>

namespace lens {

EmbeddingMatrix unitNormRows(const EmbeddingMatrix& points) {
    EmbeddingMatrix scaled = points;
    for (Eigen::Index i = 0; i < scaled.rows(); ++i) {
        const double norm = scaled.row(i).cast<double>().norm();
        if (norm > 0.0) scaled.row(i) /= static_cast<float>(norm);
    }
    return scaled;
}

PcaResult runPca(const EmbeddingMatrix& input, const PcaConfig& config) {
    const auto n = static_cast<arma::uword>(input.rows());
    const auto d = static_cast<arma::uword>(input.cols());
    if (n < 2) throw std::invalid_argument("PCA needs at least 2 points");
    if (d == 0) throw std::invalid_argument("PCA needs at least one dimension");
    if (config.components < 1) throw std::invalid_argument("PCA needs at least one component");
    const auto k = std::min<arma::uword>(static_cast<arma::uword>(config.components), d);

    const EmbeddingMatrix scaled = config.unitNormRows ? unitNormRows(input) : EmbeddingMatrix();
    const EmbeddingMatrix& points = config.unitNormRows ? scaled : input;

    // Row-major n x d memory is column-major d x n: one column per point, no copy of the floats.
    const arma::fmat columns(const_cast<float*>(points.data()), d, n, /*copy_aux_mem=*/false,
                             /*strict=*/true);
    // Accumulate in double: float sums of 27k products lose digits the small eigenvalues need.
    arma::mat centred = arma::conv_to<arma::mat>::from(columns);
    const arma::vec mean = arma::mean(centred, 1);
    centred.each_col() -= mean;
    const arma::mat covariance = (centred * centred.t()) / static_cast<double>(n - 1);

    arma::vec eigenvalues;
    arma::mat eigenvectors;
    if (!arma::eig_sym(eigenvalues, eigenvectors, covariance))
        throw std::runtime_error("PCA: eigen-decomposition of the covariance failed");

    PcaResult result;
    result.totalVariance = arma::trace(covariance);
    result.mean = Eigen::Map<const Eigen::VectorXd>(mean.memptr(), static_cast<Eigen::Index>(d))
                      .cast<float>();
    arma::mat axes(d, k);
    for (arma::uword c = 0; c < k; ++c) {
        const arma::uword source = d - 1 - c;  // eig_sym sorts ascending
        arma::vec axis = eigenvectors.col(source);
        const arma::uword largest = arma::index_max(arma::abs(axis));
        if (axis(largest) < 0.0) axis = -axis;
        axes.col(c) = axis;
        const double variance = std::max(0.0, eigenvalues(source));
        result.variances.push_back(variance);
        result.explainedVarianceRatio.push_back(
            result.totalVariance > 0.0 ? variance / result.totalVariance : 0.0);
    }
    const arma::mat projected = axes.t() * centred;  // k x n: column i = point i

    result.projected.resize(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(k));
    result.axes.resize(static_cast<Eigen::Index>(k), static_cast<Eigen::Index>(d));
    for (arma::uword i = 0; i < n; ++i)
        for (arma::uword c = 0; c < k; ++c)
            result.projected(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(c)) =
                static_cast<float>(projected(c, i));
    for (arma::uword c = 0; c < k; ++c)
        for (arma::uword j = 0; j < d; ++j)
            result.axes(static_cast<Eigen::Index>(c), static_cast<Eigen::Index>(j)) =
                static_cast<float>(axes(j, c));
    return result;
}

}  // namespace lens
