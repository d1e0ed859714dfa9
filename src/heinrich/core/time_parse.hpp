#pragma once
// Parsing of the TIME arguments of the CLI contract (DESIGN.md section 2).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "heinrich/core/clock.hpp"
#include "heinrich/core/zone.hpp"

namespace heinrich {

// The years heinrich answers for, on input and so on output. Before 1900
// every zone is local mean time; the upper bound leaves room for each time
// derived from an input (a duration of up to ten years, an event of up to a
// hundred) to be written with four digits, as RFC 3339 requires.
inline constexpr int kFirstSupportedYear = 1900;
inline constexpr int kLastSupportedYear = 8999;
// Throws InputError naming `what` unless `year` is in that range.
void check_supported_year(int year, std::string_view what);

struct ResolvedTime {
  Instant instant;
  std::vector<std::string> notes;  // e.g. "ambiguous local time: took the earlier instant"
};

// A civil date-time as written, with an optional explicit UTC offset.
struct CivilTime {
  LocalTime local;
  std::optional<Seconds> offset;
  bool date_only = false;
};

// "2026-12-24", "2026-12-24T18:00[:SS]", "2026-12-24 18:00", with optional
// "Z" / "+09:00" / "+0900". nullopt if the text is not of that form; throws
// InputError for well-formed text with impossible values (2026-02-30, 25:00).
std::optional<CivilTime> parse_civil(std::string_view text);

// Local time -> instant in `zone`: a time in a DST gap is an error that
// names the gap; an ambiguous time takes the earlier instant, with a note.
ResolvedTime resolve_strict(LocalTime local, const Zone& zone);

// TIME: ISO with offset, local (read in `zone`), "now", or relative "+2h".
ResolvedTime parse_time_argument(std::string_view text, const Zone& zone, const Clock& clock);

}  // namespace heinrich
