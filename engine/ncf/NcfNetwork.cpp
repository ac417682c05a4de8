#include "ncf/NcfNetwork.h"

#include <cmath>
#include <stdexcept>

#include "util/HugePages.h"
#include "util/Prefetch.h"
#include "util/Random.h"

namespace lens {

const char* ncfArchitectureName(NcfArchitecture a) {
    switch (a) {
        case NcfArchitecture::Gmf:
            return "gmf";
        case NcfArchitecture::Mlp:
            return "mlp";
        case NcfArchitecture::NeuMf:
            return "neumf";
    }
    return "unknown";
}

const char* ncfObjectiveName(NcfObjective o) {
    return o == NcfObjective::Implicit ? "implicit" : "explicit";
}

void NcfShape::validate() const {
    if (hasGmf() && (factors < 1 || factors > 1024))
        throw std::invalid_argument("factors: expected 1..1024, got " + std::to_string(factors));
    if (hasMlp()) {
        if (layers.size() < 1)
            throw std::invalid_argument("layers: the MLP tower needs at least one width");
        if (layers.front() < 2 || layers.front() % 2 != 0)
            throw std::invalid_argument(
                "layers: the first width holds both embeddings and must be even and >= 2, got " +
                std::to_string(layers.front()));
        for (int w : layers)
            if (w < 1 || w > 4096)
                throw std::invalid_argument("layers: widths must be in 1..4096, got " +
                                            std::to_string(w));
    }
}

template <typename Scalar>
void NcfParameters<Scalar>::initialise(const NcfShape& s, std::size_t users, std::size_t items,
                                       std::uint64_t seed) {
    s.validate();
    shape = s;
    const int e = s.embeddingSize();
    auto fillNormal = [](Matrix& m, std::uint64_t stream, double sigma) {
        Pcg32 rng(stream);
        for (Eigen::Index c = 0; c < m.cols(); ++c)
            for (Eigen::Index r = 0; r < m.rows(); ++r)
                m(r, c) = static_cast<Scalar>(sigma * rng.normal());
    };
    auto fillUniform = [](auto& m, std::uint64_t stream, double limit) {
        Pcg32 rng(stream);
        for (Eigen::Index c = 0; c < m.cols(); ++c)
            for (Eigen::Index r = 0; r < m.rows(); ++r)
                m(r, c) = static_cast<Scalar>(limit * (2.0 * rng.uniform() - 1.0));
    };
    userEmbedding.resize(e, static_cast<Eigen::Index>(users));
    itemEmbedding.resize(e, static_cast<Eigen::Index>(items));
    // Steps read and write columns of large tables at random: 2 MB pages spare a TLB miss per
    // column (advised before the first touch).
    adviseHugePages(userEmbedding.data(), sizeof(Scalar) * userEmbedding.size());
    adviseHugePages(itemEmbedding.data(), sizeof(Scalar) * itemEmbedding.size());
    fillNormal(userEmbedding, deriveSeed(seed, 1), 0.01);
    fillNormal(itemEmbedding, deriveSeed(seed, 2), 0.01);
    weights.clear();
    biases.clear();
    for (int l = 0; l < s.towerDepth(); ++l) {
        const int in = s.layers[l], out = s.layers[l + 1];
        Matrix w(out, in);
        fillUniform(w, deriveSeed(seed, 100 + l), std::sqrt(6.0 / (in + out)));
        weights.push_back(std::move(w));
        biases.push_back(Vector::Zero(out));
    }
    outputWeight.resize(s.outputInputs());
    fillUniform(outputWeight, deriveSeed(seed, 3), std::sqrt(3.0 / s.outputInputs()));
    outputBias = 0;
}

template <typename Scalar>
void NcfDenseGradients<Scalar>::resizeLike(const NcfParameters<Scalar>& p) {
    weights.resize(p.weights.size());
    biases.resize(p.biases.size());
    for (std::size_t l = 0; l < p.weights.size(); ++l) {
        weights[l].resize(p.weights[l].rows(), p.weights[l].cols());
        biases[l].resize(p.biases[l].size());
    }
    outputWeight.resize(p.outputWeight.size());
    setZero();
}

template <typename Scalar>
void NcfDenseGradients<Scalar>::setZero() {
    for (auto& w : weights) w.setZero();
    for (auto& b : biases) b.setZero();
    outputWeight.setZero();
    outputBias = 0;
}

template <typename Scalar>
void NcfDenseGradients<Scalar>::add(const NcfDenseGradients& o) {
    for (std::size_t l = 0; l < weights.size(); ++l) {
        weights[l] += o.weights[l];
        biases[l] += o.biases[l];
    }
    outputWeight += o.outputWeight;
    outputBias += o.outputBias;
}

namespace {
// Samples whose embedding columns are prefetched ahead of the gather: on large tables every
// column is a cache miss, and the gather would otherwise wait on them one after the other.
constexpr Eigen::Index kPrefetchSamples = 8;

template <typename Scalar>
void prefetchColumn(const Scalar* column, Eigen::Index rows) {
    prefetchLinesForRead(column, sizeof(Scalar) * static_cast<std::size_t>(rows));
}

template <typename Matrix>
void prefetchSample(const Matrix& userTable, std::span<const std::uint32_t> users,
                    const Matrix& itemTable, std::span<const std::uint32_t> items, Eigen::Index j) {
    const Eigen::Index ahead = j + kPrefetchSamples;
    if (ahead >= static_cast<Eigen::Index>(users.size())) return;
    prefetchColumn(userTable.col(users[ahead]).data(), userTable.rows());
    prefetchColumn(itemTable.col(items[ahead]).data(), itemTable.rows());
}
}  // namespace

template <typename Scalar>
void NcfNetwork<Scalar>::forward(const Params& p, const Matrix& userTable,
                                 std::span<const std::uint32_t> users, const Matrix& itemTable,
                                 std::span<const std::uint32_t> items, NcfBatchWork<Scalar>& w) {
    const NcfShape& s = p.shape;
    const auto batch = static_cast<Eigen::Index>(users.size());
    const int f = s.gmfSize(), m = s.mlpHalf();
    w.logits.resize(batch);
    if (s.hasGmf()) {
        w.gmf.resize(f, batch);
        for (Eigen::Index j = 0; j < batch; ++j) {
            prefetchSample(userTable, users, itemTable, items, j);
            w.gmf.col(j) =
                userTable.col(users[j]).head(f).cwiseProduct(itemTable.col(items[j]).head(f));
        }
        w.logits.noalias() = p.outputWeight.head(f).transpose() * w.gmf;
    } else {
        w.logits.setZero();
    }
    if (s.hasMlp()) {
        const int depth = s.towerDepth();
        w.activations.resize(depth + 1);
        Matrix& x0 = w.activations[0];
        x0.resize(2 * m, batch);
        for (Eigen::Index j = 0; j < batch; ++j) {
            if (!s.hasGmf()) prefetchSample(userTable, users, itemTable, items, j);
            x0.col(j).head(m) = userTable.col(users[j]).segment(f, m);
            x0.col(j).tail(m) = itemTable.col(items[j]).segment(f, m);
        }
        for (int l = 0; l < depth; ++l) {
            Matrix& x = w.activations[l + 1];
            x.resize(p.weights[l].rows(), batch);
            x.noalias() = p.weights[l] * w.activations[l];
            x.colwise() += p.biases[l];
            x = x.cwiseMax(Scalar(0));  // ReLU; x > 0 marks the active units for backward
        }
        w.logits.noalias() +=
            p.outputWeight.tail(s.towerOutput()).transpose() * w.activations[depth];
    }
    w.logits.array() += p.outputBias;
}

template <typename Scalar>
double NcfNetwork<Scalar>::loss(NcfObjective objective, NcfBatchWork<Scalar>& w,
                                std::span<const float> targets, double normaliser) {
    const auto batch = w.logits.size();
    w.logitGradients.resize(batch);
    const Scalar scale = static_cast<Scalar>(1.0 / normaliser);
    double sum = 0.0;
    if (objective == NcfObjective::Implicit) {
        for (Eigen::Index j = 0; j < batch; ++j) {
            const Scalar z = w.logits[j];
            const Scalar y = static_cast<Scalar>(targets[j]);
            const Scalar prob = Scalar(1) / (Scalar(1) + std::exp(-z));
            // Stable BCE with logits: max(z,0) - z y + log(1 + exp(-|z|)).
            sum += static_cast<double>(std::max(z, Scalar(0)) - z * y +
                                       std::log1p(std::exp(-std::abs(z))));
            w.logitGradients[j] = (prob - y) * scale;
        }
    } else {
        for (Eigen::Index j = 0; j < batch; ++j) {
            const Scalar diff = w.logits[j] - static_cast<Scalar>(targets[j]);
            sum += static_cast<double>(diff * diff);
            w.logitGradients[j] = Scalar(2) * diff * scale;
        }
    }
    return sum;
}

template <typename Scalar>
void NcfNetwork<Scalar>::backward(const Params& p, const Matrix& userTable,
                                  std::span<const std::uint32_t> users, const Matrix& itemTable,
                                  std::span<const std::uint32_t> items, NcfBatchWork<Scalar>& w,
                                  NcfDenseGradients<Scalar>& g) {
    const NcfShape& s = p.shape;
    const auto batch = static_cast<Eigen::Index>(users.size());
    const int f = s.gmfSize(), m = s.mlpHalf(), e = s.embeddingSize();
    const auto& dz = w.logitGradients;
    g.outputBias += dz.sum();
    w.userGradients.resize(e, batch);
    w.itemGradients.resize(e, batch);
    if (s.hasGmf()) {
        g.outputWeight.head(f).noalias() += w.gmf * dz.transpose();
        const auto h = p.outputWeight.head(f);
        for (Eigen::Index j = 0; j < batch; ++j) {
            // dL/dg = h dz; dg/dp = q, dg/dq = p.
            w.userGradients.col(j).head(f) =
                (dz[j] * h).cwiseProduct(itemTable.col(items[j]).head(f));
            w.itemGradients.col(j).head(f) =
                (dz[j] * h).cwiseProduct(userTable.col(users[j]).head(f));
        }
    }
    if (s.hasMlp()) {
        const int depth = s.towerDepth();
        g.outputWeight.tail(s.towerOutput()).noalias() += w.activations[depth] * dz.transpose();
        // delta = dL/dx_L, then through each ReLU and dense layer.
        w.delta.noalias() = p.outputWeight.tail(s.towerOutput()) * dz;
        for (int l = depth - 1; l >= 0; --l) {
            const Matrix& x = w.activations[l + 1];
            w.delta = (x.array() > Scalar(0)).select(w.delta, Scalar(0));
            g.weights[l].noalias() += w.delta * w.activations[l].transpose();
            g.biases[l].noalias() += w.delta.rowwise().sum();
            w.deltaNext.noalias() = p.weights[l].transpose() * w.delta;
            w.delta.swap(w.deltaNext);
        }
        w.userGradients.bottomRows(m) = w.delta.topRows(m);
        w.itemGradients.bottomRows(m) = w.delta.bottomRows(m);
    }
}

template struct NcfParameters<float>;
template struct NcfParameters<double>;
template struct NcfDenseGradients<float>;
template struct NcfDenseGradients<double>;
template struct NcfNetwork<float>;
template struct NcfNetwork<double>;

}  // namespace lens
