// `heinrich help` and `heinrich completions`: the reference, rendered from
// the command definitions (cli/manual.hpp). The git commands' options are
// defined in heinrich-git, so `heinrich` hands the whole-table renderings
// (man pages, the README table, completion scripts) to it.
#include <CLI/CLI.hpp>
#include <filesystem>
#include <ostream>

#include "heinrich/cli/commands.hpp"
#include "heinrich/cli/git_commands.hpp"
#include "heinrich/cli/manual.hpp"
#include "heinrich/cli/output_file.hpp"
#include "heinrich/policy/discovery.hpp"
#include "heinrich/policy/policy.hpp"
#include "heinrich/util/error.hpp"
#include "heinrich/util/text.hpp"

namespace heinrich::cli {

namespace {

struct HelpOptions {
  std::optional<std::string> page;
  std::string format = "text";
  std::optional<std::string> output_dir;  // every man page, as DIR/man<section>/<page>.<section>
};

std::vector<std::string> command_names() {
  std::vector<std::string> names;
  for (const auto& command : command_table()) names.push_back(command.name);
  return names;
}

[[noreturn]] void unknown_page(const std::string& page, const std::vector<std::string>& known) {
  const std::string match = closest_match(page, known);
  throw InputError("no help for '" + excerpt(page) + "'" +
                   (match.empty() ? "" : "; did you mean '" + match + "'?"));
}

int run_help(const HelpOptions& options, const Io& io) {
  if (options.output_dir && options.format != "man")
    throw InputError("--output-dir writes manual pages: add --format man");
  if (options.output_dir && options.page)
    throw InputError("--output-dir writes every manual page; give no COMMAND");
  if (options.format == "text") {
    if (!options.page || *options.page == "heinrich") {
      io.out << overview_text();
      return kAllowed;
    }
    if (*options.page == kPolicyManualPage)
      throw InputError(
          "heinrich.toml has a manual page, not --help text: run 'man heinrich.toml' or "
          "'heinrich help --format man heinrich.toml' (and 'heinrich schema policy' for its JSON Schema)");
    for (const auto& command : command_table()) {
      if (command.name != *options.page) continue;
      if (command.execs_heinrich_git) return exec_heinrich_git("help", io);
      CLI::App app{command.summary, "heinrich " + command.name};
      (void)command.configure(app);
      io.out << app.help();
      return kAllowed;
    }
    unknown_page(*options.page, command_names());
  }
  if (!git_commands_in_process()) return exec_heinrich_git("help", io);
  if (options.output_dir) {
    // A manual tree (DIR/man1, DIR/man5), as man(1) searches one: MANPATH=DIR.
    for (const auto& page : manual_page_names()) {
      const std::string section = std::to_string(manual_section(page));
      const std::filesystem::path directory = std::filesystem::path(*options.output_dir) / ("man" + section);
      std::error_code error;
      std::filesystem::create_directories(directory, error);
      if (error) throw InputError(directory.string() + ": cannot create the directory: " + error.message());
      const std::string path = (directory / (page + "." + section)).string();
      write_file_atomically(path, render_man_page(page));
      io.out << path << "\n";
    }
    return kAllowed;
  }
  if (options.format == "markdown") {
    if (options.page) throw InputError("--format markdown renders the whole command table; give no COMMAND");
    io.out << render_command_reference();
    return kAllowed;
  }
  const std::string page = options.page.value_or("heinrich");
  const std::string text = render_man_page(page);
  if (text.empty()) unknown_page(page, manual_page_names());
  io.out << text;
  return kAllowed;
}

struct CompletionOptions {
  std::optional<std::string> shell;
  bool environments = false;
  std::optional<std::string> policy;
  std::optional<std::string> output;
};

int run_completions(const CompletionOptions& options, const Io& io) {
  if (options.environments && options.shell)
    throw InputError("--environments prints the environment names; give no shell");
  if (options.environments && options.output)
    throw InputError("--output writes a completion script; --environments prints names");
  if (options.policy && !options.environments)
    throw InputError("--policy is for --environments (the script itself does not depend on a policy)");
  if (options.environments) {
    // What `--env` accepts under the policy in force here: its names and
    // their aliases. Loading the policy is the only way to know them.
    const std::string path = discover_policy(options.policy, io.getenv, io.working_directory);
    const Policy policy = load_policy_file(path, LoadOptions{});
    // One name a line, control characters escaped: a name from a hostile
    // policy cannot break a line or drive the terminal.
    for (const auto& name : policy.environments.names) io.out << escape_control(name) << "\n";
    for (const auto& [alias, canonical] : policy.environments.aliases)
      io.out << escape_control(alias) << "\n";
    return kAllowed;
  }
  if (!options.shell) throw InputError("name a shell: heinrich completions bash|zsh|fish");
  if (!git_commands_in_process()) return exec_heinrich_git("completions", io);
  if (options.output)
    write_file_atomically(*options.output, render_completion(*options.shell));
  else
    io.out << render_completion(*options.shell);
  return kAllowed;
}

}  // namespace

Command make_help_command() {
  return Command{"help", "help for a command, or the manual pages and command table",
                 [](CLI::App& app) -> std::function<int(const Io&)> {
                   auto options = std::make_shared<HelpOptions>();
                   std::vector<std::string> pages = command_names();
                   pages.insert(pages.begin(), "heinrich");
                   pages.push_back(kPolicyManualPage);
                   app.add_option("command", options->page,
                                  "a command, 'heinrich' for the overview, or (with --format man) "
                                  "'heinrich.toml' for the policy file")
                       ->check(choices(pages));
                   app.add_option("--format", options->format,
                                  "text: the command's --help (default); man: its manual page in roff; "
                                  "markdown: the README's command table")
                       ->type_name("FORMAT")
                       ->check(choices({"text", "man", "markdown"}));
                   app.add_option("--output-dir", options->output_dir,
                                  "with --format man: write every manual page to DIR/man1/PAGE.1 and "
                                  "DIR/man5/heinrich.toml.5 and print the paths")
                       ->type_name("DIR");
                   app.footer(
                       "The help text, the manual pages (heinrich(1), heinrich-COMMAND(1)), the README's\n"
                       "command table and the shell completions are all rendered from the command\n"
                       "definitions themselves, so they cannot disagree; heinrich.toml(5) is rendered\n"
                       "from the policy's JSON Schema (heinrich schema policy).");
                   return [options](const Io& io) { return run_help(*options, io); };
                 }};
}

Command make_completions_command() {
  return Command{
      "completions", "print a shell completion script: bash, zsh or fish",
      [](CLI::App& app) -> std::function<int(const Io&)> {
        auto options = std::make_shared<CompletionOptions>();
        app.add_option("shell", options->shell, "bash, zsh or fish")->check(choices({"bash", "zsh", "fish"}));
        app.add_flag("--environments", options->environments,
                     "print the environment names --env accepts under the policy in force (the "
                     "scripts call this to complete --env)");
        app.add_option("--policy", options->policy, "with --environments: the policy file")
            ->type_name("FILE");
        app.add_option("-o,--output", options->output, "write the script to FILE (atomically)")
            ->type_name("FILE");
        app.footer(
            "bash: heinrich completions bash > /etc/bash_completion.d/heinrich (the Debian package\n"
            "installs it in /usr/share/bash-completion/completions/). zsh: put the zsh script in\n"
            "a directory on $fpath as _heinrich. fish: heinrich completions fish >\n"
            "~/.config/fish/completions/heinrich.fish.");
        return [options](const Io& io) { return run_completions(*options, io); };
      }};
}

}  // namespace heinrich::cli
