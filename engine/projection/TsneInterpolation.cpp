#include "projection/TsneInterpolation.h"

#include <fftw3.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <complex>
#include <cstring>
#include <limits>
#include <mutex>
#include <stdexcept>

namespace lens {
namespace {

constexpr int kCharges = 4;  // 1, x, y, |y|^2
// Below this many points the per-point loops run serially (an OpenMP region costs more).
constexpr int kParallelPoints = 2000;

// FFTW's planner keeps global state: plans are made and destroyed one at a time (executing a
// plan on new arrays is thread-safe).
std::mutex& plannerMutex() {
    static std::mutex mutex;
    return mutex;
}

}  // namespace

// Arrays from fftwf_malloc (aligned as FFTW's SIMD code wants), freed by fftwf_free. In a named
// namespace: the Grid below holds them.
namespace fftw {
template <typename T>
struct FftwFree {
    void operator()(T* p) const { fftwf_free(p); }
};
template <typename T>
using FftwArray = std::unique_ptr<T[], FftwFree<T>>;

template <typename T>
FftwArray<T> fftwArray(std::size_t count) {
    auto* p = static_cast<T*>(fftwf_malloc(sizeof(T) * count));
    if (!p) throw std::bad_alloc();
    return FftwArray<T>(p);
}
}  // namespace fftw
using fftw::FftwArray;
using fftw::fftwArray;

int smoothFftSize(int n) {
    for (int candidate = std::max(n, 1);; ++candidate) {
        int rest = candidate;
        for (const int prime : {2, 3, 5, 7})
            while (rest % prime == 0) rest /= prime;
        if (rest == 1) return candidate;
    }
}

// Grids and plans for one node count M: per charge a 2M x 2M real grid (the zero-padded
// charges, then the potentials) transformed in place, so each row is padded to 2 (M + 1)
// floats to hold its half-spectrum; the kernel likewise, transformed once per node spacing.
//
// A charge grid is non-zero in its first M rows only, and only the first M rows of the result
// are read: its 2D transform is done as real transforms of those M rows, then complex
// transforms of the M + 1 columns, and back as columns, then the first M rows. The other M
// rows' row transforms (a quarter of the work) are skipped.
struct InterpolatedRepulsion::Grid {
    int m = 0, pad = 0;
    std::size_t stride = 0;        // floats per row: 2 (M + 1)
    std::size_t size = 0;          // floats per grid: 2M rows
    std::size_t spectrumSize = 0;  // complex values per grid: 2M (M + 1)
    FftwArray<float> kernel;
    std::array<FftwArray<float>, kCharges> charges;
    double kernelSpacing = 0.0;          // the node spacing the kernel's spectrum was made for
    fftwf_plan kernelForward = nullptr;  // full 2D real transform (the kernel fills the grid)
    fftwf_plan rowsForward = nullptr, columnsForward = nullptr;
    fftwf_plan columnsInverse = nullptr, rowsInverse = nullptr;

    explicit Grid(int nodes) : m(nodes), pad(2 * nodes) {
        stride = 2 * static_cast<std::size_t>(m + 1);
        size = static_cast<std::size_t>(pad) * stride;
        spectrumSize = size / 2;
        kernel = fftwArray<float>(size);
        for (auto& grid : charges) grid = fftwArray<float>(size);
        float* data = charges[0].get();
        auto* spectrum = reinterpret_cast<fftwf_complex*>(data);
        const int realDistance = static_cast<int>(stride), complexDistance = m + 1;
        // FFTW_ESTIMATE: no trial runs (which would overwrite the arrays and take time), and
        // the same plan, hence the same result, every time.
        const std::lock_guard lock(plannerMutex());
        kernelForward = fftwf_plan_dft_r2c_2d(pad, pad, data, spectrum, FFTW_ESTIMATE);
        rowsForward = fftwf_plan_many_dft_r2c(1, &pad, m, data, nullptr, 1, realDistance, spectrum,
                                              nullptr, 1, complexDistance, FFTW_ESTIMATE);
        columnsForward =
            fftwf_plan_many_dft(1, &pad, m + 1, spectrum, nullptr, complexDistance, 1, spectrum,
                                nullptr, complexDistance, 1, FFTW_FORWARD, FFTW_ESTIMATE);
        columnsInverse =
            fftwf_plan_many_dft(1, &pad, m + 1, spectrum, nullptr, complexDistance, 1, spectrum,
                                nullptr, complexDistance, 1, FFTW_BACKWARD, FFTW_ESTIMATE);
        rowsInverse = fftwf_plan_many_dft_c2r(1, &pad, m, spectrum, nullptr, 1, complexDistance,
                                              data, nullptr, 1, realDistance, FFTW_ESTIMATE);
        if (!kernelForward || !rowsForward || !columnsForward || !columnsInverse || !rowsInverse) {
            destroyPlans();
            throw std::runtime_error("t-SNE: FFTW could not plan a transform of the grid");
        }
    }
    ~Grid() {
        const std::lock_guard lock(plannerMutex());
        destroyPlans();
    }
    Grid(const Grid&) = delete;
    Grid& operator=(const Grid&) = delete;

    void destroyPlans() {
        for (fftwf_plan plan :
             {kernelForward, rowsForward, columnsForward, columnsInverse, rowsInverse})
            if (plan) fftwf_destroy_plan(plan);
    }

    // grid (zero from row M on) -> its spectrum, in place.
    void transform(float* grid) const {
        auto* spectrum = reinterpret_cast<fftwf_complex*>(grid);
        fftwf_execute_dft_r2c(rowsForward, grid, spectrum);
        fftwf_execute_dft(columnsForward, spectrum, spectrum);
    }
    // spectrum -> the first M rows of the (unscaled) inverse, in place.
    void inverseTransform(float* grid) const {
        auto* spectrum = reinterpret_cast<fftwf_complex*>(grid);
        fftwf_execute_dft(columnsInverse, spectrum, spectrum);
        fftwf_execute_dft_c2r(rowsInverse, spectrum, grid);
    }

    // The kernel K(d) = (1 + |d|^2)^-2 at node offsets, laid out circulantly (offset d at index
    // d, -d at 2M - d; offset M is never needed), then its spectrum.
    void makeKernel(double spacing) {
        const auto m2 = static_cast<std::size_t>(m), p2 = static_cast<std::size_t>(pad);
        for (std::size_t r = 0; r < p2; ++r) {
            const double dr = r < m2 ? static_cast<double>(r) : static_cast<double>(p2 - r);
            for (std::size_t c = 0; c < p2; ++c) {
                const double dc = c < m2 ? static_cast<double>(c) : static_cast<double>(p2 - c);
                const double base = 1.0 + spacing * spacing * (dr * dr + dc * dc);
                kernel[r * stride + c] =
                    (r == m2 || c == m2) ? 0.0F : static_cast<float>(1.0 / (base * base));
            }
        }
        fftwf_execute_dft_r2c(kernelForward, kernel.get(),
                              reinterpret_cast<fftwf_complex*>(kernel.get()));
        kernelSpacing = spacing;
    }
};

InterpolatedRepulsion::InterpolatedRepulsion(InterpolationSettings settings) : settings_(settings) {
    if (settings_.nodesPerInterval < 2 || settings_.minIntervals < 1 ||
        !(settings_.intervalsPerUnit > 0.0))
        throw std::invalid_argument("t-SNE interpolation: bad grid settings");
}

InterpolatedRepulsion::~InterpolatedRepulsion() = default;

InterpolatedRepulsionResult InterpolatedRepulsion::compute(const std::vector<double>& y, int n,
                                                           std::vector<double>& forces) {
    const int p = settings_.nodesPerInterval;
    double lo = std::numeric_limits<double>::max(), hi = std::numeric_limits<double>::lowest();
    for (std::size_t c = 0; c < static_cast<std::size_t>(2 * n); ++c) {
        if (!std::isfinite(y[c]))
            throw std::runtime_error("t-SNE: the layout diverged (try a lower learning rate)");
        lo = std::min(lo, y[c]);
        hi = std::max(hi, y[c]);
    }
    // A square box: the kernel is isotropic, so both dimensions share one node spacing. A layout
    // wider than minIntervals units gets intervals of exactly 1 / intervalsPerUnit (as many as
    // cover it, rounded up to a fast FFT size): the kernel's spectrum then stays valid while the
    // layout grows within the grid. A narrower one is cut into minIntervals finer intervals, and
    // one wider than maxIntervals units into maxIntervals wider ones (memory stays bounded).
    const double spread = std::max(hi - lo, 1e-9);
    const double units = spread * settings_.intervalsPerUnit;
    const int most = std::max(settings_.maxIntervals, settings_.minIntervals);
    const bool wide = units >= settings_.minIntervals && units <= most;
    const int intervals = wide ? std::min(smoothFftSize(static_cast<int>(std::ceil(units))), most)
                          : units < settings_.minIntervals ? smoothFftSize(settings_.minIntervals)
                                                           : most;
    const double boxWidth =
        wide ? std::max(1.0 / settings_.intervalsPerUnit, spread / intervals) : spread / intervals;
    const int m = intervals * p;
    if (!grid_ || grid_->m != m) {
        grid_.reset();  // release the old grids before the new ones are allocated
        grid_ = std::make_unique<Grid>(m);
    }
    Grid& g = *grid_;
    const double spacing = boxWidth / p;
    if (g.kernelSpacing != spacing) g.makeKernel(spacing);

    // Lagrange weights of each point's p nodes per dimension (nodes at (a + 1/2) / p of its box).
    std::vector<double> denominators(static_cast<std::size_t>(p));
    for (int a = 0; a < p; ++a) {
        double d = 1.0;
        for (int b = 0; b < p; ++b)
            if (b != a) d *= static_cast<double>(a - b) / p;
        denominators[static_cast<std::size_t>(a)] = d;
    }
    const auto up = static_cast<std::size_t>(p);
    firstNode_.resize(static_cast<std::size_t>(2 * n));
    weights_.resize(static_cast<std::size_t>(2 * n) * up);
    std::size_t* firstNode = firstNode_.data();
    double* weights = weights_.data();
#pragma omp parallel for schedule(static) if (n >= kParallelPoints)
    for (int c = 0; c < 2 * n; ++c) {
        const auto uc = static_cast<std::size_t>(c);
        const double position = (y[uc] - lo) / boxWidth;
        const int box = std::min(static_cast<int>(position), intervals - 1);
        const double within = position - box;  // in [0, 1]
        firstNode[uc] = static_cast<std::size_t>(box * p);
        double* w = &weights[uc * up];
        for (int a = 0; a < p; ++a) {
            double numerator = 1.0;
            for (int b = 0; b < p; ++b)
                if (b != a) numerator *= within - (b + 0.5) / p;
            w[a] = numerator / denominators[static_cast<std::size_t>(a)];
        }
    }

    // Per charge (one task each, in parallel): spread it onto its grid in point order, then
    // convolve with the kernel by FFT. Every grid is summed by one thread in one order, so the
    // result does not depend on the thread count.
    const double scale = 1.0 / (static_cast<double>(g.pad) * static_cast<double>(g.pad));
#pragma omp parallel for schedule(static, 1)
    for (int c = 0; c < kCharges; ++c) {
        float* grid = g.charges[static_cast<std::size_t>(c)].get();
        std::memset(grid, 0, g.size * sizeof(float));
        for (int i = 0; i < n; ++i) {
            const auto ux = static_cast<std::size_t>(2 * i), uy = ux + 1;
            const double charge = c == 0   ? 1.0
                                  : c == 1 ? y[ux]
                                  : c == 2 ? y[uy]
                                           : y[ux] * y[ux] + y[uy] * y[uy];
            const double* wx = &weights[ux * up];
            const double* wy = &weights[uy * up];
            for (std::size_t b = 0; b < up; ++b) {
                float* row = grid + (firstNode[uy] + b) * g.stride + firstNode[ux];
                const double rowCharge = wy[b] * charge;
                for (std::size_t a = 0; a < up; ++a)
                    row[a] += static_cast<float>(wx[a] * rowCharge);
            }
        }
        g.transform(grid);
        auto* s = reinterpret_cast<std::complex<float>*>(grid);
        const auto* k = reinterpret_cast<const std::complex<float>*>(g.kernel.get());
        for (std::size_t e = 0; e < g.spectrumSize; ++e) s[e] *= k[e] * static_cast<float>(scale);
        g.inverseTransform(grid);
    }

    // Potentials back at the points, then forces and each point's share of Z.
    zTerms_.resize(static_cast<std::size_t>(n));
    double* zTerms = zTerms_.data();
#pragma omp parallel for schedule(static) if (n >= kParallelPoints)
    for (int i = 0; i < n; ++i) {
        const auto ux = static_cast<std::size_t>(2 * i), uy = ux + 1;
        const double* wx = &weights[ux * up];
        const double* wy = &weights[uy * up];
        std::array<double, kCharges> phi{};
        for (std::size_t b = 0; b < up; ++b) {
            const std::size_t row = (firstNode[uy] + b) * g.stride + firstNode[ux];
            for (std::size_t a = 0; a < up; ++a) {
                const double w = wx[a] * wy[b];
                for (std::size_t c = 0; c < kCharges; ++c) phi[c] += w * g.charges[c][row + a];
            }
        }
        const double px = y[ux], py = y[uy];
        forces[ux] = px * phi[0] - phi[1];
        forces[uy] = py * phi[0] - phi[2];
        zTerms[static_cast<std::size_t>(i)] =
            (1.0 + px * px + py * py) * phi[0] - 2.0 * (px * phi[1] + py * phi[2]) + phi[3];
    }
    double z = -static_cast<double>(n);
    for (const double term : zTerms_) z += term;
    return {z, m};
}

}  // namespace lens
