#pragma once
// The pre-scan of an ICS file. libical reports neither line numbers nor
// unbalanced components, so one pass over the raw text checks the structure
// (BEGIN/END nesting, encoding) and remembers where each VEVENT property
// starts. It also picks the VEVENT properties heinrich reads, so libical
// parses a few lines per event instead of every DESCRIPTION and X- property.
// Content-line grammar (parameters, escapes, values) is left to libical.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace heinrich::ics {

// The VEVENT properties heinrich reads; everything else is skipped.
enum class Prop : std::uint8_t {
  dtstart,
  dtend,
  duration,
  rrule,
  exrule,
  rdate,
  exdate,
  recurrence_id,
  status,
  summary,
  categories,
  uid,
  sequence,
  risk,  // X-HEINRICH-RISK
};

struct ContentLine {
  Prop prop;
  int line;           // 1-based, of the first physical line
  std::size_t begin;  // raw bytes [begin, end) in the text: folds and line ending included
  std::size_t end;
};

struct EventBlock {
  int begin_line;          // of BEGIN:VEVENT
  std::size_t first_line;  // [first_line, last_line) in Scan::lines
  std::size_t last_line;
};

struct TimezoneBlock {
  int begin_line;     // of BEGIN:VTIMEZONE
  std::size_t begin;  // raw bytes of BEGIN:VTIMEZONE .. END:VTIMEZONE
  std::size_t end;
};

struct Scan {
  std::vector<ContentLine> lines;  // the kept VEVENT properties, event after event
  std::vector<EventBlock> events;
  std::vector<TimezoneBlock> timezones;
};

// Throws SourceError for a file that is not a well-formed iCalendar stream:
// empty, binary, invalid UTF-8, not starting with BEGIN:VCALENDAR, or with a
// component that is never closed.
Scan scan(std::string_view text, const std::string& path);

// The raw text of a content line with folds removed and without its line
// ending.
std::string unfold(std::string_view raw);
// The value of an unfolded content line: the text after the first ':' that
// is not inside a quoted parameter value.
std::string_view value_of(std::string_view unfolded);

}  // namespace heinrich::ics
