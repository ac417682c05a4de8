#pragma once
// The repulsive half of the t-SNE gradient by polynomial interpolation onto an equispaced grid
// and FFT convolution: FIt-SNE (Linderman, Rachh, Hoskins, Steinerberger & Kluger 2019,
// "Fast interpolation-based t-SNE for improved visualization of single-cell RNA-seq data",
// Nature Methods 16). O(n + m log m) per iteration for m grid nodes, where Barnes-Hut is
// O(n log n) with a large constant: the method for tens of thousands of points and more.
//
// With w_ij = (1 + |y_i - y_j|^2)^-1, t-SNE needs per point i
//     F_i = sum_j w_ij^2 (y_i - y_j)   and   Z = sum_{i != j} w_ij.
// Both follow from four sums with the squared kernel K(d) = (1 + |d|^2)^-2 and the charges
// q_j = 1, y_j.x, y_j.y, |y_j|^2:
//     phi_c(i) = sum_j K(y_i - y_j) q_j,c
//     F_i = y_i phi_1(i) - (phi_x(i), phi_y(i))
//     Z = sum_i [(1 + |y_i|^2) phi_1(i) - 2 y_i . (phi_x(i), phi_y(i)) + phi_|y|^2(i)] - n
// (since w = K (1 + |d|^2); the - n removes the self terms K(0) = 1). Each phi_c is computed by
//   1. a square box around the layout cut into B x B intervals of width about 1 / intervalsPerUnit
//      (at least minIntervals, rounded up to a size FFTs like), p = 3 Lagrange nodes per interval
//      and dimension, equispaced over the whole grid (M = B p nodes per dimension);
//   2. spreading each charge onto the p x p nodes of its interval with the Lagrange weights;
//   3. the grid-to-grid sums with K at the nodes: a 2D Toeplitz product, done as a circular
//      convolution of the zero-padded (2M x 2M) grids by real FFTs (FFTW);
//   4. interpolating the node potentials back to the points with the same weights.
// The grids and their FFTs are single precision (FFTW's fftwf_): half the memory traffic of
// double, and their rounding (about 1e-6 of the largest potential) stays far below the
// interpolation error. Each charge is spread by one thread in point order and every other step
// is per point or per grid, so the result does not depend on the thread count.
#include <memory>
#include <vector>

namespace lens {

struct InterpolationSettings {
    int nodesPerInterval = 4;       // p
    int minIntervals = 50;          // B at least this per dimension
    double intervalsPerUnit = 1.0;  // B about spread * this (the kernel varies on the unit scale)
    int maxIntervals = 400;  // B at most this: wider layouts get wider intervals (grids <= 41 MB)
};

struct InterpolatedRepulsionResult {
    double z = 0.0;             // sum_{i != j} w_ij
    int nodesPerDimension = 0;  // M of this call
};

// Holds FFT plans and grids between calls (re-made when the grid size changes). Not shareable
// between threads; each t-SNE run owns one.
class InterpolatedRepulsion {
public:
    explicit InterpolatedRepulsion(InterpolationSettings settings = {});
    ~InterpolatedRepulsion();
    InterpolatedRepulsion(const InterpolatedRepulsion&) = delete;
    InterpolatedRepulsion& operator=(const InterpolatedRepulsion&) = delete;

    // y: n points as x0, y0, x1, y1, ...; writes F (2n, same layout) into `forces`.
    InterpolatedRepulsionResult compute(const std::vector<double>& y, int n,
                                        std::vector<double>& forces);

private:
    struct Grid;
    InterpolationSettings settings_;
    std::unique_ptr<Grid> grid_;
    // Per-point scratch, kept between calls (a t-SNE run calls once per iteration).
    std::vector<std::size_t> firstNode_;  // 2n: each coordinate's first node
    std::vector<double> weights_;         // 2n x p Lagrange weights
    std::vector<double> zTerms_;          // n: each point's share of Z
};

// The smallest size >= n whose only prime factors are 2, 3, 5 and 7 (fast FFT lengths).
int smoothFftSize(int n);

}  // namespace lens
