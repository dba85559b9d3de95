#!/usr/bin/env bash
# Rust suite: formatting, lints, every workspace test (core vectors, properties,
# Node differential, CLI through the binary), no_std builds, publish dry-run,
# and benches compiled (not run).
set -u
cd "$(dirname "$0")/.."
fail=0
step() {
  echo "--- $*"
  if ! "$@"; then echo "--- FAILED: $*"; fail=1; fi
}
rustup target list --installed | grep -q thumbv7em-none-eabihf || rustup target add thumbv7em-none-eabihf

step cargo fmt --all --check
step cargo clippy --workspace --all-targets --locked -- -D warnings
step cargo clippy -p hooksig --no-default-features --all-targets --locked -- -D warnings
# The CLI's interop tests drive the reference Express receiver and sender.
step bash -c 'cd tools/reference && npm ci --no-audit --no-fund'
export HOOKSIG_REQUIRE_REFERENCE=1
step cargo test --workspace --locked
# The core without alloc and with alloc but no ICU: its own tests and doctests.
step cargo test -p hooksig --no-default-features --features alloc --locked
step cargo test -p hooksig --no-default-features --lib --tests --locked
# Prove it builds where no std exists.
step cargo build -p hooksig --target thumbv7em-none-eabihf --no-default-features --locked
step cargo build -p hooksig --target thumbv7em-none-eabihf --no-default-features --features alloc --locked
step cargo build -p hooksig --target thumbv7em-none-eabihf --locked
step cargo doc -p hooksig --no-deps --locked
step cargo bench --workspace --no-run --locked
step cargo publish --dry-run -p hooksig --allow-dirty --locked
exit $fail
