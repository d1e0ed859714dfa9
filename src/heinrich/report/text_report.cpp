#include <array>

#include <fmt/format.h>

#include "heinrich/core/duration.hpp"
#include "heinrich/report/reports.hpp"
#include "heinrich/report/terminal.hpp"
#include "heinrich/util/text.hpp"

namespace heinrich {

namespace {

std::string scope_line(const RunContext& context) {
  if (context.environment) return "environment " + *context.environment;
  return "all environments (no --env given: every rule applies)";
}

void append_context_notes(std::string& out, const RunContext& context) {
  for (const Finding& warning : context.warnings) out += warning_line(warning) + "\n";
  if (context.clock_overridden) out += "note: the clock is overridden by HEINRICH_NOW\n";
  for (const auto& note : context.notes) out += "note: " + note + "\n";
}

std::string wait_line(const WaitSummary& wait, const Zone& zone) {
  const std::string opening = wait.opening ? format_for_people(zone, *wait.opening) : "";
  switch (wait.outcome) {
    case WaitSummary::Outcome::allowed:
      return fmt::format("waited {} (--max-wait {})", format_duration(wait.waited),
                         format_duration(wait.max_wait));
    case WaitSummary::Outcome::past_max_wait:
      if (!wait.opening) return "no start the gate lets through within 90 days: not waiting";
      return fmt::format("the gate opens {}, past --max-wait {}: not waiting", opening,
                         format_duration(wait.max_wait));
    case WaitSummary::Outcome::cancelled:
      return fmt::format("cancelled by {} after waiting {}{}", wait.signal, format_duration(wait.waited),
                         wait.opening ? " for " + opening : "");
  }
  return {};
}

}  // namespace

std::string_view to_string(WaitSummary::Outcome outcome) {
  switch (outcome) {
    case WaitSummary::Outcome::allowed:
      return "allowed";
    case WaitSummary::Outcome::past_max_wait:
      return "past-max-wait";
    case WaitSummary::Outcome::cancelled:
      return "cancelled";
  }
  return "";
}

std::string warning_line(const Finding& warning) {
  return escape_control("warning: " + warning.where.format() + ": " + warning.message + " [" + warning.code +
                        "]");
}

std::string not_a_deploy_reason(const NotADeployReport& report) {
  return escape_control(report.variable + " " + report.ref + " maps to no environment in [push] refs");
}

std::string render_not_a_deploy_text(const NotADeployReport& report, TextStyle style) {
  std::string out = fmt::format("{}   not a deploy: {}\n", heinrich::paint(style.colour, "SKIP", "36"),
                                not_a_deploy_reason(report));
  out += "        nothing was checked; pass --env to check this build as a deploy\n";
  out += "policy  " + report.context.policy_path + "\n";
  append_context_notes(out, report.context);
  return out;
}

std::string format_for_people(const Zone& zone, Instant instant) {
  const LocalTime local = zone.to_local(instant);
  const auto day = std::chrono::floor<std::chrono::days>(local);
  static constexpr std::array<std::string_view, 7> names{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  std::string text = format_local(local);
  text[10] = ' ';
  // People read minutes; seconds only when there are some (machine formats
  // always carry them).
  if (text.size() == 19 && text.compare(16, 3, ":00") == 0) text.resize(16);
  return fmt::format("{} {} {}", names[std::chrono::weekday{day}.c_encoding()], text,
                     format_offset(zone.offset_at(instant)));
}

std::string render_check_text(const CheckReport& report, TextStyle style) {
  const auto paint = [&](std::string_view text, std::string_view code) {
    return heinrich::paint(style.colour, text, code);
  };
  const Assessment& a = report.assessment;
  const Zone& zone = *report.context.zone;
  const auto& thresholds = report.rules->thresholds;
  std::string out;
  out += fmt::format("{}  score {}/100 (warn at {}, block at {})\n",
                     paint(to_upper(to_string(a.decision)), decision_colour(a.decision)), a.score,
                     thresholds.warn, thresholds.block);
  out += fmt::format("deploy  {} for {}, watched {} more, until {}\n",
                     format_for_people(zone, a.deploy.start), format_duration(report.duration),
                     format_duration(report.watch), format_for_people(zone, a.exposure.end));
  out += fmt::format("        {} to {} ({})\n", format_utc(a.exposure.start), format_utc(a.exposure.end),
                     zone.name());
  out += "scope   " + scope_line(report.context) + "\n";
  out += "policy  " + report.context.policy_path + "\n";

  if (a.matches.empty() && a.extra.empty() && a.inside_allowed) {
    out += "\nno rule matches this deploy\n";
  } else {
    out += "\nreasons\n";
    for (const Match& match : a.matches) {
      const Rule& rule = report.rules->rules[match.rule];
      const std::string weight = rule.action == Action::score ? fmt::format("+{}", match.contribution)
                                                              : std::string(to_string(rule.action));
      out += fmt::format("  {:<6} {:<28} {:<8} {}\n", paint(weight, rule.action == Action::score ? "0" : "1"),
                         rule.name, to_string(rule.kind), rule.source.format());
      const std::string label = match.occurrence.label.empty() ? "" : match.occurrence.label + ": ";
      out += fmt::format("         {}{} to {}\n", label, format_for_people(zone, match.occurrence.span.start),
                         format_for_people(zone, match.occurrence.span.end));
      std::string buffers;
      if (rule.buffer_before.count() || rule.buffer_after.count())
        buffers = fmt::format(", with {} before and {} after", format_duration(rule.buffer_before),
                              format_duration(rule.buffer_after));
      out += fmt::format("         {} to {}{}\n", format_utc(match.occurrence.span.start),
                         format_utc(match.occurrence.span.end), buffers);
    }
    for (const ExtraRisk& extra : a.extra) {
      out += fmt::format("  {:<6} {:<28} {:<8} {}\n", fmt::format("+{}", extra.risk), extra.name, extra.kind,
                         extra.source);
      out += "         " + extra.detail + "\n";
    }
    if (!a.inside_allowed) {
      out +=
          fmt::format("  {:<6} {:<28} {:<8} {}\n", paint("block", "1"), "outside-allowed-windows", "window",
                      a.first_allow_rule ? report.rules->rules[*a.first_allow_rule].source.format()
                                         : report.context.policy_path);
      out += "         this environment has allow windows and none covers the whole deploy\n";
    }
  }
  if (a.decision != Decision::allow) {
    if (report.next_safe)
      out += fmt::format("\nnext safe start: {} (score {}); `heinrich next` lists more\n",
                         format_for_people(zone, report.next_safe->start), report.next_safe->score);
    else
      out += "\nno safe start within 90 days\n";
  }
  if (report.wait) out += "\n" + wait_line(*report.wait, zone) + "\n";
  append_context_notes(out, report.context);
  return out;
}

std::string render_next_text(const NextReport& report, TextStyle style) {
  const auto paint = [&](std::string_view text, std::string_view code) {
    return heinrich::paint(style.colour, text, code);
  };
  const Zone& zone = *report.context.zone;
  std::string out = fmt::format("safe start times for a {} deploy watched {} more, {}\n",
                                format_duration(report.duration), format_duration(report.watch),
                                report.context.environment ? "environment " + *report.context.environment
                                                           : std::string("all environments"));
  out += fmt::format("searched from {} for {}\n\n", format_for_people(zone, report.after),
                     format_duration(report.within));
  if (report.windows.empty()) out += "none found: widen --within or shorten --duration\n";
  int index = 1;
  for (const auto& window : report.windows) {
    const bool instant = window.start == window.end;
    out += fmt::format(
        "{:>3}. {}{}  score {}\n", index++, paint(format_for_people(zone, window.start), "1;32"),
        instant ? std::string(" (this start time only)") : "  until " + format_for_people(zone, window.end),
        window.score);
  }
  append_context_notes(out, report.context);
  return out;
}

}  // namespace heinrich
