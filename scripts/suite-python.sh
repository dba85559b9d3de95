#!/usr/bin/env bash
# Python suite: builds and installs the `hooksig` package exactly as a user
# does (`pip install ./bindings/python`) into its own venv, then runs the
# pytest suite (vectors, properties, canary, framework recipes, README,
# threads) and mypy's stubtest. Also smoke-runs the benchmark once.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
TOOLS="${HOOKSIG_TOOLS:-$ROOT/.tools}"
VENV="$TOOLS/venv-python"
PY="$VENV/bin/python"
REQS=bindings/python/requirements-test.txt

if ! "$PY" -c "import sys; assert sys.version_info >= (3, 9)" 2>/dev/null; then
  rm -rf "$VENV"
  "${PYTHON:-python3}" -m venv "$VENV"
  "$PY" -m pip install -q --upgrade pip
fi
# Reinstall the test tools only when their list changes.
stamp="$VENV/.requirements.sha256"
if [ "$(sha256sum "$REQS" | cut -d' ' -f1)" != "$(cat "$stamp" 2>/dev/null)" ]; then
  "$PY" -m pip install -q -r "$REQS"
  sha256sum "$REQS" | cut -d' ' -f1 > "$stamp"
fi

echo "--- pip install ./bindings/python"
"$PY" -m pip install -q --force-reinstall --no-deps ./bindings/python
"$PY" -c "import hooksig; print('hooksig', hooksig.__version__, 'from', hooksig.__file__)"

echo "--- pytest"
# From the package folder: its pyproject.toml configures pytest, and the
# caches (.pytest_cache, .hypothesis) stay in its gitignored folders.
(cd bindings/python && "$PY" -m pytest -q -p no:randomly)

echo "--- stubtest"
# Outside the source tree, so the installed package is what gets checked.
(cd "$TOOLS" && "$PY" -m mypy.stubtest hooksig)

echo "--- benchmark smoke run"
"$PY" benches/python/bench.py --smoke
