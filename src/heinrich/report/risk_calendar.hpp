#pragma once
// `heinrich calendar`: the risk of starting a deploy at each moment of a
// range of months, by day and by hour, for text, HTML and ICS output.
#include <optional>
#include <string>
#include <vector>

#include "heinrich/core/day_span.hpp"
#include "heinrich/core/evaluator.hpp"
#include "heinrich/report/events_report.hpp"
#include "heinrich/report/reports.hpp"

namespace heinrich {

struct HourRisk {
  int hour = 0;   // local wall-clock hour, 0-23
  Interval span;  // empty for an hour skipped by a DST change
  Decision decision = Decision::allow;
  int score = 0;
  bool next_safe = false;  // one of the next safe windows reaches into it
  bool in_focus = false;   // among the hours that colour the day
};

// A rule that weighed on some start of the day.
struct DayReason {
  std::size_t rule = 0;   // index into RuleSet::rules; SIZE_MAX: outside the allow windows
  std::string label;      // the occurrence's own name (a holiday), or ""
  int contribution = 0;   // the largest, for score rules
  Occurrence occurrence;  // the riskiest occurrence seen
};

struct RiskDay {
  Date date;
  Interval span;
  // The riskiest start within the focus hours (by default office hours: a
  // night that warns every day would paint every day the same).
  Decision decision = Decision::allow;
  int max_score = 0;
  Decision all_day = Decision::allow;  // the riskiest start at any hour
  int allowed_hours = 0;
  std::vector<HourRisk> hours;  // 24, by local hour
  std::vector<DayReason> reasons;
  bool next_safe = false;
};

struct RiskCalendarRequest {
  Date first_month;  // its day is ignored: months start on the 1st
  int months = 3;
  std::optional<std::string> environment;
  Seconds duration{0};
  Seconds watch{0};
  Instant now;
  std::size_t safe_count = 5;      // how many next safe windows to highlight
  DaySpan focus{9 * 60, 18 * 60};  // the hours whose starts colour a day
};

struct RiskCalendar {
  RunContext context;
  const RuleSet* rules = nullptr;
  Date first_month;
  int months = 0;
  Interval range;
  Seconds duration{0};
  Seconds watch{0};
  DaySpan focus;
  std::vector<TimelineSegment> segments;  // the decision timeline over `range`, with reasons
  std::vector<RiskDay> days;
  std::vector<SafeWindow> next_safe;
  std::vector<EventRow> events;  // named events (calendars, events, block and warn windows) in the range
  Instant generated_at;
};

// A blocked or warned stretch of start times, merged from segments.
struct RiskWindow {
  Interval starts;
  Decision decision = Decision::warn;
  int max_score = 0;
  std::vector<DayReason> reasons;
};

RiskCalendar build_risk_calendar(const RuleSet& rules, const Zone& zone, const RiskCalendarRequest& request);
std::vector<RiskWindow> risk_windows(const RiskCalendar& calendar);

// "year-end-freeze (block window)", "kr-holidays: Chuseok (+75)".
std::string describe_reason(const DayReason& reason, const RuleSet& rules);

std::string render_calendar_text(const RiskCalendar& calendar, TextStyle style);
std::string render_calendar_html(const RiskCalendar& calendar);
std::string render_calendar_ics(const RiskCalendar& calendar);

}  // namespace heinrich
