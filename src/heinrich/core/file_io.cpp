#include "heinrich/core/file_io.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "heinrich/core/error.hpp"

namespace heinrich {

namespace {

[[noreturn]] void fail(const std::string& path, const std::string& what, int error) {
  throw InputError("cannot write '" + path + "': " + what + ": " + std::strerror(error));
}

}  // namespace

std::optional<std::string> read_whole_file(const std::string& path, std::string& why) {
  std::error_code error;
  // A directory opens as a stream that reads nothing.
  if (std::filesystem::is_directory(path, error)) {
    why = "it is a directory";
    return std::nullopt;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    why = std::strerror(errno);
    return std::nullopt;
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

bool write_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t written = ::write(fd, bytes.data(), bytes.size());
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(written));
  }
  return true;
}

void write_file_atomically(const std::string& path, std::string_view content, mode_t mode) {
  const std::filesystem::path target(path);
  std::error_code error;
  if (std::filesystem::is_directory(target, error))
    throw InputError("cannot write '" + path + "': it is a directory");
  const std::filesystem::path directory = target.has_parent_path() ? target.parent_path() : ".";
  std::string pattern = (directory / ("." + target.filename().string() + ".XXXXXX")).string();
  std::vector<char> name(pattern.begin(), pattern.end());
  name.push_back('\0');
  const int fd = ::mkstemp(name.data());
  if (fd < 0) fail(path, "cannot create a temporary file in " + directory.string(), errno);
  const std::string temporary(name.data());
  bool open = true;
  try {
    if (::fchmod(fd, mode) != 0) fail(path, "chmod", errno);
    if (!write_all(fd, content)) fail(path, "write", errno);
    if (::fsync(fd) != 0) fail(path, "fsync", errno);
    open = false;
    if (::close(fd) != 0) fail(path, "close", errno);
  } catch (...) {
    if (open) ::close(fd);
    ::unlink(temporary.c_str());
    throw;
  }
  if (::rename(temporary.c_str(), path.c_str()) != 0) {
    const int saved = errno;
    ::unlink(temporary.c_str());
    fail(path, "rename", saved);
  }
}

}  // namespace heinrich
