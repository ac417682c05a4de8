// Parsing the records of an interaction table and its items file (io/InteractionTable.h).
#include "io/InteractionTable.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <stdexcept>
#include <unordered_set>

#include "io/CsvReader.h"
#include "io/InteractionReader.h"
#include "io/JsonFile.h"
#include "io/RatingsLine.h"
#include "util/Errors.h"

namespace lens {
namespace {

constexpr std::size_t kMaxPieceErrors = 20;
constexpr std::size_t kSniffBytes = 64 * 1024;

[[gnu::always_inline]] inline std::string_view trimField(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
        s.remove_suffix(1);
    return s;
}

// A 32-bit unsigned id; "007" and "+7" are not (they would merge with "7"), nor are negative or
// larger numbers: such columns are read as strings. (A digit loop: ids are short, and
// std::from_chars was a tenth of the parse.)
[[gnu::always_inline]] inline bool numericId(std::string_view s, std::uint32_t& value) {
    if (s.empty() || s.size() > 10 || (s.size() > 1 && s.front() == '0')) return false;
    std::uint64_t x = 0;
    for (const char c : s) {
        const unsigned d = static_cast<unsigned char>(c) - unsigned{'0'};
        if (d > 9) return false;
        x = x * 10 + d;
    }
    if (x > 0xFFFFFFFFu) return false;
    value = static_cast<std::uint32_t>(x);
    return true;
}

// Powers of ten exact as doubles, for decimals of up to 15 digits.
constexpr double kPow10[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                             1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};

// "[-]digits[.digits]" with at most 15 digits: the decimal as the nearest double (the integer
// of its digits and the power of ten are exact doubles, and one IEEE division rounds
// correctly: the same value as std::from_chars, which takes anything else).
[[gnu::always_inline]] inline bool parseShortDecimal(std::string_view s, double& value) {
    std::size_t i = 0;
    const bool negative = !s.empty() && s.front() == '-';
    i += negative;
    std::uint64_t m = 0;
    int digits = 0, fraction = 0;
    bool dot = false;
    for (; i < s.size(); ++i) {
        if (s[i] == '.' && !dot) {
            dot = true;
            continue;
        }
        const unsigned d = static_cast<unsigned char>(s[i]) - unsigned{'0'};
        if (d > 9 || ++digits > 15) return false;
        m = m * 10 + d;
        fraction += dot;
    }
    if (digits == 0) return false;
    value = static_cast<double>(m) / kPow10[fraction];
    if (negative) value = -value;
    return true;
}

bool parseRating(std::string_view r, double& v) {
    if (parseShortDecimal(r, v)) return true;
    const auto [end, ec] = std::from_chars(r.data(), r.data() + r.size(), v);
    return !r.empty() && ec == std::errc() && end == r.data() + r.size() && std::isfinite(v) &&
           std::fabs(v) <= 1e30;
}

// Unix seconds of up to 10 digits without a loop through parseTimestamp's ISO branches.
std::optional<std::uint32_t> parseTime(std::string_view t) {
    std::uint32_t v = 0;
    if (numericId(t, v)) return v;
    return lens::parseTimestamp(t);
}

std::string quotedField(std::string_view s) {
    return "'" + shortened(s, 40) + "'";
}

enum class RecordStatus { Ok, Bad, UserNotNumeric, ItemNotNumeric };

RecordStatus takeRecord(const std::string_view* fields, std::size_t count,
                        const TableLayout& layout, const IdModes& modes, PieceResult& out,
                        std::string& problem) {
    if (count < static_cast<std::size_t>(layout.fieldsNeeded)) {
        problem = "the line has " + std::to_string(count) + " field" + (count == 1 ? "" : "s") +
                  ", the format reads column " + std::to_string(layout.fieldsNeeded - 1);
        return RecordStatus::Bad;
    }
    const std::string_view user = trimField(fields[layout.user]);
    const std::string_view item = trimField(fields[layout.item]);
    if (user.empty() || item.empty()) {
        problem = user.empty() ? "empty user id" : "empty item id";
        return RecordStatus::Bad;
    }
    std::uint32_t u = 0, i = 0;
    if (modes.userStrings)
        u = out.userKeys.intern(user);
    else if (!numericId(user, u))
        return RecordStatus::UserNotNumeric;
    if (modes.itemStrings)
        i = out.itemKeys.intern(item);
    else if (!numericId(item, i))
        return RecordStatus::ItemNotNumeric;
    float rating = 1.0f;
    if (out.block.size == out.block.capacity) {
        problem = "more records than lines";  // cannot happen: a record takes a line at least
        return RecordStatus::Bad;
    }
    if (layout.rating >= 0) {
        const std::string_view r = trimField(fields[layout.rating]);
        double v = 0;
        if (!parseRating(r, v)) {
            problem = "rating " + quotedField(r) + " is not a number";
            return RecordStatus::Bad;
        }
        rating = static_cast<float>(v);
    }
    std::uint32_t time = 0;
    if (layout.time >= 0) {
        const std::string_view t = trimField(fields[layout.time]);
        const auto parsed = parseTime(t);
        if (!parsed) {
            problem = "time " + quotedField(t) +
                      " is neither Unix seconds nor an ISO 8601 date (1970 to 2106)";
            return RecordStatus::Bad;
        }
        time = *parsed;
    }
    out.push(u, i, rating, time, layout.rating < 0);
    return RecordStatus::Ok;
}

// Records a bad record; false when parsing should stop (strict).
bool reject(PieceResult& out, PieceError error, bool lenient) {
    ++out.skipped;
    if (out.errors.size() < kMaxPieceErrors) out.errors.push_back(std::move(error));
    return lenient;
}

std::string columnList(const std::vector<std::string>& names) {
    std::string out;
    for (std::size_t i = 0; i < names.size() && i < 12; ++i)
        out += (i ? ", " : "") + std::to_string(i) + " " + shortened(names[i], 30);
    if (names.size() > 12) out += ", ...";
    return out;
}

int resolveColumnRef(const ColumnRef& ref, const char* role, const std::vector<std::string>& header,
                     const std::string& fileName, const char* option) {
    if (!ref.given()) return -1;
    if (ref.index >= 0) return ref.index;
    if (header.empty())
        throw std::invalid_argument(std::string(option) + ": " + role + " column '" + ref.name +
                                    "' is given by name, but " + fileName +
                                    " is read without a header line");
    for (int pass = 0; pass < 2; ++pass)
        for (std::size_t i = 0; i < header.size(); ++i) {
            std::string a(trimField(header[i])), b = ref.name;
            if (pass == 1) {
                std::transform(a.begin(), a.end(), a.begin(), ::tolower);
                std::transform(b.begin(), b.end(), b.begin(), ::tolower);
            }
            if (a == b) return static_cast<int>(i);
        }
    throw std::invalid_argument(std::string(option) + ": " + fileName + " has no column '" +
                                ref.name + "' (" + role + "); its columns: " + columnList(header));
}

struct HeaderInfo {
    char separator = ',';
    std::vector<std::string> names;  // empty without a header
    std::size_t dataOffset = 0;
    std::size_t firstLine = 1;
};

HeaderInfo readHeader(std::string_view text, char separator, HeaderMode mode) {
    HeaderInfo h;
    const SniffResult sniff = sniffInteractions(text.substr(0, kSniffBytes),
                                                InteractionFormat{{}, {}, {}, {}, separator, mode});
    h.separator = separator ? separator : sniff.separator;
    if (!sniff.header) return h;
    CsvReader reader(text, h.separator);
    if (reader.next() != CsvReader::Status::Record) return h;
    h.names = reader.fields();
    const auto raw = reader.rawRecord();
    h.dataOffset = static_cast<std::size_t>(raw.data() + raw.size() - text.data());
    h.firstLine = 1 + static_cast<std::size_t>(std::count(raw.begin(), raw.end(), '\n')) +
                  (reader.line() - 1);
    return h;
}

}  // namespace

TableLayout resolveTableLayout(std::string_view text, const std::string& fileName,
                               const InteractionFormat& format) {
    const HeaderInfo h = readHeader(text, format.separator, format.header);
    TableLayout t;
    t.format = format;
    t.format.separator = h.separator;
    t.format.header = h.names.empty() ? HeaderMode::No : HeaderMode::Yes;
    t.dataOffset = h.dataOffset;
    t.firstLine = h.firstLine;
    t.user = resolveColumnRef(format.user, "user", h.names, fileName, "--format");
    t.item = resolveColumnRef(format.item, "item", h.names, fileName, "--format");
    t.rating = resolveColumnRef(format.rating, "rating", h.names, fileName, "--format");
    t.time = resolveColumnRef(format.time, "time", h.names, fileName, "--format");
    if (t.user < 0 || t.item < 0)
        throw std::invalid_argument("--format: 'user' and 'item' columns are required");
    // Two roles on one column (given once by number and once by name, say).
    const std::pair<int, const char*> roles[] = {
        {t.user, "user"}, {t.item, "item"}, {t.rating, "rating"}, {t.time, "time"}};
    for (std::size_t a = 0; a < 4; ++a)
        for (std::size_t b = a + 1; b < 4; ++b)
            if (roles[a].first >= 0 && roles[a].first == roles[b].first)
                throw std::invalid_argument(std::string("--format: '") + roles[a].second +
                                            "' and '" + roles[b].second + "' are both column " +
                                            std::to_string(roles[a].first) + " of " + fileName);
    t.fieldsNeeded = 1 + std::max({t.user, t.item, t.rating, t.time});
    // A column beyond the first data line's fields is a mapping error, not a bad line.
    CsvReader first(text.substr(t.dataOffset), h.separator);
    if (first.next() != CsvReader::Status::Record)
        throw DataError(fileName, 0, "no interactions (the file has no data lines)");
    const auto& fields = first.fields();
    if (static_cast<int>(fields.size()) < t.fieldsNeeded) {
        std::string names;
        for (const auto& [col, role] : {std::pair{t.user, "user"}, std::pair{t.item, "item"},
                                        std::pair{t.rating, "rating"}, std::pair{t.time, "time"}})
            if (col >= static_cast<int>(fields.size()))
                names += std::string(names.empty() ? "" : ", ") + role + "=" + std::to_string(col);
        throw std::invalid_argument(
            "--format: " + fileName + ":" + std::to_string(t.firstLine + first.line() - 1) +
            " has " + std::to_string(fields.size()) + " column" + (fields.size() == 1 ? "" : "s") +
            " (separator " + separatorName(h.separator) + "), the format reads " + names);
    }
    return t;
}

namespace {

// What the fast path does with a column.
enum ColumnRole : std::uint8_t {
    kSkipColumn,
    kUserColumn,
    kItemColumn,
    kRatingColumn,
    kTimeColumn
};

std::vector<std::uint8_t> columnRoles(const TableLayout& layout) {
    std::vector<std::uint8_t> roles(static_cast<std::size_t>(layout.fieldsNeeded), kSkipColumn);
    roles[static_cast<std::size_t>(layout.user)] = kUserColumn;
    roles[static_cast<std::size_t>(layout.item)] = kItemColumn;
    if (layout.rating >= 0) roles[static_cast<std::size_t>(layout.rating)] = kRatingColumn;
    if (layout.time >= 0) roles[static_cast<std::size_t>(layout.time)] = kTimeColumn;
    return roles;
}

// Nonzero at the first byte of w equal to c, if any (bytes after it may be marked too).
[[gnu::always_inline]] inline std::uint64_t bytesEqual(std::uint64_t w, char c) {
    constexpr std::uint64_t kOnes = 0x0101010101010101, kHighs = 0x8080808080808080;
    const std::uint64_t v = w ^ (kOnes * static_cast<unsigned char>(c));
    return (v - kOnes) & ~v & kHighs;
}

// "[-]digits[.digits]" at q as a float; q past it. False for anything else or more than 15
// digits.
[[gnu::always_inline]] inline bool readDecimal(const char*& q, float& rating) {
    const bool negative = *q == '-';
    q += negative;
    const char* start = q;
    std::uint64_t m = 0;
    if (!ratings_line::readUnsigned(q, m)) return false;
    const int digits = static_cast<int>(q - start);
    int fraction = 0;
    if (*q == '.') {
        const char* f = ++q;
        std::uint64_t tail = 0;
        if (ratings_line::readUnsigned(q, tail)) {
            fraction = static_cast<int>(q - f);
            if (digits + fraction > 15) return false;
            m = m * static_cast<std::uint64_t>(kPow10[fraction]) + tail;
        } else if (q != f) {
            return false;  // more than 19 digits after the point (passed over, not read)
        }
    }
    if (digits > 15) return false;
    const double v = static_cast<double>(m) / kPow10[fraction];
    rating = static_cast<float>(negative ? -v : v);
    return true;
}

// The common line of numbers ("17,4321,3.5,1425212400"), read by the MovieLens parser's 8-digit
// loads (io/RatingsLine.h) without finding its end first; on success `p` is past its '\n'. A
// rating whose bytes were read before is looked up by those bytes (a scale has a few spellings).
// False (nothing stored) for anything else (spaces, strings, ISO times, exponents, more than 15
// digits in a rating, a quote), which then takes the general path. The line must end with '\n'
// and 16 bytes after it must be readable (the 8-byte loads look ahead). `Columns` > 0: the
// columns are user, item, rating[, time] (known to the compiler); 0: as `roles` says.
template <int Columns>
[[gnu::always_inline]] inline bool takeNumericLine(const char*& p, const std::uint8_t* roles,
                                                   const TableLayout& layout, PieceResult& out) {
    static constexpr std::uint8_t kUserItemRatingTime[] = {kUserColumn, kItemColumn, kRatingColumn,
                                                           kTimeColumn};
    const int columns = Columns > 0 ? Columns : layout.fieldsNeeded;
    const char sep = layout.format.separator;
    const char* q = p;
    std::uint32_t user = 0, item = 0, time = 0;
    float rating = 1.0f;
    HalfStars code = Columns == 0 && layout.rating < 0 ? 1 : 0;  // 0: from `rating`
    std::uint64_t ratingKey = 0;
#pragma GCC unroll 4
    for (int col = 0; col < columns; ++col) {
        const std::uint8_t role = Columns > 0 ? kUserItemRatingTime[col] : roles[col];
        if (role == kRatingColumn) {
            const std::uint64_t w = ratings_line::load8(q);
            const std::uint64_t stop =
                bytesEqual(w, sep) | bytesEqual(w, '\n') | bytesEqual(w, '\r');
            const unsigned length = stop ? static_cast<unsigned>(__builtin_ctzll(stop)) >> 3 : 8;
            if (length - 1 < 7) {  // 1 to 7 bytes
                ratingKey =
                    (w & ((std::uint64_t{1} << (8 * length)) - 1)) | (std::uint64_t{length} << 56);
                code = out.ratingTextCode(ratingKey);
                if (code) {
                    q += length;
                    goto separator;
                }
            }
            if (!readDecimal(q, rating)) return false;
        } else if (role != kSkipColumn) {
            if (q[0] == '0' && static_cast<unsigned>(q[1] - '0') < 10) return false;  // "007"
            std::uint64_t v = 0;
            if (!ratings_line::readUnsigned(q, v) || v > 0xFFFFFFFFu) return false;
            (role == kUserColumn   ? user
             : role == kItemColumn ? item
                                   : time) = static_cast<std::uint32_t>(v);
        } else {
            for (; *q != sep && *q != '\n'; ++q)  // a column the format does not read
                if (*q == '"') return false;
        }
    separator:
        if (col + 1 < columns) {
            if (*q != sep) return false;
            ++q;
        }
    }
    if (*q == sep) {  // columns after the last one read
        for (; *q != '\n'; ++q)
            if (*q == '"') return false;
    } else {
        q += *q == '\r';
        if (*q != '\n') return false;
    }
    if (out.block.size == out.block.capacity) return false;
    if (code) {
        out.pushCode(user, item, code, time);
    } else {
        out.push(user, item, rating, time, false);
        if (ratingKey) out.rememberRatingText(ratingKey, out.block.halfStars[out.block.size - 1]);
    }
    p = q + 1;
    return true;
}

}  // namespace

HalfStars PieceResult::codeOf(float rating, std::uint32_t bits, std::size_t slot) {
    const auto it = std::find(values.begin(), values.end(), rating);
    if (it == values.end() && values.size() == 255) {
        // More values than a byte codes: the piece keeps every value from here on.
        many_ = true;
        textKeys_.fill(0);
        ratings.resize(block.size);
        for (std::size_t k = 0; k < block.size; ++k) ratings[k] = values[block.halfStars[k] - 1u];
        return 0;
    }
    const auto code = static_cast<HalfStars>(it - values.begin() + 1);
    if (it == values.end()) values.push_back(rating);
    slotBits_[slot] = bits;
    slotCode_[slot] = code;
    return code;
}

std::size_t arenaRows(const TableLayout& layout, std::uint64_t bytes, std::size_t pieces) {
    // Every column read holds a byte at least; separators up to the last one read; a line end
    // (a piece's last line may lack it, and a piece's lines may start a little before its bytes:
    // two more rows per piece).
    const int read = 2 + (layout.rating >= 0) + (layout.time >= 0);
    const auto perRecord = static_cast<std::uint64_t>(read + layout.fieldsNeeded);
    return static_cast<std::size_t>(bytes / perRecord) + 2 * pieces + 1;
}

void parsePlain(std::string_view chunk, std::size_t readableAfter, const TableLayout& layout,
                const IdModes& modes, bool lenient, PieceResult& out, RatingBlock* arena) {
    const char sep = layout.format.separator;
    if (chunk.empty()) return;  // a piece where no line starts (its data() may be null)
    const std::size_t rows = arenaRows(layout, chunk.size(), 1);
    const bool carved = arena && arena->storage && arena->capacity - arena->size >= rows;
    out.block = carved ? arena->carve(rows) : RatingBlock(rows);
    std::vector<std::string_view> fields(static_cast<std::size_t>(layout.fieldsNeeded));
    std::string problem;
    const char* base = chunk.data();
    const std::size_t end = chunk.size();
    // Lines ending before `fastEnd` have 16 readable bytes after their '\n'.
    std::size_t fastEnd = 0;
    if (end + readableAfter >= 16 + 1) {
        const std::size_t limit = std::min(end, end + readableAfter - 16);
        if (const void* nl = memrchr(base, '\n', limit))
            fastEnd = static_cast<std::size_t>(static_cast<const char*>(nl) - base) + 1;
    }
    std::size_t p = 0;
    std::size_t line = 0;
    bool quoteChecked = false;  // the lines from the first on the general path have no quote
    const bool numeric = !modes.userStrings && !modes.itemStrings;
    const std::vector<std::uint8_t> roles = columnRoles(layout);
    // The usual order (user, item, rating[, time]) gets a line scanner of its own.
    const int usual = layout.user == 0 && layout.item == 1 && layout.rating == 2 &&
                              (layout.time == 3 || (layout.time < 0 && layout.fieldsNeeded == 3))
                          ? layout.fieldsNeeded
                          : 0;
    for (; p < end; ++line) {
        if (numeric && p < fastEnd) {
            const char* q = base + p;
            const bool taken = usual == 4   ? takeNumericLine<4>(q, roles.data(), layout, out)
                               : usual == 3 ? takeNumericLine<3>(q, roles.data(), layout, out)
                                            : takeNumericLine<0>(q, roles.data(), layout, out);
            if (taken) {
                p = static_cast<std::size_t>(q - base);
                continue;
            }
        }
        const std::size_t lineStart = p;
        if (!quoteChecked) {  // fast lines hold digits and separators only
            quoteChecked = true;
            if (std::memchr(base + p, '"', end - p)) {
                out.sawQuote = true;
                break;
            }
        }
        const void* nl = std::memchr(base + p, '\n', end - p);
        const std::size_t lineEnd =
            nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - base) : end;
        p = lineEnd + 1;
        if (lineEnd == lineStart || (lineEnd == lineStart + 1 && base[lineStart] == '\r'))
            continue;  // blank line
        // The general path: the fields the format reads, by a byte loop, then each parsed.
        std::size_t count = 0, q = lineStart;
        while (count < fields.size()) {
            const std::size_t f = q;
            while (q < lineEnd && base[q] != sep) ++q;
            fields[count++] = std::string_view(base + f, q - f);
            if (q >= lineEnd) break;
            ++q;
        }
        const RecordStatus status = takeRecord(fields.data(), count, layout, modes, out, problem);
        if (status == RecordStatus::Ok) continue;
        if (status == RecordStatus::UserNotNumeric) {
            out.userNotNumeric = true;
            break;
        }
        if (status == RecordStatus::ItemNotNumeric) {
            out.itemNotNumeric = true;
            break;
        }
        if (!reject(out, PieceError{line, problem}, lenient)) break;
    }
    out.lines = line;
    if (carved) arena->size += out.block.size;
}

void parseQuoted(std::string_view text, const TableLayout& layout, const IdModes& modes,
                 bool lenient, PieceResult& out) {
    const std::string_view body = text.substr(layout.dataOffset);
    const std::size_t lines =
        static_cast<std::size_t>(std::count(body.begin(), body.end(), '\n')) + 1;
    out.block = RatingBlock(lines);
    CsvReader reader(body, layout.format.separator);
    std::vector<std::string_view> fields;
    std::string problem;
    while (true) {
        const auto status = reader.next();
        if (status == CsvReader::Status::End) break;
        const std::size_t line = layout.firstLine + reader.line() - 1;
        if (status == CsvReader::Status::Error) {
            if (!reject(out, PieceError{line, reader.error()}, lenient)) return;
            continue;
        }
        fields.assign(reader.fields().begin(), reader.fields().end());
        const RecordStatus r =
            takeRecord(fields.data(), fields.size(), layout, modes, out, problem);
        if (r == RecordStatus::UserNotNumeric) {
            out.userNotNumeric = true;
            return;
        }
        if (r == RecordStatus::ItemNotNumeric) {
            out.itemNotNumeric = true;
            return;
        }
        if (r == RecordStatus::Bad && !reject(out, PieceError{line, problem}, lenient)) return;
    }
}

ItemsTable readItemsTable(std::string_view text, const std::string& fileName,
                          const ItemsFormat& format, bool stringIds, bool lenient,
                          LoadReport& report) {
    const HeaderInfo h = readHeader(text, format.separator, format.header);
    ItemsFormat f = format;
    if (!f.id.given()) {  // no items format: id, title, categories as far as the file has them
        CsvReader first(text.substr(h.dataOffset), h.separator);
        const std::size_t columns =
            first.next() == CsvReader::Status::Record ? first.fields().size() : 1;
        f.id.index = 0;
        if (columns > 1) f.title.index = 1;
        if (columns > 2) f.categories.index = 2;
    }
    const int id = resolveColumnRef(f.id, "id", h.names, fileName, "--items-format");
    const int title = resolveColumnRef(f.title, "title", h.names, fileName, "--items-format");
    const int cats =
        resolveColumnRef(f.categories, "categories", h.names, fileName, "--items-format");
    const std::size_t needed = 1 + static_cast<std::size_t>(std::max({id, title, cats}));
    if (h.separator == format.categorySeparator && cats >= 0)
        throw std::invalid_argument("--items-format: the field separator and 'catsep' are both " +
                                    separatorName(h.separator));
    ItemsTable t;
    std::unordered_set<std::string> seen;
    CsvReader reader(text.substr(h.dataOffset), h.separator);
    const auto bad = [&](std::size_t line, const std::string& problem) {
        if (!lenient) throw DataError(fileName, line, problem);
        ++report.skippedLines;
        if (report.warnings.size() < kMaxInteractionWarnings)
            report.warnings.push_back(DataError::format(fileName, line, problem));
    };
    while (true) {
        const auto status = reader.next();
        if (status == CsvReader::Status::End) break;
        const std::size_t line = h.firstLine + reader.line() - 1;
        if (status == CsvReader::Status::Error) {
            bad(line, reader.error());
            continue;
        }
        const auto& fields = reader.fields();
        if (fields.size() < needed) {
            bad(line, "the line has " + std::to_string(fields.size()) +
                          " fields, the items format reads column " + std::to_string(needed - 1));
            continue;
        }
        const std::string key(trimField(fields[static_cast<std::size_t>(id)]));
        std::uint32_t number = 0;
        if (key.empty()) {
            bad(line, "empty item id");
            continue;
        }
        if (!stringIds && !numericId(key, number)) {
            bad(line, "item id " + quotedField(key) +
                          " is not a number (0 to 4294967295), but the interactions' item ids "
                          "are");
            continue;
        }
        if (!seen.insert(key).second) {
            bad(line, "item id " + quotedField(key) + " is listed twice");
            continue;
        }
        t.ids.push_back(number);
        if (stringIds) t.keys.push_back(key);
        t.titles.emplace_back(title >= 0
                                  ? std::string(trimField(fields[static_cast<std::size_t>(title)]))
                                  : std::string());
        std::vector<std::string> categories;
        if (cats >= 0) {
            std::string_view rest = fields[static_cast<std::size_t>(cats)];
            while (!rest.empty()) {
                const std::size_t cut = rest.find(format.categorySeparator);
                const std::string_view c = trimField(rest.substr(0, cut));
                if (!c.empty() && c != "(no genres listed)") categories.emplace_back(c);
                if (cut == std::string_view::npos) break;
                rest.remove_prefix(cut + 1);
            }
        }
        t.categories.push_back(std::move(categories));
    }
    return t;
}

}  // namespace lens
