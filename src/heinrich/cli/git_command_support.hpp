#pragma once
// Helpers the git commands share (heinrich_git_lib only).
#include <memory>
#include <string>
#include <string_view>

#include "heinrich/cli/common.hpp"

namespace heinrich::cli {

// The `heinrich` binary beside this one, for the hook scripts to run.
std::string heinrich_binary();
// "policy.toml:95:1" for the line that opens `[section]`, else the path.
std::string section_source(std::string_view text, const std::string& path, std::string_view section);
std::string read_text_file(const std::string& path);

}  // namespace heinrich::cli
