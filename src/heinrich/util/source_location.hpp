#pragma once
// Where a token of an input file is: what every positioned error and every
// compiled rule carries, so a message can point at the line that caused it.
#include <string>

namespace heinrich {

struct SourceLocation {
  std::string file;
  int line = 0;
  int column = 0;
  [[nodiscard]] std::string format() const;  // "policies/default.toml:12:1"
};

}  // namespace heinrich
