#!/usr/bin/env bash
# Regenerates heinrich's independent-oracle fixture tables in tests/data/oracle/.
# Needs: Debian python3 (/usr/bin/python3) with python3-dateutil and python3-icalendar,
# node + npm (npm registry reachable for the first install). Deterministic and idempotent.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
out="$repo/tests/data/oracle"
py=/usr/bin/python3

export LC_ALL=C.UTF-8
export PYTHONHASHSEED=0
export PYTHONDONTWRITEBYTECODE=1

if ! "$py" -c 'import dateutil, icalendar' 2>/dev/null; then
  echo "regen.sh: need Debian python3-dateutil and python3-icalendar: apt-get install -y python3-dateutil python3-icalendar" >&2
  exit 1
fi

# npm oracles (versions pinned in package.json / package-lock.json)
(cd "$here" && npm ci --no-audit --no-fund --loglevel=error)

mkdir -p "$out/ics"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# 1. Korean holidays + lunar anchors (date-holidays, korean-lunar-calendar)
node "$here/kr_holidays_oracle.js" "$out"
node "$here/us_holidays_oracle.js" "$out"

# 2. RRULE cases (dateutil.rrule + zoneinfo), npm rrule-temporal as a second opinion
(cd "$here" && "$py" rrule_oracle.py --dump-cases "$tmp/rrule-cases.json")
(cd "$here" && node rrule_check.js "$tmp/rrule-cases.json" "$tmp/rrule-temporal.json")
(cd "$here" && "$py" rrule_oracle.py "$out/rrule-cases.tsv" "$tmp/rrule-temporal.json")

# 3. ICS fixtures (inputs) and their expected expansion (icalendar + dateutil),
#    with npm node-ical as a second opinion (read in the policy zone Asia/Seoul)
(cd "$here" && "$py" make_ics_fixtures.py "$out/ics")
(cd "$here" && TZ=Asia/Seoul node node_ical_check.js "$out/ics" "$tmp/node-ical.json")
(cd "$here" && "$py" ics_oracle.py "$out/ics" "$out/ics-expansion.tsv" "$tmp/node-ical.json")

echo "regen.sh: wrote $(cd "$out" && ls -1 | tr '\n' ' ')"
