#pragma once
// Lunisolar dates through ICU's calendars (no home-made lunar arithmetic).
#include <chrono>
#include <string_view>

namespace heinrich {

enum class LunarCalendar { korean_dangi, chinese };

// The Gregorian date of lunar month/day in the lunar year that begins in
// `gregorian_year` (so Seollal, Buddha's Birthday and Chuseok of one
// Gregorian year share it). Throws InputError if ICU cannot compute it.
std::chrono::year_month_day lunar_to_gregorian(LunarCalendar calendar, int gregorian_year,
                                               unsigned lunar_month, unsigned lunar_day);

// "dangi" / "korean" / "chinese"; throws InputError otherwise.
LunarCalendar parse_lunar_calendar(std::string_view name);

}  // namespace heinrich
