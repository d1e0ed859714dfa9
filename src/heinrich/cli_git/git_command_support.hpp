#pragma once
// Helpers the git commands share (heinrich_git_lib only).
#include <memory>
#include <string>
#include <string_view>

#include "heinrich/cli/common.hpp"

namespace heinrich::cli {

// The `heinrich` binary beside this one, for the hook scripts to run.
std::string heinrich_binary();

}  // namespace heinrich::cli
