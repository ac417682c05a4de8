#pragma once
// References for the BPMF tests (tst_bpmf, tst_bpmf_sampler): dense double algebra written out
// with loops (no Eigen), a well-conditioned prior, one row's conditional from the formulas.
#include <cmath>
#include <cstdint>
#include <vector>

#include "models/AlsKernels.h"
#include "models/BpmfSampler.h"

namespace lens::test::bpmf {

using Dense = std::vector<std::vector<double>>;

// Inverse by Gauss-Jordan elimination with partial pivoting (no Eigen).
inline Dense inverse(Dense a) {
    const std::size_t n = a.size();
    Dense inv(n, std::vector<double>(n, 0.0));
    for (std::size_t i = 0; i < n; ++i) inv[i][i] = 1.0;
    for (std::size_t c = 0; c < n; ++c) {
        std::size_t p = c;
        for (std::size_t r = c + 1; r < n; ++r)
            if (std::fabs(a[r][c]) > std::fabs(a[p][c])) p = r;
        std::swap(a[c], a[p]);
        std::swap(inv[c], inv[p]);
        const double d = a[c][c];
        for (std::size_t j = 0; j < n; ++j) {
            a[c][j] /= d;
            inv[c][j] /= d;
        }
        for (std::size_t r = 0; r < n; ++r) {
            if (r == c) continue;
            const double f = a[r][c];
            for (std::size_t j = 0; j < n; ++j) {
                a[r][j] -= f * a[c][j];
                inv[r][j] -= f * inv[c][j];
            }
        }
    }
    return inv;
}

inline std::vector<double> times(const Dense& m, const std::vector<double>& v) {
    std::vector<double> out(m.size(), 0.0);
    for (std::size_t i = 0; i < m.size(); ++i)
        for (std::size_t j = 0; j < v.size(); ++j) out[i] += m[i][j] * v[j];
    return out;
}

// A fixed symmetric positive definite k x k matrix and a mean.
inline GaussianHyper someHyper(int k) {
    GaussianHyper h;
    h.mean.resize(k);
    h.precision.resize(k, k);
    for (int i = 0; i < k; ++i) {
        h.mean[i] = 0.1f * static_cast<float>(i) - 0.15f;
        for (int j = 0; j < k; ++j)
            h.precision(i, j) = (i == j ? 1.5f : 0.0f) + 0.2f / static_cast<float>(1 + i + j);
    }
    return h;
}

// The conditional of one row from the formulas: precision and mean in double.
struct RowReference {
    Dense precision;
    std::vector<double> mean;
};
// With biases the other side's last column is b_j: features [q_j, 1], targets r - mu - b_j.
inline RowReference rowReference(const std::vector<std::uint32_t>& items,
                                 const std::vector<float>& ratings, const FactorMatrix& other,
                                 double alpha, double mu, const GaussianHyper& h,
                                 bool biases = false) {
    const auto k = static_cast<std::size_t>(other.cols());
    RowReference ref;
    ref.precision.assign(k, std::vector<double>(k, 0.0));
    std::vector<double> rhs(k, 0.0);
    for (std::size_t a = 0; a < k; ++a) {
        for (std::size_t b = 0; b < k; ++b) {
            ref.precision[a][b] =
                h.precision(static_cast<Eigen::Index>(a), static_cast<Eigen::Index>(b));
            rhs[a] += ref.precision[a][b] * h.mean[static_cast<Eigen::Index>(b)];
        }
    }
    for (std::size_t j = 0; j < items.size(); ++j) {
        std::vector<double> z(k);
        for (std::size_t a = 0; a < k; ++a) z[a] = other(items[j], static_cast<Eigen::Index>(a));
        double t = ratings[j] - mu;
        if (biases) {
            t -= z[k - 1];
            z[k - 1] = 1.0;
        }
        for (std::size_t a = 0; a < k; ++a) {
            rhs[a] += alpha * z[a] * t;
            for (std::size_t b = 0; b < k; ++b) ref.precision[a][b] += alpha * z[a] * z[b];
        }
    }
    ref.mean = times(inverse(ref.precision), rhs);
    return ref;
}

// A row's ratings: rows first, first + step, ... below `rows`, each rated 0.5 + 0.5 (j mod 10).
inline void spacedRatings(std::uint32_t first, std::uint32_t rows, std::uint32_t step,
                          std::vector<std::uint32_t>& items, std::vector<float>& ratings) {
    for (std::uint32_t j = first; j < rows; j += step) {
        items.push_back(j);
        ratings.push_back(0.5f + 0.5f * static_cast<float>(j % 10));
    }
}

inline FactorMatrix randomFactors(Eigen::Index rows, Eigen::Index k, std::uint64_t seed) {
    FactorMatrix m(rows, k);
    initFactors(m, 0.7f, seed, 0);
    return m;
}

}  // namespace lens::test::bpmf
