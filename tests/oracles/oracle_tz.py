"""Shared time-zone glue for heinrich's test oracles (run with Debian /usr/bin/python3).

Not product code. The only direction trusted from a zone implementation is
UTC instant -> UTC offset (that one is unambiguous). Local wall time -> UTC is
resolved here, explicitly, by the RFC 5545 section 3.3.5 rules:
  * a local time that does not exist (DST gap) is taken with the UTC offset in
    force BEFORE the gap (so 02:30 on a spring-forward day with a 02:00->03:00
    jump comes out as 03:30 in the new offset);
  * a local time that occurs twice (DST overlap) is the FIRST (earlier) instant.
"""

import datetime as _dt
import json
import os
import subprocess
from zoneinfo import ZoneInfo

UTC = _dt.timezone.utc
HERE = os.path.dirname(os.path.abspath(__file__))
WINDOWS_ZONES_JSON = os.path.join(HERE, "node_modules", "node-ical", "windowsZones.json")


def fmt_utc(u):
    return u.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def fmt_local(t):
    return t.strftime("%Y-%m-%dT%H:%M:%S")


def parse_local(s):
    return _dt.datetime.strptime(s, "%Y-%m-%dT%H:%M:%S")


def parse_utc(s):
    return _dt.datetime.strptime(s, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


def tzdata_versions():
    """(tzdata.zi version line, Debian tzdata package version)."""
    zi = "unknown"
    try:
        with open("/usr/share/zoneinfo/tzdata.zi", encoding="ascii") as f:
            first = f.readline().strip()
        if first.startswith("# version "):
            zi = first[len("# version "):]
    except OSError:
        pass
    deb = "unknown"
    try:
        deb = subprocess.run(["dpkg-query", "-W", "-f=${Version}", "tzdata"],
                             capture_output=True, text=True, check=True).stdout.strip() or "unknown"
    except (OSError, subprocess.CalledProcessError):
        pass
    return zi, deb


_WINDOWS = None


def windows_zone_map():
    """Windows zone name -> IANA name, from node-ical's windowsZones.json (CLDR windowsZones)."""
    global _WINDOWS
    if _WINDOWS is None:
        with open(WINDOWS_ZONES_JSON, encoding="utf-8") as f:
            data = json.load(f)
        _WINDOWS = {k: v["iana"][0] for k, v in data.items()}
    return _WINDOWS


class IanaZone:
    """Offsets from Python zoneinfo (system tzdata)."""

    def __init__(self, name):
        self.name = name
        self.zi = ZoneInfo(name)

    def offset_at(self, u):
        return u.astimezone(self.zi).utcoffset()


class FixedZone:
    def __init__(self, name, offset):
        self.name = name
        self.offset = offset

    def offset_at(self, u):
        return self.offset


def resolve(zone, t):
    """Local naive datetime -> (aware UTC datetime, status) with status in
    'ok', 'ambiguous', 'gap'. RFC 5545 3.3.5 resolution, see module doc."""
    probe = t.replace(tzinfo=UTC)
    cands = sorted({zone.offset_at(probe + _dt.timedelta(hours=h)) for h in (-36, -24, -12, 0, 12, 24, 36)})
    valid = []
    for o in cands:
        u = (t - o).replace(tzinfo=UTC)
        if zone.offset_at(u) == o:
            valid.append(u)
    valid = sorted(set(valid))
    if len(valid) == 1:
        return valid[0], "ok"
    if len(valid) > 1:
        return valid[0], "ambiguous"
    # Gap: the offset in force just before the transition is the offset at the
    # earliest candidate instant (which lies before the transition).
    assert len(cands) == 2, (zone.name, t, cands)
    earliest = min((t - o).replace(tzinfo=UTC) for o in cands)
    before = zone.offset_at(earliest)
    u = (t - before).replace(tzinfo=UTC)
    return u, "gap"
