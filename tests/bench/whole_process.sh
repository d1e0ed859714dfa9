#!/usr/bin/env bash
# Whole-process timing of `heinrich check` on the default policy against the
# physical floor (tests/bench/floor.cpp), with hyperfine.
# usage: tests/bench/whole_process.sh BUILD_DIR
set -euo pipefail
build=${1:?build directory with -DHEINRICH_BENCH=ON}
root=$(cd "$(dirname "$0")/../.." && pwd)
command -v hyperfine >/dev/null || { apt-get install -y -qq hyperfine >/dev/null; }
export HEINRICH_NOW=2026-11-27T16:00+09:00 NO_COLOR=1
hyperfine -N --warmup 20 --runs "${RUNS:-200}" \
  "$build/tests/bench/heinrich_floor" \
  "$build/src/heinrich check --policy $root/policies/default.toml --at 2026-11-27T16:00 --env prod" \
  "$build/src/heinrich next --policy $root/policies/default.toml --after 2026-11-27T16:00 --env prod"
