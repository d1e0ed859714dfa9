#pragma once
// What `check` and `next` found, in a form every renderer reads.
#include <optional>
#include <string>
#include <vector>

#include "heinrich/core/evaluator.hpp"
#include "heinrich/core/finding.hpp"
#include "heinrich/core/zone.hpp"

namespace heinrich {

struct RunContext {
  std::string policy_path;
  const Zone* zone = nullptr;  // the zone times are shown in
  std::optional<std::string> environment;
  bool clock_overridden = false;
  std::vector<std::string> notes;
  // The answer stands, but rests on data that may be out of date (H113: a
  // holiday calendar past its verified horizon). Every format shows them.
  std::vector<Finding> warnings;
};

// "warning: policies/default.toml:70:1: 'kr-holidays' … [H113]", printable.
std::string warning_line(const Finding& warning);

// What `heinrich wait` did before its final decision.
struct WaitSummary {
  enum class Outcome { allowed, past_max_wait, cancelled };
  Outcome outcome = Outcome::allowed;
  Seconds waited{0};
  Seconds max_wait{0};
  // The first start the gate lets through (what it waited or would wait
  // for); none: none within the search horizon.
  std::optional<Instant> opening;
  std::string signal;  // "SIGTERM" when cancelled
};
std::string_view to_string(WaitSummary::Outcome outcome);

struct CheckReport {
  RunContext context;
  const RuleSet* rules = nullptr;
  Assessment assessment;
  Seconds duration{0};
  Seconds watch{0};
  std::optional<SafeWindow> next_safe;
  std::optional<WaitSummary> wait;  // `wait` only
};

// `check --ci` in a build whose ref maps to no environment in [push] (a
// pull-request or feature-branch build): nothing is deployed, so nothing is
// evaluated, and every format says so instead of judging every rule.
struct NotADeployReport {
  RunContext context;
  Instant at;
  std::string ci;        // "GitHub Actions"
  std::string variable;  // "GITHUB_REF"
  std::string ref;       // "refs/pull/7/merge"
};

// "GITHUB_REF refs/pull/7/merge maps to no environment in [push] refs"
std::string not_a_deploy_reason(const NotADeployReport& report);

struct NextReport {
  RunContext context;
  Instant after;
  Seconds duration{0};
  Seconds watch{0};
  Seconds within{0};
  std::vector<SafeWindow> windows;
};

struct TextStyle {
  bool colour = false;
};

std::string render_check_text(const CheckReport& report, TextStyle style);
std::string render_check_json(const CheckReport& report);
std::string render_not_a_deploy_text(const NotADeployReport& report, TextStyle style);
std::string render_not_a_deploy_json(const NotADeployReport& report);
std::string render_next_text(const NextReport& report, TextStyle style);
std::string render_next_json(const NextReport& report);

// "Thu 2026-12-24 18:00 +09:00"
std::string format_for_people(const Zone& zone, Instant instant);

}  // namespace heinrich
