#!/usr/bin/env bash
# Fuzz suite: installs cargo-fuzz if needed, then runs each target
# (form, canonical, collation, explain) for FUZZ_SECONDS (default 30) from the committed
# seeds, failing on any crash. On stable, RUSTC_BOOTSTRAP=1 unlocks the
# sanitizer flags cargo-fuzz needs; a nightly toolchain is used when present.
#
# Run longer: FUZZ_SECONDS=3600 bash scripts/suite-fuzz.sh, or one target:
#   cd fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz run form corpus/form seeds/form -- -dict=dict
set -u
cd "$(dirname "$0")/.."
ROOT=$PWD
TOOLS="${HOOKSIG_TOOLS:-$ROOT/.tools}"
SECONDS_PER_TARGET="${FUZZ_SECONDS:-30}"
FUZZ="$TOOLS/cargo-fuzz/bin/cargo-fuzz"

if [ ! -x "$FUZZ" ]; then
  echo "--- installing cargo-fuzz into $TOOLS/cargo-fuzz"
  cargo install cargo-fuzz --locked --root "$TOOLS/cargo-fuzz" || exit 1
fi

if rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
  run=(cargo +nightly fuzz)
  export PATH="$TOOLS/cargo-fuzz/bin:$PATH"
else
  run=("$FUZZ" fuzz)
  export RUSTC_BOOTSTRAP=1
fi

cd fuzz
passed=0; failed=0
for target in form canonical collation explain; do
  echo "--- fuzz $target for ${SECONDS_PER_TARGET}s"
  mkdir -p "corpus/$target" artifacts
  log="artifacts/$target.log"
  "${run[@]}" run "$target" "corpus/$target" "seeds/$target" -- \
    -dict=dict -max_total_time="$SECONDS_PER_TARGET" -print_final_stats=1 >"$log" 2>&1
  status=$?
  grep -E '^(stat::number_of_executed_units|stat::new_units_added|Done [0-9]+ runs|SUMMARY)|panicked|^error' "$log" | tail -20
  if [ "$status" -eq 0 ]; then
    passed=$((passed + 1)); echo "--- fuzz $target: ok"
  else
    tail -40 "$log"
    failed=$((failed + 1)); echo "--- fuzz $target: FAILED (crash input under fuzz/artifacts/$target/)"
  fi
done
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
