#pragma once
// `check`'s evaluation, shared with `wait`, which asks the same question
// again until the answer is yes: one function decides, one delivers.
#include <memory>
#include <optional>
#include <string>

#include "heinrich/cli/common.hpp"

namespace heinrich::cli {

struct CheckOptions {
  PolicyOptions common;
  std::string at = "now";
  RequestOptions request;
  std::optional<std::string> service;
  std::optional<std::string> hours;
  std::string fail_on = "block";
  bool ci = false;                    // pick format and environment from the CI's variables
  std::optional<std::string> output;  // -o FILE: the report goes there, text to stdout
  std::optional<std::string> dotenv;  // --dotenv FILE: the decision as variables for later jobs
  const CLI::Option* format_option = nullptr;
};

// check's options on `app`; `with_at` adds --at (wait always asks about now).
void add_check_options(CLI::App& app, CheckOptions& options, bool with_at);

// One evaluation: the policy it read, the report, and what check exits with.
struct CheckRun {
  std::unique_ptr<Session> session;  // owns the rules the report points into
  CheckReport report;
  // --ci in a build whose ref [push] maps nowhere: nothing was evaluated,
  // `report` is empty, and the exit code is kAllowed.
  std::optional<NotADeployReport> not_a_deploy;
  std::unique_ptr<Schedule> staffed;  // --hours or [defaults] hours; null: any time
  std::string format;                 // after --ci's choice
  bool fail_on_warn = false;
  int exit_code = kInternal;
};

// Loads the policy afresh and decides, as `heinrich check` does. `clock`,
// when given, replaces the session's (a waiting command's advancing clock).
CheckRun run_check_evaluation(const CheckOptions& options, const Io& io, const Clock* clock = nullptr);
// The report in the chosen format, to stdout or -o FILE, as `check` prints it.
void deliver_check_report(const CheckRun& run, const CheckOptions& options, const Io& io);

}  // namespace heinrich::cli
