// GitHub Actions: workflow commands on stdout, Markdown for the step summary.
// https://docs.github.com/actions/using-workflows/workflow-commands-for-github-actions
#include <fmt/format.h>

#include <algorithm>

#include "heinrich/report/ci_report.hpp"

namespace heinrich {

std::string github_escape_data(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '%':
        out += "%25";
        break;
      case '\r':
        out += "%0D";
        break;
      case '\n':
        out += "%0A";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string github_escape_property(std::string_view text) {
  std::string out;
  for (char c : github_escape_data(text)) {
    if (c == ':')
      out += "%3A";
    else if (c == ',')
      out += "%2C";
    else
      out += c;
  }
  return out;
}

namespace {

std::string_view command_for(Severity level) {
  switch (level) {
    case Severity::error:
      return "error";
    case Severity::warning:
      return "warning";
    case Severity::note:
      return "notice";
  }
  return "notice";
}

// A Markdown table cell: pipes escaped, line breaks as <br>.
std::string cell(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '|')
      out += "\\|";
    else if (c == '\n')
      out += "<br>";
    else if (c != '\r')
      out += c;
  }
  return out;
}

}  // namespace

std::string render_github(const CiReport& report) {
  std::string out;
  for (const CiResult& result : report.results) {
    if (result.pass) continue;
    // A warning that does not fail the run stays a warning; one that does
    // (--strict, --fail-on warn) is an error, so the log shows why it failed.
    const Severity level = result.failed ? Severity::error : result.level;
    std::vector<std::string> properties;
    if (!result.where.file.empty()) {
      properties.push_back("file=" + github_escape_property(result.where.file));
      if (result.where.line > 0) {
        properties.push_back(fmt::format("line={}", result.where.line));
        if (result.where.column > 0) properties.push_back(fmt::format("col={}", result.where.column));
        // GitHub's end column is the token's last character; it applies
        // only when the annotation's end line is given and equal.
        if (result.where.column > 0 && result.width > 1) {
          properties.push_back(fmt::format("endLine={}", result.where.line));
          properties.push_back(fmt::format("endColumn={}", result.where.column + result.width - 1));
        }
      }
    }
    properties.push_back("title=" + github_escape_property(result.title));
    std::string joined;
    for (const auto& property : properties) joined += (joined.empty() ? "" : ",") + property;
    out += fmt::format("::{} {}::{}\n", command_for(level), joined, github_escape_data(result.message));
  }
  out += report.headline + "\n";
  return out;
}

std::string render_github_summary(const CiReport& report) {
  std::string out = "### " + cell(report.headline) + "\n\n";
  bool any = false;
  for (const CiResult& result : report.results) {
    if (result.pass) continue;
    if (!any) out += "| | code | where | what |\n|---|---|---|---|\n";
    any = true;
    const std::string_view mark = result.failed                       ? "❌ error"
                                  : result.level == Severity::warning ? "⚠️ warning"
                                                                      : "ℹ️ note";
    out += fmt::format("| {} | {} | `{}` | {} |\n", mark, result.rule_id, cell(result.where.format()),
                       cell(result.message));
  }
  if (!any) out += "✅ nothing to report\n";
  return out + "\n";
}

std::string render_github_outputs(const CiReport& report) {
  return render_output_lines(report, [](std::string_view given) {
    std::string name;
    for (char c : given)
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-')
        name += c;
    return name;
  });
}

}  // namespace heinrich
