#pragma once
// Which build is running: the GNU build IDs (a hash of the linked code that
// the linker writes into every ELF object) of this program and of the
// shared libraries it has loaded whose file names contain one of `libraries`.
#include <initializer_list>
#include <string>
#include <string_view>

namespace heinrich {

struct BuildIds {
  std::string program;    // hex; empty if the program was linked without one
  std::string libraries;  // "name=hex;" for each library found, in load order
};

BuildIds loaded_build_ids(std::initializer_list<std::string_view> libraries);

}  // namespace heinrich
