#!/usr/bin/env python3
"""Writes the 200-release plan in its three forms, the same releases in each:
release-plan-200.csv, release-plan-200.ics (a team release calendar, local
times with a VTIMEZONE) and release-plan-200.toml. Deterministic: rerun it
and the files do not change.

    python3 tests/data/plans/make_plans.py
"""
import datetime as dt
import os

HERE = os.path.dirname(os.path.abspath(__file__))
SERVICES = ["payments-api", "mobile-banking", "auth", "ledger", "notifications", "search", "web-frontend",
            "card-gateway"]
ENVIRONMENTS = ["prod", "prod", "prod", "staging"]
DURATIONS = [30, 45, 60, 90, 120]


def releases(count=200):
    """(start local datetime in Asia/Seoul, service, environment, minutes), in start order, starts unique."""
    state = 20261215
    start = dt.datetime(2026, 12, 15, 0, 0)
    out = []
    taken = set()
    while len(out) < count:
        state = (state * 1103515245 + 12345) % 2**31
        day = state % 110                      # mid-December to early April: the freeze, Seollal, paydays
        state = (state * 1103515245 + 12345) % 2**31
        slot = state % 96                      # a quarter-hour of the day
        when = start + dt.timedelta(days=day, minutes=15 * slot)
        if when in taken:
            continue
        taken.add(when)
        state = (state * 1103515245 + 12345) % 2**31
        service = SERVICES[state % len(SERVICES)]
        version = f"{1 + state % 4}.{state % 17}.{state % 7}"
        environment = ENVIRONMENTS[(state >> 8) % len(ENVIRONMENTS)]
        minutes = DURATIONS[(state >> 12) % len(DURATIONS)]
        out.append((when, f"{service} {version}", environment, minutes))
    out.sort()
    return out


def duration_text(minutes):
    hours, rest = divmod(minutes, 60)
    return (f"{hours}h" if hours else "") + (f"{rest}m" if rest else "")


def write_csv(items, path):
    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write("# 200 planned releases (tests/data/plans/make_plans.py); local times in the policy zone\n")
        handle.write("service,environment,start,duration\n")
        for when, service, environment, minutes in items:
            handle.write(f"{service},{environment},{when:%Y-%m-%dT%H:%M},{duration_text(minutes)}\n")


def write_ics(items, path):
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//heinrich tests//release plan//EN",
             "CALSCALE:GREGORIAN", "X-WR-CALNAME:Release train", "BEGIN:VTIMEZONE", "TZID:Asia/Seoul",
             "BEGIN:STANDARD", "DTSTART:19700101T000000", "TZOFFSETFROM:+0900", "TZOFFSETTO:+0900",
             "TZNAME:KST", "END:STANDARD", "END:VTIMEZONE"]
    for index, (when, service, environment, minutes) in enumerate(items):
        end = when + dt.timedelta(minutes=minutes)
        lines += ["BEGIN:VEVENT", f"UID:release-{index:03}@plan.example", "DTSTAMP:20261201T000000Z",
                  f"DTSTART;TZID=Asia/Seoul:{when:%Y%m%dT%H%M%S}", f"DTEND;TZID=Asia/Seoul:{end:%Y%m%dT%H%M%S}",
                  f"SUMMARY:[{environment}] {service}", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write("\r\n".join(lines) + "\r\n")


def write_toml(items, path):
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("# 200 planned releases (tests/data/plans/make_plans.py)\nversion = 1\n"
                     "timezone = \"Asia/Seoul\"\n")
        for when, service, environment, minutes in items:
            handle.write(f"\n[[release]]\nservice = \"{service}\"\nenvironment = \"{environment}\"\n"
                         f"start = {when:%Y-%m-%dT%H:%M:%S}\nduration = \"{duration_text(minutes)}\"\n")


if __name__ == "__main__":
    items = releases()
    write_csv(items, os.path.join(HERE, "release-plan-200.csv"))
    write_ics(items, os.path.join(HERE, "release-plan-200.ics"))
    write_toml(items, os.path.join(HERE, "release-plan-200.toml"))
