#!/usr/bin/env bash
# Install desk as a user would (`pip install .`, not editable) into a fresh virtual environment
# outside the checkout, and check that the installed desk runs on what it ships: the sample project
# (its TOML and the schemas) and the resources (icon, desktop entry, MIME types).
# The package is built from a copy of the checkout's files, so a stale build/ folder cannot leak in.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
work=$(mktemp -d "${TMPDIR:-/tmp}/desk-wheel.XXXXXX")
trap 'rm -rf "$work"' EXIT
PY=${PYTHON:-python3}
say() { echo "smoke-wheel: $*"; }
started=$SECONDS

mkdir "$work/src"
git ls-files -z --cached --others --exclude-standard | tar -C "$root" --null -T - -cf - \
  | tar -C "$work/src" -xf -
"$PY" -m venv "$work/venv"
"$work/venv/bin/python" -m pip install -q --disable-pip-version-check "$work/src"
say "installed in $((SECONDS - started)) s"

cd "$work"  # away from the checkout: only the installed package can be imported
export DESK_DATA_DIR="$work/data" QT_QPA_PLATFORM=offscreen
desk="$work/venv/bin/desk"
where=$("$work/venv/bin/python" -c 'import desk; print(desk.__file__)')
case "$where" in
  "$work/venv/"*) ;;
  *) say "desk was imported from $where, not from the installed package"; exit 1 ;;
esac
"$desk" --version
"$desk" check
"$desk" sample "$work/sample" --scale 0.25
"$desk" info "$work/sample/anora-ending.desk"
XDG_DATA_HOME="$work/share" "$desk" install-desktop --user
test -s "$work/share/icons/hicolor/256x256/apps/desk.png"
grep -q "^Exec=$desk open %f\$" "$work/share/applications/desk.desktop"
say "passed in $((SECONDS - started)) s"
