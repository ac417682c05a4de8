#include "io/TextEncoding.h"

namespace lens {

std::string latin1ToUtf8(std::string_view latin1) {
    std::string out;
    out.reserve(latin1.size() + latin1.size() / 8);
    for (const char c : latin1) {
        const auto b = static_cast<unsigned char>(c);
        if (b < 0x80) {
            out.push_back(c);
        } else {
            out.push_back(static_cast<char>(0xC0 | (b >> 6)));
            out.push_back(static_cast<char>(0x80 | (b & 0x3F)));
        }
    }
    return out;
}

bool isAscii(std::string_view text) {
    for (const char c : text)
        if (static_cast<unsigned char>(c) >= 0x80) return false;
    return true;
}

std::size_t findInvalidUtf8(std::string_view text) {
    const auto* s = reinterpret_cast<const unsigned char*>(text.data());
    const std::size_t n = text.size();
    std::size_t i = 0;
    while (i < n) {
        const unsigned char b = s[i];
        if (b == 0) return i;
        if (b < 0x80) {
            ++i;
            continue;
        }
        std::size_t len = 0;
        unsigned lo = 0x80, hi = 0xBF;  // allowed range of the second byte
        if (b >= 0xC2 && b <= 0xDF) {
            len = 2;
        } else if (b >= 0xE0 && b <= 0xEF) {
            len = 3;
            if (b == 0xE0) lo = 0xA0;  // overlong
            if (b == 0xED) hi = 0x9F;  // surrogates
        } else if (b >= 0xF0 && b <= 0xF4) {
            len = 4;
            if (b == 0xF0) lo = 0x90;  // overlong
            if (b == 0xF4) hi = 0x8F;  // above U+10FFFF
        } else {
            return i;
        }
        if (i + len > n) return i;
        if (s[i + 1] < lo || s[i + 1] > hi) return i;
        for (std::size_t k = 2; k < len; ++k)
            if ((s[i + k] & 0xC0) != 0x80) return i;
        i += len;
    }
    return std::string_view::npos;
}

std::string legacyTextToUtf8(std::string_view text) {
    if (isAscii(text)) return std::string(text);
    if (isValidUtf8(text)) return std::string(text);
    return latin1ToUtf8(text);
}

std::string excerptForMessage(std::string_view text, std::size_t maxChars) {
    const bool cut = text.size() > maxChars;
    if (cut) text = text.substr(0, maxChars);
    std::string out;
    out.reserve(text.size() + 3);
    while (!text.empty()) {
        const std::size_t bad = findInvalidUtf8(text);
        const std::string_view good = text.substr(0, bad);
        for (const char c : good) out.push_back(static_cast<unsigned char>(c) < 0x20 ? '?' : c);
        if (bad == std::string_view::npos) break;
        out.push_back('?');
        text.remove_prefix(bad + 1);
    }
    if (cut) out += "...";
    return out;
}

}  // namespace lens
