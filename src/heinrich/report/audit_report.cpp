#include "heinrich/report/audit_report.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "heinrich/core/duration.hpp"
#include "heinrich/report/json_parts.hpp"
#include "heinrich/report/terminal.hpp"
#include "heinrich/util/diagnostic.hpp"
#include "heinrich/util/text.hpp"

namespace heinrich {

namespace {

std::string_view severity_colour(Severity severity) {
  switch (severity) {
    case Severity::error:
      return "1;31";
    case Severity::warning:
      return "1;33";
    case Severity::note:
      return "1;36";
  }
  return "0";
}

std::string plural(int count, std::string_view word) {
  return fmt::format("{} {}{}", count, word, count == 1 ? "" : "s");
}

nlohmann::ordered_json optional_json(const std::optional<std::string>& value) {
  return value ? nlohmann::ordered_json(*value) : nlohmann::ordered_json(nullptr);
}

nlohmann::ordered_json reasons_json(const Assessment& a, const RuleSet& rules, const Zone& zone,
                                    const std::string& policy_path) {
  nlohmann::ordered_json reasons = nlohmann::ordered_json::array();
  for (const Match& match : a.matches) {
    const Rule& rule = rules.rules[match.rule];
    reasons.push_back({{"rule", rule.name},
                       {"kind", to_string(rule.kind)},
                       {"source", rule.source.format()},
                       {"event", match.occurrence.label.empty() ? rule.name : match.occurrence.label},
                       {"start", format_utc(match.occurrence.span.start)},
                       {"end", format_utc(match.occurrence.span.end)},
                       {"local_start", zone.format(match.occurrence.span.start)},
                       {"local_end", zone.format(match.occurrence.span.end)},
                       {"contribution", match.contribution},
                       {"action", to_string(rule.action)}});
  }
  for (const ExtraRisk& extra : a.extra)
    reasons.push_back({{"rule", extra.name},
                       {"kind", extra.kind},
                       {"source", extra.source},
                       {"event", extra.detail},
                       {"contribution", extra.risk},
                       {"action", "score"}});
  if (!a.inside_allowed)
    reasons.push_back(
        {{"rule", "outside-allowed-windows"},
         {"kind", "window"},
         {"source", a.first_allow_rule ? rules.rules[*a.first_allow_rule].source.format() : policy_path},
         {"event", "no allow window covers the deploy"},
         {"start", format_utc(a.deploy.start)},
         {"end", format_utc(a.deploy.end)},
         {"contribution", 0},
         {"action", "block"}});
  return reasons;
}

}  // namespace

LintCounts count_findings(const std::vector<Finding>& findings) {
  LintCounts counts;
  for (const Finding& finding : findings) {
    if (finding.severity == Severity::error) ++counts.errors;
    if (finding.severity == Severity::warning) ++counts.warnings;
    if (finding.severity == Severity::note) ++counts.notes;
  }
  return counts;
}

bool lint_fails(const LintReport& report) {
  const LintCounts counts = count_findings(report.findings);
  return counts.errors > 0 || (report.strict && counts.warnings > 0);
}

PlanCounts count_releases(const PlanReport& report) {
  PlanCounts counts;
  for (const ReleaseRow& row : report.rows) {
    switch (row.assessment.decision) {
      case Decision::allow:
        ++counts.allow;
        break;
      case Decision::warn:
        ++counts.warn;
        break;
      case Decision::block:
        ++counts.block;
        if (!row.alternative) ++counts.without_alternative;
        break;
    }
  }
  return counts;
}

bool plan_fails(const PlanReport& report) {
  const PlanCounts counts = count_releases(report);
  return counts.block > 0 || (report.fail_on_warn && counts.warn > 0);
}

std::vector<std::string> describe_reasons(const Assessment& a, const RuleSet& rules, const Zone& zone) {
  std::vector<std::string> out;
  for (const Match& match : a.matches) {
    const Rule& rule = rules.rules[match.rule];
    const std::string label = match.occurrence.label.empty() ? "" : match.occurrence.label + ", ";
    const std::string span =
        fmt::format("{}{} to {}", label, format_for_people(zone, match.occurrence.span.start),
                    format_for_people(zone, match.occurrence.span.end));
    if (rule.action == Action::score)
      out.push_back(
          fmt::format("+{} {} '{}' ({})", match.contribution, to_string(rule.kind), rule.name, span));
    else
      out.push_back(
          fmt::format("{} {} '{}' ({})", to_string(rule.action), to_string(rule.kind), rule.name, span));
  }
  for (const ExtraRisk& extra : a.extra)
    out.push_back(fmt::format("+{} {} '{}' ({})", extra.risk, extra.kind, extra.name, extra.detail));
  if (!a.inside_allowed)
    out.push_back(fmt::format("block: outside the allow windows{}",
                              a.first_allow_rule ? " (" + rules.rules[*a.first_allow_rule].name + ")" : ""));
  return out;
}

std::string render_lint_text(const LintReport& report, TextStyle style) {
  std::string out;
  for (const Finding& finding : report.findings) {
    // The positioned diagnostic every heinrich error uses, with the
    // severity and code in place of "error".
    const std::string rendered =
        SourceError(finding.where, finding.message, finding.source_line, {}, finding.underline).render();
    const std::string plain_head = escape_control(finding.where.format()) + ": error: ";
    const std::string head =
        finding.where.format() + ": " +
        paint(style.colour, fmt::format("{}[{}]", to_string(finding.severity), finding.code),
              severity_colour(finding.severity)) +
        ": ";
    out += rendered.rfind(plain_head, 0) == 0 ? head + rendered.substr(plain_head.size()) : rendered;
    if (!finding.hint.empty()) out += "  fix: " + finding.hint + "\n";
    out += "\n";
  }
  const LintCounts counts = count_findings(report.findings);
  if (report.findings.empty())
    out += fmt::format("{}: no findings\n", report.context.policy_path);
  else
    out += fmt::format("{}: {}, {}{}\n", report.context.policy_path, plural(counts.errors, "error"),
                       plural(counts.warnings, "warning"),
                       report.strict && counts.warnings ? " (--strict: warnings fail)" : "");
  if (report.context.clock_overridden) out += "note: the clock is overridden by HEINRICH_NOW\n";
  for (const auto& note : report.context.notes) out += "note: " + note + "\n";
  return out;
}

std::string render_lint_json(const LintReport& report) {
  nlohmann::ordered_json findings = nlohmann::ordered_json::array();
  for (const Finding& finding : report.findings) {
    findings.push_back({{"code", finding.code},
                        {"severity", to_string(finding.severity)},
                        {"file", finding.where.file},
                        {"line", finding.where.line},
                        {"column", finding.where.column},
                        {"location", finding.where.format()},
                        {"message", finding.message},
                        {"hint", finding.hint},
                        {"rule", finding.rule.empty() ? nlohmann::ordered_json(nullptr)
                                                      : nlohmann::ordered_json(finding.rule)}});
  }
  const LintCounts counts = count_findings(report.findings);
  nlohmann::ordered_json out{{"policy", report.context.policy_path},
                             {"passed", !lint_fails(report)},
                             {"strict", report.strict},
                             {"summary", {{"errors", counts.errors}, {"warnings", counts.warnings}}},
                             {"findings", findings},
                             {"clock_overridden", report.context.clock_overridden},
                             {"notes", report.context.notes}};
  return out.dump(2) + "\n";
}

std::string render_plan_text(const PlanReport& report, TextStyle style) {
  const Zone& zone = *report.context.zone;
  std::string out =
      fmt::format("plan {} ({} release{}), policy {}, times in {}\n\n", report.plan_path, report.rows.size(),
                  report.rows.size() == 1 ? "" : "s", report.context.policy_path, zone.name());
  for (const ReleaseRow& row : report.rows) {
    const Assessment& a = row.assessment;
    const std::string decision = to_upper(to_string(a.decision));
    out += fmt::format("{}  {}  {}{} for {}, score {}{}\n",
                       paint(style.colour, fmt::format("{:<5}", decision), decision_colour(a.decision)),
                       format_for_people(zone, a.deploy.start), row.service,
                       row.environment ? " to " + *row.environment : std::string(" (all environments)"),
                       format_duration(row.duration), a.score,
                       row.where.line > 0 ? "  [" + row.where.format() + "]" : "");
    for (const std::string& reason : describe_reasons(a, *report.rules, zone))
      out += "       " + reason + "\n";
    if (a.decision == Decision::block) {
      if (row.alternative)
        out += fmt::format("       next safe start: {} (score {})\n",
                           format_for_people(zone, row.alternative->start), row.alternative->score);
      else
        out += fmt::format("       no safe start within {}\n", format_duration(report.search));
    }
    for (const auto& note : row.notes) out += "       note: " + note + "\n";
  }
  const PlanCounts counts = count_releases(report);
  out += fmt::format("\nsummary: {} release{}: {} allow, {} warn, {} block", report.rows.size(),
                     report.rows.size() == 1 ? "" : "s", counts.allow, counts.warn, counts.block);
  if (counts.block > 0)
    out += fmt::format(" ({} with a next safe alternative)", counts.block - counts.without_alternative);
  out += "\n";
  for (const Finding& warning : report.context.warnings) out += warning_line(warning) + "\n";
  if (report.context.clock_overridden) out += "note: the clock is overridden by HEINRICH_NOW\n";
  for (const auto& note : report.context.notes) out += "note: " + note + "\n";
  return out;
}

std::string render_plan_json(const PlanReport& report) {
  const Zone& zone = *report.context.zone;
  nlohmann::ordered_json releases = nlohmann::ordered_json::array();
  for (const ReleaseRow& row : report.rows) {
    const Assessment& a = row.assessment;
    nlohmann::ordered_json alternative = nullptr;
    if (row.alternative)
      alternative = {{"start", format_utc(row.alternative->start)},
                     {"local_start", zone.format(row.alternative->start)},
                     {"end", format_utc(row.alternative->end)},
                     {"score", row.alternative->score}};
    releases.push_back({{"service", row.service},
                        {"environment", optional_json(row.environment)},
                        {"start", format_utc(a.deploy.start)},
                        {"local_start", zone.format(a.deploy.start)},
                        {"end", format_utc(a.deploy.end)},
                        {"duration", format_duration(row.duration)},
                        {"source", row.where.format()},
                        {"decision", to_string(a.decision)},
                        {"score", a.score},
                        {"reasons", reasons_json(a, *report.rules, zone, report.context.policy_path)},
                        {"alternative", alternative},
                        {"notes", row.notes}});
  }
  const PlanCounts counts = count_releases(report);
  nlohmann::ordered_json out{{"plan", report.plan_path},
                             {"format", report.plan_format},
                             {"policy", report.context.policy_path},
                             {"timezone", zone.name()},
                             {"passed", !plan_fails(report)},
                             {"releases", releases},
                             {"summary",
                              {{"releases", report.rows.size()},
                               {"allow", counts.allow},
                               {"warn", counts.warn},
                               {"block", counts.block},
                               {"blocked_without_alternative", counts.without_alternative}}},
                             {"clock_overridden", report.context.clock_overridden},
                             {"notes", report.context.notes},
                             {"warnings", warnings_json(report.context)}};
  return out.dump(2) + "\n";
}

}  // namespace heinrich
