#!/usr/bin/env bash
# Load benchmark (not part of CI): gunicorn on a fresh PostgreSQL database, driven by wrk. See run.py --help.
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install -y wrk" >&2; exit 1; }
exec .venv/bin/python benchmarks/load/run.py "$@"
