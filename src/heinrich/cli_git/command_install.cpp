// `heinrich install [--hooks-path] [--force] [--share-notes] [--server [--policy FILE]]`.
#include <CLI/CLI.hpp>
#include <ostream>

#include "heinrich/cli/git_commands.hpp"
#include "heinrich/cli_git/git_command_support.hpp"
#include "heinrich/git/git.hpp"
#include "heinrich/git/install.hpp"

namespace heinrich::cli {

namespace {

int run_install(const git::InstallOptions& given, const Io& io) {
  git::InstallOptions options = given;
  options.heinrich = heinrich_binary();
  const git::Library library;
  const git::Repository repo = git::open_from_environment();
  for (const std::string& line : git::install_hooks(repo.get(), options))
    io.out << "heinrich: " << line << "\n";
  return kAllowed;
}

}  // namespace

Command make_install_command_in_process() {
  return Command{"install", kInstallSummary, [](CLI::App& app) -> std::function<int(const Io&)> {
                   auto options = std::make_shared<git::InstallOptions>();
                   app.add_flag("--server", options->server,
                                "install pre-receive in this (bare) server repository instead of pre-push");
                   app.add_flag("--hooks-path", options->hooks_path,
                                "write the shared hooks/pre-push shim and set core.hooksPath = hooks");
                   app.add_flag("--force", options->force,
                                "keep a hook that is already there and run it before heinrich's check");
                   app.add_flag(
                       "--share-notes", options->share_notes,
                       "after an override, pre-push also pushes refs/notes/heinrich to the push's remote "
                       "(heinrich.shareNotes = true); a plain git push is unchanged");
                   app.add_option("--policy", options->policy,
                                  "--server: the policy file the server uses (recorded as heinrich.policy)")
                       ->type_name("FILE");
                   app.footer(
                       "Re-running is a no-op. A hook that is not heinrich's is never overwritten: install\n"
                       "refuses, or with --force keeps it as <hook>.heinrich-chained and runs it first.");
                   return [options](const Io& io) { return run_install(*options, io); };
                 }};
}

}  // namespace heinrich::cli
