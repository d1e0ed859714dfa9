#!/usr/bin/env python3
"""heinrich answers for the years 1900 to 8999, on input and so on output:
`--at 9999-12-31T23:59Z` printed "Sat 10000-01-0 T08:59" and JSON year 10000,
which `--at` then refused, and year 0 was accepted (issue 11, item 18)."""
import json
import os
import re
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import DEFAULT, child_env, heinrich  # noqa: E402

RANGE = "heinrich answers for the years 1900 to 8999"
TIME = re.compile(r'"(\d+)-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)"')


class SupportedYears(unittest.TestCase):
    def test_times_outside_the_range_are_refused(self):
        for at in ("9999-12-31T23:59Z", "0000-01-01T00:00Z", "1899-12-31T23:59", "9000-01-01"):
            with self.subTest(at=at):
                result = heinrich("check", "--policy", DEFAULT, "--at", at)
                self.assertEqual(result.returncode, 2, result.stderr)
                self.assertIn(RANGE, result.stderr)
                self.assertNotIn("10000", result.stderr)

    def test_relative_times_and_the_clock_are_held_to_it_too(self):
        result = heinrich("check", "--policy", DEFAULT, "--at", "+3650d",
                          env=child_env(now="8995-06-01T00:00:00Z"))
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertIn(RANGE, result.stderr)
        result = heinrich("check", "--policy", DEFAULT, env=child_env(now="9999-12-31T23:59:00Z"))
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertIn(RANGE, result.stderr)

    def test_the_last_supported_moment_prints_four_digit_years_everywhere(self):
        for command in (["check", "--at", "8999-12-31T23:59Z"], ["next", "--after", "8999-12-31T23:59Z"]):
            with self.subTest(command=command[0]):
                result = heinrich(command[0], "--policy", DEFAULT, *command[1:], "--format", "json")
                self.assertIn(result.returncode, (0, 1), result.stderr)
                json.loads(result.stdout)
                years = {match.group(1) for match in TIME.finditer(result.stdout)}
                self.assertTrue(years)
                self.assertTrue(all(len(year) == 4 for year in years), years)
                text = heinrich(command[0], "--policy", DEFAULT, *command[1:]).stdout
                self.assertNotRegex(text, r"\d{5}-\d\d")

    def test_a_policy_date_outside_the_range_is_a_positioned_error(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "heinrich.toml")
            with open(path, "w") as handle:
                handle.write('version = 1\ntimezone = "Asia/Seoul"\n[[window]]\nname = "forever"\n'
                             'start = 2026-12-24T00:00:00\nend = 9999-12-31T23:59:59\n')
            result = heinrich("check", "--policy", path)
            self.assertEqual(result.returncode, 2, result.stderr)
            self.assertIn(f"{path}:6:7: error: 'end' is in the year 9999; {RANGE}", result.stderr)


if __name__ == "__main__":
    unittest.main()
