#include "heinrich/report/risk_calendar.hpp"

#include <algorithm>
#include <array>
#include <limits>
#include <map>

#include <fmt/format.h>

#include "heinrich/core/duration.hpp"
#include "heinrich/report/ics_writer.hpp"
#include "heinrich/util/text.hpp"

namespace heinrich {

namespace {

constexpr std::size_t kOutsideAllowed = std::numeric_limits<std::size_t>::max();

int rank(Decision decision) {
  return decision == Decision::block ? 2 : decision == Decision::warn ? 1 : 0;
}

Decision worse(Decision a, Decision b) {
  return rank(a) >= rank(b) ? a : b;
}

// Adds the rules behind one assessment to `into`, each (rule, label) once
// with its largest contribution.
void merge_reasons(std::vector<DayReason>& into, const TimelineSegment& segment) {
  auto add = [&](std::size_t rule, const Occurrence& occurrence, int contribution) {
    for (DayReason& reason : into) {
      if (reason.rule == rule && reason.label == occurrence.label) {
        if (contribution > reason.contribution) {
          reason.contribution = contribution;
          reason.occurrence = occurrence;
        }
        return;
      }
    }
    into.push_back({rule, occurrence.label, contribution, occurrence});
  };
  for (const Match& match : segment.matches) add(match.rule, match.occurrence, match.contribution);
  if (!segment.inside_allowed) add(kOutsideAllowed, Occurrence{segment.starts, {}, std::nullopt}, 0);
}

void sort_reasons(std::vector<DayReason>& reasons, const RuleSet& rules) {
  auto weight = [&](const DayReason& reason) {
    if (reason.rule == kOutsideAllowed) return 0;
    const Action action = rules.rules[reason.rule].action;
    return action == Action::block ? 0 : action == Action::warn ? 1 : 2;
  };
  std::stable_sort(reasons.begin(), reasons.end(), [&](const DayReason& a, const DayReason& b) {
    if (weight(a) != weight(b)) return weight(a) < weight(b);
    return a.contribution > b.contribution;
  });
}

// Whether local hour `hour` ([hour:00, hour+1:00)) meets the span.
bool in_focus(const DaySpan& span, int hour) {
  const int from = hour * 60;
  const int to = from + 60;
  if (!span.crosses_midnight()) return from < span.end_minute && span.start_minute < to;
  return from < span.end_minute || span.start_minute < to;
}

}  // namespace

RiskCalendar build_risk_calendar(const RuleSet& rules, const Zone& zone, const RiskCalendarRequest& request) {
  using namespace std::chrono;
  RiskCalendar out;
  out.rules = &rules;
  out.first_month = Date{request.first_month.year(), request.first_month.month(), std::chrono::day{1}};
  out.months = request.months;
  out.duration = request.duration;
  out.watch = request.watch;
  out.generated_at = request.now;
  out.focus = request.focus;
  const year_month first{out.first_month.year(), out.first_month.month()};
  const year_month after_last = first + std::chrono::months{request.months};
  const Date end_date{after_last / std::chrono::day{1}};
  out.range = Interval{zone.to_instant(start_of(out.first_month)), zone.to_instant(start_of(end_date))};

  const Timeline timeline(rules, DeployShape{request.duration, request.watch, request.environment},
                          out.range);
  out.segments = timeline.segments();
  if (request.now < out.range.end) out.next_safe = safe_windows(timeline, request.now, request.safe_count);

  auto segment = out.segments.begin();
  for (Date date = out.first_month; sys_days{date} < sys_days{end_date};
       date = Date{sys_days{date} + std::chrono::days{1}}) {
    RiskDay day;
    day.date = date;
    const LocalTime midnight = start_of(date);
    day.span = Interval{zone.to_instant(midnight), zone.to_instant(midnight + std::chrono::days{1})};
    while (segment != out.segments.end() && segment->starts.end <= day.span.start) ++segment;
    for (int hour = 0; hour < 24; ++hour) {
      HourRisk risk;
      risk.hour = hour;
      risk.span =
          Interval{zone.to_instant(midnight + hours(hour)), zone.to_instant(midnight + hours(hour + 1))};
      const Interval probe =
          risk.span.empty() ? Interval{risk.span.start, risk.span.start + Seconds{1}} : risk.span;
      for (auto it = segment; it != out.segments.end() && it->starts.start < probe.end; ++it) {
        if (!it->starts.overlaps(probe)) continue;
        risk.decision = worse(risk.decision, it->decision);
        risk.score = std::max(risk.score, it->score);
        if (!risk.span.empty()) merge_reasons(day.reasons, *it);
      }
      for (const SafeWindow& window : out.next_safe)
        if (window.start < probe.end && probe.start <= window.end) risk.next_safe = true;
      risk.in_focus = in_focus(request.focus, hour);
      if (!risk.span.empty()) {
        day.all_day = worse(day.all_day, risk.decision);
        if (risk.in_focus) {
          day.decision = worse(day.decision, risk.decision);
          day.max_score = std::max(day.max_score, risk.score);
        }
        day.allowed_hours += risk.decision == Decision::allow ? 1 : 0;
        day.next_safe = day.next_safe || risk.next_safe;
      }
      day.hours.push_back(risk);
    }
    sort_reasons(day.reasons, rules);
    out.days.push_back(std::move(day));
  }

  for (const Rule& rule : rules.rules) {
    if (!rule.applies_to(request.environment) || !rule.schedule) continue;
    const bool named = rule.kind == RuleKind::calendar || rule.kind == RuleKind::event ||
                       (rule.kind == RuleKind::window && rule.action != Action::allow);
    if (!named) continue;
    std::vector<Occurrence> found;
    rule.schedule->occurrences(out.range, found);
    for (auto& occurrence : found) out.events.push_back({&rule, std::move(occurrence)});
  }
  std::stable_sort(out.events.begin(), out.events.end(), [](const EventRow& a, const EventRow& b) {
    if (a.occurrence.span.start != b.occurrence.span.start)
      return a.occurrence.span.start < b.occurrence.span.start;
    return a.rule->name < b.rule->name;
  });
  return out;
}

std::vector<RiskWindow> risk_windows(const RiskCalendar& calendar) {
  std::vector<RiskWindow> out;
  for (const TimelineSegment& segment : calendar.segments) {
    if (segment.decision == Decision::allow) continue;
    if (out.empty() || out.back().decision != segment.decision ||
        out.back().starts.end != segment.starts.start)
      out.push_back({segment.starts, segment.decision, 0, {}});
    RiskWindow& window = out.back();
    window.starts.end = segment.starts.end;
    window.max_score = std::max(window.max_score, segment.score);
    merge_reasons(window.reasons, segment);
  }
  for (RiskWindow& window : out) sort_reasons(window.reasons, *calendar.rules);
  return out;
}

std::string describe_reason(const DayReason& reason, const RuleSet& rules) {
  if (reason.rule == kOutsideAllowed) return "outside the allow windows (block)";
  const Rule& rule = rules.rules[reason.rule];
  const std::string name = reason.label.empty() ? rule.name : rule.name + ": " + reason.label;
  if (rule.action == Action::score) return fmt::format("{} (+{})", name, reason.contribution);
  return fmt::format("{} ({} {})", name, to_string(rule.action), to_string(rule.kind));
}

namespace {

constexpr std::array<std::string_view, 12> kMonthNames{"January",   "February", "March",    "April",
                                                       "May",       "June",     "July",     "August",
                                                       "September", "October",  "November", "December"};

char symbol(Decision decision) {
  return decision == Decision::block ? '#' : decision == Decision::warn ? '!' : '.';
}

std::string_view colour(Decision decision) {
  return decision == Decision::block ? "30;41" : decision == Decision::warn ? "30;43" : "30;42";
}

// The lines of one month grid, each exactly 27 columns wide (7 cells of 3
// plus separators), so months can stand side by side.
std::vector<std::string> month_lines(const RiskCalendar& calendar, std::size_t first_day, std::size_t count,
                                     bool colour_on) {
  const Date first = calendar.days[first_day].date;
  std::vector<std::string> lines;
  const std::string title = fmt::format("{} {}", kMonthNames[unsigned(first.month()) - 1], int(first.year()));
  lines.push_back(fmt::format("{:^27}", title));
  lines.push_back("Mo  Tu  We  Th  Fr  Sa  Su ");
  const unsigned lead = (std::chrono::weekday{std::chrono::sys_days{first}}.iso_encoding() - 1);
  std::string row(lead * 4, ' ');
  unsigned column = lead;
  for (std::size_t i = first_day; i < first_day + count; ++i) {
    const RiskDay& day = calendar.days[i];
    std::string cell = fmt::format("{:>2}{}", unsigned(day.date.day()), symbol(day.decision));
    if (colour_on) cell = fmt::format("\x1b[{}m{}\x1b[0m", colour(day.decision), cell);
    row += cell;
    if (++column == 7) {
      lines.push_back(row);
      row.clear();
      column = 0;
    } else {
      row += ' ';
    }
  }
  // `column` cells of 3 characters, each followed by a space: pad to 27.
  if (!row.empty()) lines.push_back(row + std::string(27 - column * 4, ' '));
  return lines;
}

std::size_t visible_width(std::string_view text) {
  std::size_t width = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\x1b') {
      while (i < text.size() && text[i] != 'm') ++i;
      continue;
    }
    ++width;
  }
  return width;
}

}  // namespace

std::string render_calendar_text(const RiskCalendar& calendar, TextStyle style) {
  const Zone& zone = *calendar.context.zone;
  std::string out =
      fmt::format("deploy risk calendar, {} {} to {}, times in {}\n",
                  kMonthNames[unsigned(calendar.first_month.month()) - 1], int(calendar.first_month.year()),
                  calendar.days.empty()
                      ? std::string()
                      : fmt::format("{} {}", kMonthNames[unsigned(calendar.days.back().date.month()) - 1],
                                    int(calendar.days.back().date.year())),
                  zone.name());
  out += fmt::format("each day shows its riskiest start from {} for a {} deploy watched {} more, {}\n\n",
                     calendar.focus.format(), format_duration(calendar.duration),
                     format_duration(calendar.watch),
                     calendar.context.environment ? "environment " + *calendar.context.environment
                                                  : std::string("all environments"));
  // Months three abreast: 3 x 27 columns and two gaps of 3.
  std::vector<std::pair<std::size_t, std::size_t>> months;  // first day index, day count
  for (std::size_t i = 0; i < calendar.days.size(); ++i) {
    if (i == 0 || calendar.days[i].date.month() != calendar.days[i - 1].date.month())
      months.emplace_back(i, 0);
    ++months.back().second;
  }
  for (std::size_t m = 0; m < months.size(); m += 3) {
    std::vector<std::vector<std::string>> blocks;
    for (std::size_t k = m; k < std::min(months.size(), m + 3); ++k)
      blocks.push_back(month_lines(calendar, months[k].first, months[k].second, style.colour));
    std::size_t height = 0;
    for (const auto& block : blocks) height = std::max(height, block.size());
    for (std::size_t line = 0; line < height; ++line) {
      std::string text;
      for (std::size_t b = 0; b < blocks.size(); ++b) {
        std::string piece = line < blocks[b].size() ? blocks[b][line] : std::string();
        if (b + 1 < blocks.size())
          piece += std::string(27 - std::min<std::size_t>(27, visible_width(piece)) + 3, ' ');
        text += piece;
      }
      while (!text.empty() && text.back() == ' ') text.pop_back();
      out += text + "\n";
    }
    out += "\n";
  }
  const auto key = [&](Decision decision, std::string_view word) {
    std::string sample = fmt::format("{}", symbol(decision));
    if (style.colour) sample = fmt::format("\x1b[{}m {} \x1b[0m", colour(decision), sample);
    return fmt::format("{} {}", sample, word);
  };
  out += fmt::format("legend: {}   {}   {}\n", key(Decision::allow, "allow"), key(Decision::warn, "warn"),
                     key(Decision::block, "block"));

  if (!calendar.next_safe.empty()) {
    out += "\nnext safe starts\n";
    for (const SafeWindow& window : calendar.next_safe)
      out += fmt::format("  {}  until {}  score {}\n", format_for_people(zone, window.start),
                         format_for_people(zone, window.end), window.score);
  }
  out += fmt::format("\nevents ({})\n", calendar.events.size());
  if (calendar.events.empty()) out += "  none in this range\n";
  for (const EventRow& row : calendar.events) {
    const auto risk = row.risk();
    const std::string weight =
        risk ? fmt::format("risk {:>3}", *risk) : std::string(to_string(row.rule->action));
    const std::string name = row.name() == row.rule->name ? row.name() : row.rule->name + ": " + row.name();
    out += fmt::format("  {}  {:<8}  {}\n", format_for_people(zone, row.occurrence.span.start), weight, name);
  }
  for (const Finding& warning : calendar.context.warnings) out += warning_line(warning) + "\n";
  if (calendar.context.clock_overridden) out += "note: the clock is overridden by HEINRICH_NOW\n";
  for (const auto& note : calendar.context.notes) out += "note: " + note + "\n";
  return out;
}

std::string render_calendar_ics(const RiskCalendar& calendar) {
  const Zone& zone = *calendar.context.zone;
  const std::string scope =
      calendar.context.environment ? *calendar.context.environment : std::string("all environments");
  IcsWriter ics("-//heinrich//heinrich calendar//EN", "heinrich deploy risk (" + scope + ")");
  ics.text("X-WR-TIMEZONE", zone.name());
  ics.text("X-WR-CALDESC",
           fmt::format("When a {} deploy (watched {} more) to {} is blocked or warned, from {}",
                       format_duration(calendar.duration), format_duration(calendar.watch), scope,
                       calendar.context.policy_path));
  // RFC 7986 and its Outlook/Google predecessor: how often subscribers refresh.
  ics.line("REFRESH-INTERVAL;VALUE=DURATION:PT12H");
  ics.line("X-PUBLISHED-TTL:PT12H");
  for (const RiskWindow& window : risk_windows(calendar)) {
    const std::string decision(to_string(window.decision));
    std::string names;
    std::string description = fmt::format(
        "A {} deploy (watched {} more) to {} that starts from {} until {} is {}ed.\nReasons:",
        format_duration(calendar.duration), format_duration(calendar.watch), scope,
        format_for_people(zone, window.starts.start), format_for_people(zone, window.starts.end), decision);
    int named = 0;
    for (const DayReason& reason : window.reasons) {
      description += "\n- " + describe_reason(reason, *calendar.rules);
      if (named++ < 3) {
        const std::string name = reason.rule == kOutsideAllowed ? std::string("outside allow windows")
                                 : reason.label.empty()         ? calendar.rules->rules[reason.rule].name
                                                                : reason.label;
        names += (names.empty() ? "" : ", ") + name;
      }
    }
    if (window.reasons.size() > 3) names += ", …";
    ics.line("BEGIN:VEVENT");
    ics.line(fmt::format("UID:{}-{}@heinrich-calendar", decision, ics_utc(window.starts.start)));
    ics.line("DTSTAMP:" + ics_utc(calendar.generated_at));
    ics.line("DTSTART:" + ics_utc(window.starts.start));
    ics.line("DTEND:" + ics_utc(window.starts.end));
    ics.text("SUMMARY", fmt::format("deploy {}: {}", to_upper(decision), names.empty() ? "risk" : names));
    ics.text("DESCRIPTION", description);
    ics.line("CATEGORIES:" + to_upper(decision));
    ics.line("TRANSP:TRANSPARENT");  // a warning on the calendar, not a busy meeting
    ics.line(fmt::format("X-HEINRICH-RISK:{}", window.max_score));
    ics.line("X-HEINRICH-DECISION:" + decision);
    ics.line("END:VEVENT");
  }
  return ics.finish();
}

}  // namespace heinrich
