#pragma once
// The subcommand table: each command registers its options and runs.
#include <functional>
#include <string>
#include <vector>

#include "heinrich/cli/common.hpp"

namespace heinrich::cli {

struct Command {
  std::string name;
  std::string summary;
  // Registers options on `app` and returns what to run after parsing.
  std::function<std::function<int(const Io&)>(CLI::App& app)> configure;
  // A stand-in that execs heinrich-git, which has the real definition.
  bool execs_heinrich_git = false;
};

const std::vector<Command>& command_table();
Command make_check_command();
Command make_wait_command();
Command make_next_command();
Command make_events_command();
Command make_calendar_command();
Command make_audit_command();
Command make_version_command();
Command make_help_command();
Command make_completions_command();

// Entry point for main(): parse, dispatch, map every error to an exit status.
int run(int argc, char** argv, const Io& io);

// The whole process: the real streams, environment and working directory
// around run(), and a last catch. Both binaries' main() call it.
int run_process(int argc, char** argv);

}  // namespace heinrich::cli
