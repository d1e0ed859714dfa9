#include "heinrich/cli/output_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "heinrich/util/error.hpp"
#include "heinrich/util/file_io.hpp"

namespace heinrich::cli {

void write_file_atomically(const std::string& path, std::string_view content) {
  // The result is a normal file people share, not mkstemp's 0600.
  const mode_t mask = ::umask(0);
  ::umask(mask);
  heinrich::write_file_atomically(path, content, 0666 & ~mask);
}

void append_to_file(const std::string& path, std::string_view content) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0666);
  if (fd < 0) throw InputError("cannot write '" + path + "': open: " + std::strerror(errno));
  if (!write_all(fd, content)) {
    const int saved = errno;
    ::close(fd);
    throw InputError("cannot write '" + path + "': write: " + std::strerror(saved));
  }
  ::close(fd);
}

}  // namespace heinrich::cli
