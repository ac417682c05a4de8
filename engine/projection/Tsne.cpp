#include "projection/Tsne.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <limits>
#include <memory>
#include <numeric>
#include <stdexcept>
#include <vector>

#include "projection/TsneInterpolation.h"
#include "util/Random.h"

namespace lens {
namespace {

using Clock = std::chrono::steady_clock;

// p_{j|i} over the given squared distances, with beta found by binary search so that the entropy
// (in nats) equals log(perplexity). Distances are shifted by their minimum first: the shift cancels
// in the normalisation and keeps exp() away from underflow for far-apart inputs.
void conditionalProbabilities(const double* squaredDistances, int count, double perplexity,
                              double* probabilities) {
    if (count <= 0) return;
    const double minimum = *std::min_element(squaredDistances, squaredDistances + count);
    double mean = 0.0;
    for (int j = 0; j < count; ++j) mean += squaredDistances[j] - minimum;
    mean /= count;
    const double targetEntropy = std::log(perplexity);
    double beta = mean > 0.0 ? 1.0 / mean : 1.0;
    double betaLow = -std::numeric_limits<double>::infinity();
    double betaHigh = std::numeric_limits<double>::infinity();
    for (int step = 0; step < 200; ++step) {
        double sum = 0.0, weighted = 0.0;
        for (int j = 0; j < count; ++j) {
            const double shifted = squaredDistances[j] - minimum;
            const double p = std::exp(-beta * shifted);
            probabilities[j] = p;
            sum += p;
            weighted += shifted * p;
        }
        const double entropy = std::log(sum) + beta * weighted / sum;
        for (int j = 0; j < count; ++j) probabilities[j] /= sum;
        const double difference = entropy - targetEntropy;
        if (std::abs(difference) < 1e-5) break;
        if (difference > 0.0) {  // too flat: sharpen
            betaLow = beta;
            beta = std::isinf(betaHigh) ? beta * 2.0 : (beta + betaHigh) / 2.0;
        } else {
            betaHigh = beta;
            beta = std::isinf(betaLow) ? beta / 2.0 : (beta + betaLow) / 2.0;
        }
    }
}

// Sparse symmetric matrix in compressed rows.
struct SparseRows {
    std::vector<int> rowStart;  // n + 1
    std::vector<int> column;
    std::vector<double> value;
};

// The k nearest neighbours of every row by squared Euclidean distance, brute force in row blocks:
// D = |x_i|^2 + |x_j|^2 - 2 X X_block^T, then one pass per row keeping the k closest so far in a
// max-heap (a candidate costs one comparison with the heap's top unless it is closer): O(n) per
// row, not the O(n) passes with swaps of a full selection. Ties go to the lower index.
void nearestNeighbours(const EmbeddingMatrix& x, int k, std::vector<int>& indices,
                       std::vector<double>& squaredDistances) {
    const auto n = static_cast<int>(x.rows());
    const Eigen::VectorXf squaredNorms = x.rowwise().squaredNorm();
    indices.assign(static_cast<std::size_t>(n) * k, 0);
    squaredDistances.assign(static_cast<std::size_t>(n) * k, 0.0);
    constexpr int kBlock = 64;
    const int blocks = (n + kBlock - 1) / kBlock;
#pragma omp parallel
    {
        Eigen::MatrixXf products;  // n x block: column r holds row first + r against all rows
        std::vector<std::pair<float, int>> heap;
        heap.reserve(static_cast<std::size_t>(k) + 1);
#pragma omp for schedule(dynamic, 1)
        for (int b = 0; b < blocks; ++b) {
            const int first = b * kBlock;
            const int rows = std::min(kBlock, n - first);
            products.noalias() = x * x.middleRows(first, rows).transpose();
            for (int r = 0; r < rows; ++r) {
                const int i = first + r;
                const float* dot = products.col(r).data();
                const float own = squaredNorms(i);
                heap.clear();
                float threshold = std::numeric_limits<float>::infinity();
                for (int j = 0; j < n; ++j) {
                    const float d = std::max(0.0F, own + squaredNorms(j) - 2.0F * dot[j]);
                    // j rises, so an equal distance never displaces the (lower-index) top.
                    if (!(d < threshold) || j == i) continue;
                    if (static_cast<int>(heap.size()) == k) {
                        std::pop_heap(heap.begin(), heap.end());
                        heap.back() = {d, j};
                    } else {
                        heap.emplace_back(d, j);
                    }
                    std::push_heap(heap.begin(), heap.end());
                    if (static_cast<int>(heap.size()) == k) threshold = heap.front().first;
                }
                std::sort_heap(heap.begin(), heap.end());
                for (int m = 0; m < k; ++m) {
                    const int j = heap[static_cast<std::size_t>(m)].second;
                    indices[static_cast<std::size_t>(i) * k + m] = j;
                    // Recompute exactly in double: the expanded form loses digits for close points.
                    squaredDistances[static_cast<std::size_t>(i) * k + m] =
                        (x.row(i) - x.row(j)).cast<double>().squaredNorm();
                }
            }
        }
    }
}

SparseRows sparseInputSimilarities(const EmbeddingMatrix& x, double perplexity) {
    const auto n = static_cast<int>(x.rows());
    const int k = std::min(n - 1, static_cast<int>(3.0 * perplexity));
    std::vector<int> neighbours;
    std::vector<double> distances;
    nearestNeighbours(x, k, neighbours, distances);
    std::vector<double> conditional(static_cast<std::size_t>(n) * k);
#pragma omp parallel for schedule(static)
    for (int i = 0; i < n; ++i)
        conditionalProbabilities(&distances[static_cast<std::size_t>(i) * k], k, perplexity,
                                 &conditional[static_cast<std::size_t>(i) * k]);

    // Symmetrise: every (i, j, p) contributes to row i and row j; duplicates are then merged.
    std::vector<int> counts(static_cast<std::size_t>(n) + 1, 0);
    for (int i = 0; i < n; ++i)
        for (int m = 0; m < k; ++m) {
            ++counts[static_cast<std::size_t>(i) + 1];
            ++counts[static_cast<std::size_t>(neighbours[static_cast<std::size_t>(i) * k + m]) + 1];
        }
    std::partial_sum(counts.begin(), counts.end(), counts.begin());
    std::vector<std::pair<int, double>> entries(static_cast<std::size_t>(counts.back()));
    std::vector<int> fill(counts.begin(), counts.end() - 1);
    for (int i = 0; i < n; ++i)
        for (int m = 0; m < k; ++m) {
            const int j = neighbours[static_cast<std::size_t>(i) * k + m];
            const double p = conditional[static_cast<std::size_t>(i) * k + m];
            entries[static_cast<std::size_t>(fill[static_cast<std::size_t>(i)]++)] = {j, p};
            entries[static_cast<std::size_t>(fill[static_cast<std::size_t>(j)]++)] = {i, p};
        }
    SparseRows result;
    result.rowStart.assign(static_cast<std::size_t>(n) + 1, 0);
    double total = 0.0;
    for (int i = 0; i < n; ++i) {
        auto begin = entries.begin() + counts[static_cast<std::size_t>(i)];
        auto end = entries.begin() + counts[static_cast<std::size_t>(i) + 1];
        std::sort(begin, end, [](const auto& a, const auto& b) { return a.first < b.first; });
        for (auto it = begin; it != end; ++it) {
            if (!result.column.empty() &&
                static_cast<int>(result.column.size()) >
                    result.rowStart[static_cast<std::size_t>(i)] &&
                result.column.back() == it->first) {
                result.value.back() += it->second;
            } else {
                result.column.push_back(it->first);
                result.value.push_back(it->second);
            }
            total += it->second;
        }
        result.rowStart[static_cast<std::size_t>(i) + 1] = static_cast<int>(result.column.size());
    }
    for (double& v : result.value) v /= total;
    return result;
}

// Dense symmetric P for the exact method (n x n, row-major).
std::vector<double> denseInputSimilarities(const EmbeddingMatrix& x, double perplexity) {
    const auto n = static_cast<int>(x.rows());
    const auto un = static_cast<std::size_t>(n);
    std::vector<double> p(un * un, 0.0);
#pragma omp parallel
    {
        std::vector<double> distances(un - 1), row(un - 1);
#pragma omp for schedule(static)
        for (int i = 0; i < n; ++i) {
            int m = 0;
            for (int j = 0; j < n; ++j)
                if (j != i)
                    distances[static_cast<std::size_t>(m++)] =
                        (x.row(i) - x.row(j)).cast<double>().squaredNorm();
            conditionalProbabilities(distances.data(), n - 1, perplexity, row.data());
            m = 0;
            for (int j = 0; j < n; ++j)
                if (j != i)
                    p[static_cast<std::size_t>(i) * un + j] = row[static_cast<std::size_t>(m++)];
        }
    }
    double total = 0.0;
    for (std::size_t i = 0; i < un; ++i)
        for (std::size_t j = i + 1; j < un; ++j) {
            const double s = p[i * un + j] + p[j * un + i];
            p[i * un + j] = p[j * un + i] = s;
            total += 2.0 * s;
        }
    for (double& v : p) v /= total;
    return p;
}

// A point-region quadtree over the current layout, rebuilt every iteration. Nodes hold their
// centre of mass and point count; leaves hold a range of the permuted point indices (normally one
// point; several when points coincide and the depth limit stops the split).
class QuadTree {
public:
    QuadTree(const std::vector<double>& y, int n) : y_(y) {
        order_.resize(static_cast<std::size_t>(n));
        std::iota(order_.begin(), order_.end(), 0);
        double minX = std::numeric_limits<double>::max(), minY = minX;
        double maxX = std::numeric_limits<double>::lowest(), maxY = maxX;
        for (int i = 0; i < n; ++i) {
            minX = std::min(minX, x(i));
            maxX = std::max(maxX, x(i));
            minY = std::min(minY, yy(i));
            maxY = std::max(maxY, yy(i));
        }
        const double half = std::max(maxX - minX, maxY - minY) * 0.5 * (1.0 + 1e-6) + 1e-12;
        nodes_.reserve(static_cast<std::size_t>(2 * n + 8));
        nodes_.push_back({});
        build(0, 0, n, (minX + maxX) * 0.5, (minY + maxY) * 0.5, half, 0);
    }

    // Repulsive term of point i: accumulates sum_j w_ij^2 (y_i - y_j) and sum_j w_ij.
    void repulsion(int i, double theta, std::vector<int>& stack, double& forceX, double& forceY,
                   double& sumW) const {
        const double px = x(i), py = yy(i);
        const double theta2 = theta * theta;
        forceX = forceY = sumW = 0.0;
        stack.clear();
        stack.push_back(0);
        while (!stack.empty()) {
            const Node& node = nodes_[static_cast<std::size_t>(stack.back())];
            stack.pop_back();
            if (node.childCount == 0) {
                for (int r = node.begin; r < node.end; ++r) {
                    const int j = order_[static_cast<std::size_t>(r)];
                    if (j == i) continue;
                    const double dx = px - x(j), dy = py - yy(j);
                    const double w = 1.0 / (1.0 + dx * dx + dy * dy);
                    sumW += w;
                    forceX += w * w * dx;
                    forceY += w * w * dy;
                }
                continue;
            }
            const double dx = px - node.massX, dy = py - node.massY;
            const double d2 = dx * dx + dy * dy;
            const double width = 2.0 * node.half;
            if (width * width < theta2 * d2) {
                const double w = 1.0 / (1.0 + d2);
                const double mult = node.count * w;
                sumW += mult;
                forceX += mult * w * dx;
                forceY += mult * w * dy;
            } else {
                for (int c = 0; c < node.childCount; ++c) stack.push_back(node.firstChild + c);
            }
        }
    }

    // Points in tree (depth-first) order: neighbours in space are neighbours in this list, so
    // visiting points in this order lets successive traversals share cached nodes.
    const std::vector<int>& order() const { return order_; }

private:
    struct Node {
        double massX = 0.0, massY = 0.0, half = 0.0;
        int count = 0;
        int firstChild = 0, childCount = 0;
        int begin = 0, end = 0;
    };

    double x(int i) const { return y_[static_cast<std::size_t>(2 * i)]; }
    double yy(int i) const { return y_[static_cast<std::size_t>(2 * i + 1)]; }

    void build(int nodeIndex, int begin, int end, double cx, double cy, double half, int depth) {
        double sx = 0.0, sy = 0.0;
        for (int r = begin; r < end; ++r) {
            sx += x(order_[static_cast<std::size_t>(r)]);
            sy += yy(order_[static_cast<std::size_t>(r)]);
        }
        {
            Node& node = nodes_[static_cast<std::size_t>(nodeIndex)];
            node.count = end - begin;
            node.massX = sx / node.count;
            node.massY = sy / node.count;
            node.half = half;
            node.begin = begin;
            node.end = end;
        }
        if (end - begin <= 1 || depth >= 50) return;
        auto first = order_.begin() + begin, last = order_.begin() + end;
        auto ySplit = std::partition(first, last, [&](int p) { return yy(p) < cy; });
        auto xSplitLow = std::partition(first, ySplit, [&](int p) { return x(p) < cx; });
        auto xSplitHigh = std::partition(ySplit, last, [&](int p) { return x(p) < cx; });
        const std::array<std::vector<int>::iterator, 5> bounds = {first, xSplitLow, ySplit,
                                                                  xSplitHigh, last};
        const double quarter = half * 0.5;
        const std::array<double, 4> centreX = {cx - quarter, cx + quarter, cx - quarter,
                                               cx + quarter};
        const std::array<double, 4> centreY = {cy - quarter, cy - quarter, cy + quarter,
                                               cy + quarter};
        int children = 0;
        for (int q = 0; q < 4; ++q)
            if (bounds[static_cast<std::size_t>(q)] != bounds[static_cast<std::size_t>(q) + 1])
                ++children;
        const auto firstChild = static_cast<int>(nodes_.size());
        nodes_.resize(nodes_.size() + static_cast<std::size_t>(children));
        nodes_[static_cast<std::size_t>(nodeIndex)].firstChild = firstChild;
        nodes_[static_cast<std::size_t>(nodeIndex)].childCount = children;
        int child = firstChild;
        for (int q = 0; q < 4; ++q) {
            const auto qb = static_cast<std::size_t>(q);
            if (bounds[qb] == bounds[qb + 1]) continue;
            build(child++, static_cast<int>(bounds[qb] - order_.begin()),
                  static_cast<int>(bounds[qb + 1] - order_.begin()), centreX[qb], centreY[qb],
                  quarter, depth + 1);
        }
    }

    const std::vector<double>& y_;
    std::vector<int> order_;
    std::vector<Node> nodes_;
};

// Below these sizes an iteration takes well under a millisecond and OpenMP's per-region barriers
// cost more than they save (badly so when the machine is oversubscribed): run serially.
constexpr int kParallelSparsePoints = 2000;
constexpr int kParallelExactPoints = 700;

// Gradient (into `gradient`, 2n) from the sparse P and the repulsive sums F_i = sum_j w_ij^2
// (y_i - y_j) and Z = sum_{i != j} w_ij (by Barnes-Hut or interpolation); returns KL(P || Q)
// when asked.
double sparseGradient(const SparseRows& p, double exaggeration, const std::vector<double>& y, int n,
                      const std::vector<double>& repulsive, double z, std::vector<double>& gradient,
                      bool wantKl) {
    std::vector<double> klTerms(wantKl ? static_cast<std::size_t>(n) : 0U, 0.0);
#pragma omp parallel for schedule(static) if (n >= kParallelSparsePoints)
    for (int i = 0; i < n; ++i) {
        const auto ui = static_cast<std::size_t>(i);
        double ax = 0.0, ay = 0.0, kl = 0.0;
        for (int e = p.rowStart[ui]; e < p.rowStart[ui + 1]; ++e) {
            const auto j = static_cast<std::size_t>(p.column[static_cast<std::size_t>(e)]);
            const double dx = y[2 * ui] - y[2 * j], dy = y[2 * ui + 1] - y[2 * j + 1];
            const double w = 1.0 / (1.0 + dx * dx + dy * dy);
            const double pij = p.value[static_cast<std::size_t>(e)];
            ax += exaggeration * pij * w * dx;
            ay += exaggeration * pij * w * dy;
            if (wantKl && pij > 0.0) kl += pij * std::log(pij / std::max(w / z, 1e-300));
        }
        gradient[2 * ui] = ax - repulsive[2 * ui] / z;
        gradient[2 * ui + 1] = ay - repulsive[2 * ui + 1] / z;
        if (wantKl) klTerms[ui] = kl;
    }
    return wantKl ? std::accumulate(klTerms.begin(), klTerms.end(), 0.0) : 0.0;
}

// Barnes-Hut's repulsive sums (into `repulsive`, 2n); returns Z.
double barnesHutRepulsion(const std::vector<double>& y, int n, double theta,
                          std::vector<double>& repulsive) {
    const QuadTree tree(y, n);
    std::vector<double> sumW(static_cast<std::size_t>(n));
#pragma omp parallel if (n >= kParallelSparsePoints)
    {
        std::vector<int> stack;
        stack.reserve(256);
#pragma omp for schedule(dynamic, 64)
        for (int r = 0; r < n; ++r) {
            const int i = tree.order()[static_cast<std::size_t>(r)];
            const auto ui = static_cast<std::size_t>(i);
            tree.repulsion(i, theta, stack, repulsive[2 * ui], repulsive[2 * ui + 1], sumW[ui]);
        }
    }
    return std::accumulate(sumW.begin(), sumW.end(), 0.0);
}

double exactGradient(const std::vector<double>& p, double exaggeration,
                     const std::vector<double>& y, int n, std::vector<double>& w,
                     std::vector<double>& gradient, bool wantKl) {
    const auto un = static_cast<std::size_t>(n);
    std::vector<double> rowSums(un);
#pragma omp parallel for schedule(static) if (n >= kParallelExactPoints)
    for (int i = 0; i < n; ++i) {
        const auto ui = static_cast<std::size_t>(i);
        double sum = 0.0;
        for (std::size_t j = 0; j < un; ++j) {
            if (j == ui) {
                w[ui * un + j] = 0.0;
                continue;
            }
            const double dx = y[2 * ui] - y[2 * j], dy = y[2 * ui + 1] - y[2 * j + 1];
            const double value = 1.0 / (1.0 + dx * dx + dy * dy);
            w[ui * un + j] = value;
            sum += value;
        }
        rowSums[ui] = sum;
    }
    const double z = std::accumulate(rowSums.begin(), rowSums.end(), 0.0);
    std::vector<double> klTerms(wantKl ? un : 0U, 0.0);
#pragma omp parallel for schedule(static) if (n >= kParallelExactPoints)
    for (int i = 0; i < n; ++i) {
        const auto ui = static_cast<std::size_t>(i);
        double gx = 0.0, gy = 0.0, kl = 0.0;
        for (std::size_t j = 0; j < un; ++j) {
            if (j == ui) continue;
            const double wij = w[ui * un + j];
            const double pij = p[ui * un + j];
            const double strength = (exaggeration * pij - wij / z) * wij;
            gx += strength * (y[2 * ui] - y[2 * j]);
            gy += strength * (y[2 * ui + 1] - y[2 * j + 1]);
            if (wantKl && pij > 0.0) kl += pij * std::log(pij / std::max(wij / z, 1e-300));
        }
        gradient[2 * ui] = gx;
        gradient[2 * ui + 1] = gy;
        if (wantKl) klTerms[ui] = kl;
    }
    return wantKl ? std::accumulate(klTerms.begin(), klTerms.end(), 0.0) : 0.0;
}

EmbeddingMatrix toLayout(const std::vector<double>& y, int n) {
    EmbeddingMatrix layout(n, 2);
    for (int i = 0; i < n; ++i) {
        layout(i, 0) = static_cast<float>(y[static_cast<std::size_t>(2 * i)]);
        layout(i, 1) = static_cast<float>(y[static_cast<std::size_t>(2 * i + 1)]);
    }
    return layout;
}

}  // namespace

TsneResult runTsne(const EmbeddingMatrix& points, const TsneConfig& config,
                   const TsneObserver& observer) {
    const auto started = Clock::now();
    const auto n = static_cast<int>(points.rows());
    if (n < 2) throw std::invalid_argument("t-SNE needs at least 2 points");
    if (points.cols() < 1) throw std::invalid_argument("t-SNE needs at least one dimension");
    if (!(config.perplexity > 0.0)) throw std::invalid_argument("t-SNE perplexity must be > 0");
    if (config.iterations < 1) throw std::invalid_argument("t-SNE needs at least one iteration");
    if (!points.allFinite()) throw std::invalid_argument("t-SNE input holds NaN or infinity");

    TsneResult result;
    result.method = config.method;
    if (result.method == TsneMethod::Automatic)
        result.method = n <= config.exactThreshold           ? TsneMethod::Exact
                        : n <= config.interpolationThreshold ? TsneMethod::BarnesHut
                                                             : TsneMethod::Interpolation;
    result.exact = result.method == TsneMethod::Exact;
    // With k = 3 * perplexity neighbours there must be that many other points.
    result.perplexity = std::max(std::min(config.perplexity, (n - 1) / 3.0), 1e-3);
    if (n <= 3) result.perplexity = std::max(result.perplexity, 1.0);
    const double learningRate =
        config.learningRate > 0.0 ? config.learningRate : std::max(200.0, n / 12.0);

    SparseRows sparseP;
    std::vector<double> denseP, denseW;
    if (result.exact) {
        denseP = denseInputSimilarities(points, result.perplexity);
        denseW.assign(static_cast<std::size_t>(n) * static_cast<std::size_t>(n), 0.0);
    } else {
        sparseP = sparseInputSimilarities(points, std::max(result.perplexity, 1.0 / 3.0 + 1e-9));
    }

    const auto coordinates = static_cast<std::size_t>(2 * n);
    std::vector<double> y(coordinates), gradient(coordinates), update(coordinates, 0.0),
        gains(coordinates, 1.0), repulsive(result.exact ? 0U : coordinates);
    std::unique_ptr<InterpolatedRepulsion> interpolation;
    if (result.method == TsneMethod::Interpolation)
        interpolation = std::make_unique<InterpolatedRepulsion>(config.interpolation);
    Pcg32 random(config.seed);
    for (double& v : y) v = random.normal() * 1e-4;

    const int observeEvery = std::max(1, config.observeEvery);
    double kl = 0.0;
    for (int iteration = 0; iteration < config.iterations; ++iteration) {
        const double exaggeration =
            iteration < config.exaggerationIterations ? config.earlyExaggeration : 1.0;
        const double momentum = iteration < config.momentumSwitchIteration ? config.initialMomentum
                                                                           : config.finalMomentum;
        const bool last = iteration + 1 == config.iterations;
        const bool observe = observer && ((iteration + 1) % observeEvery == 0 || last);
        const bool wantKl = observe || last;
        if (result.exact) {
            kl = exactGradient(denseP, exaggeration, y, n, denseW, gradient, wantKl);
        } else {
            const double z = interpolation ? interpolation->compute(y, n, repulsive).z
                                           : barnesHutRepulsion(y, n, config.theta, repulsive);
            kl = sparseGradient(sparseP, exaggeration, y, n, repulsive, z, gradient, wantKl);
        }

        double meanX = 0.0, meanY = 0.0;
        for (std::size_t c = 0; c < coordinates; ++c) {
            const bool sameSign = (gradient[c] > 0.0) == (update[c] > 0.0);
            gains[c] = sameSign ? std::max(gains[c] * 0.8, 0.01) : gains[c] + 0.2;
            update[c] = momentum * update[c] - learningRate * gains[c] * gradient[c];
            y[c] += update[c];
            (c % 2 == 0 ? meanX : meanY) += y[c];
        }
        meanX /= n;
        meanY /= n;
        for (std::size_t c = 0; c < coordinates; c += 2) {
            y[c] -= meanX;
            y[c + 1] -= meanY;
        }
        result.iterationsRun = iteration + 1;

        if (observe) {
            const EmbeddingMatrix layout = toLayout(y, n);
            TsneProgress progress;
            progress.iteration = iteration + 1;
            progress.totalIterations = config.iterations;
            progress.elapsedSeconds = std::chrono::duration<double>(Clock::now() - started).count();
            progress.klDivergence = kl;
            progress.exact = result.exact;
            progress.layout = &layout;
            if (!observer(progress)) {
                result.stoppedEarly = !last;
                break;
            }
        }
    }
    result.layout = toLayout(y, n);
    result.klDivergence = kl;
    result.seconds = std::chrono::duration<double>(Clock::now() - started).count();
    return result;
}

}  // namespace lens
