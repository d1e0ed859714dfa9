#pragma once
#include <functional>
#include <optional>
#include <string>

namespace heinrich {

using GetEnv = std::function<std::optional<std::string>(const char*)>;

// The policy to use, in order: --policy, $HEINRICH_POLICY, heinrich.toml or
// .heinrich.toml in the working directory or a parent, the installed default.
// Throws InputError when there is none.
std::string discover_policy(const std::optional<std::string>& flag, const GetEnv& getenv,
                            const std::string& working_directory);

}  // namespace heinrich
