#include "stats/HurwitzZeta.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace lens {

namespace {
// B_2j / (2j)! for j = 1..10 (Bernoulli numbers 1/6, -1/30, 1/42, -1/30, 5/66, -691/2730, 7/6,
// -3617/510, 43867/798, -174611/330).
constexpr double kBernoulliOverFactorial[] = {
    1.0 / 12.0,
    -1.0 / 720.0,
    1.0 / 30240.0,
    -1.0 / 1209600.0,
    1.0 / 47900160.0,
    -691.0 / 1307674368000.0,
    1.0 / 74724249600.0,
    -3617.0 / 510.0 / 20922789888000.0,
    43867.0 / 798.0 / 6402373705728000.0,
    -174611.0 / 330.0 / 2432902008176640000.0,
};
}  // namespace

double hurwitzZetaAsymptotic(double s, double w, double wPowMinusS) {
    double tail = w * wPowMinusS / (s - 1.0) + 0.5 * wPowMinusS;
    // term_j = s(s+1)...(s+2j-2) * w^(-s-2j+1); term_1 = s * w^(-s-1).
    const double invW2 = 1.0 / (w * w);
    double term = s * wPowMinusS / w;
    double rising = s;  // last factor of the rising product
    for (double coefficient : kBernoulliOverFactorial) {
        tail += coefficient * term;
        term *= (rising + 1.0) * (rising + 2.0) * invW2;
        rising += 2.0;
    }
    return tail;
}

double hurwitzZeta(double s, double q) {
    if (!(s > 1.0) || !(q > 0.0)) return std::numeric_limits<double>::quiet_NaN();
    double sum = 0.0;
    double w = q;
    // The expansion's terms shrink like ((s + 2j) / (2 pi w))^2: start it where w >= s + 6.
    const double directUntil = hurwitzZetaAsymptoticFrom(s);
    while (w < directUntil) {
        sum += std::pow(w, -s);
        w += 1.0;
    }
    return sum + hurwitzZetaAsymptotic(s, w, std::pow(w, -s));
}

}  // namespace lens
