#pragma once
// The one source of the reference: each command's CLI11 definition (its
// summary, options, choices and footer) is read back into a CommandManual,
// which `--help`, the man pages, the README's command table and the shell
// completions all render. None of them is written by hand, so none drifts.
#include <string>
#include <vector>

#include "heinrich/cli/commands.hpp"

namespace heinrich::cli {

struct OptionManual {
  std::vector<std::string> names;  // "--format", "-o"; a positional's own name
  std::string value;               // the placeholder ("FILE", "DUR"); empty for a flag
  std::string description;
  std::vector<std::string> choices;  // the values choices() allows
  bool positional = false;
  bool required = false;
  bool repeatable = false;
};

struct CommandManual {
  std::string name;
  std::string summary;
  std::string description;  // the footer of `heinrich COMMAND --help`
  std::vector<OptionManual> options;
};

// Every command of the table, read from its definition.
std::vector<CommandManual> command_manuals();
// The one-line usage: `heinrich check [--at TIME] … [--format FORMAT]`.
std::string synopsis(const CommandManual& command);
// The same without "heinrich COMMAND": " [--at TIME] …", or empty.
std::string synopsis_arguments(const CommandManual& command);

// Pages: "heinrich" (the overview, heinrich(1)), a command name
// (heinrich-COMMAND(1)) or "heinrich.toml" (the policy file, heinrich.toml(5),
// rendered from the policy schema), as roff for man(1).
inline constexpr const char* kPolicyManualPage = "heinrich.toml";
std::vector<std::string> manual_page_names();
// The manual section of a page: 5 for heinrich.toml, else 1.
int manual_section(const std::string& page);
std::string render_man_page(const std::string& page);
// The README's "Commands" table, in Markdown.
std::string render_command_reference();
// A completion script for bash, zsh or fish.
std::string render_completion(const std::string& shell);

// The general part of `heinrich help`: the commands, exit status, environment.
std::string overview_text();

}  // namespace heinrich::cli
