#pragma once
#include <filesystem>
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

// Where parsed ICS calendars are cached: $HEINRICH_CACHE_DIR, else
// $XDG_CACHE_HOME/heinrich, else $HOME/.cache/heinrich; only absolute paths
// count (the XDG base directory spec says so for its variables). None when
// HEINRICH_NO_CACHE is set to anything but "" or "0", or nothing names a place.
std::optional<std::filesystem::path> calendar_cache_directory(const GetEnv& getenv);

}  // namespace heinrich
