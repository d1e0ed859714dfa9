#include "heinrich/core/evaluator.hpp"

#include <algorithm>
#include <iterator>

namespace heinrich {

Assessment evaluate(const RuleSet& rules, const Request& request) {
  const Timeline timeline(rules,
                          DeployShape{request.duration, request.watch, request.environment, request.extra},
                          Interval{request.at, request.at + Seconds{1}});
  const TimelineSegment& segment = timeline.segments().front();
  Assessment result;
  result.decision = segment.decision;
  result.score = segment.score;
  result.deploy = Interval{request.at, request.at + request.duration};
  result.exposure = Interval{request.at, request.at + request.duration + request.watch};
  result.matches = segment.matches;
  result.extra = request.extra;
  result.has_allow_windows = timeline.has_allow_windows();
  result.inside_allowed = segment.inside_allowed;
  result.first_allow_rule = timeline.first_allow_rule();
  return result;
}

std::vector<SafeWindow> safe_windows(const Timeline& timeline, Instant after, std::size_t count,
                                     const Schedule* staffed, Decision accept) {
  const auto accepted = [accept](Decision decision) { return decision <= accept; };
  std::vector<SafeWindow> found;
  const auto& segments = timeline.segments();
  if (count == 0 || after >= timeline.range().end) return found;
  auto add = [&](Instant start, Instant last) {
    if (!staffed) {
      found.push_back({start, last, timeline.at(start).score});
      return;
    }
    std::vector<Occurrence> hours;
    staffed->occurrences(Interval{start, last + Seconds{1}}, hours);
    for (const Occurrence& span : hours) {
      const Instant from = std::max(start, span.span.start);
      const Instant to = std::min(last, span.span.end - Seconds{1});
      if (from <= to && found.size() < count) found.push_back({from, to, timeline.at(from).score});
    }
  };
  auto it = std::upper_bound(segments.begin(), segments.end(), std::max(after, timeline.range().start),
                             [](Instant t, const TimelineSegment& s) { return t < s.starts.start; });
  if (it != segments.begin()) --it;
  for (; it != segments.end() && found.size() < count; ++it) {
    if (!accepted(it->decision)) continue;
    // Neighbouring allowed segments (different scores or reasons) are one
    // stretch; each window's score is that of its first start.
    const Instant start = std::max(it->starts.start, after);
    while (std::next(it) != segments.end() && accepted(std::next(it)->decision)) ++it;
    add(start, it->starts.end - Seconds{1});  // up to the last allowed start
  }
  return found;
}

std::vector<SafeWindow> find_safe_windows(const RuleSet& rules, const NextRequest& request) {
  const Timeline timeline(
      rules, DeployShape{request.duration, request.watch, request.environment, request.extra},
      Interval{request.after, request.after + request.within + Seconds{1}}, Reasons::drop);
  return safe_windows(timeline, request.after, request.count, request.staffed, request.accept);
}

}  // namespace heinrich
