#!/usr/bin/env bash
# Install into .venv and launch the app on the bundled Lai Châu demo data.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/pip install -q --upgrade pip
.venv/bin/pip install -q -r requirements.txt
.venv/bin/python deploy/warm_up.py "$@" &  # runs the app once as soon as the server answers: no cold first visit
exec .venv/bin/streamlit run app.py "$@"
