#pragma once
// IANA time zones through ICU. Local wall times are resolved explicitly:
// a time in a DST gap or overlap is never silently shifted.
#include <algorithm>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "heinrich/core/time.hpp"
#include "heinrich/util/error.hpp"

namespace heinrich {

// The one wording of a zone name that is not an IANA zone: "unknown time
// zone 'Asia/Seol'; did you mean 'Asia/Seoul'?" (the name quoted short), so
// the policy loader, plans, holiday files and --tz options say the same.
// An input error: exit 2 where nothing more precise catches it.
class UnknownZoneError : public InputError {
 public:
  explicit UnknownZoneError(std::string_view name);
  [[nodiscard]] const std::string& suggestion() const { return m_suggestion; }

 private:
  UnknownZoneError(std::string_view name, std::string suggestion);
  std::string m_suggestion;
};

enum class LocalKind { unique, ambiguous, gap };

struct LocalResolution {
  LocalKind kind = LocalKind::unique;
  Instant earlier;  // unique: the instant; ambiguous: first of the two; gap: pre-gap offset
  Instant later;    // ambiguous: second of the two; otherwise == earlier
  // For gaps and overlaps: the local wall-clock span that is skipped/repeated.
  LocalTime transition_local_from{};
  LocalTime transition_local_to{};
};

class Zone {
 public:
  // Zones are immutable and cached for the process; the reference stays valid.
  // An unknown name throws UnknownZoneError, with the closest known zone.
  static const Zone& get(std::string_view iana_name);
  // nullptr for an unknown name: for callers that try several readings of
  // a name (ICS TZIDs) and need no suggestion.
  static const Zone* find(std::string_view iana_name);
  static const Zone& utc();
  // Suggests the closest known zone ID for a misspelt one ("" if none is close).
  static std::string suggest(std::string_view misspelt);

  ~Zone();
  Zone(const Zone&) = delete;
  Zone& operator=(const Zone&) = delete;

  [[nodiscard]] const std::string& name() const { return m_name; }
  [[nodiscard]] Seconds offset_at(Instant instant) const;
  [[nodiscard]] LocalTime to_local(Instant instant) const;
  [[nodiscard]] LocalResolution resolve(LocalTime local) const;
  // RFC 5545 reading used for rule boundaries: a time in a gap takes the
  // offset in force before the gap; an ambiguous time is the earlier instant.
  [[nodiscard]] Instant to_instant(LocalTime local) const { return resolve(local).earlier; }
  // The local span [from, to) with both ends read as to_instant. Where a DST
  // gap would put the end before the start (a span inside the skipped hour,
  // "02:30-03:00" on a spring-forward day), the span is empty at its start:
  // schedules never yield an inverted interval, which no overlap test reads
  // the same way twice.
  [[nodiscard]] Interval to_interval(LocalTime from, LocalTime to) const {
    const Instant start = to_instant(from);
    return {start, std::max(start, to_instant(to))};
  }
  // RFC 3339 with the offset in force, e.g. "2026-12-24T18:00:00+09:00".
  [[nodiscard]] std::string format(Instant instant) const;

 private:
  struct Impl;
  Zone(std::string name, std::unique_ptr<Impl> impl);
  std::string m_name;
  std::unique_ptr<Impl> m_impl;
};

}  // namespace heinrich
