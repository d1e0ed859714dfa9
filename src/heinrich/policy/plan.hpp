#pragma once
// A release plan (`heinrich audit --plan FILE`): the releases a team means to
// ship, as CSV, TOML or an ICS release calendar.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "heinrich/core/rule.hpp"
#include "heinrich/core/zone.hpp"

namespace heinrich {

struct PlannedRelease {
  std::string service;
  std::optional<std::string> environment;  // nullopt: --env, else the policy's default
  Instant start;
  std::optional<Seconds> duration;  // nullopt: the policy's default
  SourceLocation where;             // the CSV line, the [[release]] table; the file alone for ICS
  std::vector<std::string> notes;   // e.g. an ambiguous local time resolved to the earlier instant
};

// Each release is checked like one `heinrich check`: a plan of more is a
// positioned error (a minutely ICS event made 525,000 releases, 27 s).
constexpr std::size_t kMaxPlanReleases = 10'000;

struct Plan {
  std::string path;
  std::string format;  // "csv", "toml", "ics"
  std::vector<PlannedRelease> releases;
};

// CSV (RFC 4180): a header line naming the columns, in any order: service and
// start are required, environment and duration optional; then one release
// per line. Blank lines and lines starting with '#' are skipped. Local times
// are read in `zone`; a time in a DST gap is an error. Every mistake is a
// SourceError at its line and column.
Plan parse_plan_csv(std::string_view text, const std::string& path, const Zone& zone);

// TOML: an optional top-level timezone (default `zone`), then [[release]]
// tables with service, start, and optional environment and duration.
Plan parse_plan_toml(std::string_view text, const std::string& path, const Zone& zone);

// A release calendar: each event occurrence that starts within `range` is a
// release. SUMMARY is the service; "[prod] payments 2.3" names the
// environment too. The event's length is the release's duration.
Plan plan_from_events(const std::vector<Occurrence>& events, const std::string& path, const Interval& range);

// By extension: .csv, .toml or .ics. ICS events are read with floating times
// in `zone` and taken from `ics_range` (recurring events are endless).
Plan load_plan_file(const std::string& path, const Zone& zone, const Interval& ics_range);

}  // namespace heinrich
