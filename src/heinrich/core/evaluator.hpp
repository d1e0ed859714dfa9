#pragma once
// The rules engine: score, decision and the next safe start times.
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "heinrich/core/rule.hpp"

namespace heinrich {

enum class Decision { allow, warn, block };
std::string_view to_string(Decision decision);

struct Match {
  std::size_t rule = 0;  // index into RuleSet::rules
  Occurrence occurrence;
  int contribution = 0;  // the risk added to the score; 0 for windows
};

// Risk that comes from the change rather than the calendar (a large diff,
// sensitive paths): it counts wherever the deploy is placed.
struct ExtraRisk {
  std::string name;    // "large-change"
  std::string kind;    // "change"
  std::string detail;  // "1,234 lines changed (> 800)"
  std::string source;  // where the rule is, "policy.toml:80:1"
  int risk = 0;
};

struct Assessment {
  Decision decision = Decision::allow;
  int score = 0;
  Interval deploy;                              // [at, at + duration)
  Interval exposure;                            // [at, at + duration + watch): when the deploy can still hurt
  std::vector<Match> matches;                   // block windows, warn windows, then scores by size
  std::vector<ExtraRisk> extra;  // counted in the score after the calendar
  bool has_allow_windows = false;               // the environment is restricted to allow windows
  bool inside_allowed = true;                   // the deploy lies inside one of them
  std::optional<std::size_t> first_allow_rule;  // where the allow windows are defined
};

struct Request {
  Instant at;
  Seconds duration{0};
  Seconds watch{0};
  std::optional<std::string> environment;
  std::vector<ExtraRisk> extra = {};
};

struct NextRequest {
  Instant after;
  Seconds duration{0};
  Seconds watch{0};
  std::optional<std::string> environment;
  Seconds within = days(90);
  std::size_t count = 3;
  std::vector<ExtraRisk> extra = {};
};

// A stretch of safe start times: any start in [start, end] is allowed.
struct SafeWindow {
  Instant start;
  Instant end;
  int score = 0;  // the score of a deploy starting at `start`
};

// 100 * (1 - prod(1 - r/100)), rounded: two 50s make 75, nothing exceeds 100.
int combine_risks(const std::vector<int>& risks);

Assessment evaluate(const RuleSet& rules, const Request& request);
std::vector<SafeWindow> find_safe_windows(const RuleSet& rules, const NextRequest& request);

}  // namespace heinrich
