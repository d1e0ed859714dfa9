#include "heinrich/report/terminal.hpp"

#include <fmt/format.h>

namespace heinrich {

std::string paint(bool on, std::string_view text, std::string_view ansi_code) {
  if (!on) return std::string(text);
  return fmt::format("\x1b[{}m{}\x1b[0m", ansi_code, text);
}

std::string_view decision_colour(Decision decision) {
  switch (decision) {
    case Decision::allow:
      return "1;32";
    case Decision::warn:
      return "1;33";
    case Decision::block:
      return "1;31";
  }
  return "0";
}

}  // namespace heinrich
