#pragma once
// Text encodings of the MovieLens releases. The CSV releases are UTF-8; ml-100k, ml-1m and
// ml-10m are latin-1 (ISO 8859-1), whose 256 code points are the first 256 of Unicode, so a
// byte b >= 0x80 becomes the two-byte UTF-8 sequence (0xC0 | b >> 6, 0x80 | b & 0x3F).
//
// UTF-8 validation follows RFC 3629: no overlong forms, no surrogates (U+D800..U+DFFF), nothing
// above U+10FFFF. A NUL byte is valid UTF-8 but never valid in MovieLens text; the validator
// reports it separately.
#include <cstddef>
#include <string>
#include <string_view>

namespace lens {

inline constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

// Latin-1 bytes to UTF-8.
std::string latin1ToUtf8(std::string_view latin1);

// Offset of the first byte that breaks UTF-8 (or is NUL), or npos when the text is clean.
std::size_t findInvalidUtf8(std::string_view text);

inline bool isValidUtf8(std::string_view text) {
    return findInvalidUtf8(text) == std::string_view::npos;
}

// True if every byte is < 0x80.
bool isAscii(std::string_view text);

// Removes a leading UTF-8 byte order mark.
inline std::string_view stripBom(std::string_view text) {
    return text.substr(0, 3) == kUtf8Bom ? text.substr(3) : text;
}

// Text of a latin-1 release file that may in fact be UTF-8 already (some re-packaged copies
// are): valid non-ASCII UTF-8 is kept, anything else is read as latin-1. Accented latin-1 text
// is almost never valid UTF-8, so the guess is safe.
std::string legacyTextToUtf8(std::string_view text);

// A short printable excerpt of a line for error messages: at most `maxChars` bytes, control
// bytes and invalid UTF-8 shown as '?', "..." appended when cut.
std::string excerptForMessage(std::string_view text, std::size_t maxChars = 40);

}  // namespace lens
