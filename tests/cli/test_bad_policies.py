#!/usr/bin/env python3
"""Every malformed policy in tests/data/bad/ is refused with a precise diagnostic.

For each tests/data/bad/*.toml, `heinrich check --policy FILE` must exit 2 and
print on stderr

    FILE:LINE:COL: error: MESSAGE
       12 | the source line
          |     ^~~~

with LINE, COL and a piece of MESSAGE as listed in tests/data/bad/expected.tsv,
the offending line shown as it is in the file (without BOM or CR; invalid bytes
and control characters each shown as one placeholder), and the caret under
column COL (tabs in the padding where the line has tabs). It must never crash,
report an internal error or trip a sanitizer.

Run alone: python3 tests/cli/test_bad_policies.py
(HEINRICH_BIN defaults to build-dev/src/heinrich, HEINRICH_SOURCE_DIR to the repository.)
"""
import codecs
import glob
import importlib.util
import os
import re
import subprocess
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_DIR = os.environ.get("HEINRICH_SOURCE_DIR") or os.path.dirname(os.path.dirname(HERE))
BIN = os.environ.get("HEINRICH_BIN") or "/work/main/build-dev/src/heinrich"
BAD_DIR = os.path.join(SOURCE_DIR, "tests", "data", "bad")
EXPECTED_TSV = os.path.join(BAD_DIR, "expected.tsv")

CRASH_MARKERS = ("internal error", "AddressSanitizer", "LeakSanitizer", "UndefinedBehaviorSanitizer",
                 "runtime error:", "terminate called", "Segmentation fault", "Aborted")


def child_env():
    env = dict(os.environ)
    env.pop("HEINRICH_POLICY", None)
    env["NO_COLOR"] = "1"
    env["HEINRICH_NOW"] = "2026-12-20T10:00:00+09:00"
    return env


def run_check(path):
    return subprocess.run([BIN, "check", "--policy", path, "--at", "2026-12-24T18:00"],
                          stdin=subprocess.DEVNULL, capture_output=True, env=child_env(), timeout=20)


def load_expected():
    rows = {}
    with open(EXPECTED_TSV, encoding="utf-8") as tsv:
        for number, raw in enumerate(tsv, 1):
            line = raw.rstrip("\n")
            if not line or line.startswith("#") or line.startswith("file\t"):
                continue
            fields = line.split("\t")
            if len(fields) != 4:
                raise ValueError(f"{EXPECTED_TSV}:{number}: expected 4 tab-separated fields, got {len(fields)}")
            name, row, col, message = fields
            if name in rows:
                raise ValueError(f"{EXPECTED_TSV}:{number}: {name} is listed twice")
            rows[name] = (int(row), int(col), message)
    return rows


def _one_placeholder_per_byte(error):
    return ("?" * (error.end - error.start), error.end)


codecs.register_error("heinrich_placeholder", _one_placeholder_per_byte)


def displayed(raw_line):
    """How a source line should look in a diagnostic: bad bytes and control characters become '?'."""
    text = raw_line.decode("utf-8", errors="heinrich_placeholder")
    return "".join("?" if (ord(c) < 0x20 and c != "\t") or ord(c) == 0x7F else c for c in text)


def source_line(path, line):
    with open(path, "rb") as handle:
        data = handle.read()
    lines = data.split(b"\n")
    raw = lines[line - 1] if 0 < line <= len(lines) else b""
    if raw.endswith(b"\r"):
        raw = raw[:-1]
    if line == 1 and raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    return displayed(raw)


class CorpusTest(unittest.TestCase):
    def test_every_file_is_listed_and_every_listing_exists(self):
        files = {os.path.basename(p) for p in glob.glob(os.path.join(BAD_DIR, "*.toml"))}
        listed = set(load_expected())
        self.assertEqual(sorted(files - listed), [], "corpus files missing from expected.tsv")
        self.assertEqual(sorted(listed - files), [], "expected.tsv rows without a corpus file")
        self.assertGreaterEqual(len(files), 24)

    def test_generated_files_match_their_generator(self):
        spec = importlib.util.spec_from_file_location("make_binary_cases",
                                                      os.path.join(BAD_DIR, "make_binary_cases.py"))
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        for name, data in module.CASES.items():
            with self.subTest(file=name):
                with open(os.path.join(BAD_DIR, name), "rb") as handle:
                    self.assertEqual(handle.read(), data, f"{name} differs from make_binary_cases.py; rerun it")


class BadPolicyTest(unittest.TestCase):
    maxDiff = None

    def check_file(self, name, line, col, message):
        path = os.path.join(BAD_DIR, name)
        result = run_check(path)
        stderr = result.stderr.decode("utf-8", errors="replace")
        self.assertGreaterEqual(result.returncode, 0, f"killed by signal {-result.returncode}:\n{stderr}")
        for marker in CRASH_MARKERS:
            self.assertNotIn(marker, stderr)
        self.assertEqual(result.returncode, 2, f"exit status for {name}; stderr:\n{stderr}")
        self.assertEqual(result.stdout, b"", "nothing on stdout when the policy is refused")

        lines = stderr.split("\n")
        self.assertGreaterEqual(len(lines), 3, f"diagnostic too short:\n{stderr}")
        header = re.match(re.escape(path) + r":(\d+):(\d+): error: (.*)$", lines[0])
        self.assertIsNotNone(header, f"first line is not '{path}:LINE:COL: error: ...':\n{stderr}")
        self.assertEqual((int(header.group(1)), int(header.group(2))), (line, col),
                         f"position of the mistake in {name}:\n{stderr}")
        self.assertIn(message, header.group(3))
        # The position is said once, before "error:" (issue 11, item 20).
        self.assertIsNone(re.search(r"\bline \d+|\bcolumn \d+|\(\d+:\d+\)|" + re.escape(os.path.basename(path)) + ":",
                                    header.group(3)), f"the position repeated inside the message:\n{stderr}")

        shown = re.match(r"^( *(\d+) \| )(.*)$", lines[1])
        self.assertIsNotNone(shown, f"second line is not the source line:\n{stderr}")
        self.assertEqual(int(shown.group(2)), line, "line number in the gutter")
        expected_line = source_line(path, line)
        shown_col = col
        if len(expected_line) > 160:
            # A long line is shown as a window of 160 characters around the
            # column, "…" marking each cut; the caret moves with it.
            first = max(0, col - 1 - 60)
            cut = expected_line[first:first + 160]
            shown_col = col - first + (1 if first else 0)
            expected_line = ("…" if first else "") + cut + ("…" if first + 160 < len(expected_line) else "")
        shown_text = shown.group(3).replace("\ufffd", "?")
        self.assertEqual(shown_text, expected_line, f"source line shown for {name}")
        self.assertIsNone(re.search(r"[\x00-\x08\x0a-\x1f\x7f]", shown.group(3)), "raw control characters")

        gutter = " " * (len(shown.group(1)) - 2) + "| "
        self.assertTrue(lines[2].startswith(gutter), f"caret line gutter:\n{stderr}")
        caret = re.match(r"^([ \t]*)\^~*$", lines[2][len(gutter):])
        self.assertIsNotNone(caret, f"third line is not a caret line:\n{stderr}")
        pad = caret.group(1)
        self.assertEqual(len(pad), shown_col - 1, f"caret column in {name}:\n{stderr}")
        for index, char in enumerate(pad):
            under = expected_line[index] if index < len(expected_line) else " "
            self.assertEqual(char == "\t", under == "\t",
                             f"caret padding must copy tabs from the line (position {index + 1}):\n{stderr}")


def _add_cases():
    try:
        expected = load_expected()
    except OSError:
        return
    for name, (line, col, message) in sorted(expected.items()):
        method = "test_" + re.sub(r"\W", "_", name[: -len(".toml")] if name.endswith(".toml") else name)

        def test(self, name=name, line=line, col=col, message=message):
            self.check_file(name, line, col, message)

        test.__doc__ = f"{name}: {line}:{col} {message}"
        setattr(BadPolicyTest, method, test)


_add_cases()

if __name__ == "__main__":
    if not os.access(BIN, os.X_OK):
        sys.exit(f"HEINRICH_BIN={BIN} is not an executable")
    unittest.main()
