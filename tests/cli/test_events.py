#!/usr/bin/env python3
"""Whole-program tests of `heinrich events` and of the calendars in `check` and
`next`, compared with the oracle tables in tests/data/oracle (made from npm
date-holidays and korean-lunar-calendar by tests/oracles/regen.sh)."""
import calendar
import csv
import datetime as dt
import io
import json
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import DEFAULT, ORACLE, POLICIES, UTC_RE, heinrich  # noqa: E402


def oracle_holidays():
    """date (datetime.date) -> name, for 2016-2030."""
    out = {}
    with open(os.path.join(ORACLE, "kr-holidays-2016-2030.csv"), encoding="utf-8") as handle:
        for row in csv.reader(line for line in handle if not line.startswith("#")):
            if row[0] == "date":
                continue
            out[dt.date.fromisoformat(row[0])] = row[1]
    return out


def expected_payday(year, month, holidays):
    """The 25th, rolled back over weekends and oracle holidays: computed here,
    independently of heinrich, from the oracle table."""
    day = dt.date(year, month, 25)
    while day.weekday() >= 5 or day in holidays:
        day -= dt.timedelta(days=1)
    return day


def events_csv(*args):
    result = heinrich("events", *args, "--format", "csv")
    if result.returncode != 0:
        raise AssertionError(result.stderr)
    return list(csv.DictReader(io.StringIO(result.stdout)))


class DefaultPolicy2025(unittest.TestCase):
    """The acceptance test of the calendars issue."""

    @classmethod
    def setUpClass(cls):
        cls.rows = events_csv("--policy", DEFAULT, "--from", "2025-01-01", "--to", "2025-12-31")

    def test_header(self):
        result = heinrich("events", "--policy", DEFAULT, "--from", "2025-01-01", "--to", "2025-01-02",
                          "--format", "csv")
        self.assertEqual(result.stdout.splitlines()[0], "source,name,local_start,local_end,start,end,risk")

    def test_every_holiday_and_nothing_invented(self):
        expected = {d for d in oracle_holidays() if d.year == 2025}
        listed = {dt.date.fromisoformat(r["local_start"][:10]) for r in self.rows if r["source"] == "kr-holidays"}
        self.assertEqual(listed, expected)
        for day in ("2025-03-03", "2025-05-06", "2025-10-08", "2025-06-03"):
            self.assertIn(dt.date.fromisoformat(day), listed)

    def test_holidays_are_whole_local_days(self):
        for row in (r for r in self.rows if r["source"] == "kr-holidays"):
            self.assertTrue(row["local_start"].endswith("T00:00:00+09:00"), row)
            self.assertTrue(row["local_end"].endswith("T00:00:00+09:00"), row)
            self.assertRegex(row["start"], UTC_RE)
            self.assertTrue(row["start"].endswith("T15:00:00Z"), row)  # 00:00 KST is 15:00Z the day before

    def test_every_payday(self):
        holidays = oracle_holidays()
        paydays = [dt.date.fromisoformat(r["local_start"][:10]) for r in self.rows if r["source"] == "payday"]
        self.assertEqual(paydays, [expected_payday(2025, m, holidays) for m in range(1, 13)])
        self.assertIn(dt.date(2025, 5, 23), paydays)  # the 25th is a Sunday

    def test_sorted_by_start(self):
        starts = [r["start"] for r in self.rows]
        self.assertEqual(starts, sorted(starts))


class Paydays2016To2030(unittest.TestCase):
    def test_every_month_against_the_oracle_holidays(self):
        rows = events_csv("--policy", DEFAULT, "--from", "2016-01-01", "--to", "2030-12-31", "--source", "payday")
        holidays = oracle_holidays()
        got = [dt.date.fromisoformat(r["local_start"][:10]) for r in rows]
        want = [expected_payday(y, m, holidays) for y in range(2016, 2031) for m in range(1, 13)]
        self.assertEqual(len(want), 180)
        self.assertEqual(got, want)

    def test_month_end_close_is_the_last_business_day(self):
        rows = events_csv("--policy", DEFAULT, "--from", "2025-01-01", "--to", "2025-12-31",
                          "--source", "month-end-close")
        holidays = oracle_holidays()
        for row in rows:
            day = dt.date.fromisoformat(row["local_start"][:10])
            after = day + dt.timedelta(days=1)
            while after.month == day.month:
                self.assertTrue(after.weekday() >= 5 or after in holidays, f"{after} is a later business day")
                after += dt.timedelta(days=1)
            self.assertFalse(day.weekday() >= 5 or day in holidays, day)
        self.assertEqual(len(rows), 12)


class Formats(unittest.TestCase):
    def test_json_fields(self):
        result = heinrich("events", "--policy", DEFAULT, "--from", "2025-09-01", "--to", "2025-10-31",
                          "--format", "json")
        self.assertEqual(result.returncode, 0, result.stderr)
        events = json.loads(result.stdout)
        self.assertIsInstance(events, list)
        chuseok = [e for e in events if e["name"] == "Chuseok"]
        self.assertEqual(len(chuseok), 1)
        event = chuseok[0]
        for key in ("source", "name", "start", "end", "local_start", "local_end", "risk"):
            self.assertIn(key, event)
        self.assertEqual(event["source"], "kr-holidays")
        self.assertEqual(event["local_start"], "2025-10-06T00:00:00+09:00")
        self.assertEqual(event["start"], "2025-10-05T15:00:00Z")
        self.assertEqual(event["risk"], 75)

    def test_to_includes_the_whole_day_and_from_starts_it(self):
        rows = events_csv("--policy", DEFAULT, "--from", "2025-10-08", "--to", "2025-10-08")
        self.assertEqual([r["name"] for r in rows], ["Substitute holiday (Chuseok)"])

    def test_ics_export_is_rfc5545_shaped(self):
        result = heinrich("events", "--policy", DEFAULT, "--from", "2025-01-01", "--to", "2025-12-31",
                          "--format", "ics", raw_stdout=True)
        self.assertEqual(result.returncode, 0, result.stderr)
        text = result.stdout.decode("utf-8")
        self.assertTrue(text.startswith("BEGIN:VCALENDAR\r\n"))
        self.assertTrue(text.endswith("END:VCALENDAR\r\n"))
        lines = text.split("\r\n")[:-1]
        for line in lines:
            self.assertLessEqual(len(line.encode("utf-8")), 75, line)
        self.assertEqual(text.count("BEGIN:VEVENT"), len(events_csv("--policy", DEFAULT, "--from", "2025-01-01",
                                                                    "--to", "2025-12-31")))
        self.assertIn("DTSTAMP:20261214T010000Z", text)  # from HEINRICH_NOW, never the real clock

    def test_ics_folds_long_utf8_lines_between_characters(self):
        name = "창립기념일 " * 12 + "(company day)"
        with tempfile.TemporaryDirectory() as tmp:
            policy = os.path.join(tmp, "p.toml")
            with open(policy, "w", encoding="utf-8") as handle:
                handle.write('version = 1\ntimezone = "Asia/Seoul"\n[[calendar]]\nname = "kr"\n'
                             'builtin = "kr-public-holidays"\nrisk = 50\n'
                             f'holidays = [{{ date = 2027-03-03, name = "{name}" }}]\n')
            result = heinrich("events", "--policy", policy, "--from", "2027-03-03", "--to", "2027-03-03",
                              "--format", "ics", raw_stdout=True)
        self.assertEqual(result.returncode, 0, result.stderr)
        physical = result.stdout.split(b"\r\n")[:-1]
        for line in physical:
            self.assertLessEqual(len(line), 75, line)
            line.decode("utf-8")  # never split inside a character
        unfolded = result.stdout.replace(b"\r\n ", b"").decode("utf-8")
        self.assertIn("SUMMARY:" + name.replace(",", "\\,"), unfolded)

    def test_unknown_source_suggests(self):
        result = heinrich("events", "--policy", DEFAULT, "--from", "2025-01-01", "--to", "2025-01-31",
                          "--source", "paydya")
        self.assertEqual(result.returncode, 2)
        self.assertIn("did you mean 'payday'?", result.stderr)

    def test_kind_selects_rules_by_kind(self):
        def rows(*args):
            result = heinrich("events", "--policy", DEFAULT, "--from", "2026-12-21", "--to", "2026-12-27",
                              "--format", "json", *args)
            self.assertEqual(result.returncode, 0, result.stderr)
            return json.loads(result.stdout)

        windows = rows("--kind", "window")
        self.assertEqual({r["source"] for r in windows}, {"year-end-freeze"})
        self.assertEqual(windows[0]["start"], "2026-12-23T15:00:00Z")  # 24 December 00:00 in Seoul
        factors = rows("--kind", "factor")
        self.assertEqual({r["source"] for r in factors} & {"weekend", "night"}, {"weekend", "night"})
        self.assertFalse({r["source"] for r in factors} & {"year-end-freeze", "kr-holidays", "payday"})
        # Kinds and sources add up; by default, calendars and events only.
        both = rows("--kind", "window", "--source", "kr-holidays")
        self.assertEqual({r["source"] for r in both}, {"year-end-freeze", "kr-holidays"})
        default = {r["source"] for r in rows()}
        self.assertIn("kr-holidays", default)
        self.assertNotIn("year-end-freeze", default)
        self.assertEqual({r["source"] for r in rows("--kind", "calendar", "--kind", "event")}, default)

    def test_unknown_kind_is_a_usage_error(self):
        result = heinrich("events", "--policy", DEFAULT, "--from", "2025-01-01", "--to", "2025-01-31",
                          "--kind", "windows")
        self.assertEqual(result.returncode, 2)
        self.assertIn("--kind", result.stderr)

    def test_to_before_from(self):
        result = heinrich("events", "--policy", DEFAULT, "--from", "2025-02-01", "--to", "2025-01-01")
        self.assertEqual(result.returncode, 2)


class ChuseokInCheckAndNext(unittest.TestCase):
    def test_check_blocks_on_chuseok_with_the_holiday_named(self):
        result = heinrich("check", "--policy", DEFAULT, "--at", "2026-09-25T10:00", "--env", "prod",
                          "--format", "json")
        self.assertEqual(result.returncode, 1, result.stdout)
        data = json.loads(result.stdout)
        self.assertEqual(data["decision"], "block")
        holiday = [r for r in data["reasons"] if r["rule"] == "kr-holidays"]
        self.assertEqual(len(holiday), 1)
        self.assertEqual(holiday[0]["event"], "Chuseok")
        self.assertEqual(holiday[0]["kind"], "calendar")

    def test_next_skips_the_whole_chuseok_span(self):
        result = heinrich("next", "--policy", DEFAULT, "--after", "2026-09-23T09:00", "--duration", "2h",
                          "--env", "prod", "--count", "5", "--format", "json")
        self.assertEqual(result.returncode, 0, result.stderr)
        windows = json.loads(result.stdout)["windows"]
        # Chuseok is 24-26 September 2026 (Thu-Sat), with the evening before
        # (from 18:00 on the 23rd) and the morning after as buffers. No safe
        # stretch may start inside [23rd 18:00 - 4h exposure, 27th 12:00).
        blocked_from = dt.datetime(2026, 9, 23, 5, 0, tzinfo=dt.timezone.utc)   # 14:00 KST
        blocked_to = dt.datetime(2026, 9, 27, 3, 0, tzinfo=dt.timezone.utc)     # 12:00 KST on the 27th
        for window in windows:
            start = dt.datetime.fromisoformat(window["start"].replace("Z", "+00:00"))
            end = dt.datetime.fromisoformat(window["end"].replace("Z", "+00:00"))
            self.assertFalse(blocked_from < start < blocked_to, window)
            self.assertFalse(blocked_from < end < blocked_to, window)
        later = [w for w in windows if w["start"] > "2026-09-24"]
        self.assertTrue(later)
        self.assertGreaterEqual(later[0]["start"], "2026-09-27T03:00:00Z")
        # And every stretch start really is allowed.
        for window in windows:
            check = heinrich("check", "--policy", DEFAULT, "--at", window["start"], "--duration", "2h", "--env",
                             "prod")
            self.assertEqual(check.returncode, 0, check.stdout)


if __name__ == "__main__":
    unittest.main()
