#pragma once
// The fast scanner of one ratings line (io/RatingsParser.cpp's inner loop): ids and timestamps
// read 8 digits per load, "d.0"/"d.5" ratings without a loop. Internal to the ratings parser.
#include <bit>
#include <cstdint>
#include <cstring>
#include <limits>

#include "data/RatingMatrix.h"
#include "io/RatingsParser.h"

namespace lens::ratings_line {

inline constexpr std::uint64_t kInt64Max =
    static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());

// Bytes readable past the sentinel that ends every buffer the line parser sees: it loads 8
// bytes at a time and may look past the line end (never past this padding).
constexpr std::size_t kPadding = 16;

static_assert(std::endian::native == std::endian::little,
              "the digit scanner assumes little-endian");

inline std::uint64_t load8(const char* p) {
    std::uint64_t w;
    std::memcpy(&w, p, sizeof w);
    return w;
}

// Nonzero in each byte of w (little-endian: byte 0 is p[0]) that is not an ASCII digit, in
// every byte up to the first such one at least (a carry may mark bytes after it too).
inline std::uint64_t nonDigitBytes(std::uint64_t w) {
    constexpr std::uint64_t kHigh = 0xF0F0F0F0F0F0F0F0, kSix = 0x0606060606060606;
    // A digit is 0x30..0x39: high nibble 3, and adding 6 keeps it 3.
    return ((w & kHigh) | (((w + kSix) & kHigh) >> 4)) ^ 0x3333333333333333;
}

// The value of 8 digit values (0..9, one per byte, most significant in byte 0).
inline std::uint64_t eightDigits(std::uint64_t v) {
    v = v * 10 + (v >> 8);
    return ((v & 0x000000FF000000FF) * (100 + (std::uint64_t{1000000} << 32)) +
            ((v >> 16) & 0x000000FF000000FF) * (1 + (std::uint64_t{10000} << 32))) >>
           32;
}

// Reads an unsigned decimal of at most 19 digits ending at a non-digit; false if none or too
// long. Up to 8 digits take one 8-byte load and no branch per digit (ids are 1 to 6 digits
// long, so a loop per digit mispredicts its end on most fields).
[[gnu::always_inline]] inline bool readUnsigned(const char*& p, std::uint64_t& value) {
    constexpr std::uint64_t kLow = 0x0F0F0F0F0F0F0F0F;
    const std::uint64_t w = load8(p);
    const std::uint64_t stop = nonDigitBytes(w);
    if (stop != 0) {
        const unsigned digits = static_cast<unsigned>(__builtin_ctzll(stop)) >> 3;
        if (digits == 0) return false;
        // Shift the digits to the top bytes: the bytes below become leading zeros.
        value = eightDigits((w & kLow) << (64 - 8 * digits));
        p += digits;
        return true;
    }
    std::uint64_t v = eightDigits(w & kLow);
    const char* start = p;
    p += 8;
    while (static_cast<unsigned>(*p - '0') < 10) {
        v = v * 10 + static_cast<unsigned>(*p - '0');
        ++p;
    }
    value = v;
    return p - start <= 19;
}

template <RatingsSeparator Sep>
inline bool readSeparator(const char*& p) {
    if constexpr (Sep == RatingsSeparator::Comma) {
        if (*p != ',') return false;
        ++p;
    } else if constexpr (Sep == RatingsSeparator::Tab) {
        if (*p != '\t') return false;
        ++p;
    } else {
        if (p[0] != ':' || p[1] != ':') return false;
        p += 2;
    }
    return true;
}

// The first byte of a separator.
template <RatingsSeparator Sep>
constexpr char separatorChar() {
    return Sep == RatingsSeparator::Comma ? ',' : Sep == RatingsSeparator::Tab ? '\t' : ':';
}

// The rest of a line after its rating (at q): separator, timestamp, line end. On success sets
// p past the line end and the outputs.
template <RatingsSeparator Sep>
[[gnu::always_inline]] inline bool finishLine(const char* q, const char*& p, unsigned h,
                                              HalfStars& half, std::uint32_t& ts) {
    if (!readSeparator<Sep>(q)) return false;
    std::uint64_t t = 0;
    if (!readUnsigned(q, t) || t > std::numeric_limits<std::uint32_t>::max()) return false;
    if (*q == '\r') ++q;
    if (*q != '\n') return false;
    p = q + 1;
    half = static_cast<HalfStars>(h);
    ts = static_cast<std::uint32_t>(t);
    return true;
}

// Parses one line starting at p that is known to contain a '\n'. On success returns true and
// sets p past the line end. Forced inline, as finishLine is, into the parser's loop: as calls
// (g++ 12 left both out of line) they cost 5-7 % of the parse of an ML-20M file.
template <RatingsSeparator Sep>
[[gnu::always_inline]] inline bool parseLineFast(const char*& p, std::uint64_t& user,
                                                 std::uint64_t& movie, HalfStars& half,
                                                 std::uint32_t& ts) {
    const char* q = p;
    if (!readUnsigned(q, user) || user > kInt64Max || !readSeparator<Sep>(q)) return false;
    if (!readUnsigned(q, movie) || movie > kInt64Max || !readSeparator<Sep>(q)) return false;
    // Rating: digits, optionally '.', a 0 or 5, then only zeros. "d.0" and "d.5" first.
    if (static_cast<unsigned>(q[0] - '0') < 10 && q[1] == '.' && (q[2] == '0' || q[2] == '5') &&
        q[3] == separatorChar<Sep>()) {
        const unsigned h = static_cast<unsigned>(q[0] - '0') * 2 + (q[2] == '5');
        if (h < 1 || h > 10) return false;
        q += 3;
        return finishLine<Sep>(q, p, h, half, ts);
    }
    unsigned whole = 0;
    int wholeDigits = 0;
    while (static_cast<unsigned>(*q - '0') < 10 && wholeDigits < 3) {
        whole = whole * 10 + static_cast<unsigned>(*q - '0');
        ++q;
        ++wholeDigits;
    }
    if (wholeDigits == 0) return false;
    unsigned h = whole * 2;
    if (*q == '.') {
        ++q;
        if (*q == '5')
            ++h;
        else if (*q != '0')
            return false;
        ++q;
        while (*q == '0') ++q;
    }
    if (h < 1 || h > 10) return false;
    return finishLine<Sep>(q, p, h, half, ts);
}

}  // namespace lens::ratings_line
