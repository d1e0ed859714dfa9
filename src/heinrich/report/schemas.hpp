#pragma once
// The JSON Schemas (draft 2020-12) of the policy file and of each command's
// --format json output. They are the files in schemas/ at the root of the
// source tree, compiled in by the build (cmake/EmbedSchemas.cmake), so
// `heinrich schema NAME`, the installed share/heinrich/schemas/ and the
// source tree cannot disagree.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace heinrich {

struct EmbeddedSchema {
  std::string_view name;  // "policy", "check", "next", "events", "audit"
  std::string_view text;  // the JSON document, as in schemas/NAME.schema.json
};

// Every schema, sorted by name (generated source).
const std::vector<EmbeddedSchema>& embedded_schemas();

std::vector<std::string> schema_names();
// The schema's JSON text; nullopt for an unknown name.
std::optional<std::string_view> find_schema(std::string_view name);

}  // namespace heinrich
