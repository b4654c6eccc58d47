#!/usr/bin/env bash
# Set desk up and run every check: lint, types, layering, then the test suite on a virtual screen.
# Extra arguments go to pytest (e.g. -m slow for the long tests).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy
.venv/bin/lint-imports
xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python -m pytest -p no:cacheprovider "$@"
