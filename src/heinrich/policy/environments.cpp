#include "heinrich/policy/environments.hpp"

#include <algorithm>

#include "heinrich/util/error.hpp"
#include "heinrich/util/glob.hpp"
#include "heinrich/util/text.hpp"

namespace heinrich {

std::string resolve_environment(const Environments& environments, std::string_view name) {
  if (std::find(environments.names.begin(), environments.names.end(), name) != environments.names.end())
    return std::string(name);
  for (const auto& [alias, canonical] : environments.aliases)
    if (alias == name) return canonical;
  if (environments.names.empty())
    throw InputError("unknown environment '" + excerpt(name) +
                     "': this policy names no environments (no rule, [push] ref or [environments] entry "
                     "uses one), so it cannot scope a decision to one");
  std::vector<std::string> known = environments.names;
  for (const auto& [alias, canonical] : environments.aliases) known.push_back(alias);
  const std::string match = closest_match(name, known);
  std::string list;
  for (const std::string& known_name : environments.names) list += (list.empty() ? "" : ", ") + known_name;
  throw InputError("unknown environment '" + excerpt(name) + "'" +
                   (match.empty() ? "" : "; did you mean '" + match + "'?") + " (known: " + list + ")");
}

std::optional<std::string> environment_for_ref(const PushMapping& push, std::string_view ref) {
  for (const auto& [pattern, environment] : push.refs) {
    if (pattern.rfind("refs/", 0) == 0) {
      if (glob_match(pattern, ref)) return environment;
    } else {
      for (std::string_view prefix : {"refs/heads/", "refs/tags/"})
        if (ref.substr(0, prefix.size()) == prefix && glob_match(pattern, ref.substr(prefix.size())))
          return environment;
    }
  }
  return std::nullopt;
}

}  // namespace heinrich
