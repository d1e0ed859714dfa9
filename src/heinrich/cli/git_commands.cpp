// heinrich-git's side of the git commands: registration and what they share.
#include "heinrich/cli/git_commands.hpp"

#include <unistd.h>

#include <filesystem>

#include "heinrich/cli/git_command_support.hpp"
#include "heinrich/core/error.hpp"

namespace heinrich::cli {

void use_git_commands() {
  provide_git_commands(GitCommandFactories{&make_hook_command_in_process, &make_install_command_in_process,
                                           &make_audit_overrides_command_in_process});
}

std::string heinrich_binary() {
  std::error_code error;
  const auto self = std::filesystem::read_symlink("/proc/self/exe", error);
  if (error) return "heinrich";
  const auto beside = self.parent_path() / "heinrich";
  return ::access(beside.c_str(), X_OK) == 0 ? beside.string() : std::string("heinrich");
}

}  // namespace heinrich::cli
