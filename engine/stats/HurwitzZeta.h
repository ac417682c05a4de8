#pragma once
// The Hurwitz zeta function zeta(s, q) = sum_{k>=0} (k + q)^(-s), for s > 1 and q > 0: the
// normalising constant of the discrete power law P(X = x) = x^(-alpha) / zeta(alpha, x_min).
//
// Evaluated by Euler-Maclaurin summation: the first terms are summed directly until the
// argument w = q + N reaches max(10, s + 6), and the rest of the series is
//   w^(1-s)/(s-1) + w^(-s)/2 + sum_{j=1..10} B_2j/(2j)! * s(s+1)...(s+2j-2) * w^(-s-2j+1).
// Against 50-digit references (1.0001 <= s <= 30, 1 <= q <= 1e5) the relative error is below
// 1e-15. For large q no direct terms are needed: a call costs one pow() and a few products.
namespace lens {

double hurwitzZeta(double s, double q);

// The expansion alone, for q >= max(10, s + 6), given q^(-s) (which the caller often has already):
// no pow() at all. Used by the power-law fit's KS scans over thousands of distinct values.
double hurwitzZetaAsymptotic(double s, double q, double qPowMinusS);

// The argument from which the expansion alone is accurate: max(10, s + 6).
inline double hurwitzZetaAsymptoticFrom(double s) {
    return s + 6.0 > 10.0 ? s + 6.0 : 10.0;
}

}  // namespace lens
