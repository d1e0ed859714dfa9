#!/usr/bin/python3
"""ICS expansion oracle for heinrich (tests only; run with Debian /usr/bin/python3).

usage: ics_oracle.py ICS_DIR OUT_TSV [NODE_ICAL_JSON]

Parser: python3-icalendar (unfolding, parameters, components). Only the raw
property text and its TZID/VALUE parameters are taken from it; icalendar's own
time-zone handling is not used. Expansion: dateutil.rrule on naive local wall
time, plus the glue below (EXDATE, RECURRENCE-ID overrides, VTIMEZONE,
RFC 5545 3.3.5 gap/overlap resolution from oracle_tz.resolve).
If NODE_ICAL_JSON is given (output of node_ical_check.js) its instances are
compared with ours and every disagreement is written to the header.
"""

import datetime as dt
import json
import os
import sys

import icalendar
import dateutil
from dateutil import rrule as du_rrule

from oracle_tz import (UTC, IanaZone, FixedZone, fmt_utc, fmt_local, resolve, tzdata_versions,
                       windows_zone_map)

POLICY_ZONE = "Asia/Seoul"  # zone assumed for floating times and all-day dates

# file -> (window_from_utc, window_to_utc); shared with node_ical_check.js
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "ics_windows.json"), encoding="utf-8") as _f:
    WINDOWS = {k: tuple(v) for k, v in json.load(_f).items()}


# Diagnosed causes of node-ical disagreements (only printed when they occur).
NODE_ICAL_CAUSES = {
    "custom-vtimezone-dst.ics": "node-ical ignores a VTIMEZONE whose TZID is neither IANA nor Windows (it warns 'TZID "
                                "resolved to neither IANA nor UTC offset') and reads the wall time in the process zone "
                                "(Asia/Seoul), so every instance is off; ours follows the VTIMEZONE (RFC 5545 3.6.5).",
    "weekly-exdate-override.ics": "node-ical only generates instances whose ORIGINAL start is in the window, so the "
                                  "2025-04-29 instance moved by RECURRENCE-ID to 2025-04-24 (inside the window) is "
                                  "lost; RFC 5545 places the override at its new time.",
}


def putc(s):
    return dt.datetime.strptime(s, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


class VtzZone:
    """Offsets from a VTIMEZONE component: onsets of every STANDARD/DAYLIGHT
    observance (DTSTART + RRULE/RDATE, local time in TZOFFSETFROM)."""

    def __init__(self, comp, until_year=2100):
        self.name = str(comp["TZID"])
        trans = []  # (utc instant, offset_to)
        first_from = None
        for obs in comp.subcomponents:
            if obs.name not in ("STANDARD", "DAYLIGHT"):
                continue
            off_from = obs["TZOFFSETFROM"].td
            off_to = obs["TZOFFSETTO"].td
            start = dt.datetime.strptime(obs["DTSTART"].to_ical().decode(), "%Y%m%dT%H%M%S")
            onsets = [start]
            if "RRULE" in obs:
                rule = obs["RRULE"].to_ical().decode()
                r = du_rrule.rrulestr(rule, dtstart=start)
                onsets = [start] + [t for t in r.between(start, dt.datetime(until_year, 1, 1), inc=True)
                                    if t != start]
            if "RDATE" in obs:
                raise NotImplementedError("RDATE in VTIMEZONE not needed by the fixtures")
            for t in onsets:
                trans.append(((t - off_from).replace(tzinfo=UTC), off_to, off_from))
        trans.sort(key=lambda x: x[0])
        self.trans = trans
        self.initial = trans[0][2]

    def offset_at(self, u):
        off = self.initial
        for t, to, _ in self.trans:
            if t <= u:
                off = to
            else:
                break
        return off


class Ctx:
    def __init__(self, cal):
        self.vtz = {str(c["TZID"]): VtzZone(c) for c in cal.walk("VTIMEZONE")}
        self.xcheck = []  # notes about VTIMEZONE vs IANA

    def zone(self, tzid):
        if tzid in self.vtz:
            return self.vtz[tzid]
        try:
            return IanaZone(tzid)
        except Exception:  # noqa: BLE001
            return IanaZone(windows_zone_map()[tzid])

    def iana_equivalent(self, tzid):
        try:
            return IanaZone(tzid)
        except Exception:  # noqa: BLE001
            name = windows_zone_map().get(tzid)
            return IanaZone(name) if name else None


class Value:
    """One DATE / DATE-TIME value with its interpretation."""

    def __init__(self, text, tzid, is_date):
        self.text, self.tzid, self.is_date = text, tzid, is_date
        if is_date:
            self.kind = "allday"
            self.local = dt.datetime.strptime(text, "%Y%m%d")
        elif text.endswith("Z"):
            self.kind = "utc"
            self.local = dt.datetime.strptime(text, "%Y%m%dT%H%M%SZ")
        else:
            self.kind = "zoned" if tzid else "floating"
            self.local = dt.datetime.strptime(text, "%Y%m%dT%H%M%S")


def prop_values(prop):
    """icalendar property (vDDDTypes or vDDDLists) -> list of Value."""
    params = prop.params
    tzid = params.get("TZID")
    is_date = params.get("VALUE") == "DATE"
    if hasattr(prop, "dts"):
        texts = [d.to_ical().decode() for d in prop.dts]
    else:
        texts = [prop.to_ical().decode()]
    return [Value(t, tzid, is_date or (len(t) == 8)) for t in texts]


def to_utc(ctx, value, local=None):
    """Instant of a (possibly re-timed) value: (utc, status)."""
    t = value.local if local is None else local
    if value.kind == "utc":
        return t.replace(tzinfo=UTC), "ok"
    if value.kind == "zoned":
        return resolve(ctx.zone(value.tzid), t)
    return resolve(IanaZone(POLICY_ZONE), t)  # floating / all-day: policy zone


def local_in_zone(ctx, value, u):
    """Wall time of instant u in the value's own zone (UTC for UTC values)."""
    if value.kind == "utc":
        return u.replace(tzinfo=None)
    z = ctx.zone(value.tzid) if value.kind == "zoned" else IanaZone(POLICY_ZONE)
    return (u + z.offset_at(u)).replace(tzinfo=None)


def parse_duration(prop):
    td = prop.dt
    return td


def expand_file(path, notes):
    with open(path, "rb") as f:
        raw = f.read()
    cal = icalendar.Calendar.from_ical(raw)
    ctx = Ctx(cal)
    name = os.path.basename(path)
    wfrom, wto = (putc(x) for x in WINDOWS[name])
    masters, overrides = {}, {}
    for ev in cal.walk("VEVENT"):
        uid = str(ev["UID"])
        if "RECURRENCE-ID" in ev:
            overrides.setdefault(uid, []).append(ev)
        else:
            if uid in masters:
                raise AssertionError(f"{name}: two masters for {uid}")
            masters[uid] = ev
    out = []
    for uid in sorted(masters):
        ev = masters[uid]
        if "RDATE" in ev:
            raise NotImplementedError("RDATE not needed by the fixtures")
        start = prop_values(ev["DTSTART"])[0]
        su, _ = to_utc(ctx, start)
        # duration
        if "DTEND" in ev:
            end = prop_values(ev["DTEND"])[0]
            if start.kind == "allday":
                days = (end.local - start.local).days
                dur = ("days", days)
            else:
                eu, _ = to_utc(ctx, end)
                dur = ("exact", eu - su)
        elif "DURATION" in ev:
            td = ev["DURATION"].dt
            if td.days and start.kind != "allday":
                raise NotImplementedError("nominal day durations on timed events not needed")
            dur = ("days", td.days) if start.kind == "allday" else ("exact", td)
        else:
            # RFC 5545 3.6.1: DATE start without DTEND/DURATION lasts one day; DATE-TIME start: zero
            dur = ("days", 1) if start.kind == "allday" else ("exact", dt.timedelta(0))

        # occurrences (local wall time) of the master
        if "RRULE" in ev:
            rule = ev["RRULE"].to_ical().decode()
            parts, until = [], None
            for p in rule.split(";"):
                k, _, v = p.partition("=")
                if k == "UNTIL" and v.endswith("Z"):
                    until = dt.datetime.strptime(v, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
                else:
                    parts.append(p)
            r = du_rrule.rrulestr(";".join(parts), dtstart=start.local)
            stop = wto.replace(tzinfo=None) + dt.timedelta(days=400)
            locs = []
            for t in r:
                if t > stop:
                    break
                if until is not None and to_utc(ctx, start, t)[0] > until:
                    continue
                locs.append(t)
            if not locs or locs[0] != start.local:
                raise AssertionError(f"{name} {uid}: DTSTART is not the first instance")
        else:
            locs = [start.local]
        # EXDATE
        ex = set()
        exd = ev.get("EXDATE")
        if exd is not None:
            for prop in (exd if isinstance(exd, list) else [exd]):
                for v in prop_values(prop):
                    ex.add(to_utc(ctx, v)[0])
        # overrides
        ovs = {}
        for o in overrides.get(uid, []):
            rid = prop_values(o["RECURRENCE-ID"])[0]
            ovs[to_utc(ctx, rid)[0]] = o
        seen_ovs = set()
        for t in locs:
            u, status = to_utc(ctx, start, t)
            if u in ex:
                continue
            summary = str(ev.get("SUMMARY", ""))
            rid_u = u if "RRULE" in ev else None
            inst_start_val, inst_local, inst_u, inst_status = start, t, u, status
            inst_dur = dur
            if u in ovs:
                o = ovs[u]
                seen_ovs.add(u)
                ostart = prop_values(o["DTSTART"])[0]
                ou, ostatus = to_utc(ctx, ostart)
                if "DTEND" in o:
                    oend = prop_values(o["DTEND"])[0]
                    if ostart.kind == "allday":
                        inst_dur = ("days", (oend.local - ostart.local).days)
                    else:
                        inst_dur = ("exact", to_utc(ctx, oend)[0] - ou)
                elif "DURATION" in o:
                    inst_dur = ("exact", o["DURATION"].dt)
                inst_start_val, inst_local, inst_u, inst_status = ostart, ostart.local, ou, ostatus
                summary = str(o.get("SUMMARY", summary))
            if inst_start_val.kind == "allday":
                end_local = inst_local + dt.timedelta(days=inst_dur[1])
                end_u = to_utc(ctx, inst_start_val, end_local)[0]
            else:
                end_u = inst_u + inst_dur[1]
                end_local = local_in_zone(ctx, inst_start_val, end_u)
            start_local = inst_local if inst_status != "gap" else local_in_zone(ctx, inst_start_val, inst_u)
            # overlap with the window (zero-length: start inside)
            inside = (inst_u < wto and end_u > wfrom) if end_u > inst_u else (wfrom <= inst_u < wto)
            if not inside:
                continue
            if inst_status in ("gap", "ambiguous"):
                notes.append(f"{name} {uid}: local {fmt_local(inst_local)} in zone '{inst_start_val.tzid}' is "
                             f"{'in a DST gap' if inst_status == 'gap' else 'ambiguous'} -> {fmt_utc(inst_u)}"
                             f" (wall time {fmt_local(start_local)})")
            kind = inst_start_val.kind
            if kind == "zoned":
                zone_label = inst_start_val.tzid
            elif kind == "utc":
                zone_label = "UTC"
            elif kind == "floating":
                zone_label = f"floating(assumed {POLICY_ZONE})"
            else:
                zone_label = f"date(assumed {POLICY_ZONE})"
            if rid_u is None:
                rid = ""
            elif start.kind in ("allday",):
                rid = t.strftime("%Y-%m-%d")
            elif start.kind == "floating":
                rid = fmt_local(t)
            else:
                rid = fmt_utc(rid_u)
            if kind == "allday":
                sl, el = inst_local.strftime("%Y-%m-%d"), end_local.strftime("%Y-%m-%d")
            else:
                sl, el = fmt_local(start_local), fmt_local(end_local)
            if "\t" in summary or "\n" in summary:
                raise AssertionError("tab/newline in summary")
            out.append((inst_u, uid, rid, sl, el, zone_label, fmt_utc(inst_u), fmt_utc(end_u), kind,
                        "override" if rid_u is not None and u in ovs else ("instance" if rid_u is not None else "single"),
                        summary))
        missing = set(ovs) - seen_ovs
        if missing:
            raise AssertionError(f"{name} {uid}: RECURRENCE-ID without a generated instance: {missing}")
        # VTIMEZONE vs IANA cross-check on this event's zone
        if start.kind == "zoned" and start.tzid in ctx.vtz:
            iana = ctx.iana_equivalent(start.tzid)
            if iana is None:
                ctx.xcheck.append(f"{name}: TZID '{start.tzid}' exists only as a VTIMEZONE (no IANA/Windows name); "
                                  "expected times come from the VTIMEZONE alone")
            else:
                diffs = []
                for t in locs:
                    a = resolve(ctx.zone(start.tzid), t)[0]
                    b = resolve(iana, t)[0]
                    if a != b and wfrom <= a < wto:
                        diffs.append(f"{fmt_local(t)}: VTIMEZONE {fmt_utc(a)} vs {iana.name} {fmt_utc(b)}")
                ctx.xcheck.append(f"{name}: TZID '{start.tzid}' VTIMEZONE vs IANA {iana.name}: "
                                  + ("agree for every instance in the window" if not diffs else "DIFFER " + "; ".join(diffs)))
    for x in ctx.xcheck:
        if x not in notes:
            notes.append(x)
    out.sort(key=lambda r: (r[0], r[1], r[2]))
    return [(name,) + r[1:] for r in out]  # (file, uid, rid, start_local, ...)


def main():
    icsdir, outpath = sys.argv[1], sys.argv[2]
    node_json = sys.argv[3] if len(sys.argv) > 3 else None
    zi, deb = tzdata_versions()
    notes = []
    rows = []
    for name in sorted(WINDOWS):
        rows += expand_file(os.path.join(icsdir, name), notes)
    # node-ical second opinion
    node_notes = []
    if node_json:
        with open(node_json, encoding="utf-8") as f:
            node = json.load(f)
        node_version = node["version"]
        for name in sorted(WINDOWS):
            ours = sorted((r[1], r[6], r[7]) for r in rows if r[0] == name)
            theirs = sorted((i["uid"], i["start"], i["end"]) for i in node["files"][name])
            a, b = set(ours), set(theirs)
            if a != b and name in NODE_ICAL_CAUSES:
                node_notes.append(f"{name}: cause (diagnosed by reading node-ical's output): {NODE_ICAL_CAUSES[name]}")
            for x in sorted(a - b):
                node_notes.append(f"{name}: node-ical lacks {x[0]} {x[1]}..{x[2]}")
            for x in sorted(b - a):
                node_notes.append(f"{name}: node-ical has extra {x[0]} {x[1]}..{x[2]}")
    head = [
        "ics-expansion.tsv -- expected expansion of the .ics fixtures in tests/data/oracle/ics/ within a UTC window.",
        "Generated by tests/oracles/ics_oracle.py (run tests/oracles/regen.sh); do not edit by hand.",
        f"Oracles: python3-icalendar {icalendar.__version__} (parser only), python3-dateutil {dateutil.__version__} (rrule),",
        f"  Python {sys.version.split()[0]} zoneinfo with tzdata {zi} (Debian tzdata {deb}); expansion glue written in ics_oracle.py.",
        "Columns: file, uid, recurrence_id (original start of the instance: UTC for zoned/UTC series, local wall time",
        "  for floating series, date for all-day series; empty for non-recurring events), start_local, end_local,",
        "  local_zone (TZID as written, UTC, floating(...) or date(...)), start_utc, end_utc, timing",
        "  (zoned|utc|floating|allday), instance (single|instance|override), summary, window_from_utc, window_to_utc.",
        "Window: an instance is listed when it overlaps [window_from_utc, window_to_utc) (start < to and end > from;",
        "  a zero-length instance when from <= start < to). Rows sorted by start_utc, uid.",
        "Rules applied (RFC 5545):",
        "  - a VTIMEZONE in the file defines its TZID [3.6.5] (used even when the TZID is also an IANA/Windows name;",
        "    the cross-check against IANA is below); a TZID without VTIMEZONE is looked up as IANA, then as a Windows",
        "    name via CLDR windowsZones (node-ical's windowsZones.json);",
        "  - local times in a DST gap take the offset before the gap, ambiguous ones the first instant [3.3.5];",
        "  - EXDATE removes the instance with the same start instant; RECURRENCE-ID replaces the instance whose",
        "    original start instant equals it (the replacement may move anywhere, also into the window from outside);",
        "  - DTEND given: the same exact duration applies to every instance [3.8.5.3]; DURATION PTnM: exact;",
        "    DATE DTSTART without DTEND/DURATION: one day; DATE-TIME without either: zero length [3.6.1];",
        "  - UNTIL in UTC compared as an instant, inclusive; DATE UNTIL compared as a date;",
        f"  - FLOATING times and ALL-DAY dates have no zone: heinrich reads them in the policy zone; this table assumes",
        f"    {POLICY_ZONE} for the *_utc columns (start_local/end_local are the zone-free wall values). An all-day",
        "    event on local date D runs from D 00:00 to D+1 00:00 local (end_local is the exclusive end date).",
        "Per-file windows:",
    ]
    for name in sorted(WINDOWS):
        head.append(f"  {name}: {WINDOWS[name][0]} .. {WINDOWS[name][1]}")
    head.append("Notes (DST resolutions and VTIMEZONE vs IANA cross-checks):")
    head += ["  " + n for n in notes] or ["  none"]
    if node_json:
        head.append(f"Second opinion: npm node-ical {node_version} (tests/oracles/node_ical_check.js), same windows:")
        head += ["  " + n for n in node_notes] or ["  node-ical agrees on every instance (uid, start_utc, end_utc)."]
    with open(outpath, "w", encoding="utf-8", newline="\n") as f:
        for h in head:
            f.write("# " + h + "\n")
        f.write("\t".join(["file", "uid", "recurrence_id", "start_local", "end_local", "local_zone", "start_utc",
                           "end_utc", "timing", "instance", "summary", "window_from_utc", "window_to_utc"]) + "\n")
        for r in rows:
            f.write("\t".join(list(r) + list(WINDOWS[r[0]])) + "\n")


if __name__ == "__main__":
    main()
