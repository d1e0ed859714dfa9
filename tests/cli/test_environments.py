#!/usr/bin/env python3
"""Environments are a closed set: an unknown name is exit 2 with "did you mean"
in every command, never an ALLOW in which no prod rule applied; aliases
declared in [environments] (and GitLab's CI_ENVIRONMENT_NAME=production) mean
their environment. --ci and the hooks map refs through one matcher."""
import json
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import DEFAULT, child_env, heinrich  # noqa: E402

PAYDAY_MORNING = "2027-01-25T09:00"  # a Monday: payday (70) blocks prod, morning peak (25) alone allows


def check_json(*args, env=None):
    result = heinrich("check", "--policy", DEFAULT, "--at", PAYDAY_MORNING, "--format", "json", *args, env=env)
    return result, (json.loads(result.stdout) if result.stdout.strip() else None)


class UnknownNames(unittest.TestCase):
    def test_prod_blocks_on_payday_morning(self):
        result, data = check_json("--env", "prod")
        self.assertEqual(result.returncode, 1, result.stderr)
        self.assertEqual(data["decision"], "block")

    def test_a_misspelt_or_miscased_environment_is_a_usage_error(self):
        for name, suggestion in (("prdo", "prod"), ("PROD", "prod"), ("stagin", "staging")):
            with self.subTest(name=name):
                result = heinrich("check", "--policy", DEFAULT, "--at", PAYDAY_MORNING, "--env", name)
                self.assertEqual(result.returncode, 2, result.stdout)
                self.assertIn(f"unknown environment '{name}'; did you mean '{suggestion}'?", result.stderr)
                self.assertNotIn("ALLOW", result.stdout)

    def test_every_command_refuses_an_unknown_environment(self):
        commands = (
            ("next", "--policy", DEFAULT, "--env", "prdo"),
            ("calendar", "--policy", DEFAULT, "--from", "2027-01-01", "--months", "1", "--env", "prdo"),
            ("events", "--policy", DEFAULT, "--from", "2027-01-01", "--to", "2027-01-31", "--env", "prdo"),
        )
        for command in commands:
            with self.subTest(command=command[0]):
                result = heinrich(*command)
                self.assertEqual(result.returncode, 2, result.stdout)
                self.assertIn("unknown environment 'prdo'; did you mean 'prod'?", result.stderr)

    def test_a_plan_release_with_an_unknown_environment_is_a_positioned_error(self):
        with tempfile.TemporaryDirectory() as tmp:
            plan = os.path.join(tmp, "plan.csv")
            with open(plan, "w", encoding="utf-8") as handle:
                handle.write("service,environment,start,duration\napi,prod,2027-01-26T10:00,30m\n"
                             "web,prdo,2027-01-26T11:00,30m\n")
            result = heinrich("audit", "--policy", DEFAULT, "--plan", plan)
            self.assertEqual(result.returncode, 2, result.stdout)
            self.assertIn("plan.csv:3:", result.stderr)
            self.assertIn("unknown environment 'prdo'; did you mean 'prod'?", result.stderr)


class Aliases(unittest.TestCase):
    def test_an_alias_means_its_environment(self):
        _, prod = check_json("--env", "prod")
        for alias in ("production", "prd"):
            with self.subTest(alias=alias):
                result, data = check_json("--env", alias)
                self.assertEqual(result.returncode, 1, result.stderr)
                self.assertEqual(data["environment"], "prod")
                self.assertEqual(data, prod)

    def test_gitlab_environment_name_production_is_prod(self):
        env = child_env(GITLAB_CI="true", CI_ENVIRONMENT_NAME="production")
        result = heinrich("check", "--policy", DEFAULT, "--at", PAYDAY_MORNING, "--ci", "--format", "json", env=env)
        self.assertEqual(result.returncode, 1, result.stderr)
        self.assertEqual(json.loads(result.stdout)["environment"], "prod")
        env = child_env(GITLAB_CI="true", CI_ENVIRONMENT_NAME="prodution")
        result = heinrich("check", "--policy", DEFAULT, "--at", PAYDAY_MORNING, "--ci", env=env)
        self.assertEqual(result.returncode, 2)
        self.assertIn("did you mean 'production'?", result.stderr)


class OneRefMatcher(unittest.TestCase):
    """`--ci` reads [push] refs with the hooks' matcher: `*` stays in one
    segment and a bare name is a branch or a tag."""

    POLICY = """version = 1
timezone = "Asia/Seoul"
[[window]]
name = "freeze"
start = 2027-01-25T00:00:00
end = 2027-01-26T00:00:00
environments = ["prod"]
[push]
refs = { "main" = "prod", "refs/heads/release/*" = "prod", "refs/heads/**" = "dev" }
"""

    def run_ci(self, ref):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "heinrich.toml")
            with open(path, "w", encoding="utf-8") as handle:
                handle.write(self.POLICY)
            env = child_env(GITHUB_ACTIONS="true", GITHUB_REF=ref)
            result = heinrich("check", "--policy", path, "--at", PAYDAY_MORNING, "--ci", "--format", "json", env=env)
            return result, json.loads(result.stdout)

    def test_short_branch_names_match_under_ci_as_in_the_hooks(self):
        result, data = self.run_ci("refs/heads/main")
        self.assertEqual(result.returncode, 1, result.stderr)
        self.assertEqual(data["environment"], "prod")

    def test_star_does_not_cross_a_slash(self):
        result, data = self.run_ci("refs/heads/release/1.2/hotfix")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(data["environment"], "dev")
        result, data = self.run_ci("refs/heads/release/1.2")
        self.assertEqual(data["environment"], "prod")


if __name__ == "__main__":
    unittest.main()
