# Every dependency is a Debian 12 package (see scripts/install-deps).
find_package(PkgConfig REQUIRED)
find_package(ICU 72 REQUIRED COMPONENTS uc i18n data)
find_package(fmt REQUIRED)
find_package(tomlplusplus REQUIRED)
find_package(CLI11 REQUIRED)
find_package(nlohmann_json 3.11 REQUIRED)
pkg_check_modules(LIBICAL REQUIRED IMPORTED_TARGET libical)
# Linear-time regular expressions for override tickets (core/pattern.cpp).
pkg_check_modules(RE2 REQUIRED IMPORTED_TARGET re2)
# Only heinrich-git links libgit2 (see src/CMakeLists.txt).
pkg_check_modules(LIBGIT2 REQUIRED IMPORTED_TARGET libgit2)
if(HEINRICH_TESTS)
  find_package(doctest REQUIRED)
  find_package(Python3 REQUIRED COMPONENTS Interpreter)
endif()
