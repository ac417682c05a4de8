#pragma once
// Heap bytes live through the global operator new of the engine tests' executable, and their peak:
// HeapCount.cpp replaces ::operator new(size_t) and ::operator delete (every std::vector, string
// and node goes through them; over-aligned `new` and Eigen's own aligned buffers do not) and counts
// malloc_usable_size of each block. Unlike the resident set (VmHWM), the figure does not depend on
// the machine: page size, transparent huge pages, malloc arenas per core, the kernel's accounting.
// Not available under a sanitizer, whose runtime owns operator new (tests skip there).
#include <cstdint>

namespace lens::test {

struct HeapCount {
    static bool available();
    static std::int64_t liveBytes();
    static std::int64_t peakBytes();
    // Sets the peak to the bytes live now.
    static void resetPeak();
};

}  // namespace lens::test
