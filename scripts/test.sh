#!/usr/bin/env bash
# Install everything (Python packages into .venv, Debian's chromium and nginx for the browser and
# deployment tests) and run the whole test suite. Extra arguments go to pytest.
# Before the suite: the user's install (requirements.txt alone, as scripts/run.sh makes it) must
# read every upload format and import every module the app uses (issue 13); it lives in
# .venv-runtime, made again only when requirements.txt changes.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/pip install -q --upgrade pip
.venv/bin/pip install -q -r requirements-dev.txt

RUNTIME=.venv-runtime
WANT="$(sha256sum requirements.txt | cut -d' ' -f1)"
if [ ! -x "$RUNTIME/bin/python" ] || [ "$(cat "$RUNTIME/.requirements.sha256" 2>/dev/null)" != "$WANT" ]; then
  python3 -m venv --clear "$RUNTIME"  # from scratch: a package dropped from requirements.txt must go too
  echo '*' > "$RUNTIME/.gitignore"  # not part of the project (as Python 3.13's venv does)
  "$RUNTIME/bin/pip" install -q -r requirements.txt
  echo "$WANT" > "$RUNTIME/.requirements.sha256"
fi
"$RUNTIME/bin/python" scripts/check_runtime.py

# Debian packages the suite drives: chromium (browser tests), nginx (tests/test_deployment.py;
# /usr/sbin is not on every user's PATH)
MISSING=""
command -v chromium >/dev/null 2>&1 || MISSING="$MISSING chromium"
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || MISSING="$MISSING nginx"
if [ -n "$MISSING" ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $MISSING >/dev/null
fi
exec .venv/bin/python -m pytest "$@"
