#pragma once
// The optimisers of the NCF models: Adam (Kingma & Ba 2015) and plain SGD, with L2
// regularisation added to the gradient (g + lambda theta).
//
// Dense layers take a regular Adam step: m = b1 m + (1-b1) g, v = b2 v + (1-b2) g^2,
// theta -= lr * (m / (1-b1^t)) / (sqrt(v / (1-b2^t)) + eps).
// Embedding tables take a lazy (sparse) Adam step: only the columns a batch touched are
// updated, each with its own step count t_r for the bias correction, so a step costs the same
// for 10k or 1M movies (as TensorFlow's LazyAdam / PyTorch's SparseAdam). Regularisation of an
// embedding column is applied when the column is touched.
#include <Eigen/Core>
#include <cstdint>
#include <span>
#include <vector>

#include "ncf/NcfNetwork.h"

namespace lens {

enum class NcfOptimizerKind { Adam, Sgd };

struct NcfOptimizerConfig {
    NcfOptimizerKind kind = NcfOptimizerKind::Adam;
    double learningRate = 0.001;
    double beta1 = 0.9;
    double beta2 = 0.999;
    double epsilon = 1e-8;
    double l2Embedding = 0.0;  // lambda on touched embedding columns
    double l2Dense = 0.0;      // lambda on tower and output weights (not biases)
};

// Adam moments and per-column step counts of one embedding table.
struct NcfTableState {
    Eigen::MatrixXf first, second;    // same shape as the table
    std::vector<std::int32_t> steps;  // per column
    void reset(Eigen::Index rows, Eigen::Index cols, bool adam);
};

class NcfOptimizer {
public:
    void reset(const NcfOptimizerConfig& config, const NcfParameters<float>& params);
    const NcfOptimizerConfig& config() const { return config_; }

    // One step of the dense part (tower and output layer) with gradients `g`.
    void stepDense(NcfParameters<float>& params, const NcfDenseGradients<float>& g);

    // One lazy step of `table` columns `columns` (distinct) with gradients `grads`
    // (rows = table rows, column k belongs to columns[k]). Parallel over columns.
    void stepColumns(Eigen::MatrixXf& table, NcfTableState& state,
                     std::span<const std::uint32_t> columns, const Eigen::MatrixXf& grads) const;

    NcfTableState& userState() { return user_; }
    NcfTableState& itemState() { return item_; }

private:
    NcfOptimizerConfig config_;
    NcfDenseGradients<float> first_, second_;
    std::int64_t denseSteps_ = 0;
    NcfTableState user_, item_;
};

}  // namespace lens
