#!/usr/bin/env bash
# Install into .venv and launch the app on the bundled Lai Châu demo data.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/pip install -q --upgrade pip
.venv/bin/pip install -q -r requirements.txt
exec .venv/bin/streamlit run app.py "$@"
