#pragma once
// An RFC 5545 calendar file as an event source. libical parses the file once;
// each VEVENT becomes a compact record (no libical objects survive loading,
// except one icaltimezone per custom VTIMEZONE actually used), and recurring
// events are expanded lazily, only for the interval asked.
//
// Reading rules:
// - TZID: an IANA name known to ICU; else a Windows name (Outlook) mapped by
//   ICU's CLDR table; else the X-LIC-LOCATION of the file's VTIMEZONE if that
//   is IANA; else the file's VTIMEZONE itself through libical. Anything else
//   is an error at the line that uses it.
// - Floating times and all-day dates are read in `floating_zone`; an all-day
//   event on local date D runs from D 00:00 to D+1 00:00 there.
// - Local times in a DST gap take the offset before the gap; ambiguous ones
//   are the earlier instant (RFC 5545 3.3.5).
// - DTEND gives every instance the exact length of the first; DURATION is
//   exact; a DATE without either lasts one day, a DATE-TIME without either is
//   zero length (and still matches a query that contains its start).
// - EXDATE and RECURRENCE-ID match an instance by its start instant. An
//   override may move its instance anywhere; STATUS:CANCELLED removes it. An
//   override whose series is missing is kept as a one-off event.
// - UNTIL is inclusive and compared as an instant (a DATE UNTIL as a date);
//   UNTIL before DTSTART yields no rule instances, DTSTART included. COUNT
//   counts DTSTART as the first instance. COUNT with UNTIL is an error.
// - STATUS:CANCELLED on a whole event removes the event; VTODO, VJOURNAL and
//   VFREEBUSY are not events and are ignored.
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "heinrich/core/finding.hpp"
#include "heinrich/core/schedule.hpp"
#include "heinrich/core/zone.hpp"

namespace heinrich {

class IcsCache;

class IcsCalendar final : public Schedule {
 public:
  // One query may yield at most this many occurrences; more is an InputError
  // (a FREQ=SECONDLY rule asked about a year would otherwise exhaust memory).
  static constexpr std::size_t kMaxOccurrencesPerQuery = 1'000'000;
  // A larger file is refused.
  static constexpr std::size_t kMaxFileBytes = std::size_t{256} << 20U;

  // Parses the whole file once; expansion happens lazily in occurrences().
  // Malformed input throws SourceError at the offending line of `path`.
  // With a cache, a file whose exact bytes were loaded before is read back
  // from it instead of parsed (see ics_cache.hpp).
  static std::shared_ptr<const IcsCalendar> load_file(const std::string& path, const Zone& floating_zone,
                                                      const IcsCache* cache = nullptr);
  // The same for a file's bytes the caller read (read_whole_file, at most
  // kMaxFileBytes), so that it can say where a file that cannot be read was named.
  static std::shared_ptr<const IcsCalendar> load_text(std::string_view text, const std::string& path,
                                                      const Zone& floating_zone,
                                                      const IcsCache* cache = nullptr);
  static std::shared_ptr<const IcsCalendar> parse(std::string_view text, const std::string& path,
                                                  const Zone& floating_zone);

  ~IcsCalendar() override;
  IcsCalendar(const IcsCalendar&) = delete;
  IcsCalendar& operator=(const IcsCalendar&) = delete;

  // label = SUMMARY, risk = the event's own risk (X-HEINRICH-RISK, or a
  // CATEGORIES value risk=N / risk:N / heinrich-risk-N), else nullopt.
  void occurrences(const Interval& query, std::vector<Occurrence>& out) const override;
  // "ICS calendars/big-events.ics (12 events)"
  [[nodiscard]] std::string describe() const override;
  // VEVENT components in the file, overrides (RECURRENCE-ID) included.
  [[nodiscard]] std::size_t event_count() const { return m_event_count; }
  // What was read with a guess where the meaning is clear (H114: an Outlook
  // display-name TZID, DTEND with DURATION (the later end), a date-time marked VALUE=DATE,
  // whole days in seconds, a date-time EXDATE or RECURRENCE-ID of an all-day
  // series), each kind once at its first line. A calendar with warnings is
  // not cached.
  [[nodiscard]] const std::vector<Finding>& warnings() const { return m_warnings; }

  struct Index;  // the loaded events; opaque outside ics.cpp

 private:
  friend class IcsCache;  // saves and restores the Index
  IcsCalendar(std::string path, std::size_t event_count, std::unique_ptr<Index> index);

  std::string m_path;
  std::size_t m_event_count;
  std::unique_ptr<Index> m_index;
  std::vector<Finding> m_warnings;
};

}  // namespace heinrich
