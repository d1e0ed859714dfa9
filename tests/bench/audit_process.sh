#!/usr/bin/env bash
# Whole-process timing of `heinrich audit` (the 200-release plan, CSV and ICS;
# the default policy's lint) and `heinrich calendar` (12 months of HTML),
# with hyperfine. The plan has blocked releases, so audit exits 1: -i.
# usage: tests/bench/audit_process.sh BUILD_DIR
set -euo pipefail
build=${1:?build directory (Release)}
root=$(cd "$(dirname "$0")/../.." && pwd)
command -v hyperfine >/dev/null || { apt-get install -y -qq hyperfine >/dev/null; }
export HEINRICH_NOW=2026-12-14T10:00+09:00 NO_COLOR=1
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
bin="$build/src/heinrich"
hyperfine -N -i --warmup 5 --runs "${RUNS:-50}" \
  "$bin audit --policy $root/policies/default.toml --plan $root/tests/data/plans/release-plan-200.csv" \
  "$bin audit --policy $root/policies/default.toml --plan $root/tests/data/plans/release-plan-200.ics" \
  "$bin audit --policy $root/policies/default.toml" \
  "$bin calendar --policy $root/policies/default.toml --env prod --from 2027-01 --months 12 --format html -o $out/calendar.html"
