#include "heinrich/util/source_location.hpp"

namespace heinrich {

std::string SourceLocation::format() const {
  if (line <= 0) return file;
  return file + ":" + std::to_string(line) + ":" + std::to_string(column);
}

}  // namespace heinrich
