#include <algorithm>
#include <string>

#include "heinrich/report/ci_report.hpp"
#include "heinrich/util/text.hpp"

namespace heinrich {

std::string render_dotenv(const CiReport& report) {
  std::string out;
  for (const CiOutput& output : report.outputs) {
    std::string name = "HEINRICH_";
    for (char c : output.name) {
      if (c == '-') c = '_';
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')
        name += ascii_upper(c);
    }
    // GitLab reads a value to the end of its line: a line break would end it
    // early and start a variable of its own.
    std::string value = output.value;
    std::replace_if(
        value.begin(), value.end(), [](char c) { return c == '\r' || c == '\n'; }, ' ');
    out += name + "=" + value + "\n";
  }
  return out;
}

}  // namespace heinrich
