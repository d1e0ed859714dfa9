#!/usr/bin/env python3
"""Whole-program tests of the parsed-calendar cache: a large ICS calendar is
parsed once and read back on later runs, and nothing about the cache (an
edit, a damaged or foreign entry, a directory that cannot be written, the
cache turned off) can change what heinrich answers."""
import json
import os
import shutil
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import child_env, heinrich  # noqa: E402

POLICY = """version = 1
timezone = "Asia/Seoul"

[thresholds]
warn = 40
block = 70

[[calendar]]
name = "team"
ics = "team.ics"
risk = 20
"""

# 2026-03-03T10:00 in Seoul: clear in the plain calendar; the edited one puts
# a risk-90 launch there.
AT = "2026-03-03T10:00"
LAUNCH = ("BEGIN:VEVENT\r\nUID:launch@cache.test\r\nDTSTART;TZID=Asia/Seoul:20260303T090000\r\n"
          "DTEND;TZID=Asia/Seoul:20260303T120000\r\nSUMMARY:Launch\r\nX-HEINRICH-RISK:90\r\nEND:VEVENT\r\n")


def team_calendar(extra=""):
    """About 600 events (well over the 32 KiB below which files are not
    cached): weekly series in three zones, none on 2026-03-03 in Seoul."""
    out = ["BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//heinrich//cli cache test//EN\r\n"]
    zones = ["Europe/Berlin", "America/New_York", "UTC"]
    for i in range(600):
        zone = zones[i % 3]
        month = 4 + i % 9
        day = 1 + i % 28
        start = f"2026{month:02d}{day:02d}T{8 + i % 10:02d}0000"
        tzid = "" if zone == "UTC" else f";TZID={zone}"
        suffix = "Z" if zone == "UTC" else ""
        out.append(f"BEGIN:VEVENT\r\nUID:e{i}@cache.test\r\nDTSTART{tzid}:{start}{suffix}\r\nDURATION:PT1H\r\n"
                   + ("RRULE:FREQ=WEEKLY;COUNT=4\r\n" if i % 4 == 0 else "")
                   + f"SUMMARY:Team event {i}\r\nEND:VEVENT\r\n")
    out.append(extra)
    out.append("END:VCALENDAR\r\n")
    return "".join(out)


class CalendarCache(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="heinrich-cache-test-")
        self.addCleanup(shutil.rmtree, self.tmp, ignore_errors=True)
        self.policy = os.path.join(self.tmp, "policy.toml")
        with open(self.policy, "w", encoding="utf-8") as handle:
            handle.write(POLICY)
        self.ics = os.path.join(self.tmp, "team.ics")
        self.write_calendar(team_calendar())
        self.cache = os.path.join(self.tmp, "cache")

    def write_calendar(self, text):
        with open(self.ics, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        self.assertGreater(os.path.getsize(self.ics), 32 * 1024)

    def run_check(self, **env):
        values = {"HEINRICH_CACHE_DIR": self.cache}
        values.update(env)
        result = heinrich("check", "--policy", self.policy, "--at", AT, "--format", "json", env=child_env(**values))
        self.assertIn(result.returncode, (0, 1), result.stderr)
        return result

    def entries(self, directory=None):
        directory = directory or self.cache
        if not os.path.isdir(directory):
            return []
        return sorted(os.path.join(directory, name) for name in os.listdir(directory) if name.endswith(".cache"))

    def test_the_second_run_reads_the_entry_and_answers_the_same(self):
        first = self.run_check()
        entries = self.entries()
        self.assertEqual(len(entries), 1)
        entry = entries[0]
        self.assertEqual(os.stat(entry).st_mode & 0o777, 0o600)
        self.assertEqual(os.stat(self.cache).st_mode & 0o777, 0o700)
        inode = os.stat(entry).st_ino
        os.utime(entry, (946684800, 946684800))  # 2000-01-01
        second = self.run_check()
        # Read, not rewritten: the same file, marked as used just now.
        self.assertEqual(os.stat(entry).st_ino, inode)
        self.assertGreater(os.stat(entry).st_mtime, 946684800 + 86400)
        self.assertEqual(second.stdout, first.stdout)
        self.assertEqual(second.returncode, first.returncode)
        uncached = self.run_check(HEINRICH_NO_CACHE="1")
        self.assertEqual(uncached.stdout, first.stdout)
        self.assertEqual(json.loads(first.stdout)["decision"], "allow")

    def test_events_are_listed_the_same_from_the_cache(self):
        args = ("events", "--policy", self.policy, "--from", "2026-04-01", "--to", "2026-12-31", "--format", "csv")
        parsed = heinrich(*args, env=child_env(HEINRICH_NO_CACHE="1"))
        heinrich(*args, env=child_env(HEINRICH_CACHE_DIR=self.cache))
        self.assertEqual(len(self.entries()), 1)
        cached = heinrich(*args, env=child_env(HEINRICH_CACHE_DIR=self.cache))
        self.assertEqual(parsed.returncode, 0, parsed.stderr)
        self.assertEqual(cached.stdout, parsed.stdout)
        self.assertGreater(len(parsed.stdout.splitlines()), 600)

    def test_an_edited_calendar_changes_the_decision_at_once(self):
        self.assertEqual(json.loads(self.run_check().stdout)["decision"], "allow")
        self.write_calendar(team_calendar(LAUNCH))
        edited = self.run_check()
        self.assertEqual(edited.returncode, 1)
        report = json.loads(edited.stdout)
        self.assertEqual(report["decision"], "block")
        self.assertIn("Launch", [reason.get("event") for reason in report["reasons"]])
        self.assertEqual(len(self.entries()), 2)  # one per content

    def test_a_damaged_entry_is_replaced_and_changes_nothing(self):
        expected = self.run_check().stdout
        entry = self.entries()[0]
        size = os.path.getsize(entry)
        for damage in (b"", b"garbage", None):
            with open(entry, "r+b") as handle:
                if damage is None:  # one byte in the middle
                    handle.seek(size // 2)
                    byte = handle.read(1)
                    handle.seek(size // 2)
                    handle.write(bytes([byte[0] ^ 0x40]))
                else:
                    handle.truncate(0)
                    handle.write(damage)
            result = self.run_check()
            self.assertEqual(result.stdout, expected)
            self.assertEqual(result.stderr, "")
            self.assertEqual(os.path.getsize(entry), size, "the entry is written again, whole")

    def test_an_entry_others_can_write_is_not_used(self):
        self.run_check()
        entry = self.entries()[0]
        os.chmod(entry, 0o666)
        inode = os.stat(entry).st_ino
        self.run_check()
        self.assertNotEqual(os.stat(entry).st_ino, inode, "replaced by a fresh entry")
        self.assertEqual(os.stat(entry).st_mode & 0o777, 0o600)

    def test_no_cache_when_turned_off(self):
        self.run_check(HEINRICH_NO_CACHE="1")
        self.assertEqual(self.entries(), [])

    def test_a_cache_that_cannot_be_written_is_no_error(self):
        blocker = os.path.join(self.tmp, "a-file")
        with open(blocker, "w", encoding="utf-8") as handle:
            handle.write("not a directory")
        expected = self.run_check(HEINRICH_NO_CACHE="1")
        result = self.run_check(HEINRICH_CACHE_DIR=os.path.join(blocker, "heinrich"))
        self.assertEqual(result.stdout, expected.stdout)
        self.assertEqual(result.stderr, "")

    def test_the_xdg_cache_home_is_used_when_no_directory_is_named(self):
        xdg = os.path.join(self.tmp, "xdg")
        env = child_env(XDG_CACHE_HOME=xdg)
        env.pop("HEINRICH_CACHE_DIR")
        heinrich("check", "--policy", self.policy, "--at", AT, env=env)
        self.assertEqual(len(self.entries(os.path.join(xdg, "heinrich"))), 1)

    def test_a_malformed_calendar_is_reported_every_time_and_never_cached(self):
        text = team_calendar().replace("DURATION:PT1H\r\nSUMMARY:Team event 301\r\n",
                                       "DURATION:PT1H\r\nDTEND:20261301T000000\r\nSUMMARY:Team event 301\r\n")
        self.assertNotEqual(text, team_calendar())
        self.write_calendar(text)
        for _ in range(2):
            result = heinrich("check", "--policy", self.policy, "--at", AT,
                              env=child_env(HEINRICH_CACHE_DIR=self.cache))
            self.assertEqual(result.returncode, 2)
            self.assertIn("team.ics:", result.stderr)
        self.assertEqual(self.entries(), [])


if __name__ == "__main__":
    unittest.main()
