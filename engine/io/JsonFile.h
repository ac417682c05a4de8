#pragma once
// What the engine's own JSON files (personas: PersonaFile.h; run history: RunHistoryFile.h) share:
// parsing with nlohmann-json under the limits a hostile file needs, writing atomically, and
// keeping messages about a file short.
//
// - parseJson reads one whole document (strict RFC 8259: no NaN, no comments, valid UTF-8). Nesting
//   deeper than kMaxJsonDepth levels is an error, so a document of a million '[' costs neither a
//   deep recursion nor a huge tree. A syntax error comes back with its 1-based line.
// - writeFileAtomically writes a temporary file beside the target, syncs it to disk and renames
//   it over the target: a crash or a full disk never leaves half a file, and the old file stays
//   until the new one is complete.
#include <cstddef>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace lens {

inline constexpr std::size_t kMaxJsonDepth = 1024;

struct JsonSyntaxError {
    std::size_t line = 0;  // 1-based; 0 when unknown
    std::string reason;    // "syntax error while parsing object - unexpected end of input; ..."
};

// The document, or nullopt with *error filled (error may be null).
std::optional<nlohmann::json> parseJson(std::string_view text, JsonSyntaxError* error);

// A JSON number as an int the way the first (Qt) readers of these files took it: the value when
// it is an integral number that fits in an int, `fallback` for anything else (1.5, 1e300, "1").
int jsonInt(const nlohmann::json& value, int fallback = 0);

// A double as our files write it: an integral value below 2^53 in magnitude as an integer ("5",
// not "5.0", as the files' first, Qt-based writer did); NaN and infinities become null.
nlohmann::json jsonNumber(double v);

// The text our files hold: 4-space indent, UTF-8 (invalid UTF-8 in a string is replaced by
// U+FFFD instead of throwing), a newline at the end.
std::string jsonFileText(const nlohmann::json& document);

// The whole file; throws DataError(path, 0, "cannot read: <reason>").
std::string readWholeFile(const std::filesystem::path& path);

// Temporary file + fsync + rename; throws DataError(path, 0, "cannot write[ what]: <reason>")
// and leaves no temporary file behind (model files use it too: what = "model").
void writeFileAtomically(const std::filesystem::path& path, std::string_view bytes,
                         std::string_view what = {});

// At most `limit` characters (UTF-8 code points) of `text`, with "…" when cut: a runaway field
// of a corrupt file keeps messages short.
std::string shortened(std::string_view text, std::size_t limit);

}  // namespace lens
