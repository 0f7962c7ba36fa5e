#!/usr/bin/env bash
# Install everything the tests need (Python packages, Debian's chromium) and run the whole
# suite: lint, catalogue validation, unit, AppTest and browser tests. CI runs exactly this.
# Extra arguments go to pytest (e.g. -m unit, -m "not browser", -k gazetteer).
set -euo pipefail
source "$(dirname "$0")/env.sh" test
if [ ! -x /usr/bin/chromium ]; then
  echo "installing Debian's chromium for the browser tests..."
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
fi
echo "== ruff"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
echo "== layout (import-linter layers, module and function sizes)"
.venv/bin/lint-imports --no-cache
.venv/bin/python scripts/check_layout.py
echo "== catalogue"
.venv/bin/python -m events validate
echo "== pytest"
exec .venv/bin/python -m pytest "$@"
