#!/usr/bin/env python3
"""Whole-program tests of `heinrich wait` with the real clock and short
windows: allowed now, a block that ends seconds from now, --max-wait refused
at once, SIGTERM and SIGINT during the wait, the CPU time of a wait, a policy
edited during the wait, JSON equal to check's, and the progress output on a
terminal (a pty) and in a log.

Each policy is written for the test with a block window placed around the
real (or injected) time. Run alone:
    python3 tests/cli/test_wait.py
"""
import json
import os
import pty
import re
import resource
import select
import signal
import subprocess
import sys
import tempfile
import time
import unittest
from datetime import datetime, timedelta, timezone

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import BIN, CRASH_MARKERS, child_env, heinrich  # noqa: E402

POLICY = """version = 1
timezone = "UTC"

[[window]]
name = "{name}"
start = {start}
end = {end}
action = "block"
"""


def toml_time(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%S")


def utc_text(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def whole_second_now():
    return datetime.now(timezone.utc).replace(microsecond=0)


class WaitTestCase(unittest.TestCase):
    maxDiff = None

    def setUp(self):
        self.dir = tempfile.TemporaryDirectory(prefix="heinrich-wait-")
        self.policy = os.path.join(self.dir.name, "heinrich.toml")

    def tearDown(self):
        self.dir.cleanup()

    def write_policy(self, end, start=None, name="release-freeze"):
        start = start or end - timedelta(hours=1)
        text = POLICY.format(name=name, start=toml_time(start), end=toml_time(end))
        # Replaced atomically, as an editor or a `git pull` does: the waiting
        # process never reads half a file.
        scratch = self.policy + ".new"
        with open(scratch, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(scratch, self.policy)

    def wait(self, *args, now=None, timeout=30):
        started = time.monotonic()
        result = heinrich("wait", "--policy", self.policy, *args, env=child_env(now=now), timeout=timeout)
        return result, time.monotonic() - started

    def start(self, *args, now=None, stderr=subprocess.PIPE):
        return subprocess.Popen([BIN, "wait", "--policy", self.policy, *args], stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=stderr, env=child_env(now=now))

    def assert_clean(self, stderr):
        for marker in CRASH_MARKERS:
            self.assertNotIn(marker, stderr)


class AtOnce(WaitTestCase):
    def test_allowed_now_exits_zero_at_once(self):
        self.write_policy(end=whole_second_now() - timedelta(minutes=5))
        result, elapsed = self.wait(now=None)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertLess(elapsed, 1.5)
        self.assertIn("ALLOW", result.stdout)
        self.assertEqual(result.stderr, "")  # nothing waited, nothing to say

    def test_past_max_wait_exits_one_at_once_naming_the_opening(self):
        end = whole_second_now() + timedelta(hours=1)
        self.write_policy(end=end)
        result, elapsed = self.wait("--max-wait", "2s", now=None)
        self.assertEqual(result.returncode, 1, result.stderr)
        self.assertLess(elapsed, 1.5)  # said at once, not after waiting 2 s
        self.assertIn(utc_text(end), result.stderr)
        self.assertIn("release-freeze", result.stderr)
        self.assertIn("past --max-wait 2s: not waiting", result.stderr)
        self.assertIn("BLOCK", result.stdout)  # check's report of the decision
        self.assertIn("past --max-wait 2s", result.stdout)

    def test_json_says_why_it_did_not_wait(self):
        end = whole_second_now() + timedelta(hours=1)
        self.write_policy(end=end)
        result, _ = self.wait("--max-wait", "2s", "--format", "json", now=None)
        self.assertEqual(result.returncode, 1, result.stderr)
        data = json.loads(result.stdout)
        self.assertEqual(data["decision"], "block")
        self.assertEqual(data["wait"], {"outcome": "past-max-wait", "waited_seconds": 0, "max_wait": "2s",
                                        "opening": utc_text(end), "signal": None})

    def test_bad_options_are_usage_errors(self):
        self.write_policy(end=whole_second_now() - timedelta(minutes=5))
        for args, message in ((["--max-wait", "soon"], "soon"), (["--max-wait", "91d"], "at most 90d"),
                              (["--at", "+1h"], "--at"), (["--fail-on", "blok"], "did you mean 'block'")):
            with self.subTest(args=args):
                result, _ = self.wait(*args)
                self.assertEqual(result.returncode, 2, result.stderr)
                self.assertIn(message, result.stderr)


class Waiting(WaitTestCase):
    def test_block_ending_seconds_from_now_exits_zero_just_after(self):
        end = whole_second_now() + timedelta(seconds=4)
        self.write_policy(end=end)
        result, elapsed = self.wait(now=None)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertGreaterEqual(time.time(), end.timestamp())  # never before the window ends
        self.assertGreaterEqual(elapsed, 3.0)
        self.assertLess(elapsed, 6.0)
        self.assertLess(time.time() - end.timestamp(), 1.5, "woke late")
        self.assertIn("waiting until", result.stderr)
        self.assertIn(utc_text(end), result.stderr)
        self.assertIn("release-freeze", result.stderr)

    def test_injected_clock_advances_and_json_is_checks(self):
        # HEINRICH_NOW three seconds before the freeze ends: the clock starts
        # there and runs in real time.
        now = datetime(2026, 12, 14, 1, 0, 0, tzinfo=timezone.utc)
        self.write_policy(end=now + timedelta(seconds=3))
        result, elapsed = self.wait("--format", "json", now=utc_text(now))
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertGreaterEqual(elapsed, 3.0)
        self.assertLess(elapsed, 5.5)
        data = json.loads(result.stdout)
        self.assertEqual(data["at"], utc_text(now + timedelta(seconds=3)))
        self.assertEqual(data["wait"], {"outcome": "allowed", "waited_seconds": 3, "max_wait": "6h",
                                        "opening": None, "signal": None})
        # The rest is exactly what check says at that moment.
        check = heinrich("check", "--policy", self.policy, "--format", "json",
                         env=child_env(now=utc_text(now + timedelta(seconds=3))))
        self.assertEqual(check.returncode, 0, check.stderr)
        del data["wait"]
        self.assertEqual(data, json.loads(check.stdout))

    def test_log_output_is_rate_limited_and_sleeping_costs_no_cpu(self):
        end = whole_second_now() + timedelta(seconds=7)
        self.write_policy(end=end)
        def cpu_of(run):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            outcome = run()
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            return outcome, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)

        (result, elapsed), cpu = cpu_of(lambda: self.wait(now=None))
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertGreaterEqual(elapsed, 6.0)
        # What the wait does besides sleeping: two decisions (the first, and
        # the one at the opening), each a check's work. The sleep itself must
        # add next to nothing to that, however slow the build or the machine.
        _, one_check = cpu_of(lambda: heinrich("check", "--policy", self.policy, env=child_env(now=None)))
        print(f"\nCPU time of a {elapsed:.1f} s wait: {cpu:.3f} s (one check: {one_check:.3f} s)", file=sys.stderr)
        self.assertLess(cpu, 2 * one_check + 0.1)
        # A log, not a terminal: no carriage returns, one line to say what it
        # waits for and one when it is over.
        self.assertNotIn("\r", result.stderr)
        lines = result.stderr.splitlines()
        self.assertEqual(len(lines), 2, result.stderr)
        self.assertIn("waiting until", lines[0])
        self.assertIn("ALLOW after waiting", lines[1])

    def test_sigterm_and_sigint_cancel_promptly(self):
        for signum, name in ((signal.SIGTERM, "SIGTERM"), (signal.SIGINT, "SIGINT")):
            with self.subTest(signal=name):
                end = whole_second_now() + timedelta(hours=1)
                self.write_policy(end=end)
                process = self.start("--max-wait", "2h", "--format", "json")
                first = process.stderr.readline().decode()
                self.assertIn("waiting until", first)
                time.sleep(0.3)
                sent = time.monotonic()
                process.send_signal(signum)
                stdout, stderr = process.communicate(timeout=10)
                self.assertLess(time.monotonic() - sent, 2.0)
                self.assertEqual(process.returncode, 1)
                stderr = stderr.decode()
                self.assert_clean(stderr)
                self.assertIn("cancelled while waiting for release-freeze until", stderr)
                self.assertIn(utc_text(end), stderr)
                self.assertIn(name, stderr)
                data = json.loads(stdout)
                self.assertEqual(data["decision"], "block")
                self.assertEqual(data["wait"]["outcome"], "cancelled")
                self.assertEqual(data["wait"]["signal"], name)


class PolicyChanges(WaitTestCase):
    def test_the_policy_is_read_again_when_the_gate_was_to_open(self):
        # The freeze is extended while heinrich waits: at the old opening it
        # decides again with the new file and waits on.
        base = whole_second_now()
        self.write_policy(end=base + timedelta(seconds=2))
        process = self.start()
        first = process.stderr.readline().decode()
        self.assertIn("waiting until", first)
        self.write_policy(end=base + timedelta(seconds=4), name="extended-freeze")
        stdout, stderr = process.communicate(timeout=20)
        stderr = first + stderr.decode()
        self.assertEqual(process.returncode, 0, stderr)
        self.assertGreaterEqual(time.time(), (base + timedelta(seconds=4)).timestamp())
        waits = [line for line in stderr.splitlines() if "waiting until" in line]
        self.assertEqual(len(waits), 2, stderr)
        self.assertIn("extended-freeze", waits[1])
        self.assertIn(utc_text(base + timedelta(seconds=4)), waits[1])

    def test_terminal_countdown_and_a_lifted_freeze_seen_within_a_second(self):
        end = whole_second_now() + timedelta(hours=1)
        self.write_policy(end=end)
        master, slave = pty.openpty()
        process = self.start("--max-wait", "2h", stderr=slave)
        os.close(slave)
        output = b""
        lifted = None
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.2)
            if ready:
                try:
                    chunk = os.read(master, 4096)
                except OSError:  # the pty closes when heinrich exits
                    break
                if not chunk:
                    break
                output += chunk
            if lifted is None and output.count(b"left, until") >= 2:
                # Two countdown redraws seen: lift the freeze.
                self.write_policy(end=whole_second_now() - timedelta(minutes=1))
                lifted = time.monotonic()
            if process.poll() is not None and not ready:
                break
        os.close(master)
        process.wait(timeout=5)
        self.assertIsNotNone(lifted, output)
        self.assertLess(time.monotonic() - lifted, 3.0)
        text = output.decode()
        self.assertEqual(process.returncode, 0, text)
        self.assertIn("\r", text)  # redrawn in place
        self.assertRegex(text, r"waiting for release-freeze: (59m5\ds|1h) left")
        self.assertIn("the policy file changed; deciding again", text)
        self.assertIn("ALLOW", text)


class Reference(unittest.TestCase):
    def test_help_has_no_at_and_has_max_wait(self):
        text = heinrich("help", "wait").stdout
        self.assertIn("--max-wait", text)
        self.assertIn("--fail-on", text)
        self.assertNotIn("--at ", text)
        self.assertTrue(re.search(r"--duration", text))


if __name__ == "__main__":
    unittest.main(verbosity=2)
