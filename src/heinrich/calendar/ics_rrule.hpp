#pragma once
// An ICS RRULE on top of RecurrenceRule (libical's iterator), with what the
// iterator gets wrong or cannot bound handled here:
// - UNTIL: libical compares it with the floating local occurrence field by
//   field, ignoring the zone (an UNTIL of 01:00Z cuts a 10:00 Seoul instance)
//   and a DATE UNTIL excludes its own day. UNTIL is therefore taken out of
//   the rule and applied to resolved instants by the caller.
// - icalrecur_iterator_set_start loses the phase of HOURLY, MINUTELY and
//   SECONDLY rules (instances shift by hours after the jump, even when the
//   jump lands on one); for those `align_period` lets the caller restart the
//   iterator from DTSTART moved ahead by whole periods instead. With a
//   BYHOUR, BYMINUTE, BYSECOND or BYDAY filter libical also gets the first
//   day after that start wrong, so such rules restart a week early.
// - Rules libical cannot expand in bounded time or correctly (FREQ=SECONDLY,
//   sub-daily rules with BYMONTH and the like, INTERVAL with BY parts below
//   daily, COUNT above 100,000) are refused by RecurrenceRule::cost, the same
//   list policy windows use.
#include <libical/ical.h>

#include <cstdint>
#include <optional>
#include <string_view>

#include "heinrich/calendar/rrule.hpp"
#include "heinrich/core/time.hpp"

namespace heinrich::ics {

enum class UntilKind : std::uint8_t { none, instant, date, floating };

struct Until {
  UntilKind kind = UntilKind::none;
  Instant instant{};  // kind == instant
  LocalTime local{};  // kind == date: that day 00:00; kind == floating: the wall time
};

// The largest count_reach: longer bounds are not worth keeping.
constexpr Seconds kMaxCountReach = days(200 * 366);

struct IcsRule {
  RecurrenceRule rule;  // without UNTIL
  Until until;
  std::int64_t count = 0;     // 0 = no COUNT
  Seconds align_period{0};    // sub-daily rules: INTERVAL x FREQ, 0 otherwise
  Seconds restart_margin{0};  // how far before the query a sub-daily restart must be
  // COUNT rules that yield at least one instance per period (or per week):
  // every start lies within this much wall time after DTSTART, so a query
  // past it can skip the series without asking libical (each iterator
  // libical makes costs tens of microseconds). nullopt when unknown.
  std::optional<Seconds> count_reach;
};

// Throws InputError with a message for the user; the caller adds the line.
IcsRule parse_rule(std::string_view value);

// A libical time as local wall time, if every field is in range (libical
// accepts "20251340" and "T250000").
std::optional<LocalTime> checked_local(const icaltimetype& time);

}  // namespace heinrich::ics
