#pragma once
// What an IcsCalendar holds once loaded: compact events that refer to their
// zones by index, and the index a query searches. Shared by the loader
// (ics.cpp) and the parsed-calendar cache (ics_cache.cpp); nothing outside
// the calendar layer includes it.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "heinrich/calendar/ics.hpp"
#include "heinrich/calendar/ics_rrule.hpp"
#include "heinrich/calendar/ics_zone.hpp"
#include "heinrich/core/time.hpp"

namespace heinrich {

namespace ics {

// A time value as written: a wall time and the zone that reads it. UTC
// times use the UTC zone, floating times and DATEs the floating zone.
struct Stamp {
  LocalTime wall{};  // a DATE is its day at 00:00
  std::uint32_t zone = kFloatingZone;
  bool date = false;
};

enum class Length : std::uint8_t {
  zero,    // DATE-TIME without DTEND or DURATION
  exact,   // `amount` seconds
  to_end,  // DTEND in the same zone: exact, resolved when first needed
  days,    // DATE events: `amount` local days
};

struct RDate {
  Stamp start;
  std::optional<Seconds> length;  // a PERIOD brings its own
};

struct Series {
  std::vector<IcsRule> rules;
  std::vector<RDate> rdates;
  std::vector<Instant> excluded;  // EXDATEs and the original starts of overrides, sorted
};

struct Event {
  Stamp start;
  Stamp end;  // Length::to_end
  std::int64_t amount = 0;
  Length length = Length::zero;
  std::optional<int> risk;
  std::string summary;
  std::unique_ptr<Series> series;  // null: a one-off event
  // Where an error about its instances points: its first RRULE, else its
  // BEGIN:VEVENT (the file's text is gone by the time it is expanded).
  std::int32_t line = 0;
};

}  // namespace ics

// Events sorted by where their first instance can be, so a query looks at
// the few that can reach it. Keys are wall times (a UTC time for UTC
// events): within kWallMargin of the instant.
struct IcsCalendar::Index {
  struct Entry {
    LocalTime first;  // earliest wall start
    LocalTime last;   // latest wall start (max() if unbounded)
    Seconds reach;    // how far past its start an instance can reach, in wall time
    std::uint32_t event;
  };
  ics::ZoneList zones;
  std::vector<ics::Event> events;
  std::vector<Entry> singles;  // sorted by first
  std::vector<Entry> series;   // sorted by first
  Seconds max_single_reach{0};
};

namespace ics {

// Sorts each series' exclusions and builds the query index over `events`.
std::unique_ptr<IcsCalendar::Index> build_index(ZoneList zones, std::vector<Event> events);

}  // namespace ics

}  // namespace heinrich
