// SARIF 2.1.0 (OASIS) for code-scanning UIs: one run, the tool's rules, and
// a result per failing or warning item with its physical location.
#include <fmt/format.h>

#include <cctype>

#include <nlohmann/json.hpp>

#include "heinrich/report/ci_report.hpp"

#ifndef HEINRICH_VERSION
#define HEINRICH_VERSION "0.0.0"
#endif

namespace heinrich {

namespace {

// artifactLocation.uri is a URI reference (RFC 3986): a relative path stays
// relative (code scanning resolves it against the checkout), an absolute one
// becomes a file: URI; characters outside the unreserved set and '/' are
// percent-encoded.
std::string uri_of(const std::string& path) {
  std::string out = !path.empty() && path.front() == '/' ? "file://" : "";
  for (unsigned char c : path) {
    if (std::isalnum(c) || c == '/' || c == '-' || c == '.' || c == '_' || c == '~')
      out += static_cast<char>(c);
    else
      out += fmt::format("%{:02X}", c);
  }
  return out;
}

// `width` > 1 gives the whole token (endColumn is one past it).
nlohmann::ordered_json physical(const SourceLocation& where, int width = 1) {
  nlohmann::ordered_json location{{"artifactLocation", {{"uri", uri_of(where.file)}}}};
  if (where.line > 0) {
    nlohmann::ordered_json region{{"startLine", where.line}};
    if (where.column > 0) region["startColumn"] = where.column;
    if (where.column > 0 && width > 1) region["endColumn"] = where.column + width;
    location["region"] = region;
  }
  return location;
}

}  // namespace

std::string render_sarif(const CiReport& report) {
  nlohmann::ordered_json rules = nlohmann::ordered_json::array();
  for (const CiRule& rule : report.rules)
    rules.push_back({{"id", rule.id},
                     {"name", rule.name},
                     {"shortDescription", {{"text", rule.summary}}},
                     {"defaultConfiguration", {{"level", to_string(rule.level)}}}});
  nlohmann::ordered_json results = nlohmann::ordered_json::array();
  for (const CiResult& result : report.results) {
    if (result.pass) continue;
    nlohmann::ordered_json item{{"ruleId", result.rule_id}};
    for (std::size_t i = 0; i < report.rules.size(); ++i)
      if (report.rules[i].id == result.rule_id) item["ruleIndex"] = i;
    if (result.skipped) {
      item["kind"] = "notApplicable";
      item["level"] = "none";
    } else {
      item["level"] = to_string(result.failed ? Severity::error : result.level);
    }
    item["message"] = {{"text", result.message}};
    if (!result.where.file.empty())
      item["locations"] =
          nlohmann::ordered_json::array({{{"physicalLocation", physical(result.where, result.width)}}});
    if (!result.related.empty()) {
      nlohmann::ordered_json related = nlohmann::ordered_json::array();
      int id = 1;
      for (const SourceLocation& where : result.related)
        related.push_back({{"id", id++}, {"physicalLocation", physical(where)}});
      item["relatedLocations"] = related;
    }
    // Stable across runs, so code scanning tracks one alert per item.
    item["partialFingerprints"] = {{"heinrich/v1", result.rule_id + "|" + result.name}};
    results.push_back(std::move(item));
  }
  nlohmann::ordered_json run{
      {"tool",
       {{"driver",
         {{"name", "heinrich"},
          {"version", HEINRICH_VERSION},
          {"semanticVersion", HEINRICH_VERSION},
          {"rules", rules}}}}},
      {"columnKind", "unicodeCodePoints"},
      {"results", results},
  };
  nlohmann::ordered_json log{{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
                             {"version", "2.1.0"},
                             {"runs", nlohmann::ordered_json::array({run})}};
  return log.dump(2) + "\n";
}

}  // namespace heinrich
