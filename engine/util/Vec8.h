#pragma once
// Eight floats as one vector (GCC/Clang vector extensions: one AVX register with x86-64-v3,
// two SSE registers otherwise), for the hand-fused row kernels of ALS and BPMF.
#include <cstdint>
#include <cstring>
#ifdef __AVX2__
#include <immintrin.h>
#endif

namespace lens::simd {

using Vec8 = float __attribute__((vector_size(32)));
constexpr int kLanes = 8;

// Unaligned load and store of eight floats.
inline Vec8 load8(const float* src) {
    Vec8 v;
    std::memcpy(&v, src, sizeof v);
    return v;
}
inline void store8(float* dst, Vec8 v) {
    std::memcpy(dst, &v, sizeof v);
}

inline float horizontalSum(Vec8 v) {
    using Vec4 = float __attribute__((vector_size(16)));
    const Vec4 lo = __builtin_shufflevector(v, v, 0, 1, 2, 3);
    const Vec4 hi = __builtin_shufflevector(v, v, 4, 5, 6, 7);
    const Vec4 s = lo + hi;
    const Vec4 t = s + __builtin_shufflevector(s, s, 2, 3, 0, 1);
    return t[0] + t[1];
}

// The last `lanes` (1..7) floats of a row as a vector with zeros above. A masked load with AVX:
// building the vector lane by lane would stall the next full-width load of it.
inline Vec8 loadTail(const float* src, int lanes) {
#ifdef __AVX2__
    static const std::int32_t maskTable[16] = {-1, -1, -1, -1, -1, -1, -1, -1,
                                               0,  0,  0,  0,  0,  0,  0,  0};
    const __m256i mask =
        _mm256_loadu_si256(reinterpret_cast<const __m256i*>(maskTable + kLanes - lanes));
    return reinterpret_cast<Vec8>(_mm256_maskload_ps(src, mask));
#else
    Vec8 tail{};
    for (int c = 0; c < lanes; ++c) tail[c] = src[c];
    return tail;
#endif
}

}  // namespace lens::simd
