#!/usr/bin/python3
"""RRULE expansion oracle for heinrich (tests only; run with Debian /usr/bin/python3).

Writes tests/data/oracle/rrule-cases.tsv (path given as argv[1]).

Expansion: python3-dateutil's rrule generates the recurrence in LOCAL wall time
(naive DTSTART, so it applies no zone rules at all); every local occurrence is
then converted to UTC by oracle_tz.resolve (RFC 5545 3.3.5: gap -> offset before
the gap, overlap -> first instant) with Python zoneinfo offsets; UNTIL (always
UTC here, as RFC 5545 requires when DTSTART has a TZID) is compared as an
instant; COUNT counts instances before EXDATE removal; EXDATEs are resolved the
same way and removed by instant.

For comparison the same case is also run "raw" through dateutil.rrule with a
zone-aware DTSTART, once with dateutil.tz.gettz and once with zoneinfo.ZoneInfo;
where a raw result differs from the expected column, the note column says so.
"""

import json
import sys
import datetime as dt

import dateutil
from dateutil import rrule as du_rrule
from dateutil import tz as du_tz
from zoneinfo import ZoneInfo

from oracle_tz import (UTC, IanaZone, fmt_utc, fmt_local, parse_local, parse_utc,
                       resolve, tzdata_versions, windows_zone_map)

MAX_OCC = 40

# Diagnosed causes of second-opinion disagreements (printed only when they occur).
RT_CAUSES = {
    "c09_ny_dtstart_in_gap": "rrule-temporal carries the shifted wall time of DTSTART (03:30) to later days; RFC 5545 "
                             "expands from the DTSTART value 02:30, which exists on 03-10 and 03-11",
    "c15_feb29_implicit": "rrule-temporal clamps Feb 29 to Feb 28 in common years; RFC 5545 3.3.10 says invalid dates "
                          "are ignored and not counted",
    "c17_monthly_31_implicit": "rrule-temporal clamps day 31 to the month end and then keeps the clamped day (28); "
                               "RFC 5545 3.3.10 says invalid dates are ignored and not counted",
}

# case_id, tzid, dtstart_local, rrule, exdates (local), window_from_utc, window_to_utc, purpose
CASES = [
    ("c01_bysetpos_last_weekday", "America/New_York", "2025-01-31T09:00:00",
     "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1", [],
     "2025-01-01T00:00:00Z", "2026-01-01T00:00:00Z", "BYSETPOS=-1: last weekday of each month"),
    ("c02_last_friday", "Europe/Berlin", "2025-01-31T17:00:00",
     "FREQ=MONTHLY;BYDAY=-1FR", [],
     "2025-01-01T00:00:00Z", "2026-01-01T00:00:00Z", "BYDAY=-1FR: last Friday of each month"),
    ("c03_2nd_4th_friday", "Asia/Seoul", "2025-01-10T14:00:00",
     "FREQ=MONTHLY;BYDAY=2FR,4FR", [],
     "2025-01-01T00:00:00Z", "2026-01-01T00:00:00Z", "BYDAY=2FR,4FR: 2nd and 4th Friday"),
    ("c04_exdate_weekly", "America/New_York", "2025-06-03T10:00:00",
     "FREQ=WEEKLY;BYDAY=TU,TH", ["2025-06-19T10:00:00", "2025-07-03T10:00:00"],
     "2025-06-01T00:00:00Z", "2025-08-01T00:00:00Z", "EXDATE removes two instances"),
    ("c05_ny_spring_gap", "America/New_York", "2025-02-23T02:30:00",
     "FREQ=WEEKLY;BYDAY=SU", [],
     "2025-02-20T00:00:00Z", "2025-03-31T00:00:00Z", "02:30 on 2025-03-09 does not exist (02:00->03:00)"),
    ("c06_ny_autumn_overlap", "America/New_York", "2025-10-19T01:30:00",
     "FREQ=WEEKLY", [],
     "2025-10-15T00:00:00Z", "2025-11-20T00:00:00Z", "01:30 on 2025-11-02 occurs twice; first (EDT) instant"),
    ("c07_berlin_spring_gap", "Europe/Berlin", "2025-03-16T02:30:00",
     "FREQ=WEEKLY;BYDAY=SU", [],
     "2025-03-10T00:00:00Z", "2025-04-15T00:00:00Z", "02:30 on 2025-03-30 does not exist (02:00->03:00)"),
    ("c08_berlin_autumn_overlap", "Europe/Berlin", "2025-10-12T02:30:00",
     "FREQ=WEEKLY;BYDAY=SU", [],
     "2025-10-10T00:00:00Z", "2025-11-10T00:00:00Z", "02:30 on 2025-10-26 occurs twice; first (CEST) instant"),
    ("c09_ny_dtstart_in_gap", "America/New_York", "2025-03-09T02:30:00",
     "FREQ=DAILY;COUNT=3", [],
     "2025-03-01T00:00:00Z", "2025-04-01T00:00:00Z", "DTSTART itself is in the gap"),
    ("c10_until_utc_inclusive", "America/New_York", "2025-03-05T09:00:00",
     "FREQ=DAILY;UNTIL=20250312T130000Z", [],
     "2025-03-01T00:00:00Z", "2025-04-01T00:00:00Z", "UNTIL in UTC equals the last instance exactly (inclusive), across DST"),
    ("c11_until_utc_overlap", "Europe/Berlin", "2025-10-05T02:30:00",
     "FREQ=WEEKLY;UNTIL=20251026T003000Z", [],
     "2025-10-01T00:00:00Z", "2025-11-30T00:00:00Z", "UNTIL = first instant of the ambiguous 02:30; included only if the first instant is used"),
    ("c12_count", "Asia/Seoul", "2025-09-01T08:00:00",
     "FREQ=WEEKLY;BYDAY=MO,WE,FR;COUNT=10", [],
     "2025-08-01T00:00:00Z", "2025-12-01T00:00:00Z", "COUNT=10"),
    ("c13_count_with_exdate", "Asia/Seoul", "2025-09-01T08:00:00",
     "FREQ=DAILY;COUNT=5", ["2025-09-03T08:00:00"],
     "2025-08-01T00:00:00Z", "2025-12-01T00:00:00Z", "COUNT counts the excluded instance: 4 remain"),
    ("c14_feb29_bymonthday", "Asia/Seoul", "2024-02-29T09:00:00",
     "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29", [],
     "2024-01-01T00:00:00Z", "2041-01-01T00:00:00Z", "Feb 29 only in leap years (invalid dates skipped)"),
    ("c15_feb29_implicit", "UTC", "2024-02-29T12:00:00",
     "FREQ=YEARLY;COUNT=3", [],
     "2024-01-01T00:00:00Z", "2040-01-01T00:00:00Z", "yearly from Feb 29 without BY parts: skips common years"),
    ("c16_monthly_31", "Europe/Berlin", "2025-01-31T08:00:00",
     "FREQ=MONTHLY;BYMONTHDAY=31", [],
     "2025-01-01T00:00:00Z", "2026-01-01T00:00:00Z", "BYMONTHDAY=31 skips months without a 31st"),
    ("c17_monthly_31_implicit", "America/New_York", "2025-01-31T08:00:00",
     "FREQ=MONTHLY;COUNT=7", [],
     "2025-01-01T00:00:00Z", "2026-01-01T00:00:00Z", "monthly from the 31st without BY parts: skips short months"),
    ("c18_bymonthday_last", "America/New_York", "2025-01-31T23:30:00",
     "FREQ=MONTHLY;BYMONTHDAY=-1", [],
     "2025-01-01T00:00:00Z", "2026-01-02T00:00:00Z", "BYMONTHDAY=-1: last day of month; UTC date is the next day"),
    ("c19_interval2_weekly", "Europe/Berlin", "2025-01-06T09:00:00",
     "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO", [],
     "2025-01-01T00:00:00Z", "2025-07-01T00:00:00Z", "every other Monday, across DST"),
    ("c20_wkst_mo", "America/New_York", "1997-08-05T09:00:00",
     "FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=MO", [],
     "1997-08-01T00:00:00Z", "1997-10-01T00:00:00Z", "RFC 5545 3.8.5.3 example: WKST=MO gives Aug 5,10,19,24"),
    ("c21_wkst_su", "America/New_York", "1997-08-05T09:00:00",
     "FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=SU", [],
     "1997-08-01T00:00:00Z", "1997-10-01T00:00:00Z", "RFC 5545 3.8.5.3 example: WKST=SU gives Aug 5,17,19,31"),
    ("c22_seoul_daily", "Asia/Seoul", "2025-12-28T09:00:00",
     "FREQ=DAILY", [],
     "2025-12-28T00:00:00Z", "2026-01-07T00:00:00Z", "daily in Asia/Seoul across New Year; open-ended rule cut by the window"),
    ("c23_outlook_korea", "Korea Standard Time", "2025-03-03T10:00:00",
     "FREQ=WEEKLY;BYDAY=MO,WE;COUNT=6", [],
     "2025-03-01T00:00:00Z", "2025-04-01T00:00:00Z", "Windows zone name as TZID (Outlook)"),
    ("c24_outlook_w_europe", "W. Europe Standard Time", "2025-03-20T10:00:00",
     "FREQ=WEEKLY;BYDAY=TH;COUNT=4", [],
     "2025-03-01T00:00:00Z", "2025-05-01T00:00:00Z", "Windows zone name as TZID (Outlook), across DST"),
    ("c25_us_thanksgiving", "America/New_York", "2025-11-27T12:00:00",
     "FREQ=YEARLY;BYMONTH=11;BYDAY=4TH", [],
     "2025-01-01T00:00:00Z", "2035-01-01T00:00:00Z", "BYMONTH+BYDAY: 4th Thursday of November"),
    ("c26_hourly_byhour", "Asia/Seoul", "2025-03-03T09:00:00",
     "FREQ=HOURLY;INTERVAL=3;BYHOUR=9,12,15,18", [],
     "2025-03-03T00:00:00Z", "2025-03-06T00:00:00Z", "hourly with BYHOUR filter"),
    ("c27_friday_13th", "Europe/Berlin", "2025-06-13T13:00:00",
     "FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13", [],
     "2025-01-01T00:00:00Z", "2031-01-01T00:00:00Z", "BYDAY and BYMONTHDAY both restrict (Friday the 13th)"),
    ("c28_last_day_of_year", "Asia/Seoul", "2025-12-31T23:00:00",
     "FREQ=YEARLY;BYYEARDAY=-1;COUNT=4", [],
     "2025-01-01T00:00:00Z", "2030-01-01T00:00:00Z", "BYYEARDAY=-1"),
    ("c29_exdate_in_gap", "Europe/Berlin", "2025-03-16T02:30:00",
     "FREQ=WEEKLY;BYDAY=SU", ["2025-03-30T02:30:00"],
     "2025-03-10T00:00:00Z", "2025-04-15T00:00:00Z", "EXDATE naming the nonexistent 02:30 removes the gap instance"),
]


def zone_for(tzid):
    """IANA name (or Windows name mapped through CLDR windowsZones) -> (IanaZone, iana_name)."""
    try:
        return IanaZone(tzid), tzid
    except Exception:  # noqa: BLE001 -- not an IANA name: try the Windows names
        name = windows_zone_map()[tzid]
        return IanaZone(name), name


def split_until(rule):
    parts = rule.split(";")
    until = None
    keep = []
    for p in parts:
        k, _, v = p.partition("=")
        if k == "UNTIL":
            if not v.endswith("Z"):
                raise ValueError("UNTIL must be UTC when DTSTART has a TZID (RFC 5545 3.3.10)")
            until = dt.datetime.strptime(v, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
        else:
            keep.append(p)
    if until is not None and any(p.startswith("COUNT=") for p in keep):
        raise ValueError("COUNT and UNTIL together are invalid (RFC 5545)")
    return ";".join(keep), until


def expected(case):
    cid, tzid, dtstart, rule, exdates, wfrom, wto, _ = case
    zone, _ = zone_for(tzid)
    wfrom, wto = parse_utc(wfrom), parse_utc(wto)
    rule_nu, until = split_until(rule)
    start = parse_local(dtstart)
    r = du_rrule.rrulestr(rule_nu, dtstart=start)
    ex = {resolve(zone, parse_local(e))[0] for e in exdates}
    stop_local = (max(wto, until) if until else wto).replace(tzinfo=None) + dt.timedelta(days=2)
    out = []  # (utc, local, status)
    first = True
    for t in r:
        if first:
            if t != start:
                raise AssertionError(f"{cid}: DTSTART is not an instance of its rule (RFC 5545 leaves that undefined)")
            first = False
        if t > stop_local:
            break
        u, status = resolve(zone, t)
        if until is not None and u > until:
            continue
        if u in ex:
            continue
        if wfrom <= u < wto:
            out.append((u, t, status))
    us = [o[0] for o in out]
    if us != sorted(us) or len(set(us)) != len(us):
        raise AssertionError(f"{cid}: occurrences not strictly increasing: {us}")
    if not out or len(out) > MAX_OCC:
        raise AssertionError(f"{cid}: {len(out)} occurrences; choose the window for 1..{MAX_OCC}")
    return out


def raw(case, kind):
    """dateutil.rrule with a zone-aware DTSTART: kind = 'dateutil.tz' or 'zoneinfo'."""
    cid, tzid, dtstart, rule, exdates, wfrom, wto, _ = case
    if kind == "dateutil.tz":
        tzinfo = du_tz.gettz(tzid)
        if tzinfo is None:
            return None
    else:
        try:
            tzinfo = ZoneInfo(tzid)
        except Exception:  # noqa: BLE001 -- any failure means "cannot resolve this TZID"
            return None
    rs = du_rrule.rruleset()
    rs.rrule(du_rrule.rrulestr(rule, dtstart=parse_local(dtstart).replace(tzinfo=tzinfo)))
    for e in exdates:
        rs.exdate(parse_local(e).replace(tzinfo=tzinfo))
    wf, wt = parse_utc(wfrom), parse_utc(wto)
    return [x.astimezone(UTC) for x in rs.between(wf, wt, inc=True) if x < wt]


def dump_cases(path):
    data = []
    for cid, tzid, dtstart, rule, exdates, wfrom, wto, _ in CASES:
        data.append({"id": cid, "iana": zone_for(tzid)[1], "dtstart": dtstart, "rrule": rule,
                     "exdates": exdates, "from": wfrom, "to": wto})
    with open(path, "w", encoding="utf-8") as f:
        json.dump(data, f, indent=1)


def main():
    if sys.argv[1] == "--dump-cases":
        dump_cases(sys.argv[2])
        return
    outpath = sys.argv[1]
    second = None
    if len(sys.argv) > 2:
        with open(sys.argv[2], encoding="utf-8") as f:
            second = json.load(f)
    zi, deb = tzdata_versions()
    rows = []
    notes_summary = []
    wmap = windows_zone_map()
    for case in CASES:
        cid, tzid, dtstart, rule, exdates, wfrom, wto, purpose = case
        exp = expected(case)
        exp_u = [o[0] for o in exp]
        notes = [purpose]
        if zone_for(tzid)[1] != tzid:
            notes.append(f"TZID is a Windows name; IANA {wmap[tzid]} (CLDR windowsZones via node-ical windowsZones.json)")
        for u, t, status in exp:
            if status == "gap":
                notes.append(f"local {fmt_local(t)} is in a DST gap: RFC 5545 offset-before-gap gives {fmt_utc(u)}")
            elif status == "ambiguous":
                notes.append(f"local {fmt_local(t)} is ambiguous: first instant {fmt_utc(u)}")
        # raw oracle values
        for kind in ("dateutil.tz", "zoneinfo"):
            got = raw(case, kind)
            if got is None:
                msg = f"raw {kind}: cannot resolve TZID '{tzid}'"
                notes.append(msg)
                notes_summary.append(f"{cid}: {msg}; expected column uses the CLDR mapping")
                continue
            if got != exp_u:
                extra = [fmt_utc(x) for x in got if x not in exp_u]
                missing = [fmt_utc(x) for x in exp_u if x not in got]
                msg = f"raw {kind} DIFFERS: has {extra or '-'} instead of {missing or '-'}"
                notes.append(msg)
                notes_summary.append(f"{cid}: {msg}")
            else:
                notes.append(f"raw {kind} agrees")
        if second is not None:
            got = second["results"].get(cid)
            if isinstance(got, dict):
                msg = f"rrule-temporal error: {got['error']}"
                notes.append(msg)
                notes_summary.append(f"{cid}: {msg}")
            elif got != [fmt_utc(u) for u in exp_u]:
                extra = [x for x in got if x not in [fmt_utc(u) for u in exp_u]]
                missing = [fmt_utc(u) for u in exp_u if fmt_utc(u) not in got]
                msg = f"rrule-temporal DIFFERS: has {extra or '-'} instead of {missing or '-'}"
                if cid in RT_CAUSES:
                    msg += f" (cause: {RT_CAUSES[cid]})"
                notes.append(msg)
                notes_summary.append(f"{cid}: {msg}")
            else:
                notes.append("rrule-temporal agrees")
        for field in (cid, tzid, dtstart, rule, ",".join(exdates), wfrom, wto):
            if "\t" in field or "\n" in field:
                raise AssertionError("tab/newline in field")
        rows.append("\t".join([cid, tzid, dtstart, rule, ",".join(exdates), wfrom, wto,
                               ",".join(fmt_utc(u) for u in exp_u), "; ".join(notes)]))

    head = [
        "rrule-cases.tsv -- expected RRULE expansions (RFC 5545) for heinrich's recurrence code.",
        "Generated by tests/oracles/rrule_oracle.py (run tests/oracles/regen.sh); do not edit by hand.",
        f"Oracles: python3-dateutil {dateutil.__version__} (dateutil.rrule, Debian), Python {sys.version.split()[0]} zoneinfo,",
        f"  tzdata {zi} (/usr/share/zoneinfo/tzdata.zi; Debian package tzdata {deb}); Windows zone names mapped with",
        "  CLDR windowsZones as shipped in npm node-ical's windowsZones.json.",
        "Columns (tab-separated): case_id, tzid, dtstart_local, rrule, exdates (comma-separated local times, same TZID),",
        "  window_from_utc, window_to_utc, expected (comma-separated UTC instants), note.",
        "Window: an occurrence is listed when window_from_utc <= start < window_to_utc.",
        "How expected is computed (RFC 5545, not any library's quirk):",
        "  - dateutil.rrule expands the rule on NAIVE local wall time (no zone applied during expansion);",
        "  - each local time -> UTC: a nonexistent local time (DST gap) takes the UTC offset in force BEFORE the gap",
        "    (America/New_York 2025-03-09 02:30 -> 07:30Z = 03:30 EDT; Europe/Berlin 2025-03-30 02:30 -> 01:30Z = 03:30 CEST);",
        "    an ambiguous local time (DST overlap) is the FIRST instant (NY 2025-11-02 01:30 -> 05:30Z EDT;",
        "    Berlin 2025-10-26 02:30 -> 00:30Z CEST) [RFC 5545 3.3.5];",
        "  - UNTIL is UTC and compared as an instant, inclusive [3.3.10]; COUNT counts instances before EXDATE removal;",
        "    EXDATE values are resolved the same way and remove the instance with the same instant [3.8.5.1];",
        "  - dates that do not exist (Feb 29 in common years, day 31 in short months) are skipped, not moved [3.3.10];",
        "  - every case's DTSTART is itself an instance of its rule (RFC leaves unsynchronised DTSTART undefined).",
        "Raw oracle behaviour, recorded per case in the note column (expected does NOT follow these where they differ):",
        "  - dateutil.rrule with DTSTART aware in dateutil.tz.gettz(zone): a local time in a DST gap gets the offset",
        "    AFTER the gap (NY 02:30 -> 06:30Z = 01:30 EST, an hour early); ambiguous times give the first instant.",
        "  - dateutil.rrule with DTSTART aware in zoneinfo.ZoneInfo (fold=0): matches RFC 5545 for gaps and overlaps.",
        "  - neither dateutil.tz.gettz nor zoneinfo knows Windows zone names such as 'Korea Standard Time'.",
        *([f"Second opinion: npm rrule-temporal {second['version']} (tests/oracles/rrule_check.js; Windows TZIDs passed as",
           "  their IANA equivalent), compared per case in the note column."] if second else []),
        "Summary of disagreements of the raw oracles and of the second opinion with the expected column:",
    ]
    head += ["  " + s for s in notes_summary] or ["  none"]
    with open(outpath, "w", encoding="utf-8", newline="\n") as f:
        for h in head:
            f.write("# " + h + "\n")
        f.write("\t".join(["case_id", "tzid", "dtstart_local", "rrule", "exdates", "window_from_utc",
                           "window_to_utc", "expected_utc", "note"]) + "\n")
        for r in rows:
            f.write(r + "\n")


if __name__ == "__main__":
    main()
