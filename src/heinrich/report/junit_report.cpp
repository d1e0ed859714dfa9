// JUnit XML as GitLab (artifacts:reports:junit) and Jenkins (junit step)
// read it: one testcase per check, release or finding.
#include <fmt/format.h>

#include "heinrich/report/ci_report.hpp"
#include "heinrich/report/markup.hpp"

namespace heinrich {

namespace {

// In an attribute a line break would be normalised to a space by parsers.
std::string xml_attribute(std::string_view text) {
  std::string out = escape_xml(text);
  std::string escaped;
  for (char c : out) {
    if (c == '\n')
      escaped += "&#10;";
    else if (c == '\r')
      escaped += "&#13;";
    else
      escaped += c;
  }
  return escaped;
}

std::string first_line(std::string_view text) {
  return std::string(text.substr(0, text.find('\n')));
}

}  // namespace

std::string render_junit(const CiReport& report) {
  int failures = 0;
  int skipped = 0;
  for (const CiResult& result : report.results) {
    failures += result.failed ? 1 : 0;
    skipped += result.skipped ? 1 : 0;
  }
  const auto tests = report.results.size();
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += fmt::format("<testsuites name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"{}\">\n",
                     xml_attribute(report.command), tests, failures, skipped);
  out += fmt::format("  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"{}\">\n",
                     xml_attribute(report.suite), tests, failures, skipped);
  for (const CiResult& result : report.results) {
    std::string attributes = fmt::format("name=\"{}\" classname=\"{}\"", xml_attribute(result.name),
                                         xml_attribute(report.suite + "." + result.rule_id));
    if (!result.where.file.empty()) {
      attributes += fmt::format(" file=\"{}\"", xml_attribute(result.where.file));
      if (result.where.line > 0) attributes += fmt::format(" line=\"{}\"", result.where.line);
    }
    const std::string location = result.where.file.empty() ? "" : result.where.format() + ": ";
    if (result.skipped) {
      out += fmt::format("    <testcase {}>\n", attributes);
      out += fmt::format("      <skipped message=\"{}\"/>\n", xml_attribute(first_line(result.message)));
      out += "    </testcase>\n";
    } else if (result.failed) {
      out += fmt::format("    <testcase {}>\n", attributes);
      out += fmt::format("      <failure message=\"{}\" type=\"{}\">{}{}</failure>\n",
                         xml_attribute(first_line(result.message)), xml_attribute(result.rule_id),
                         escape_xml(location), escape_xml(result.message));
      out += "    </testcase>\n";
    } else if (!result.pass) {
      // A warning that does not fail the run: the testcase passes and
      // carries the warning in its output.
      out += fmt::format("    <testcase {}>\n", attributes);
      out += fmt::format("      <system-out>{}{}: {}</system-out>\n", escape_xml(location),
                         to_string(result.level), escape_xml(result.message));
      out += "    </testcase>\n";
    } else {
      out += fmt::format("    <testcase {}/>\n", attributes);
    }
  }
  out += "  </testsuite>\n</testsuites>\n";
  return out;
}

}  // namespace heinrich
