#include "heinrich/core/evaluator.hpp"

#include <algorithm>
#include <cmath>

namespace heinrich {

std::string_view to_string(Decision decision) {
  switch (decision) {
    case Decision::allow:
      return "allow";
    case Decision::warn:
      return "warn";
    case Decision::block:
      return "block";
  }
  return "?";
}

int combine_risks(const std::vector<int>& risks) {
  double keep = 1.0;
  for (int risk : risks) keep *= 1.0 - std::clamp(risk, 0, 100) / 100.0;
  // The exact value is a multiple of 100^-n; the product can land a hair
  // below a .5 (77.5 as 77.4999…), which must still round up.
  return static_cast<int>(std::lround(100.0 * (1.0 - keep) + 1e-9));
}

namespace {

// Every occurrence of the rules that apply to one environment over one range,
// expanded once so that many instants can be assessed cheaply.
class Expansion {
 public:
  Expansion(const RuleSet& rules, const std::optional<std::string>& environment, Interval range)
      : m_rules(rules) {
    for (std::size_t i = 0; i < rules.rules.size(); ++i) {
      const Rule& rule = rules.rules[i];
      if (!rule.applies_to(environment) || !rule.schedule) continue;
      if (rule.action == Action::allow) {
        m_has_allow = true;
        std::vector<Occurrence> found;
        rule.schedule->occurrences(range, found);
        for (const auto& occurrence : found) m_allowed.push_back(occurrence.span);
        continue;
      }
      RuleOccurrences expanded{i, {}, Seconds{0}};
      rule.schedule->occurrences(Interval{range.start - rule.buffer_after, range.end + rule.buffer_before},
                                 expanded.items);
      if (expanded.items.empty()) continue;
      for (const auto& occurrence : expanded.items)
        expanded.max_length = std::max(expanded.max_length, occurrence.span.end - occurrence.span.start);
      m_expanded.push_back(std::move(expanded));
    }
    merge_allowed();
  }

  [[nodiscard]] bool has_allow() const { return m_has_allow; }
  [[nodiscard]] const std::vector<Interval>& allowed() const { return m_allowed; }

  // Calls visit(rule_index, occurrence) for the occurrence of each rule that
  // weighs most on the exposure interval (highest risk, then earliest).
  template <typename Visit>
  void for_each_match(const Interval& exposure, Visit&& visit) const {
    for (const auto& expanded : m_expanded) {
      const Rule& rule = m_rules.rules[expanded.rule];
      const auto& items = expanded.items;
      // Occurrences are sorted by start; only those starting before the
      // buffered exposure end, and not too long before its start, can overlap.
      const Instant latest_start = exposure.end + rule.buffer_before;
      auto it = std::lower_bound(items.begin(), items.end(), latest_start,
                                 [](const Occurrence& o, Instant t) { return o.span.start < t; });
      const Instant earliest_start = exposure.start - expanded.max_length - rule.buffer_after;
      // The riskiest occurrence counts; among equals, one the exposure
      // touches itself rather than through a buffer, then the earliest.
      const Occurrence* best = nullptr;
      bool best_direct = false;
      while (it != items.begin()) {
        --it;
        if (it->span.start < earliest_start) break;
        const Interval buffered{it->span.start - rule.buffer_before, it->span.end + rule.buffer_after};
        if (!buffered.overlaps(exposure)) continue;
        const bool direct = it->span.overlaps(exposure);
        const int risk = risk_of(rule, *it);
        const int best_risk = best ? risk_of(rule, *best) : -1;
        if (best == nullptr || risk > best_risk || (risk == best_risk && (direct || !best_direct))) {
          best = &*it;
          best_direct = direct;
        }
      }
      if (best != nullptr) visit(expanded.rule, *best);
    }
  }

  [[nodiscard]] bool inside_allowed(const Interval& deploy) const {
    auto it = std::upper_bound(m_allowed.begin(), m_allowed.end(), deploy.start,
                               [](Instant t, const Interval& w) { return t < w.start; });
    if (it == m_allowed.begin()) return false;
    --it;
    return it->contains(deploy);
  }

  template <typename Visit>
  void for_each_occurrence(Visit&& visit) const {
    for (const auto& expanded : m_expanded)
      for (const auto& occurrence : expanded.items) visit(expanded.rule, occurrence);
  }

  static int risk_of(const Rule& rule, const Occurrence& occurrence) {
    return occurrence.risk.value_or(rule.risk);
  }

 private:
  struct RuleOccurrences {
    std::size_t rule;
    std::vector<Occurrence> items;
    Seconds max_length;
  };

  void merge_allowed() {
    std::sort(m_allowed.begin(), m_allowed.end(),
              [](const Interval& a, const Interval& b) { return a.start < b.start; });
    std::vector<Interval> merged;
    for (const auto& span : m_allowed) {
      if (!merged.empty() && span.start <= merged.back().end)
        merged.back().end = std::max(merged.back().end, span.end);
      else
        merged.push_back(span);
    }
    m_allowed = std::move(merged);
  }

  const RuleSet& m_rules;
  std::vector<RuleOccurrences> m_expanded;
  std::vector<Interval> m_allowed;
  bool m_has_allow = false;
};

struct Verdict {
  Decision decision = Decision::allow;
  int score = 0;
};

Decision decide(bool block_window, bool warn_window, bool outside_allowed, int score,
                const Thresholds& thresholds) {
  if (block_window || outside_allowed || score >= thresholds.block) return Decision::block;
  if (warn_window || score >= thresholds.warn) return Decision::warn;
  return Decision::allow;
}

int severity(const Rule& rule) {
  switch (rule.action) {
    case Action::block:
      return 0;
    case Action::warn:
      return 1;
    default:
      return 2;
  }
}

}  // namespace

Assessment evaluate(const RuleSet& rules, const Request& request) {
  Assessment result;
  result.deploy = Interval{request.at, request.at + request.duration};
  result.exposure = Interval{request.at, request.at + request.duration + request.watch};
  const Expansion expansion(rules, request.environment, result.exposure);

  bool block_window = false;
  bool warn_window = false;
  std::vector<int> risks;
  expansion.for_each_match(result.exposure, [&](std::size_t index, const Occurrence& occurrence) {
    const Rule& rule = rules.rules[index];
    Match match{index, occurrence, 0};
    if (rule.action == Action::block)
      block_window = true;
    else if (rule.action == Action::warn)
      warn_window = true;
    else {
      match.contribution = Expansion::risk_of(rule, occurrence);
      risks.push_back(match.contribution);
    }
    result.matches.push_back(std::move(match));
  });
  std::stable_sort(result.matches.begin(), result.matches.end(), [&](const Match& a, const Match& b) {
    const int sa = severity(rules.rules[a.rule]);
    const int sb = severity(rules.rules[b.rule]);
    if (sa != sb) return sa < sb;
    return a.contribution > b.contribution;
  });
  for (const ExtraRisk& extra : request.extra) risks.push_back(extra.risk);
  result.extra = request.extra;
  result.score = combine_risks(risks);
  result.has_allow_windows = expansion.has_allow();
  for (std::size_t i = 0; i < rules.rules.size() && result.has_allow_windows; ++i) {
    if (rules.rules[i].action == Action::allow && rules.rules[i].applies_to(request.environment)) {
      result.first_allow_rule = i;
      break;
    }
  }
  result.inside_allowed = !expansion.has_allow() || expansion.inside_allowed(result.deploy);
  result.decision = decide(block_window, warn_window, !result.inside_allowed, result.score, rules.thresholds);
  return result;
}

namespace {

// The state of a sweep over start times: which rules an exposure starting at
// the current instant touches, and whether the deploy fits an allow window.
class SweepState {
 public:
  SweepState(const RuleSet& rules, bool restricted_to_allow, const std::vector<ExtraRisk>& extra)
      : m_rules(rules), m_active_risks(rules.rules.size()), m_restricted(restricted_to_allow) {
    for (const ExtraRisk& risk : extra) m_constant_risks.push_back(risk.risk);
  }

  void activate(std::size_t rule, int risk) {
    auto& risks = m_active_risks[rule];
    if (risks.empty()) m_active.push_back(rule);
    risks.push_back(risk);
  }
  void deactivate(std::size_t rule, int risk) {
    auto& risks = m_active_risks[rule];
    risks.erase(std::find(risks.begin(), risks.end(), risk));
    if (risks.empty()) m_active.erase(std::find(m_active.begin(), m_active.end(), rule));
  }
  void set_fits_allow(bool fits) { m_fits_allow += fits ? 1 : -1; }

  // The same decision `evaluate` makes: each rule weighs with its riskiest
  // active occurrence.
  [[nodiscard]] Verdict verdict() const {
    bool block_window = false;
    bool warn_window = false;
    std::vector<int> risks = m_constant_risks;
    for (std::size_t index : m_active) {
      const Rule& rule = m_rules.rules[index];
      if (rule.action == Action::block)
        block_window = true;
      else if (rule.action == Action::warn)
        warn_window = true;
      else
        risks.push_back(*std::max_element(m_active_risks[index].begin(), m_active_risks[index].end()));
    }
    const int score = combine_risks(risks);
    const bool outside = m_restricted && m_fits_allow <= 0;
    return {decide(block_window, warn_window, outside, score, m_rules.thresholds), score};
  }

 private:
  const RuleSet& m_rules;
  std::vector<std::vector<int>> m_active_risks;
  std::vector<std::size_t> m_active;
  int m_fits_allow = 0;
  bool m_restricted;
  std::vector<int> m_constant_risks;
};

// Changes of the sweep state. An occurrence [s, e) touches the exposure of a
// start t when t is in (s - buffer_before - exposure, e + buffer_after); a
// deploy fits an allow window [a, b) when t is in [a, b - duration]. So some
// changes take effect at their instant ("at") and some just after ("after").
struct Change {
  enum Phase { at = 0, after = 1 };
  Instant when;
  Phase phase;
  std::size_t rule;  // SIZE_MAX for allow windows
  int risk;
  bool on;
};

}  // namespace

std::vector<SafeWindow> find_safe_windows(const RuleSet& rules, const NextRequest& request) {
  const Seconds exposure_length = request.duration + request.watch;
  const Instant horizon = request.after + request.within;
  const Expansion expansion(rules, request.environment, Interval{request.after, horizon + exposure_length});
  constexpr std::size_t kAllow = static_cast<std::size_t>(-1);

  // A sweep over the instants where the decision can change, never minute by
  // minute: safety can only begin at such an instant, and end exactly at one.
  std::vector<Change> changes;
  expansion.for_each_occurrence([&](std::size_t index, const Occurrence& occurrence) {
    const Rule& rule = rules.rules[index];
    const int risk = Expansion::risk_of(rule, occurrence);
    changes.push_back(
        {occurrence.span.start - rule.buffer_before - exposure_length, Change::after, index, risk, true});
    changes.push_back({occurrence.span.end + rule.buffer_after, Change::at, index, risk, false});
  });
  for (const auto& window : expansion.allowed()) {
    changes.push_back({window.start, Change::at, kAllow, 0, true});
    changes.push_back({window.end - request.duration, Change::after, kAllow, 0, false});
  }
  std::sort(changes.begin(), changes.end(), [](const Change& a, const Change& b) {
    return a.when != b.when ? a.when < b.when : a.phase < b.phase;
  });

  SweepState state(rules, expansion.has_allow(), request.extra);
  auto apply = [&](const Change& change) {
    if (change.rule == kAllow)
      state.set_fits_allow(change.on);
    else if (change.on)
      state.activate(change.rule, change.risk);
    else
      state.deactivate(change.rule, change.risk);
  };

  std::vector<SafeWindow> found;
  std::optional<SafeWindow> open;
  auto next = changes.begin();
  // Everything before `after`, and what takes effect at it: the state at `after`.
  while (next != changes.end() &&
         (next->when < request.after || (next->when == request.after && next->phase == Change::at)))
    apply(*next++);
  Instant point = request.after;
  while (true) {
    if (!open) {
      const Verdict verdict = state.verdict();
      if (verdict.decision == Decision::allow) open = SafeWindow{point, horizon, verdict.score};
    }
    while (next != changes.end() && next->when == point) apply(*next++);  // the "after" changes
    if (open && state.verdict().decision != Decision::allow) {
      open->end = point;
      found.push_back(*open);
      open.reset();
      if (found.size() >= request.count) break;
    }
    if (next == changes.end() || next->when > horizon) break;
    point = next->when;
    while (next != changes.end() && next->when == point && next->phase == Change::at) apply(*next++);
  }
  if (open && found.size() < request.count) found.push_back(*open);
  return found;
}

}  // namespace heinrich
