#include "heinrich/policy/data_dir.hpp"

#include <unistd.h>

#include <system_error>

#ifndef HEINRICH_INSTALL_DATADIR
#define HEINRICH_INSTALL_DATADIR "/usr/local/share/heinrich"
#endif
#ifndef HEINRICH_HELPER_DIR
#define HEINRICH_HELPER_DIR "lib/heinrich"
#endif
#ifndef HEINRICH_BIN_DIR
#define HEINRICH_BIN_DIR "bin"
#endif

namespace heinrich {

namespace fs = std::filesystem;

namespace {

fs::path running_binary() {
  std::error_code error;
  fs::path self = fs::read_symlink("/proc/self/exe", error);
  return error ? fs::path{} : self;
}

fs::path prefix_of(const fs::path& self) {
  const fs::path directory = self.parent_path();
  // From <prefix>/HEINRICH_HELPER_DIR: one level up per component.
  const fs::path helper_dir{HEINRICH_HELPER_DIR};
  fs::path prefix = directory;
  for (auto part = helper_dir.begin(); part != helper_dir.end(); ++part) prefix = prefix.parent_path();
  if (prefix / helper_dir == directory) return prefix;
  return directory.parent_path();
}

// The executable `name` in `<prefix>/directory`, else beside this binary (a
// build tree). The install's own place comes first, so a stale copy left
// beside heinrich by an older install (which put heinrich-git in bin/) never
// wins over the one this install brought.
fs::path find_sibling(const char* name, const char* directory) {
  const fs::path self = running_binary();
  if (self.empty()) return {};
  for (const fs::path& candidate : {prefix_of(self) / directory / name, self.parent_path() / name})
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  return {};
}

}  // namespace

fs::path running_prefix() {
  const fs::path self = running_binary();
  return self.empty() ? fs::path{} : prefix_of(self);
}

std::vector<fs::path> installed_policy_directories() {
  std::vector<fs::path> directories;
  if (const fs::path prefix = running_prefix(); !prefix.empty())
    directories.push_back(prefix / "share/heinrich/policies");
  directories.push_back(fs::path(HEINRICH_INSTALL_DATADIR) / "policies");
  return directories;
}

fs::path heinrich_git_path() {
  return find_sibling("heinrich-git", HEINRICH_HELPER_DIR);
}

fs::path heinrich_path() {
  return find_sibling("heinrich", HEINRICH_BIN_DIR);
}

}  // namespace heinrich
