#include "heinrich/core/schedule.hpp"

#include <algorithm>

namespace heinrich {

bool for_each_occurrence(const Schedule& schedule, const Interval& range,
                         const std::function<bool(Occurrence&&)>& take) {
  constexpr Seconds kChunk = days(31);
  std::vector<Occurrence> found;
  for (Instant from = range.start; from < range.end; from += kChunk) {
    found.clear();
    schedule.occurrences(Interval{from, std::min(range.end, from + kChunk)}, found);
    for (Occurrence& occurrence : found) {
      // One that started in an earlier month was taken with that month.
      if (from != range.start && occurrence.span.start < from) continue;
      if (!take(std::move(occurrence))) return false;
    }
  }
  return true;
}

}  // namespace heinrich
