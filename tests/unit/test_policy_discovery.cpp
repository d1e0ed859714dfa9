#include <doctest/doctest.h>

#include <map>
#include <string>

#include "heinrich/policy/discovery.hpp"

using namespace heinrich;

namespace {

GetEnv environment(std::map<std::string, std::string> values) {
  return [values = std::move(values)](const char* name) -> std::optional<std::string> {
    const auto found = values.find(name);
    if (found == values.end()) return std::nullopt;
    return found->second;
  };
}

}  // namespace

TEST_SUITE("policy.discovery") {
  TEST_CASE("the calendar cache lives where the XDG base directory spec says") {
    using Env = std::map<std::string, std::string>;
    CHECK(calendar_cache_directory(environment(Env{{"HOME", "/home/ana"}})) == "/home/ana/.cache/heinrich");
    CHECK(calendar_cache_directory(environment(Env{{"HOME", "/home/ana"}, {"XDG_CACHE_HOME", "/var/c"}})) ==
          "/var/c/heinrich");
    // A relative XDG_CACHE_HOME is invalid and ignored (spec); so is an empty one.
    CHECK(calendar_cache_directory(environment(Env{{"HOME", "/home/ana"}, {"XDG_CACHE_HOME", "cache"}})) ==
          "/home/ana/.cache/heinrich");
    CHECK(calendar_cache_directory(environment(Env{{"HOME", "/home/ana"}, {"XDG_CACHE_HOME", ""}})) ==
          "/home/ana/.cache/heinrich");
    CHECK(calendar_cache_directory(environment(
              Env{{"HOME", "/home/ana"}, {"XDG_CACHE_HOME", "/var/c"}, {"HEINRICH_CACHE_DIR", "/tmp/h"}})) ==
          "/tmp/h");
    CHECK(calendar_cache_directory(environment(
              Env{{"HOME", "/home/ana"}, {"HEINRICH_CACHE_DIR", "rel/dir"}})) == "/home/ana/.cache/heinrich");
    CHECK(!calendar_cache_directory(environment(Env{})));
    CHECK(!calendar_cache_directory(environment(Env{{"HOME", "relative"}})));
  }

  TEST_CASE("HEINRICH_NO_CACHE turns the cache off, unless it is empty or 0") {
    using Env = std::map<std::string, std::string>;
    CHECK(!calendar_cache_directory(environment(Env{{"HOME", "/h"}, {"HEINRICH_NO_CACHE", "1"}})));
    CHECK(!calendar_cache_directory(
        environment(Env{{"HEINRICH_CACHE_DIR", "/tmp/h"}, {"HEINRICH_NO_CACHE", "yes"}})));
    CHECK(calendar_cache_directory(environment(Env{{"HOME", "/h"}, {"HEINRICH_NO_CACHE", "0"}})) ==
          "/h/.cache/heinrich");
    CHECK(calendar_cache_directory(environment(Env{{"HOME", "/h"}, {"HEINRICH_NO_CACHE", ""}})) ==
          "/h/.cache/heinrich");
  }
}
