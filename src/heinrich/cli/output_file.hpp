#pragma once
// Files the CLI writes for people and pipelines (-o FILE, the GitHub step
// summary).
#include <string>
#include <string_view>

namespace heinrich::cli {

// Writes `content` to a temporary file beside `path` and renames it over
// `path`, so a reader (a browser, a calendar subscription, a CI upload) never
// sees half a file. Throws InputError naming the path and the reason.
void write_file_atomically(const std::string& path, std::string_view content);

// Appends `content` to `path` (created if missing): $GITHUB_STEP_SUMMARY is
// shared by every step of a job.
void append_to_file(const std::string& path, std::string_view content);

}  // namespace heinrich::cli
