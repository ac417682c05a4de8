#pragma once
// Wall time for progress reports (TrainingSnapshot seconds, elapsed, ETA).
#include <chrono>

namespace lens {

using SteadyClock = std::chrono::steady_clock;

// Seconds from `start` to now on the steady clock.
inline double secondsSince(SteadyClock::time_point start) {
    return std::chrono::duration<double>(SteadyClock::now() - start).count();
}

}  // namespace lens
