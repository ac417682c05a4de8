#include "util/HugePages.h"

#include <sys/mman.h>

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

}  // namespace lens
