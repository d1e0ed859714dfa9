#include "heinrich/core/pattern.hpp"

#include <unicode/regex.h>

#include "heinrich/core/error.hpp"

namespace heinrich {

struct Pattern::Impl {
  std::unique_ptr<icu::RegexPattern> pattern;
};

namespace {
icu::UnicodeString to_unicode(std::string_view text) {
  return icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
}
}  // namespace

Pattern::Pattern(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
Pattern::~Pattern() = default;
Pattern::Pattern(Pattern&&) noexcept = default;
Pattern& Pattern::operator=(Pattern&&) noexcept = default;

Pattern Pattern::compile(std::string_view text) {
  UParseError where{};
  UErrorCode status = U_ZERO_ERROR;
  auto impl = std::make_unique<Impl>();
  impl->pattern.reset(icu::RegexPattern::compile(to_unicode(text), 0, where, status));
  if (U_FAILURE(status) || !impl->pattern)
    throw InputError(std::string(u_errorName(status)) + " at offset " + std::to_string(where.offset));
  return Pattern(std::move(impl));
}

bool Pattern::search(std::string_view text) const {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::RegexMatcher> matcher(m_impl->pattern->matcher(to_unicode(text), status));
  if (U_FAILURE(status) || !matcher) return false;
  const bool found = matcher->find(status);
  return U_SUCCESS(status) && found;
}

}  // namespace heinrich
