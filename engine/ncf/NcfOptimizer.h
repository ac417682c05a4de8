#pragma once
// The optimisers of the NCF models: Adam (Kingma & Ba 2015) and plain SGD, with L2
// regularisation added to the gradient (g + lambda theta).
//
// Dense layers take a regular Adam step: m = b1 m + (1-b1) g, v = b2 v + (1-b2) g^2,
// theta -= lr * (m / (1-b1^t)) / (sqrt(v / (1-b2^t)) + eps).
// Embedding tables take a lazy (sparse) Adam step: only the columns a batch touched are
// updated, so a step costs the same for 10k or 1M movies. Three flavours of the bias
// correction and of the untouched steps (NcfEmbeddingAdam):
//   RowSteps:    each column has its own step count t_r (TensorFlow's LazyAdam);
//   GlobalSteps: one step count t per table, incremented every batch (PyTorch's SparseAdam);
//   Dense:       the result of dense Adam, where a column untouched for k steps still decays
//                its moments (m b1^k, v b2^k) and keeps moving on its momentum; that drift is
//                applied in closed form when the column is next touched:
//                lr c(t) m / (sqrt(v) + eps) * sum_{j=1..k} (b1 / sqrt(b2))^j,
//                c(t) = sqrt(1-b2^t) / (1-b1^t) (eps and the change of c over the gap neglected).
// Regularisation of an embedding column is applied when the column is touched.
//
// Cost on large tables (the ML-20M shape: 138k users, 27k movies): a step's columns are
// scattered over 66 MB of parameters and moments, so the column loop prefetches the columns a
// few ahead and the tables sit on 2 MB pages. RowSteps reads its bias corrections from a table
// indexed by the row's step count (rebuilt when the step size changes) instead of calling pow
// twice per column: the factors are the very floats ncfBiasCorrection computes, so the
// arithmetic, and the trained model, are unchanged bit for bit.
#include <Eigen/Core>
#include <cstdint>
#include <span>
#include <vector>

#include "ncf/NcfNetwork.h"

namespace lens {

enum class NcfOptimizerKind { Adam, Sgd };
enum class NcfEmbeddingAdam { RowSteps, GlobalSteps, Dense };

const char* ncfEmbeddingAdamName(NcfEmbeddingAdam a);  // "lazy", "sparse", "dense"

struct NcfOptimizerConfig {
    NcfOptimizerKind kind = NcfOptimizerKind::Adam;
    double learningRate = 0.001;
    double beta1 = 0.9;
    double beta2 = 0.999;
    double epsilon = 1e-8;
    double l2Embedding = 0.0;  // lambda on touched embedding columns
    double l2Dense = 0.0;      // lambda on tower and output weights (not biases)
    NcfEmbeddingAdam embeddingAdam = NcfEmbeddingAdam::RowSteps;
};

// Adam moments and step counts of one embedding table.
struct NcfTableState {
    Eigen::MatrixXf first, second;    // same shape as the table
    std::vector<std::int32_t> steps;  // per column: its step count (RowSteps) or the table step
                                      // it was last touched at (GlobalSteps, Dense)
    std::int64_t tableSteps = 0;      // steps of the table (GlobalSteps, Dense)
    void reset(Eigen::Index rows, Eigen::Index cols, bool adam);
};

// Adam's bias-corrected step size and epsilon at step t:
// stepSize = lr sqrt(1 - b2^t) / (1 - b1^t), epsHat = eps sqrt(1 - b2^t).
void ncfBiasCorrection(const NcfOptimizerConfig& c, double t, float& stepSize, float& epsHat);

class NcfOptimizer {
public:
    void reset(const NcfOptimizerConfig& config, const NcfParameters<float>& params);
    const NcfOptimizerConfig& config() const { return config_; }
    // A schedule's step size for the following steps (moments and step counts are kept).
    void setLearningRate(double lr);

    // One step of the dense part (tower and output layer) with gradients `g`.
    void stepDense(NcfParameters<float>& params, const NcfDenseGradients<float>& g);

    // One lazy step of `table` columns `columns` (distinct) with gradients `grads`
    // (rows = table rows, column k belongs to columns[k]). Parallel over columns.
    void stepColumns(Eigen::MatrixXf& table, NcfTableState& state,
                     std::span<const std::uint32_t> columns, const Eigen::MatrixXf& grads) const;

    // stepColumns in parts, for a caller that walks the columns itself (the trainer reads each
    // column's gradient where its samples left it and shares the columns of both tables among
    // its threads): beginTableStep once per table and step, then stepColumn once per distinct
    // column, from any thread (columns are independent). The arithmetic is stepColumns'.
    struct TableStep {
        std::int64_t step = 0;                 // the table's step (GlobalSteps, Dense)
        float stepSize = 0.0f, epsHat = 0.0f;  // its bias correction
    };
    TableStep beginTableStep(NcfTableState& state) const;
    void stepColumn(Eigen::MatrixXf& table, NcfTableState& state, const TableStep& step,
                    std::uint32_t column, const Eigen::Ref<const Eigen::VectorXf>& grad) const;
    // Starts loading what stepColumn will touch of `column` (a cache miss on large tables).
    static void prefetchColumnState(const Eigen::MatrixXf& table, const NcfTableState& state,
                                    std::uint32_t column);

    NcfTableState& userState() { return user_; }
    NcfTableState& itemState() { return item_; }

private:
    // Bias-correction factors of a row at its step t (RowSteps): read from a table built when
    // the step size changes, the very values ncfBiasCorrection gives (no pow per column).
    struct Correction {
        float stepSize, epsHat;
    };
    void buildCorrections();
    void rowCorrection(std::int64_t t, float& stepSize, float& epsHat) const;

    NcfOptimizerConfig config_;
    std::vector<Correction> corrections_;
    bool correctionsSaturated_ = false;  // every step past the table has its last entry
    NcfDenseGradients<float> first_, second_;
    std::int64_t denseSteps_ = 0;
    NcfTableState user_, item_;
};

}  // namespace lens
