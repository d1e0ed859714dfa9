#!/usr/bin/env python3
"""Machine-readable output: every time in every JSON document is RFC 3339
with seconds and an offset (what jq's fromdateiso8601 and Go's time.RFC3339
accept), and under --format json an error is a JSON object on stdout too."""
import json
import os
import re
import sys
import tempfile
import unittest
from datetime import datetime

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import DEFAULT, heinrich  # noqa: E402

RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$")
TIME_KEYS = {"at", "end", "start", "after", "local_start", "local_end", "local_at", "watch_until", "generated_at",
             "next_safe", "now"}


def times_in(value, key=None):
    """Every string under a key that names a time, anywhere in the document."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield from times_in(v, k)
    elif isinstance(value, list):
        for item in value:
            yield from times_in(item, key)
    elif isinstance(value, str) and key in TIME_KEYS:
        yield key, value


class Rfc3339(unittest.TestCase):
    def assert_times(self, document):
        found = list(times_in(document))
        self.assertTrue(found, "no times found")
        for key, text in found:
            self.assertRegex(text, RFC3339, key)
            datetime.fromisoformat(text.replace("Z", "+00:00"))  # parses as an aware instant

    def json_of(self, *args):
        result = heinrich(*args, "--policy", DEFAULT, "--format", "json")
        self.assertIn(result.returncode, (0, 1), result.stderr)
        return json.loads(result.stdout)

    def test_check(self):
        # On the hour and at odd seconds: seconds are always printed.
        for at in ("2026-11-25T10:00", "2026-11-25T10:00:17+09:00", "2027-01-25T09:00"):
            with self.subTest(at=at):
                document = self.json_of("check", "--at", at, "--env", "prod")
                self.assert_times(document)
                self.assertTrue(document["reasons"])

    def test_next_and_events(self):
        self.assert_times(self.json_of("next", "--after", "2026-12-18T12:00", "--env", "prod"))
        self.assert_times(self.json_of("events", "--from", "2026-12-01", "--to", "2026-12-31"))


class JsonErrors(unittest.TestCase):
    def test_an_input_error_is_a_json_object_on_stdout(self):
        result = heinrich("check", "--policy", DEFAULT, "--env", "prdo", "--format", "json")
        self.assertEqual(result.returncode, 2)
        error = json.loads(result.stdout)["error"]
        self.assertEqual(error["exit"], 2)
        self.assertIn("unknown environment 'prdo'", error["message"])
        self.assertIn("did you mean 'prod'?", result.stderr)  # the diagnostic still goes to stderr

    def test_a_policy_error_carries_its_position(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "bad.toml")
            with open(path, "w", encoding="utf-8") as handle:
                handle.write('version = 1\ntimezone = "Asia/Seoul"\n[[factor]]\nname = "f"\nrisk = 5\nbufer_before = "1h"\n')
            result = heinrich("check", "--policy", path, "--format=json")
            self.assertEqual(result.returncode, 2)
            error = json.loads(result.stdout)["error"]
            self.assertEqual((error["file"], error["line"], error["column"]), (path, 6, 1))
            self.assertIn("unknown key 'bufer_before'", error["message"])

    def test_an_error_without_a_position_has_no_line(self):
        result = heinrich("check", "--policy", "/nonexistent/heinrich.toml", "--format", "json")
        self.assertEqual(result.returncode, 2)
        error = json.loads(result.stdout)["error"]
        self.assertNotIn("line", error)  # no made-up position 0:0
        self.assertEqual(error["exit"], 2)

    def test_an_option_error_is_json_too(self):
        result = heinrich("next", "--policy", DEFAULT, "--count", "0", "--format", "json")
        self.assertEqual(result.returncode, 2)
        self.assertEqual(json.loads(result.stdout)["error"]["exit"], 2)


if __name__ == "__main__":
    unittest.main()
