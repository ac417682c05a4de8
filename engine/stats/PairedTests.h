#pragma once
// Paired significance tests of two models' per-user metric values (the Compare stage). Both
// tests work on the differences d_i = a_i - b_i (a minus b, like scipy's ttest_rel(a, b) and
// wilcoxon(a, b)); a positive mean difference means a scores higher. The vectors must be
// aligned by user and hold finite values (std::invalid_argument otherwise).
//
// Paired t-test (Student 1908), n = number of pairs, df = n - 1:
//   dbar = (1/n) sum d_i,   s = sqrt( sum (d_i - dbar)^2 / (n - 1) ),   se = s / sqrt(n),
//   t = dbar / se,   p = 2 P(T_df >= |t|)   (boost::math::students_t),
//   CI = dbar -/+ t_{df, (1 + c) / 2} * se   (c = confidence, 0.95 by default),
//   Cohen's d_z = dbar / s   (the standardised mean difference of paired data).
// With n < 2 everything but dbar is NaN. With s = 0 the test is degenerate: t = +-inf and
// p = 0 when dbar != 0 (d_z = +-inf, the CI is [dbar, dbar]); t, p and d_z are NaN when every
// difference is 0 (as scipy gives).
//
// Wilcoxon signed-rank test (Wilcoxon 1945), two-sided, scipy's defaults:
// - zero differences are dropped (zero_method 'wilcox'); n = the non-zero differences;
// - the |d_i| are ranked 1..n with tied values given their average rank; R+ = sum of the
//   ranks of positive d_i, R- = sum for negative d_i, R+ + R- = n (n + 1) / 2;
//   statistic T = min(R+, R-);
// - exact p (no ties, no zeros, n <= 50; scipy method='exact'): under H0 every sign pattern
//   is equally likely, so P(R+ = s) = c_n(s) / 2^n, with c_n(s) the number of subsets of
//   {1..n} summing to s; p = min(1, 2 min(P(R+ <= r), P(R+ >= r))) at r = R+, and p = 1
//   when r is the centre floor(n (n + 1) / 4);
// - normal approximation otherwise (scipy method='approx', correction=True):
//   mu = n (n + 1) / 4,  sigma^2 = [ n (n + 1)(2n + 1) - (1/2) sum_j t_j (t_j^2 - 1) ] / 24
//   over the groups of t_j tied |d|, z = (T - mu - 0.5 sign(T - mu)) / sigma (the continuity
//   correction; without it the 0.5 term is dropped), p = 2 (1 - Phi(|z|)) (boost::math::normal).
//   Like scipy and R, data with zeros or ties get the approximation even when n is small.
// - effect size: the matched-pairs rank-biserial correlation r = (R+ - R-) / (R+ + R-)
//   (Kerby 2014), in [-1, 1].
// With no non-zero difference the test is undefined: n = 0 and statistic, z and p are NaN.
#include <cstddef>
#include <span>

namespace lens {

struct PairedTTestResult {
    std::size_t n = 0;            // pairs
    double meanDifference = 0.0;  // dbar = mean(a - b)
    double sdDifference = 0.0;    // s (n - 1 denominator)
    double standardError = 0.0;   // s / sqrt(n)
    double t = 0.0;
    double df = 0.0;
    double pValue = 1.0;  // two-sided
    double confidence = 0.95;
    double ciLower = 0.0;  // t-based interval of the mean difference
    double ciUpper = 0.0;
    double cohensDz = 0.0;  // dbar / s
};

PairedTTestResult pairedTTest(std::span<const double> a, std::span<const double> b,
                              double confidence = 0.95);

enum class WilcoxonMethod {
    Auto,    // exact when n <= 50 with no ties and no zeros, else the normal approximation
    Exact,   // exact when possible (no ties, no zeros, n <= kWilcoxonExactLimit), else approx
    Approx,  // the normal approximation always
};

struct WilcoxonResult {
    std::size_t n = 0;          // non-zero differences (ranked)
    std::size_t zeros = 0;      // zero differences dropped
    bool ties = false;          // some |d| tied
    bool exact = false;         // p from the exact distribution (else normal approximation)
    double rPlus = 0.0;         // rank sum of positive differences
    double rMinus = 0.0;        // rank sum of negative differences
    double statistic = 0.0;     // T = min(R+, R-)
    double z = 0.0;             // NaN when exact
    double pValue = 1.0;        // two-sided
    double rankBiserial = 0.0;  // (R+ - R-) / (R+ + R-)
};

WilcoxonResult wilcoxonSignedRank(std::span<const double> a, std::span<const double> b,
                                  WilcoxonMethod method = WilcoxonMethod::Auto,
                                  bool continuityCorrection = true);

// Largest n for which WilcoxonMethod::Auto uses the exact distribution (as scipy's 'auto').
inline constexpr std::size_t kWilcoxonExactMaxN = 50;
// Largest n for which WilcoxonMethod::Exact computes the exact distribution (O(n^3) work;
// the subset counts stay finite in a double up to n = 1000, exact as integers up to n = 52
// and to a relative 1e-15 beyond).
inline constexpr std::size_t kWilcoxonExactLimit = 400;

}  // namespace lens
