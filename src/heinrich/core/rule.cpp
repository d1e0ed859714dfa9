#include "heinrich/core/rule.hpp"

#include <algorithm>

namespace heinrich {

std::string_view to_string(RuleKind kind) {
  switch (kind) {
    case RuleKind::window:
      return "window";
    case RuleKind::factor:
      return "factor";
    case RuleKind::event:
      return "event";
    case RuleKind::calendar:
      return "calendar";
  }
  return "?";
}

std::string_view to_string(Action action) {
  switch (action) {
    case Action::block:
      return "block";
    case Action::warn:
      return "warn";
    case Action::allow:
      return "allow";
    case Action::score:
      return "score";
  }
  return "?";
}

bool Rule::applies_to(const std::optional<std::string>& environment) const {
  if (!environment || environments.empty()) return true;
  return std::find(environments.begin(), environments.end(), *environment) != environments.end();
}

}  // namespace heinrich
