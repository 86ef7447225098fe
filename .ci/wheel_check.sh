#!/usr/bin/env bash
# The package as a user installs it (docs/install.md): build the wheel, install it with its core
# dependencies from the package index into a fresh venv in a temporary folder, and from an empty
# folder run the console script's help, the baseline, a small sweep, a short forecast, a workshop
# game (new + status) and a missing world (one `error:` line, no traceback); the app and a Dask
# sweep must say which extra to install. Then add the `[all]` extras to the same venv and serve the
# classroom app's page (fetched, no traceback) and run the sweep on Dask. Nothing here reads the
# checkout but the wheel.
#   bash .ci/wheel_check.sh        (make wheel-check)
set -euo pipefail
cd "$(dirname "$0")/.."
PYBIN=${PYTHON:-$(.ci/find-python)}
TMP=$(mktemp -d)
APP_PID=
cleanup() {
  if [ -n "$APP_PID" ]; then kill "$APP_PID" 2>/dev/null || true; fi
  rm -rf "$TMP"
}
trap cleanup EXIT
export MPLBACKEND=Agg MPLCONFIGDIR="$TMP/mpl"
unset PYTHONPATH
umask 022
step() { echo "wheel-check: $*"; }
die() { echo "wheel-check FAILED: $*" >&2; exit 1; }

step "building the wheel with $PYBIN"
# from a copy of the files git knows (tracked or new, not ignored): no stale build/ folder, nothing left behind
mkdir "$TMP/src"
git ls-files -z --cached --others --exclude-standard | while IFS= read -r -d '' f; do
  [ -e "$f" ] && printf '%s\0' "$f"
done | tar --null -T - -cf - | tar -xf - -C "$TMP/src"
(cd "$TMP/src" && "$PYBIN" -m pip wheel --no-deps --quiet --wheel-dir "$TMP/dist" .) >"$TMP/build.log" 2>&1 \
  || { cat "$TMP/build.log" >&2; die "the wheel did not build"; }
WHEEL=$(ls "$TMP"/dist/*.whl)
python_files=$("$PYBIN" -c 'import sys, zipfile; n = zipfile.ZipFile(sys.argv[1]).namelist()
need = ["sim/_data/conf/config.yaml", "sim/_data/scenarios/sahel_2024.yaml", "sim/_data/scenarios/africa_countries.geojson",
        "app/locales/en.yaml", "app/locales/fr.yaml"]
missing = [x for x in need if x not in n]
print(len(n)); sys.exit(1 if missing else 0)' "$WHEEL") || die "$WHEEL lacks the configs or world files"
step "$(basename "$WHEEL"): $python_files files, configs and worlds included"

step "fresh venv, installing the wheel and its core dependencies (no extras)"
"$PYBIN" -m venv "$TMP/venv"
V="$TMP/venv/bin"
"$V/python" -m pip install --quiet --disable-pip-version-check --upgrade pip >"$TMP/pip.log" 2>&1 || cat "$TMP/pip.log" >&2
start=$(date +%s)
"$V/python" -m pip install --quiet --disable-pip-version-check "$WHEEL" >"$TMP/install.log" 2>&1 \
  || { cat "$TMP/install.log" >&2; die "the wheel did not install"; }
step "core install: $(( $(date +%s) - start )) s"

mkdir "$TMP/empty"
cd "$TMP/empty"
DATA=$("$V/python" -c 'from sim.core.paths import conf_dir, in_checkout; assert not in_checkout(); print(conf_dir().parent)') \
  || die "the installed package does not find its packaged data"
before=$(cd "$DATA" && find . -type f | sort | xargs sha256sum)
no_traceback() { if grep -q "Traceback (most recent call last)" "$1"; then cat "$1" >&2; die "$2 printed a traceback"; fi; }

"$V/sahel" --help >help.txt
for c in run sweep forecast hindcast calibrate plausibility app workshop; do
  grep -q "^  $c " help.txt || die "sahel --help does not list $c"
done
"$V/python" -m sim --help >simhelp.txt 2>&1 || die "python -m sim --help failed"
no_traceback simhelp.txt "python -m sim --help"
grep -q "experiment: " simhelp.txt || die "python -m sim --help lists no experiments"
step "sahel --help and python -m sim --help: ok"

"$V/sahel" run hydra.run.dir=baseline >run.log 2>&1 || { cat run.log >&2; die "the baseline failed"; }
for f in states.parquet ties.parquet events.parquet config.yaml plots/map_end.png; do
  [ -s "baseline/$f" ] || die "the baseline did not write $f"
done
mode=$(stat -c %a baseline/states.parquet)
[ "$mode" = 644 ] || die "baseline/states.parquet has mode $mode under umask 022 (colleagues must be able to read it)"
step "baseline (sahel run): $(tail -n 1 run.log); states.parquet mode $mode"

"$V/sahel" sweep sweep=demo_grid sweep.seeds_per_point=1 out=sweep >sweep.log 2>&1 \
  || { cat sweep.log >&2; die "the sweep failed"; }
[ -s sweep/runs.parquet ] || die "the sweep wrote no runs.parquet"
step "sweep: $(tail -n 1 sweep.log)"

"$V/sahel" forecast --runs 8 --months 6 --horizons 6 --out forecast >forecast.log 2>&1 \
  || { cat forecast.log >&2; die "the forecast failed"; }
[ -s forecast/forecast.parquet ] || die "the forecast wrote no forecast.parquet"
step "forecast: $(grep '^Parameter set' forecast.log | cut -c1-100)"

"$V/sahel" workshop new game --team USA --team AES=MLI,BFA,NER --turns 2 >workshop.log 2>&1 \
  || { cat workshop.log >&2; die "workshop new failed"; }
"$V/python" -m workshop status game >>workshop.log 2>&1 || { cat workshop.log >&2; die "workshop status failed"; }
grep -q "Fingerprint of the state" workshop.log || die "workshop status printed no state"
step "workshop new + status: ok"

if "$V/sahel" run scenario.name=nowhere hydra.run.dir=bad >bad.log 2>&1; then die "a missing world file did not fail"; fi
no_traceback bad.log "a missing world file"
grep -q "^error: .*nowhere" bad.log || { cat bad.log >&2; die "a missing world file gave no error: line"; }
step "a missing world: $(cut -c1-100 bad.log | head -n 1)..."

# without the extras: one error: line naming the extra to install, exit 2, no traceback
needs_extra() {  # LOG EXTRA WHAT
  no_traceback "$1" "$3 without its extra"
  [ "$(wc -l <"$1")" -eq 1 ] && grep -q "^error: .*pip install 'sahel-influence\[$2\]'" "$1" \
    || { cat "$1" >&2; die "$3 without the $2 extra gave no one-line error naming it"; }
}
if "$V/sahel" app >noapp.log 2>&1; then die "sahel app ran without the app extra"; else [ $? -eq 2 ] || die "sahel app: exit code not 2"; fi
needs_extra noapp.log app "sahel app"
if "$V/sahel" sweep sweep=demo_grid engine=dask out=nodask >nodask.log 2>&1; then die "a Dask sweep ran without the sweep extra"; fi
needs_extra nodask.log sweep "sahel sweep engine=dask"
[ ! -e nodask ] || die "a refused Dask sweep left its folder"
step "core install: sahel app and engine=dask say: $(cut -c1-90 noapp.log)..."

start=$(date +%s)
"$V/python" -m pip install --quiet --disable-pip-version-check "$WHEEL[all]" >"$TMP/install-all.log" 2>&1 \
  || { cat "$TMP/install-all.log" >&2; die "the wheel's [all] extras did not install"; }
step "the [all] extras added in $(( $(date +%s) - start )) s"

"$V/sahel" sweep sweep=demo_grid sweep.seeds_per_point=1 engine=dask workers=2 out=sweep_dask >sweep_dask.log 2>&1 \
  || { cat sweep_dask.log >&2; die "the sweep on Dask failed"; }
[ -s sweep_dask/runs.parquet ] || die "the sweep on Dask wrote no runs.parquet"
step "sweep on Dask ([sweep] extra): $(tail -n 1 sweep_dask.log)"

PORT=$("$V/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$V/python" -m app --port "$PORT" >app.log 2>&1 &
APP_PID=$!
for _ in $(seq 1 90); do
  curl -fsS "http://127.0.0.1:$PORT/" -o page.html 2>/dev/null && break
  kill -0 "$APP_PID" 2>/dev/null || { cat app.log >&2; die "the app stopped"; }
  sleep 1
done
[ -s page.html ] || { cat app.log >&2; die "the app served no page on port $PORT"; }
curl -fsS "http://127.0.0.1:$PORT/workshop" -o facilitator.html || die "the app served no /workshop page"
kill "$APP_PID"; wait "$APP_PID" 2>/dev/null || true; APP_PID=
no_traceback page.html "the app's page"
no_traceback app.log "the app"
grep -q "<title>Sahel influence" page.html || die "the app's page has not the app's title"
"$V/python" -c "import app.page, app.facilitator" >import.log 2>&1 || { cat import.log >&2; die "the app's pages do not load"; }
step "app page and /workshop served on port $PORT, no traceback"

after=$(cd "$DATA" && find . -type f | sort | xargs sha256sum)
[ "$before" = "$after" ] || die "a command wrote into the installed package ($DATA)"
leftovers=$(ls -A | tr '\n' ' ')
step "all passed from an empty folder; it now holds: $leftovers"
