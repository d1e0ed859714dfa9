#pragma once
// The decision timeline: for one rule set and one request (duration, watch,
// environment), the decision for every deploy start in a range, as
// piecewise-constant segments. `check` reads one point of it, `next` its
// first allowed stretches, `calendar` renders it; nothing else evaluates.
//
// Instants are whole seconds, so a stretch of start times is always a
// half-open run of seconds [start, end): a state that holds at one instant
// only (a zero-length event, a deploy that must start exactly when a window
// opens) is the one-second segment [t, t + 1s). No boundary is open or closed
// by convention; every answer comes from `touches` below.
#include <algorithm>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "heinrich/core/rule.hpp"

namespace heinrich {

enum class Decision { allow, warn, block };
std::string_view to_string(Decision decision);

// The seconds a span covers: [start, end), and for a zero-length span the
// one second it names. Every overlap question below is asked of these, so a
// zero-length event at 10:00 is hit by a deploy that starts at 10:00, and a
// zero-length deploy at 10:00 is hit by a window that holds 10:00.
[[nodiscard]] inline Interval covered_seconds(const Interval& span) {
  return {span.start, std::max(span.end, span.start + Seconds{1})};
}
// Whether a deploy's span meets a rule's span.
[[nodiscard]] inline bool touches(const Interval& a, const Interval& b) {
  return covered_seconds(a).overlaps(covered_seconds(b));
}
// Whether a deploy's span lies inside an allowed span.
[[nodiscard]] inline bool lies_inside(const Interval& inner, const Interval& outer) {
  return covered_seconds(outer).contains(covered_seconds(inner));
}

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

// What is being deployed, whenever it starts.
struct DeployShape {
  Seconds duration{0};
  Seconds watch{0};  // after the deploy, the time in which it can still hurt
  std::optional<std::string> environment;
  std::vector<ExtraRisk> extra = {};
};

// Every deploy that starts within `starts` gets this decision.
struct TimelineSegment {
  Interval starts;
  Decision decision = Decision::allow;
  int score = 0;
  bool inside_allowed = true;  // fits one of the environment's allow windows (or it has none)
  // Each rule that weighs on these starts, with its weighing occurrence
  // (riskiest, then one the deploy touches itself rather than through a
  // buffer, then earliest): block windows, warn windows, then scores by
  // size. Filled only when the timeline was built with reasons.
  std::vector<Match> matches;
};

enum class Reasons { keep, drop };

class Timeline {
 public:
  // The decision for every start in `starts`, by one change-point sweep.
  Timeline(const RuleSet& rules, const DeployShape& shape, Interval starts, Reasons reasons = Reasons::keep);

  // Contiguous, covering the range asked, neighbours always different.
  [[nodiscard]] const std::vector<TimelineSegment>& segments() const { return m_segments; }
  // The segment holding `start`; `start` must lie in the range.
  [[nodiscard]] const TimelineSegment& at(Instant start) const;
  [[nodiscard]] Interval range() const { return m_range; }
  [[nodiscard]] bool has_allow_windows() const { return m_first_allow_rule.has_value(); }
  // Where the environment's allow windows are defined, for the reasons.
  [[nodiscard]] std::optional<std::size_t> first_allow_rule() const { return m_first_allow_rule; }

 private:
  Interval m_range;
  std::optional<std::size_t> m_first_allow_rule;
  std::vector<TimelineSegment> m_segments;
};

// The union of `spans` as sorted, disjoint spans; spans that overlap or
// meet become one (a deploy may run across the seam of two allow windows).
std::vector<Interval> merge_meeting(std::vector<Interval> spans);

// 100 * (1 - prod(1 - r/100)), rounded: two 50s make 75, nothing exceeds 100.
int combine_risks(const std::vector<int>& risks);

}  // namespace heinrich
