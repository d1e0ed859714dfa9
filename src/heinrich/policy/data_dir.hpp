#pragma once
// Where the shipped data (policies/, policies/holidays/) lives: beside the
// binary first (build tree or relocated install), then the configured prefix.
#include <filesystem>
#include <vector>

namespace heinrich {

std::vector<std::filesystem::path> installed_policy_directories();

}  // namespace heinrich
