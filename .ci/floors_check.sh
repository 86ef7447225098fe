#!/usr/bin/env bash
# The declared minimum versions tested (pyproject.toml): a fresh venv with every direct dependency
# at its floor (uv's lowest-direct resolution: the lowest version each `>=` allows, their own
# dependencies resolved as usual), then the default tests but the browser ones from the checkout.
#   bash .ci/floors_check.sh        (make floors-check)
set -euo pipefail
cd "$(dirname "$0")/.."
PYBIN=${PYTHON:-$(.ci/find-python)}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
export MPLBACKEND=Agg MPLCONFIGDIR="$TMP/mpl"
echo "floors-check: the direct dependencies of pyproject.toml (core, the sweep, app and dev extras) at their floors"
"$PYBIN" - >"$TMP/floors.in" <<'PY'
import tomllib
with open("pyproject.toml", "rb") as f:
    project = tomllib.load(f)["project"]
extras = project["optional-dependencies"]
print("\n".join(project["dependencies"] + extras["sweep"] + extras["app"] + extras["dev"]))
PY
.venv/bin/python -m pip install --quiet "uv>=0.5"
.venv/bin/uv venv --quiet --python "$PYBIN" "$TMP/venv"
.venv/bin/uv pip install --quiet --python "$TMP/venv/bin/python" --resolution lowest-direct -r "$TMP/floors.in"
"$TMP/venv/bin/python" - <<'PY'
import importlib.metadata as m
names = ["numpy", "numba", "pandas", "pyarrow", "mesa", "hydra-core", "networkx", "matplotlib", "salib", "scipy", "dask",
         "ema-workbench", "solara", "pyyaml", "pytest", "hypothesis"]
print("floors-check: installed " + ", ".join(f"{n} {m.version(n)}" for n in names))
PY
PYTHONPATH="$PWD" "$TMP/venv/bin/python" -m pytest -q -m "not slow and not browser" -p no:cacheprovider
