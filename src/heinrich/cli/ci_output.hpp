#pragma once
// CI-native output shared by `check` and `audit`: which CI runs us (--ci),
// and how a report reaches it (stdout, -o FILE, the GitHub step summary).
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "heinrich/cli/common.hpp"
#include "heinrich/policy/policy.hpp"
#include "heinrich/report/ci_report.hpp"

namespace heinrich::cli {

// What --ci reads from the well-known variables of the CI that runs us.
struct CiSettings {
  std::string name;    // "GitHub Actions", "GitLab CI", "Jenkins", "CI"
  std::string format;  // the report format that CI displays: github, junit or text
  std::optional<std::string> environment;
  std::vector<std::string> notes;  // where the environment came from
  // The build's ref, when the CI names one and [push] maps it to no
  // environment: a pull-request or feature-branch build, not a deploy.
  struct UnmappedRef {
    std::string variable;  // "GITHUB_REF"
    std::string ref;       // "refs/pull/7/merge"
  };
  std::optional<UnmappedRef> not_a_deploy;
};

// GITHUB_ACTIONS (format github; environment from GITHUB_REF through [push]
// refs), GITLAB_CI (junit; CI_ENVIRONMENT_NAME, else CI_COMMIT_TAG or
// CI_COMMIT_BRANCH through [push]), JENKINS_URL (junit; TAG_NAME or
// BRANCH_NAME through [push]), else CI=true (text). nullopt outside CI.
// A ref that [push] maps nowhere sets `not_a_deploy` instead of an
// environment.
std::optional<CiSettings> detect_ci(const GetEnv& getenv, const PushMapping& push);

// `report` in a CI format (github, junit or sarif). For github, the Markdown
// summary is appended to $GITHUB_STEP_SUMMARY when that is set, and the
// report's outputs (check: decision, score, next-safe) to $GITHUB_OUTPUT.
std::string render_ci(const std::string& format, const CiReport& report, const Io& io);

// The ways one report renders; each runs only if its format is asked for.
struct ReportRenderers {
  std::function<std::string(TextStyle)> text;
  std::function<std::string()> json;
  std::function<CiReport()> ci;
};

// A report in `format`: text, json, or a CI format (github, junit, sarif).
// Without -o FILE it goes to stdout. With it, the file gets the report
// (written atomically; text without colour) and stdout the human text,
// unless the report is that text.
void deliver_report(const Io& io, const std::optional<std::string>& output, const std::string& format,
                    const ReportRenderers& render);

}  // namespace heinrich::cli
