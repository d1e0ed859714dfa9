#pragma once
// Small text helpers shared by every layer ("did you mean …").
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace heinrich {

std::size_t edit_distance(std::string_view a, std::string_view b);
// The candidate closest to `word`, if it is close enough to be a plausible
// misspelling; otherwise "".
std::string closest_match(std::string_view word, const std::vector<std::string>& candidates);
std::string to_lower(std::string_view text);
std::string to_upper(std::string_view text);

}  // namespace heinrich
