#pragma once
// What `heinrich audit` found: policy lint findings, or the verdict on each
// release of a plan. Text and JSON here; CI formats in ci_report.hpp.
#include <optional>
#include <string>
#include <vector>

#include "heinrich/core/evaluator.hpp"
#include "heinrich/core/finding.hpp"
#include "heinrich/report/reports.hpp"

namespace heinrich {

// One kind of finding, as SARIF rules and JUnit list them.
struct FindingKind {
  std::string code;
  std::string name;
  std::string summary;
  Severity severity = Severity::error;
};

struct LintReport {
  RunContext context;
  std::vector<Finding> findings;   // sorted by position
  std::vector<FindingKind> kinds;  // every check that ran, found or not
  bool strict = false;             // warnings fail too
};

struct LintCounts {
  int errors = 0;
  int warnings = 0;
  int notes = 0;
};
LintCounts count_findings(const std::vector<Finding>& findings);
// Exit 1 when there are errors, or warnings under --strict.
bool lint_fails(const LintReport& report);

struct ReleaseRow {
  std::string service;
  std::optional<std::string> environment;
  SourceLocation where;  // in the plan file
  Seconds duration{0};
  Seconds watch{0};
  Assessment assessment;
  std::optional<SafeWindow> alternative;  // blocked releases: the next safe start
  std::vector<std::string> notes;
};

struct PlanReport {
  RunContext context;
  const RuleSet* rules = nullptr;
  std::string plan_path;
  std::string plan_format;  // csv, toml, ics
  std::vector<ReleaseRow> rows;
  Seconds search{days(90)};  // how far ahead alternatives were looked for
  bool fail_on_warn = false;
};

struct PlanCounts {
  int allow = 0;
  int warn = 0;
  int block = 0;
  int without_alternative = 0;  // blocked, and nothing safe within the search
};
PlanCounts count_releases(const PlanReport& report);
bool plan_fails(const PlanReport& report);

// "policy.toml:7:7: error[H102]: …", the line, a caret, and "fix: …".
std::string render_lint_text(const LintReport& report, TextStyle style);
std::string render_lint_json(const LintReport& report);
std::string render_plan_text(const PlanReport& report, TextStyle style);
std::string render_plan_json(const PlanReport& report);

// One reason of an assessment in words: "block window 'year-end-freeze'
// (Thu 2026-12-24 00:00 +09:00 to …)", "+75 calendar 'kr-holidays': Chuseok".
std::vector<std::string> describe_reasons(const Assessment& assessment, const RuleSet& rules,
                                          const Zone& zone);

}  // namespace heinrich
