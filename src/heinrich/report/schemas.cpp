#include "heinrich/report/schemas.hpp"

namespace heinrich {

std::vector<std::string> schema_names() {
  std::vector<std::string> names;
  for (const EmbeddedSchema& schema : embedded_schemas()) names.emplace_back(schema.name);
  return names;
}

std::optional<std::string_view> find_schema(std::string_view name) {
  for (const EmbeddedSchema& schema : embedded_schemas())
    if (schema.name == name) return schema.text;
  return std::nullopt;
}

}  // namespace heinrich
