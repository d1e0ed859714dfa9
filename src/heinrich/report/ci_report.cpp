// Check, lint and plan results as CI items: one model for three formats.
#include <fmt/format.h>

#include <algorithm>

#include "heinrich/core/duration.hpp"
#include "heinrich/core/time.hpp"
#include "heinrich/report/ci_report.hpp"
#include "heinrich/util/text.hpp"

namespace heinrich {

namespace {

std::string plural(int count, std::string_view word) {
  return fmt::format("{} {}{}", count, word, count == 1 ? "" : "s");
}

// The rule a decision rests on first (the location of its annotation), and
// the others (related locations).
void locate(const Assessment& a, const RuleSet& rules, const std::string& policy_path, CiResult& result) {
  std::vector<SourceLocation> places;
  for (const Match& match : a.matches) places.push_back(rules.rules[match.rule].source);
  if (!a.inside_allowed)
    places.push_back(a.first_allow_rule ? rules.rules[*a.first_allow_rule].source
                                        : SourceLocation{policy_path, 0, 0});
  if (places.empty()) places.push_back(SourceLocation{policy_path, 0, 0});
  if (result.where.file.empty()) {
    result.where = places.front();
    places.erase(places.begin());
  }
  result.related = std::move(places);
}

std::string deploy_words(const Assessment& a, const Zone& zone, const std::optional<std::string>& environment,
                         Seconds duration) {
  return fmt::format("{} for {}{}", format_for_people(zone, a.deploy.start), format_duration(duration),
                     environment ? " to " + *environment : std::string(" (all environments)"));
}

// A decision as a CI result: rule `base` (allow), `base`+1 (block) or
// `base`+2 (warn), e.g. H200/H201/H202; warn fails only with --fail-on warn.
void set_outcome(CiResult& result, Decision decision, bool fail_on_warn, int base) {
  result.pass = decision == Decision::allow;
  const int offset = decision == Decision::block ? 1 : decision == Decision::warn ? 2 : 0;
  result.rule_id = fmt::format("H{}", base + offset);
  result.level = decision == Decision::block  ? Severity::error
                 : decision == Decision::warn ? Severity::warning
                                              : Severity::note;
  result.failed = decision == Decision::block || (fail_on_warn && decision == Decision::warn);
}

}  // namespace

CiReport ci_from_lint(const LintReport& report) {
  CiReport out;
  out.command = "heinrich audit";
  out.suite = "heinrich.lint";
  for (const FindingKind& kind : report.kinds)
    out.rules.push_back({kind.code, kind.name, kind.summary, kind.severity});
  for (const Finding& finding : report.findings) {
    CiResult result;
    result.rule_id = finding.code;
    result.level = finding.severity;
    result.failed =
        finding.severity == Severity::error || (report.strict && finding.severity == Severity::warning);
    std::string kind_name;
    for (const FindingKind& kind : report.kinds)
      if (kind.code == finding.code) kind_name = kind.name;
    result.name = fmt::format("{} {} at {}", finding.code, finding.rule.empty() ? "policy" : finding.rule,
                              finding.where.format());
    result.title = fmt::format("heinrich {} {}", finding.code, kind_name);
    result.message = finding.message + (finding.hint.empty() ? "" : "\nfix: " + finding.hint);
    result.where = finding.where;
    result.width = finding.underline;
    out.results.push_back(std::move(result));
  }
  const LintCounts counts = count_findings(report.findings);
  if (report.findings.empty()) {
    CiResult clean;
    clean.rule_id = "H000";
    clean.pass = true;
    clean.level = Severity::note;
    clean.name = "policy lints clean";
    clean.title = "heinrich audit";
    clean.message = report.context.policy_path + " lints clean";
    clean.where = SourceLocation{report.context.policy_path, 0, 0};
    out.results.push_back(std::move(clean));
  }
  out.headline = fmt::format("heinrich audit: {}, {} in {}", plural(counts.errors, "error"),
                             plural(counts.warnings, "warning"), report.context.policy_path);
  return out;
}

namespace {

// Data warnings (H113) as results that never fail the run.
void add_warnings(CiReport& out, const RunContext& context) {
  if (context.warnings.empty()) return;
  out.rules.push_back({"H113", "data-past-verified-horizon",
                       "a holiday calendar is asked about a year past its verified horizon",
                       Severity::warning});
  for (const Finding& warning : context.warnings) {
    CiResult result;
    result.rule_id = warning.code;
    result.level = Severity::warning;
    result.name = fmt::format("{} {} at {}", warning.code, warning.rule, warning.where.format());
    result.title = "heinrich H113 data-past-verified-horizon";
    result.message = warning.message + (warning.hint.empty() ? "" : "\nfix: " + warning.hint);
    result.where = warning.where;
    out.results.push_back(std::move(result));
  }
}

}  // namespace

CiReport ci_from_plan(const PlanReport& report) {
  CiReport out;
  out.command = "heinrich audit";
  out.suite = "heinrich.plan";
  out.rules = {
      {"H201", "release-blocked", "a planned release falls in a blocked time", Severity::error},
      {"H202", "release-warned", "a planned release falls in a risky (warn) time", Severity::warning}};
  const Zone& zone = *report.context.zone;
  for (const ReleaseRow& row : report.rows) {
    const Assessment& a = row.assessment;
    CiResult result;
    set_outcome(result, a.decision, report.fail_on_warn, 200);
    result.name = fmt::format("{} {}{}", row.service, zone.format(a.deploy.start),
                              row.environment ? " " + *row.environment : std::string());
    result.title = fmt::format("heinrich: release {} {}", row.service, to_upper(to_string(a.decision)));
    std::string message =
        fmt::format("{} {}: {} (score {})", row.service, deploy_words(a, zone, row.environment, row.duration),
                    to_upper(to_string(a.decision)), a.score);
    for (const std::string& reason : describe_reasons(a, *report.rules, zone)) message += "\n" + reason;
    if (a.decision == Decision::block)
      message += row.alternative
                     ? fmt::format("\nnext safe start: {} (score {})",
                                   format_for_people(zone, row.alternative->start), row.alternative->score)
                     : "\nno safe start within " + format_duration(report.search);
    result.message = std::move(message);
    result.where = row.where;
    if (!result.pass) locate(a, *report.rules, report.context.policy_path, result);
    out.results.push_back(std::move(result));
  }
  add_warnings(out, report.context);
  const PlanCounts counts = count_releases(report);
  out.headline = fmt::format("heinrich audit: plan {}: {}: {} allow, {} warn, {} block", report.plan_path,
                             plural(static_cast<int>(report.rows.size()), "release"), counts.allow,
                             counts.warn, counts.block);
  return out;
}

CiReport ci_from_check(const CheckReport& report, bool fail_on_warn) {
  CiReport out;
  out.command = "heinrich check";
  out.suite = "heinrich.check";
  out.rules = {{"H301", "deploy-blocked", "the deploy falls in a blocked time", Severity::error},
               {"H302", "deploy-warned", "the deploy falls in a risky (warn) time", Severity::warning}};
  const Assessment& a = report.assessment;
  const Zone& zone = *report.context.zone;
  CiResult result;
  set_outcome(result, a.decision, fail_on_warn, 300);
  result.name = fmt::format("deploy {}{}", zone.format(a.deploy.start),
                            report.context.environment ? " " + *report.context.environment : std::string());
  result.title = fmt::format("heinrich check: {} (score {})", to_upper(to_string(a.decision)), a.score);
  std::string message = fmt::format("deploy {}: {} (score {}, warn at {}, block at {})",
                                    deploy_words(a, zone, report.context.environment, report.duration),
                                    to_upper(to_string(a.decision)), a.score, report.rules->thresholds.warn,
                                    report.rules->thresholds.block);
  for (const std::string& reason : describe_reasons(a, *report.rules, zone)) message += "\n" + reason;
  if (a.decision != Decision::allow)
    message += report.next_safe
                   ? fmt::format("\nnext safe start: {} (score {})",
                                 format_for_people(zone, report.next_safe->start), report.next_safe->score)
                   : "\nno safe start within 90 days";
  result.message = std::move(message);
  locate(a, *report.rules, report.context.policy_path, result);
  out.results.push_back(std::move(result));
  add_warnings(out, report.context);
  out.headline = fmt::format("heinrich check: {} (score {}) for {}", to_upper(to_string(a.decision)), a.score,
                             deploy_words(a, zone, report.context.environment, report.duration));
  // What a pipeline branches on; next-safe is empty when the deploy may start
  // now or no safe start is within reach (as next_safe is null in the JSON).
  // A wait cancelled at the last moment exits 1: its output must not read
  // "allow" to a step that deploys on it.
  const bool cancelled = report.wait && report.wait->outcome == WaitSummary::Outcome::cancelled;
  out.outputs = {{"decision", cancelled ? std::string("cancelled") : std::string(to_string(a.decision))},
                 {"score", std::to_string(a.score)},
                 {"next-safe", report.next_safe ? format_utc(report.next_safe->start) : std::string()}};
  return out;
}

std::string render_output_lines(const CiReport& report, std::string (*name_of)(std::string_view)) {
  std::string out;
  for (const CiOutput& output : report.outputs) {
    std::string value = output.value;
    std::replace_if(
        value.begin(), value.end(), [](char c) { return c == '\r' || c == '\n'; }, ' ');
    out += name_of(output.name) + "=" + value + "\n";
  }
  return out;
}

CiReport ci_from_not_a_deploy(const NotADeployReport& report) {
  CiReport out;
  out.command = "heinrich check";
  out.suite = "heinrich.check";
  out.rules = {{"H303", "not-a-deploy", "the build's ref maps to no environment, so nothing is checked",
                Severity::note}};
  CiResult result;
  result.rule_id = "H303";
  result.level = Severity::note;
  result.skipped = true;
  result.name = "not a deploy: " + escape_control(report.ref);
  result.title = "heinrich check: not a deploy";
  result.message =
      not_a_deploy_reason(report) + ": not a deploy, nothing was checked (pass --env to check it)";
  out.results.push_back(std::move(result));
  add_warnings(out, report.context);
  out.headline = "heinrich check: SKIP, not a deploy (" + not_a_deploy_reason(report) + ")";
  out.outputs = {{"decision", "skip"}, {"score", "0"}, {"next-safe", ""}};
  return out;
}

}  // namespace heinrich
