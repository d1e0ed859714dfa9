#pragma once
// The commands that read a git repository (hook, install, audit-overrides, init).
// They need libgit2, which `heinrich` never loads (it costs every `check`
// milliseconds of start-up), so `heinrich`'s table entries exec the
// `heinrich-git` binary installed beside it with the same argv; heinrich-git
// calls use_git_commands() first, and the same entries then run in process.
#include <filesystem>
#include <string>
#include <vector>

#include "heinrich/cli/commands.hpp"

namespace heinrich::cli {

inline constexpr const char* kHookSummary =
    "git hooks: pre-push REMOTE URL | pre-receive (reads git's standard input)";
inline constexpr const char* kInstallSummary =
    "install the pre-push hook (--server: pre-receive) in this repository";
inline constexpr const char* kInitSummary =
    "write a commented starter heinrich.toml for this repository (--hooks: and the hook)";
inline constexpr const char* kAuditOverridesSummary =
    "list the recorded break-glass overrides (refs/notes/heinrich)";

// heinrich_git_path() and heinrich_path(): policy/data_dir.hpp, the install layout.

// Replaces this process with heinrich-git, given this process's own argv
// (io.args).
// Returns (kInternal, after saying why) only when that fails.
int exec_heinrich_git(const std::string& name, const Io& io);
// Whether the git commands run here (heinrich-git) or are exec'd (heinrich).
bool git_commands_in_process();

// Table entries (heinrich_lib): exec heinrich-git unless use_git_commands() ran.
Command make_hook_command();
Command make_install_command();
Command make_audit_overrides_command();
Command make_init_command();

struct GitCommandFactories {
  Command (*hook)() = nullptr;
  Command (*install)() = nullptr;
  Command (*audit_overrides)() = nullptr;
  Command (*init)() = nullptr;
};
void provide_git_commands(const GitCommandFactories& factories);

// heinrich_git_lib: the real commands, and their registration.
Command make_hook_command_in_process();
Command make_install_command_in_process();
Command make_audit_overrides_command_in_process();
Command make_init_command_in_process();
void use_git_commands();

}  // namespace heinrich::cli
