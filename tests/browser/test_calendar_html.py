#!/usr/bin/env python3
"""Browser test of `heinrich calendar --format html`: Debian's headless
Chromium loads the page from a file, with no network and a fresh profile,
and
- dumps the DOM it built (--dump-dom): the expected days carry the expected
  risk classes, scores and labels, and the page logs nothing to the console
  (no script errors, no Content-Security-Policy violations);
- takes a screenshot (--screenshot): the PNG is kept as a CI artifact under
  the build folder ($HEINRICH_ARTIFACT_DIR), and its pixels show the three
  risk colours, so the inline CSS was applied.
Registered in CTest with the label "browser"."""
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import unittest
import zlib
from html.parser import HTMLParser

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_DIR = os.environ.get("HEINRICH_SOURCE_DIR") or os.path.dirname(os.path.dirname(HERE))
BIN = os.path.abspath(os.environ.get("HEINRICH_BIN") or os.path.join(SOURCE_DIR, "build-dev", "src", "heinrich"))
ARTIFACTS = os.environ.get("HEINRICH_ARTIFACT_DIR") or os.path.join(os.path.dirname(os.path.dirname(BIN)),
                                                                     "artifacts")
CHROMIUM = "/usr/bin/chromium"
DEFAULT = os.path.join(SOURCE_DIR, "policies", "default.toml")
WIDTH, HEIGHT = 1400, 2400

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--enable-logging=stderr", "--v=0"]

# Day -> (risk class, words its label must hold), for the default policy,
# environment prod, 12 months from December 2026, HEINRICH_NOW below.
NOW = "2026-12-14T10:00:00+09:00"
EXPECTED_DAYS = {
    "2026-12-22": ("risk-allow", ["Tue 22 December 2026: allow"]),
    "2026-12-19": ("risk-warn", ["Sat 19 December 2026: warn", "weekend (+45)"]),
    "2026-12-24": ("risk-block", ["block", "year-end-freeze (block window)", "payday (+70)"]),
    "2026-12-25": ("risk-block", ["kr-holidays: Christmas Day (+75)"]),
    "2027-01-04": ("risk-allow", ["Mon 4 January 2027: allow"]),
    "2027-01-25": ("risk-block", ["payday (+70)"]),
    "2027-02-07": ("risk-block", ["kr-holidays: Seollal (+75)"]),
    "2027-03-01": ("risk-block", ["Independence Movement Day"]),
    "2027-09-15": ("risk-block", ["Chuseok"]),
}


class Dom(HTMLParser):
    def __init__(self):
        super().__init__()
        self.days = {}
        self.tips = 0
        self.scripts = 0
        self.safe_items = 0
        self._in_safe = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "td" and "data-date" in attributes:
            self.days[attributes["data-date"]] = attributes
        if tag == "div" and attributes.get("role") == "tooltip":
            self.tips += 1
        if tag == "script":
            self.scripts += 1
        if tag == "section" and attributes.get("id") == "next-safe":
            self._in_safe = True
        if tag == "li" and self._in_safe:
            self.safe_items += 1

    def handle_endtag(self, tag):
        if tag == "section":
            self._in_safe = False


def png_pixels(data):
    """(width, height, rows of RGB tuples) of an 8-bit RGB or RGBA PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", chunk)
        elif kind == b"IDAT":
            idat += chunk
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = header
    assert depth == 8 and colour in (2, 6) and interlace == 0, header
    channels = 3 if colour == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * channels
    rows, previous = [], bytearray(stride)
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for x in range(stride):
            left = line[x - channels] if x >= channels else 0
            up = previous[x]
            corner = previous[x - channels] if x >= channels else 0
            if kind == 1:
                line[x] = (line[x] + left) & 0xFF
            elif kind == 2:
                line[x] = (line[x] + up) & 0xFF
            elif kind == 3:
                line[x] = (line[x] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                line[x] = (line[x] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 0xFF
        rows.append(line)
        previous = line
    return width, height, [[tuple(row[x * channels:x * channels + 3]) for x in range(0, width, 2)]
                           for row in rows[::2]]


@unittest.skipUnless(os.path.exists(CHROMIUM), "needs Debian's chromium (scripts/install-deps --test)")
class CalendarInChromium(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp()
        cls.page = os.path.join(cls.tmp, "risk-calendar.html")
        env = dict(os.environ, HEINRICH_NOW=NOW, NO_COLOR="1")
        env.pop("HEINRICH_POLICY", None)
        result = subprocess.run([BIN, "calendar", "--policy", DEFAULT, "--env", "prod", "--from", "2026-12",
                                 "--months", "12", "--format", "html", "-o", cls.page],
                                capture_output=True, text=True, env=env, timeout=60)
        assert result.returncode == 0, result.stderr
        with open(cls.page, encoding="utf-8") as handle:
            cls.source = handle.read()

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    def chromium(self, *args):
        profile = tempfile.mkdtemp(prefix="chromium-profile-")
        try:
            return subprocess.run([CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args,
                                   "file://" + self.page], capture_output=True, text=True, timeout=180,
                                  stdin=subprocess.DEVNULL)
        finally:
            shutil.rmtree(profile, ignore_errors=True)

    def test_dom_and_console(self):
        result = self.chromium("--dump-dom")
        self.assertEqual(result.returncode, 0, result.stderr[-3000:])
        console = [line for line in result.stderr.split("\n") if ":CONSOLE" in line]
        self.assertEqual(console, [], "the page logged to the console")
        dom = Dom()
        dom.feed(result.stdout)
        self.assertEqual(len(dom.days), 365, "Chromium built a cell for every day")
        self.assertEqual(dom.tips, 365)
        self.assertEqual(dom.scripts, 0)
        self.assertEqual(dom.safe_items, 5)
        for date, (risk, words) in EXPECTED_DAYS.items():
            day = dom.days[date]
            classes = day["class"].split()
            self.assertIn("day", classes, date)
            self.assertIn(risk, classes, date)
            self.assertEqual(day["data-decision"], risk.split("-")[1], date)
            for word in words:
                self.assertIn(word, day["aria-label"], date)
        self.assertIn("next-safe", dom.days["2026-12-14"]["class"].split())
        self.assertIn("today", dom.days["2026-12-14"]["class"].split())
        self.assertEqual(int(dom.days["2026-12-25"]["data-score"]), 86)  # Christmas 75 and Friday afternoon 45
        counts = {}
        for day in dom.days.values():
            counts[day["data-decision"]] = counts.get(day["data-decision"], 0) + 1
        self.assertGreater(counts["allow"], 150)
        self.assertGreater(counts["warn"], 80)
        self.assertGreater(counts["block"], 20)

    def test_screenshot_shows_the_risk_colours(self):
        os.makedirs(ARTIFACTS, exist_ok=True)
        png = os.path.join(ARTIFACTS, "calendar-html.png")
        if os.path.exists(png):
            os.unlink(png)
        result = self.chromium(f"--screenshot={png}", f"--window-size={WIDTH},{HEIGHT}", "--hide-scrollbars")
        self.assertEqual(result.returncode, 0, result.stderr[-3000:])
        self.assertTrue(os.path.exists(png), result.stderr[-3000:])
        shutil.copy(self.page, os.path.join(ARTIFACTS, "calendar.html"))
        with open(png, "rb") as handle:
            width, height, rows = png_pixels(handle.read())
        self.assertEqual((width, height), (WIDTH, HEIGHT))
        seen = {pixel for row in rows for pixel in row}
        # The day backgrounds of the page's CSS: allow, warn, block.
        for name, colour in (("allow", (0xda, 0xfb, 0xe1)), ("warn", (0xff, 0xf1, 0xb8)),
                             ("block", (0xff, 0xd8, 0xd3))):
            self.assertIn(colour, seen, f"no {name} day painted")
        print(f"screenshot: {png}", file=sys.stderr)


if __name__ == "__main__":
    unittest.main()
