#!/usr/bin/env bash
# Install what the app needs (first run only) and start it: http://localhost:8501
# Extra arguments go to `streamlit run` (e.g. --server.port 8600).
set -euo pipefail
source "$(dirname "$0")/env.sh"
exec .venv/bin/python -m streamlit run server.py "$@"  # app.py behind the ASGI App (server.py)
