#include "heinrich/cli/manual.hpp"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <nlohmann/json.hpp>
#include <sstream>

#include "heinrich/report/schemas.hpp"
#include "heinrich/util/error.hpp"
#include "heinrich/util/text.hpp"

#ifndef HEINRICH_VERSION
#define HEINRICH_VERSION "0.0.0"
#endif

namespace heinrich::cli {

namespace {

struct EnvironmentVariable {
  const char* name;
  const char* description;
};

constexpr EnvironmentVariable kEnvironment[] = {
    {"HEINRICH_POLICY", "the policy file when --policy is not given"},
    {"HEINRICH_NOW", "a fixed clock (ISO-8601), for tests and what-if runs; hooks run by a server ignore it"},
    {"HEINRICH_OVERRIDE", "'TICKET reason': break-glass for the pre-push hook"},
    {"HEINRICH_HOOK_ON_ERROR", "allow: a broken policy does not stop a push"},
    {"HEINRICH_CACHE_DIR",
     "where parsed ICS calendars are kept (default: $XDG_CACHE_HOME/heinrich, else ~/.cache/heinrich)"},
    {"HEINRICH_NO_CACHE", "1: parse every ICS calendar on every run"},
    {"NO_COLOR", "no colour, even on a terminal"},
};

constexpr const char* kExitStatus[][2] = {
    {"0", "allowed (also warn, unless --fail-on warn)"},
    {"1", "blocked"},
    {"2", "usage, policy or input error"},
    {"3", "internal error"},
};

// A summary becomes a sentence: a full stop unless it ends in one already.
std::string sentence(const std::string& text) {
  if (!text.empty() && (text.back() == '?' || text.back() == '.' || text.back() == '!')) return text;
  return text + ".";
}

// "(one of: ...)" unless the description already names every choice.
bool lists_every_choice(const std::string& description, const std::vector<std::string>& choices) {
  return std::all_of(choices.begin(), choices.end(), [&](const std::string& choice) {
    return description.find(choice) != std::string::npos;
  });
}

OptionManual describe_option(CLI::Option& option) {
  OptionManual out;
  out.positional = option.get_positional() && option.get_lnames().empty() && option.get_snames().empty();
  if (out.positional) {
    out.names.push_back(to_upper(option.get_name(true, false)));
  } else {
    for (const auto& name : option.get_lnames()) out.names.push_back("--" + name);
    for (const auto& name : option.get_snames()) out.names.insert(out.names.begin(), "-" + name);
  }
  if (option.get_expected_min() > 0 || out.positional) {
    out.value = option.get_type_name();
    // CLI11 appends a validator's description ("TEXT:{a,b}"): the choices
    // are listed on their own, so the placeholder stays a word.
    if (const auto colon = out.value.find(":{"); colon != std::string::npos) out.value.resize(colon);
    if (out.value == "TEXT") out.value = "VALUE";
    if (out.positional) out.value = to_upper(option.get_name(true, false));
  }
  out.description = option.get_description();
  out.choices = choice_values(option);
  out.required = option.get_required();
  out.repeatable = option.get_expected_max() > 1;
  return out;
}

CommandManual describe(const Command& command) {
  CLI::App app{command.summary, "heinrich " + command.name};
  (void)command.configure(app);
  CommandManual out{command.name, command.summary, app.get_footer(), {}};
  for (CLI::Option* option : app.get_options()) {
    if (option == app.get_help_ptr() || option == app.get_help_all_ptr()) continue;
    out.options.push_back(describe_option(*option));
  }
  return out;
}

// roff: a backslash is \e, a hyphen in an option is \-, and a line that
// starts with a dot or a quote would be a request.
std::string roff(const std::string& text) {
  std::string out;
  for (const char c : text) {
    if (c == '\\')
      out += "\\e";
    else if (c == '-')
      out += "\\-";
    else
      out += c;
  }
  std::string guarded;
  bool line_start = true;
  for (const char c : out) {
    if (line_start && (c == '.' || c == '\'')) guarded += "\\&";
    guarded += c;
    line_start = c == '\n';
  }
  return guarded;
}

// A footer in paragraphs: its lines are wrapped by hand for the terminal;
// man wraps again, so lines join and blank lines separate paragraphs. A line
// that starts with spaces or "- " stays a line of its own.
std::string roff_paragraphs(const std::string& text) {
  std::istringstream lines(text);
  std::string line;
  std::string out = ".PP\n";
  while (std::getline(lines, line)) {
    if (line.empty()) {
      out += ".PP\n";
    } else if (line.rfind("  ", 0) == 0 || line.rfind("- ", 0) == 0) {
      out += ".br\n" + roff(line) + "\n";
    } else {
      out += roff(line) + "\n";
    }
  }
  return out;
}

std::string option_label(const OptionManual& option) {
  std::string label;
  for (const auto& name : option.names) label += (label.empty() ? "" : ", ") + name;
  if (!option.positional && !option.value.empty()) label += " " + option.value;
  return label;
}

std::string man_header(const std::string& name, int section, const std::string& summary) {
  return ".TH " + to_upper(name) + " " + std::to_string(section) +
         " \"\" \"heinrich " HEINRICH_VERSION "\" \"heinrich manual\"\n.SH NAME\n" + roff(name) + " \\- " +
         roff(summary) + "\n";
}

std::string man_common_sections() {
  std::string out = ".SH EXIT STATUS\n";
  for (const auto& status : kExitStatus)
    out += ".TP\n.B " + std::string(status[0]) + "\n" + roff(status[1]) + "\n";
  out += ".SH ENVIRONMENT\n";
  for (const auto& variable : kEnvironment)
    out += ".TP\n.B " + roff(variable.name) + "\n" + roff(variable.description) + "\n";
  return out;
}

std::string render_command_page(const CommandManual& command) {
  std::string out = man_header("heinrich-" + command.name, 1, command.summary);
  out += ".SH SYNOPSIS\n.B heinrich " + roff(command.name) + "\n";
  if (const std::string arguments = synopsis_arguments(command); !arguments.empty())
    out += roff(arguments.substr(1)) + "\n";
  out += ".SH DESCRIPTION\n" + roff(sentence(command.summary)) + "\n";
  if (!command.description.empty()) out += roff_paragraphs(command.description);
  if (!command.options.empty()) {
    out += ".SH OPTIONS\n";
    for (const auto& option : command.options) {
      out += ".TP\n.B " + roff(option_label(option)) + "\n" + roff(option.description);
      if (!option.choices.empty() && !lists_every_choice(option.description, option.choices)) {
        std::string listed;
        for (const auto& choice : option.choices) listed += (listed.empty() ? "" : ", ") + choice;
        out += " (one of: " + roff(listed) + ")";
      }
      out += "\n";
    }
  }
  out += man_common_sections();
  out += ".SH SEE ALSO\n.BR heinrich (1)\n";
  return out;
}

std::string render_overview_page(const std::vector<CommandManual>& commands) {
  std::string out = man_header("heinrich", 1, "is it safe to release this now? A change-window risk checker");
  out += ".SH SYNOPSIS\n.B heinrich\n.I COMMAND\n[\\fIOPTIONS\\fR]\n";
  out +=
      ".SH DESCRIPTION\n" +
      roff_paragraphs(
          "heinrich compares a proposed release (a time, a duration, an environment) with a TOML policy of\n"
          "freeze windows, allowed windows, risk factors and calendars (Korean and US holidays computed\n"
          "from the law, business-day rules such as paydays, ICS calendars), scores the risk, explains\n"
          "every contribution and blocks risky deploys: from the command line, in CI, and in git hooks.\n"
          "\n"
          "The policy is --policy FILE, else $HEINRICH_POLICY, else heinrich.toml or .heinrich.toml in the\n"
          "working directory or a parent, else the installed default policy.");
  out += ".SH COMMANDS\n";
  for (const auto& command : commands)
    out += ".TP\n.BR heinrich\\-" + roff(command.name) + " (1)\n" + roff(command.summary) + "\n";
  out += man_common_sections();
  out += ".SH SEE ALSO\n";
  std::string see;
  for (const auto& command : commands)
    see += (see.empty() ? "" : ",\n") + (".BR heinrich\\-" + roff(command.name) + " (1)");
  out += see + ",\n.BR heinrich.toml (5)\n";
  return out;
}

// heinrich.toml(5) is rendered from schemas/policy.schema.json: each key's
// type, range, choices and description come from the schema, so the page,
// the schema editors read and the loader's key lists (compared with the
// schema by a unit test) say the same.
class PolicyManual {
 public:
  PolicyManual() {
    const auto text = find_schema("policy");
    if (!text) throw InputError("the policy schema is not compiled in");
    m_root = nlohmann::ordered_json::parse(*text);
  }

  std::string render() const {
    std::string out =
        man_header("heinrich.toml", 5, "the heinrich policy file: freeze windows, risk factors, calendars");
    out +=
        ".SH SYNOPSIS\n.B heinrich.toml\n.br\n.B .heinrich.toml\n.SH DESCRIPTION\n" +
        roff(m_root.value("description", "")) + "\n" +
        roff_paragraphs(
            "heinrich reads the policy given by --policy FILE, else $HEINRICH_POLICY, else heinrich.toml or\n"
            ".heinrich.toml in the working directory or a parent, else the installed default policy.\n"
            "\n"
            "Every key is listed below with its type. An unknown key, a wrong type, a value out of range,\n"
            "an unknown zone or a malformed duration, cron or rrule is an error (exit status 2) that names\n"
            "the file, line and column; heinrich audit lints a policy further (H101-H114).");
    out += ".SH KEYS\n" + keys(m_root);
    for (const auto& [name, property] : m_root["properties"].items()) {
      const nlohmann::ordered_json& target = resolve(property);
      if (const auto* table = table_of(target)) {
        const bool array = target.value("type", "") == "array";
        out += ".SH \"" + roff(array ? "[[" + name + "]]" : "[" + name + "]") + "\"\n" +
               roff(property.value("description", "")) + "\n";
        if (table->contains("properties")) {
          out += keys(*table);
          out += nested_tables(*table);
        } else if (const auto* entry = table_of_entries(target)) {
          out += ".SS \"NAME = { ... }\"\n" + roff(entry->value("description", "")) + "\n" + keys(*entry);
        }
      }
    }
    out += ".SH TYPES\n";
    for (const auto& [name, definition] : m_root["$defs"].items()) {
      if (definition.value("type", "") == "object") continue;
      out += ".TP\n.I " + roff(name) + "\n" + roff(definition.value("description", "")) + "\n";
    }
    out += ".SH EDITORS\n" +
           roff_paragraphs(
               "heinrich schema policy prints this schema as JSON Schema; it is installed as\n"
               "share/heinrich/schemas/policy.schema.json. Taplo and Even Better TOML complete and check\n"
               "heinrich.toml against it when the file starts with a schema directive:\n"
               "  #:schema /usr/share/heinrich/schemas/policy.schema.json\n"
               "or when a .taplo.toml maps the file to the schema with a [[rule]] whose schema.path\n"
               "names it.");
    out += ".SH SEE ALSO\n.BR heinrich (1),\n.BR heinrich\\-audit (1),\n.BR heinrich\\-schema (1)\n";
    return out;
  }

 private:
  // A "$ref" (alone or as the only allOf) resolved within the schema.
  const nlohmann::ordered_json& resolve(const nlohmann::ordered_json& schema) const {
    const nlohmann::ordered_json* at = &schema;
    if (at->contains("allOf") && (*at)["allOf"].size() == 1) at = &(*at)["allOf"][0];
    if (!at->contains("$ref")) return *at;
    const auto ref = (*at)["$ref"].get<std::string>();
    return m_root.at(nlohmann::ordered_json::json_pointer(ref.substr(1)));
  }

  static std::string ref_name(const nlohmann::ordered_json& schema) {
    const nlohmann::ordered_json* at = &schema;
    if (at->contains("allOf") && (*at)["allOf"].size() == 1) at = &(*at)["allOf"][0];
    if (!at->contains("$ref")) return {};
    const auto ref = (*at)["$ref"].get<std::string>();
    return ref.substr(ref.rfind('/') + 1);
  }

  // The table a key holds: itself, or each element of an array of tables.
  const nlohmann::ordered_json* table_of(const nlohmann::ordered_json& schema) const {
    if (schema.value("type", "") == "object") return &schema;
    if (schema.value("type", "") == "array" && schema.contains("items")) {
      const auto& items = resolve(schema["items"]);
      if (items.value("type", "") == "object") return &items;
    }
    return nullptr;
  }

  // [environments]: a table whose every key names a table of one shape.
  const nlohmann::ordered_json* table_of_entries(const nlohmann::ordered_json& schema) const {
    if (!schema.contains("additionalProperties") || !schema["additionalProperties"].is_object())
      return nullptr;
    const auto& entry = resolve(schema["additionalProperties"]);
    return entry.value("type", "") == "object" && entry.contains("properties") ? &entry : nullptr;
  }

  std::string type_text(const nlohmann::ordered_json& property) const {
    if (const std::string name = ref_name(property); !name.empty()) {
      const auto& target = resolve(property);
      return target.value("type", "") == "object" ? "inline table (below)" : name;
    }
    const std::string type = property.is_object() && property.contains("type") && property["type"].is_string()
                                 ? property["type"].get<std::string>()
                                 : "value";
    std::string out = type == "object" ? "table" : type;
    if (type == "array" && property.contains("items")) {
      const auto& items = resolve(property["items"]);
      const std::string name = ref_name(property["items"]);
      out = "array of " + (!name.empty()                         ? name
                           : items.value("type", "") == "object" ? std::string("inline tables (below)")
                                                                 : items.value("type", "value") + "s");
    }
    if (type == "object" && property.contains("additionalProperties") &&
        property["additionalProperties"].is_object())
      out = "table of " + type_text(property["additionalProperties"]) + "s";
    if (property.contains("minimum") && property.contains("maximum"))
      out += " " + property["minimum"].dump() + " to " + property["maximum"].dump();
    if (property.contains("enum")) {
      std::string listed;
      for (const auto& value : property["enum"])
        listed +=
            (listed.empty() ? "" : ", ") + (value.is_string() ? value.get<std::string>() : value.dump());
      out += "; one of: " + listed;
    }
    return out;
  }

  std::string keys(const nlohmann::ordered_json& table) const {
    std::vector<std::string> required;
    if (table.contains("required")) required = table["required"].get<std::vector<std::string>>();
    std::string out;
    for (const auto& [name, property] : table["properties"].items()) {
      const bool needed = std::find(required.begin(), required.end(), name) != required.end();
      out += ".TP\n.B " + roff(name) + "\n(" + roff(type_text(property)) + (needed ? ", required" : "") +
             ")\n" + roff(property.value("description", "")) + "\n";
    }
    return out;
  }

  // monthly = { ... }, yearly = { ... }, holidays = [{ ... }]: subsections.
  std::string nested_tables(const nlohmann::ordered_json& table) const {
    std::string out;
    for (const auto& [name, property] : table["properties"].items()) {
      const auto& target = resolve(property);
      const auto* nested = table_of(target);
      if (nested == nullptr || !nested->contains("properties")) continue;
      const bool array = target.value("type", "") == "array";
      out += ".SS \"" + roff(name + (array ? " = [{ ... }]" : " = { ... }")) + "\"\n" +
             roff(nested->value("description", "")) + "\n" + keys(*nested);
    }
    return out;
  }

  nlohmann::ordered_json m_root;
};

std::string markdown_cell(const std::string& text) {
  std::string out;
  for (const char c : text) {
    if (c == '|')
      out += "\\|";
    else
      out += c;
  }
  return out;
}

std::string words(const std::vector<std::string>& items, const std::string& separator = " ") {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : separator) + item;
  return out;
}

// Options that take a file name, and those whose values are the policy's
// environments: the completions offer files and `completions --environments`.
bool takes_file(const OptionManual& option) {
  return option.value == "FILE";
}
bool takes_environment(const OptionManual& option) {
  return option.value == "ENV";
}

std::string long_names(const CommandManual& command) {
  std::vector<std::string> names;
  for (const auto& option : command.options)
    if (!option.positional)
      for (const auto& name : option.names) names.push_back(name);
  return words(names);
}

std::string positional_choices(const CommandManual& command) {
  for (const auto& option : command.options)
    if (option.positional && !option.choices.empty()) return words(option.choices);
  return {};
}

std::string bash_completion(const std::vector<CommandManual>& commands) {
  std::vector<std::string> names;
  for (const auto& command : commands) names.push_back(command.name);
  std::string out =
      "# bash completion for heinrich (generated by `heinrich completions bash`)\n"
      "# The environment names come from the policy in force, which may be a\n"
      "# cloned repository's: they are matched as plain strings, never passed to\n"
      "# compgen -W, which would expand $(...) in them.\n"
      "_heinrich_environments() {\n"
      "  local name\n"
      "  while IFS= read -r name; do\n"
      "    [[ $name == \"$cur\"* ]] && COMPREPLY+=(\"$name\")\n"
      "  done < <(heinrich completions --environments 2>/dev/null)\n"
      "}\n"
      "_heinrich() {\n"
      "  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}\n"
      "  if ((COMP_CWORD == 1)); then\n"
      "    COMPREPLY=($(compgen -W '" +
      words(names) +
      "' -- \"$cur\"))\n"
      "    return\n"
      "  fi\n"
      "  local command=${COMP_WORDS[1]} options='' values='' positional=''\n"
      "  case $command in\n";
  for (const auto& command : commands) {
    out += "    " + command.name + ")\n      options='" + long_names(command) + "'\n";
    const std::string positional = positional_choices(command);
    if (!positional.empty()) out += "      positional='" + positional + "'\n";
    out += "      case $prev in\n";
    for (const auto& option : command.options) {
      if (option.positional || option.value.empty()) continue;
      const std::string pattern = words(option.names, "|");
      if (!option.choices.empty())
        out += "        " + pattern + ") COMPREPLY=($(compgen -W '" + words(option.choices) +
               "' -- \"$cur\")); return ;;\n";
      else if (takes_file(option))
        out += "        " + pattern + ") COMPREPLY=($(compgen -f -- \"$cur\")); return ;;\n";
      else if (takes_environment(option))
        out += "        " + pattern + ") _heinrich_environments; return ;;\n";
      else
        out += "        " + pattern + ") return ;;\n";
    }
    out += "      esac ;;\n";
  }
  out +=
      "    *) return ;;\n"
      "  esac\n"
      "  if [[ $cur == -* || -z $positional ]]; then\n"
      "    COMPREPLY=($(compgen -W \"$options\" -- \"$cur\"))\n"
      "  else\n"
      "    COMPREPLY=($(compgen -W \"$positional\" -- \"$cur\"))\n"
      "  fi\n"
      "}\n"
      "complete -F _heinrich heinrich\n";
  return out;
}

// A description inside single quotes, for zsh and fish.
std::string quoted(const std::string& text) {
  std::string out = "'";
  for (const char c : text) {
    if (c == '\'')
      out += "'\\''";
    else if (c == '\n')
      out += ' ';
    else
      out += c;
  }
  return out + "'";
}

std::string zsh_escape(const std::string& text) {
  std::string out;
  for (const char c : text) {
    if (c == '[' || c == ']' || c == ':' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

std::string zsh_completion(const std::vector<CommandManual>& commands) {
  std::string out =
      "#compdef heinrich\n"
      "# zsh completion for heinrich (generated by `heinrich completions zsh`)\n"
      "_heinrich_environments() {\n"
      "  local -a environments\n"
      "  environments=(${${(f)\"$(heinrich completions --environments 2>/dev/null)\"}//:/\\\\:})\n"
      "  _describe environment environments\n"
      "}\n"
      "_heinrich() {\n"
      "  local -a commands\n"
      "  commands=(\n";
  for (const auto& command : commands)
    out += "    " + quoted(command.name + ":" + zsh_escape(command.summary)) + "\n";
  out +=
      "  )\n"
      "  if ((CURRENT == 2)); then\n"
      "    _describe command commands\n"
      "    return\n"
      "  fi\n"
      "  local command=$words[2]\n"
      "  shift words\n"
      "  ((CURRENT--))\n"
      "  case $command in\n";
  for (const auto& command : commands) {
    out += "    " + command.name + ")\n      _arguments -s";
    for (const auto& option : command.options) {
      std::string action;
      if (!option.choices.empty())
        action = ":" + zsh_escape(option.value.empty() ? "value" : option.value) + ":(" +
                 words(option.choices) + ")";
      else if (takes_file(option))
        action = ":file:_files";
      else if (takes_environment(option))
        action = ":environment:_heinrich_environments";
      else if (!option.value.empty())
        action = ":" + zsh_escape(option.value) + ": ";
      if (option.positional) {
        out += " \\\n        " + quoted(":" + zsh_escape(option.description) + action);
        continue;
      }
      for (const auto& name : option.names)
        out += " \\\n        " + quoted(name + "[" + zsh_escape(option.description) + "]" + action);
    }
    out += " ;;\n";
  }
  out +=
      "  esac\n"
      "}\n"
      "_heinrich \"$@\"\n";
  return out;
}

std::string fish_completion(const std::vector<CommandManual>& commands) {
  std::vector<std::string> names;
  for (const auto& command : commands) names.push_back(command.name);
  std::string out =
      "# fish completion for heinrich (generated by `heinrich completions fish`)\n"
      "complete -c heinrich -f\n";
  for (const auto& command : commands)
    out += "complete -c heinrich -n __fish_use_subcommand -a " + command.name + " -d " +
           quoted(command.summary) + "\n";
  for (const auto& command : commands) {
    const std::string condition = "'__fish_seen_subcommand_from " + command.name + "'";
    for (const auto& option : command.options) {
      if (option.positional) {
        if (!option.choices.empty())
          out += "complete -c heinrich -n " + condition + " -a " + quoted(words(option.choices)) + "\n";
        continue;
      }
      std::string line = "complete -c heinrich -n " + condition;
      for (const auto& name : option.names)
        line += name.rfind("--", 0) == 0 ? " -l " + name.substr(2) : " -s " + name.substr(1);
      if (!option.choices.empty())
        line += " -x -a " + quoted(words(option.choices));
      else if (takes_file(option))
        line += " -r -F";
      else if (takes_environment(option))
        line += " -x -a '(heinrich completions --environments 2>/dev/null)'";
      else if (!option.value.empty())
        line += " -x";
      out += line + " -d " + quoted(option.description) + "\n";
    }
  }
  return out;
}

}  // namespace

std::vector<CommandManual> command_manuals() {
  std::vector<CommandManual> out;
  for (const auto& command : command_table()) out.push_back(describe(command));
  return out;
}

std::string synopsis(const CommandManual& command) {
  return "heinrich " + command.name + synopsis_arguments(command);
}

std::string synopsis_arguments(const CommandManual& command) {
  std::string out;
  for (const auto& option : command.options) {
    if (option.positional) {
      out += option.required ? " " + option.value : " [" + option.value + (option.repeatable ? "...]" : "]");
      continue;
    }
    std::string item = option.names.back();
    if (!option.value.empty())
      item += " " + (option.choices.empty() ? option.value : words(option.choices, "|"));
    out += option.required ? " " + item : " [" + item + "]";
  }
  return out;
}

std::vector<std::string> manual_page_names() {
  std::vector<std::string> names{"heinrich"};
  for (const auto& command : command_table()) names.push_back("heinrich-" + command.name);
  names.push_back(kPolicyManualPage);
  return names;
}

int manual_section(const std::string& page) {
  return page == kPolicyManualPage ? 5 : 1;
}

std::string render_man_page(const std::string& page) {
  if (page == kPolicyManualPage) return PolicyManual().render();
  const auto commands = command_manuals();
  if (page == "heinrich") return render_overview_page(commands);
  for (const auto& command : commands)
    if (page == "heinrich-" + command.name || page == command.name) return render_command_page(command);
  return {};
}

std::string render_command_reference() {
  std::string out = "| command | what it does |\n|---|---|\n";
  for (const auto& command : command_manuals())
    out += "| `" + markdown_cell(synopsis(command)) + "` | " + markdown_cell(command.summary) + " |\n";
  return out;
}

std::string render_completion(const std::string& shell) {
  const auto commands = command_manuals();
  if (shell == "bash") return bash_completion(commands);
  if (shell == "zsh") return zsh_completion(commands);
  if (shell == "fish") return fish_completion(commands);
  return {};
}

std::string overview_text() {
  std::string text =
      "heinrich: is it safe to release this now? A change-window risk checker.\n\n"
      "usage: heinrich COMMAND [OPTIONS]\n\ncommands:\n";
  for (const auto& command : command_table())
    text += "  " + command.name + std::string(command.name.size() < 16 ? 16 - command.name.size() : 1, ' ') +
            command.summary + "\n";
  text += "\nexit status:";
  for (const auto& status : kExitStatus) text += std::string(" ") + status[0] + " " + status[1] + ";";
  text.back() = '\n';
  text += "\nenvironment:\n";
  for (const auto& variable : kEnvironment) {
    const std::string name = variable.name;
    text +=
        "  " + name + std::string(name.size() < 24 ? 24 - name.size() : 1, ' ') + variable.description + "\n";
  }
  return text;
}

}  // namespace heinrich::cli
