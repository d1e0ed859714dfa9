#pragma once
// Whole-file reads and writes that every layer shares.
#include <sys/types.h>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace heinrich {

// Policies, plans and holiday files are small; a larger file is refused.
inline constexpr std::size_t kMaxInputFileBytes = std::size_t{16} << 20U;

// The bytes of the regular file at `path`, at most `max_bytes` of them;
// nullopt, with `why` set, when it cannot be read, is not a regular file (a
// FIFO would block, /dev/zero never ends, a directory reads nothing) or is
// larger. Opening never blocks.
std::optional<std::string> read_whole_file(const std::string& path, std::string& why,
                                           std::size_t max_bytes = kMaxInputFileBytes);

// Writes all of `bytes` to `fd`, through short and interrupted writes;
// false, with errno set, when the system refuses.
bool write_all(int fd, std::string_view bytes);

// Writes `content` to a fresh temporary file beside `path` (mkstemp), gives
// it `mode`, syncs it and renames it over `path`: a reader sees the old file
// or the new one, never half, and two writers never share a temporary file.
// Throws InputError "cannot write 'PATH': WHAT: REASON".
enum class Existing { replace, refuse };
// With Existing::refuse, a file already at `path` (however it got there, up
// to the last moment) is an InputError and stays as it was: the new file is
// linked into place, never renamed over another.
void write_file_atomically(const std::string& path, std::string_view content, mode_t mode,
                           Existing existing = Existing::replace);

}  // namespace heinrich
