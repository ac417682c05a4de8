#pragma once
// The input format of the fuzz_interactions target, shared with tst_fuzz_regressions: three
// bytes choose a random mapping, the rest is the interaction file (and, after a NUL byte, an
// items file).
//   byte 0: user column (bits 0-2, 0..7), item column (bits 3-5)
//   byte 1: rating column (bits 0-2; 5..7 = none), time column (bits 3-5; 5..7 = none),
//           lenient (bit 6), header yes (bit 7; else auto)
//   byte 2: separator: , \t ; | space or detected (value % 6)
// A mapping that uses one column twice is not interesting (nullopt). Errors come back as
// DataError naming "fuzz-events.txt" or "fuzz-items.txt"; a usage error of the mapping (a column
// the file lacks) as DataError too. The loaded dataset's invariants are checked: a broken one
// throws std::logic_error.
#include <cmath>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string_view>

#include "io/InteractionReader.h"
#include "util/Errors.h"

namespace lens::fuzz {

inline std::optional<Dataset> readFuzzInteractions(const std::uint8_t* data, std::size_t size) {
    if (size < 3) return std::nullopt;
    InteractionFormat format;
    format.user.index = data[0] & 7;
    format.item.index = (data[0] >> 3) & 7;
    if ((data[1] & 7) < 5) format.rating.index = data[1] & 7;
    if (((data[1] >> 3) & 7) < 5) format.time.index = (data[1] >> 3) & 7;
    const bool lenient = (data[1] & 0x40) != 0;
    format.header = (data[1] & 0x80) ? HeaderMode::Yes : HeaderMode::Auto;
    static constexpr char kSeparators[] = {',', '\t', ';', '|', ' ', 0};
    format.separator = kSeparators[data[2] % 6];
    const ColumnRef* cols[] = {&format.user, &format.item, &format.rating, &format.time};
    for (int a = 0; a < 4; ++a)
        for (int b = a + 1; b < 4; ++b)
            if (cols[a]->given() && *cols[a] == *cols[b]) return std::nullopt;
    std::string_view text(reinterpret_cast<const char*>(data) + 3, size - 3);
    std::optional<std::string_view> items;
    if (const auto nul = text.find('\0'); nul != std::string_view::npos) {
        items = text.substr(nul + 1);
        text = text.substr(0, nul);
    }
    LoadOptions options;
    options.lenient = lenient;
    options.threads = 1;
    Dataset ds;
    try {
        ds = readInteractions(text, "fuzz-events.txt", format, "fuzz", options, items,
                              "fuzz-items.txt", ItemsFormat{});
    } catch (const std::invalid_argument& e) {
        throw DataError("fuzz-events.txt", 0, e.what());
    }
    const auto fail = [](const char* what) { throw std::logic_error(what); };
    if (ds.ratingCount() == 0) fail("dataset without ratings");
    if (ds.byMovie.nnz() != ds.ratingCount() || ds.timestamps.size() != ds.ratingCount())
        fail("matrices disagree");
    if (ds.titles.size() != ds.movieCount() || ds.genres.size() != ds.movieCount())
        fail("per-movie arrays disagree");
    if ((!ds.userKeys.empty() && ds.userKeys.size() != ds.userCount()) ||
        (!ds.movieKeys.empty() && ds.movieKeys.size() != ds.movieCount()))
        fail("keys disagree");
    if (ds.genreCount() > kMaxGenreVocabulary) fail("vocabulary too large");
    const float slack = 1e-3f * std::max(1.0f, std::fabs(ds.scale.max) + std::fabs(ds.scale.min));
    for (HalfStars h : ds.byUser.halfStars) {
        const float v = ds.ratingValue(h);
        if (h == 0 || !(v >= ds.scale.min - slack && v <= ds.scale.max + slack))
            fail("rating outside its scale");
    }
    for (std::size_t u = 0; u < ds.userCount(); ++u)
        if (ds.userIndex(ds.userIds[u]) != static_cast<std::int64_t>(u)) fail("user id map");
    return ds;
}

}  // namespace lens::fuzz
