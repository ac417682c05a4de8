#pragma once
// Corrections of a family of p-values for multiple comparisons (the Compare stage tests every
// metric, or every pair of models, at once).
//
// Holm's step-down procedure (Holm 1979) controls the family-wise error rate at alpha for any
// dependence between the tests. With the m p-values sorted ascending, p_(1) <= .. <= p_(m),
// the adjusted values are
//   p~_(i) = min(1, max_{j <= i} (m - j + 1) p_(j)),
// returned in the input order (ties keep their input order; equal p-values get equal adjusted
// values). Rejecting every hypothesis with p~ <= alpha is Holm's procedure at level alpha.
// NaN entries (an undefined test) stay NaN and do not count in m. Inputs must lie in [0, 1]
// or be NaN (std::invalid_argument otherwise).
//
// Bonferroni (for reference): p~_i = min(1, m p_i).
#include <span>
#include <vector>

namespace lens {

std::vector<double> holmAdjust(std::span<const double> pValues);
std::vector<double> bonferroniAdjust(std::span<const double> pValues);

}  // namespace lens
