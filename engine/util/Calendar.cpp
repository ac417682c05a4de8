#include "util/Calendar.h"

#include <cstdio>

namespace lens {

namespace {

// Reads exactly `count` digits at `pos`, advancing it; -1 when they are not all digits.
int digits(std::string_view text, std::size_t& pos, std::size_t count) {
    if (pos > text.size() || text.size() - pos < count) return -1;
    int value = 0;
    for (std::size_t i = 0; i < count; ++i) {
        const char c = text[pos + i];
        if (c < '0' || c > '9') return -1;
        value = value * 10 + (c - '0');
    }
    pos += count;
    return value;
}

bool take(std::string_view text, std::size_t& pos, char c) {
    if (pos >= text.size() || text[pos] != c) return false;
    ++pos;
    return true;
}

}  // namespace

std::string isoDate(std::int64_t unixSeconds) {
    const std::chrono::year_month_day date = civilDate(unixSeconds);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(date.year()),
                  static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
    return buf;
}

std::string isoTimestamp(UtcMilliseconds time) {
    using namespace std::chrono;
    const sys_days day = floor<days>(time);
    const year_month_day date{day};
    const hh_mm_ss<milliseconds> clock{time - day};
    char buf[48];
    std::snprintf(
        buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", static_cast<int>(date.year()),
        static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
        static_cast<int>(clock.hours().count()), static_cast<int>(clock.minutes().count()),
        static_cast<int>(clock.seconds().count()), static_cast<int>(clock.subseconds().count()));
    return buf;
}

std::optional<UtcMilliseconds> parseIsoTimestamp(std::string_view text) {
    using namespace std::chrono;
    std::size_t pos = 0;
    const int y = digits(text, pos, 4);
    if (y < 0 || !take(text, pos, '-')) return std::nullopt;
    const int mo = digits(text, pos, 2);
    if (mo < 0 || !take(text, pos, '-')) return std::nullopt;
    const int d = digits(text, pos, 2);
    if (d < 0 || !take(text, pos, 'T')) return std::nullopt;
    const int h = digits(text, pos, 2);
    if (h < 0 || !take(text, pos, ':')) return std::nullopt;
    const int mi = digits(text, pos, 2);
    if (mi < 0 || !take(text, pos, ':')) return std::nullopt;
    const int s = digits(text, pos, 2);
    if (s < 0) return std::nullopt;
    int ms = 0;
    if (take(text, pos, '.') || take(text, pos, ',')) {
        std::size_t n = 0;
        for (; pos < text.size() && text[pos] >= '0' && text[pos] <= '9'; ++pos, ++n)
            if (n < 3) ms = ms * 10 + (text[pos] - '0');
        if (n == 0) return std::nullopt;
        for (; n < 3; ++n) ms *= 10;
    }
    int offsetMinutes = 0;
    if (!take(text, pos, 'Z') && pos < text.size()) {
        const char sign = text[pos++];
        if (sign != '+' && sign != '-') return std::nullopt;
        const int oh = digits(text, pos, 2);
        take(text, pos, ':');
        const int om = digits(text, pos, 2);
        if (oh < 0 || om < 0 || oh > 23 || om > 59) return std::nullopt;
        offsetMinutes = (sign == '-' ? -1 : 1) * (oh * 60 + om);
    }
    if (pos != text.size()) return std::nullopt;
    const year_month_day date{year{y}, month{static_cast<unsigned>(mo)},
                              day{static_cast<unsigned>(d)}};
    if (!date.ok() || h > 23 || mi > 59 || s > 59) return std::nullopt;
    const UtcMilliseconds time = UtcMilliseconds{sys_days{date}} + hours{h} +
                                 minutes{mi - offsetMinutes} + seconds{s} + milliseconds{ms};
    // In UTC the year must still have four digits, so that isoTimestamp() reads back.
    const year utcYear = year_month_day{floor<days>(time)}.year();
    if (utcYear < year{0} || utcYear > year{9999}) return std::nullopt;
    return time;
}

}  // namespace lens
