// The Dataset from parsed interaction pieces and the items table (io/InteractionTable.h).
#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <limits>
#include <map>
#include <unordered_map>
#include <unordered_set>

#include "data/DatasetBuilder.h"
#include "io/InteractionReader.h"
#include "io/InteractionTable.h"

namespace lens {
namespace {

void warnOnce(LoadReport& report, std::string text) {
    if (report.warnings.size() < kMaxInteractionWarnings)
        report.warnings.push_back(std::move(text));
}

// String ids: every key of every piece (and `extra`), sorted, numbered 1..n; each piece's local
// indices replaced by those numbers. Returns the sorted keys.
std::vector<std::string> numberKeys(std::vector<PieceResult>& pieces, bool users,
                                    const std::vector<std::string>* extra) {
    std::vector<std::string> keys;
    std::unordered_set<std::string_view> distinct;
    for (auto& piece : pieces)
        for (const std::string* k : (users ? piece.userKeys : piece.itemKeys).keys)
            if (distinct.insert(*k).second) keys.push_back(*k);
    if (extra)
        for (const auto& k : *extra)
            if (distinct.insert(k).second) keys.push_back(k);
    distinct.clear();
    std::sort(keys.begin(), keys.end());
    std::unordered_map<std::string_view, std::uint32_t> number;
    number.reserve(keys.size());
    for (std::size_t i = 0; i < keys.size(); ++i)
        number.emplace(keys[i], static_cast<std::uint32_t>(i + 1));
    for (auto& piece : pieces) {
        KeyTable& table = users ? piece.userKeys : piece.itemKeys;
        std::vector<std::uint32_t> global(table.keys.size());
        for (std::size_t i = 0; i < table.keys.size(); ++i) global[i] = number.at(*table.keys[i]);
        std::uint32_t* column = users ? piece.block.users : piece.block.movies;
        for (std::size_t k = 0; k < piece.block.size; ++k) column[k] = global[column[k]];
        table = KeyTable{};
    }
    return keys;
}

// The distinct rating values of a piece: a short list, or `many` (more than fit in a byte's
// codes anyway) with the range.
struct DistinctValues {
    std::vector<float> values;
    bool many = false;
    float lo = std::numeric_limits<float>::infinity();
    float hi = -std::numeric_limits<float>::infinity();
};

DistinctValues distinctValues(const std::vector<float>& ratings) {
    DistinctValues d;
    // A direct-mapped table of values seen, by their bits: almost every value is found with one
    // comparison (a scale has a few values); a miss looks in the list.
    std::array<std::uint32_t, 256> seen;
    seen.fill(0xFFFFFFFFu);  // a NaN's bits: no parsed value has them
    for (const float v : ratings) {
        const std::uint32_t bits = std::bit_cast<std::uint32_t>(v);
        std::uint32_t& slot = seen[(bits * 0x9E3779B1u) >> 24];
        if (slot == bits) continue;
        slot = bits;
        d.lo = std::min(d.lo, v);
        d.hi = std::max(d.hi, v);
        if (!d.many && std::find(d.values.begin(), d.values.end(), v) == d.values.end()) {
            d.values.push_back(v);
            d.many = d.values.size() > 4096;
        }
    }
    return d;
}

RatingScale scaleOf(const std::vector<PieceResult>& pieces, LoadReport& report) {
    std::vector<DistinctValues> perPiece(pieces.size());
#pragma omp parallel for schedule(dynamic, 1)
    for (std::size_t i = 0; i < pieces.size(); ++i) {
        const PieceResult& piece = pieces[i];
        if (piece.manyValues()) {
            perPiece[i] = distinctValues(piece.ratings);
        } else {  // the piece's local code table lists its values
            DistinctValues& d = perPiece[i];
            d.values = piece.values;
            for (const float v : d.values) {
                d.lo = std::min(d.lo, v);
                d.hi = std::max(d.hi, v);
            }
        }
    }
    DistinctValues all;
    for (const auto& d : perPiece) {
        all.lo = std::min(all.lo, d.lo);
        all.hi = std::max(all.hi, d.hi);
        all.many = all.many || d.many;
        for (float v : d.values)
            if (!all.many && std::find(all.values.begin(), all.values.end(), v) == all.values.end())
                all.values.push_back(v);
        all.many = all.many || all.values.size() > 4096;
    }
    // More than 4096 values cannot sit on a grid of 255 codes: min, max and a value off every
    // grid make detectRatingScale round them to 254 steps.
    std::vector<double> values(all.values.begin(), all.values.end());
    if (all.many)
        values = {all.lo, all.hi, all.lo + (static_cast<double>(all.hi) - all.lo) / 3.0 + 1e-7};
    std::string note;
    const RatingScale scale = detectRatingScale(values, &note);
    if (!note.empty()) warnOnce(report, note);
    return scale;
}

// The genre vocabulary from the items' categories: the kMaxGenreVocabulary most frequent
// (ties by name), in alphabetical order; the masks of the items.
std::vector<std::string> categoryVocabulary(const ItemsTable& items, LoadReport& report,
                                            std::vector<GenreMask>& masks) {
    std::map<std::string, std::size_t> counts;
    for (const auto& cats : items.categories)
        for (const auto& c : cats) ++counts[c];
    std::vector<std::pair<std::string, std::size_t>> byCount(counts.begin(), counts.end());
    std::stable_sort(byCount.begin(), byCount.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
    std::vector<std::string> vocabulary;
    for (std::size_t i = 0; i < byCount.size() && i < static_cast<std::size_t>(kMaxGenreVocabulary);
         ++i)
        vocabulary.push_back(byCount[i].first);
    if (byCount.size() > vocabulary.size())
        warnOnce(report, std::to_string(byCount.size()) + " categories; the " +
                             std::to_string(vocabulary.size()) +
                             " most frequent are kept as genres (from '" +
                             byCount[vocabulary.size()].first + "' on, the rest are dropped)");
    std::sort(vocabulary.begin(), vocabulary.end());
    std::unordered_map<std::string, int> bit;
    for (std::size_t i = 0; i < vocabulary.size(); ++i)
        bit.emplace(vocabulary[i], static_cast<int>(i));
    masks.assign(items.categories.size(), 0);
    for (std::size_t i = 0; i < items.categories.size(); ++i)
        for (const auto& c : items.categories[i])
            if (auto it = bit.find(c); it != bit.end()) masks[i] |= GenreMask{1} << it->second;
    return vocabulary;
}

}  // namespace

Dataset assembleInteractions(std::vector<PieceResult>&& pieces, const IdModes& modes,
                             const InteractionFormat& format,
                             const std::optional<ItemsTable>& items, LoadReport report) {
    std::vector<std::string> userKeys, itemKeys;
    if (modes.userStrings) userKeys = numberKeys(pieces, true, nullptr);
    if (modes.itemStrings) itemKeys = numberKeys(pieces, false, items ? &items->keys : nullptr);

    std::size_t total = 0;
    for (const auto& p : pieces) total += p.block.size;
    if (total == 0) throw DataError("interactions", 0, "no interactions were read");

    const bool implicit = !format.rating.given();
    const RatingScale scale =
        implicit ? RatingScale{0.0f, 1.0f, 1.0f, 1.0f, true} : scaleOf(pieces, report);
    const auto scaleCode = [&scale](float value) {
        const double code = std::round((static_cast<double>(value) - scale.offset) / scale.step);
        return static_cast<HalfStars>(std::clamp(code, 1.0, 255.0));
    };
    CompactRatings compact;
    if (!implicit) {  // implicit records carry code 1 already
#pragma omp parallel for schedule(dynamic, 1)
        for (std::size_t i = 0; i < pieces.size(); ++i) {
            RatingBlock& b = pieces[i].block;
            if (pieces[i].manyValues()) {
                const std::vector<float>& r = pieces[i].ratings;
                for (std::size_t k = 0; k < b.size; ++k) b.halfStars[k] = scaleCode(r[k]);
            } else {  // local codes -> the scale's codes
                std::array<HalfStars, 256> code{};
                for (std::size_t c = 0; c < pieces[i].values.size(); ++c)
                    code[c + 1] = scaleCode(pieces[i].values[c]);
                for (std::size_t k = 0; k < b.size; ++k) b.halfStars[k] = code[b.halfStars[k]];
            }
        }
    }
    for (auto& p : pieces) {
        if (p.block.size) compact.blocks.push_back(std::move(p.block));
        p = PieceResult{};
    }

    std::vector<RawMovie> movies;
    std::vector<std::string> vocabulary;
    std::unordered_set<std::int64_t> listed;
    if (items) {
        std::vector<GenreMask> masks;
        vocabulary = categoryVocabulary(*items, report, masks);
        std::unordered_map<std::string_view, std::int64_t> number;
        for (std::size_t i = 0; i < itemKeys.size(); ++i)
            number.emplace(itemKeys[i], static_cast<std::int64_t>(i + 1));
        movies.reserve(items->ids.size());
        for (std::size_t i = 0; i < items->ids.size(); ++i) {
            const std::int64_t id = modes.itemStrings ? number.at(items->keys[i]) : items->ids[i];
            listed.insert(id);
            movies.push_back(RawMovie{id, items->titles[i], masks[i]});
        }
    }

    Dataset ds = buildDataset(std::move(compact), std::move(movies));
    ds.scale = scale;
    ds.genreVocabulary = std::move(vocabulary);
    if (modes.userStrings) {
        ds.userKeys.resize(ds.userIds.size());
        for (std::size_t i = 0; i < ds.userIds.size(); ++i)
            ds.userKeys[i] = userKeys[static_cast<std::size_t>(ds.userIds[i] - 1)];
    }
    if (modes.itemStrings) {
        ds.movieKeys.resize(ds.movieIds.size());
        for (std::size_t i = 0; i < ds.movieIds.size(); ++i)
            ds.movieKeys[i] = itemKeys[static_cast<std::size_t>(ds.movieIds[i] - 1)];
    }
    // Items the items file does not name (or all, without one) are titled by their id.
    std::size_t unlisted = 0;
    for (std::size_t i = 0; i < ds.movieIds.size(); ++i) {
        const bool fromFile = listed.count(ds.movieIds[i]) > 0;
        if (!fromFile || ds.titles[i].empty()) ds.titles[i] = ds.movieLabel(i);
        unlisted += !fromFile;
    }
    report.duplicateRatings = ds.report.duplicateRatings;
    report.unknownMovies = items ? unlisted : 0;
    if (items && unlisted)
        warnOnce(report, std::to_string(unlisted) +
                             " items with interactions are missing from the items file (titled by "
                             "their id)");
    ds.report = std::move(report);
    return ds;
}

}  // namespace lens
