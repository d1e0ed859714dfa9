#pragma once
// CI-native output for `check` and `audit`: GitHub workflow commands (and a
// Markdown step summary), JUnit XML (GitLab, Jenkins) and SARIF 2.1.0 (code
// scanning). Each command turns its results into one CiReport; the three
// renderers read only that.
#include <string>
#include <string_view>
#include <vector>

#include "heinrich/core/finding.hpp"
#include "heinrich/report/audit_report.hpp"
#include "heinrich/report/reports.hpp"

namespace heinrich {

struct CiRule {
  std::string id;       // "H102"
  std::string name;     // "end-before-start"
  std::string summary;  // one line
  Severity level = Severity::error;
};

struct CiResult {
  std::string rule_id;
  Severity level = Severity::error;
  bool pass = false;     // a passing item: only JUnit lists it
  bool failed = false;   // counts against the run (JUnit <failure>)
  bool skipped = false;  // nothing was checked (JUnit <skipped>, a GitHub notice, SARIF notApplicable)
  std::string name;      // JUnit testcase name, unique within the report
  std::string title;     // one line: the GitHub annotation title
  std::string message;   // may span lines
  SourceLocation where;  // file "": no location; line 0: the file alone
  int width = 1;         // characters of the offending token from where.column
  std::vector<SourceLocation> related;
};

// A step output a pipeline reads back (GitHub's $GITHUB_OUTPUT).
struct CiOutput {
  std::string name;   // "decision"
  std::string value;  // one line
};

struct CiReport {
  std::string command;   // "heinrich audit"
  std::string suite;     // JUnit testsuite / classname prefix: "heinrich.lint"
  std::string headline;  // "2 errors, 1 warning in policy.toml"
  std::vector<CiRule> rules;
  std::vector<CiResult> results;
  std::vector<CiOutput> outputs;  // check: decision, score, next-safe
};

CiReport ci_from_lint(const LintReport& report);
CiReport ci_from_plan(const PlanReport& report);
CiReport ci_from_check(const CheckReport& report, bool fail_on_warn);
CiReport ci_from_not_a_deploy(const NotADeployReport& report);

// GitHub Actions workflow commands: "::error file=…,line=…,col=…,title=…::msg"
// per failing or warning result, then the headline.
std::string render_github(const CiReport& report);
// Markdown for $GITHUB_STEP_SUMMARY.
std::string render_github_summary(const CiReport& report);
// One "name=value" line per output, each name through `name_of`, each
// value's CR and LF as spaces so that no value can end its line early and
// set an output of its own; "" when the report has no outputs.
std::string render_output_lines(const CiReport& report, std::string (*name_of)(std::string_view));
// "name=value" lines for $GITHUB_OUTPUT, "" when the report has no outputs.
// A name keeps only [A-Za-z0-9_-] and a value's CR and LF become spaces, so
// no value can end its line early and set an output of its own.
std::string render_github_outputs(const CiReport& report);
// The same outputs as "HEINRICH_DECISION=block" lines: a dotenv file, which
// GitLab passes to later jobs (artifacts:reports:dotenv). Names upper-cased
// with '-' as '_'; CR and LF in a value become spaces.
std::string render_dotenv(const CiReport& report);
std::string render_junit(const CiReport& report);
std::string render_sarif(const CiReport& report);

// The workflow-command escapes: data escapes '%', '\r', '\n'; a property
// value also ':' and ','.
std::string github_escape_data(std::string_view text);
std::string github_escape_property(std::string_view text);

}  // namespace heinrich
