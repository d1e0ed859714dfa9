#include "heinrich/core/evaluator.hpp"

#include <algorithm>
#include <cmath>

namespace heinrich {

std::string_view to_string(Decision decision) {
  switch (decision) {
    case Decision::allow: return "allow";
    case Decision::warn: return "warn";
    case Decision::block: return "block";
  }
  return "?";
}

int combine_risks(const std::vector<int>& risks) {
  double keep = 1.0;
  for (int risk : risks) keep *= 1.0 - std::clamp(risk, 0, 100) / 100.0;
  return static_cast<int>(std::lround(100.0 * (1.0 - keep)));
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
      rule.schedule->occurrences(
          Interval{range.start - rule.buffer_after, range.end + rule.buffer_before}, expanded.items);
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
      const Occurrence* best = nullptr;
      while (it != items.begin()) {
        --it;
        if (it->span.start < earliest_start) break;
        const Interval buffered{it->span.start - rule.buffer_before, it->span.end + rule.buffer_after};
        if (!buffered.overlaps(exposure)) continue;
        if (best == nullptr || risk_of(rule, *it) >= risk_of(rule, *best)) best = &*it;
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
      for (const auto& occurrence : expanded.items) visit(m_rules.rules[expanded.rule], occurrence);
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

// The decision alone, without copying any occurrence: the inner loop of `next`.
Verdict verdict_at(const Expansion& expansion, const RuleSet& rules, Instant at, Seconds duration,
                   Seconds watch) {
  bool block_window = false;
  bool warn_window = false;
  double keep = 1.0;
  expansion.for_each_match(Interval{at, at + duration + watch},
                           [&](std::size_t index, const Occurrence& occurrence) {
                             const Rule& rule = rules.rules[index];
                             if (rule.action == Action::block) block_window = true;
                             else if (rule.action == Action::warn) warn_window = true;
                             else keep *= 1.0 - std::clamp(Expansion::risk_of(rule, occurrence), 0, 100) / 100.0;
                           });
  const int score = static_cast<int>(std::lround(100.0 * (1.0 - keep)));
  const bool outside = expansion.has_allow() && !expansion.inside_allowed(Interval{at, at + duration});
  return {decide(block_window, warn_window, outside, score, rules.thresholds), score};
}

int severity(const Rule& rule) {
  switch (rule.action) {
    case Action::block: return 0;
    case Action::warn: return 1;
    default: return 2;
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
    if (rule.action == Action::block) block_window = true;
    else if (rule.action == Action::warn) warn_window = true;
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
  result.score = combine_risks(risks);
  result.has_allow_windows = expansion.has_allow();
  result.inside_allowed = !expansion.has_allow() || expansion.inside_allowed(result.deploy);
  result.decision = decide(block_window, warn_window, !result.inside_allowed, result.score, rules.thresholds);
  return result;
}

std::vector<SafeWindow> find_safe_windows(const RuleSet& rules, const NextRequest& request) {
  const Seconds exposure_length = request.duration + request.watch;
  const Instant horizon = request.after + request.within;
  const Expansion expansion(rules, request.environment,
                            Interval{request.after, horizon + exposure_length});

  // The decision only changes where an exposure starts or stops touching an
  // occurrence, or a deploy starts or stops fitting an allow window. A safe
  // stretch can only begin at `after` or where trouble ends ("openings"), and
  // can only end just after a point where trouble begins ("closings").
  std::vector<Instant> openings{request.after};
  std::vector<Instant> closings;
  expansion.for_each_occurrence([&](const Rule& rule, const Occurrence& occurrence) {
    openings.push_back(occurrence.span.end + rule.buffer_after);
    closings.push_back(occurrence.span.start - rule.buffer_before - exposure_length);
  });
  for (const auto& window : expansion.allowed()) {
    openings.push_back(window.start);
    closings.push_back(window.end - request.duration);
  }
  std::sort(openings.begin(), openings.end());
  openings.erase(std::unique(openings.begin(), openings.end()), openings.end());
  std::sort(closings.begin(), closings.end());
  closings.erase(std::unique(closings.begin(), closings.end()), closings.end());

  std::vector<SafeWindow> found;
  auto opening = std::lower_bound(openings.begin(), openings.end(), request.after);
  while (found.size() < request.count && opening != openings.end() && *opening <= horizon) {
    const Verdict verdict = verdict_at(expansion, rules, *opening, request.duration, request.watch);
    if (verdict.decision != Decision::allow) {
      ++opening;
      continue;
    }
    SafeWindow window{*opening, horizon, verdict.score};
    for (auto closing = std::upper_bound(closings.begin(), closings.end(), *opening - Seconds{1});
         closing != closings.end() && *closing < horizon; ++closing) {
      const Verdict after_close =
          verdict_at(expansion, rules, *closing + Seconds{1}, request.duration, request.watch);
      if (after_close.decision != Decision::allow) {
        window.end = *closing;
        break;
      }
    }
    found.push_back(window);
    opening = std::upper_bound(openings.begin(), openings.end(), window.end);
  }
  return found;
}

}  // namespace heinrich
