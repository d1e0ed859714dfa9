#pragma once
// A loaded, validated policy (DESIGN.md section 3).
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "heinrich/core/day_span.hpp"
#include "heinrich/core/finding.hpp"
#include "heinrich/core/rule.hpp"
#include "heinrich/core/zone.hpp"
#include "heinrich/util/diagnostic.hpp"

namespace heinrich {

class IcsCache;

struct Defaults {
  Seconds duration = minutes(30);
  Seconds watch = hours(2);
  std::optional<std::string> environment;
  // The staffed hours a suggested start must fall in (`next`, "next safe
  // start"); they narrow suggestions, never a decision. nullopt: any time.
  std::optional<DaySpan> staffed;
};

struct ChangeRisk {
  SourceLocation where;  // the [change] table, for the reasons
  std::optional<long long> large_lines;
  int large_risk = 0;
  std::vector<std::string> sensitive_paths;
  int sensitive_risk = 0;
};

struct PushMapping {
  std::vector<std::pair<std::string, std::string>> refs;  // glob -> environment, in file order
};

// The closed set of environment names (policy/environments.hpp).
struct Environments {
  std::vector<std::string> names;                            // canonical, sorted, unique
  std::vector<std::pair<std::string, std::string>> aliases;  // alias -> canonical name
  bool declared = false;                                     // by an [environments] table
};

struct OverridePolicy {
  bool allowed = false;
  std::string ticket;  // regular expression (RE2 syntax, core/pattern.hpp) a ticket must match
  std::vector<std::string> never;
};

// A mistake that lenient loading recorded instead of refusing the policy
// (see LoadMode); `heinrich audit` reports it with its lint code.
struct PolicyProblem {
  std::string code;  // "H101"
  SourceLocation where;
  std::string message;
  std::string hint;
  std::string source_line;
  int underline = 1;  // characters the caret line marks
};

// How far a built-in holiday calendar's data is known to be right (the
// holiday file's verified_through and cannot_compute), for the calendar
// rule that uses it.
struct DataHorizon {
  std::string calendar;  // the [[calendar]] name
  std::string data;      // the holiday rule file's id, "kr-public-holidays"
  int verified_through = 0;
  std::vector<std::string> cannot_compute;
  SourceLocation where;  // the [[calendar]] table
  const Zone* zone = nullptr;
};

struct Policy {
  std::string path;
  const Zone* zone = nullptr;
  Defaults defaults;
  RuleSet rules;
  ChangeRisk change;
  PushMapping push;
  Environments environments;
  OverridePolicy override_policy;
  std::vector<PolicyProblem> problems;  // lenient loading only; strict loading throws instead
  std::vector<DataHorizon> horizons;    // of the built-in holiday calendars it uses
  std::vector<Finding> warnings;        // what its calendars were read with a guess (H114)
};

// Strict loading (check, next, every command that decides) refuses any
// mistake. Lenient loading (the policy lint) records the mistakes it can
// step over: a window that can never match (a cron that never fires, `end`
// not after `start`, a zero-length span) is kept without a schedule, and a
// risk or threshold out of 0-100 is clamped. Syntax, type and unknown-key
// errors still throw.
enum class LoadMode { strict, lenient };

struct LoadOptions {
  LoadMode mode = LoadMode::strict;
  // Where ICS calendars that were parsed before are read back from; null
  // parses every file (see calendar/ics_cache.hpp).
  const IcsCache* calendar_cache = nullptr;
};

// Every schema error of a policy file (SourceErrors); lenient loading also
// hands back the problems it recorded, which the audit reports beside them.
class PolicyErrors : public SourceErrors {
 public:
  PolicyErrors(std::vector<SourceError> errors, std::size_t not_shown, std::vector<PolicyProblem> problems)
      : SourceErrors(std::move(errors), not_shown), m_problems(std::move(problems)) {}
  [[nodiscard]] const std::vector<PolicyProblem>& problems() const { return m_problems; }

 private:
  std::vector<PolicyProblem> m_problems;
};

// Parses and validates policy text; every problem is a PolicyError with a
// position in `path`, and a file with several is one PolicyErrors that
// holds them all (at most 50, and how many more there were).
Policy parse_policy(std::string_view text, const std::string& path, const LoadOptions& options = {});
Policy load_policy_file(const std::string& path, const LoadOptions& options = {});
// The bytes of a policy file; a PolicyError without a line if it is unreadable.
std::string read_policy_text(const std::string& path);

}  // namespace heinrich
