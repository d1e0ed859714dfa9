"""Shared pieces of the whole-program tests: where the binary and the sources
are, a child environment that never reads the real clock, and a runner that
turns crashes, sanitizer reports and out-of-contract exit statuses into
failures."""
import atexit
import os
import re
import shutil
import subprocess
import tempfile
from datetime import datetime, timezone

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
    return result


def parse_utc(text):
    fmt = "%Y-%m-%dT%H:%M:%SZ" if text.count(":") == 2 else "%Y-%m-%dT%H:%MZ"
    return datetime.strptime(text, fmt).replace(tzinfo=timezone.utc)
