#pragma once
// Internal pieces of the interaction reader (io/InteractionReader.cpp): the resolved column
// layout, the per-piece parse results, the items table and the assembly into a Dataset.
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
    // records in input order; the rating codes are filled in after the scale is known.
    RatingBlock block;
    std::vector<float> ratings;  // the values as read (empty for implicit data)
    KeyTable userKeys, itemKeys;
    std::vector<PieceError> errors;  // strict: the first only
    std::size_t skipped = 0;
    std::size_t lines = 0;        // line breaks in the piece (for absolute line numbers)
    bool userNotNumeric = false;  // a user id is not a 32-bit integer: parse again with strings
    bool itemNotNumeric = false;
    bool sawQuote = false;  // a quote character: the piece needs the RFC 4180 reader
};

// Parses the lines of `chunk` (whole lines); `out.block` is allocated for them. A quote character
// stops it with `sawQuote` set.
void parsePlain(std::string_view chunk, const TableLayout& layout, const IdModes& modes,
                bool lenient, PieceResult& out);
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
