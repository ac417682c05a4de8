#include "util/HugePages.h"

#include <sys/mman.h>

#include <omp.h>

#include <algorithm>
#include <cstdint>

namespace lens {

void adviseHugePages(const void* data, std::size_t bytes) {
    constexpr std::uintptr_t kHuge = std::uintptr_t{2} << 20;
    const auto from = reinterpret_cast<std::uintptr_t>(data);
    const std::uintptr_t begin = (from + kHuge - 1) & ~(kHuge - 1);
    const std::uintptr_t end = (from + bytes) & ~(kHuge - 1);
    if (end >= begin + 2 * kHuge)
        ::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
}

void faultInParallel(void* data, std::size_t bytes) {
    constexpr std::size_t kPage = 4096, kShare = std::size_t{2} << 20;
    if (bytes < 4 * kShare || omp_get_max_threads() < 2) return;  // the resize faults them in
    // Raw storage (reserved, not yet constructed): written as bytes, one per 4 KB page.
    auto* bytesOf = static_cast<volatile unsigned char*>(data);
    const auto shares = static_cast<std::int64_t>((bytes + kShare - 1) / kShare);
#pragma omp parallel for schedule(static)
    for (std::int64_t s = 0; s < shares; ++s) {
        const std::size_t begin = static_cast<std::size_t>(s) * kShare;
        const std::size_t end = std::min(bytes, begin + kShare);
        for (std::size_t b = begin; b < end; b += kPage) bytesOf[b] = 0;
    }
}

}  // namespace lens
