#pragma once
// Regular expressions in RE2 syntax (Perl-like, without backreferences or
// lookaround), behind one small interface. RE2 matches in linear time and
// compiles within a memory budget; std::regex did neither, and ICU's
// RegexPattern cost ~8M instructions (2 ms) to compile on every `check`.
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace heinrich {

class Pattern {
 public:
  static constexpr std::size_t kMaxPatternLength = 1000;
  // Longer text never matches (an override ticket is an id, not an essay).
  static constexpr std::size_t kMaxTextLength = 200;
  // Throws InputError naming the problem and its offset in `text`.
  static Pattern compile(std::string_view text);
  ~Pattern();
  Pattern(Pattern&&) noexcept;
  Pattern& operator=(Pattern&&) noexcept;

  // True if the pattern matches a part of `text` (anchor it with ^…$ to match all).
  [[nodiscard]] bool search(std::string_view text) const;

 private:
  struct Impl;
  explicit Pattern(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> m_impl;
};

}  // namespace heinrich
