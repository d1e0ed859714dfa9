#pragma once
// Escaping for XML and HTML output (JUnit, SARIF-adjacent, the HTML calendar).
#include <string>
#include <string_view>

namespace heinrich {

// The five predefined entities (&apos; is valid in HTML5 too), and the
// control characters XML 1.0 cannot carry dropped.
std::string escape_xml(std::string_view text);

}  // namespace heinrich
