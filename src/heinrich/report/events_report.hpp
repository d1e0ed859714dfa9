#pragma once
// Every event instance a policy sees over a range (`heinrich events`).
#include <optional>
#include <string>
#include <vector>

#include "heinrich/core/rule.hpp"
#include "heinrich/report/reports.hpp"

namespace heinrich {

struct EventRow {
  const Rule* rule = nullptr;
  Occurrence occurrence;
  [[nodiscard]] std::string name() const { return occurrence.label.empty() ? rule->name : occurrence.label; }
  [[nodiscard]] std::optional<int> risk() const;
};

struct EventsReport {
  RunContext context;
  Interval range;
  std::vector<EventRow> rows;  // sorted by start, then source
  Instant generated_at;        // DTSTAMP of the ICS export
};

std::string render_events_text(const EventsReport& report);
std::string render_events_json(const EventsReport& report);
std::string render_events_csv(const EventsReport& report);
std::string render_events_ics(const EventsReport& report);

}  // namespace heinrich
