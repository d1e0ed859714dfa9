#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <ostream>

#include "heinrich/cli/command_schema.hpp"
#include "heinrich/cli/commands.hpp"
#include "heinrich/cli/git_commands.hpp"
#include "heinrich/cli/manual.hpp"
#include "heinrich/util/diagnostic.hpp"
#include "heinrich/util/error.hpp"
#include "heinrich/util/text.hpp"

namespace heinrich::cli {

const std::vector<Command>& command_table() {
  static const std::vector<Command> table{
      make_check_command(),           make_wait_command(),  make_next_command(),    make_events_command(),
      make_calendar_command(),        make_audit_command(), make_hook_command(),    make_install_command(),
      make_audit_overrides_command(), make_init_command(),  make_version_command(), make_help_command(),
      make_completions_command(),     make_schema_command()};
  return table;
}

namespace {

std::vector<std::string> command_names() {
  std::vector<std::string> names;
  for (const auto& command : command_table()) names.push_back(command.name);
  return names;
}

// "did you mean '--format'?" for each unknown option CLI11 left over.
std::string suggest_option(const CLI::App& app) {
  std::vector<std::string> names;
  for (const CLI::Option* option : app.get_options())
    for (const auto& name : option->get_lnames()) names.push_back("--" + name);
  std::string hints;
  for (const std::string& word : app.remaining()) {
    if (word.rfind("--", 0) != 0) continue;
    const std::string flag = word.substr(0, word.find('='));
    if (const std::string match = closest_match(flag, names); !match.empty())
      hints += "unknown option '" + flag + "'; did you mean '" + match + "'?\n";
  }
  return hints;
}

// Whether the command line asks for JSON (`--format json`, `--format=json`),
// read from argv itself so that an error before or during option parsing
// is JSON too.
bool wants_json(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view word = argv[i];
    if (word == "--format=json") return true;
    if (word == "--format" && i + 1 < argc && std::string_view(argv[i + 1]) == "json") return true;
  }
  return false;
}

nlohmann::ordered_json json_error(int exit_code, const std::string& message, const SourceLocation* where) {
  nlohmann::ordered_json error{{"message", message}, {"exit", exit_code}};
  if (where != nullptr && where->line > 0) {
    error["file"] = where->file;
    error["line"] = where->line;
    error["column"] = where->column;
  }
  return error;
}

void print_json(const Io& io, const nlohmann::ordered_json& document) {
  io.out << document.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
}

// {"error": {"message", "exit", and for a positioned error "file", "line",
// "column"}} on stdout, so a script that parses stdout sees the failure.
void print_json_error(const Io& io, int exit_code, const std::string& message, const SourceLocation* where) {
  print_json(io, {{"error", json_error(exit_code, message, where)}});
}

// A file with several errors: "error" is the first, as it always was, and
// "errors" holds all of them ("not_shown" counts those past the cap).
void print_json_errors(const Io& io, int exit_code, const SourceError& error) {
  nlohmann::ordered_json document{{"error", json_error(exit_code, error.message(), &error.where())}};
  nlohmann::ordered_json all = nlohmann::ordered_json::array();
  for (const SourceError& each : errors_of(error))
    all.push_back(json_error(exit_code, each.message(), &each.where()));
  document["errors"] = std::move(all);
  const auto* several = dynamic_cast<const SourceErrors*>(&error);
  document["not_shown"] = several != nullptr ? several->not_shown() : 0;
  print_json(io, document);
}

int parse_and_run(int argc, char** argv, const Io& io) {
  if (argc < 2) {
    io.err << overview_text();
    return kUsage;
  }
  std::string first = argv[1];
  if (first == "--version") first = "version";
  if (first == "--help" || first == "-h") first = "help";
  const Command* chosen = nullptr;
  for (const auto& command : command_table())
    if (command.name == first) chosen = &command;
  if (chosen == nullptr) {
    const std::string suggestion = closest_match(first, command_names());
    io.err << "heinrich: error: unknown command '" << excerpt(first) << "'"
           << (suggestion.empty() ? "" : "; did you mean '" + suggestion + "'?") << "\n"
           << "run 'heinrich help' for the list of commands\n";
    return kUsage;
  }

  CLI::App app{chosen->summary, "heinrich " + chosen->name};
  const auto run_command = chosen->configure(app);
  try {
    app.parse(argc - 1, argv + 1);
  } catch (const CLI::CallForHelp&) {
    io.out << app.help();
    return kAllowed;
  } catch (const CLI::ParseError& error) {
    io.err << "heinrich " << chosen->name << ": error: " << escape_control(error.what()) << "\n";
    if (const std::string hint = suggest_option(app); !hint.empty()) io.err << hint;
    io.err << "run 'heinrich help " << chosen->name << "' for its options\n";
    if (wants_json(argc, argv)) print_json_error(io, kUsage, error.what(), nullptr);
    return kUsage;
  }
  return run_command(io);
}

}  // namespace

int run(int argc, char** argv, const Io& given) {
  Io io = given;
  io.args.assign(argv, argv + argc);
  const bool json = wants_json(argc, argv);
  try {
    return parse_and_run(argc, argv, io);
  } catch (const PolicyError& error) {
    io.err << error.render();
    if (json) print_json_errors(io, kUsage, error);
    return kUsage;
  } catch (const InputError& error) {
    io.err << "heinrich: error: " << escape_control_lines(error.what()) << "\n";
    if (json) print_json_error(io, kUsage, error.what(), nullptr);
    return kUsage;
  } catch (const std::exception& error) {
    io.err << "heinrich: internal error: " << escape_control(error.what()) << "\n";
    if (json) print_json_error(io, kInternal, error.what(), nullptr);
    return kInternal;
  }
}

}  // namespace heinrich::cli
