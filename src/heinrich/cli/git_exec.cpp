// The git commands as `heinrich` sees them: entries that hand the whole
// command line to heinrich-git (see git_commands.hpp for why).
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <ostream>
#include <vector>

#include "heinrich/cli/git_commands.hpp"
#include "heinrich/policy/data_dir.hpp"

#ifndef HEINRICH_HELPER_DIR
#define HEINRICH_HELPER_DIR "lib/heinrich"
#endif

namespace heinrich::cli {

namespace {

GitCommandFactories& factories() {
  static GitCommandFactories registered;
  return registered;
}

Command exec_entry(const std::string& name, const std::string& summary) {
  Command entry{name, summary, [name](CLI::App& app) -> std::function<int(const Io&)> {
                  // Every argument, --help included, is heinrich-git's to parse.
                  app.set_help_flag();
                  app.allow_extras();
                  app.prefix_command();
                  return [name](const Io& io) { return exec_heinrich_git(name, io); };
                }};
  entry.execs_heinrich_git = true;
  return entry;
}

}  // namespace

int exec_heinrich_git(const std::string& name, const Io& io) {
  std::filesystem::path helper = heinrich_git_path();
  if (helper.empty()) {
    std::error_code error;
    const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", error);
    helper = error ? std::filesystem::path("heinrich-git") : self.parent_path() / "heinrich-git";
  }
  std::vector<std::string> args = io.args;
  if (args.empty()) args = {"heinrich", name};
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  io.out.flush();
  io.err.flush();
  std::cout.flush();
  ::execv(helper.c_str(), argv.data());
  const int saved = errno;
  io.err << "heinrich: error: 'heinrich " << name
         << "' is run by heinrich-git, which could not be started: " << helper.string() << ": "
         << std::strerror(saved) << "\n"
         << "  heinrich looks for it in <prefix>/" HEINRICH_HELPER_DIR
            "/ (where `cmake --install` and the Debian package put it), then beside itself\n";
  return kInternal;
}

bool git_commands_in_process() {
  return factories().hook != nullptr;
}

void provide_git_commands(const GitCommandFactories& provided) {
  factories() = provided;
}

Command make_hook_command() {
  if (factories().hook != nullptr) return factories().hook();
  return exec_entry("hook", kHookSummary);
}

Command make_install_command() {
  if (factories().install != nullptr) return factories().install();
  return exec_entry("install", kInstallSummary);
}

Command make_init_command() {
  if (factories().init != nullptr) return factories().init();
  return exec_entry("init", kInitSummary);
}

Command make_audit_overrides_command() {
  if (factories().audit_overrides != nullptr) return factories().audit_overrides();
  return exec_entry("audit-overrides", kAuditOverridesSummary);
}

}  // namespace heinrich::cli
