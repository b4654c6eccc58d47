#!/usr/bin/env bash
# Set up desk on Debian/Ubuntu: system libraries (libVLC, Xvfb, poppler, ffmpeg, Qt's xcb deps,
# PostgreSQL for the class tests)
# through apt-get, then a virtual environment in .venv with desk and its Python dependencies.
# Safe to run again: it only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  libvlc-dev vlc-plugin-base vlc-plugin-video-output      # playback (libVLC 3)
  libvlc-bin                                              # builds libVLC's plugin cache (faster start)
  xvfb xauth x11-utils xdotool                            # a virtual screen for tests
  poppler-utils                                           # pdftotext/pdftoppm read reports back
  ffmpeg                                                  # the clip benchmark's baseline
  fonts-dejavu-core                                       # Latin, Greek, Cyrillic and Armenian in PDFs
  fonts-noto-core                                         # Hebrew and Arabic in PDFs
  fonts-wqy-zenhei                                        # Chinese, Japanese and Korean in PDFs
  fonts-symbola                                           # emoji in PDFs (monochrome outlines)
  xdg-utils shared-mime-info desktop-file-utils           # desk install-desktop and its tests
  libfile-mimeinfo-perl                                   # xdg-mime's file-type lookup
  libxcb-cursor0 libxkbcommon-x11-0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1
  libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1
  libegl1 libgl1 libfontconfig1 libdbus-1-3 libpulse0     # Qt's xcb platform and multimedia
  postgresql                                              # a throwaway server for the class tests
  python3-venv
)

missing=()
if command -v dpkg-query >/dev/null; then
  for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
fi
if [ "${#missing[@]}" -gt 0 ]; then
  if command -v apt-get >/dev/null; then
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    echo "desk setup: installing ${missing[*]}"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "desk setup: not a Debian/Ubuntu system; install libVLC 3 and Xvfb yourself (see README)." >&2
  fi
fi

PY=""
for c in python3 python3.13 python3.12 python3.11; do
  if command -v "$c" >/dev/null && "$c" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    PY=$c; break
  fi
done
[ -n "$PY" ] || { echo "desk setup: Python 3.11 or newer is needed." >&2; exit 1; }

[ -x .venv/bin/python ] || "$PY" -m venv .venv
stamp=.venv/.desk-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ] || [ setup.py -nt "$stamp" ]; then
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e '.[dev]'
  touch "$stamp"
fi
