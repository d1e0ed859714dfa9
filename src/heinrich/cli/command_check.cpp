#include <CLI/CLI.hpp>

#include "heinrich/cli/check_run.hpp"
#include "heinrich/cli/commands.hpp"

namespace heinrich::cli {

Command make_check_command() {
  return Command{
      "check", "is it safe to deploy at a time, for a duration, to an environment?",
      [](CLI::App& app) -> std::function<int(const Io&)> {
        auto options = std::make_shared<CheckOptions>();
        add_check_options(app, *options, /*with_at=*/true);
        app.footer(
            "Exit status 0: the deploy may start (ALLOW, or WARN without --fail-on warn); 1: it is\n"
            "blocked; 2: the input or policy is wrong. The deploy occupies [at, at + duration +\n"
            "watch); every rule that touches that span contributes to the score, and the report\n"
            "names each contribution and, when blocked, the next safe start.");
        return [options](const Io& io) {
          const CheckRun run = run_check_evaluation(*options, io);
          deliver_check_report(run, *options, io);
          return run.exit_code;
        };
      }};
}

}  // namespace heinrich::cli
