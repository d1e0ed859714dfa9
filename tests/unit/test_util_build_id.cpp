#include <doctest/doctest.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

#include "heinrich/util/build_id.hpp"

using heinrich::loaded_build_ids;

namespace {

// binutils' readelf, an independent reader of the same ELF note.
std::string readelf_build_id(const std::string& path) {
  const std::unique_ptr<FILE, int (*)(FILE*)> pipe(
      ::popen(("readelf -n " + path + " 2>/dev/null").c_str(), "r"), ::pclose);
  if (!pipe) return {};
  std::string output;
  std::array<char, 512> buffer{};
  while (std::fgets(buffer.data(), buffer.size(), pipe.get()) != nullptr) output += buffer.data();
  const auto at = output.find("Build ID: ");
  if (at == std::string::npos) return {};
  const auto start = at + 10;
  return output.substr(start, output.find_first_of("\r\n", start) - start);
}

}  // namespace

TEST_SUITE("util.build_id") {
  TEST_CASE("the program's build ID is the one readelf reads from the binary") {
    // Resolved here: in the shell popen starts, /proc/self is the shell.
    const std::string expected = readelf_build_id(std::filesystem::read_symlink("/proc/self/exe").string());
    if (expected.empty()) {
      MESSAGE("readelf is not installed or the binary has no build ID; nothing to compare");
      return;
    }
    CHECK(loaded_build_ids({}).program == expected);
  }

  TEST_CASE("the libraries asked for are listed by name, with their IDs; no others") {
    const auto ids = loaded_build_ids({"libical", "libicuuc"});
    CHECK(ids.libraries.find("libical.so") != std::string::npos);
    CHECK(ids.libraries.find("libicuuc.so") != std::string::npos);
    CHECK(ids.libraries.find("libicui18n") == std::string::npos);
    CHECK(ids.libraries.find("libc.so") == std::string::npos);
    CHECK(ids.libraries.find("=;") == std::string::npos);  // each has an ID on Debian
    CHECK(loaded_build_ids({}).libraries.empty());
  }
}
