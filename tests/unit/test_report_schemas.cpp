#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "heinrich/policy/policy_keys.hpp"
#include "heinrich/report/schemas.hpp"

using namespace heinrich;
using Json = nlohmann::ordered_json;

namespace {

Json schema(std::string_view name) {
  const auto text = find_schema(name);
  REQUIRE(text.has_value());
  return Json::parse(*text);
}

// A "$ref" (alone or as the only allOf) resolved within `root`.
const Json& resolve(const Json& root, const Json& node) {
  const Json* at = &node;
  if (at->contains("allOf") && (*at)["allOf"].size() == 1) at = &(*at)["allOf"][0];
  if (!at->contains("$ref")) return *at;
  const auto ref = (*at)["$ref"].get<std::string>();
  REQUIRE(ref.rfind("#/", 0) == 0);
  return root.at(Json::json_pointer(ref.substr(1)));
}

// "event[].monthly" → the schema of an event's monthly table.
const Json& table_at(const Json& root, const std::string& path) {
  const Json* at = &root;
  std::string rest = path;
  while (!rest.empty()) {
    const auto dot = rest.find('.');
    std::string part = rest.substr(0, dot);
    rest = dot == std::string::npos ? "" : rest.substr(dot + 1);
    if (part == "*") {
      at = &resolve(root, (*at)["additionalProperties"]);
      continue;
    }
    const bool array = part.size() > 2 && part.substr(part.size() - 2) == "[]";
    if (array) part.resize(part.size() - 2);
    INFO("schema path " << path << " at " << part);
    REQUIRE((*at)["properties"].contains(part));
    at = &resolve(root, (*at)["properties"][part]);
    if (array) at = &resolve(root, (*at)["items"]);
  }
  return *at;
}

bool closed(const Json& table) {
  return table.contains("additionalProperties") && table["additionalProperties"] == false;
}

std::set<std::string> property_names(const Json& table) {
  std::set<std::string> out;
  for (const auto& [name, value] : table["properties"].items()) out.insert(name);
  return out;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Every object schema that lists properties, wherever it stands.
void each_table(const Json& node, const std::function<void(const Json&)>& visit) {
  if (node.is_object()) {
    if (node.contains("properties")) visit(node);
    for (const auto& [key, value] : node.items()) each_table(value, visit);
  } else if (node.is_array()) {
    for (const auto& value : node) each_table(value, visit);
  }
}

}  // namespace

TEST_SUITE("report.schemas") {
  TEST_CASE("the compiled-in schemas are the files of schemas/, each draft 2020-12") {
    CHECK(schema_names() == std::vector<std::string>{"audit", "check", "events", "next", "policy"});
    for (const auto& name : schema_names()) {
      INFO(name);
      const std::string path = std::string(HEINRICH_SOURCE_DIR) + "/schemas/" + name + ".schema.json";
      CHECK(std::string(*find_schema(name)) == read_file(path));
      CHECK(schema(name)["$schema"] == "https://json-schema.org/draft/2020-12/schema");
    }
    CHECK_FALSE(find_schema("polcy").has_value());
  }

  TEST_CASE("the policy schema lists exactly the keys the loader accepts, table by table") {
    const Json root = schema("policy");
    for (const PolicyTableKeys& table : policy_table_keys()) {
      INFO("table '" << table.table << "'");
      const Json& at = table_at(root, table.table);
      CHECK(closed(at));
      const std::set<std::string> loader(table.keys.begin(), table.keys.end());
      CHECK(loader.size() == table.keys.size());
      CHECK(property_names(at) == loader);
    }
  }

  TEST_CASE("every table the policy schema describes is one the loader checks") {
    // Tables in the schema that policy_table_keys() does not name would be
    // keys no test compares: count them against the loader's tables.
    const Json root = schema("policy");
    std::size_t tables = 0;
    each_table(root, [&](const Json& table) {
      if (closed(table)) ++tables;
    });
    CHECK(tables == policy_table_keys().size());
  }

  TEST_CASE("every key of every schema has a description") {
    for (const auto& name : schema_names()) {
      const Json root = schema(name);
      CHECK(root.contains("description"));
      each_table(root, [&](const Json& table) {
        if (table.value("type", "") != "object") return;  // an anyOf/oneOf branch, not a table
        CHECK(table.contains("description"));
        for (const auto& [key, property] : table["properties"].items()) {
          INFO(name << ": key " << key);
          CHECK(property.contains("description"));
        }
      });
    }
  }
}
