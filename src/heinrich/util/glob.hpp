#pragma once
// Path globs for `[change] sensitive_paths` and `[push] refs`: `*` and `?`
// stay inside one path segment, `**` as a whole segment spans any number of
// segments (zero included), `[abc]`, `[a-z]`, `[!a]` are character classes and
// `\` escapes. The same rules as .gitignore and GitHub's branch patterns, so
// `refs/heads/release/*` does not match `refs/heads/release/1.2/hotfix`.
#include <string_view>

namespace heinrich {

[[nodiscard]] bool glob_match(std::string_view pattern, std::string_view path);

}  // namespace heinrich
