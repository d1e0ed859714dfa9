// Environments are a closed set, and one matcher maps refs to them for the
// hooks and for `--ci` alike.
#include <doctest/doctest.h>

#include <string>

#include "heinrich/policy/environments.hpp"
#include "heinrich/policy/policy.hpp"
#include "heinrich/util/diagnostic.hpp"

using namespace heinrich;

namespace {

const char* const kPolicy = R"(version = 1
timezone = "Asia/Seoul"
[environments]
prod = { aliases = ["production", "prd"] }
staging = {}
[[factor]]
name = "late"
time = "22:00-24:00"
risk = 50
environments = ["production"]
[push]
refs = { "main" = "prd", "refs/heads/release/*" = "prod", "refs/heads/staging" = "staging" }
)";

std::string error_of(const std::string& text) {
  try {
    (void)parse_policy(text, "p.toml");
  } catch (const SourceError& error) {
    return error.render();
  }
  return "";
}

}  // namespace

TEST_SUITE("policy.environments") {
  TEST_CASE("refs map to environments in file order, the same for hooks and CI") {
    PushMapping mapping;
    mapping.refs = {{"refs/heads/main", "prod"},
                    {"refs/heads/release/*", "prod"},
                    {"refs/tags/v*", "prod"},
                    {"staging", "staging"},
                    {"refs/heads/**", "dev"}};
    CHECK(environment_for_ref(mapping, "refs/heads/main") == "prod");
    CHECK(environment_for_ref(mapping, "refs/heads/release/2.0") == "prod");
    CHECK(environment_for_ref(mapping, "refs/tags/v2") == "prod");
    CHECK(environment_for_ref(mapping, "refs/heads/staging") == "staging");  // a bare name is a branch or tag
    CHECK(environment_for_ref(mapping, "refs/tags/staging") == "staging");
    // `*` stays in one segment (fnmatch without FNM_PATHNAME let it cross).
    CHECK(environment_for_ref(mapping, "refs/heads/release/1.2/hotfix") == "dev");
    CHECK(environment_for_ref(mapping, "refs/heads/feature/x") == "dev");
    CHECK_FALSE(environment_for_ref(mapping, "refs/notes/heinrich").has_value());
    PushMapping short_names;
    short_names.refs = {{"main", "prod"}};
    CHECK(environment_for_ref(short_names, "refs/heads/main") == "prod");
    CHECK_FALSE(environment_for_ref(short_names, "refs/heads/mainline").has_value());
  }

  TEST_CASE("declared names and aliases resolve; rules and [push] are stored under the canonical name") {
    const Policy policy = parse_policy(kPolicy, "p.toml");
    CHECK(policy.environments.declared);
    CHECK(policy.environments.names == std::vector<std::string>{"prod", "staging"});
    CHECK(resolve_environment(policy.environments, "prod") == "prod");
    CHECK(resolve_environment(policy.environments, "production") == "prod");
    CHECK(resolve_environment(policy.environments, "prd") == "prod");
    CHECK(policy.rules.rules.at(0).environments == std::vector<std::string>{"prod"});
    CHECK(environment_for_ref(policy.push, "refs/heads/main") == "prod");
  }

  TEST_CASE("an unknown name is an error with did-you-mean, never a silent allow") {
    const Policy policy = parse_policy(kPolicy, "p.toml");
    auto message = [&](const std::string& name) {
      try {
        (void)resolve_environment(policy.environments, name);
      } catch (const InputError& error) {
        return std::string(error.what());
      }
      return std::string("(accepted)");
    };
    CHECK(message("prdo") == "unknown environment 'prdo'; did you mean 'prod'? (known: prod, staging)");
    CHECK(message("PROD") == "unknown environment 'PROD'; did you mean 'prod'? (known: prod, staging)");
    CHECK(message("qa") == "unknown environment 'qa' (known: prod, staging)");
    CHECK(message(std::string(1'000'000, 'x')).find("unknown environment") == 0);
  }

  TEST_CASE("without [environments], the names the policy uses are the set") {
    const Policy policy = parse_policy(R"(version = 1
timezone = "Asia/Seoul"
[defaults]
environment = "prod"
[[factor]]
name = "late"
time = "22:00-24:00"
risk = 50
environments = ["canary"]
[push]
refs = { "main" = "prod", "develop" = "dev" }
)",
                                       "p.toml");
    CHECK_FALSE(policy.environments.declared);
    CHECK(policy.environments.names == std::vector<std::string>{"canary", "dev", "prod"});
    CHECK_THROWS_AS((void)resolve_environment(policy.environments, "production"), InputError);
    const Policy bare = parse_policy("version = 1\ntimezone = \"Asia/Seoul\"\n", "p.toml");
    CHECK_THROWS_WITH_AS((void)resolve_environment(bare.environments, "prod"),
                         doctest::Contains("this policy names no environments"), InputError);
  }

  TEST_CASE("with [environments], a rule, [push] or [defaults] naming another is a positioned error") {
    const std::string head = "version = 1\ntimezone = \"Asia/Seoul\"\n[environments]\nprod = {}\n";
    CHECK(error_of(head +
                   "[[factor]]\nname = \"f\"\ntime = \"22:00-24:00\"\nrisk = 5\nenvironments = [\"prdo\"]\n")
              .find("p.toml:9:17: error: unknown environment 'prdo'; did you mean 'prod'?") == 0);
    CHECK(error_of(head + "[push]\nrefs = { main = \"staging\" }\n")
              .find("p.toml:6:17: error: unknown environment 'staging'") == 0);
    CHECK(error_of(head + "[defaults]\nenvironment = \"Prod\"\n")
              .find("p.toml:6:15: error: unknown environment 'Prod'") == 0);
    CHECK(error_of(head + "staging = { aliases = [\"prod\"] }\n").find("alias 'prod' is already declared") !=
          std::string::npos);
    CHECK(error_of(head + "qa = { alias = [\"q\"] }\n").find("unknown key 'alias'") != std::string::npos);
  }
}
