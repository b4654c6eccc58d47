#!/usr/bin/env bash
# Set desk up and start it. With no project given, desk opens its sample project (rendering the
# stand-in film once on first run). Without a screen, it runs on a virtual one (Xvfb).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "desk: no screen found; starting on a virtual screen (xvfb-run)." >&2
  exec xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/desk open "$@"
fi
exec .venv/bin/desk open "$@"
