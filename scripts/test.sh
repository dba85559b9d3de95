#!/usr/bin/env bash
# Runs every test suite of hooksig and prints one pass/fail count.
# Each suite installs what it needs, so this works on a fresh machine.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
export HOOKSIG_TOOLS="${HOOKSIG_TOOLS:-$ROOT/.tools}"
mkdir -p "$HOOKSIG_TOOLS" artifacts

suites=("$@")
[ ${#suites[@]} -gt 0 ] || suites=(rust python wasm fuzz)

passed=0; failed=0; failed_names=()
for s in "${suites[@]}"; do
  echo "=== suite: $s ==="
  start=$(date +%s)
  if bash "scripts/suite-$s.sh"; then
    passed=$((passed + 1)); echo "=== suite $s: PASS ($(( $(date +%s) - start )) s) ==="
  else
    failed=$((failed + 1)); failed_names+=("$s"); echo "=== suite $s: FAIL ($(( $(date +%s) - start )) s) ==="
  fi
done
echo
[ $failed -eq 0 ] || echo "failed suites: ${failed_names[*]}"
echo "suites: $passed passed, $failed failed"
[ $failed -eq 0 ]
