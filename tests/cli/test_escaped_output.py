#!/usr/bin/env python3
"""Text from a calendar, a plan or a policy cannot steer a terminal or a CI
log: every control character in it reaches every output as a visible escape,
so an ICS SUMMARY cannot print a line that GitHub Actions runs as a workflow
command (issue 11, item 17); a CSV plan that is not UTF-8 is a positioned
error in every format (item 15)."""
import json
import os
import re
import subprocess
import sys
import tempfile
import unittest
import xml.etree.ElementTree as ElementTree

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import heinrich  # noqa: E402

# What the calendar's author wrote: an escaped newline (RFC 5545 TEXT) followed
# by a workflow command, a C1 CSI sequence, a bidi override and a line
# separator. (Raw C0 bytes such as ESC are refused by the ICS reader itself.)
HOSTILE_SUMMARY = "Sale\\n::error::pwned \u009b2J \u202eevil\u2028::add-mask::x"
ESCAPED_SUMMARY = "Sale\\n::error::pwned \\u{009b}2J \\u{202e}evil\\u{2028}::add-mask::x"
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f\u0080-\u009f\u202a-\u202e\u2066-\u2069\u2028\u2029]")
COMMANDS = re.compile(r"^\s*::(error|warning|notice|add-mask|set-output|stop-commands|debug)", re.MULTILINE)


def assert_safe(test, text, what, allow_commands=False):
    found = UNSAFE.search(text)
    test.assertIsNone(found, f"{what}: raw control character {found.group()!r}" if found else "")
    for line in text.splitlines():
        if allow_commands:  # heinrich's own workflow commands, never one from the calendar
            test.assertFalse(line.lstrip().startswith("::error::pwned"), f"{what}: {line!r}")
        else:
            test.assertIsNone(COMMANDS.match(line), f"{what}: {line!r}")


class HostileCalendarText(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp()
        ics = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//hostile//EN\r\n"
               "BEGIN:VEVENT\r\nUID:hostile-1\r\nDTSTAMP:20261201T000000Z\r\n"
               "DTSTART:20261214T000000Z\r\nDTEND:20261214T030000Z\r\n"
               f"SUMMARY:{HOSTILE_SUMMARY}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
        with open(os.path.join(cls.tmp, "sales.ics"), "w", encoding="utf-8", newline="") as handle:
            handle.write(ics)
        cls.policy = os.path.join(cls.tmp, "heinrich.toml")
        with open(cls.policy, "w", encoding="utf-8") as handle:
            handle.write('version = 1\ntimezone = "Asia/Seoul"\n[[calendar]]\nname = "sales"\n'
                         'ics = "sales.ics"\naction = "block"\n')

    @classmethod
    def tearDownClass(cls):
        subprocess.run(["rm", "-rf", cls.tmp], check=False)

    def run_safe(self, *args, allow_commands=False):
        result = heinrich(*args)
        self.assertIn(result.returncode, (0, 1), result.stderr)
        assert_safe(self, result.stdout, " ".join(args) + " (stdout)", allow_commands)
        assert_safe(self, result.stderr, " ".join(args) + " (stderr)")
        return result

    def test_check_in_every_format(self):
        at = "2026-12-14T10:00"
        for fmt in ("text", "json", "junit", "sarif"):
            with self.subTest(format=fmt):
                result = self.run_safe("check", "--policy", self.policy, "--at", at, "--format", fmt)
                self.assertEqual(result.returncode, 1)
        result = self.run_safe("check", "--policy", self.policy, "--at", at, "--format", "github",
                               allow_commands=True)
        self.assertEqual(result.returncode, 1)
        text = self.run_safe("check", "--policy", self.policy, "--at", at).stdout
        self.assertIn(ESCAPED_SUMMARY, text)

    def test_json_carries_the_escaped_text(self):
        result = self.run_safe("events", "--policy", self.policy, "--from", "2026-12-14", "--to", "2026-12-14",
                               "--format", "json")
        names = [event["name"] for event in json.loads(result.stdout)]
        self.assertEqual(names, [ESCAPED_SUMMARY])

    def test_events_in_every_format(self):
        for fmt in ("text", "csv", "ics"):
            with self.subTest(format=fmt):
                result = self.run_safe("events", "--policy", self.policy, "--from", "2026-12-14",
                                       "--to", "2026-12-14", "--format", fmt)
                self.assertIn("pwned", result.stdout)

    def test_calendar_in_every_format(self):
        for fmt in ("text", "html", "ics"):
            with self.subTest(format=fmt):
                self.run_safe("calendar", "--policy", self.policy, "--from", "2026-12-01", "--months", "1",
                              "--format", fmt)

    def test_a_raw_control_byte_in_a_calendar_is_a_positioned_error(self):
        path = os.path.join(self.tmp, "raw.ics")
        with open(path, "w", encoding="utf-8", newline="") as handle:
            handle.write("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\nUID:r\r\n"
                         "DTSTAMP:20261201T000000Z\r\nDTSTART:20261214T000000Z\r\n"
                         "SUMMARY:a\x1b]0;owned\x07\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
        policy = os.path.join(self.tmp, "raw.toml")
        with open(policy, "w", encoding="utf-8") as handle:
            handle.write('version = 1\ntimezone = "Asia/Seoul"\n[[calendar]]\nname = "raw"\nics = "raw.ics"\n')
        result = heinrich("check", "--policy", policy)
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertIn(f"{path}:8:10: error: control character 0x1b", result.stderr)
        assert_safe(self, result.stderr, "stderr")

    def test_next(self):
        for fmt in ("text", "json"):
            with self.subTest(format=fmt):
                self.run_safe("next", "--policy", self.policy, "--format", fmt)


class HostilePolicyText(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp()
        self.addCleanup(lambda: subprocess.run(["rm", "-rf", self.tmp], check=False))

    def write(self, name, text, mode="w"):
        path = os.path.join(self.tmp, name)
        with open(path, mode) as handle:
            handle.write(text)
        return path

    def test_a_rule_name_with_a_control_character_is_a_positioned_error(self):
        path = self.write("heinrich.toml", 'version = 1\ntimezone = "Asia/Seoul"\n[[window]]\n'
                                           'name = "freeze\\u001b]0;owned\\u0007"\n'
                                           'start = 2026-12-24T00:00:00\nend = 2026-12-26T00:00:00\n')
        result = heinrich("check", "--policy", path)
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertIn(f"{path}:4:8: error: [[window]] name 'freeze\\x1b]0;owned\\x07' contains a control character",
                      result.stderr)
        assert_safe(self, result.stderr, "stderr")

    def test_audit_findings_in_ci_formats_are_escaped(self):
        path = self.write("heinrich.toml", 'version = 1\ntimezone = "Asia/Seoul"\n[[window]]\nname = "w"\n'
                                           'rrule = "FREQ=DAILY;X\\u001b]0;pwn\\u0007=1"\nduration = "1h"\n')
        for fmt in ("text", "json", "github", "junit", "sarif"):
            with self.subTest(format=fmt):
                result = heinrich("audit", "--policy", path, "--format", fmt)
                self.assertIn(result.returncode, (1, 2), result.stderr)
                assert_safe(self, result.stdout, fmt, allow_commands=fmt == "github")
                assert_safe(self, result.stderr, fmt)

    def test_an_error_quoting_input_escapes_it_and_cuts_it_short(self):
        path = self.write("heinrich.toml", 'version = 1\ntimezone = "Asia/Seoul\\u001b[2J' + "x" * 7_000 + '"\n')
        result = heinrich("check", "--policy", path)
        self.assertEqual(result.returncode, 2, result.stderr)
        assert_safe(self, result.stderr, "stderr")
        self.assertIn("unknown time zone 'Asia/Seoul\\x1b[2J", result.stderr)
        self.assertLess(len(result.stderr.splitlines()[0]), 200)  # the message quotes 80 characters

    def test_a_plan_that_is_not_utf8_is_a_positioned_error_in_every_format(self):
        plan = self.write("plan.csv", b"service,environment,start\npay\xffments,prod,2026-12-15T10:00\n", "wb")
        policy = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                              "policies", "default.toml")
        for fmt in ("text", "json", "github", "junit", "sarif"):
            with self.subTest(format=fmt):
                result = heinrich("audit", "--policy", policy, "--plan", plan, "--format", fmt)
                self.assertEqual(result.returncode, 2, result.stderr)
                self.assertIn(f"{plan}:2:4: error: invalid UTF-8 (byte 0xff)", result.stderr)
                if fmt == "json":
                    error = json.loads(result.stdout)["error"]
                    self.assertEqual((error["line"], error["column"]), (2, 4))

    def test_control_characters_in_a_plan_reach_junit_as_valid_xml(self):
        plan = self.write("plan.csv", "service,environment,start\n\"pay\x1b[2Jments\",prod,2026-12-25T10:00\n")
        policy = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                              "policies", "default.toml")
        for fmt in ("text", "json", "junit", "sarif"):
            with self.subTest(format=fmt):
                result = heinrich("audit", "--policy", policy, "--plan", plan, "--format", fmt)
                self.assertEqual(result.returncode, 1, result.stderr)
                assert_safe(self, result.stdout, fmt)
                self.assertIn("pay\\x1b[2Jments" if fmt not in ("json", "sarif") else "pay\\\\x1b[2Jments", result.stdout)
        junit = heinrich("audit", "--policy", policy, "--plan", plan, "--format", "junit").stdout
        ElementTree.fromstring(junit)  # raises on XML that a CI server would reject


if __name__ == "__main__":
    unittest.main()
