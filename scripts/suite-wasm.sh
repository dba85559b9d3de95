#!/usr/bin/env bash
# WASM suite: builds the npm package `hooksig` (bindings/wasm: Node and web
# builds, full and light) and runs its tests with node's test runner: every
# vector (Node, and Chromium through playwright-core), API and errors, canary
# secret, packaging (npm pack), interop with the reference Express receiver,
# the README's Express recipe, and the playground page. Installs what it needs; runs from the repo
# root; exits non-zero on any failure.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
export HOOKSIG_TOOLS="${HOOKSIG_TOOLS:-$ROOT/.tools}"
mkdir -p "$HOOKSIG_TOOLS"

step() { echo "--- wasm: $*"; }

step "rust target wasm32-unknown-unknown"
rustup target add wasm32-unknown-unknown

# The wasm-bindgen CLI must be the version the crate pins; cached in $HOOKSIG_TOOLS.
WB_VERSION=$(sed -n 's/^wasm-bindgen = "=\([0-9.]*\)"/\1/p' bindings/wasm/Cargo.toml)
WB_ROOT="$HOOKSIG_TOOLS/wasm-bindgen-$WB_VERSION"
if [ ! -x "$WB_ROOT/bin/wasm-bindgen" ]; then
  step "installing wasm-bindgen-cli $WB_VERSION"
  # --locked fails on this registry mirror (one locked dependency is missing).
  cargo install wasm-bindgen-cli --version "$WB_VERSION" --root "$WB_ROOT" --locked \
    || cargo install wasm-bindgen-cli --version "$WB_VERSION" --root "$WB_ROOT"
fi

# Debian's Chromium for the browser test (playwright-core downloads no browser).
if [ ! -x /usr/bin/chromium ]; then
  step "installing chromium"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium > /dev/null
fi

step "npm ci (bindings/wasm, tools/reference)"
(cd bindings/wasm && npm ci --no-audit --no-fund --loglevel=error)
(cd tools/reference && npm ci --no-audit --no-fund --loglevel=error)

step "hooksig CLI (for the interop test)"
cargo build -q -p hooksig-cli

step "npm run build"
(cd bindings/wasm && npm run build --silent)

step "benchmark smoke run (one call each, results checked; no timing)"
node benches/js/bench.mjs --smoke

step "node --test"
cd bindings/wasm
HOOKSIG_REQUIRE_BROWSER=1 HOOKSIG_BIN="${CARGO_TARGET_DIR:-$ROOT/target}/debug/hooksig" \
  node --test --test-concurrency=1 test/*.test.mjs playground/test/*.test.mjs
