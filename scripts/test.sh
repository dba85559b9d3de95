#!/usr/bin/env bash
# Runs every test suite of hooksig and prints one pass/fail count: per suite
# (its tests, from cargo, pytest, node --test and the fuzz runs) and in all.
# Each suite installs what it needs, so this works on a fresh machine.
# Logs: artifacts/suite-<name>.log.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
export HOOKSIG_TOOLS="${HOOKSIG_TOOLS:-$ROOT/.tools}"
mkdir -p "$HOOKSIG_TOOLS" artifacts

suites=("$@")
[ ${#suites[@]} -gt 0 ] || suites=(rust python wasm fuzz)

# "<passed> <failed>" tests in a suite's log, whichever runner printed it.
count_tests() {
  awk '
    /^test result: / { for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i } }
    /^# pass [0-9]+$/ { p += $3 }
    /^# fail [0-9]+$/ { f += $3 }
    /^[0-9]+ (passed|failed)/ || /[0-9]+ passed.* in [0-9.]+s/ {
      for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i }
    }
    /^fuzz: [0-9]+ passed, [0-9]+ failed/ { p += $2; f += $4 }
    END { printf "%d %d\n", p, f }
  ' "$1"
}

passed=0; failed=0; failed_names=(); tests_passed=0; tests_failed=0; summary=()
for s in "${suites[@]}"; do
  echo "=== suite: $s ==="
  start=$(date +%s)
  log="artifacts/suite-$s.log"
  bash "scripts/suite-$s.sh" 2>&1 | tee "$log"
  status=${PIPESTATUS[0]}
  read -r p f < <(count_tests "$log")
  tests_passed=$((tests_passed + p)); tests_failed=$((tests_failed + f))
  secs=$(( $(date +%s) - start ))
  if [ "$status" -eq 0 ]; then
    passed=$((passed + 1)); verdict=PASS
  else
    failed=$((failed + 1)); failed_names+=("$s"); verdict=FAIL
  fi
  line=$(printf '%-7s %s  %6d passed %4d failed  (%d s)' "$s" "$verdict" "$p" "$f" "$secs")
  summary+=("$line")
  echo "=== suite $s: $verdict ($p passed, $f failed, $secs s) ==="
done
echo
for line in "${summary[@]}"; do echo "$line"; done
[ $failed -eq 0 ] || echo "failed suites: ${failed_names[*]}"
echo "tests: $tests_passed passed, $tests_failed failed"
echo "suites: $passed passed, $failed failed"
[ $failed -eq 0 ]
