#pragma once
// How to read a user's own interaction file: which column holds the user, the item, the rating
// and the time, the separator and whether the first line is a header. Written as a descriptor,
// the text the command line's --format takes and lens-atlas.json holds:
//
//   user=0,item=1,rating=2,time=3,sep=\t,header=no
//
// Columns are 0-based numbers or, when the file has a header, the header's names
// (user=userId). `sep` is one character, or tab / comma / semicolon / pipe / space, or \t;
// absent, it is detected. `header` is yes, no or auto (the default: a first line whose id or
// rating field is not a number). `rating` and `time` are optional: without a rating column the
// data is implicit feedback. An items file has its own descriptor (--items-format):
//
//   id=0,title=1,categories=2,sep=comma,catsep=|,header=yes
//
// where `catsep` separates the categories inside their field (default |); categories play the
// role of genres. Bad descriptors throw std::invalid_argument naming the bad part.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lens {

enum class HeaderMode { Auto, Yes, No };

// A column by number (0-based) or by header name; neither = not given.
struct ColumnRef {
    int index = -1;
    std::string name;

    bool given() const { return index >= 0 || !name.empty(); }
    std::string text() const;  // "2", "userId", "" when not given
    bool operator==(const ColumnRef&) const = default;
};

struct InteractionFormat {
    ColumnRef user, item, rating, time;
    char separator = 0;  // 0: detect from the first lines
    HeaderMode header = HeaderMode::Auto;

    std::string text() const;  // the canonical descriptor ("user=0,item=1,...,sep=tab")
    bool operator==(const InteractionFormat&) const = default;
};

struct ItemsFormat {
    ColumnRef id, title, categories;
    char separator = 0;  // 0: detect
    char categorySeparator = '|';
    HeaderMode header = HeaderMode::Auto;

    std::string text() const;
    bool operator==(const ItemsFormat&) const = default;
};

// Descriptor text -> format. user and item are required; throws std::invalid_argument
// ("--format: unknown key 'usr'", "--format: 'sep' must be one character").
InteractionFormat parseInteractionFormat(std::string_view text);
// id is required.
ItemsFormat parseItemsFormat(std::string_view text);

// "\t" for tab etc.: how a separator is written in a descriptor; and back (nullopt: not one).
std::string separatorName(char separator);
std::optional<char> separatorFromName(std::string_view name);

// What a look at a file's first bytes finds (the import dialog's preview, and detection when a
// format leaves separator or header open).
struct SniffResult {
    char separator = ',';
    bool header = false;
    std::vector<std::string> columnNames;        // the header's fields, or "column 1", ...
    std::vector<std::vector<std::string>> rows;  // the first records after the header
    InteractionFormat guess;                     // a mapping guessed from header names and values
};

// Reads up to `maxRows` records of `head` (the first bytes of a file; a cut last line is
// ignored). `format` fixes what it gives (separator, header) and detection does the rest.
SniffResult sniffInteractions(std::string_view head, const InteractionFormat& format = {},
                              int maxRows = 20);

}  // namespace lens
