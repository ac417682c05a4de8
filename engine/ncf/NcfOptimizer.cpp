#include "ncf/NcfOptimizer.h"

#include <cmath>

namespace lens {

namespace {
// A column step is ~50 ns: only tables touched this widely are worth a parallel region.
constexpr std::ptrdiff_t kMinParallelColumns = 16384;
}  // namespace

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
        first = Eigen::MatrixXf::Zero(rows, cols);
        second = Eigen::MatrixXf::Zero(rows, cols);
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
    const double t = static_cast<double>(denseSteps_);
    const double c1 = 1.0 - std::pow(config_.beta1, t), c2 = 1.0 - std::pow(config_.beta2, t);
    // lr * mhat / (sqrt(vhat) + eps) == (lr sqrt(c2) / c1) * m / (sqrt(v) + eps sqrt(c2)).
    const auto stepSize = static_cast<float>(config_.learningRate * std::sqrt(c2) / c1);
    const auto epsHat = static_cast<float>(config_.epsilon * std::sqrt(c2));
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

void NcfOptimizer::stepColumns(Eigen::MatrixXf& table, NcfTableState& state,
                               std::span<const std::uint32_t> columns,
                               const Eigen::MatrixXf& grads) const {
    const auto lr = static_cast<float>(config_.learningRate);
    const auto l2 = static_cast<float>(config_.l2Embedding);
    const auto count = static_cast<std::ptrdiff_t>(columns.size());
    if (config_.kind == NcfOptimizerKind::Sgd) {
#pragma omp parallel for schedule(static) if (count >= kMinParallelColumns)
        for (std::ptrdiff_t k = 0; k < count; ++k) {
            auto theta = table.col(columns[k]);
            theta -= lr * (grads.col(k) + l2 * theta);
        }
        return;
    }
    const auto b1 = static_cast<float>(config_.beta1), b2 = static_cast<float>(config_.beta2);
    const NcfEmbeddingAdam flavour = config_.embeddingAdam;
    const std::int64_t tableStep = ++state.tableSteps;
    // Bias correction of the table step (GlobalSteps, Dense).
    const double tc1 = 1.0 - std::pow(config_.beta1, static_cast<double>(tableStep));
    const double tc2 = 1.0 - std::pow(config_.beta2, static_cast<double>(tableStep));
    const auto tableStepSize = static_cast<float>(config_.learningRate * std::sqrt(tc2) / tc1);
    const auto tableEpsHat = static_cast<float>(config_.epsilon * std::sqrt(tc2));
    const double drift = config_.beta1 / std::sqrt(config_.beta2);
#pragma omp parallel for schedule(static) if (count >= kMinParallelColumns)
    for (std::ptrdiff_t k = 0; k < count; ++k) {
        const std::uint32_t c = columns[k];
        auto theta = table.col(c);
        auto m = state.first.col(c);
        auto v = state.second.col(c);
        float stepSize = tableStepSize, epsHat = tableEpsHat;
        if (flavour == NcfEmbeddingAdam::RowSteps) {
            const int t = ++state.steps[c];
            const double c1 = 1.0 - std::pow(config_.beta1, t),
                         c2 = 1.0 - std::pow(config_.beta2, t);
            stepSize = static_cast<float>(config_.learningRate * std::sqrt(c2) / c1);
            epsHat = static_cast<float>(config_.epsilon * std::sqrt(c2));
        } else {
            const std::int64_t last = state.steps[c];
            state.steps[c] = static_cast<std::int32_t>(tableStep);
            const std::int64_t gap = last > 0 ? tableStep - last - 1 : 0;
            if (flavour == NcfEmbeddingAdam::Dense && gap > 0) {
                const double g = static_cast<double>(gap);
                const auto sum =
                    static_cast<float>(drift * (1.0 - std::pow(drift, g)) / (1.0 - drift));
                theta.array() -= (tableStepSize * sum) * m.array() / (v.array().sqrt() + epsHat);
                m *= static_cast<float>(std::pow(config_.beta1, g));
                v *= static_cast<float>(std::pow(config_.beta2, g));
            }
        }
        // g = grads + l2 theta, as an expression (no temporary per column).
        m = b1 * m + (1.0f - b1) * (grads.col(k) + l2 * theta);
        v = b2 * v + (1.0f - b2) * (grads.col(k) + l2 * theta).cwiseAbs2();
        theta.array() -= stepSize * m.array() / (v.array().sqrt() + epsHat);
    }
}

}  // namespace lens
