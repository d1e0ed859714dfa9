#!/usr/bin/env python3
"""Whole-program tests of `heinrich check`: exit statuses, JSON and text output,
scoring, environments, local-time edge cases, the clock override and policy
discovery (DESIGN.md section 2).

Fixtures live in tests/data/policies/. Run alone:
    python3 tests/cli/test_check.py
(HEINRICH_BIN defaults to build-dev/src/heinrich, HEINRICH_SOURCE_DIR to the repository.)
"""
import json
import os
import re
import shutil
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import BIN, DEFAULT, NOW, POLICIES, SOURCE_DIR, UTC_RE, child_env, heinrich  # noqa: E402,F401

BASIC = os.path.join(POLICIES, "check_basic.toml")
ALLOW = os.path.join(POLICIES, "allow_windows.toml")


def header_line(policy, rule):
    """Line of the [[...]] header of the rule named `rule` in `policy`."""
    with open(policy, encoding="utf-8") as handle:
        lines = handle.read().split("\n")
    for index, line in enumerate(lines):
        if re.match(r'^name\s*=\s*"' + re.escape(rule) + '"', line):
            for back in range(index, -1, -1):
                if lines[back].startswith("[["):
                    return back + 1
    raise AssertionError(f"no rule {rule} in {policy}")


class CheckTestCase(unittest.TestCase):
    maxDiff = None

    def check_json(self, *args, policy=BASIC, status=None, env=None):
        result = heinrich("check", "--policy", policy, "--format", "json", *args, env=env)
        if status is not None:
            self.assertEqual(result.returncode, status, result.stdout + result.stderr)
        try:
            return json.loads(result.stdout), result
        except json.JSONDecodeError as error:
            raise AssertionError(f"stdout is not one JSON object ({error}):\n{result.stdout}\n{result.stderr}")

    def reasons_by_rule(self, data):
        return {reason["rule"]: reason for reason in data["reasons"]}


class ExitStatusTest(CheckTestCase):
    def test_allow_is_0(self):
        data, _ = self.check_json("--at", "2026-12-15T16:00", status=0)
        self.assertEqual(data["decision"], "allow")

    def test_warn_without_fail_on_is_0(self):
        data, _ = self.check_json("--at", "2026-12-16T12:00", status=0)
        self.assertEqual(data["decision"], "warn")

    def test_warn_with_fail_on_warn_is_1(self):
        data, _ = self.check_json("--at", "2026-12-16T12:00", "--fail-on", "warn", status=1)
        self.assertEqual(data["decision"], "warn")

    def test_warn_window_with_score_0(self):
        data, _ = self.check_json("--at", "2026-12-10T15:00", status=0)
        self.assertEqual((data["decision"], data["score"]), ("warn", 0))
        self.assertEqual([r["rule"] for r in data["reasons"]], ["audit-day"])
        self.assertEqual(data["reasons"][0]["action"], "warn")
        heinrich_result = heinrich("check", "--policy", BASIC, "--at", "2026-12-10T15:00", "--fail-on", "warn")
        self.assertEqual(heinrich_result.returncode, 1)

    def test_allow_with_fail_on_warn_is_0(self):
        self.check_json("--at", "2026-12-15T16:00", "--fail-on", "warn", status=0)

    def test_block_is_1(self):
        data, _ = self.check_json("--at", "2026-12-24T18:00", "--env", "prod", status=1)
        self.assertEqual(data["decision"], "block")

    def test_text_format_has_the_same_status(self):
        for at, status in (("2026-12-15T16:00", 0), ("2026-12-16T12:00", 0), ("2026-12-24T18:00", 1)):
            with self.subTest(at=at):
                self.assertEqual(heinrich("check", "--policy", BASIC, "--at", at).returncode, status)

    def test_block_by_score_is_1(self):
        # The default policy: Saturday 25 July 2026 pays on Friday the 24th; at 08:30
        # payday (70) and the morning peak (25) combine to 77.5, rounded 78 >= 70.
        data, _ = self.check_json("--at", "2026-07-24T08:30", "--env", "prod", policy=DEFAULT, status=1)
        self.assertEqual(data["decision"], "block")
        self.assertEqual(data["score"], 78)
        self.assertEqual(sorted(r["rule"] for r in data["reasons"]), ["morning-peak", "payday"])
        self.assertTrue(all(r["action"] == "score" for r in data["reasons"]), data["reasons"])


class UsageErrorTest(CheckTestCase):
    def assert_usage_error(self, args, *needles, env=None):
        result = heinrich(*args, env=env)
        self.assertEqual(result.returncode, 2, result.stdout + result.stderr)
        self.assertEqual(result.stdout, "", "errors go to stderr only")
        for needle in needles:
            self.assertIn(needle, result.stderr)
        return result

    def test_misspelt_option(self):
        self.assert_usage_error(["check", "--policy", BASIC, "--fromat", "json"], "did you mean '--format'?")

    def test_bad_format_value(self):
        self.assert_usage_error(["check", "--policy", BASIC, "--format", "xml"], "xml")

    def test_bad_fail_on_value(self):
        self.assert_usage_error(["check", "--policy", BASIC, "--fail-on", "never"], "never")

    def test_no_such_day(self):
        self.assert_usage_error(["check", "--policy", BASIC, "--at", "2026-02-30T10:00"], "2026-02-30")

    def test_garbage_time(self):
        self.assert_usage_error(["check", "--policy", BASIC, "--at", "tomorrow-ish"], "tomorrow-ish")

    def test_bad_duration(self):
        self.assert_usage_error(["check", "--policy", BASIC, "--at", "2026-12-15T16:00", "--duration", "2x"],
                                "2x")

    def test_local_time_in_dst_gap_names_the_gap(self):
        result = self.assert_usage_error(
            ["check", "--policy", BASIC, "--tz", "America/New_York", "--at", "2026-03-08T02:30"],
            "2026-03-08T02:30", "America/New_York")
        self.assertRegex(result.stderr, r"does not exist|gap")
        self.assertIn("02:00", result.stderr)
        self.assertIn("03:00", result.stderr)

    def test_dst_gap_with_explicit_offset_is_fine(self):
        data, _ = self.check_json("--tz", "America/New_York", "--at", "2026-03-08T02:30:00-05:00", status=0)
        self.assertEqual(data["at"], "2026-03-08T07:30:00Z")

    def test_unknown_tz_suggests(self):
        self.assert_usage_error(["check", "--policy", BASIC, "--tz", "Europe/Berln", "--at", "2026-12-15T16:00"],
                                "Europe/Berln", "did you mean 'Europe/Berlin'")

    def test_missing_policy_file(self):
        missing = os.path.join(tempfile.gettempdir(), "heinrich-no-such-dir", "policy.toml")
        self.assert_usage_error(["check", "--policy", missing, "--at", "2026-12-15T16:00"], missing)

    def test_policy_is_a_directory(self):
        with tempfile.TemporaryDirectory() as directory:
            result = self.assert_usage_error(["check", "--policy", directory, "--at", "2026-12-15T16:00"], directory)
            self.assertNotIn("has no 'version'", result.stderr,
                             "a directory is not an empty policy: say it cannot be read")

    def test_unknown_subcommand_suggests(self):
        self.assert_usage_error(["chek", "--policy", BASIC], "chek", "did you mean 'check'")

    def test_bad_heinrich_now(self):
        self.assert_usage_error(["check", "--policy", BASIC], "HEINRICH_NOW", env=child_env(now="yesterday"))

    def test_relative_heinrich_now_refused(self):
        self.assert_usage_error(["check", "--policy", BASIC], "HEINRICH_NOW", env=child_env(now="+2h"))


class HelpTest(unittest.TestCase):
    def test_help_names_every_environment_variable_the_code_reads(self):
        """Read from the sources, so a new variable cannot go undocumented."""
        names = set()
        for folder, _, files in os.walk(os.path.join(SOURCE_DIR, "src")):
            for name in files:
                with open(os.path.join(folder, name), encoding="utf-8") as handle:
                    names.update(re.findall(r'"(HEINRICH_[A-Z_]+)"', handle.read()))
        self.assertIn("HEINRICH_NO_CACHE", names)
        result = heinrich("help")
        self.assertEqual(result.returncode, 0)
        for name in sorted(names):
            self.assertIn(name, result.stdout)


class JsonTest(CheckTestCase):
    def test_fields_of_a_warn(self):
        data, _ = self.check_json("--at", "2026-12-16T12:00", status=0)
        self.assertEqual(data["decision"], "warn")
        self.assertEqual(data["score"], 75)
        self.assertEqual(data["at"], "2026-12-16T03:00:00Z")
        self.assertEqual(data["end"], "2026-12-16T03:30:00Z")  # at + the policy's 30m
        self.assertEqual(data["timezone"], "Asia/Seoul")
        self.assertIsNone(data["environment"])
        self.assertIs(data["clock_overridden"], True)
        reasons = self.reasons_by_rule(data)
        self.assertEqual(sorted(reasons), ["lunch-peak", "wednesday"])
        expected = {
            "wednesday": ("2026-12-15T15:00:00Z", "2026-12-16T15:00:00Z"),
            "lunch-peak": ("2026-12-16T02:00:00Z", "2026-12-16T05:00:00Z"),
        }
        for rule, (start, end) in expected.items():
            with self.subTest(rule=rule):
                reason = reasons[rule]
                for key in ("rule", "kind", "source", "event", "start", "end", "contribution", "action"):
                    self.assertIn(key, reason)
                self.assertEqual(reason["kind"], "factor")
                self.assertEqual(reason["source"], f"{BASIC}:{header_line(BASIC, rule)}:1")
                self.assertIsInstance(reason["event"], str)
                self.assertTrue(reason["event"])
                self.assertEqual((reason["start"], reason["end"]), (start, end))
                self.assertEqual(reason["contribution"], 50)
                self.assertEqual(reason["action"], "score")
        # The next safe start: Thursday 00:00 until 09:30 (lunch-peak at 11:00 minus 1h30 of exposure).
        self.assertEqual(data["next_safe"], {"start": "2026-12-16T15:00:00Z", "end": "2026-12-17T00:30:00Z", "score": 0})

    def test_fields_of_a_block(self):
        data, _ = self.check_json("--at", "2026-12-24T18:00", status=1)
        self.assertEqual(data["decision"], "block")
        for key in ("at", "end"):
            self.assertRegex(data[key], UTC_RE)
        freeze = self.reasons_by_rule(data)["year-end-freeze"]
        self.assertEqual(freeze["kind"], "window")
        self.assertEqual(freeze["action"], "block")
        self.assertEqual(freeze["source"], f"{BASIC}:{header_line(BASIC, 'year-end-freeze')}:1")
        self.assertEqual((freeze["start"], freeze["end"]), ("2026-12-23T15:00:00Z", "2027-01-04T00:00:00Z"))
        self.assertEqual(freeze["event"], "year-end-freeze")
        for reason in data["reasons"]:
            self.assertRegex(reason["start"], UTC_RE)
            self.assertRegex(reason["end"], UTC_RE)
            self.assertRegex(reason["source"], r"^.+:\d+:\d+$")
        next_safe = data["next_safe"]
        self.assertEqual(sorted(next_safe), ["end", "score", "start"])
        self.assertEqual(next_safe["start"], "2027-01-04T00:00:00Z")  # Monday 09:00, when the freeze ends
        self.assertRegex(next_safe["end"], UTC_RE)
        self.assertLess(next_safe["score"], 40)

    def test_allowed_has_no_reasons_and_no_next_safe(self):
        data, _ = self.check_json("--at", "2026-12-15T16:00", status=0)
        self.assertEqual((data["decision"], data["score"], data["reasons"]), ("allow", 0, []))
        self.assertIsNone(data["next_safe"])

    def test_at_with_offset_and_z(self):
        for at in ("2026-12-16T12:00:00+09:00", "2026-12-16T03:00:00Z", "2026-12-16 12:00", "2026-12-16T12:00:00"):
            with self.subTest(at=at):
                data, _ = self.check_json("--at", at, status=0)
                self.assertEqual(data["at"], "2026-12-16T03:00:00Z")

    def test_duration_sets_end_and_intervals_are_half_open(self):
        # Exposure [08:00, 11:00) does not touch lunch-peak [11:00, 14:00); one more minute does.
        data, _ = self.check_json("--at", "2026-12-16T08:00", "--duration", "2h", status=0)
        self.assertEqual((data["end"], data["score"]), ("2026-12-16T01:00:00Z", 50))
        data, _ = self.check_json("--at", "2026-12-16T08:00", "--duration", "2h1m", status=0)
        self.assertEqual((data["end"], data["score"]), ("2026-12-16T01:01:00Z", 75))
        data, _ = self.check_json("--at", "2026-12-16T08:00", "--duration", "PT2H1M", status=0)
        self.assertEqual(data["score"], 75)

    def test_tz_changes_reading_and_display(self):
        data, _ = self.check_json("--tz", "Europe/Berlin", "--at", "2026-12-16T04:00", status=0)
        self.assertEqual(data["timezone"], "Europe/Berlin")
        self.assertEqual(data["at"], "2026-12-16T03:00:00Z")
        self.assertEqual(data["score"], 75)

    def test_clock_not_overridden_without_heinrich_now(self):
        data, _ = self.check_json("--at", "2026-12-15T16:00", status=0, env=child_env(now=None))
        self.assertIs(data["clock_overridden"], False)


class ScoreTest(CheckTestCase):
    def test_two_fifties_make_75(self):
        data, _ = self.check_json("--at", "2026-12-16T12:00", status=0)
        self.assertEqual(data["score"], 75)
        self.assertEqual(sorted(r["contribution"] for r in data["reasons"]), [50, 50])

    def test_one_fifty_is_50(self):
        data, _ = self.check_json("--at", "2026-12-16T08:00", status=0)
        self.assertEqual(data["score"], 50)
        self.assertEqual([r["rule"] for r in data["reasons"]], ["wednesday"])

    def test_combination_never_exceeds_100_and_rounds(self):
        with tempfile.TemporaryDirectory() as directory:
            policy = os.path.join(directory, "three.toml")
            with open(policy, "w", encoding="utf-8") as handle:
                handle.write('version = 1\ntimezone = "UTC"\n[thresholds]\nwarn = 95\nblock = 100\n')
                for name in ("a", "b", "c"):
                    handle.write(f'[[factor]]\nname = "{name}"\ntime = "00:00-24:00"\nrisk = 50\n')
                handle.write('[[factor]]\nname = "certain"\ndays = ["mon"]\nrisk = 100\n')
            # 100 * (1 - 0.5^3) = 87.5
            data, _ = self.check_json("--at", "2026-12-15T12:00", policy=policy, status=0)
            self.assertIn(data["score"], (87, 88))
            self.assertEqual(data["decision"], "allow")
            data, _ = self.check_json("--at", "2026-12-14T12:00", policy=policy, status=1)
            self.assertEqual(data["score"], 100)


class EnvironmentTest(CheckTestCase):
    AT = "2026-12-24T18:00"  # Thursday: the prod freeze and the staging factor both apply

    def test_without_env_every_rule_applies(self):
        data, _ = self.check_json("--at", self.AT, status=1)
        self.assertIsNone(data["environment"])
        self.assertEqual(sorted(self.reasons_by_rule(data)), ["staging-rebuild", "year-end-freeze"])
        self.assertEqual(data["score"], 45)
        text = heinrich("check", "--policy", BASIC, "--at", self.AT).stdout
        self.assertIn("all environments", text)

    def test_prod_sees_only_prod_and_unscoped_rules(self):
        data, _ = self.check_json("--at", self.AT, "--env", "prod", status=1)
        self.assertEqual(data["environment"], "prod")
        self.assertEqual(sorted(self.reasons_by_rule(data)), ["year-end-freeze"])
        self.assertEqual(data["score"], 0)

    def test_staging_is_not_frozen(self):
        data, _ = self.check_json("--at", self.AT, "--env", "staging", status=0)
        self.assertEqual((data["decision"], data["score"], data["environment"]), ("warn", 45, "staging"))
        self.assertEqual(sorted(self.reasons_by_rule(data)), ["staging-rebuild"])
        self.assertEqual(data["next_safe"]["start"], "2026-12-24T11:00:00Z")  # 20:00, when staging-rebuild ends

    def test_an_environment_the_policy_does_not_name_is_an_error_not_an_allow(self):
        result = heinrich("check", "--policy", BASIC, "--at", self.AT, "--env", "dev")
        self.assertEqual(result.returncode, 2, result.stdout)
        self.assertIn("unknown environment 'dev' (known: prod, staging)", result.stderr)


class AllowWindowTest(CheckTestCase):
    def test_inside_office_hours(self):
        for at in ("2026-12-15T10:00", "2026-12-15T15:30"):  # the deploy (30m) must end inside the window
            with self.subTest(at=at):
                data, _ = self.check_json("--at", at, "--env", "prod", policy=ALLOW, status=0)
                self.assertEqual(data["decision"], "allow")

    def test_outside_office_hours_is_blocked(self):
        data, _ = self.check_json("--at", "2026-12-15T15:31", "--env", "prod", policy=ALLOW, status=1)
        self.assertEqual(data["decision"], "block")
        self.assertIn("outside-allowed-windows", self.reasons_by_rule(data))
        self.assertEqual(data["next_safe"]["start"], "2026-12-16T01:00:00Z")  # Wednesday 10:00

    def test_outside_reason_source_is_a_position(self):
        data, _ = self.check_json("--at", "2026-12-15T15:31", "--env", "prod", policy=ALLOW, status=1)
        reason = self.reasons_by_rule(data)["outside-allowed-windows"]
        self.assertEqual(reason["source"], f"{ALLOW}:{header_line(ALLOW, 'office-hours')}:1",
                         "every reason's source is file:line:col; here the allow window that was missed")

    def test_allow_windows_are_scoped(self):
        data, _ = self.check_json("--at", "2026-12-15T15:31", "--env", "staging", policy=ALLOW, status=0)
        self.assertEqual(data["decision"], "allow")

    def test_deny_beats_allow(self):
        data, _ = self.check_json("--at", "2026-12-15T12:30", "--env", "prod", policy=ALLOW, status=1)
        self.assertEqual(sorted(self.reasons_by_rule(data)), ["release-train-maintenance"])


class LocalTimeTest(CheckTestCase):
    def test_ambiguous_time_takes_the_earlier_instant_and_says_so(self):
        args = ("--tz", "Europe/Berlin", "--at", "2026-10-25T02:30")
        data, _ = self.check_json(*args, status=0)
        self.assertEqual(data["at"], "2026-10-25T00:30:00Z")  # 02:30 CEST, not 02:30 CET (01:30Z)
        notes = " ".join(data.get("notes", []))
        self.assertRegex(notes, r"twice|ambiguous")
        self.assertIn("earlier", notes)
        text = heinrich("check", "--policy", BASIC, *args)
        self.assertEqual(text.returncode, 0)
        self.assertRegex(text.stdout + text.stderr, r"(?m)^note: .*(twice|ambiguous)")

    def test_heinrich_now_and_relative_at(self):
        data, _ = self.check_json("--at", "+2h", status=0)
        self.assertEqual(data["at"], "2026-12-14T03:00:00Z")  # 10:00 +09:00 plus two hours
        self.assertIs(data["clock_overridden"], True)
        data, _ = self.check_json("--at", "+1d30m", status=0)
        self.assertEqual(data["at"], "2026-12-15T01:30:00Z")

    def test_heinrich_now_is_the_default_at(self):
        data, _ = self.check_json(status=0, env=child_env(now="2026-12-16T12:00"))
        self.assertEqual(data["at"], "2026-12-16T03:00:00Z")  # local in the policy's zone
        self.assertEqual(data["score"], 75)
        data, _ = self.check_json("--at", "now", status=0, env=child_env(now="2026-12-16T03:00:00Z"))
        self.assertEqual(data["at"], "2026-12-16T03:00:00Z")

    def test_text_says_the_clock_is_overridden(self):
        result = heinrich("check", "--policy", BASIC, "--at", "+2h")
        self.assertRegex(result.stdout + result.stderr, r"HEINRICH_NOW|overridden")


class TextTest(CheckTestCase):
    def test_block_text(self):
        result = heinrich("check", "--policy", BASIC, "--at", "2026-12-24T18:00")
        self.assertEqual(result.returncode, 1)
        self.assertRegex(result.stdout, r"(?i)\bblock\b")
        for rule in ("year-end-freeze", "staging-rebuild"):
            self.assertIn(rule, result.stdout)
            self.assertIn(f"{BASIC}:{header_line(BASIC, rule)}:1", result.stdout)
        self.assertNotIn("\x1b[", result.stdout, "no colour with NO_COLOR and no TTY")
        self.assertEqual(result.stderr, "")

    def test_warn_and_allow_text(self):
        result = heinrich("check", "--policy", BASIC, "--at", "2026-12-16T12:00")
        self.assertRegex(result.stdout, r"(?i)\bwarn\b")
        self.assertIn("75", result.stdout)
        for rule in ("wednesday", "lunch-peak"):
            self.assertIn(f"{BASIC}:{header_line(BASIC, rule)}:1", result.stdout)
        result = heinrich("check", "--policy", BASIC, "--at", "2026-12-15T16:00")
        self.assertRegex(result.stdout, r"(?i)\ballow\b")


class DiscoveryTest(CheckTestCase):
    def setUp(self):
        self.root = tempfile.mkdtemp(prefix="heinrich-discovery-")
        self.cwd = os.path.join(self.root, "repo", "sub", "dir")
        os.makedirs(self.cwd)

    def tearDown(self):
        shutil.rmtree(self.root, ignore_errors=True)

    def discovered(self, env=None):
        result = heinrich("check", "--at", "2026-12-16T12:00", "--format", "json", cwd=self.cwd, env=env)
        self.assertEqual(result.returncode, 0, result.stderr)
        return json.loads(result.stdout)

    def test_heinrich_toml_in_a_parent(self):
        found = os.path.join(self.root, "repo", "heinrich.toml")
        shutil.copy(BASIC, found)
        data = self.discovered()
        self.assertTrue(os.path.samefile(os.path.join(self.cwd, data["policy"]), found), data["policy"])
        self.assertEqual(data["score"], 75)

    def test_nearest_wins_and_dot_file_counts(self):
        shutil.copy(BASIC, os.path.join(self.root, "repo", "heinrich.toml"))
        nearer = os.path.join(self.root, "repo", "sub", ".heinrich.toml")
        with open(nearer, "w", encoding="utf-8") as handle:
            handle.write('version = 1\ntimezone = "UTC"\n')
        data = self.discovered()
        self.assertTrue(os.path.samefile(os.path.join(self.cwd, data["policy"]), nearer), data["policy"])
        self.assertEqual((data["decision"], data["timezone"]), ("allow", "UTC"))

    def test_env_and_flag_beat_discovery(self):
        shutil.copy(BASIC, os.path.join(self.root, "repo", "heinrich.toml"))
        data = self.discovered(env=child_env(HEINRICH_POLICY=ALLOW))
        self.assertTrue(os.path.samefile(data["policy"], ALLOW))
        result = heinrich("check", "--policy", DEFAULT, "--at", "2026-12-16T12:00", "--format", "json",
                          cwd=self.cwd, env=child_env(HEINRICH_POLICY=ALLOW))
        self.assertTrue(os.path.samefile(json.loads(result.stdout)["policy"], DEFAULT))


if __name__ == "__main__":
    if not os.access(BIN, os.X_OK):
        sys.exit(f"HEINRICH_BIN={BIN} is not an executable")
    unittest.main()
