#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "heinrich/cli/commands.hpp"

namespace heinrich::cli {

int run_process(int argc, char** argv) {
  try {
    std::ios::sync_with_stdio(false);
    std::error_code error;
    const auto cwd = std::filesystem::current_path(error);
    const Io io{std::cout,
                std::cerr,
                isatty(STDOUT_FILENO) == 1,
                [](const char* name) -> std::optional<std::string> {
                  const char* value = std::getenv(name);
                  if (value == nullptr) return std::nullopt;
                  return std::string(value);
                },
                error ? std::string(".") : cwd.string(),
                isatty(STDERR_FILENO) == 1,
                {}};  // run() fills args
    const int status = run(argc, argv, io);
    std::cout.flush();
    return std::cout.good() ? status : kInternal;
  } catch (...) {
    std::cerr << "heinrich: internal error\n";
    return kInternal;
  }
}

}  // namespace heinrich::cli
