// heinrich-git's side of the git commands: registration and what they share.
#include "heinrich/cli/git_commands.hpp"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "heinrich/cli/git_command_support.hpp"
#include "heinrich/core/error.hpp"

namespace heinrich::cli {

void use_git_commands() {
  provide_git_commands(GitCommandFactories{&make_hook_command_in_process, &make_install_command_in_process,
                                           &make_audit_overrides_command_in_process});
}

std::string heinrich_binary() {
  std::error_code error;
  const auto self = std::filesystem::read_symlink("/proc/self/exe", error);
  if (error) return "heinrich";
  const auto beside = self.parent_path() / "heinrich";
  return ::access(beside.c_str(), X_OK) == 0 ? beside.string() : std::string("heinrich");
}

std::string section_source(std::string_view text, const std::string& path, std::string_view section) {
  const std::string header = "[" + std::string(section) + "]";
  int line = 1;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view current = text.substr(start, end - start);
    const std::size_t first = current.find_first_not_of(" \t");
    if (first != std::string_view::npos && current.substr(first, header.size()) == header)
      return path + ":" + std::to_string(line) + ":" + std::to_string(first + 1);
    ++line;
    start = end + 1;
  }
  return path;
}

std::string read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

}  // namespace heinrich::cli
