#include "util/BlasCore.h"

#include <dlfcn.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

namespace lens {

namespace {

constexpr const char* kReexecMarker = "LENS_ATLAS_BLAS_CORE_CHOSEN";

bool processorRunsSkylakeXKernels() {
#if defined(__x86_64__) && defined(__GNUC__)
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512cd") &&
           __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512dq") &&
           __builtin_cpu_supports("avx512vl");
#else
    return false;
#endif
}

}  // namespace

std::string blasCoreName() {
    // Looked up at run time: the engine links LAPACK and BLAS, whichever implementation
    // Debian's alternatives provide.
    using CoreName = char* (*)();
    const auto coreName = reinterpret_cast<CoreName>(dlsym(RTLD_DEFAULT, "openblas_get_corename"));
    const char* name = coreName ? coreName() : nullptr;
    return name ? std::string(name) : std::string();
}

const char* betterBlasCore() {
    if (std::getenv("OPENBLAS_CORETYPE")) return nullptr;
    const std::string core = blasCoreName();
    if (core != "Haswell" && core != "Zen") return nullptr;
    return processorRunsSkylakeXKernels() ? "SkylakeX" : nullptr;
}

void reexecWithBetterBlasCore(char** argv) {
    if (std::getenv(kReexecMarker)) return;
    const char* core = betterBlasCore();
    if (!core) return;
    setenv(kReexecMarker, "1", 1);
    setenv("OPENBLAS_CORETYPE", core, 1);
    execv("/proc/self/exe", argv);
    // exec failed (no /proc): carry on with the kernels OpenBLAS chose.
    unsetenv("OPENBLAS_CORETYPE");
}

}  // namespace lens
