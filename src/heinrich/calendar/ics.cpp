#include "heinrich/calendar/ics.hpp"

#include <libical/ical.h>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <fstream>
#include <tuple>
#include <unordered_map>

#include "heinrich/calendar/ics_cache.hpp"
#include "heinrich/calendar/ics_model.hpp"
#include "heinrich/calendar/ics_rrule.hpp"
#include "heinrich/calendar/ics_scan.hpp"
#include "heinrich/calendar/ics_zone.hpp"
#include "heinrich/util/diagnostic.hpp"
#include "heinrich/util/error.hpp"
#include "heinrich/util/file_io.hpp"
#include "heinrich/util/text.hpp"

namespace heinrich {

using ics::Event;
using ics::Length;
using ics::Stamp;

namespace {

// Every instance looked at counts, in or out of the query, so a rule that
// is slow to reach the query cannot run unbounded either.
constexpr std::size_t kMaxVisitsPerQuery = 4 * IcsCalendar::kMaxOccurrencesPerQuery;
// Wall times differ from UTC by less than a day, transitions included.
constexpr Seconds kWallMargin = days(2);
// Longer events are mistakes, and would push date arithmetic out of range.
constexpr Seconds kMaxLength = days(36'525);

struct ComponentFree {
  void operator()(icalcomponent* component) const { icalcomponent_free(component); }
};
using ComponentPtr = std::unique_ptr<icalcomponent, ComponentFree>;

ComponentPtr parse_component(const std::string& text) {
  icalerror_clear_errno();
  ComponentPtr component(icalparser_parse_string(text.c_str()));
  icalerror_clear_errno();
  return component;
}

const char* first_error(icalcomponent* component) {
  icalproperty* error = icalcomponent_get_first_property(component, ICAL_XLICERROR_PROPERTY);
  if (error == nullptr) return nullptr;
  const char* text = icalproperty_get_xlicerror(error);
  return text != nullptr ? text : "libical could not parse it";
}

std::optional<int> to_risk(std::string_view text) {
  text = trim(text);
  int value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size() || value < 0 || value > 100)
    return std::nullopt;
  return value;
}

// "risk=80", "risk:80", "heinrich-risk-80" (any case). A category that is
// about risk but has no valid number is an error, not a silent default.
struct CategoryRisk {
  bool is_risk = false;
  std::optional<int> value;
};

CategoryRisk category_risk(std::string_view category) {
  category = trim(category);
  for (std::string_view prefix : {"risk=", "risk:", "heinrich-risk-"})
    if (istarts_with(category, prefix)) return {true, to_risk(category.substr(prefix.size()))};
  return {};
}

bool overlaps(const Interval& span, const Interval& query) {
  // A zero-length instance matches a query that contains its start.
  if (span.start == span.end) return query.start <= span.start && span.start < query.end;
  return span.overlaps(query);
}

// libical's icaldurationtype_as_int overflows an int past 68 years.
Seconds seconds_of(const icaldurationtype& duration) {
  return days(7 * std::int64_t{duration.weeks} + std::int64_t{duration.days}) + hours(duration.hours) +
         minutes(duration.minutes) + Seconds{duration.seconds};
}

Seconds wall_reach(const ics::Event& event) {
  switch (event.length) {
    case Length::zero:
      return Seconds{0};
    case Length::exact:
    case Length::to_end:
      return Seconds{event.amount};
    case Length::days:
      return days(event.amount);
  }
  return Seconds{0};
}

LocalTime day_of(LocalTime wall) {
  return std::chrono::floor<std::chrono::days>(wall);
}

// Only a date-time at 00:00:00 names a day without doubt; another time of
// day could mean the day before or after in some zone, so it stays refused.
bool is_midnight(LocalTime wall) {
  return day_of(wall) == wall;
}

// Loads one file: scan, then one libical parse per VEVENT of just the
// properties heinrich reads, then a compact Event.
class Loader {
 public:
  Loader(std::string_view text, const std::string& path, const Zone& floating_zone)
      : m_text(text),
        m_path(path),
        m_scan(ics::scan(text, path)),
        m_zones(floating_zone, text, m_scan.timezones, path) {}

  struct Result {
    ics::ZoneList zones;
    std::vector<Event> events;
    std::size_t vevents = 0;
    std::vector<Finding> warnings;
  };

  Result run() {
    std::string buffer;
    for (const auto& block : m_scan.events) load_event(block, buffer);
    link_overrides();
    count_repeats();
    return {m_zones.take_zones(), std::move(m_events), m_scan.events.size(), std::move(m_warnings)};
  }

 private:
  // What loading needs beyond the Event: how overrides find their series.
  struct Override {
    std::string uid;
    Instant original;  // RECURRENCE-ID, resolved
    bool date = false;
    int sequence = 0;
    std::size_t order = 0;
    bool cancelled = false;
    int line = 0;
    Event event;
    LocalTime wall{};  // RECURRENCE-ID as written, for a DATE series' day
  };

  [[noreturn]] void fail(int line, const std::string& message, const std::string& hint = {}) const {
    throw SourceError(SourceLocation{m_path, line, 1}, message, std::string(line_of(m_text, line)), hint);
  }

  // Liberal where the meaning is clear, and saying so at the line: once
  // per message, at its first line, with how many more there are (a Google
  // export repeats one quirk in every event).
  void warn(int line, const std::string& message) {
    for (std::size_t i = 0; i < m_warnings.size(); ++i)
      if (m_warnings[i].message == message) {
        ++m_repeats[i];
        return;
      }
    Finding finding;
    finding.code = "H114";
    finding.severity = Severity::warning;
    finding.where = SourceLocation{m_path, line, 1};
    finding.message = message;
    finding.hint = "re-export the calendar, or fix the line, to silence this";
    finding.source_line = std::string(line_of(m_text, line));
    m_warnings.push_back(std::move(finding));
    m_repeats.push_back(0);
  }

  void count_repeats() {
    for (std::size_t i = 0; i < m_warnings.size(); ++i)
      if (m_repeats[i] > 0)
        m_warnings[i].message += " (and " + std::to_string(m_repeats[i]) + " more line" +
                                 (m_repeats[i] == 1 ? "" : "s") + " like it)";
  }

  // The line of a property in a block: the first of its kind whose text
  // contains `needle`, else the first of its kind, else the BEGIN:VEVENT.
  int line_for(const ics::EventBlock& block, ics::Prop prop, std::string_view needle = {}) const {
    int first = 0;
    for (std::size_t i = block.first_line; i < block.last_line; ++i) {
      const auto& line = m_scan.lines[i];
      if (line.prop != prop) continue;
      if (first == 0) first = line.line;
      if (needle.empty() ||
          m_text.substr(line.begin, line.end - line.begin).find(needle) != std::string_view::npos)
        return line.line;
    }
    return first != 0 ? first : block.begin_line;
  }

  // libical reads "DTSTART;VALUE=DATE:20110804T120000" as a date-time and
  // keeps no trace of the VALUE parameter, so the raw line is asked.
  bool marked_value_date(const ics::EventBlock& block, ics::Prop prop) const {
    for (std::size_t i = block.first_line; i < block.last_line; ++i) {
      const auto& line = m_scan.lines[i];
      if (line.prop != prop) continue;
      std::string head(m_text.substr(line.begin, std::min<std::size_t>(line.end - line.begin, 512)));
      head = to_upper(head.substr(0, head.find(':')));
      const auto at = head.find(";VALUE=DATE");
      return at != std::string::npos && head.compare(at, 16, ";VALUE=DATE-TIME") != 0;
    }
    return false;
  }

  void append_raw(std::string& buffer, const ics::ContentLine& line) const {
    buffer.append(m_text.substr(line.begin, line.end - line.begin));
    if (buffer.back() != '\n') buffer += "\r\n";
  }

  // libical turns a value it cannot parse into an X-LIC-ERROR property and
  // drops the original; parsing the block's lines one at a time finds it.
  [[noreturn]] void fail_libical(const ics::EventBlock& block, const char* fallback) const {
    std::string single;
    for (std::size_t i = block.first_line; i < block.last_line; ++i) {
      const auto& line = m_scan.lines[i];
      if (line.prop == ics::Prop::rrule || line.prop == ics::Prop::exrule) continue;
      single = "BEGIN:VEVENT\r\n";
      append_raw(single, line);
      single += "END:VEVENT\r\n";
      const ComponentPtr component = parse_component(single);
      if (!component) fail(line.line, "libical cannot parse this line");
      if (const char* why = first_error(component.get()))
        fail(line.line, std::string("invalid value: ") + why);
    }
    fail(block.begin_line, std::string("invalid VEVENT: ") + fallback);
  }

  Stamp stamp(icalproperty* property, const icaltimetype& time, const ics::EventBlock& block, ics::Prop prop,
              const char* what) {
    const auto wall = ics::checked_local(time);
    if (!wall) {
      const char* shown = icaltime_as_ical_string(time);
      const std::string value = shown != nullptr ? shown : "";
      fail(line_for(block, prop, value),
           std::string("invalid ") + what + " value " + value + " (no such date or time)");
    }
    if (time.is_date != 0) return {*wall, ics::kFloatingZone, true};
    // "DTSTART;VALUE=DATE:20110804T120000": the writer said a date; the
    // time part is dropped and the reader told.
    if (marked_value_date(block, prop)) {
      warn(line_for(block, prop), std::string(what) +
                                      " is marked VALUE=DATE but holds a date and time: read as the date, "
                                      "a whole day");
      return {std::chrono::floor<std::chrono::days>(*wall), ics::kFloatingZone, true};
    }
    if (icaltime_is_utc(time) != 0) return {*wall, ics::kUtcZone, false};
    icalparameter* tzid_parameter = icalproperty_get_first_parameter(property, ICAL_TZID_PARAMETER);
    const char* tzid = tzid_parameter != nullptr ? icalparameter_get_tzid(tzid_parameter) : nullptr;
    if (tzid == nullptr) return {*wall, ics::kFloatingZone, false};
    if (tzid != m_last_tzid) {
      m_last_tzid = tzid;
      const auto zone = m_zones.resolve(m_last_tzid);
      if (!zone) {
        m_last_tzid.clear();
        fail(line_for(block, prop, tzid), "unknown TZID '" + excerpt(tzid) + "'",
             "not an IANA zone, not a Windows zone ID or display name, and no VTIMEZONE in this file "
             "defines it");
      }
      if (auto guess = m_zones.take_guess()) warn(line_for(block, prop, tzid), *guess);
      m_last_zone = *zone;
    }
    return {*wall, m_last_zone, false};
  }

  Instant instant(const Stamp& at) const { return m_zones.zone(at.zone).to_instant(at.wall); }

  void load_event(const ics::EventBlock& block, std::string& buffer) {
    buffer = "BEGIN:VEVENT\r\n";
    std::vector<const ics::ContentLine*> rules;
    for (std::size_t i = block.first_line; i < block.last_line; ++i) {
      const auto& line = m_scan.lines[i];
      if (line.prop == ics::Prop::exrule)
        fail(line.line, "EXRULE is not supported (RFC 5545 deprecated it)",
             "use EXDATE for each excluded instance");
      if (line.prop == ics::Prop::rrule) {
        rules.push_back(&line);
      } else if (line.prop == ics::Prop::summary &&
                 trim(ics::value_of(ics::unfold(m_text.substr(line.begin, line.end - line.begin)))).empty()) {
        // "SUMMARY:" is valid (RFC 5545 TEXT may be empty; Google writes
        // it) but libical rejects it: an event without a title.
      } else {
        append_raw(buffer, line);
      }
    }
    buffer += "END:VEVENT\r\n";
    const ComponentPtr component = parse_component(buffer);
    if (!component || icalcomponent_isa(component.get()) != ICAL_VEVENT_COMPONENT)
      fail(block.begin_line, "libical cannot parse this VEVENT");
    if (const char* why = first_error(component.get())) fail_libical(block, why);

    Event event;
    event.line = rules.empty() ? block.begin_line : rules.front()->line;
    std::optional<Stamp> start;
    std::optional<Stamp> end;
    std::optional<icaldurationtype> duration;
    std::optional<Stamp> recurrence_id;
    std::vector<Stamp> exdates;
    std::vector<ics::RDate> rdates;
    std::string uid;
    int sequence = 0;
    bool cancelled = false;
    bool has_summary = false;
    std::optional<int> explicit_risk;
    std::optional<int> category_risk_value;

    auto once = [&](bool seen, ics::Prop prop, const char* name) {
      if (seen) fail(line_for(block, prop), std::string(name) + " appears twice in one VEVENT");
    };
    icalcomponent* vevent = component.get();
    for (icalproperty* p = icalcomponent_get_first_property(vevent, ICAL_ANY_PROPERTY); p != nullptr;
         p = icalcomponent_get_next_property(vevent, ICAL_ANY_PROPERTY)) {
      switch (icalproperty_isa(p)) {
        case ICAL_DTSTART_PROPERTY:
          once(start.has_value(), ics::Prop::dtstart, "DTSTART");
          start = stamp(p, icalproperty_get_dtstart(p), block, ics::Prop::dtstart, "DTSTART");
          break;
        case ICAL_DTEND_PROPERTY:
          once(end.has_value(), ics::Prop::dtend, "DTEND");
          end = stamp(p, icalproperty_get_dtend(p), block, ics::Prop::dtend, "DTEND");
          break;
        case ICAL_DURATION_PROPERTY:
          once(duration.has_value(), ics::Prop::duration, "DURATION");
          duration = icalproperty_get_duration(p);
          break;
        case ICAL_RECURRENCEID_PROPERTY: {
          once(recurrence_id.has_value(), ics::Prop::recurrence_id, "RECURRENCE-ID");
          if (icalparameter* range = icalproperty_get_first_parameter(p, ICAL_RANGE_PARAMETER))
            if (icalparameter_get_range(range) == ICAL_RANGE_THISANDFUTURE)
              fail(line_for(block, ics::Prop::recurrence_id),
                   "RECURRENCE-ID;RANGE=THISANDFUTURE is not supported",
                   "export the calendar with each changed instance as its own override");
          recurrence_id =
              stamp(p, icalproperty_get_recurrenceid(p), block, ics::Prop::recurrence_id, "RECURRENCE-ID");
          break;
        }
        case ICAL_EXDATE_PROPERTY:
          exdates.push_back(stamp(p, icalproperty_get_exdate(p), block, ics::Prop::exdate, "EXDATE"));
          break;
        case ICAL_RDATE_PROPERTY: {
          const icaldatetimeperiodtype value = icalproperty_get_rdate(p);
          if (icaltime_is_null_time(value.time) == 0) {
            rdates.push_back({stamp(p, value.time, block, ics::Prop::rdate, "RDATE"), std::nullopt});
            break;
          }
          const Stamp from = stamp(p, value.period.start, block, ics::Prop::rdate, "RDATE");
          Seconds length{0};
          if (icaltime_is_null_time(value.period.end) == 0) {
            length = instant(stamp(p, value.period.end, block, ics::Prop::rdate, "RDATE")) - instant(from);
          } else {
            if (value.period.duration.is_neg != 0)
              fail(line_for(block, ics::Prop::rdate), "RDATE period has a negative duration");
            length = seconds_of(value.period.duration);
          }
          if (length < Seconds{0})
            fail(line_for(block, ics::Prop::rdate), "RDATE period ends before it starts");
          if (length > kMaxLength)
            fail(line_for(block, ics::Prop::rdate), "RDATE period is longer than 100 years");
          rdates.push_back({from, length});
          break;
        }
        case ICAL_STATUS_PROPERTY:
          cancelled = icalproperty_get_status(p) == ICAL_STATUS_CANCELLED;
          break;
        case ICAL_SUMMARY_PROPERTY:
          if (!has_summary) {
            const char* summary = icalproperty_get_summary(p);
            // A calendar is someone else's text: made printable once, here,
            // so no output (text, CSV, hooks, ICS) can carry its controls.
            event.summary = summary != nullptr ? escape_control(summary) : "";
            has_summary = true;
          }
          break;
        case ICAL_UID_PROPERTY:
          if (const char* value = icalproperty_get_uid(p)) uid = value;
          break;
        case ICAL_SEQUENCE_PROPERTY:
          sequence = icalproperty_get_sequence(p);
          break;
        case ICAL_CATEGORIES_PROPERTY: {
          const char* value = icalproperty_get_categories(p);
          const CategoryRisk risk = category_risk(value != nullptr ? value : "");
          if (!risk.is_risk) break;
          if (!risk.value)
            fail(line_for(block, ics::Prop::categories, value),
                 "risk category '" + excerpt(trim(value)) + "' needs a whole number from 0 to 100");
          category_risk_value = std::max(category_risk_value.value_or(0), *risk.value);
          break;
        }
        case ICAL_X_PROPERTY: {
          const char* name = icalproperty_get_x_name(p);
          if (name == nullptr || !istarts_with(name, "X-HEINRICH-RISK") ||
              std::string_view(name).size() != 15)
            break;
          const char* value = icalproperty_get_x(p);
          explicit_risk = to_risk(value != nullptr ? value : "");
          if (!explicit_risk)
            fail(line_for(block, ics::Prop::risk),
                 "X-HEINRICH-RISK must be a whole number from 0 to 100, not '" +
                     excerpt(value != nullptr ? value : "") + "'");
          break;
        }
        default:
          break;
      }
    }

    if (!start) fail(block.begin_line, "VEVENT has no DTSTART", "every event needs a start (RFC 5545 3.6.1)");
    event.start = *start;
    event.risk = explicit_risk ? explicit_risk : category_risk_value;
    set_length(event, block, end, duration);
    if (wall_reach(event) > kMaxLength)
      fail(line_for(block, duration ? ics::Prop::duration : ics::Prop::dtend),
           "an event longer than 100 years", "heinrich reads events up to 100 years long");

    if (!rules.empty() || !rdates.empty() || !exdates.empty()) {
      auto series = std::make_unique<ics::Series>();
      for (const auto* line : rules) {
        const std::string unfolded = ics::unfold(m_text.substr(line->begin, line->end - line->begin));
        try {
          series->rules.push_back(ics::parse_rule(ics::value_of(unfolded)));
        } catch (const InputError& error) {
          fail(line->line, error.what());
        }
      }
      series->rdates = std::move(rdates);
      bool told = false;
      for (Stamp exdate : exdates) {
        // Exchange excludes a day of an all-day series with
        // "EXDATE;TZID=GMT Standard Time:20240715T000000": the day is clear.
        if (event.start.date && !exdate.date && is_midnight(exdate.wall)) {
          if (!told)
            warn(line_for(block, ics::Prop::exdate),
                 "EXDATE is a DATE-TIME but DTSTART is a DATE (RFC 5545 3.8.5.1 wants the same type): its "
                 "date is the day excluded");
          told = true;
          exdate = Stamp{std::chrono::floor<std::chrono::days>(exdate.wall), ics::kFloatingZone, true};
        }
        if (exdate.date != event.start.date)
          fail(line_for(block, ics::Prop::exdate), std::string("EXDATE must be a ") +
                                                       (event.start.date ? "DATE" : "DATE-TIME") +
                                                       " like DTSTART (RFC 5545 3.8.5.1)");
        series->excluded.push_back(instant(exdate));
      }
      event.series = std::move(series);
    }

    if (recurrence_id) {
      if (uid.empty()) {
        // Nothing to override: keep it as a one-off event.
        if (!cancelled) m_events.push_back(std::move(event));
        return;
      }
      m_overrides.push_back({std::move(uid), instant(*recurrence_id), recurrence_id->date, sequence,
                             m_overrides.size(), cancelled, line_for(block, ics::Prop::recurrence_id),
                             std::move(event), recurrence_id->wall});
      return;
    }
    if (cancelled) return;  // the whole event is called off
    if (!uid.empty()) m_uids.emplace_back(std::move(uid), m_events.size());
    m_events.push_back(std::move(event));
  }

  void set_length(Event& event, const ics::EventBlock& block, const std::optional<Stamp>& end,
                  const std::optional<icaldurationtype>& duration) {
    if (!end || !duration) {
      measure(event, block, end, duration);
      return;
    }
    // Thunderbird writes both; RFC 5545 3.6.1 allows one. Of the two ends
    // the later is kept: a gate that shortened a freeze would let a deploy
    // into it.
    measure(event, block, end, std::nullopt);
    const Length by_end = event.length;
    const std::int64_t end_amount = event.amount;
    const Stamp end_stamp = event.end;
    ics::Event probe;
    probe.length = by_end;
    probe.amount = end_amount;
    measure(event, block, std::nullopt, duration);
    const bool duration_longer = wall_reach(event) > wall_reach(probe);
    if (!duration_longer) {
      event.length = by_end;
      event.amount = end_amount;
      event.end = end_stamp;
    }
    warn(line_for(block, ics::Prop::duration),
         std::string("this VEVENT has both DTEND and DURATION (RFC 5545 3.6.1 allows one of them): ") +
             (duration_longer ? "DURATION" : "DTEND") + ", the later end, is used");
  }

  void measure(Event& event, const ics::EventBlock& block, const std::optional<Stamp>& end,
               const std::optional<icaldurationtype>& duration) {
    if (event.start.date) {
      event.length = Length::days;
      event.amount = 1;
      if (end) {
        if (!end->date) fail(line_for(block, ics::Prop::dtend), "DTEND must be a DATE like DTSTART");
        const auto between =
            std::chrono::duration_cast<std::chrono::days>(end->wall - event.start.wall).count();
        if (between < 0) fail(line_for(block, ics::Prop::dtend), "DTEND is before DTSTART");
        event.amount = std::max<std::int64_t>(between, 1);  // DTEND = DTSTART: still that day
      } else if (duration) {
        if (duration->is_neg != 0) fail(line_for(block, ics::Prop::duration), "DURATION is negative");
        const std::int64_t total = seconds_of(*duration).count();
        if (duration->hours != 0 || duration->minutes != 0 || duration->seconds != 0) {
          // Google writes DURATION:PT86400S for an all-day event: whole days
          // in seconds are clear; anything else is not.
          if (total <= 0 || total % 86'400 != 0)
            fail(line_for(block, ics::Prop::duration), "an all-day event needs a DURATION in days or weeks");
          warn(line_for(block, ics::Prop::duration),
               "an all-day event's DURATION is written in hours or seconds (RFC 5545 wants days or weeks): "
               "read "
               "as " +
                   std::to_string(total / 86'400) + " day(s)");
        }
        event.amount = std::max<std::int64_t>(total / 86'400, 1);
      }
      return;
    }
    if (end) {
      if (end->date) fail(line_for(block, ics::Prop::dtend), "DTEND must be a DATE-TIME like DTSTART");
      if (end->zone == event.start.zone) {
        if (end->wall < event.start.wall) fail(line_for(block, ics::Prop::dtend), "DTEND is before DTSTART");
        // Same zone: resolve lazily, loading 10,000 events needs no zone lookups.
        event.length = event.start.zone == ics::kUtcZone ? Length::exact : Length::to_end;
        event.amount = (end->wall - event.start.wall).count();
        event.end = *end;
        return;
      }
      const Seconds exact = instant(*end) - instant(event.start);
      if (exact < Seconds{0}) fail(line_for(block, ics::Prop::dtend), "DTEND is before DTSTART");
      event.length = Length::exact;
      event.amount = exact.count();
      return;
    }
    if (duration) {
      if (duration->is_neg != 0) fail(line_for(block, ics::Prop::duration), "DURATION is negative");
      event.length = Length::exact;
      event.amount = seconds_of(*duration).count();
      return;
    }
    event.length = Length::zero;
  }

  // RFC 5545 3.8.4.4: of two overrides of one instance the higher SEQUENCE
  // wins (the later one on a tie); an override removes the original
  // instance, and replaces it unless it is cancelled.
  void link_overrides() {
    if (m_overrides.empty()) return;
    std::unordered_map<std::string_view, std::vector<std::size_t>> series_of;
    for (const auto& [uid, index] : m_uids) series_of[uid].push_back(index);
    // Google replaces an instance of an all-day series with
    // "RECURRENCE-ID:20021226T000000Z": the day it names is clear.
    for (Override& o : m_overrides) {
      const auto found = series_of.find(o.uid);
      if (o.date || !is_midnight(o.wall) || found == series_of.end() ||
          !std::any_of(found->second.begin(), found->second.end(),
                       [&](std::size_t index) { return m_events[index].start.date; }))
        continue;
      warn(o.line,
           "RECURRENCE-ID is a DATE-TIME but its series starts on a DATE: its date is the instance replaced");
      o.date = true;
      o.original = instant(Stamp{std::chrono::floor<std::chrono::days>(o.wall), ics::kFloatingZone, true});
    }
    std::sort(m_overrides.begin(), m_overrides.end(), [](const Override& a, const Override& b) {
      return std::tie(a.uid, a.original, a.sequence, a.order) <
             std::tie(b.uid, b.original, b.sequence, b.order);
    });
    for (std::size_t i = 0; i < m_overrides.size(); ++i) {
      Override& winner = m_overrides[i];
      const bool superseded = i + 1 < m_overrides.size() && m_overrides[i + 1].uid == winner.uid &&
                              m_overrides[i + 1].original == winner.original;
      if (superseded) continue;
      const std::string* inherited_summary = nullptr;
      std::optional<int> inherited_risk;
      if (const auto found = series_of.find(winner.uid); found != series_of.end()) {
        for (const std::size_t index : found->second) {
          Event& master = m_events[index];
          if (master.start.date != winner.date)
            fail(winner.line, std::string("RECURRENCE-ID must be a ") +
                                  (master.start.date ? "DATE" : "DATE-TIME") +
                                  " like the DTSTART of its series");
          if (!master.series) master.series = std::make_unique<ics::Series>();  // a one-off event overridden
          master.series->excluded.push_back(winner.original);
          inherited_summary = &master.summary;
          inherited_risk = master.risk;
        }
      }
      if (winner.cancelled) continue;
      if (winner.event.summary.empty() && inherited_summary != nullptr)
        winner.event.summary = *inherited_summary;
      if (!winner.event.risk) winner.event.risk = inherited_risk;
      m_events.push_back(std::move(winner.event));
    }
  }

  std::string_view m_text;
  const std::string& m_path;
  ics::Scan m_scan;
  ics::ZoneResolver m_zones;
  std::vector<Event> m_events;
  std::vector<Finding> m_warnings;
  std::vector<std::size_t> m_repeats;  // by warning: further lines with the same message
  std::vector<Override> m_overrides;
  std::vector<std::pair<std::string, std::size_t>> m_uids;  // series and one-off events by UID
  std::string m_last_tzid;
  std::uint32_t m_last_zone = ics::kFloatingZone;
};

class Expander {
 public:
  Expander(const IcsCalendar::Index& index, const Interval& query, const std::string& path,
           std::vector<Occurrence>& out)
      : m_index(index), m_query(query), m_path(path), m_out(out) {}

  void single(const Event& event) {
    const Instant start = zone(event.start.zone).to_instant(event.start.wall);
    add(event, {start, end_of(event, event.start, start)});
  }

  void series(const Event& event) {
    const ics::Series& series = *event.series;
    const ics::IcsZone& event_zone = zone(event.start.zone);
    const Seconds first_length = instance_length(event);
    m_candidates.clear();
    // Even if every exclusion and duplicate removed one, this many
    // candidates would still be too many: stop before building them all.
    const std::size_t most_candidates =
        IcsCalendar::kMaxOccurrencesPerQuery - m_added + series.excluded.size() + series.rdates.size() + 1;
    auto candidate = [&](LocalTime wall) {
      const Instant start = event_zone.to_instant(wall);
      const Interval span{start, event.length == Length::days
                                     ? event_zone.to_instant(wall + days(event.amount))
                                     : start + first_length};
      if (!overlaps(span, m_query)) return;
      if (m_candidates.size() >= most_candidates) too_many(event);
      m_candidates.push_back(span);
    };

    // Local bounds in the event's zone, wide enough for any offset change.
    const Seconds reach = std::max(first_length, wall_reach(event));
    const LocalTime from = event_zone.to_local(m_query.start - reach) - days(1);
    const LocalTime to = event_zone.to_local(m_query.end) + days(1);
    const LocalTime dtstart = event.start.wall;

    bool dtstart_in_set = series.rules.empty();
    for (const auto& rule : series.rules) {
      const bool dtstart_fits = fits_until(rule.until, dtstart, event_zone);
      dtstart_in_set = dtstart_in_set || dtstart_fits;
      if (!dtstart_fits) continue;  // UNTIL before DTSTART: this rule yields nothing
      // Where libical starts: COUNT is counted from DTSTART, so such a rule
      // cannot skip ahead; libical's set_start jumps ahead for the others,
      // except sub-daily rules, whose phase it loses: those restart from a
      // DTSTART moved by whole periods, which yields the same instances.
      LocalTime rule_start = dtstart;
      LocalTime expand_from = dtstart;
      if (rule.count == 0 && from > dtstart) {
        if (rule.align_period == Seconds{0}) {
          expand_from = from;
        } else if (from - rule.restart_margin > dtstart) {
          const auto periods = (from - rule.restart_margin - dtstart) / rule.align_period;
          rule_start = expand_from = dtstart + periods * rule.align_period;
        }
      }
      const LocalTime expand_to = std::min(to, until_bound(rule.until));
      if (expand_to <= expand_from) continue;
      std::int64_t seen = 0;
      bool synchronised = false;
      rule.rule.expand(rule_start, expand_from, expand_to, [&](LocalTime wall) {
        if (++m_visits > kMaxVisitsPerQuery) too_many(event);
        ++seen;
        if (rule.count > 0) {
          if (seen == 1) synchronised = wall == dtstart;
          // DTSTART counts as the first of COUNT even when the rule does not
          // produce it (RFC 5545 3.3.10).
          if (!synchronised && seen >= rule.count) return;
        }
        if (wall < from || !fits_until(rule.until, wall, event_zone)) return;
        candidate(wall);
      });
    }
    if (dtstart_in_set && from <= dtstart && dtstart < to) candidate(dtstart);
    for (const auto& rdate : series.rdates) {
      const ics::IcsZone& rdate_zone = zone(rdate.start.zone);
      const Instant start = rdate_zone.to_instant(rdate.start.wall);
      Interval span{start, start + first_length};
      if (rdate.length)
        span.end = start + *rdate.length;
      else if (event.length == Length::days)
        span.end = rdate_zone.to_instant(rdate.start.wall + days(event.amount));
      if (overlaps(span, m_query)) m_candidates.push_back(span);
    }

    // One instance per start; the longest if an RDATE repeats a rule's.
    std::sort(m_candidates.begin(), m_candidates.end(), [](const Interval& a, const Interval& b) {
      return a.start != b.start ? a.start < b.start : a.end > b.end;
    });
    Instant previous = Instant::min();
    bool any = false;
    for (const Interval& span : m_candidates) {
      if (any && span.start == previous) continue;
      any = true;
      previous = span.start;
      if (std::binary_search(series.excluded.begin(), series.excluded.end(), span.start)) continue;
      add(event, span);
    }
  }

 private:
  [[nodiscard]] const ics::IcsZone& zone(std::uint32_t index) const { return *m_index.zones[index]; }

  Seconds instance_length(const Event& event) const {
    switch (event.length) {
      case Length::zero:
        return Seconds{0};
      case Length::exact:
        return Seconds{event.amount};
      case Length::days:
        return days(event.amount);
      case Length::to_end: {
        // DTEND gives every instance the exact length of the first.
        const ics::IcsZone& event_zone = zone(event.start.zone);
        const Seconds length =
            event_zone.to_instant(event.end.wall) - event_zone.to_instant(event.start.wall);
        return std::max(length, Seconds{0});
      }
    }
    return Seconds{0};
  }

  Instant end_of(const Event& event, const Stamp& at, Instant start) const {
    if (event.length == Length::days) return zone(at.zone).to_instant(at.wall + days(event.amount));
    return start + instance_length(event);
  }

  static bool fits_until(const ics::Until& until, LocalTime wall, const ics::IcsZone& zone) {
    switch (until.kind) {
      case ics::UntilKind::none:
        return true;
      case ics::UntilKind::instant:
        return zone.to_instant(wall) <= until.instant;
      case ics::UntilKind::date:
        return day_of(wall) <= until.local;
      case ics::UntilKind::floating:
        return wall <= until.local;
    }
    return true;
  }

  static LocalTime until_bound(const ics::Until& until) {
    switch (until.kind) {
      case ics::UntilKind::none:
        return LocalTime::max();
      case ics::UntilKind::instant:
        return LocalTime{until.instant.time_since_epoch()} + kWallMargin;
      case ics::UntilKind::date:
        return until.local + days(1);
      case ics::UntilKind::floating:
        return until.local + Seconds{1};
    }
    return LocalTime::max();
  }

  void add(const Event& event, const Interval& span) {
    if (!overlaps(span, m_query)) return;
    if (++m_added > IcsCalendar::kMaxOccurrencesPerQuery) too_many(event);
    m_out.push_back({span, event.summary, event.risk});
  }

  // At the event that went past the cap: its RRULE, or the VEVENT.
  [[noreturn]] void too_many(const Event& event) const {
    throw SourceError(SourceLocation{m_path, event.line, 1},
                      "more than " + std::to_string(IcsCalendar::kMaxOccurrencesPerQuery) +
                          " event instances between " + format_utc(m_query.start) + " and " +
                          format_utc(m_query.end),
                      {}, "ask about a shorter interval");
  }

  const IcsCalendar::Index& m_index;
  Interval m_query;
  const std::string& m_path;
  std::vector<Occurrence>& m_out;
  std::vector<Interval> m_candidates;
  std::size_t m_added = 0;
  std::size_t m_visits = 0;
};

}  // namespace

IcsCalendar::IcsCalendar(std::string path, std::size_t event_count, std::unique_ptr<Index> index)
    : m_path(std::move(path)), m_event_count(event_count), m_index(std::move(index)) {}

IcsCalendar::~IcsCalendar() = default;

namespace ics {

std::unique_ptr<IcsCalendar::Index> build_index(ZoneList zones, std::vector<Event> events) {
  using Index = IcsCalendar::Index;
  auto index = std::make_unique<Index>();
  index->zones = std::move(zones);
  index->events = std::move(events);
  for (std::size_t i = 0; i < index->events.size(); ++i) {
    Event& event = index->events[i];
    const auto id = static_cast<std::uint32_t>(i);
    if (!event.series) {
      const Seconds reach = wall_reach(event);
      index->singles.push_back({event.start.wall, event.start.wall, reach, id});
      index->max_single_reach = std::max(index->max_single_reach, reach);
      continue;
    }
    auto& series = *event.series;
    std::sort(series.excluded.begin(), series.excluded.end());
    Index::Entry entry{event.start.wall, event.start.wall, wall_reach(event), id};
    bool bounded = true;
    for (const auto& rule : series.rules) {
      if (rule.count_reach) {
        entry.last = std::max(entry.last, event.start.wall + *rule.count_reach);
        continue;
      }
      if (rule.until.kind == UntilKind::none) {
        bounded = false;
        continue;
      }
      const LocalTime until = rule.until.kind == UntilKind::instant
                                  ? LocalTime{rule.until.instant.time_since_epoch()} + kWallMargin
                                  : rule.until.local + days(1);
      entry.last = std::max(entry.last, until);
    }
    for (const auto& rdate : series.rdates) {
      entry.first = std::min(entry.first, rdate.start.wall);
      entry.last = std::max(entry.last, rdate.start.wall);
      if (rdate.length) entry.reach = std::max(entry.reach, *rdate.length);
    }
    if (!bounded) entry.last = LocalTime::max();
    index->series.push_back(entry);
  }
  auto by_first = [](const Index::Entry& a, const Index::Entry& b) { return a.first < b.first; };
  std::sort(index->singles.begin(), index->singles.end(), by_first);
  std::sort(index->series.begin(), index->series.end(), by_first);
  return index;
}

}  // namespace ics

std::shared_ptr<const IcsCalendar> IcsCalendar::load_file(const std::string& path, const Zone& floating_zone,
                                                          const IcsCache* cache) {
  std::string why;
  const std::optional<std::string> text = read_whole_file(path, why, kMaxFileBytes);
  if (!text) throw InputError("cannot read ICS file '" + path + "': " + why);
  return load_text(*text, path, floating_zone, cache);
}

std::shared_ptr<const IcsCalendar> IcsCalendar::load_text(std::string_view text, const std::string& path,
                                                          const Zone& floating_zone, const IcsCache* cache) {
  if (cache == nullptr) return parse(text, path, floating_zone);
  if (auto cached = cache->find(text, path, floating_zone)) return cached;
  auto calendar = parse(text, path, floating_zone);
  cache->store(text, floating_zone, *calendar);
  return calendar;
}

std::shared_ptr<const IcsCalendar> IcsCalendar::parse(std::string_view text, const std::string& path,
                                                      const Zone& floating_zone) {
  if (text.size() > kMaxFileBytes)
    throw InputError("ICS file '" + path + "' is larger than " + std::to_string(kMaxFileBytes >> 20U) +
                     " MiB");
  auto loaded = Loader(text, path, floating_zone).run();
  auto index = ics::build_index(std::move(loaded.zones), std::move(loaded.events));
  auto* calendar = new IcsCalendar(path, loaded.vevents, std::move(index));
  calendar->m_warnings = std::move(loaded.warnings);
  return std::shared_ptr<const IcsCalendar>(calendar);
}

void IcsCalendar::occurrences(const Interval& asked, std::vector<Occurrence>& out) const {
  // Outside years 1..9999 there are no events, and the arithmetic below
  // must not overflow.
  static const Instant kEarliest{make_local(1, 1, 2).time_since_epoch()};
  static const Instant kLatest{make_local(9999, 12, 30).time_since_epoch()};
  const Interval query{std::max(asked.start, kEarliest), std::min(asked.end, kLatest)};
  if (query.end <= query.start) return;

  const std::size_t first_new = out.size();
  Expander expander(*m_index, query, m_path, out);
  const LocalTime low = LocalTime{query.start.time_since_epoch()} - kWallMargin;
  const LocalTime high = LocalTime{query.end.time_since_epoch()} + kWallMargin;

  const auto& singles = m_index->singles;
  auto single = std::lower_bound(singles.begin(), singles.end(), low - m_index->max_single_reach,
                                 [](const Index::Entry& e, LocalTime key) { return e.first < key; });
  for (; single != singles.end() && single->first < high; ++single)
    if (single->first + single->reach >= low) expander.single(m_index->events[single->event]);

  for (const auto& entry : m_index->series) {
    if (entry.first >= high) break;
    if (entry.last != LocalTime::max() && entry.last + entry.reach < low) continue;
    expander.series(m_index->events[entry.event]);
  }

  std::sort(out.begin() + static_cast<std::ptrdiff_t>(first_new), out.end(),
            [](const Occurrence& a, const Occurrence& b) {
              return std::tie(a.span.start, a.span.end, a.label) <
                     std::tie(b.span.start, b.span.end, b.label);
            });
}

std::string IcsCalendar::describe() const {
  return "ICS " + m_path + " (" + std::to_string(m_event_count) +
         (m_event_count == 1 ? " event)" : " events)");
}

}  // namespace heinrich
