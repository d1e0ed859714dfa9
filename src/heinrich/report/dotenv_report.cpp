#include <string>

#include "heinrich/report/ci_report.hpp"
#include "heinrich/util/text.hpp"

namespace heinrich {

std::string render_dotenv(const CiReport& report) {
  return render_output_lines(report, [](std::string_view given) {
    std::string name = "HEINRICH_";
    for (char c : given) {
      if (c == '-') c = '_';
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')
        name += ascii_upper(c);
    }
    return name;
  });
}

}  // namespace heinrich
