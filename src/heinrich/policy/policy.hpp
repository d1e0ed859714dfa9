#pragma once
// A loaded, validated policy (DESIGN.md section 3).
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "heinrich/core/rule.hpp"
#include "heinrich/core/zone.hpp"

namespace heinrich {

struct Defaults {
  Seconds duration = minutes(30);
  Seconds watch = hours(2);
  std::optional<std::string> environment;
};

struct ChangeRisk {
  std::optional<long long> large_lines;
  int large_risk = 0;
  std::vector<std::string> sensitive_paths;
  int sensitive_risk = 0;
};

struct PushMapping {
  std::vector<std::pair<std::string, std::string>> refs;  // glob -> environment, in file order
};

struct OverridePolicy {
  bool allowed = false;
  std::string ticket;  // regular expression (ICU syntax) a ticket must match
  std::vector<std::string> never;
};

struct Policy {
  std::string path;
  const Zone* zone = nullptr;
  Defaults defaults;
  RuleSet rules;
  ChangeRisk change;
  PushMapping push;
  OverridePolicy override_policy;
};

// Parses and validates policy text; every problem is a PolicyError with a
// position in `path`.
Policy parse_policy(std::string_view text, const std::string& path);
Policy load_policy_file(const std::string& path);

}  // namespace heinrich
