#!/usr/bin/env bash
# Whole-process timing of `heinrich check` with a 10,000-event ICS calendar
# (the file of the ICS unit tests and benchmarks), with hyperfine:
#   - the default policy alone, the reference;
#   - the default policy plus the 10,000-event calendar, cache off
#     (HEINRICH_NO_CACHE=1: libical parses the file on every run);
#   - the same with a warm parsed-calendar cache (the normal case: the
#     calendar changes far less often than heinrich runs).
# usage: tests/bench/ics_cache.sh BUILD_DIR   (a Release build, -DHEINRICH_BENCH=ON)
set -euo pipefail
build=$(cd "${1:?build directory (Release, -DHEINRICH_BENCH=ON)}" && pwd)
root=$(cd "$(dirname "$0")/../.." && pwd)
command -v hyperfine >/dev/null || { apt-get install -y -qq hyperfine >/dev/null; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export HEINRICH_NOW=2026-11-27T16:00+09:00 NO_COLOR=1 HEINRICH_CACHE_DIR=$work/cache
heinrich=$build/src/heinrich

mkdir -p "$work/calendars"
cp "$root/policies/calendars/big-events.ics" "$work/calendars/"
"$build/tests/bench/heinrich_make_calendar" "$work/calendars/team.ics" 10000
{
  cat "$root/policies/default.toml"
  printf '\n[[calendar]]\nname = "team"\nics = "calendars/team.ics"\nrisk = 20\n'
} >"$work/policy.toml"
args=(check --at 2026-03-03T16:00 --env prod)

# Warm the cache once, and make sure the answer is the same without it.
with_cache=$("$heinrich" "${args[@]}" --policy "$work/policy.toml" --format json)
without=$(HEINRICH_NO_CACHE=1 "$heinrich" "${args[@]}" --policy "$work/policy.toml" --format json)
[ "$with_cache" = "$without" ] || { echo "the cache changed the answer" >&2; exit 1; }
ls -l "$work/cache"

hyperfine -N --warmup 10 --runs "${RUNS:-100}" \
  "$heinrich ${args[*]} --policy $root/policies/default.toml" \
  "env HEINRICH_NO_CACHE=1 $heinrich ${args[*]} --policy $work/policy.toml" \
  "$heinrich ${args[*]} --policy $work/policy.toml"
