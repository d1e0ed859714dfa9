#include "heinrich/report/events_report.hpp"

#include <fmt/format.h>

#include <algorithm>

#include <nlohmann/json.hpp>

#include "heinrich/report/ics_writer.hpp"

namespace heinrich {

namespace {

// RFC 4180: quote a field that holds a comma, a quote or a line break.
std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string risk_text(const std::optional<int>& risk) {
  return risk ? std::to_string(*risk) : std::string{};
}

}  // namespace

std::optional<int> EventRow::risk() const {
  if (occurrence.risk) return occurrence.risk;
  if (rule->action == Action::score) return rule->risk;
  return std::nullopt;
}

std::string render_events_text(const EventsReport& report) {
  const Zone& zone = *report.context.zone;
  std::string out = fmt::format("{} event(s) from {} to {} ({})\n\n", report.rows.size(),
                                format_for_people(zone, report.range.start),
                                format_for_people(zone, report.range.end), zone.name());
  for (const EventRow& row : report.rows) {
    const std::string weight =
        row.risk() ? fmt::format("risk {:>3}", *row.risk()) : std::string(to_string(row.rule->action));
    out += fmt::format("{}  {:<8}  {:<18} {}\n", format_for_people(zone, row.occurrence.span.start), weight,
                       row.rule->name, row.name());
  }
  if (report.context.clock_overridden) out += "note: the clock is overridden by HEINRICH_NOW\n";
  return out;
}

std::string render_events_json(const EventsReport& report) {
  // Row by row, as `dump(2)` of the whole array would print it, without the
  // whole array's JSON tree (3.6 KB a row: 100,000 rows took 370 MB).
  const Zone& zone = *report.context.zone;
  if (report.rows.empty()) return "[]\n";
  std::string out = "[\n";
  bool first = true;
  for (const EventRow& row : report.rows) {
    const auto risk = row.risk();
    const nlohmann::ordered_json object = {
        {"source", row.rule->name},
        {"name", row.name()},
        {"start", format_utc(row.occurrence.span.start)},
        {"end", format_utc(row.occurrence.span.end)},
        {"local_start", zone.format(row.occurrence.span.start)},
        {"local_end", zone.format(row.occurrence.span.end)},
        {"risk", risk ? nlohmann::ordered_json(*risk) : nlohmann::ordered_json(nullptr)},
        {"kind", to_string(row.rule->kind)},
        {"action", to_string(row.rule->action)}};
    if (!first) out += ",\n";
    first = false;
    const std::string text = object.dump(2);
    out += "  ";
    for (const char c : text) {
      out += c;
      if (c == '\n') out += "  ";
    }
  }
  return out + "\n]\n";
}

std::string render_events_csv(const EventsReport& report) {
  const Zone& zone = *report.context.zone;
  std::string out = "source,name,local_start,local_end,start,end,risk\n";
  for (const EventRow& row : report.rows) {
    out += fmt::format("{},{},{},{},{},{},{}\n", csv_field(row.rule->name), csv_field(row.name()),
                       zone.format(row.occurrence.span.start), zone.format(row.occurrence.span.end),
                       format_utc(row.occurrence.span.start), format_utc(row.occurrence.span.end),
                       risk_text(row.risk()));
  }
  return out;
}

std::string render_events_ics(const EventsReport& report) {
  IcsWriter ics("-//heinrich//heinrich events//EN", "heinrich events (" + report.context.policy_path + ")");
  for (const EventRow& row : report.rows) {
    const Interval& span = row.occurrence.span;
    // Stable across exports, so a subscribed calendar updates in place.
    const std::string uid = fmt::format(
        "{}-{}@heinrich", std::hash<std::string>{}(row.rule->name + "|" + row.name()), ics_utc(span.start));
    ics.line("BEGIN:VEVENT");
    ics.line("UID:" + uid);
    ics.line("DTSTAMP:" + ics_utc(report.generated_at));
    ics.line("DTSTART:" + ics_utc(span.start));
    ics.line("DTEND:" + ics_utc(span.end));
    ics.text("SUMMARY", row.name());
    ics.text("CATEGORIES", row.rule->name);
    if (const auto risk = row.risk()) ics.line("X-HEINRICH-RISK:" + std::to_string(*risk));
    ics.text("X-HEINRICH-SOURCE", row.rule->source.format());
    ics.line("END:VEVENT");
  }
  return ics.finish();
}

}  // namespace heinrich
