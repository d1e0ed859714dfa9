// heinrich-git's side of the git commands: registration and what they share.
#include "heinrich/cli/git_commands.hpp"
#include "heinrich/policy/data_dir.hpp"

#include <unistd.h>

#include <filesystem>

#include "heinrich/cli_git/git_command_support.hpp"
#include "heinrich/util/error.hpp"

namespace heinrich::cli {

void use_git_commands() {
  provide_git_commands(GitCommandFactories{&make_hook_command_in_process, &make_install_command_in_process,
                                           &make_audit_overrides_command_in_process,
                                           &make_init_command_in_process});
}

std::string heinrich_binary() {
  const auto found = heinrich_path();
  return found.empty() ? std::string("heinrich") : found.string();
}

}  // namespace heinrich::cli
