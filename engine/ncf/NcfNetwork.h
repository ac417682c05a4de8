#pragma once
// The networks of Neural Collaborative Filtering (He et al., WWW 2017) with our own forward and
// backward passes on Eigen matrix products (a batch is a block of columns; no autograd).
//
//   GMF:   g = p_u^G (.) q_i^G                                  (element-wise product, f values)
//   MLP:   x_0 = [p_u^M; q_i^M],  x_l = ReLU(W_l x_{l-1} + b_l)  (tower layers[0] -> ... -> L)
//   NeuMF: both, each with its own embeddings, joined by the output layer
//   logit  z = h^T [g; x_L] + b     (GMF uses only g, MLP only x_L)
// Implicit objective: p = sigmoid(z), binary cross-entropy -(y log p + (1-y) log(1-p)),
//   dL/dz = p - y.  Explicit objective: z predicts r - mu, squared error (z - y)^2,
//   dL/dz = 2 (z - y). Losses are means over the batch.
//
// One embedding table per side holds both parts: column u of the user table is
// [p_u^G (f rows); p_u^M (layers[0]/2 rows)], so a batch gathers and scatters one column per
// sample and the optimiser touches one column per distinct user or movie.
// Templated on the scalar: float for training, double for the finite-difference checks.
#include <Eigen/Core>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace lens {

enum class NcfArchitecture { Gmf, Mlp, NeuMf };
enum class NcfObjective { Implicit, Explicit };

const char* ncfArchitectureName(NcfArchitecture a);  // "gmf", "mlp", "neumf"
const char* ncfObjectiveName(NcfObjective o);        // "implicit", "explicit"

// The sizes of a network; validate() throws std::invalid_argument naming the problem.
struct NcfShape {
    NcfArchitecture architecture = NcfArchitecture::NeuMf;
    int factors = 8;                         // GMF embedding size
    std::vector<int> layers{64, 32, 16, 8};  // MLP tower widths; layers[0] = both embeddings

    bool hasGmf() const { return architecture != NcfArchitecture::Mlp; }
    bool hasMlp() const { return architecture != NcfArchitecture::Gmf; }
    int gmfSize() const { return hasGmf() ? factors : 0; }
    int mlpHalf() const { return hasMlp() ? layers.front() / 2 : 0; }
    int embeddingSize() const { return gmfSize() + mlpHalf(); }
    int towerOutput() const { return hasMlp() ? layers.back() : 0; }
    int outputInputs() const { return gmfSize() + towerOutput(); }
    int towerDepth() const { return hasMlp() ? static_cast<int>(layers.size()) - 1 : 0; }
    void validate() const;
};

template <typename Scalar>
struct NcfParameters {
    using Matrix = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>;
    using Vector = Eigen::Matrix<Scalar, Eigen::Dynamic, 1>;

    NcfShape shape;
    Matrix userEmbedding;         // embeddingSize x users
    Matrix itemEmbedding;         // embeddingSize x items
    std::vector<Matrix> weights;  // tower layer l: layers[l+1] x layers[l]
    std::vector<Vector> biases;   // layers[l+1]
    Vector outputWeight;          // outputInputs (GMF part first)
    Scalar outputBias = 0;

    // Embeddings N(0, 0.01^2) as in the paper, tower Glorot-uniform, output LeCun-uniform,
    // biases zero; everything from lens::Pcg32 streams derived from `seed`.
    void initialise(const NcfShape& s, std::size_t users, std::size_t items, std::uint64_t seed);
    template <typename Other>
    NcfParameters<Other> cast() const;
};

// Gradients of the dense part (same shapes as the parameters').
template <typename Scalar>
struct NcfDenseGradients {
    using Matrix = typename NcfParameters<Scalar>::Matrix;
    using Vector = typename NcfParameters<Scalar>::Vector;
    std::vector<Matrix> weights;
    std::vector<Vector> biases;
    Vector outputWeight;
    Scalar outputBias = 0;

    void resizeLike(const NcfParameters<Scalar>& p);
    void setZero();
    void add(const NcfDenseGradients& other);
};

// Buffers of one batch pass, reused between steps (no allocation once sized).
template <typename Scalar>
struct NcfBatchWork {
    using Matrix = typename NcfParameters<Scalar>::Matrix;
    using RowVector = Eigen::Matrix<Scalar, 1, Eigen::Dynamic>;
    Matrix gmf;                       // f x B
    std::vector<Matrix> activations;  // x_0 .. x_L, each layers[l] x B (pre-ReLU kept in place)
    RowVector logits;                 // 1 x B
    RowVector logitGradients;         // dL/dz per sample (already divided by the batch size)
    Matrix userGradients;             // embeddingSize x B: dL/d(user column) per sample
    Matrix itemGradients;             // embeddingSize x B
    Matrix delta, deltaNext;          // tower back-propagation scratch
};

// Stateless passes over a batch of (user, item) pairs. The embedding tables are passed apart
// from the parameters so fold-in can score with a user column that is not in the table.
template <typename Scalar>
struct NcfNetwork {
    using Matrix = typename NcfParameters<Scalar>::Matrix;
    using Params = NcfParameters<Scalar>;

    // Fills work.logits (1 x B) for pairs (users[j], items[j]); users index columns of
    // `userTable`, items columns of `itemTable`.
    static void forward(const Params& p, const Matrix& userTable,
                        std::span<const std::uint32_t> users, const Matrix& itemTable,
                        std::span<const std::uint32_t> items, NcfBatchWork<Scalar>& work);

    // Sum over the batch of the per-sample loss, and work.logitGradients = dL/dz / normaliser
    // (normaliser = the full batch size, so chunks of one batch add up to its mean).
    static double loss(NcfObjective objective, NcfBatchWork<Scalar>& work,
                       std::span<const float> targets, double normaliser);

    // After forward() and loss(): adds the dense gradients into `grads` and writes the
    // per-sample embedding gradients into work.userGradients / work.itemGradients.
    static void backward(const Params& p, const Matrix& userTable,
                         std::span<const std::uint32_t> users, const Matrix& itemTable,
                         std::span<const std::uint32_t> items, NcfBatchWork<Scalar>& work,
                         NcfDenseGradients<Scalar>& grads);
};

extern template struct NcfParameters<float>;
extern template struct NcfParameters<double>;
extern template struct NcfDenseGradients<float>;
extern template struct NcfDenseGradients<double>;
extern template struct NcfNetwork<float>;
extern template struct NcfNetwork<double>;

template <typename Scalar>
template <typename Other>
NcfParameters<Other> NcfParameters<Scalar>::cast() const {
    NcfParameters<Other> out;
    out.shape = shape;
    out.userEmbedding = userEmbedding.template cast<Other>();
    out.itemEmbedding = itemEmbedding.template cast<Other>();
    for (const auto& w : weights) out.weights.push_back(w.template cast<Other>());
    for (const auto& b : biases) out.biases.push_back(b.template cast<Other>());
    out.outputWeight = outputWeight.template cast<Other>();
    out.outputBias = static_cast<Other>(outputBias);
    return out;
}

}  // namespace lens
