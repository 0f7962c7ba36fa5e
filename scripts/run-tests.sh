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
# Nothing the checks and tests do may write into the checkout: caches go to a scratch folder,
# and the checkout's state (ignored files included) is compared before and after.
SCRATCH="$(mktemp -d "${TMPDIR:-/tmp}/karabakh-map-tests.XXXXXX")"
export KARABAKH_MAP_TEST_SCRATCH="$SCRATCH" RUFF_CACHE_DIR="$SCRATCH/ruff"
export PYTHONPYCACHEPREFIX="$SCRATCH/pycache" KARABAKH_MAP_CACHE_DIR="$SCRATCH/cache"
export KARABAKH_MAP_STATIC_DIR="$SCRATCH/static" HYPOTHESIS_STORAGE_DIRECTORY="$SCRATCH/hypothesis"
checkout_state() {
  git status --porcelain --ignored --untracked-files=all 2>/dev/null \
    | grep -vE '^(!!|\?\?) (\.venv/|[^ ]*\.egg-info/)' || true
}
before="$(checkout_state)"
echo "== ruff"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
echo "== layout (import-linter layers, module and function sizes)"
.venv/bin/lint-imports --no-cache
.venv/bin/python scripts/check_layout.py
echo "== catalogue"
.venv/bin/python -m events validate
echo "== pytest"
status=0
.venv/bin/python -m pytest -p no:cacheprovider "$@" || status=$?
after="$(checkout_state)"
if [ "$before" != "$after" ]; then
  echo "== the checks wrote into the checkout (they must not):"
  diff <(echo "$before") <(echo "$after") || true
  [ "$status" -ne 0 ] || status=1
fi
rm -rf "$SCRATCH"
exit "$status"
