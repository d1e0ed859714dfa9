#pragma once
// An event source: yields the occurrences of one rule for the interval asked,
// sorted by start, so evaluating one instant never expands years of events.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "heinrich/core/time.hpp"

namespace heinrich {

struct Occurrence {
  Interval span;
  std::string label;        // a name of its own (a holiday, an ICS summary); "" = the rule's name
  std::optional<int> risk;  // a risk of its own; nullopt = the rule's risk
};

class Schedule {
 public:
  virtual ~Schedule() = default;
  // Appends every occurrence whose span overlaps `query`, sorted by start.
  virtual void occurrences(const Interval& query, std::vector<Occurrence>& out) const = 0;
  // A short human description ("every Sat, Sun 00:00-24:00 Asia/Seoul").
  [[nodiscard]] virtual std::string describe() const = 0;
};

// Hands each occurrence overlapping `range` to `take`, asking `schedule` a
// month at a time and listing an occurrence with the month it starts in (or
// the first month, if it starts before the range), so a caller that caps
// what it keeps stops the work at the cap instead of after expanding the
// whole range. Stops, returning false, when `take` returns false.
bool for_each_occurrence(const Schedule& schedule, const Interval& range,
                         const std::function<bool(Occurrence&&)>& take);

}  // namespace heinrich
