#pragma once
// A compiled policy rule: what it is, where it came from, when it happens.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "heinrich/core/schedule.hpp"
#include "heinrich/util/source_location.hpp"

namespace heinrich {

enum class RuleKind { window, factor, event, calendar };
enum class Action { block, warn, allow, score };

std::string_view to_string(RuleKind kind);
std::string_view to_string(Action action);

struct Rule {
  std::string name;
  RuleKind kind = RuleKind::window;
  Action action = Action::block;
  int risk = 0;  // for Action::score; occurrences may carry their own
  Seconds buffer_before{0};
  Seconds buffer_after{0};
  std::vector<std::string> environments;  // empty = every environment
  bool overridable = true;
  SourceLocation source;
  std::shared_ptr<const Schedule> schedule;

  // Without an environment every rule applies: the safe reading.
  [[nodiscard]] bool applies_to(const std::optional<std::string>& environment) const;
};

struct Thresholds {
  int warn = 40;
  int block = 70;
};

struct RuleSet {
  std::vector<Rule> rules;
  Thresholds thresholds;
};

}  // namespace heinrich
