// libFuzzer target: what a pusher controls in a hook: the ref lines git
// writes to pre-push and pre-receive, and the commit message an override
// trailer is read from. Each must give a result or an InputError, never a
// crash, a hang or a sanitizer report.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "heinrich/git/override.hpp"
#include "heinrich/git/push.hpp"
#include "heinrich/util/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    (void)heinrich::git::parse_pre_push(text);
  } catch (const heinrich::InputError&) {
  }
  try {
    (void)heinrich::git::parse_pre_receive(text);
  } catch (const heinrich::InputError&) {
  }
  const std::string message(text);  // a commit message is a C string
  if (const auto trailer = heinrich::git::override_trailer(message.c_str())) {
    try {
      const auto request = heinrich::git::parse_override(*trailer, "trailer");
      // Escaped at ingestion: nothing a terminal or a CI log would act on.
      for (const char c : request.ticket + request.reason)
        if (c == '\n' || c == '\r' || c == '\x1b') __builtin_trap();
    } catch (const heinrich::InputError&) {
    }
  }
  return 0;
}
