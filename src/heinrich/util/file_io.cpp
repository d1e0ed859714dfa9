#include "heinrich/util/file_io.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "heinrich/util/error.hpp"

namespace heinrich {

namespace {

[[noreturn]] void fail(const std::string& path, const std::string& what, int error) {
  throw InputError("cannot write '" + path + "': " + what + ": " + std::strerror(error));
}

}  // namespace

std::optional<std::string> read_whole_file(const std::string& path, std::string& why, std::size_t max_bytes) {
  // O_NONBLOCK: opening a FIFO for reading would wait for a writer forever.
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    why = std::strerror(errno);
    return std::nullopt;
  }
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  struct stat info {};
  if (::fstat(fd, &info) != 0) {
    why = std::strerror(errno);
    return std::nullopt;
  }
  if (!S_ISREG(info.st_mode)) {
    why = S_ISDIR(info.st_mode)                            ? "it is a directory"
          : S_ISFIFO(info.st_mode)                         ? "it is a FIFO, not a regular file"
          : S_ISCHR(info.st_mode) || S_ISBLK(info.st_mode) ? "it is a device, not a regular file"
                                                           : "it is not a regular file";
    return std::nullopt;
  }
  auto too_large = [&] {
    why = "it is larger than " + std::to_string(max_bytes >> 20U) + " MiB";
    return std::nullopt;
  };
  if (static_cast<std::uintmax_t>(info.st_size) > max_bytes) return too_large();
  std::string text;
  text.reserve(static_cast<std::size_t>(info.st_size));
  char buffer[1 << 16];
  for (;;) {
    const ssize_t got = ::read(fd, buffer, sizeof buffer);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) {
      why = std::strerror(errno);
      return std::nullopt;
    }
    if (got == 0) break;
    // The file may grow while it is read: the limit holds for what is read.
    if (text.size() + static_cast<std::size_t>(got) > max_bytes) return too_large();
    text.append(buffer, static_cast<std::size_t>(got));
  }
  return text;
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

void write_file_atomically(const std::string& path, std::string_view content, mode_t mode,
                           Existing existing) {
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
  if (existing == Existing::refuse) {
    const int linked = ::link(temporary.c_str(), path.c_str());
    const int saved = errno;
    ::unlink(temporary.c_str());
    if (linked != 0 && saved == EEXIST)
      throw InputError("'" + path + "' already exists; it is left as it was");
    if (linked != 0) fail(path, "link", saved);
    return;
  }
  if (::rename(temporary.c_str(), path.c_str()) != 0) {
    const int saved = errno;
    ::unlink(temporary.c_str());
    fail(path, "rename", saved);
  }
}

}  // namespace heinrich
