#!/usr/bin/env python3
"""Stale data must not pass silently (issue 10, item 6): a holiday calendar
knows the last year its data was verified for (`verified_through` in its rule
file) and what no rule can give (`cannot_compute`). A question about a later
time is still answered, with a warning (H113) in every output format and an
audit finding, so a team learns before the payday that its calendar is out of
date."""
import json
import os
import shutil
import sys
import tempfile
import unittest
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import DEFAULT, SOURCE_DIR, child_env, heinrich  # noqa: E402

INSIDE = "2027-06-01T10:00:00+09:00"   # within kr-public-holidays' horizon (2027)
PAST = "2028-02-01T10:00:00+09:00"     # past it
WARNING = "'kr-holidays' (kr-public-holidays) is verified only through 2027"


class DataHorizon(unittest.TestCase):
    def run_at(self, *args, now=INSIDE):
        return heinrich(*args, env=child_env(now=now))

    def test_check_past_the_horizon_warns_in_every_format(self):
        text = self.run_at("check", "--policy", DEFAULT, "--at", PAST)
        self.assertIn("warning: " + DEFAULT, text.stdout)
        self.assertIn(WARNING + ", and this asks about 2028-02-01", text.stdout)
        self.assertIn("temporary holidays (임시공휴일)", text.stdout)
        self.assertIn("[H113]", text.stdout)

        data = json.loads(self.run_at("check", "--policy", DEFAULT, "--at", PAST, "--format", "json").stdout)
        self.assertEqual([w["code"] for w in data["warnings"]], ["H113"])
        self.assertEqual(data["warnings"][0]["file"], DEFAULT)

        github = self.run_at("check", "--policy", DEFAULT, "--at", PAST, "--format", "github").stdout
        self.assertRegex(github, r"(?m)^::warning file=[^,]*default\.toml,line=\d+.*::.*verified only through 2027")

        junit = ET.fromstring(self.run_at("check", "--policy", DEFAULT, "--at", PAST, "--format", "junit").stdout)
        outputs = [e.text for e in junit.iter("system-out")]
        self.assertTrue(any("verified only through 2027" in (o or "") for o in outputs), outputs)

        sarif = json.loads(self.run_at("check", "--policy", DEFAULT, "--at", PAST, "--format", "sarif").stdout)
        results = sarif["runs"][0]["results"]
        self.assertIn(("H113", "warning"), [(r["ruleId"], r["level"]) for r in results])

    def test_the_warning_does_not_change_the_decision_or_the_exit(self):
        plain = self.run_at("check", "--policy", DEFAULT, "--at", PAST, "--format", "json")
        data = json.loads(plain.stdout)
        self.assertEqual(data["decision"], "allow")
        self.assertEqual(plain.returncode, 0)

    def test_within_the_horizon_there_is_no_warning(self):
        data = json.loads(self.run_at("check", "--policy", DEFAULT, "--at", INSIDE, "--format", "json").stdout)
        self.assertEqual(data["warnings"], [])
        self.assertNotIn("H113", self.run_at("check", "--policy", DEFAULT, "--at", INSIDE).stdout)

    def test_a_next_safe_start_past_the_horizon_warns(self):
        # 2027-12-31 23:00 + 30 min deploy + 2 h watch runs into 2028.
        data = json.loads(self.run_at("check", "--policy", DEFAULT, "--at", "2027-12-31T23:00", "--format",
                                      "json").stdout)
        self.assertEqual([w["code"] for w in data["warnings"]], ["H113"])

    def test_next_calendar_and_events(self):
        near_end = "2027-12-20T10:00:00+09:00"
        # The answers themselves lie in 2028.
        data = json.loads(self.run_at("next", "--policy", DEFAULT, "--after", "2027-12-31T20:00", "--within", "30d",
                                      "--format", "json", now=near_end).stdout)
        self.assertGreater(len(data["windows"]), 0)
        self.assertTrue(data["windows"][-1]["start"].startswith("2028-"))
        self.assertEqual([w["code"] for w in data["warnings"]], ["H113"])
        quiet = json.loads(self.run_at("next", "--policy", DEFAULT, "--within", "3d", "--count", "1", "--format",
                                       "json", now=INSIDE).stdout)
        self.assertEqual(quiet["warnings"], [])
        calendar = self.run_at("calendar", "--policy", DEFAULT, "--from", "2027-12", "--months", "2", now=near_end)
        self.assertIn(WARNING, calendar.stdout)
        html = self.run_at("calendar", "--policy", DEFAULT, "--from", "2027-12", "--months", "2", "--format",
                           "html", now=near_end)
        self.assertIn('<p class="warning" role="alert"><strong>Warning:</strong> ', html.stdout)
        events = self.run_at("events", "--policy", DEFAULT, "--from", "2028-01-01", "--to", "2028-01-31",
                             "--format", "json", now=near_end)
        self.assertIn(WARNING, events.stderr)
        json.loads(events.stdout)  # still the documented array

    def test_audit_reports_it_for_the_year_ahead(self):
        data = json.loads(self.run_at("audit", "--policy", DEFAULT, "--format", "json",
                                      now="2027-03-01T10:00:00+09:00").stdout)
        self.assertIn("H113", [f["code"] for f in data["findings"]])
        data = json.loads(self.run_at("audit", "--policy", DEFAULT, "--format", "json",
                                      now="2026-12-04T10:00:00+09:00").stdout)
        self.assertNotIn("H113", [f["code"] for f in data["findings"]])

    def test_a_copied_rule_file_without_a_horizon_gives_none(self):
        # A team's own rule file may leave the horizon out: nothing is claimed.
        with tempfile.TemporaryDirectory() as tmp:
            holidays = os.path.join(tmp, "holidays")
            shutil.copytree(os.path.join(SOURCE_DIR, "policies", "holidays"), holidays)
            path = os.path.join(holidays, "kr-public-holidays.toml")
            with open(path) as handle:
                text = handle.read()
            text = "\n".join(line for line in text.splitlines()
                             if not line.startswith(("verified_through", "cannot_compute", "  ")))
            with open(path, "w") as handle:
                handle.write(text + "\n")
            policy = os.path.join(tmp, "heinrich.toml")
            with open(policy, "w") as handle:
                handle.write('version = 1\ntimezone = "Asia/Seoul"\n[[calendar]]\nname = "kr-holidays"\n'
                             'builtin = "kr-public-holidays"\nrisk = 60\n')
            data = json.loads(self.run_at("check", "--policy", policy, "--at", PAST, "--format", "json").stdout)
            self.assertEqual(data["warnings"], [])


if __name__ == "__main__":
    unittest.main()
