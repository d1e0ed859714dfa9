"""Shared pieces of the whole-program tests: where the binary and the sources
are, a child environment that never reads the real clock, and a runner that
turns crashes, sanitizer reports and out-of-contract exit statuses into
failures."""
import atexit
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from datetime import date, datetime, time, timezone

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_DIR = os.environ.get("HEINRICH_SOURCE_DIR") or os.path.dirname(os.path.dirname(HERE))
BIN = os.path.abspath(os.environ.get("HEINRICH_BIN") or os.path.join(SOURCE_DIR, "build-dev", "src", "heinrich"))
POLICIES = os.path.join(SOURCE_DIR, "tests", "data", "policies")
ORACLE = os.path.join(SOURCE_DIR, "tests", "data", "oracle")
DEFAULT = os.path.join(SOURCE_DIR, "policies", "default.toml")

# Monday 2026-12-14 10:00 in Seoul.
NOW = "2026-12-14T10:00:00+09:00"
UTC_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")  # RFC 3339, seconds always
CRASH_MARKERS = ("internal error", "AddressSanitizer", "LeakSanitizer", "UndefinedBehaviorSanitizer",
                 "runtime error:", "terminate called")


# The parsed-calendar cache of these runs: never the user's own.
CACHE_DIR = tempfile.mkdtemp(prefix="heinrich-cli-cache-")
atexit.register(shutil.rmtree, CACHE_DIR, ignore_errors=True)


def child_env(now=NOW, **extra):
    env = dict(os.environ)
    env.pop("HEINRICH_POLICY", None)
    env.pop("HEINRICH_NO_CACHE", None)
    env["HEINRICH_CACHE_DIR"] = CACHE_DIR
    env["NO_COLOR"] = "1"
    if now is None:
        env.pop("HEINRICH_NOW", None)
    else:
        env["HEINRICH_NOW"] = now
    env.update(extra)
    return env


def heinrich(*args, env=None, cwd=None, timeout=30, raw_stdout=False):
    """Runs the binary; stdout is text, or bytes with raw_stdout (CRLF kept)."""
    result = subprocess.run([BIN, *args], stdin=subprocess.DEVNULL, capture_output=True,
                            env=env if env is not None else child_env(), cwd=cwd, timeout=timeout)
    result.stderr = result.stderr.decode("utf-8", "replace")
    if not raw_stdout:
        result.stdout = result.stdout.decode("utf-8", "replace").replace("\r\n", "\n")
    if result.returncode < 0:
        raise AssertionError(f"heinrich {' '.join(args)} killed by signal {-result.returncode}:\n{result.stderr}")
    for marker in CRASH_MARKERS:
        if marker in result.stderr:
            raise AssertionError(f"heinrich {' '.join(args)} reported '{marker}':\n{result.stderr}")
    if result.returncode not in (0, 1, 2):
        raise AssertionError(f"exit status {result.returncode} is outside the contract:\n{result.stderr}")
    validate_json_output(args, result.stdout)
    return result


# --- JSON Schemas -------------------------------------------------------------
# Every `--format json` document a run of these commands prints on stdout is
# validated against `heinrich schema COMMAND` (wait prints check's), with a
# real validator (python3-jsonschema), errors included.
SCHEMA_OF_COMMAND = {"check": "check", "wait": "check", "next": "next", "events": "events", "audit": "audit",
                     "audit-overrides": "audit"}
_schemas = {}
VALIDATED = {}


def schema(name):
    """`heinrich schema NAME`, parsed; once per process."""
    if name not in _schemas:
        result = subprocess.run([BIN, "schema", name], capture_output=True, text=True, timeout=30)
        assert result.returncode == 0, f"heinrich schema {name}: {result.stderr}"
        _schemas[name] = json.loads(result.stdout)
    return _schemas[name]


def validator(name):
    try:
        import jsonschema
    except ImportError as error:  # a missing validator must not pass silently
        raise AssertionError("the JSON Schema tests need python3-jsonschema (scripts/install-deps --test)") from error
    return jsonschema.Draft202012Validator(schema(name), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def schema_errors(name, document):
    """The validation errors of `document` against `heinrich schema NAME`."""
    return sorted(validator(name).iter_errors(document), key=lambda error: list(error.absolute_path))


def assert_valid(name, document, what=""):
    errors = schema_errors(name, document)
    if errors:
        shown = "\n".join(f"  at /{'/'.join(map(str, e.absolute_path))}: {e.message[:300]}" for e in errors[:5])
        raise AssertionError(f"{what or name} does not match `heinrich schema {name}`:\n{shown}")
    VALIDATED[name] = VALIDATED.get(name, 0) + 1


def json_format_requested(args):
    return any(arg == "--format=json" for arg in args) or any(
        a == "--format" and b == "json" for a, b in zip(args, args[1:]))


def validate_json_output(args, stdout):
    if not args or args[0] not in SCHEMA_OF_COMMAND or not json_format_requested(args):
        return
    if any(arg in ("-o", "--output") or arg.startswith("--output=") for arg in args):
        return  # the JSON went to the file; stdout has the text summary
    if not isinstance(stdout, str) or not stdout.strip():
        return
    assert_valid(SCHEMA_OF_COMMAND[args[0]], json.loads(stdout), f"heinrich {' '.join(args)}")


def toml_as_json(value):
    """A parsed TOML document as editors hand it to a JSON Schema: dates and times as strings."""
    if isinstance(value, dict):
        return {key: toml_as_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [toml_as_json(item) for item in value]
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    return value


def _report_validated():
    if VALIDATED:
        counts = ", ".join(f"{name} {count}" for name, count in sorted(VALIDATED.items()))
        print(f"schemas: {sum(VALIDATED.values())} JSON documents validated ({counts})", file=sys.stderr)


atexit.register(_report_validated)


def parse_utc(text):
    fmt = "%Y-%m-%dT%H:%M:%SZ" if text.count(":") == 2 else "%Y-%m-%dT%H:%MZ"
    return datetime.strptime(text, fmt).replace(tzinfo=timezone.utc)
