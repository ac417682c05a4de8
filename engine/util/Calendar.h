#pragma once
// The engine's calendar arithmetic in one place, on the C++20 std::chrono calendar (proleptic
// Gregorian, UTC): the civil date of a Unix time (rating timestamps, the temporal split's
// cut-off, the synthetic generator's clock), the Unix time of a civil date, and the ISO-8601
// timestamps of the run history. Unix times before 1970 are negative and round towards the past
// (one second before 1970 is 1969-12-31).
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace lens {

// A UTC instant to the millisecond (the run history's start times).
using UtcMilliseconds = std::chrono::sys_time<std::chrono::milliseconds>;

// The civil date of the day holding `unixSeconds`.
inline std::chrono::year_month_day civilDate(std::int64_t unixSeconds) {
    using namespace std::chrono;
    return year_month_day{floor<days>(sys_seconds{seconds{unixSeconds}})};
}

// The year of a day counted from 1970-01-01 (day 0).
inline int civilYearOfDay(std::int64_t daysSinceEpoch) {
    using namespace std::chrono;
    return static_cast<int>(year_month_day{sys_days{days{daysSinceEpoch}}}.year());
}

inline int civilYear(std::int64_t unixSeconds) {
    return static_cast<int>(civilDate(unixSeconds).year());
}

// Unix time of 00:00:00 UTC on a civil date.
inline std::int64_t unixSecondsOf(std::chrono::year_month_day date) {
    using namespace std::chrono;
    return sys_seconds{sys_days{date}}.time_since_epoch().count();
}

// Unix time of 00:00:00 UTC on January 1 of `year`.
inline std::int64_t startOfYear(int year) {
    using namespace std::chrono;
    return unixSecondsOf(std::chrono::year{year} / January / 1);
}

// "2008-01-10": the civil date of a Unix time.
std::string isoDate(std::int64_t unixSeconds);

// "2026-11-27T03:22:01.250Z" (UTC, always with milliseconds).
std::string isoTimestamp(UtcMilliseconds time);

// Reads "YYYY-MM-DDTHH:MM:SS" with optional fractional seconds (".250", cut to milliseconds)
// and an optional zone ("Z", "+02:00", "-0530"; none means UTC). nullopt for anything else,
// an impossible date ("2026-02-30") or time ("25:00:00") and an instant outside the years
// 0000-9999 in UTC included.
std::optional<UtcMilliseconds> parseIsoTimestamp(std::string_view text);

}  // namespace lens
