#include "heinrich/policy/data_dir.hpp"

#include <system_error>

#ifndef HEINRICH_INSTALL_DATADIR
#define HEINRICH_INSTALL_DATADIR "/usr/local/share/heinrich"
#endif

namespace heinrich {

std::vector<std::filesystem::path> installed_policy_directories() {
  namespace fs = std::filesystem;
  std::vector<fs::path> directories;
  std::error_code error;
  const fs::path exe = fs::read_symlink("/proc/self/exe", error);
  if (!error) directories.push_back(exe.parent_path().parent_path() / "share/heinrich/policies");
  directories.push_back(fs::path(HEINRICH_INSTALL_DATADIR) / "policies");
  return directories;
}

}  // namespace heinrich
