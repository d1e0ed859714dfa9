#pragma once
// ANSI colour for the text renderers; callers decide when it is on (a TTY
// without NO_COLOR).
#include <string>
#include <string_view>

#include "heinrich/core/evaluator.hpp"

namespace heinrich {

std::string paint(bool on, std::string_view text, std::string_view ansi_code);
std::string_view decision_colour(Decision decision);

}  // namespace heinrich
