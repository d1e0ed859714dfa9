#include "heinrich/policy/discovery.hpp"

#include <filesystem>
#include <system_error>

#include "heinrich/policy/data_dir.hpp"
#include "heinrich/util/error.hpp"

namespace heinrich {

namespace fs = std::filesystem;

namespace {

bool is_file(const fs::path& path) {
  std::error_code error;
  return fs::is_regular_file(path, error);
}

std::optional<std::string> installed_default() {
  for (const fs::path& directory : installed_policy_directories())
    if (is_file(directory / "default.toml")) return (directory / "default.toml").string();
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

std::optional<fs::path> calendar_cache_directory(const GetEnv& getenv) {
  const auto set = [&](const char* name) -> std::optional<std::string> {
    auto value = getenv(name);
    if (value && !value->empty()) return value;
    return std::nullopt;
  };
  if (const auto off = set("HEINRICH_NO_CACHE"); off && *off != "0") return std::nullopt;
  // Relative paths would put the cache wherever a hook happens to run.
  if (const auto chosen = set("HEINRICH_CACHE_DIR"); chosen && fs::path(*chosen).is_absolute())
    return fs::path(*chosen);
  if (const auto xdg = set("XDG_CACHE_HOME"); xdg && fs::path(*xdg).is_absolute())
    return fs::path(*xdg) / "heinrich";
  if (const auto home = set("HOME"); home && fs::path(*home).is_absolute())
    return fs::path(*home) / ".cache" / "heinrich";
  return std::nullopt;
}

}  // namespace heinrich
