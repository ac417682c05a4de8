#include "HeapCount.h"

#include <malloc.h>

#include <atomic>
#include <cstdlib>
#include <new>

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define LENS_HEAP_COUNT 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define LENS_HEAP_COUNT 0
#endif
#endif
#ifndef LENS_HEAP_COUNT
#define LENS_HEAP_COUNT 1
#endif

namespace {
std::atomic<std::int64_t> live{0};
std::atomic<std::int64_t> peak{0};

[[maybe_unused]] void added(void* p) {  // unused where the sanitizer owns operator new
    const auto now = live.fetch_add(static_cast<std::int64_t>(malloc_usable_size(p)),
                                    std::memory_order_relaxed) +
                     static_cast<std::int64_t>(malloc_usable_size(p));
    auto seen = peak.load(std::memory_order_relaxed);
    while (now > seen && !peak.compare_exchange_weak(seen, now, std::memory_order_relaxed)) {
    }
}
}  // namespace

#if LENS_HEAP_COUNT
// The replaceable allocation functions ([new.delete.single]); libstdc++'s array and nothrow forms
// call these.
void* operator new(std::size_t size) {
    void* p = std::malloc(size ? size : 1);
    if (!p) throw std::bad_alloc();
    added(p);
    return p;
}
void operator delete(void* p) noexcept {
    if (!p) return;
    live.fetch_sub(static_cast<std::int64_t>(malloc_usable_size(p)), std::memory_order_relaxed);
    std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
    operator delete(p);
}
#endif

namespace lens::test {

bool HeapCount::available() {
    return LENS_HEAP_COUNT != 0;
}
std::int64_t HeapCount::liveBytes() {
    return live.load();
}
std::int64_t HeapCount::peakBytes() {
    return peak.load();
}
void HeapCount::resetPeak() {
    peak.store(live.load());
}

}  // namespace lens::test
