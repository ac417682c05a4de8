#pragma once
// A compressed sparse matrix of ratings: CSR when rows are users, CSC when rows are movies.
//
// A rating is stored as its number of half stars in one byte (0.5 -> 1, 5.0 -> 10), so a
// row costs 5 bytes per rating (4-byte column index + 1-byte rating) plus 8 bytes per row.
#include <cstdint>
#include <span>
#include <vector>

namespace lens {

using HalfStars = std::uint8_t;

inline constexpr float halfStarsToRating(HalfStars h) {
    return 0.5f * static_cast<float>(h);
}

// How a dataset's stored rating codes (one byte, 1..255) map to rating values: value = offset +
// step * code. MovieLens releases keep the default (half stars: 0.5 * code, 0.5..5). Data read
// through an interaction format (io/InteractionReader.h) gets the scale detected from its
// values (1..10 in steps of 1: offset 0, step 1); implicit feedback (no rating column) stores
// every interaction as code 1 with value 1 and `implicit` set: rating models do not apply.
struct RatingScale {
    float offset = 0.0f;
    float step = 0.5f;
    float min = 0.5f;  // smallest and largest value of the scale (predictions are clipped to it)
    float max = 5.0f;
    bool implicit = false;

    constexpr float value(HalfStars code) const { return offset + step * static_cast<float>(code); }
    constexpr float clip(float r) const { return r < min ? min : (r > max ? max : r); }
    // The mean value of n ratings whose codes sum to `codeSum` (n > 0).
    constexpr double meanOfCodes(std::uint64_t codeSum, std::uint64_t n) const {
        return static_cast<double>(offset) +
               static_cast<double>(step) * static_cast<double>(codeSum) / static_cast<double>(n);
    }
    // True for the MovieLens half-star scale (the default).
    constexpr bool isHalfStars() const {
        return !implicit && offset == 0.0f && step == 0.5f && min == 0.5f && max == 5.0f;
    }
};

struct RatingMatrix {
    std::vector<std::uint64_t> offsets;  // rows() + 1 entries; row r is [offsets[r], offsets[r+1])
    std::vector<std::uint32_t> index;    // column of each entry, ascending within a row
    std::vector<HalfStars> halfStars;    // rating of each entry in half stars (1..10)

    std::size_t rows() const { return offsets.empty() ? 0 : offsets.size() - 1; }
    std::size_t nnz() const { return index.size(); }
    std::size_t rowSize(std::size_t r) const { return offsets[r + 1] - offsets[r]; }
    std::span<const std::uint32_t> rowIndex(std::size_t r) const {
        return {index.data() + offsets[r], rowSize(r)};
    }
    std::span<const HalfStars> rowHalfStars(std::size_t r) const {
        return {halfStars.data() + offsets[r], rowSize(r)};
    }
    std::size_t memoryBytes() const {
        return offsets.capacity() * sizeof(std::uint64_t) +
               index.capacity() * sizeof(std::uint32_t) + halfStars.capacity() * sizeof(HalfStars);
    }
};

}  // namespace lens
