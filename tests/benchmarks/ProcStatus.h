#pragma once
// The benchmarks' memory figures: a field of /proc/self/status (VmRSS:, VmHWM:) in KiB; and
// the process's CPU seconds (all threads), robust when other processes share the machine.
#include <time.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>

namespace lens::bench {

// The field's value in KiB, or -1 where the file or the field is absent.
inline long procStatusKiB(const char* key) {
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind(key, 0) == 0) return std::atol(line.c_str() + std::strlen(key));
    return -1;
}

// The same in MiB, 0 where absent.
inline double procStatusMb(const char* key) {
    const long kib = procStatusKiB(key);
    return kib < 0 ? 0.0 : static_cast<double>(kib) / 1024.0;
}

// CPU seconds of all the process's threads so far.
inline double processCpuSeconds() {
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

}  // namespace lens::bench
