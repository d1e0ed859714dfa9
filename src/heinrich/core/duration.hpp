#pragma once
#include <string>
#include <string_view>

#include "heinrich/core/time.hpp"

namespace heinrich {

// "90m", "2h", "1h30m", "1d", "45s", "1w" and ISO-8601 "PT1H30M" / "P1D".
// Throws InputError naming what is wrong.
Seconds parse_duration(std::string_view text);
// Shortest exact form: 5400s -> "1h30m".
std::string format_duration(Seconds duration);

}  // namespace heinrich
