// GCC 12 reports a false "may be used uninitialized" inside <regex> when
// optimising with sanitizers (GCC bug 105562); it is in libstdc++, not here.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

#include "heinrich/core/pattern.hpp"

#include <regex>

#include "heinrich/core/error.hpp"

namespace heinrich {

struct Pattern::Impl {
  std::regex regex;
};

Pattern::Pattern(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
Pattern::~Pattern() = default;
Pattern::Pattern(Pattern&&) noexcept = default;
Pattern& Pattern::operator=(Pattern&&) noexcept = default;

Pattern Pattern::compile(std::string_view text) {
  auto impl = std::make_unique<Impl>();
  try {
    impl->regex = std::regex(text.begin(), text.end(), std::regex::ECMAScript);
  } catch (const std::regex_error& error) {
    throw InputError(error.what());
  }
  return Pattern(std::move(impl));
}

bool Pattern::search(std::string_view text) const {
  return std::regex_search(text.begin(), text.end(), m_impl->regex);
}

}  // namespace heinrich
