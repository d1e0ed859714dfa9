#!/usr/bin/env python3
"""Whole-program tests of the decision timeline through the real binary:
`check`, `next` and `calendar` answer the same question the same way, at the
edges where that is hardest (a zero-length event; a zero-length deploy)."""
import json
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import DEFAULT, POLICIES, heinrich, parse_utc  # noqa: E402

ZERO = os.path.join(POLICIES, "zero_length.toml")


def check(at, *args):
    result = heinrich("check", "--policy", ZERO, "--format", "json", "--at", at, *args)
    assert result.returncode in (0, 1), result.stdout + result.stderr
    return json.loads(result.stdout)


def next_windows(after, *args):
    result = heinrich("next", "--policy", ZERO, "--format", "json", "--after", after, *args)
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads(result.stdout)["windows"]


class ZeroLengthEventTest(unittest.TestCase):
    def test_a_deploy_starting_at_the_event_is_blocked(self):
        self.assertEqual(check("2026-12-15T10:00")["decision"], "block")
        self.assertEqual(check("2026-12-15T09:59")["decision"], "block")
        self.assertEqual(check("2026-12-15T10:00:01")["decision"], "allow")
        self.assertEqual(check("2026-12-15T07:30")["decision"], "allow")  # ends as it happens

    def test_next_never_offers_a_blocked_start(self):
        windows = next_windows("2026-12-15T10:00", "--count", "1")
        self.assertEqual(parse_utc(windows[0]["start"]).isoformat(), "2026-12-15T01:00:01+00:00")
        before = next_windows("2026-12-15T07:00", "--count", "2")
        self.assertEqual(parse_utc(before[0]["end"]).isoformat(), "2026-12-14T22:30:00+00:00")
        for window in before:
            for moment in (window["start"], window["end"]):
                self.assertEqual(check(moment)["decision"], "allow", moment)

    def test_a_zero_length_deploy_over_a_zero_length_event(self):
        # Used to crash (null pointer in the sweep) and to offer 10:00 itself.
        windows = next_windows("2026-12-15T09:00", "--duration", "0m", "--watch", "0m", "--count", "2")
        self.assertEqual([parse_utc(w["end"]).isoformat() for w in windows][:1], ["2026-12-15T00:59:59+00:00"])
        self.assertEqual(parse_utc(windows[1]["start"]).isoformat(), "2026-12-15T01:00:01+00:00")
        self.assertEqual(check("2026-12-15T10:00", "--duration", "0m", "--watch", "0m")["decision"], "block")
        self.assertEqual(check("2026-12-15T09:59:59", "--duration", "0m", "--watch", "0m")["decision"], "allow")

    def test_the_calendar_marks_the_hour(self):
        result = heinrich("calendar", "--policy", ZERO, "--from", "2026-12-01", "--months", "1", "--format", "ics")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("deploy BLOCK", result.stdout)
        self.assertIn("DTEND:20261215T010001Z", result.stdout)


class DefaultPolicyTest(unittest.TestCase):
    """The shipped policy does what its comments say (issue 10, item 10)."""

    def decision(self, at, *args):
        result = heinrich("check", "--policy", DEFAULT, "--env", "prod", "--format", "json", "--at", at, *args)
        self.assertIn(result.returncode, (0, 1), result.stderr)
        return json.loads(result.stdout)

    def test_friday_afternoon_and_nights_are_not_silent(self):
        self.assertEqual(self.decision("2026-11-20T17:00")["decision"], "warn")  # a Friday
        self.assertEqual(self.decision("2026-11-18T03:00")["decision"], "warn")  # a Wednesday night
        self.assertEqual(self.decision("2026-11-21T03:00")["decision"], "block")  # a Saturday night
        self.assertEqual(self.decision("2026-11-18T11:00")["decision"], "allow")  # a Wednesday late morning

    def test_next_safe_start_is_in_staffed_hours(self):
        # Chuseok 2026 is Thu 24 to Sat 26 September (no substitute: Saturday
        # does not count); its buffer ends Sunday noon, the weekend warns, and
        # Monday's night factor runs to 07:00. Staffed hours start at 09:00.
        data = self.decision("2026-09-25T10:00")
        self.assertEqual(data["decision"], "block")
        self.assertEqual(parse_utc(data["next_safe"]["start"]).isoformat(), "2026-09-28T00:00:00+00:00")  # Mon 09:00 KST
        result = heinrich("next", "--policy", DEFAULT, "--env", "prod", "--after", "2026-09-25T10:00",
                          "--format", "json", "--count", "2")
        windows = json.loads(result.stdout)["windows"]
        for window in windows:
            for moment in (window["start"], window["end"]):
                local = parse_utc(moment).hour + 9
                self.assertTrue(9 <= local % 24 < 18, moment)
                self.assertEqual(self.decision(moment)["decision"], "allow", moment)
        anytime = heinrich("next", "--policy", DEFAULT, "--env", "prod", "--after", "2026-09-25T10:00",
                           "--format", "json", "--count", "1", "--hours", "00:00-24:00")
        self.assertEqual(parse_utc(json.loads(anytime.stdout)["windows"][0]["start"]).isoformat(),
                         "2026-09-27T22:00:00+00:00")  # Mon 07:00 KST

    def test_bad_hours_are_a_usage_error(self):
        result = heinrich("next", "--policy", DEFAULT, "--hours", "9-18")
        self.assertEqual(result.returncode, 2)
        self.assertIn("--hours", result.stderr)
        # check too, also when the deploy is allowed and no next start is sought.
        result = heinrich("check", "--policy", DEFAULT, "--at", "2026-12-15T11:00", "--hours", "9-18")
        self.assertEqual(result.returncode, 2)
        self.assertIn("--hours", result.stderr)

    def test_service_fails_closed(self):
        result = heinrich("check", "--policy", DEFAULT, "--service", "payments")
        self.assertEqual(result.returncode, 2)
        self.assertIn("unknown service 'payments'", result.stderr)


if __name__ == "__main__":
    unittest.main()
