#!/usr/bin/env bash
# A new user's first run, reproduced: clone the committed HEAD into an empty temporary folder with
# ../shared beside it, an empty npm cache and an empty home folder (so nothing this machine has
# downloaded or configured before can help), then run the README's commands in order and time them:
#   npm ci  ->  npm run render -- dev  ->  npm test  ->  .ci/run (Node 24 and 22 from the npm registry)
# Usage: scripts/fresh-machine.sh [--no-ci]   (--no-ci skips .ci/run, which repeats the tests twice)
# The temporary folder is removed at the end unless KEEP=1. Exit status: the first failing step's.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
shared="$(cd "$repo/../shared" 2>/dev/null && pwd -P)" || { echo "fresh-machine: ../shared (the fixtures) must sit beside the repository" >&2; exit 2; }
run_ci=1
for a in "$@"; do
  case "$a" in
    --no-ci) run_ci=0 ;;
    -h|--help) sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "fresh-machine: unknown option $a (allowed: --no-ci, --help)" >&2; exit 2 ;;
  esac
done
command -v node >/dev/null || { echo "fresh-machine: node is not on PATH (Node 22 or 24, see README prerequisites)" >&2; exit 2; }

tmp="$(mktemp -d "${TMPDIR:-/tmp}/karpenter-spark-fresh.XXXXXX")"
[ "${KEEP:-0}" = 1 ] || trap 'rm -rf "$tmp"' EXIT
git clone --quiet "$repo" "$tmp/karpenter-spark"
ln -s "$shared" "$tmp/shared"
mkdir -p "$tmp/npm-cache" "$tmp/home"
export npm_config_cache="$tmp/npm-cache" HOME="$tmp/home" npm_config_update_notifier=false
cd "$tmp/karpenter-spark"
echo "fresh clone of $(git rev-parse --short HEAD) in $tmp; node $(node --version), npm $(npm --version); npm cache $npm_config_cache (empty)"

declare -a names=() secs=()
report() {
  echo
  echo "fresh-machine timings ($(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)):"
  for i in "${!names[@]}"; do printf '  %-24s %7s s\n' "${names[$i]}" "${secs[$i]}"; done
}
step() {
  local name="$1"; shift
  echo "== $name"
  local t0; t0=$(date +%s%N) rc=0
  "$@" || rc=$?
  local ms=$(( ($(date +%s%N) - t0) / 1000000 ))
  names+=("$name"); secs+=("$((ms / 1000)).$(( (ms % 1000) / 100 ))$([ "$rc" = 0 ] || echo " FAILED (exit $rc)")")
  if [ "$rc" != 0 ]; then report; exit "$rc"; fi
}
step "npm ci" npm ci --no-audit --no-fund
step "npm run render -- dev" npm run render -- dev --quiet
step "npm test" npm test
[ "$run_ci" = 0 ] || step ".ci/run" .ci/run
report
