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
import json
import os
import re
import subprocess
import sys
import tempfile
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


SEVERAL = os.path.join(BAD_DIR, "several_mistakes.toml")
# (line, column, underlined text, piece of the message) of each mistake in it.
SEVERAL_EXPECTED = [
    (7, 1, "strat", "unknown key 'strat' in [[window]]; did you mean 'start'?"),
    (14, 8, '"high"', "'risk' must be an integer"),
    (19, 12, '"8 hours"', "'duration'"),
    (23, 12, '"Asia/Seol"', "unknown time zone 'Asia/Seol'"),
]


def run(*args):
    result = subprocess.run([BIN, *args], stdin=subprocess.DEVNULL, capture_output=True, env=child_env(),
                            timeout=30)
    stderr = result.stderr.decode("utf-8", errors="replace")
    for marker in CRASH_MARKERS:
        assert marker not in stderr, stderr
    return result.returncode, result.stdout.decode("utf-8", errors="replace"), stderr


def diagnostics(path, text, head=r"error"):
    """(line, column, message, source line, caret line) of each diagnostic about `path` in `text`."""
    lines = text.split("\n")
    found = []
    for index, line in enumerate(lines):
        match = re.match(re.escape(path) + r":(\d+):(\d+): " + head + r": (.*)$", line)
        if match:
            found.append((int(match.group(1)), int(match.group(2)), match.group(3), lines[index + 1],
                          lines[index + 2]))
    return found


class SeveralErrorsTest(unittest.TestCase):
    """Every schema error of a policy in one run, as compilers report them."""
    maxDiff = None

    def check_all_four(self, found):
        self.assertEqual([(line, col) for line, col, *_ in found],
                         [(line, col) for line, col, _, _ in SEVERAL_EXPECTED])
        for (line, col, message, source, caret), (_, _, token, piece) in zip(found, SEVERAL_EXPECTED):
            self.assertIn(piece, message)
            gutter = f"{line:>5} | "
            self.assertEqual(source, gutter + source_line(SEVERAL, line))
            # The caret under the first character, tildes under the rest of the token.
            self.assertEqual(caret, " " * (len(gutter) - 2) + "| " + " " * (col - 1) + "^" + "~" * (len(token) - 1))
            self.assertEqual(source_line(SEVERAL, line)[col - 1:col - 1 + len(token)], token)

    def test_every_command_reports_all_of_them_identically(self):
        status, stdout, check = run("check", "--policy", SEVERAL, "--at", "2026-12-24T18:00")
        self.assertEqual((status, stdout), (2, ""), check)
        self.check_all_four(diagnostics(SEVERAL, check))
        for command in (["next"], ["events", "--from", "2026-12-01", "--to", "2026-12-31"], ["calendar"]):
            with self.subTest(command=command[0]):
                status, _, stderr = run(*command, "--policy", SEVERAL)
                self.assertEqual(status, 2, stderr)
                self.assertEqual(stderr, check)

    def test_audit_reports_all_of_them_with_the_same_underlines(self):
        status, audit, stderr = run("audit", "--policy", SEVERAL)
        self.assertEqual(status, 1, audit + stderr)
        found = diagnostics(SEVERAL, audit, head=r"error\[H100\]")
        self.check_all_four(found)
        _, _, check = run("check", "--policy", SEVERAL)
        self.assertEqual([d[3:] for d in found], [d[3:] for d in diagnostics(SEVERAL, check)])
        self.assertIn(f"{SEVERAL}: 4 errors, 0 warnings", audit)

    def test_json_keeps_the_first_error_and_lists_all(self):
        status, stdout, _ = run("check", "--policy", SEVERAL, "--format", "json")
        self.assertEqual(status, 2)
        data = json.loads(stdout)
        first = {"message": data["errors"][0]["message"], "exit": 2, "file": SEVERAL, "line": 7, "column": 1}
        self.assertEqual(data["error"], first)
        self.assertEqual([(e["line"], e["column"]) for e in data["errors"]],
                         [(line, col) for line, col, _, _ in SEVERAL_EXPECTED])
        for error, (_, _, _, piece) in zip(data["errors"], SEVERAL_EXPECTED):
            self.assertIn(piece, error["message"])
            self.assertEqual((error["file"], error["exit"]), (SEVERAL, 2))
        self.assertEqual(data["not_shown"], 0)
        status, stdout, _ = run("audit", "--policy", SEVERAL, "--format", "json")
        findings = json.loads(stdout)["findings"]
        self.assertEqual([(f["code"], f["line"], f["column"]) for f in findings],
                         [("H100", line, col) for line, col, _, _ in SEVERAL_EXPECTED])

    def test_ci_formats_carry_every_error_with_its_extent(self):
        status, stdout, _ = run("audit", "--policy", SEVERAL, "--format", "sarif")
        self.assertEqual(status, 1)
        results = json.loads(stdout)["runs"][0]["results"]
        regions = [r["locations"][0]["physicalLocation"]["region"] for r in results]
        self.assertEqual([(r["startLine"], r["startColumn"], r["endColumn"]) for r in regions],
                         [(line, col, col + len(token)) for line, col, token, _ in SEVERAL_EXPECTED])
        status, stdout, _ = run("audit", "--policy", SEVERAL, "--format", "github")
        annotations = [line for line in stdout.split("\n") if line.startswith("::error ")]
        self.assertEqual(len(annotations), 4, stdout)
        for annotation, (line, col, token, _) in zip(annotations, SEVERAL_EXPECTED):
            self.assertIn(f"line={line},col={col},endLine={line},endColumn={col + len(token) - 1},", annotation)
        status, stdout, _ = run("audit", "--policy", SEVERAL, "--format", "junit")
        self.assertEqual(stdout.count("<failure"), 4, stdout)

    def test_the_number_of_errors_shown_is_capped(self):
        with tempfile.TemporaryDirectory() as directory:
            path = os.path.join(directory, "many.toml")
            with open(path, "w", encoding="utf-8") as handle:
                handle.write('version = 1\ntimezone = "Asia/Seoul"\n')
                for index in range(70):
                    handle.write(f'[[window]]\nname = "w{index}"\nbogus = 1\n')
            status, _, stderr = run("check", "--policy", path)
            self.assertEqual(status, 2)
            self.assertEqual(len(diagnostics(path, stderr)), 50)
            self.assertTrue(stderr.endswith("\n20 more errors not shown\n"), stderr[-200:])
            status, stdout, _ = run("check", "--policy", path, "--format", "json")
            data = json.loads(stdout)
            self.assertEqual((len(data["errors"]), data["not_shown"]), (50, 20))
            status, audit, _ = run("audit", "--policy", path)
            self.assertEqual(status, 1)
            self.assertEqual(len(diagnostics(path, audit, head=r"error\[H100\]")), 50)
            self.assertIn(f"{path}: error[H100]: 20 more errors not shown", audit)

    def test_a_syntax_error_is_reported_alone(self):
        path = os.path.join(BAD_DIR, "syntax_missing_value.toml")
        status, _, stderr = run("check", "--policy", path)
        self.assertEqual(status, 2)
        self.assertEqual(len(diagnostics(path, stderr)), 1, stderr)


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
