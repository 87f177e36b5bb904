#!/usr/bin/env bash
# Build the separate Evidently venv used by scripts/bench_drift.py.
#
# Evidently 0.7.23 needs pandas < 3 while the project is locked on pandas 3, so it
# gets its own environment under build/ (never the project's .venv). Needs `uv`
# and access to PyPI. Usage: bash scripts/evidently_env/build_env.sh [VENV_DIR]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
venv="${1:-$root/build/evidently-venv}"
if [ ! -x "$venv/bin/python" ]; then
    uv venv --python 3.11 "$venv"
fi
uv pip install --python "$venv/bin/python" -r "$here/requirements.txt"
"$venv/bin/python" -c "import evidently, pandas; print('evidently', evidently.__version__, 'pandas', pandas.__version__)"
