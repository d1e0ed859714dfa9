// `heinrich init`'s starter: validated input, escaped TOML, a [push] map
// guessed from ref names, and text the strict loader reads back as written.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "heinrich/policy/environments.hpp"
#include "heinrich/policy/policy.hpp"
#include "heinrich/policy/starter.hpp"
#include "heinrich/util/error.hpp"

using namespace heinrich;

namespace {

RepositoryRefs repo(std::vector<std::string> names, std::optional<std::string> head = "main") {
  RepositoryRefs refs;
  refs.in_repository = true;
  refs.names = std::move(names);
  refs.head_branch = std::move(head);
  refs.cap = 10000;
  return refs;
}

std::vector<std::pair<std::string, std::string>> pairs(const std::vector<PushGuess>& guesses) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& guess : guesses) out.emplace_back(guess.pattern, guess.environment);
  return out;
}

using Pairs = std::vector<std::pair<std::string, std::string>>;

}  // namespace

TEST_SUITE("policy.starter") {
  TEST_CASE("payday: a day of the month, -1 or none") {
    CHECK(parse_payday("25") == 25);
    CHECK(parse_payday("-1") == -1);
    CHECK(parse_payday("31") == 31);
    CHECK_FALSE(parse_payday("none").has_value());
    for (const char* bad : {"0", "32", "-2", "", "25x", "x", "+5", "99999999999"})
      CHECK_THROWS_AS(parse_payday(bad), InputError);
    CHECK(default_payday("kr") == 25);
    CHECK_FALSE(default_payday("us").has_value());
    CHECK(default_timezone("kr") == "Asia/Seoul");
    CHECK(default_timezone("us") == "America/New_York");
    CHECK_THROWS_AS(default_timezone("de"), InputError);
  }

  TEST_CASE("environments: printable, distinct, bounded") {
    CHECK(parse_environments("prod,staging") == std::vector<std::string>{"prod", "staging"});
    CHECK(parse_environments("live") == std::vector<std::string>{"live"});
    CHECK(parse_environments("eu prod,\"q\"") == std::vector<std::string>{"eu prod", "\"q\""});
    for (const char* bad : {"", "prod,", ",prod", "prod,,staging", "prod,prod", " prod", "prod\t", "pr\nod",
                            "pr\x1bod", "\xff"})
      CHECK_THROWS_AS(parse_environments(bad), InputError);
    CHECK_THROWS_AS(parse_environments(std::string(65, 'a')), InputError);
    std::string many;
    for (int i = 0; i < 17; ++i) many += (i == 0 ? "" : ",") + std::to_string(i);
    CHECK_THROWS_AS(parse_environments(many), InputError);
  }

  TEST_CASE("TOML strings and keys are escaped") {
    CHECK(toml_string("prod") == "\"prod\"");
    CHECK(toml_string("a\"b\\c") == "\"a\\\"b\\\\c\"");
    CHECK(toml_string("a\nb\x7f") == "\"a\\u000Ab\\u007F\"");
    CHECK(toml_key("prod-eu_1") == "prod-eu_1");
    CHECK(toml_key("eu prod") == "\"eu prod\"");
    CHECK(toml_key("a.b") == "\"a.b\"");
  }

  TEST_CASE("[push] guess: main or master, release/*, v* tags, environment branches") {
    const std::vector<std::string> envs{"prod", "staging"};
    CHECK(pairs(guess_push_map(repo({"refs/heads/main"}), envs)) == Pairs{{"refs/heads/main", "prod"}});
    CHECK(pairs(guess_push_map(repo({"refs/heads/master"}, "master"), envs)) ==
          Pairs{{"refs/heads/master", "prod"}});
    // A fresh clone: only main is local; the rest are origin's.
    CHECK(
        pairs(guess_push_map(repo({"refs/heads/main", "refs/remotes/origin/HEAD", "refs/remotes/origin/main",
                                   "refs/remotes/origin/release/1.0", "refs/remotes/origin/release/1.1",
                                   "refs/remotes/origin/staging", "refs/tags/v1.0.0", "refs/tags/nightly"}),
                             envs)) == Pairs{{"refs/heads/main", "prod"},
                                             {"refs/heads/release/*", "prod"},
                                             {"refs/tags/v*", "prod"},
                                             {"refs/heads/staging", "staging"}});
    // Tags that are not versions, "release-x" branches: nothing guessed from them.
    CHECK(pairs(guess_push_map(repo({"refs/heads/main", "refs/tags/vendor", "refs/tags/1.0",
                                     "refs/heads/release-1", "refs/heads/develop"}),
                               {"prod"})) == Pairs{{"refs/heads/main", "prod"}});
    CHECK(pairs(guess_push_map(repo({"refs/heads/main", "refs/heads/develop"}), envs)) ==
          Pairs{{"refs/heads/main", "prod"}, {"refs/heads/develop", "staging"}});
    // No main or master: the branch HEAD names, born or not.
    CHECK(pairs(guess_push_map(repo({}, "trunk"), envs)) == Pairs{{"refs/heads/trunk", "prod"}});
    CHECK(guess_push_map(repo({}, std::nullopt), envs).empty());
    CHECK(pairs(guess_push_map(RepositoryRefs{}, {"live"})) == Pairs{{"refs/heads/main", "live"}});
  }

  TEST_CASE("the starter reads back strictly, with its environments, payday and push map") {
    for (const char* country : {"kr", "us"}) {
      for (const std::optional<int> payday :
           {std::optional<int>(25), std::optional<int>(-1), std::optional<int>()}) {
        StarterOptions options;
        options.country = country;
        options.timezone = default_timezone(country);
        options.payday = payday;
        options.environments = {"prod", "eu \"blue\"\\x", "staging"};
        const RepositoryRefs refs = repo({"refs/heads/main", "refs/heads/staging", "refs/tags/v2"});
        const auto push = guess_push_map(refs, options.environments);
        const std::string text = starter_policy(options, refs, push);
        CAPTURE(text);
        const Policy policy = parse_policy(text, "heinrich.toml");
        CHECK(policy.zone->name() == options.timezone);
        CHECK(policy.environments.names == std::vector<std::string>{"eu \"blue\"\\x", "prod", "staging"});
        CHECK(resolve_environment(policy.environments, "production") == "prod");
        CHECK(environment_for_ref(policy.push, "refs/heads/main") == "prod");
        CHECK(environment_for_ref(policy.push, "refs/tags/v2.1") == "prod");
        CHECK(environment_for_ref(policy.push, "refs/heads/staging") == "staging");
        CHECK_FALSE(environment_for_ref(policy.push, "refs/heads/feature").has_value());
        const bool has_payday = text.find("\nname = \"payday\"") != std::string::npos;
        CHECK(has_payday == payday.has_value());
      }
    }
  }
}
