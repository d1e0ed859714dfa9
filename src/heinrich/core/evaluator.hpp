#pragma once
// The questions `check` and `next` ask, answered by reading the decision
// timeline (core/timeline.hpp): one point of it, or its first allowed stretches.
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "heinrich/core/timeline.hpp"

namespace heinrich {

struct Assessment {
  Decision decision = Decision::allow;
  int score = 0;
  Interval deploy;                              // [at, at + duration)
  Interval exposure;                            // [at, at + duration + watch): when the deploy can still hurt
  std::vector<Match> matches;                   // block windows, warn windows, then scores by size
  std::vector<ExtraRisk> extra;                 // counted in the score after the calendar
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
  // The staffed hours a deploy may start in (`next --hours`, `[defaults]
  // hours`); null: any time. They narrow the answer, never the decision.
  const Schedule* staffed = nullptr;
  // The worst decision a listed start may have: allow (a safe start, what
  // `next` lists) or warn (a start `check` lets through without
  // --fail-on warn, what `wait` waits for).
  Decision accept = Decision::allow;
};

// A stretch of safe start times: any start in [start, end] is allowed (or
// no worse than NextRequest::accept).
struct SafeWindow {
  Instant start;
  Instant end;
  int score = 0;  // the score of a deploy starting at `start`
};

// The decision for a deploy starting at `request.at`: the timeline at that
// one second.
Assessment evaluate(const RuleSet& rules, const Request& request);
// The first `count` stretches of allowed starts from `after` on, within the
// timeline's range (a stretch still open at its end ends there), cut to the
// `staffed` spans when given; `accept` is the worst decision such a start
// may have.
std::vector<SafeWindow> safe_windows(const Timeline& timeline, Instant after, std::size_t count,
                                     const Schedule* staffed = nullptr, Decision accept = Decision::allow);
// The same over [after, after + within].
std::vector<SafeWindow> find_safe_windows(const RuleSet& rules, const NextRequest& request);

}  // namespace heinrich
