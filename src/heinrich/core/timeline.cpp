#include "heinrich/core/timeline.hpp"

#include "heinrich/util/diagnostic.hpp"

#include <algorithm>
#include <cassert>
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

constexpr Seconds kSecond{1};

// One timeline weighs at most this many occurrences, all rules together, so
// `check`'s "next safe start" over 90 days stays bounded (issue 11, item 14:
// 2,000 minutely cron windows took 24 GB until the kernel killed it).
constexpr std::size_t kMaxOccurrences = 1'000'000;

[[noreturn]] void too_many_occurrences(const Rule& busiest, std::size_t busiest_count,
                                       const Interval& starts) {
  throw SourceError(busiest.source,
                    "the policy's rules have more than " + std::to_string(kMaxOccurrences) +
                        " occurrences to weigh for deploys starting from " + format_utc(starts.start) +
                        " to " + format_utc(starts.end) + "; '" + busiest.name + "' alone has " +
                        std::to_string(busiest_count),
                    {}, "fire less often, or merge windows that recur every minute into longer ones");
}

// The starts t whose exposure [t, t + length) touches `span`: the covered
// seconds [t, t + max(length, 1s)) meet [span.start, covered end).
Interval touching_starts(const Interval& span, Seconds length) {
  return {span.start - std::max(length, kSecond) + kSecond, covered_seconds(span).end};
}

// The starts t whose deploy [t, t + duration) lies inside `allowed` (already
// in covered seconds); empty when the deploy does not fit.
Interval fitting_starts(const Interval& allowed, Seconds duration) {
  return {allowed.start, std::max(allowed.start, allowed.end - std::max(duration, kSecond) + kSecond)};
}

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

bool same_match(const Match& a, const Match& b) {
  return a.rule == b.rule && a.contribution == b.contribution && a.occurrence.span == b.occurrence.span &&
         a.occurrence.label == b.occurrence.label && a.occurrence.risk == b.occurrence.risk;
}

bool same_state(const TimelineSegment& a, const TimelineSegment& b) {
  return a.decision == b.decision && a.score == b.score && a.inside_allowed == b.inside_allowed &&
         std::equal(a.matches.begin(), a.matches.end(), b.matches.begin(), b.matches.end(), same_match);
}

// One occurrence of a rule that applies, with the starts it weighs on.
struct Weighing {
  std::size_t rule;
  Occurrence occurrence;
  int risk;
};

// A change of the sweep state at an instant: from `when` on, the occurrence
// weighs (or no longer does) on starts through its buffers, or directly, or
// a deploy fits (or no longer fits) an allow window.
struct Change {
  enum Kind { buffered_on, buffered_off, direct_on, direct_off, fits_on, fits_off };
  Instant when;
  Kind kind;
  std::size_t weighing;  // index into the weighings; unused for fits_*
};

class Sweep {
 public:
  Sweep(const RuleSet& rules, const DeployShape& shape, Reasons reasons, std::vector<Weighing> weighings)
      : m_rules(rules),
        m_shape(shape),
        m_reasons(reasons),
        m_weighings(std::move(weighings)),
        m_active(rules.rules.size()) {}

  void apply(const Change& change) {
    switch (change.kind) {
      case Change::buffered_on: {
        auto& active = m_active[m_weighings[change.weighing].rule];
        if (active.empty()) m_active_rules.push_back(m_weighings[change.weighing].rule);
        active.push_back({change.weighing, false});
        break;
      }
      case Change::buffered_off: {
        const std::size_t rule = m_weighings[change.weighing].rule;
        auto& active = m_active[rule];
        active.erase(std::find_if(active.begin(), active.end(),
                                  [&](const Active& a) { return a.weighing == change.weighing; }));
        if (active.empty())
          m_active_rules.erase(std::find(m_active_rules.begin(), m_active_rules.end(), rule));
        break;
      }
      case Change::direct_on:
      case Change::direct_off:
        for (Active& a : m_active[m_weighings[change.weighing].rule])
          if (a.weighing == change.weighing) a.direct = change.kind == Change::direct_on;
        break;
      case Change::fits_on:
        ++m_fits;
        break;
      case Change::fits_off:
        --m_fits;
        break;
    }
  }

  [[nodiscard]] TimelineSegment state(Interval starts, bool restricted) const {
    TimelineSegment segment;
    segment.starts = starts;
    bool block_window = false;
    bool warn_window = false;
    std::vector<int> risks;
    std::vector<std::size_t> rules = m_active_rules;
    std::sort(rules.begin(), rules.end());  // file order, as the reasons list them
    for (std::size_t index : rules) {
      const Rule& rule = m_rules.rules[index];
      const Active* best = nullptr;
      for (const Active& candidate : m_active[index])
        if (best == nullptr || weighs_more(candidate, *best)) best = &candidate;
      const Weighing& weighing = m_weighings[best->weighing];
      int contribution = 0;
      if (rule.action == Action::block)
        block_window = true;
      else if (rule.action == Action::warn)
        warn_window = true;
      else
        risks.push_back(contribution = weighing.risk);
      if (m_reasons == Reasons::keep) segment.matches.push_back({index, weighing.occurrence, contribution});
    }
    std::stable_sort(segment.matches.begin(), segment.matches.end(), [&](const Match& a, const Match& b) {
      const int sa = severity(m_rules.rules[a.rule]);
      const int sb = severity(m_rules.rules[b.rule]);
      if (sa != sb) return sa < sb;
      return a.contribution > b.contribution;
    });
    for (const ExtraRisk& extra : m_shape.extra) risks.push_back(extra.risk);
    segment.score = combine_risks(risks);
    segment.inside_allowed = !restricted || m_fits > 0;
    segment.decision =
        decide(block_window, warn_window, !segment.inside_allowed, segment.score, m_rules.thresholds);
    return segment;
  }

 private:
  struct Active {
    std::size_t weighing;
    bool direct;
  };

  // The riskiest occurrence weighs; among equals one the deploy touches
  // itself rather than through a buffer, then the earliest.
  [[nodiscard]] bool weighs_more(const Active& a, const Active& b) const {
    const Weighing& x = m_weighings[a.weighing];
    const Weighing& y = m_weighings[b.weighing];
    if (x.risk != y.risk) return x.risk > y.risk;
    if (a.direct != b.direct) return a.direct;
    return x.occurrence.span.start < y.occurrence.span.start;
  }

  const RuleSet& m_rules;
  const DeployShape& m_shape;
  Reasons m_reasons;
  std::vector<Weighing> m_weighings;
  std::vector<std::vector<Active>> m_active;  // by rule: its occurrences that weigh now
  std::vector<std::size_t> m_active_rules;    // rules with any
  int m_fits = 0;
};

}  // namespace

std::vector<Interval> merge_meeting(std::vector<Interval> spans) {
  std::sort(spans.begin(), spans.end(),
            [](const Interval& a, const Interval& b) { return a.start < b.start; });
  std::vector<Interval> out;
  for (const Interval& span : spans) {
    if (!out.empty() && span.start <= out.back().end)
      out.back().end = std::max(out.back().end, span.end);
    else
      out.push_back(span);
  }
  return out;
}

Timeline::Timeline(const RuleSet& rules, const DeployShape& shape, Interval starts, Reasons reasons)
    : m_range(starts) {
  assert(!starts.empty());
  const Seconds exposure = shape.duration + shape.watch;
  std::vector<Weighing> weighings;
  std::vector<Change> changes;
  std::vector<Interval> allowed;
  std::vector<Occurrence> found;
  std::size_t weighed = 0;
  std::size_t busiest = 0;
  std::size_t busiest_count = 0;
  auto count = [&](std::size_t index, std::size_t n) {
    weighed += n;
    if (n > busiest_count) {
      busiest = index;
      busiest_count = n;
    }
    if (weighed > kMaxOccurrences) too_many_occurrences(rules.rules[busiest], busiest_count, starts);
  };
  for (std::size_t index = 0; index < rules.rules.size(); ++index) {
    const Rule& rule = rules.rules[index];
    if (!rule.applies_to(shape.environment) || !rule.schedule) continue;
    found.clear();
    if (rule.action == Action::allow) {
      if (!m_first_allow_rule) m_first_allow_rule = index;
      // A second wider than the deploy's reach, so zero-length spans on the
      // edge are seen (a schedule's query is an ordinary half-open overlap).
      rule.schedule->occurrences(Interval{starts.start - kSecond, starts.end + shape.duration + kSecond},
                                 found);
      count(index, found.size());
      for (const Occurrence& occurrence : found) allowed.push_back(covered_seconds(occurrence.span));
      continue;
    }
    rule.schedule->occurrences(Interval{starts.start - rule.buffer_after - kSecond,
                                        starts.end + exposure + rule.buffer_before + kSecond},
                               found);
    count(index, found.size());
    for (Occurrence& occurrence : found) {
      const Interval buffered{occurrence.span.start - rule.buffer_before,
                              occurrence.span.end + rule.buffer_after};
      const Interval weighs = touching_starts(buffered, exposure);
      if (!weighs.overlaps(starts)) continue;
      const Interval direct = touching_starts(occurrence.span, exposure);
      const std::size_t id = weighings.size();
      const int risk = occurrence.risk.value_or(rule.risk);
      weighings.push_back({index, std::move(occurrence), risk});
      changes.push_back({weighs.start, Change::buffered_on, id});
      changes.push_back({weighs.end, Change::buffered_off, id});
      if (direct != weighs) {
        changes.push_back({direct.start, Change::direct_on, id});
        changes.push_back({direct.end, Change::direct_off, id});
      }
    }
  }
  for (const Interval& span : merge_meeting(std::move(allowed))) {
    const Interval fits = fitting_starts(span, shape.duration);
    if (fits.empty()) continue;
    changes.push_back({fits.start, Change::fits_on, 0});
    changes.push_back({fits.end, Change::fits_off, 0});
  }
  // At one instant: switch occurrences on before marking them direct, and
  // off only after their direct mark is gone.
  std::sort(changes.begin(), changes.end(), [](const Change& a, const Change& b) {
    if (a.when != b.when) return a.when < b.when;
    auto order = [](Change::Kind kind) {
      switch (kind) {
        case Change::buffered_on:
          return 0;
        case Change::direct_on:
        case Change::direct_off:
          return 1;
        default:
          return 2;
      }
    };
    return order(a.kind) < order(b.kind);
  });

  const bool restricted = m_first_allow_rule.has_value();
  Sweep sweep(rules, shape, reasons, std::move(weighings));
  auto next = changes.begin();
  while (next != changes.end() && next->when <= starts.start) sweep.apply(*next++);
  Instant point = starts.start;
  while (point < starts.end) {
    const Instant until = next == changes.end() ? starts.end : std::min(next->when, starts.end);
    TimelineSegment segment = sweep.state(Interval{point, until}, restricted);
    if (!m_segments.empty() && same_state(m_segments.back(), segment))
      m_segments.back().starts.end = until;
    else
      m_segments.push_back(std::move(segment));
    point = until;
    while (next != changes.end() && next->when == point) sweep.apply(*next++);
  }
}

const TimelineSegment& Timeline::at(Instant start) const {
  assert(m_range.start <= start && start < m_range.end);
  auto it = std::upper_bound(m_segments.begin(), m_segments.end(), start,
                             [](Instant t, const TimelineSegment& s) { return t < s.starts.start; });
  return *std::prev(it);
}

}  // namespace heinrich
