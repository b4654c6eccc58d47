#!/usr/bin/env bash
# Build desk as a one-folder app with PyInstaller (dist/desk/desk) and use the built binary as a
# user would, in an empty data folder: its version; the window on a virtual screen, which renders
# the sample project on first run and must show the film through libVLC (`desk check --play`);
# a PDF report of the sample, read back; lecture clips, probed; its desktop registration.
# Prints how long the build took and how big the app is.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
say() { echo "smoke-app: $*"; }
started=$SECONDS

rm -rf build/desk dist/desk
.venv/bin/pyinstaller --noconfirm --log-level WARN build.spec
say "built dist/desk in $((SECONDS - started)) s; $(du -sm dist/desk | cut -f1) MB"

work=$(mktemp -d "${TMPDIR:-/tmp}/desk-app.XXXXXX")
trap 'rm -rf "$work"' EXIT
export DESK_DATA_DIR="$work/data"
app="$root/dist/desk/desk"
cd "$work"  # away from the checkout: the app must use what it carries

# (outputs go to files before grep -q: an early grep exit would fail the pipeline under pipefail)
"$app" --version >version.txt
grep -qx "desk [0-9][0-9.]*" version.txt

checked=$SECONDS
if ! xvfb-run -a -s "-screen 0 1600x1000x24" "$app" check --play >check.txt 2>check.err; then
  cat check.txt; tail -20 check.err; say "desk check --play failed"; exit 1
fi
cat check.txt
grep -q "^ok *playback *libVLC showed" check.txt
grep -q "app build in $root/dist/desk" check.txt
say "first start (sample rendered) and playback checked in $((SECONDS - checked)) s"

project="$DESK_DATA_DIR/sample/anora-ending.desk"
"$app" export report "$project" -o report.pdf
pdftotext report.pdf report.txt
grep -q "Snow on the Windshield" report.txt
pdffonts report.pdf >fonts.txt
grep -q DejaVu fonts.txt

"$app" clips add "$project" --list Lecture --scene "The final scene"
"$app" export clips "$project" --out clips --list Lecture --captions
clip=$(ls clips/*.mp4 | head -n 1)
"$app" probe "$clip" >probe.txt
grep -q "^video_codec *h264" probe.txt

# A class's address: psycopg and its libpq must be in the app to say the server is not there.
if "$app" info "postgresql:///course?host=$work/no-server&class=c" >class.txt 2>class.err; then
  say "a class on no server opened"; exit 1
fi
grep -q "cannot reach the class server" class.err || { cat class.err; say "psycopg is missing"; exit 1; }

XDG_DATA_HOME="$work/share" "$app" install-desktop --user
grep -qx "Exec=$app open %f" "$work/share/applications/desk.desktop"
say "passed in $((SECONDS - started)) s"
