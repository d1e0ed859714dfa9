#pragma once
// The large calendar the ICS tests and benchmarks load: shared so the unit
// tests, the in-process benchmarks and the whole-process timing all measure
// the same file.
#include <cstddef>
#include <cstdio>
#include <string>

namespace heinrich::test {

// A calendar of `count` timed events in a few zones, a fifth of them
// recurring: the shape of a large exported team calendar, ~120 bytes each.
inline std::string make_big_calendar(std::size_t count) {
  std::string text = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//heinrich//bench//EN\r\n";
  text.reserve(count * 130 + 100);
  const char* zones[] = {"Asia/Seoul", "Europe/Berlin", "America/New_York"};
  char line[160];
  for (std::size_t i = 0; i < count; ++i) {
    const unsigned month = static_cast<unsigned>(i % 12) + 1;
    const unsigned day = static_cast<unsigned>(i % 28) + 1;
    const unsigned hour = static_cast<unsigned>(i % 24);
    text += "BEGIN:VEVENT\r\n";
    std::snprintf(line, sizeof line, "UID:e%zu@b\r\n", i);
    text += line;
    if (i % 4 == 3) {
      std::snprintf(line, sizeof line, "DTSTART:2026%02u%02uT%02u0000Z\r\nDURATION:PT1H\r\n", month, day,
                    hour);
    } else {
      const char* zone = zones[i % 3];
      std::snprintf(line, sizeof line,
                    "DTSTART;TZID=%s:2026%02u%02uT%02u0000\r\nDTEND;TZID=%s:2026%02u%02uT%02u3000\r\n", zone,
                    month, day, hour, zone, month, day, hour);
    }
    text += line;
    if (i % 5 == 0) text += "RRULE:FREQ=WEEKLY;COUNT=8\r\n";
    std::snprintf(line, sizeof line, "SUMMARY:Event %zu\r\n", i);
    text += line;
    text += "END:VEVENT\r\n";
  }
  text += "END:VCALENDAR\r\n";
  return text;
}

}  // namespace heinrich::test
