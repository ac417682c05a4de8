#pragma once
// Internal pieces of the interaction reader (io/InteractionReader.cpp): the resolved column
// layout, the per-piece parse results, the items table and the assembly into a Dataset.
#include <array>
#include <bit>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "data/Dataset.h"
#include "data/DatasetBuilder.h"
#include "io/InteractionFormat.h"

namespace lens {

// Warnings a load keeps (the first ones; the rest are counted only).
inline constexpr std::size_t kMaxInteractionWarnings = 20;

// Columns as indices, the separator and where the data lines start.
struct TableLayout {
    InteractionFormat format;  // separator and header decided, columns as given
    int user = 0, item = 1, rating = -1, time = -1;
    int fieldsNeeded = 2;        // 1 + the largest column read
    std::size_t dataOffset = 0;  // first byte after the header line
    std::size_t firstLine = 1;   // line number at dataOffset
};

// Resolves separator, header and column names; a column the file lacks is a usage error
// (std::invalid_argument naming the file and the columns it has).
TableLayout resolveTableLayout(std::string_view text, const std::string& fileName,
                               const InteractionFormat& format);

// Which id columns are read as strings.
struct IdModes {
    bool userStrings = false;
    bool itemStrings = false;
};

// Strings interned by a piece: key -> local index, and the keys in local index order.
struct KeyTable {
    struct Hash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const noexcept {
            return std::hash<std::string_view>{}(s);
        }
    };
    std::unordered_map<std::string, std::uint32_t, Hash, std::equal_to<>> index;
    std::vector<const std::string*> keys;

    std::uint32_t intern(std::string_view key) {
        auto it = index.find(key);
        if (it == index.end()) {
            it = index.emplace(std::string(key), static_cast<std::uint32_t>(keys.size())).first;
            keys.push_back(&it->first);
        }
        return it->second;
    }
};

struct PieceError {
    std::size_t line = 0;  // 0-based line within the piece (plain), or absolute line (quoted)
    std::string problem;
};

struct PieceResult {
    // Users, items (32-bit numbers, or local key indices in string mode) and times of the
    // records in input order. A rating is stored as a local code (1..255: `values[code - 1]`,
    // numbered in the order the values first appear; 1 for implicit data) while the piece has
    // at most 255 distinct values, which the scale turns into dataset codes afterwards; past
    // that the piece keeps every value in `ratings` (its codes are then meaningless).
    RatingBlock block;
    std::vector<float> values;   // local code - 1 -> value
    std::vector<float> ratings;  // every record's value, once the piece has too many values
    KeyTable userKeys, itemKeys;
    std::vector<PieceError> errors;  // strict: the first only
    std::size_t skipped = 0;
    std::size_t lines = 0;        // line breaks in the piece (for absolute line numbers)
    bool userNotNumeric = false;  // a user id is not a 32-bit integer: parse again with strings
    bool itemNotNumeric = false;
    bool sawQuote = false;  // a quote character: the piece needs the RFC 4180 reader

    // Appends a record (the block has room). `rating` is ignored for implicit data.
    [[gnu::always_inline]] void push(std::uint32_t user, std::uint32_t item, float rating,
                                     std::uint32_t time, bool implicit) {
        HalfStars code = 1;
        if (!implicit) {
            const std::uint32_t bits = std::bit_cast<std::uint32_t>(rating);
            const std::size_t slot = (bits * 0x9E3779B1u) >> 24;
            if (many_)
                code = 0;
            else if (slotBits_[slot] == bits)
                code = slotCode_[slot];
            else
                code = codeOf(rating, bits, slot);
            if (code == 0) ratings.push_back(rating);
        }
        block.push(user, item, code, time);
    }
    // Appends a record with a local code from ratingTextCode.
    void pushCode(std::uint32_t user, std::uint32_t item, HalfStars code, std::uint32_t time) {
        block.push(user, item, code, time);
    }
    bool manyValues() const { return many_; }

    // A rating field's bytes (up to 7, with the length in the top byte) -> the local code of the
    // value they were read as; 0 when unknown (or the piece has too many values for codes).
    HalfStars ratingTextCode(std::uint64_t key) const {
        const std::size_t slot = textSlot(key);
        return textKeys_[slot] == key ? textCodes_[slot] : HalfStars{0};
    }
    void rememberRatingText(std::uint64_t key, HalfStars code) {
        if (many_ || code == 0) return;
        const std::size_t slot = textSlot(key);
        textKeys_[slot] = key;
        textCodes_[slot] = code;
    }

private:
    HalfStars codeOf(float rating, std::uint32_t bits, std::size_t slot);
    static std::size_t textSlot(std::uint64_t key) { return (key * 0x9E3779B97F4A7C15u) >> 56; }
    // A direct-mapped cache of value bits -> code (almost every record hits it: a scale has a
    // few values). 0xFFFFFFFF is a NaN's bits, which no parsed value has.
    std::array<std::uint32_t, 256> slotBits_ = filledSlots();
    std::array<HalfStars, 256> slotCode_{};
    std::array<std::uint64_t, 256> textKeys_{};  // 0: no key (a key's length byte is >= 1)
    std::array<HalfStars, 256> textCodes_{};
    bool many_ = false;
    static std::array<std::uint32_t, 256> filledSlots() {
        std::array<std::uint32_t, 256> a;
        a.fill(0xFFFFFFFFu);
        return a;
    }
};

// Parses the lines of `chunk` (whole lines); `readableAfter` bytes after the chunk may be read
// (the scanner loads 8 bytes at a time past a line end). `out.block` is carved from `arena`
// (a thread's storage, advanced past it afterwards; see arenaRows) where it has room, else
// allocated. A quote character stops it with `sawQuote` set.
void parsePlain(std::string_view chunk, std::size_t readableAfter, const TableLayout& layout,
                const IdModes& modes, bool lenient, PieceResult& out, RatingBlock* arena);
// Rows enough for every record of `bytes` bytes of lines in `pieces` pieces (each record takes
// a byte per column read and its separators and line end).
std::size_t arenaRows(const TableLayout& layout, std::uint64_t bytes, std::size_t pieces);
// Parses all data records with the RFC 4180 reader (quoted fields).
void parseQuoted(std::string_view text, const TableLayout& layout, const IdModes& modes,
                 bool lenient, PieceResult& out);

// The items file: per item its id (number, or key in string mode), title and categories.
struct ItemsTable {
    std::vector<std::int64_t> ids;
    std::vector<std::string> keys;  // string mode
    std::vector<std::string> titles;
    std::vector<std::vector<std::string>> categories;
};

ItemsTable readItemsTable(std::string_view text, const std::string& fileName,
                          const ItemsFormat& format, bool stringIds, bool lenient,
                          LoadReport& report);

// The Dataset from the pieces (consumed) and the items: ids numbered, scale detected,
// categories turned into the genre vocabulary.
Dataset assembleInteractions(std::vector<PieceResult>&& pieces, const IdModes& modes,
                             const InteractionFormat& format,
                             const std::optional<ItemsTable>& items, LoadReport report);

}  // namespace lens
