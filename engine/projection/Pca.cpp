#include "projection/Pca.h"

#include <Eigen/Dense>
#include <algorithm>
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

    // Mean and covariance in double (float sums of 27k products lose digits the small
    // eigenvalues need), by blocks of rows with Eigen's rank updates: one pass over the floats,
    // no n x d double copy, and no BLAS threads (OpenBLAS's own threads stall when the cores are
    // busy; this is the single place of parallelism rule of the engine).
    constexpr Eigen::Index kBlock = 2048;
    const auto rows = static_cast<Eigen::Index>(n), cols = static_cast<Eigen::Index>(d);
    Eigen::VectorXd meanVector = Eigen::VectorXd::Zero(cols);
    for (Eigen::Index i = 0; i < rows; ++i) meanVector += points.row(i).cast<double>().transpose();
    meanVector /= static_cast<double>(n);
    Eigen::MatrixXd scatter = Eigen::MatrixXd::Zero(cols, cols);
    Eigen::MatrixXd block;
    for (Eigen::Index first = 0; first < rows; first += kBlock) {
        const Eigen::Index count = std::min(kBlock, rows - first);
        block = points.middleRows(first, count).cast<double>();
        block.rowwise() -= meanVector.transpose();
        scatter.selfadjointView<Eigen::Lower>().rankUpdate(block.transpose());
    }
    scatter.triangularView<Eigen::StrictlyUpper>() = scatter.transpose();
    arma::mat covariance(scatter.data(), d, d, /*copy_aux_mem=*/true);
    covariance /= static_cast<double>(n - 1);
    const arma::vec mean(meanVector.data(), d);

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
    // Coordinates: V_k^T (x_i - m), in double by the same blocks.
    const Eigen::Map<const Eigen::MatrixXd> axesMap(axes.memptr(), cols,
                                                    static_cast<Eigen::Index>(k));
    result.projected.resize(rows, static_cast<Eigen::Index>(k));
    result.axes.resize(static_cast<Eigen::Index>(k), cols);
    for (Eigen::Index first = 0; first < rows; first += kBlock) {
        const Eigen::Index count = std::min(kBlock, rows - first);
        block = points.middleRows(first, count).cast<double>();
        block.rowwise() -= meanVector.transpose();
        result.projected.middleRows(first, count) = (block * axesMap).cast<float>();
    }
    for (arma::uword c = 0; c < k; ++c)
        for (arma::uword j = 0; j < d; ++j)
            result.axes(static_cast<Eigen::Index>(c), static_cast<Eigen::Index>(j)) =
                static_cast<float>(axes(j, c));
    return result;
}

}  // namespace lens
