#pragma once
// The quiet NaN that marks an undefined figure (a metric a model does not have, a test with
// too little data); test with std::isnan.
#include <limits>

namespace lens {

inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

}  // namespace lens
