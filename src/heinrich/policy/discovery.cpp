#include "heinrich/policy/discovery.hpp"

#include <filesystem>
#include <system_error>

#include "heinrich/core/error.hpp"

#ifndef HEINRICH_INSTALL_DATADIR
#define HEINRICH_INSTALL_DATADIR "/usr/local/share/heinrich"
#endif

namespace heinrich {

namespace fs = std::filesystem;

namespace {

bool is_file(const fs::path& path) {
  std::error_code error;
  return fs::is_regular_file(path, error);
}

std::optional<std::string> installed_default() {
  std::error_code error;
  // Next to the binary first, so a relocated install finds its own policy.
  const fs::path exe = fs::read_symlink("/proc/self/exe", error);
  if (!error) {
    const fs::path beside = exe.parent_path().parent_path() / "share/heinrich/policies/default.toml";
    if (is_file(beside)) return beside.string();
  }
  const fs::path configured = fs::path(HEINRICH_INSTALL_DATADIR) / "policies/default.toml";
  if (is_file(configured)) return configured.string();
  return std::nullopt;
}

}  // namespace

std::string discover_policy(const std::optional<std::string>& flag, const GetEnv& getenv,
                            const std::string& working_directory) {
  if (flag) return *flag;
  if (auto from_env = getenv("HEINRICH_POLICY"); from_env && !from_env->empty()) return *from_env;
  for (fs::path dir = working_directory; !dir.empty(); dir = dir.parent_path()) {
    for (const char* name : {"heinrich.toml", ".heinrich.toml"})
      if (is_file(dir / name)) return (dir / name).string();
    if (dir == dir.root_path()) break;
  }
  if (auto fallback = installed_default()) return *fallback;
  throw InputError(
      "no policy found: pass --policy FILE, set HEINRICH_POLICY, or add heinrich.toml to the repository");
}

}  // namespace heinrich
