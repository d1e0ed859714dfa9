#pragma once
// Whole-file reads and writes that every layer shares.
#include <sys/types.h>

#include <optional>
#include <string>
#include <string_view>

namespace heinrich {

// The bytes of the file at `path`; nullopt, with `why` set to "it is a
// directory" or the system's reason, when it cannot be read.
std::optional<std::string> read_whole_file(const std::string& path, std::string& why);

// Writes all of `bytes` to `fd`, through short and interrupted writes;
// false, with errno set, when the system refuses.
bool write_all(int fd, std::string_view bytes);

// Writes `content` to a fresh temporary file beside `path` (mkstemp), gives
// it `mode`, syncs it and renames it over `path`: a reader sees the old file
// or the new one, never half, and two writers never share a temporary file.
// Throws InputError "cannot write 'PATH': WHAT: REASON".
void write_file_atomically(const std::string& path, std::string_view content, mode_t mode);

}  // namespace heinrich
