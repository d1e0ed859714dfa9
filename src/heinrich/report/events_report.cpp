#include "heinrich/report/events_report.hpp"

#include <fmt/format.h>

#include <algorithm>

#include <nlohmann/json.hpp>

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

// RFC 5545 3.3.11: escape backslash, semicolon, comma and newlines in TEXT.
std::string ics_text(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '\\' || c == ';' || c == ',') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    if (c == '\r') continue;
    out += c;
  }
  return out;
}

// RFC 5545 3.1: lines longer than 75 octets are folded, never inside a
// UTF-8 sequence.
std::string ics_line(const std::string& line) {
  std::string out;
  std::size_t width = 0;  // octets on the current physical line
  for (std::size_t i = 0; i < line.size();) {
    const auto c = static_cast<unsigned char>(line[i]);
    std::size_t length = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : 4;
    length = std::min(length, line.size() - i);
    if (width + length > 75) {
      out += "\r\n ";
      width = 1;  // the leading space counts
    }
    out.append(line, i, length);
    width += length;
    i += length;
  }
  return out + "\r\n";
}

std::string ics_utc(Instant instant) {
  const auto day = std::chrono::floor<std::chrono::days>(instant);
  const std::chrono::year_month_day ymd{day};
  const std::chrono::hh_mm_ss hms{instant - day};
  return fmt::format("{:04}{:02}{:02}T{:02}{:02}{:02}Z", int(ymd.year()), unsigned(ymd.month()),
                     unsigned(ymd.day()), hms.hours().count(), hms.minutes().count(), hms.seconds().count());
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
  const Zone& zone = *report.context.zone;
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const EventRow& row : report.rows) {
    const auto risk = row.risk();
    out.push_back({{"source", row.rule->name},
                   {"name", row.name()},
                   {"start", format_utc(row.occurrence.span.start)},
                   {"end", format_utc(row.occurrence.span.end)},
                   {"local_start", zone.format(row.occurrence.span.start)},
                   {"local_end", zone.format(row.occurrence.span.end)},
                   {"risk", risk ? nlohmann::ordered_json(*risk) : nlohmann::ordered_json(nullptr)},
                   {"kind", to_string(row.rule->kind)},
                   {"action", to_string(row.rule->action)}});
  }
  return out.dump(2) + "\n";
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
  std::string out;
  out += ics_line("BEGIN:VCALENDAR");
  out += ics_line("VERSION:2.0");
  out += ics_line("PRODID:-//heinrich//heinrich events//EN");
  out += ics_line("CALSCALE:GREGORIAN");
  out += ics_line("X-WR-CALNAME:" + ics_text("heinrich events (" + report.context.policy_path + ")"));
  for (const EventRow& row : report.rows) {
    const Interval& span = row.occurrence.span;
    // Stable across exports, so a subscribed calendar updates in place.
    const std::string uid = fmt::format(
        "{}-{}@heinrich", std::hash<std::string>{}(row.rule->name + "|" + row.name()), ics_utc(span.start));
    out += ics_line("BEGIN:VEVENT");
    out += ics_line("UID:" + uid);
    out += ics_line("DTSTAMP:" + ics_utc(report.generated_at));
    out += ics_line("DTSTART:" + ics_utc(span.start));
    out += ics_line("DTEND:" + ics_utc(span.end));
    out += ics_line("SUMMARY:" + ics_text(row.name()));
    out += ics_line("CATEGORIES:" + ics_text(row.rule->name));
    if (const auto risk = row.risk()) out += ics_line("X-HEINRICH-RISK:" + std::to_string(*risk));
    out += ics_line("X-HEINRICH-SOURCE:" + ics_text(row.rule->source.format()));
    out += ics_line("END:VEVENT");
  }
  out += ics_line("END:VCALENDAR");
  return out;
}

}  // namespace heinrich
