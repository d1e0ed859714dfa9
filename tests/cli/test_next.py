#!/usr/bin/env python3
"""Whole-program tests of `heinrich next`: JSON fields, --count, --within, a
search across a weekend freeze and across DST changes, and a cross-check of
every window it returns against `heinrich check`.

Fixtures live in tests/data/policies/. Run alone:
    python3 tests/cli/test_next.py
(HEINRICH_BIN defaults to build-dev/src/heinrich, HEINRICH_SOURCE_DIR to the repository.)
"""
import datetime
import json
import os
import re
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import BIN, DEFAULT, POLICIES, UTC_RE, child_env, heinrich, parse_utc  # noqa: E402,F401

WEEKEND = os.path.join(POLICIES, "weekend_freeze.toml")
BERLIN = os.path.join(POLICIES, "berlin_dst.toml")
BASIC = os.path.join(POLICIES, "check_basic.toml")
ALLOW = os.path.join(POLICIES, "allow_windows.toml")


def utc_text(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


class NextTestCase(unittest.TestCase):
    maxDiff = None

    def next_json(self, policy, *args, status=0):
        result = heinrich("next", "--policy", policy, "--format", "json", *args)
        self.assertEqual(result.returncode, status, result.stdout + result.stderr)
        try:
            return json.loads(result.stdout)
        except json.JSONDecodeError as error:
            raise AssertionError(f"stdout is not one JSON object ({error}):\n{result.stdout}\n{result.stderr}")

    def check_json(self, policy, at, *args):
        result = heinrich("check", "--policy", policy, "--format", "json", "--at", at, *args)
        self.assertIn(result.returncode, (0, 1), result.stdout + result.stderr)
        return json.loads(result.stdout)


class NextJsonTest(NextTestCase):
    def test_fields(self):
        data = self.next_json(WEEKEND, "--after", "2026-12-11T12:00")
        self.assertEqual(data["after"], "2026-12-11T03:00:00Z")
        self.assertEqual(data["duration"], "30m")
        self.assertIsNone(data["environment"])
        self.assertIsInstance(data["windows"], list)
        self.assertEqual(len(data["windows"]), 3)  # the default --count
        for window in data["windows"]:
            self.assertEqual(sorted(window), ["end", "score", "start"])
            self.assertRegex(window["start"], UTC_RE)
            self.assertRegex(window["end"], UTC_RE)
            self.assertIsInstance(window["score"], int)
            self.assertLessEqual(parse_utc(window["start"]), parse_utc(window["end"]))
        starts = [parse_utc(w["start"]) for w in data["windows"]]
        self.assertEqual(starts, sorted(starts))
        self.assertEqual(data["windows"][0],
                         {"start": "2026-12-11T03:00:00Z", "end": "2026-12-11T07:30:00Z", "score": 0})

    def test_environment_and_duration_are_echoed(self):
        data = self.next_json(WEEKEND, "--after", "2026-12-11T12:00", "--env", "prod", "--duration", "1h30m")
        self.assertEqual(data["environment"], "prod")
        self.assertEqual(data["duration"], "1h30m")
        # 1h30m + 1h of watch before Friday 18:00: the last safe start is 15:30.
        self.assertEqual(data["windows"][0]["end"], "2026-12-11T06:30:00Z")

    def test_count(self):
        for count in (1, 2, 5):
            with self.subTest(count=count):
                data = self.next_json(WEEKEND, "--after", "2026-12-11T12:00", "--count", str(count))
                self.assertEqual(len(data["windows"]), count)

    def test_bad_count_is_a_usage_error(self):
        for count in ("0", "-1", "many"):
            with self.subTest(count=count):
                result = heinrich("next", "--policy", WEEKEND, "--after", "2026-12-11T12:00", "--count", count)
                self.assertEqual(result.returncode, 2, result.stdout + result.stderr)

    def test_within_too_short_gives_no_windows(self):
        data = self.next_json(WEEKEND, "--after", "2026-12-11T17:00", "--within", "1h")
        self.assertEqual(data["windows"], [])
        text = heinrich("next", "--policy", WEEKEND, "--after", "2026-12-11T17:00", "--within", "1h")
        self.assertEqual(text.returncode, 0)
        self.assertIn("none", text.stdout)

    def test_window_cut_at_the_horizon(self):
        data = self.next_json(WEEKEND, "--after", "2026-12-11T12:00", "--within", "2h")
        self.assertEqual(data["windows"], [{"start": "2026-12-11T03:00:00Z", "end": "2026-12-11T05:00:00Z", "score": 0}])

    def test_bad_within_is_a_usage_error(self):
        for within in ("0m", "soon"):
            with self.subTest(within=within):
                result = heinrich("next", "--policy", WEEKEND, "--within", within)
                self.assertEqual(result.returncode, 2, result.stdout + result.stderr)

    def test_after_defaults_to_heinrich_now(self):
        data = self.next_json(WEEKEND)
        self.assertEqual(data["after"], "2026-12-14T01:00:00Z")
        self.assertEqual(data["windows"][0]["start"], "2026-12-14T01:00:00Z")  # Monday 10:00 is safe


class WeekendTest(NextTestCase):
    def test_next_across_the_weekend(self):
        # Friday 17:00: exposure reaches the freeze (18:00); the next start is Monday 08:00.
        data = self.next_json(WEEKEND, "--after", "2026-12-11T17:00", "--count", "2")
        self.assertEqual(data["windows"], [
            {"start": "2026-12-13T23:00:00Z", "end": "2026-12-18T07:30:00Z", "score": 0},
            {"start": "2026-12-20T23:00:00Z", "end": "2026-12-25T07:30:00Z", "score": 0},
        ])

    def test_text(self):
        result = heinrich("next", "--policy", WEEKEND, "--after", "2026-12-11T17:00", "--count", "1")
        self.assertEqual(result.returncode, 0)
        self.assertIn("2026-12-14 08:00", result.stdout)
        self.assertIn("2026-12-18 16:30", result.stdout)
        self.assertNotIn("\x1b[", result.stdout)

    def test_check_next_safe_agrees_with_next(self):
        for policy, at, extra in ((WEEKEND, "2026-12-11T17:00", ()), (BASIC, "2026-12-16T12:00", ()),
                                  (BASIC, "2026-12-24T18:00", ("--env", "staging")),
                                  (ALLOW, "2026-12-15T15:31", ("--env", "prod"))):
            with self.subTest(policy=os.path.basename(policy), at=at):
                checked = self.check_json(policy, at, *extra)
                self.assertNotEqual(checked["decision"], "allow")
                listed = self.next_json(policy, "--after", at, "--count", "1", *extra)
                self.assertEqual(checked["next_safe"], listed["windows"][0])


class CrossCheckTest(NextTestCase):
    """Every window `next` returns is allowed at its start and at its end, and not a minute after its end."""

    def cross_check(self, policy, after, count, *extra, within=None):
        args = ["--after", after, "--count", str(count), *extra]
        if within:
            args += ["--within", within]
        data = self.next_json(policy, *args)
        self.assertTrue(data["windows"], "expected at least one window")
        horizon = parse_utc(data["after"]) + self.within_delta(within or "90d")
        for window in data["windows"]:
            start, end = parse_utc(window["start"]), parse_utc(window["end"])
            with self.subTest(policy=os.path.basename(policy), window=window):
                at_start = self.check_json(policy, utc_text(start), *extra)
                self.assertEqual(at_start["decision"], "allow", f"check at the window start: {at_start}")
                self.assertEqual(at_start["score"], window["score"], "the window's score is the score at its start")
                at_end = self.check_json(policy, utc_text(end), *extra)
                self.assertEqual(at_end["decision"], "allow", f"check at the window end: {at_end}")
                if end < horizon:
                    after_end = self.check_json(policy, utc_text(end + datetime.timedelta(minutes=1)), *extra)
                    self.assertNotEqual(after_end["decision"], "allow", f"check a minute after the end: {after_end}")
                    self.assertEqual(after_end["at"][:16], utc_text(end + datetime.timedelta(minutes=1))[:16])
                else:
                    self.assertEqual(end, horizon, "a window never runs past the search horizon")

    @staticmethod
    def within_delta(text):
        units = {"d": 86400, "h": 3600, "m": 60, "s": 1}
        return datetime.timedelta(seconds=sum(int(n) * units[u] for n, u in re.findall(r"(\d+)([dhms])", text)))

    def test_weekend_freeze(self):
        self.cross_check(WEEKEND, "2026-12-11T12:00", 3)

    def test_weekend_freeze_to_the_horizon(self):
        self.cross_check(WEEKEND, "2026-12-11T12:00", 3, within="2h")

    def test_berlin_end_of_summer_time(self):
        self.cross_check(BERLIN, "2026-10-23T12:00", 4)

    def test_berlin_start_of_summer_time(self):
        self.cross_check(BERLIN, "2026-03-27T12:00", 4)

    def test_basic_policy_environments(self):
        self.cross_check(BASIC, "2026-12-16T09:00", 3)
        self.cross_check(BASIC, "2026-12-23T12:00", 3, "--env", "staging")

    def test_allow_windows(self):
        self.cross_check(ALLOW, "2026-12-15T09:00", 3, "--env", "prod")

    def test_default_policy(self):
        # Any start time: the policy's staffed hours would end stretches that
        # the rules leave open (tested in test_timeline.py).
        self.cross_check(DEFAULT, "2026-12-18T12:00", 5, "--env", "prod", "--hours", "00:00-24:00")
        self.cross_check(DEFAULT, "2026-12-18T12:00", 5, "--env", "staging", "--hours", "00:00-24:00")


if __name__ == "__main__":
    if not os.access(BIN, os.X_OK):
        sys.exit(f"HEINRICH_BIN={BIN} is not an executable")
    unittest.main()
