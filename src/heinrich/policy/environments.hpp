#pragma once
// Environment names are a closed set (DESIGN.md section 3): the names that
// `[environments]` declares, with their aliases, or, without that table,
// every name a rule, `[push]` or `[defaults]` uses. Every command and hook
// asks here, so an unknown name is the same error everywhere, never a silent
// "every rule applies" or "no rule applies".
#include <optional>
#include <string>
#include <string_view>

#include "heinrich/policy/policy.hpp"

namespace heinrich {

// The canonical name for `name` (itself, or the environment it is an alias
// of). An unknown name is an InputError that lists the known ones and says
// "did you mean" for a near miss ("prdo", "PROD").
std::string resolve_environment(const Environments& environments, std::string_view name);

// The environment a push to (or a CI build of) `ref` deploys to: the first
// `[push] refs` pattern, in file order, that matches. Patterns are globs
// (core/glob.hpp: `*` stays inside one segment, `**` spans segments). A
// pattern that does not start with "refs/" names a branch or a tag: "main"
// matches refs/heads/main and refs/tags/main. The hooks and `--ci` both read
// this one function.
std::optional<std::string> environment_for_ref(const PushMapping& push, std::string_view ref);

}  // namespace heinrich
