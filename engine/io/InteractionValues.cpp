// The values of a user's interaction data: timestamps (Unix seconds or ISO 8601) and the rating
// scale detected from the ratings (io/InteractionReader.h).
#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <limits>

#include "io/InteractionReader.h"

namespace lens {
namespace {

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
std::int64_t daysFromCivil(std::int64_t y, unsigned m, unsigned d) {
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

bool digitsAt(std::string_view s, std::size_t pos, std::size_t count, int& value) {
    if (pos + count > s.size()) return false;
    value = 0;
    for (std::size_t i = pos; i < pos + count; ++i) {
        if (s[i] < '0' || s[i] > '9') return false;
        value = value * 10 + (s[i] - '0');
    }
    return true;
}

bool leapYear(int y) {
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

std::optional<std::int64_t> isoSeconds(std::string_view s) {
    int year = 0, month = 0, day = 0;
    if (!digitsAt(s, 0, 4, year) || s.size() < 10 || s[4] != '-' || !digitsAt(s, 5, 2, month) ||
        s[7] != '-' || !digitsAt(s, 8, 2, day))
        return std::nullopt;
    static constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12 || day < 1 ||
        day > kDays[static_cast<std::size_t>(month - 1)] + (month == 2 && leapYear(year)))
        return std::nullopt;
    std::int64_t seconds =
        daysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day)) * 86400;
    std::size_t p = 10;
    if (p == s.size()) return seconds;
    if (s[p] != 'T' && s[p] != 't' && s[p] != ' ') return std::nullopt;
    ++p;
    int hour = 0, minute = 0, second = 0;
    if (!digitsAt(s, p, 2, hour) || p + 2 >= s.size() || s[p + 2] != ':' ||
        !digitsAt(s, p + 3, 2, minute))
        return std::nullopt;
    p += 5;
    if (p < s.size() && s[p] == ':') {
        if (!digitsAt(s, p + 1, 2, second)) return std::nullopt;
        p += 3;
        if (p < s.size() && (s[p] == '.' || s[p] == ',')) {  // fraction: dropped
            ++p;
            const std::size_t start = p;
            while (p < s.size() && s[p] >= '0' && s[p] <= '9') ++p;
            if (p == start) return std::nullopt;
        }
    }
    if (hour > 24 || minute > 59 || second > 60 || (hour == 24 && (minute || second)))
        return std::nullopt;
    seconds += hour * 3600 + minute * 60 + std::min(second, 59);
    if (p == s.size()) return seconds;
    if ((s[p] == 'Z' || s[p] == 'z') && p + 1 == s.size()) return seconds;
    if (s[p] != '+' && s[p] != '-') return std::nullopt;
    const int sign = s[p] == '+' ? 1 : -1;
    int oh = 0, om = 0;
    if (!digitsAt(s, p + 1, 2, oh)) return std::nullopt;
    p += 3;
    if (p < s.size() && s[p] == ':') ++p;
    if (p < s.size()) {
        if (!digitsAt(s, p, 2, om)) return std::nullopt;
        p += 2;
    }
    if (p != s.size() || oh > 23 || om > 59) return std::nullopt;
    return seconds - sign * (oh * 3600 + om * 60);  // local time minus its offset = UTC
}

}  // namespace

std::optional<std::uint32_t> parseTimestamp(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r'))
        text.remove_suffix(1);
    if (text.empty()) return std::nullopt;
    std::int64_t seconds = 0;
    if (text.size() >= 10 && text[4] == '-') {
        const auto iso = isoSeconds(text);
        if (!iso) return std::nullopt;
        seconds = *iso;
    } else {
        // Unix seconds, possibly with a fraction ("1425212400.25").
        const std::string_view whole = text.substr(0, text.find('.'));
        const auto [end, ec] = std::from_chars(whole.data(), whole.data() + whole.size(), seconds);
        if (ec != std::errc() || end != whole.data() + whole.size()) return std::nullopt;
        if (whole.size() < text.size()) {
            const std::string_view fraction = text.substr(whole.size() + 1);
            if (fraction.empty() || !std::all_of(fraction.begin(), fraction.end(),
                                                 [](char c) { return c >= '0' && c <= '9'; }))
                return std::nullopt;
        }
    }
    if (seconds < 0 || seconds > std::numeric_limits<std::uint32_t>::max()) return std::nullopt;
    return static_cast<std::uint32_t>(seconds);
}

RatingScale detectRatingScale(std::span<const double> values, std::string* note) {
    if (values.empty()) return RatingScale{};
    const auto [lo, hi] = std::minmax_element(values.begin(), values.end());
    const double min = *lo, max = *hi;
    RatingScale scale;
    scale.min = static_cast<float>(min);
    scale.max = static_cast<float>(max);
    static constexpr std::array<double, 8> kSteps = {1, 0.5, 0.25, 0.2, 0.1, 0.05, 0.01, 0.001};
    for (double step : kSteps) {
        if ((max - min) / step > 254.0 + 1e-9) break;  // finer steps only have more levels
        bool fits = true;
        for (double v : values) {
            const double k = (v - min) / step;
            if (std::fabs(k - std::round(k)) > 1e-6 * std::max(1.0, std::fabs(k))) {
                fits = false;
                break;
            }
        }
        if (!fits) continue;
        scale.step = static_cast<float>(step);
        scale.offset = static_cast<float>(min - step);  // the smallest value is code 1
        return scale;
    }
    // More levels than a byte holds, or values off every grid: 254 equal steps.
    const double step = max > min ? (max - min) / 254.0 : 1.0;
    scale.step = static_cast<float>(step);
    scale.offset = static_cast<float>(min - step);
    if (note) {
        char text[160];
        std::snprintf(text, sizeof text,
                      "ratings rounded to 254 steps of %.6g between %g and %g (more distinct "
                      "values than one byte holds)",
                      step, min, max);
        *note = text;
    }
    return scale;
}

std::string ratingScaleText(const RatingScale& scale) {
    if (scale.implicit) return "implicit feedback (no ratings)";
    char text[96];
    std::snprintf(text, sizeof text, "%g-%g in steps of %g", static_cast<double>(scale.min),
                  static_cast<double>(scale.max), static_cast<double>(scale.step));
    return text;
}

}  // namespace lens
