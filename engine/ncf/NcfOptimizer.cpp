#include "ncf/NcfOptimizer.h"

#include <algorithm>
#include <cmath>

#include "util/HugePages.h"
#include "util/Prefetch.h"

namespace lens {

namespace {
// A column step is ~50 ns: only tables touched this widely are worth a parallel region.
constexpr std::ptrdiff_t kMinParallelColumns = 16384;
// Columns prefetched ahead of the one being updated: on large tables (the ML-20M shape's
// 138k users) each column's parameters and moments are cache misses, which the step would
// otherwise wait on one after the other.
constexpr std::ptrdiff_t kPrefetchColumns = 8;
// Longest per-row bias-correction table kept (entries past it call pow).
constexpr std::size_t kMaxCorrectionSteps = std::size_t{1} << 20;

void prefetchColumn(const float* column, Eigen::Index rows) {
    prefetchLinesForWrite(column, sizeof(float) * static_cast<std::size_t>(rows));
}
}  // namespace

void ncfBiasCorrection(const NcfOptimizerConfig& c, double t, float& stepSize, float& epsHat) {
    const double c1 = 1.0 - std::pow(c.beta1, t), c2 = 1.0 - std::pow(c.beta2, t);
    // lr * mhat / (sqrt(vhat) + eps) == (lr sqrt(c2) / c1) * m / (sqrt(v) + eps sqrt(c2)).
    stepSize = static_cast<float>(c.learningRate * std::sqrt(c2) / c1);
    epsHat = static_cast<float>(c.epsilon * std::sqrt(c2));
}

const char* ncfEmbeddingAdamName(NcfEmbeddingAdam a) {
    switch (a) {
        case NcfEmbeddingAdam::RowSteps:
            return "lazy";
        case NcfEmbeddingAdam::GlobalSteps:
            return "sparse";
        case NcfEmbeddingAdam::Dense:
            return "dense";
    }
    return "unknown";
}

void NcfTableState::reset(Eigen::Index rows, Eigen::Index cols, bool adam) {
    if (adam) {
        // Random columns of large tables: 2 MB pages (advised before the first touch).
        for (Eigen::MatrixXf* moments : {&first, &second}) {
            moments->resize(rows, cols);
            adviseHugePages(moments->data(), sizeof(float) * moments->size());
            moments->setZero();
        }
        steps.assign(static_cast<std::size_t>(cols), 0);
        tableSteps = 0;
    } else {
        first.resize(0, 0);
        second.resize(0, 0);
        steps.clear();
    }
}

void NcfOptimizer::reset(const NcfOptimizerConfig& config, const NcfParameters<float>& params) {
    config_ = config;
    const bool adam = config.kind == NcfOptimizerKind::Adam;
    first_.resizeLike(params);
    second_.resizeLike(params);
    denseSteps_ = 0;
    user_.reset(params.userEmbedding.rows(), params.userEmbedding.cols(), adam);
    item_.reset(params.itemEmbedding.rows(), params.itemEmbedding.cols(), adam);
    buildCorrections();
}

void NcfOptimizer::setLearningRate(double lr) {
    if (lr == config_.learningRate) return;
    config_.learningRate = lr;
    buildCorrections();
}

void NcfOptimizer::buildCorrections() {
    corrections_.clear();
    correctionsSaturated_ = false;
    if (config_.kind != NcfOptimizerKind::Adam ||
        config_.embeddingAdam != NcfEmbeddingAdam::RowSteps)
        return;
    // Entry t-1 holds step t's factors, up to the first t where both 1 - beta^t round to 1
    // (from there on every step's factors are that entry's: beta^t only decreases).
    for (std::size_t t = 1; t <= kMaxCorrectionSteps; ++t) {
        Correction c{};
        ncfBiasCorrection(config_, static_cast<double>(t), c.stepSize, c.epsHat);
        corrections_.push_back(c);
        const double td = static_cast<double>(t);
        if (1.0 - std::pow(config_.beta1, td) == 1.0 && 1.0 - std::pow(config_.beta2, td) == 1.0) {
            correctionsSaturated_ = true;
            break;
        }
    }
}

void NcfOptimizer::rowCorrection(std::int64_t t, float& stepSize, float& epsHat) const {
    const auto size = static_cast<std::int64_t>(corrections_.size());
    if (t <= size || correctionsSaturated_) {
        const Correction& c = corrections_[static_cast<std::size_t>(std::min(t, size) - 1)];
        stepSize = c.stepSize;
        epsHat = c.epsHat;
    } else {
        ncfBiasCorrection(config_, static_cast<double>(t), stepSize, epsHat);
    }
}

namespace {

// theta -= lr * mhat / (sqrt(vhat) + eps), moments updated in place; g already regularised.
template <typename Param, typename Grad, typename Moment>
void adamUpdate(Param&& theta, const Grad& g, Moment&& m, Moment&& v, float b1, float b2,
                float stepSize, float epsHat) {
    m = b1 * m + (1.0f - b1) * g;
    v = b2 * v + (1.0f - b2) * g.cwiseAbs2();
    theta.array() -= stepSize * m.array() / (v.array().sqrt() + epsHat);
}

}  // namespace

void NcfOptimizer::stepDense(NcfParameters<float>& p, const NcfDenseGradients<float>& g) {
    const auto lr = static_cast<float>(config_.learningRate);
    const auto l2 = static_cast<float>(config_.l2Dense);
    if (config_.kind == NcfOptimizerKind::Sgd) {
        for (std::size_t l = 0; l < p.weights.size(); ++l) {
            p.weights[l] -= lr * (g.weights[l] + l2 * p.weights[l]);
            p.biases[l] -= lr * g.biases[l];
        }
        p.outputWeight -= lr * (g.outputWeight + l2 * p.outputWeight);
        p.outputBias -= lr * g.outputBias;
        return;
    }
    ++denseSteps_;
    float stepSize = 0.0f, epsHat = 0.0f;
    ncfBiasCorrection(config_, static_cast<double>(denseSteps_), stepSize, epsHat);
    const auto b1 = static_cast<float>(config_.beta1), b2 = static_cast<float>(config_.beta2);
    for (std::size_t l = 0; l < p.weights.size(); ++l) {
        Eigen::MatrixXf gw = g.weights[l] + l2 * p.weights[l];
        adamUpdate(p.weights[l], gw, first_.weights[l], second_.weights[l], b1, b2, stepSize,
                   epsHat);
        adamUpdate(p.biases[l], g.biases[l], first_.biases[l], second_.biases[l], b1, b2, stepSize,
                   epsHat);
    }
    Eigen::VectorXf go = g.outputWeight + l2 * p.outputWeight;
    adamUpdate(p.outputWeight, go, first_.outputWeight, second_.outputWeight, b1, b2, stepSize,
               epsHat);
    first_.outputBias = b1 * first_.outputBias + (1.0f - b1) * g.outputBias;
    second_.outputBias = b2 * second_.outputBias + (1.0f - b2) * g.outputBias * g.outputBias;
    p.outputBias -= stepSize * first_.outputBias / (std::sqrt(second_.outputBias) + epsHat);
}

NcfOptimizer::TableStep NcfOptimizer::beginTableStep(NcfTableState& state) const {
    TableStep step;
    if (config_.kind == NcfOptimizerKind::Sgd) return step;
    step.step = ++state.tableSteps;
    ncfBiasCorrection(config_, static_cast<double>(step.step), step.stepSize, step.epsHat);
    return step;
}

void NcfOptimizer::prefetchColumnState(const Eigen::MatrixXf& table, const NcfTableState& state,
                                       std::uint32_t column) {
    const Eigen::Index rows = table.rows();
    prefetchColumn(table.col(column).data(), rows);
    if (state.first.cols() == 0) return;  // SGD keeps no moments
    prefetchColumn(state.first.col(column).data(), rows);
    prefetchColumn(state.second.col(column).data(), rows);
    prefetchForWrite(&state.steps[column]);
}

void NcfOptimizer::stepColumn(Eigen::MatrixXf& table, NcfTableState& state, const TableStep& step,
                              std::uint32_t c,
                              const Eigen::Ref<const Eigen::VectorXf>& grad) const {
    const auto lr = static_cast<float>(config_.learningRate);
    const auto l2 = static_cast<float>(config_.l2Embedding);
    auto theta = table.col(c);
    if (config_.kind == NcfOptimizerKind::Sgd) {
        theta -= lr * (grad + l2 * theta);
        return;
    }
    const auto b1 = static_cast<float>(config_.beta1), b2 = static_cast<float>(config_.beta2);
    auto m = state.first.col(c);
    auto v = state.second.col(c);
    float stepSize = step.stepSize, epsHat = step.epsHat;
    const NcfEmbeddingAdam flavour = config_.embeddingAdam;
    if (flavour == NcfEmbeddingAdam::RowSteps) {
        rowCorrection(++state.steps[c], stepSize, epsHat);
    } else {
        const std::int64_t last = state.steps[c];
        state.steps[c] = static_cast<std::int32_t>(step.step);
        const std::int64_t gap = last > 0 ? step.step - last - 1 : 0;
        if (flavour == NcfEmbeddingAdam::Dense && gap > 0) {
            const double drift = config_.beta1 / std::sqrt(config_.beta2);
            const double g = static_cast<double>(gap);
            const auto sum = static_cast<float>(drift * (1.0 - std::pow(drift, g)) / (1.0 - drift));
            theta.array() -= (step.stepSize * sum) * m.array() / (v.array().sqrt() + epsHat);
            m *= static_cast<float>(std::pow(config_.beta1, g));
            v *= static_cast<float>(std::pow(config_.beta2, g));
        }
    }
    // g = grad + l2 theta, as an expression (no temporary per column).
    m = b1 * m + (1.0f - b1) * (grad + l2 * theta);
    v = b2 * v + (1.0f - b2) * (grad + l2 * theta).cwiseAbs2();
    theta.array() -= stepSize * m.array() / (v.array().sqrt() + epsHat);
}

void NcfOptimizer::stepColumns(Eigen::MatrixXf& table, NcfTableState& state,
                               std::span<const std::uint32_t> columns,
                               const Eigen::MatrixXf& grads) const {
    const auto count = static_cast<std::ptrdiff_t>(columns.size());
    const TableStep step = beginTableStep(state);
#pragma omp parallel for schedule(static) if (count >= kMinParallelColumns)
    for (std::ptrdiff_t k = 0; k < count; ++k) {
        if (k + kPrefetchColumns < count)
            prefetchColumnState(table, state, columns[k + kPrefetchColumns]);
        stepColumn(table, state, step, columns[k], grads.col(k));
    }
}

}  // namespace lens
