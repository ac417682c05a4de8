#include "io/InteractionFormat.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <stdexcept>

#include "io/CsvReader.h"
#include "io/TextEncoding.h"

namespace lens {
namespace {

std::string lowerAscii(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

std::string trimSpaces(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return std::string(s);
}

// "key=value" pairs of a descriptor. "sep=," and "catsep=," take the comma as their value.
std::vector<std::pair<std::string, std::string>> descriptorPairs(std::string_view text,
                                                                 const char* what) {
    std::vector<std::pair<std::string, std::string>> pairs;
    std::size_t p = 0;
    while (p < text.size()) {
        const std::size_t eq = text.find('=', p);
        const std::size_t comma = text.find(',', p);
        if (eq == std::string_view::npos || (comma != std::string_view::npos && comma < eq)) {
            const std::string part = trimSpaces(text.substr(
                p, comma == std::string_view::npos ? std::string_view::npos : comma - p));
            if (part.empty() && comma != std::string_view::npos) {
                p = comma + 1;
                continue;
            }
            throw std::invalid_argument(std::string(what) + ": '" + part + "' is not key=value");
        }
        std::string key = lowerAscii(trimSpaces(text.substr(p, eq - p)));
        std::size_t valueStart = eq + 1;
        std::size_t valueEnd = text.find(',', valueStart);
        if ((key == "sep" || key == "catsep") && valueEnd == valueStart) ++valueEnd;  // "sep=,"
        if (valueEnd != std::string_view::npos && valueEnd > text.size()) valueEnd = text.size();
        std::string value(text.substr(valueStart, valueEnd == std::string_view::npos
                                                      ? std::string_view::npos
                                                      : valueEnd - valueStart));
        if (key != "sep" && key != "catsep") value = trimSpaces(value);
        for (const auto& [k, v] : pairs)
            if (k == key)
                throw std::invalid_argument(std::string(what) + ": '" + key + "' is given twice");
        pairs.emplace_back(std::move(key), std::move(value));
        p = valueEnd == std::string_view::npos ? text.size() : valueEnd + 1;
    }
    return pairs;
}

ColumnRef columnFrom(const std::string& key, const std::string& value, const char* what) {
    if (value.empty())
        throw std::invalid_argument(std::string(what) + ": '" + key + "' needs a column");
    ColumnRef c;
    int index = 0;
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), index);
    if (ec == std::errc() && end == value.data() + value.size()) {
        if (index < 0 || index > 10000)
            throw std::invalid_argument(std::string(what) + ": column " + value + " of '" + key +
                                        "' is out of range");
        c.index = index;
    } else {
        c.name = value;
    }
    return c;
}

char separatorValue(const std::string& key, const std::string& value, const char* what) {
    const auto sep = separatorFromName(value);
    if (!sep)
        throw std::invalid_argument(std::string(what) + ": '" + key + "=" + value +
                                    "' must be one character (or tab, comma, semicolon, pipe, "
                                    "space, \\t)");
    return *sep;
}

HeaderMode headerModeValue(const std::string& value, const char* what) {
    const std::string v = lowerAscii(value);
    if (v == "yes" || v == "true" || v == "1") return HeaderMode::Yes;
    if (v == "no" || v == "false" || v == "0") return HeaderMode::No;
    if (v == "auto") return HeaderMode::Auto;
    throw std::invalid_argument(std::string(what) + ": header must be yes, no or auto, not '" +
                                value + "'");
}

void appendPart(std::string& out, const char* key, const std::string& value) {
    if (value.empty()) return;
    if (!out.empty()) out += ',';
    out += key;
    out += '=';
    out += value;
}

const char* headerText(HeaderMode mode) {
    return mode == HeaderMode::Yes ? "yes" : mode == HeaderMode::No ? "no" : "";
}

bool looksNumeric(std::string_view s) {
    s = std::string_view(trimSpaces(s));
    if (s.empty()) return false;
    double v = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    return ec == std::errc() && end == s.data() + s.size();
}

}  // namespace

std::string ColumnRef::text() const {
    return index >= 0 ? std::to_string(index) : name;
}

std::string separatorName(char separator) {
    switch (separator) {
        case '\t':
            return "tab";
        case ',':
            return "comma";
        case ';':
            return "semicolon";
        case '|':
            return "pipe";
        case ' ':
            return "space";
        case 0:
            return "";
        default:
            return std::string(1, separator);
    }
}

std::optional<char> separatorFromName(std::string_view name) {
    const std::string n = lowerAscii(name);
    if (n == "tab" || n == "\\t" || n == "\t") return '\t';
    if (n == "comma" || n == ",") return ',';
    if (n == "semicolon") return ';';
    if (n == "pipe") return '|';
    if (n == "space" || n == " ") return ' ';
    if (name.size() == 1 && name[0] != '"' && name[0] != '\n' && name[0] != '\r') return name[0];
    return std::nullopt;
}

std::string InteractionFormat::text() const {
    std::string out;
    appendPart(out, "user", user.text());
    appendPart(out, "item", item.text());
    appendPart(out, "rating", rating.text());
    appendPart(out, "time", time.text());
    appendPart(out, "sep", separatorName(separator));
    appendPart(out, "header", headerText(header));
    return out;
}

std::string ItemsFormat::text() const {
    std::string out;
    appendPart(out, "id", id.text());
    appendPart(out, "title", title.text());
    appendPart(out, "categories", categories.text());
    appendPart(out, "sep", separatorName(separator));
    if (categorySeparator != '|') appendPart(out, "catsep", separatorName(categorySeparator));
    appendPart(out, "header", headerText(header));
    return out;
}

InteractionFormat parseInteractionFormat(std::string_view text) {
    constexpr const char* what = "--format";
    InteractionFormat f;
    for (const auto& [key, value] : descriptorPairs(text, what)) {
        if (key == "user")
            f.user = columnFrom(key, value, what);
        else if (key == "item")
            f.item = columnFrom(key, value, what);
        else if (key == "rating")
            f.rating = columnFrom(key, value, what);
        else if (key == "time")
            f.time = columnFrom(key, value, what);
        else if (key == "sep")
            f.separator = separatorValue(key, value, what);
        else if (key == "header")
            f.header = headerModeValue(value, what);
        else
            throw std::invalid_argument(std::string(what) + ": unknown key '" + key +
                                        "' (user, item, rating, time, sep, header)");
    }
    if (!f.user.given() || !f.item.given())
        throw std::invalid_argument(std::string(what) + ": 'user' and 'item' columns are required");
    const std::array<const ColumnRef*, 4> cols = {&f.user, &f.item, &f.rating, &f.time};
    for (std::size_t a = 0; a < cols.size(); ++a)
        for (std::size_t b = a + 1; b < cols.size(); ++b)
            if (cols[a]->given() && *cols[a] == *cols[b])
                throw std::invalid_argument(std::string(what) + ": column '" + cols[a]->text() +
                                            "' is mapped twice");
    return f;
}

ItemsFormat parseItemsFormat(std::string_view text) {
    constexpr const char* what = "--items-format";
    ItemsFormat f;
    for (const auto& [key, value] : descriptorPairs(text, what)) {
        if (key == "id")
            f.id = columnFrom(key, value, what);
        else if (key == "title")
            f.title = columnFrom(key, value, what);
        else if (key == "categories" || key == "genres")
            f.categories = columnFrom(key, value, what);
        else if (key == "sep")
            f.separator = separatorValue(key, value, what);
        else if (key == "catsep")
            f.categorySeparator = separatorValue(key, value, what);
        else if (key == "header")
            f.header = headerModeValue(value, what);
        else
            throw std::invalid_argument(std::string(what) + ": unknown key '" + key +
                                        "' (id, title, categories, sep, catsep, header)");
    }
    if (!f.id.given()) throw std::invalid_argument(std::string(what) + ": 'id' is required");
    if (f.separator != 0 && f.separator == f.categorySeparator)
        throw std::invalid_argument(std::string(what) + ": 'sep' and 'catsep' must differ");
    return f;
}

namespace {

// The first records of `head` under `separator` (a cut last line dropped).
std::vector<std::vector<std::string>> firstRecords(std::string_view head, char separator,
                                                   int maxRecords) {
    std::vector<std::vector<std::string>> out;
    CsvReader reader(head, separator);
    bool cutAtEnd = false;
    while (static_cast<int>(out.size()) < maxRecords) {
        const auto status = reader.next();
        if (status == CsvReader::Status::End) break;
        if (status == CsvReader::Status::Error) continue;
        const auto raw = reader.rawRecord();
        cutAtEnd = raw.data() + raw.size() == head.data() + head.size() && head.back() != '\n';
        out.push_back(reader.fields());
    }
    // The last line may be cut by the read limit: leave it out when there are others.
    if (cutAtEnd && out.size() > 1) out.pop_back();
    return out;
}

// How well `separator` splits the lines: records with the most common field count (> 1), or 0.
int separatorScore(std::string_view head, char separator) {
    const auto records = firstRecords(head, separator, 50);
    if (records.empty()) return 0;
    std::vector<int> counts;
    for (const auto& r : records) counts.push_back(static_cast<int>(r.size()));
    const int first = counts.front();
    if (first < 2) return 0;
    int same = 0;
    for (int c : counts) same += c == first;
    // Consistency first, then more columns.
    return same * 100 + std::min(first, 99);
}

int findName(const std::vector<std::string>& names, std::initializer_list<const char*> wanted) {
    for (const char* w : wanted)
        for (std::size_t i = 0; i < names.size(); ++i) {
            std::string n = lowerAscii(trimSpaces(names[i]));
            std::erase(n, '_');
            std::erase(n, ' ');
            if (n == w) return static_cast<int>(i);
        }
    return -1;
}

}  // namespace

SniffResult sniffInteractions(std::string_view head, const InteractionFormat& format, int maxRows) {
    SniffResult s;
    head = stripBom(head);
    if (format.separator) {
        s.separator = format.separator;
    } else {
        int best = -1;
        for (char c : {'\t', ',', ';', '|', ' '}) {
            const int score = separatorScore(head, c);
            if (score > best) {
                best = score;
                s.separator = c;
            }
        }
    }
    auto records = firstRecords(head, s.separator, maxRows + 1);
    if (format.header != HeaderMode::Auto) {
        s.header = format.header == HeaderMode::Yes;
    } else if (records.size() >= 1) {
        // A header: some field of the first record is not a number while the same field of the
        // second record is (ids and ratings of data lines are mostly numbers), or every field of
        // the first record is a known column name.
        const auto& first = records[0];
        bool header = false;
        if (records.size() >= 2) {
            const auto& second = records[1];
            for (std::size_t i = 0; i < first.size() && i < second.size(); ++i)
                header = header || (!looksNumeric(first[i]) && looksNumeric(second[i]));
        }
        header =
            header || findName(first, {"user", "userid", "item", "itemid", "movieid", "id", "title",
                                       "categories", "genres", "rating", "timestamp"}) >= 0;
        s.header = header;
    }
    std::size_t columns = 0;
    for (const auto& r : records) columns = std::max(columns, r.size());
    if (s.header && !records.empty()) {
        s.columnNames = records.front();
        records.erase(records.begin());
    }
    for (std::size_t i = s.columnNames.size(); i < columns; ++i)
        s.columnNames.push_back("column " + std::to_string(i + 1));
    if (static_cast<int>(records.size()) > maxRows)
        records.resize(static_cast<std::size_t>(maxRows));
    s.rows = std::move(records);

    // The mapping: from names where the header has them, else by position (user, item, rating,
    // time: MovieLens's order, which most exports share).
    InteractionFormat& g = s.guess;
    g.separator = s.separator;
    g.header = s.header ? HeaderMode::Yes : HeaderMode::No;
    const auto& names = s.columnNames;
    int user = -1, item = -1, rating = -1, time = -1;
    if (s.header) {
        user = findName(names, {"user", "userid", "uid", "customer", "customerid", "visitorid",
                                "reviewerid", "member", "memberid"});
        item = findName(names, {"item", "itemid", "movieid", "movie", "productid", "product",
                                "asin", "bookid", "isbn", "trackid", "songid", "iid", "artistid"});
        rating = findName(
            names, {"rating", "score", "stars", "value", "bookrating", "overall", "preference"});
        time = findName(names, {"timestamp", "time", "date", "datetime", "ts", "unixreviewtime",
                                "created", "createdat"});
    }
    const int n = static_cast<int>(names.size());
    if (user < 0 && item < 0 && n >= 2) {
        user = 0;
        item = 1;
        if (n >= 3 && rating < 0) rating = 2;
        if (n >= 4 && time < 0) time = 3;
        // A third column of big integers or dates is a time, not a rating.
        if (rating == 2 && !s.rows.empty() && s.rows.front().size() > 2) {
            const std::string& v = s.rows.front()[2];
            double x = 0;
            const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), x);
            if (ec != std::errc() || x > 1e6) {
                if (time < 0) time = 2;
                rating = -1;
            }
        }
    }
    if (user >= 0) g.user.index = user;
    if (item >= 0) g.item.index = item;
    if (rating >= 0 && rating != user && rating != item) g.rating.index = rating;
    if (time >= 0 && time != user && time != item && time != rating) g.time.index = time;
    return s;
}

}  // namespace lens
