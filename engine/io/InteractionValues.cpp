// The values of a user's interaction data: timestamps (Unix seconds or ISO 8601) and the rating
// scale detected from the ratings (io/InteractionReader.h).
#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <limits>

#include "io/InteractionReader.h"
#include "util/Calendar.h"

namespace lens {
namespace {

// An ISO 8601 date ("2015-03-01") or date-time ("2015-03-01T12:30", "2015-03-01 12:30:05.25Z",
// "+02:00" / "-0530" offsets): seconds since 1970 in UTC, through the engine's calendar
// (util/Calendar.h), which reads "YYYY-MM-DDTHH:MM:SS[.fff][zone]".
std::optional<std::int64_t> isoSeconds(std::string_view s) {
    if (s.size() == 10) {
        int y = 0;
        unsigned m = 0, d = 0;
        if (std::sscanf(std::string(s).c_str(), "%4d-%2u-%2u", &y, &m, &d) != 3 ||
            !std::all_of(s.begin(), s.end(),
                         [](char c) { return c == '-' || (c >= '0' && c <= '9'); }))
            return std::nullopt;
        const std::chrono::year_month_day date{std::chrono::year{y}, std::chrono::month{m},
                                               std::chrono::day{d}};
        if (!date.ok()) return std::nullopt;
        return unixSecondsOf(date);
    }
    if (s.size() < 16) return std::nullopt;
    std::string t(s);
    if (t[10] == ' ' || t[10] == 't') t[10] = 'T';
    if (t.size() == 16 || t[16] != ':') t.insert(16, ":00");  // minutes only
    const auto instant = parseIsoTimestamp(t);
    if (!instant) return std::nullopt;
    return std::chrono::floor<std::chrono::seconds>(*instant).time_since_epoch().count();
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
