#include "heinrich/util/pattern.hpp"

#include <re2/re2.h>

#include "heinrich/util/error.hpp"

namespace heinrich {

namespace {

// RE2 matches in time linear in the text and compiles within a memory
// budget, so neither a pattern in a policy nor a ticket a pusher writes can
// buy unbounded work (std::regex backtracks exponentially on "^(a|aa)+$"
// and recurses once per character of the text).
constexpr std::int64_t kCompileMemory = 1 << 20;

RE2::Options options() {
  RE2::Options out;
  out.set_log_errors(false);
  out.set_max_mem(kCompileMemory);
  return out;
}

}  // namespace

struct Pattern::Impl {
  explicit Impl(std::string_view text) : regex(re2::StringPiece(text.data(), text.size()), options()) {}
  RE2 regex;
};

Pattern::Pattern(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
Pattern::~Pattern() = default;
Pattern::Pattern(Pattern&&) noexcept = default;
Pattern& Pattern::operator=(Pattern&&) noexcept = default;

Pattern Pattern::compile(std::string_view text) {
  if (text.size() > kMaxPatternLength)
    throw InputError("the pattern is " + std::to_string(text.size()) + " characters long; at most " +
                     std::to_string(kMaxPatternLength) + " are allowed");
  auto impl = std::make_unique<Impl>(text);
  if (!impl->regex.ok()) throw InputError(impl->regex.error());
  return Pattern(std::move(impl));
}

bool Pattern::search(std::string_view text) const {
  if (text.size() > kMaxTextLength) return false;
  return RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), m_impl->regex);
}

}  // namespace heinrich
