// `heinrich schema NAME`: the JSON Schema of the policy file or of a
// command's --format json output, as compiled in from schemas/.
#include <CLI/CLI.hpp>
#include <ostream>

#include "heinrich/cli/command_schema.hpp"
#include "heinrich/report/schemas.hpp"
#include "heinrich/util/error.hpp"
#include "heinrich/util/text.hpp"

namespace heinrich::cli {

namespace {

int run_schema(const std::string& name, const Io& io) {
  const auto text = find_schema(name);
  if (!text) {
    // choices() has refused it already; this keeps the command honest if
    // the list and the compiled-in schemas ever differ.
    const std::string match = closest_match(name, schema_names());
    throw InputError("no schema named '" + excerpt(name) + "'" +
                     (match.empty() ? "" : "; did you mean '" + match + "'?"));
  }
  io.out << *text;
  return kAllowed;
}

}  // namespace

Command make_schema_command() {
  return Command{
      "schema", "print a JSON Schema: the policy file's, or a command's --format json output",
      [](CLI::App& app) -> std::function<int(const Io&)> {
        auto name = std::make_shared<std::string>();
        app.add_option("name", *name,
                       "policy, or the command whose JSON it describes: check, next, events, audit")
            ->required()
            ->check(choices(schema_names()));
        app.footer(
            "Prints a JSON Schema (draft 2020-12). policy describes heinrich.toml as editors read\n"
            "TOML (dates as strings): point Taplo / Even Better TOML at it with a first line\n"
            "  #:schema /usr/share/heinrich/schemas/policy.schema.json\n"
            "check, next, events and audit describe what --format json prints, including the\n"
            "{\"error\": {...}} object printed on failure. The same files are installed in\n"
            "share/heinrich/schemas/.");
        return [name](const Io& io) { return run_schema(*name, io); };
      }};
}

}  // namespace heinrich::cli
