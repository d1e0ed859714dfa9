// `heinrich calendar --format html`: one self-contained page (inline CSS and
// SVG, no script, no network: a Content-Security-Policy forbids fetching
// anything) that works offline, in a mail attachment and on paper.
#include <array>

#include <fmt/format.h>

#include "heinrich/core/duration.hpp"
#include "heinrich/report/markup.hpp"
#include "heinrich/report/risk_calendar.hpp"
#include "heinrich/util/text.hpp"

#ifndef HEINRICH_VERSION
#define HEINRICH_VERSION "0.0.0"
#endif

namespace heinrich {

namespace {

constexpr std::array<std::string_view, 12> kMonths{"January",   "February", "March",    "April",
                                                   "May",       "June",     "July",     "August",
                                                   "September", "October",  "November", "December"};
constexpr std::array<std::string_view, 7> kWeekdays{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};

std::string html(std::string_view text) {
  return escape_xml(text);
}

std::string iso_date(Date date) {
  return fmt::format("{:04}-{:02}-{:02}", int(date.year()), unsigned(date.month()), unsigned(date.day()));
}

std::string long_date(Date date) {
  const std::chrono::weekday weekday{std::chrono::sys_days{date}};
  return fmt::format("{} {} {} {}", kWeekdays[weekday.c_encoding()], unsigned(date.day()),
                     kMonths[unsigned(date.month()) - 1], int(date.year()));
}

std::string_view name_of(Decision decision) {
  return to_string(decision);
}

// The hours of a day as runs: "00-09 block, 09-24 allow".
std::string hour_runs(const RiskDay& day) {
  std::string out;
  std::size_t i = 0;
  while (i < day.hours.size()) {
    if (day.hours[i].span.empty()) {
      ++i;
      continue;
    }
    std::size_t j = i + 1;
    while (j < day.hours.size() &&
           (day.hours[j].span.empty() || day.hours[j].decision == day.hours[i].decision))
      ++j;
    out += fmt::format("{}{:02}-{:02} {}", out.empty() ? "" : ", ", day.hours[i].hour,
                       day.hours[j - 1].hour + 1, name_of(day.hours[i].decision));
    i = j;
  }
  return out;
}

std::string hour_strip(const RiskDay& day) {
  std::string rects;
  std::size_t i = 0;
  while (i < day.hours.size()) {
    std::size_t j = i + 1;
    while (j < day.hours.size() && day.hours[j].decision == day.hours[i].decision) ++j;
    rects += fmt::format(R"(<rect x="{}" width="{}" height="6" class="h-{}"/>)", i, j - i,
                         name_of(day.hours[i].decision));
    i = j;
  }
  for (const HourRisk& hour : day.hours)
    if (hour.next_safe && !hour.span.empty())
      rects += fmt::format(R"(<rect x="{}" y="6" width="1" height="2" class="h-safe"/>)", hour.hour);
  return R"(<svg class="hours" viewBox="0 0 24 8" preserveAspectRatio="none" aria-hidden="true">)" + rects +
         "</svg>";
}

const char* kStyle = R"CSS(
:root { --allow: #2da44e; --allow-bg: #dafbe1; --warn: #bf8700; --warn-bg: #fff1b8; --block: #cf222e;
        --block-bg: #ffd8d3; --safe: #0969da; --ink: #1f2328; --muted: #59636e; --line: #d1d9e0; }
* { box-sizing: border-box; }
body { font: 14px/1.4 system-ui, -apple-system, "Segoe UI", "Noto Sans", sans-serif; color: var(--ink);
       margin: 24px; background: #fff; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 16px; margin: 0 0 6px; }
.meta { color: var(--muted); margin: 0 0 12px; }
.warning { border-left: 4px solid #b45309; padding: 4px 8px; margin: 0 0 12px; }
.legend { display: flex; gap: 18px; align-items: center; flex-wrap: wrap; margin: 8px 0 16px; }
.legend span { display: inline-flex; gap: 6px; align-items: center; }
.legend svg { width: 18px; height: 14px; }
.months { display: grid; grid-template-columns: repeat(auto-fill, minmax(300px, 1fr)); gap: 20px; }
.month table { border-collapse: separate; border-spacing: 3px; width: 100%; table-layout: fixed; }
.month th { font-weight: 600; font-size: 11px; color: var(--muted); }
td.day { position: relative; height: 46px; vertical-align: top; padding: 2px 3px; border-radius: 4px;
         border: 1px solid var(--line); cursor: default; outline: none; }
td.empty { border: none; }
td.risk-allow { background: var(--allow-bg); border-color: var(--allow); }
td.risk-warn { background: var(--warn-bg); border-color: var(--warn); }
td.risk-block { background: var(--block-bg); border-color: var(--block); }
td.next-safe { box-shadow: 0 0 0 2px var(--safe); }
td.today .num { text-decoration: underline; }
.num { font-weight: 600; font-size: 12px; }
.score { float: right; font-size: 10px; color: var(--muted); }
svg.hours { display: block; width: 100%; height: 8px; margin-top: 3px; }
.h-allow { fill: var(--allow); } .h-warn { fill: var(--warn); } .h-block { fill: var(--block); }
.h-safe { fill: var(--safe); }
.tip { display: none; position: absolute; z-index: 10; left: 0; top: 100%; width: 280px; padding: 8px 10px;
       background: #fff; border: 1px solid var(--line); border-radius: 6px; box-shadow: 0 6px 18px rgba(0,0,0,.15);
       font-size: 12px; font-weight: normal; }
td.day:hover .tip, td.day:focus .tip, td.day:focus-within .tip { display: block; }
.tip ul { margin: 4px 0; padding-left: 16px; }
.badge { display: inline-block; padding: 0 6px; border-radius: 10px; color: #fff; font-size: 11px; font-weight: 600; }
.badge.allow { background: var(--allow); } .badge.warn { background: var(--warn); } .badge.block { background: var(--block); }
section.safe ol { margin: 4px 0 16px; }
table.events { border-collapse: collapse; margin-top: 8px; }
table.events td, table.events th { border-bottom: 1px solid var(--line); padding: 3px 10px 3px 0; text-align: left; }
footer { margin-top: 24px; color: var(--muted); font-size: 12px; }
@media print {
  @page { size: A4 landscape; margin: 10mm; }
  body { margin: 0; font-size: 10px; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  .tip { display: none !important; }
  .months { grid-template-columns: repeat(3, 1fr); gap: 10px; }
  .month { break-inside: avoid; }
  td.day { height: 34px; }
}
)CSS";

std::string legend_swatch(std::string_view css_class) {
  return fmt::format(
      R"(<svg viewBox="0 0 18 14" aria-hidden="true"><rect width="18" height="14" rx="3" class="{}"/></svg>)",
      css_class);
}

}  // namespace

std::string render_calendar_html(const RiskCalendar& calendar) {
  const Zone& zone = *calendar.context.zone;
  const RuleSet& rules = *calendar.rules;
  const std::string scope = calendar.context.environment ? "environment " + *calendar.context.environment
                                                         : std::string("all environments");
  const Date last = calendar.days.empty() ? calendar.first_month : calendar.days.back().date;
  const std::string period =
      fmt::format("{} {} to {} {}", kMonths[unsigned(calendar.first_month.month()) - 1],
                  int(calendar.first_month.year()), kMonths[unsigned(last.month()) - 1], int(last.year()));
  const Date today = to_date(zone.to_local(calendar.generated_at));

  std::string out;
  out.reserve(256 * 1024);
  out += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  out +=
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src "
      "'unsafe-inline'\">\n";
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out += fmt::format("<meta name=\"generator\" content=\"heinrich {}\">\n", HEINRICH_VERSION);
  out += fmt::format("<title>Deploy risk calendar: {}, {}</title>\n", html(period), html(scope));
  out += "<style>" + std::string(kStyle) + "</style>\n</head>\n<body>\n";
  out += "<header>\n<h1>Deploy risk calendar</h1>\n";
  out += fmt::format(
      "<p class=\"meta\" id=\"meta\">{} &middot; {} &middot; each day shows its riskiest start from {} for a "
      "{} "
      "deploy watched {} more &middot; times in {}</p>\n",
      html(period), html(scope), calendar.focus.format(), format_duration(calendar.duration),
      format_duration(calendar.watch), html(zone.name()));
  for (const Finding& warning : calendar.context.warnings)
    out += "<p class=\"warning\" role=\"alert\"><strong>Warning:</strong> " + html(warning.message) + " [" +
           html(warning.code) + "]</p>\n";
  out += "<div class=\"legend\">";
  out += "<span>" + legend_swatch("h-allow") + "allow</span>";
  out += "<span>" + legend_swatch("h-warn") + "warn</span>";
  out += "<span>" + legend_swatch("h-block") + "block</span>";
  out += "<span>" + legend_swatch("h-safe") + "next safe windows</span>";
  out += "<span>the bar in each day: its 24 hours</span></div>\n</header>\n";

  out += "<section class=\"safe\" id=\"next-safe\">\n<h2>Next safe windows</h2>\n";
  if (calendar.next_safe.empty()) {
    out += "<p>None in this range.</p>\n";
  } else {
    out += "<ol>\n";
    for (const SafeWindow& window : calendar.next_safe)
      out += fmt::format("<li data-start=\"{}\" data-end=\"{}\">{} until {} &middot; score {}</li>\n",
                         format_utc(window.start), format_utc(window.end),
                         html(format_for_people(zone, window.start)),
                         html(format_for_people(zone, window.end)), window.score);
    out += "</ol>\n";
  }
  out += "</section>\n<main class=\"months\">\n";

  std::size_t i = 0;
  while (i < calendar.days.size()) {
    const Date first = calendar.days[i].date;
    out += fmt::format(
        "<section class=\"month\" data-month=\"{:04}-{:02}\">\n<h2>{} {}</h2>\n<table>\n<thead><tr>",
        int(first.year()), unsigned(first.month()), kMonths[unsigned(first.month()) - 1], int(first.year()));
    for (std::size_t d = 1; d <= 7; ++d) out += fmt::format("<th scope=\"col\">{}</th>", kWeekdays[d % 7]);
    out += "</tr></thead>\n<tbody>\n<tr>";
    const unsigned lead = std::chrono::weekday{std::chrono::sys_days{first}}.iso_encoding() - 1;
    for (unsigned k = 0; k < lead; ++k) out += "<td class=\"empty\"></td>";
    unsigned column = lead;
    for (; i < calendar.days.size() && calendar.days[i].date.month() == first.month(); ++i) {
      const RiskDay& day = calendar.days[i];
      const std::string decision(name_of(day.decision));
      std::string reasons_text;
      std::string reasons_html;
      for (const DayReason& reason : day.reasons) {
        const std::string text = describe_reason(reason, rules);
        reasons_text += (reasons_text.empty() ? "" : "; ") + text;
        reasons_html += "<li>" + html(text) + "</li>";
      }
      const std::string label = fmt::format("{}: {}, highest score {}{}{}", long_date(day.date), decision,
                                            day.max_score, reasons_text.empty() ? "" : ". ", reasons_text);
      std::string classes = "day risk-" + decision;
      if (day.next_safe) classes += " next-safe";
      if (day.date == today) classes += " today";
      out += fmt::format(
          "<td class=\"{}\" data-date=\"{}\" data-decision=\"{}\" data-score=\"{}\" "
          "data-allowed-hours=\"{}\" "
          "tabindex=\"0\" aria-label=\"{}\">",
          classes, iso_date(day.date), decision, day.max_score, day.allowed_hours, html(label));
      out += fmt::format("<span class=\"num\">{}</span><span class=\"score\">{}</span>",
                         unsigned(day.date.day()), day.max_score);
      out += hour_strip(day);
      out += fmt::format(
          "<div class=\"tip\" role=\"tooltip\"><strong>{}</strong> <span class=\"badge {}\">{}</span> "
          "highest score "
          "{}<ul>{}</ul><div>hours: {}</div>{}</div>",
          html(long_date(day.date)), decision, to_upper(decision), day.max_score,
          reasons_html.empty() ? "<li>no rule weighs on this day</li>" : reasons_html, html(hour_runs(day)),
          day.next_safe ? "<div>a next safe window falls on this day</div>" : "");
      out += "</td>";
      if (++column == 7) {
        out += "</tr>\n<tr>";
        column = 0;
      }
    }
    if (column != 0)
      for (; column < 7; ++column) out += "<td class=\"empty\"></td>";
    out += "</tr>\n</tbody>\n</table>\n</section>\n";
  }
  out += "</main>\n";

  out += fmt::format("<section id=\"events\">\n<h2>Events ({})</h2>\n", calendar.events.size());
  if (calendar.events.empty()) {
    out += "<p>None in this range.</p>\n";
  } else {
    out +=
        "<table "
        "class=\"events\"><thead><tr><th>start</th><th>end</th><th>event</th><th>rule</th><th>weight</th>"
        "</tr></thead><tbody>\n";
    for (const EventRow& row : calendar.events) {
      const auto risk = row.risk();
      out += fmt::format(
          "<tr data-rule=\"{}\"><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
          html(row.rule->name), html(format_for_people(zone, row.occurrence.span.start)),
          html(format_for_people(zone, row.occurrence.span.end)), html(row.name()), html(row.rule->name),
          risk ? fmt::format("risk {}", *risk) : std::string(to_string(row.rule->action)));
    }
    out += "</tbody></table>\n";
  }
  out += "</section>\n";
  out += fmt::format("<footer>Made by heinrich {} from {} at {}{}.</footer>\n</body>\n</html>\n",
                     HEINRICH_VERSION, html(calendar.context.policy_path),
                     html(format_for_people(zone, calendar.generated_at)),
                     calendar.context.clock_overridden ? " (clock overridden by HEINRICH_NOW)" : "");
  return out;
}

}  // namespace heinrich
