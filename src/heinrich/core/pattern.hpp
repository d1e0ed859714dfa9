#pragma once
// Regular expressions (ECMAScript syntax), behind one small interface so the
// engine can change without touching callers. ICU's RegexPattern was tried:
// compiling one pattern cost ~8M instructions (2 ms) on every `check`.
#include <memory>
#include <string>
#include <string_view>

namespace heinrich {

class Pattern {
 public:
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
