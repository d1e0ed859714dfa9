#!/usr/bin/python3
"""Writes the .ics input fixtures in tests/data/oracle/ics/ (argv[1] = that directory).

The files are inputs, not oracle output: they are written from the literal
content lines below so that line endings (CRLF) and folding (75 octets,
continuation lines start with one space, never inside a UTF-8 sequence) are
exactly as RFC 5545 3.1 and Outlook produce them. Deterministic.
"""

import os
import sys


def fold(line):
    """RFC 5545 3.1: lines longer than 75 octets are folded (CRLF + single space)."""
    out = []
    cur = b""
    limit = 75
    for ch in line:
        b = ch.encode("utf-8")
        if len(cur) + len(b) > limit:
            out.append(cur)
            cur = b" "
            limit = 75  # the leading space counts toward the 75 octets
        cur += b
    out.append(cur)
    return b"\r\n".join(out)


def write(path, lines):
    data = b"".join(fold(l) + b"\r\n" for l in lines)
    with open(path, "wb") as f:
        f.write(data)


NY_VTIMEZONE = [
    "BEGIN:VTIMEZONE",
    "TZID:America/New_York",
    "X-LIC-LOCATION:America/New_York",
    "BEGIN:DAYLIGHT",
    "TZOFFSETFROM:-0500",
    "TZOFFSETTO:-0400",
    "TZNAME:EDT",
    "DTSTART:19700308T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU",
    "END:DAYLIGHT",
    "BEGIN:STANDARD",
    "TZOFFSETFROM:-0400",
    "TZOFFSETTO:-0500",
    "TZNAME:EST",
    "DTSTART:19701101T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU",
    "END:STANDARD",
    "END:VTIMEZONE",
]

WEEKLY = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//heinrich//oracle fixtures//EN",
    "CALSCALE:GREGORIAN",
    *NY_VTIMEZONE,
    "BEGIN:VEVENT",
    "UID:weekly-standup-0001@heinrich.test",
    "DTSTAMP:20250220T120000Z",
    "DTSTART;TZID=America/New_York:20250304T100000",
    "DTEND;TZID=America/New_York:20250304T103000",
    "RRULE:FREQ=WEEKLY;BYDAY=TU;UNTIL=20250430T235959Z",
    "EXDATE;TZID=America/New_York:20250318T100000",
    "SUMMARY:Weekly release standup",
    "DESCRIPTION:Weekly standup across the US spring-forward change (2025-03-09). "
    "The 2025-03-18 instance is cancelled with EXDATE\\; 03-25 moves to Wednesday "
    "afternoon\\; 04-08 runs long\\; 04-29 is pulled forward into the window.",
    "END:VEVENT",
    "BEGIN:VEVENT",
    "UID:weekly-standup-0001@heinrich.test",
    "DTSTAMP:20250220T120000Z",
    "RECURRENCE-ID;TZID=America/New_York:20250325T100000",
    "DTSTART;TZID=America/New_York:20250326T150000",
    "DTEND;TZID=America/New_York:20250326T160000",
    "SEQUENCE:1",
    "SUMMARY:Weekly release standup (moved to Wednesday afternoon)",
    "END:VEVENT",
    "BEGIN:VEVENT",
    "UID:weekly-standup-0001@heinrich.test",
    "DTSTAMP:20250220T120000Z",
    "RECURRENCE-ID;TZID=America/New_York:20250408T100000",
    "DTSTART;TZID=America/New_York:20250408T100000",
    "DTEND;TZID=America/New_York:20250408T120000",
    "SEQUENCE:1",
    "SUMMARY:Weekly release standup (extended to two hours)",
    "END:VEVENT",
    "BEGIN:VEVENT",
    "UID:weekly-standup-0001@heinrich.test",
    "DTSTAMP:20250220T120000Z",
    "RECURRENCE-ID;TZID=America/New_York:20250429T100000",
    "DTSTART;TZID=America/New_York:20250424T090000",
    "DTEND;TZID=America/New_York:20250424T093000",
    "SEQUENCE:2",
    "SUMMARY:Weekly release standup (pulled forward to Thursday)",
    "END:VEVENT",
    "END:VCALENDAR",
]

# A zone defined ONLY by its VTIMEZONE: the TZID is no IANA or Windows name and
# its rules are deliberately fictional (DST from the first Sunday of April 02:00
# to the first Sunday of October 03:00, +01:00/+02:00), so a correct result
# needs the VTIMEZONE itself.
CUSTOM = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//heinrich//oracle fixtures//EN",
    "BEGIN:VTIMEZONE",
    "TZID:Heinrich Test Standard Time",
    "BEGIN:STANDARD",
    "DTSTART:20001001T030000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=1SU",
    "TZOFFSETFROM:+0200",
    "TZOFFSETTO:+0100",
    "TZNAME:HTST",
    "END:STANDARD",
    "BEGIN:DAYLIGHT",
    "DTSTART:20000402T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=4;BYDAY=1SU",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+0200",
    "TZNAME:HTDT",
    "END:DAYLIGHT",
    "END:VTIMEZONE",
    "BEGIN:VEVENT",
    "UID:custom-nightly-0001@heinrich.test",
    "DTSTAMP:20250301T000000Z",
    "DTSTART;TZID=Heinrich Test Standard Time:20250404T023000",
    "DURATION:PT45M",
    "RRULE:FREQ=DAILY;COUNT=5",
    "SUMMARY:Nightly batch at 02:30 across the spring gap (2025-04-06)",
    "END:VEVENT",
    "BEGIN:VEVENT",
    "UID:custom-sunday-0002@heinrich.test",
    "DTSTAMP:20250301T000000Z",
    "DTSTART;TZID=Heinrich Test Standard Time:20250921T023000",
    "DTEND;TZID=Heinrich Test Standard Time:20250921T033000",
    "RRULE:FREQ=WEEKLY;BYDAY=SU;COUNT=4",
    "SUMMARY:Sunday maintenance at 02:30 across the autumn overlap (2025-10-05)",
    "END:VEVENT",
    "END:VCALENDAR",
]

OUTLOOK_UID = ("040000008200E00074C5B7101A82E00800000000B0E1C4A6A283DB01000000000000000010"
               "000000C3D1F1F0A2B54A4E9C1D2E3F40516273")
OUTLOOK_UID2 = ("040000008200E00074C5B7101A82E0080000000060F3D2B7A283DB01000000000000000010"
                "0000009A8B7C6D5E4F30211203F4E5D6C7B8A9")

OUTLOOK = [
    "BEGIN:VCALENDAR",
    "PRODID:-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN",
    "VERSION:2.0",
    "METHOD:PUBLISH",
    "X-CALSTART:20250303T010000Z",
    "X-CALEND:20250424T090000Z",
    "X-WR-RELCALID:{0000002E-5C4B-2C0F-3B1A-6D2E8F9A0B1C}",
    "X-WR-CALNAME:일정",
    "X-PRIMARY-CALENDAR:TRUE",
    "X-OWNER;CN=\"Kim Minji\":mailto:minji.kim@example.com",
    "X-MS-OLK-WKHRSTART;TZID=\"Korea Standard Time\":090000",
    "X-MS-OLK-WKHREND;TZID=\"Korea Standard Time\":180000",
    "X-MS-OLK-WKHRDAYS:MO,TU,WE,TH,FR",
    "BEGIN:VTIMEZONE",
    "TZID:Korea Standard Time",
    "BEGIN:STANDARD",
    "DTSTART:16010101T000000",
    "TZOFFSETFROM:+0900",
    "TZOFFSETTO:+0900",
    "END:STANDARD",
    "END:VTIMEZONE",
    "BEGIN:VTIMEZONE",
    "TZID:W. Europe Standard Time",
    "BEGIN:STANDARD",
    "DTSTART:16011028T030000",
    "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10",
    "TZOFFSETFROM:+0200",
    "TZOFFSETTO:+0100",
    "END:STANDARD",
    "BEGIN:DAYLIGHT",
    "DTSTART:16010325T020000",
    "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+0200",
    "END:DAYLIGHT",
    "END:VTIMEZONE",
    "BEGIN:VEVENT",
    "CLASS:PUBLIC",
    "CREATED:20250220T052233Z",
    "DESCRIPTION:주간 배포 점검 회의입니다. 배포 창(deploy window) 위험 검토\\, 롤백 계획 확인\\, "
    "담당자 지정.\\n\\n________________________________________________________________________________\\n"
    "Microsoft Teams 모임\\n",
    "DTEND;TZID=\"Korea Standard Time\":20250303T110000",
    "DTSTAMP:20250301T000000Z",
    "DTSTART;TZID=\"Korea Standard Time\":20250303T100000",
    "EXDATE;TZID=\"Korea Standard Time\":20250317T100000",
    "LAST-MODIFIED:20250301T000000Z",
    "LOCATION:회의실 3A",
    "PRIORITY:5",
    "RRULE:FREQ=WEEKLY;UNTIL=20250331T010000Z;INTERVAL=1;BYDAY=MO;WKST=SU",
    "SEQUENCE:0",
    "SUMMARY;LANGUAGE=ko:주간 배포 점검 (Weekly deploy review)",
    "TRANSP:OPAQUE",
    "UID:" + OUTLOOK_UID,
    "X-MICROSOFT-CDO-BUSYSTATUS:BUSY",
    "X-MICROSOFT-CDO-IMPORTANCE:1",
    "X-MICROSOFT-DISALLOW-COUNTER:FALSE",
    "X-MS-OLK-AUTOFILLLOCATION:FALSE",
    "X-MS-OLK-CONFTYPE:0",
    "END:VEVENT",
    "BEGIN:VEVENT",
    "CLASS:PUBLIC",
    "CREATED:20250220T052233Z",
    "DTEND;TZID=\"Korea Standard Time\":20250324T160000",
    "DTSTAMP:20250301T000000Z",
    "DTSTART;TZID=\"Korea Standard Time\":20250324T150000",
    "LAST-MODIFIED:20250301T000000Z",
    "LOCATION:회의실 3A",
    "PRIORITY:5",
    "RECURRENCE-ID;TZID=\"Korea Standard Time\":20250324T100000",
    "SEQUENCE:1",
    "SUMMARY;LANGUAGE=ko:주간 배포 점검 (오후로 변경)",
    "TRANSP:OPAQUE",
    "UID:" + OUTLOOK_UID,
    "X-MICROSOFT-CDO-BUSYSTATUS:BUSY",
    "X-MICROSOFT-CDO-IMPORTANCE:1",
    "END:VEVENT",
    "BEGIN:VEVENT",
    "CLASS:PUBLIC",
    "CREATED:20250221T080000Z",
    "DESCRIPTION:Sync with the Berlin team\\; the series crosses the EU change to summer time on "
    "2025-03-30.\\n",
    "DTEND;TZID=\"W. Europe Standard Time\":20250320T103000",
    "DTSTAMP:20250301T000000Z",
    "DTSTART;TZID=\"W. Europe Standard Time\":20250320T100000",
    "LAST-MODIFIED:20250301T000000Z",
    "PRIORITY:5",
    "RRULE:FREQ=WEEKLY;COUNT=4;BYDAY=TH;WKST=SU",
    "SEQUENCE:0",
    "SUMMARY;LANGUAGE=en-us:Berlin sync",
    "TRANSP:OPAQUE",
    "UID:" + OUTLOOK_UID2,
    "X-MICROSOFT-CDO-BUSYSTATUS:BUSY",
    "END:VEVENT",
    "BEGIN:VEVENT",
    "CLASS:PUBLIC",
    "CREATED:20250221T080000Z",
    "DTEND;VALUE=DATE:20250402",
    "DTSTAMP:20250301T000000Z",
    "DTSTART;VALUE=DATE:20250401",
    "SUMMARY;LANGUAGE=ko:배포 동결 (Deploy freeze)",
    "TRANSP:TRANSPARENT",
    "UID:outlook-allday-freeze-0001",
    "X-MICROSOFT-CDO-ALLDAYEVENT:TRUE",
    "X-MICROSOFT-CDO-BUSYSTATUS:FREE",
    "END:VEVENT",
    "END:VCALENDAR",
]

ALLDAY = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//heinrich//oracle fixtures//EN",
    "BEGIN:VEVENT",
    "UID:allday-childrens-day@heinrich.test",
    "DTSTAMP:20250101T000000Z",
    "DTSTART;VALUE=DATE:20250505",
    "DTEND;VALUE=DATE:20250506",
    "SUMMARY:Office closed (Children's Day)",
    "END:VEVENT",
    "BEGIN:VEVENT",
    "UID:allday-chuseok-shutdown@heinrich.test",
    "DTSTAMP:20250101T000000Z",
    "DTSTART;VALUE=DATE:20251005",
    "DTEND;VALUE=DATE:20251009",
    "SUMMARY:Chuseok shutdown (four days\\, DTEND is exclusive)",
    "END:VEVENT",
    "BEGIN:VEVENT",
    "UID:allday-no-dtend@heinrich.test",
    "DTSTAMP:20250101T000000Z",
    "DTSTART;VALUE=DATE:20250601",
    "SUMMARY:All-day event without DTEND (one day)",
    "END:VEVENT",
    "BEGIN:VEVENT",
    "UID:allday-month-end-freeze@heinrich.test",
    "DTSTAMP:20250101T000000Z",
    "DTSTART;VALUE=DATE:20250131",
    "DTEND;VALUE=DATE:20250201",
    "RRULE:FREQ=MONTHLY;BYMONTHDAY=-1;UNTIL=20250930",
    "EXDATE;VALUE=DATE:20250430",
    "SUMMARY:Month-end freeze",
    "END:VEVENT",
    "END:VCALENDAR",
]

FLOATING = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//heinrich//oracle fixtures//EN",
    "BEGIN:VEVENT",
    "UID:floating-daily@heinrich.test",
    "DTSTAMP:20250301T000000Z",
    "DTSTART:20250310T090000",
    "DTEND:20250310T093000",
    "RRULE:FREQ=DAILY;COUNT=3",
    "SUMMARY:Floating daily check at 09:00 wall time",
    "END:VEVENT",
    "BEGIN:VEVENT",
    "UID:floating-single@heinrich.test",
    "DTSTAMP:20250301T000000Z",
    "DTSTART:20250320T233000",
    "DTEND:20250321T003000",
    "SUMMARY:Floating late-night job crossing midnight",
    "END:VEVENT",
    "BEGIN:VEVENT",
    "UID:utc-single@heinrich.test",
    "DTSTAMP:20250301T000000Z",
    "DTSTART:20250311T013000Z",
    "DTEND:20250311T020000Z",
    "SUMMARY:UTC event for contrast",
    "END:VEVENT",
    "END:VCALENDAR",
]

FILES = {
    "weekly-exdate-override.ics": WEEKLY,
    "custom-vtimezone-dst.ics": CUSTOM,
    "outlook-korea.ics": OUTLOOK,
    "allday.ics": ALLDAY,
    "floating-and-utc.ics": FLOATING,
}


def main():
    outdir = sys.argv[1]
    os.makedirs(outdir, exist_ok=True)
    for name, lines in FILES.items():
        write(os.path.join(outdir, name), lines)


if __name__ == "__main__":
    main()
