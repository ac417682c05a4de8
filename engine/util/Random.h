#pragma once
// Specified pseudo-random generators and our own sampling, so that a seed gives the same
// splits, data and models on every machine (the standard library's distributions differ
// between implementations; its engines do not, but we keep one small generator everywhere).
//
// SplitMix64 (Steele, Lea & Flood 2014) seeds and derives streams; Pcg32 (O'Neill 2014,
// XSH-RR 64/32) is the workhorse.
#include <cmath>
#include <cstdint>
#include <numbers>

namespace lens {

inline std::uint64_t splitmix64(std::uint64_t& state) {
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

// A stateless hash of (seed, stream): the seed of an independent sub-stream, e.g. per user,
// so parallel loops draw the same numbers whatever the thread count.
inline std::uint64_t deriveSeed(std::uint64_t seed, std::uint64_t stream) {
    std::uint64_t s = seed ^ (stream * 0xD1B54A32D192ED03ULL);
    splitmix64(s);
    return splitmix64(s);
}

class Pcg32 {
public:
    using result_type = std::uint32_t;
    explicit Pcg32(std::uint64_t seed = 0x853C49E6748FEA9BULL,
                   std::uint64_t stream = 0xDA3E39CB94B95BDBULL) {
        state_ = 0;
        inc_ = (stream << 1U) | 1U;
        next();
        state_ += seed;
        next();
    }
    static constexpr result_type min() { return 0; }
    static constexpr result_type max() { return UINT32_MAX; }
    result_type operator()() { return next(); }

    std::uint32_t next() {
        const std::uint64_t old = state_;
        state_ = old * 6364136223846793005ULL + inc_;
        const auto xorshifted = static_cast<std::uint32_t>(((old >> 18U) ^ old) >> 27U);
        const auto rot = static_cast<std::uint32_t>(old >> 59U);
        return (xorshifted >> rot) | (xorshifted << ((32U - rot) & 31U));
    }
    // Uniform integer in [0, bound) without modulo bias (Lemire's method).
    std::uint32_t below(std::uint32_t bound) {
        std::uint64_t m = static_cast<std::uint64_t>(next()) * bound;
        auto low = static_cast<std::uint32_t>(m);
        if (low < bound) {
            const std::uint32_t threshold = (0U - bound) % bound;
            while (low < threshold) {
                m = static_cast<std::uint64_t>(next()) * bound;
                low = static_cast<std::uint32_t>(m);
            }
        }
        return static_cast<std::uint32_t>(m >> 32U);
    }
    // Uniform double in [0, 1) with 53 random bits.
    double uniform() {
        const std::uint64_t hi = next() >> 5U, lo = next() >> 6U;
        return (static_cast<double>(hi) * 67108864.0 + static_cast<double>(lo)) *
               (1.0 / 9007199254740992.0);
    }
    // Standard normal by Box-Muller (one value per call; deterministic, no cached pair).
    double normal() {
        double u1 = uniform();
        while (u1 <= 0.0) u1 = uniform();
        const double u2 = uniform();
        return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
    }
    // Two independent standard normals by Marsaglia's polar method (a point uniform in the unit
    // disc, one logarithm and no trigonometry per pair), for kernels that draw many.
    void normalPair(double& first, double& second) {
        double u = 0.0, v = 0.0, s = 0.0;
        do {
            u = 2.0 * uniform() - 1.0;
            v = 2.0 * uniform() - 1.0;
            s = u * u + v * v;
        } while (s >= 1.0 || s == 0.0);
        const double scale = std::sqrt(-2.0 * std::log(s) / s);
        first = u * scale;
        second = v * scale;
    }

private:
    std::uint64_t state_;
    std::uint64_t inc_;
};

}  // namespace lens
