#pragma once
// The install layout, in one place: where the shipped data (policies/,
// policies/holidays/) lives, and where heinrich and its helper heinrich-git
// find each other. Each is looked up from the running binary first (a build
// tree, or an install moved to another prefix), then the configured prefix.
#include <filesystem>
#include <vector>

namespace heinrich {

// The prefix of the tree this binary runs from: `<prefix>/bin/heinrich`, a
// build tree's `<build>/src/heinrich`, or the helper in
// `<prefix>/HEINRICH_HELPER_DIR/heinrich-git`. Empty when /proc/self/exe
// cannot be read.
std::filesystem::path running_prefix();

std::vector<std::filesystem::path> installed_policy_directories();

// The helper in `<prefix>/HEINRICH_HELPER_DIR/`, else beside this binary;
// and heinrich in `<prefix>/HEINRICH_BIN_DIR/`, else beside this binary.
// Empty when none is an executable.
std::filesystem::path heinrich_git_path();
std::filesystem::path heinrich_path();

}  // namespace heinrich
