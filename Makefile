# The README's two commands: `make baseline` (set up, run the baseline scenario, write its
# tables and plots) and `make test`. Everything else is a helper of those two.
VENV := .venv
PY := $(VENV)/bin/python
OUT ?= outputs/baseline
HOST ?= 127.0.0.1
PORT ?= 8765

.PHONY: setup baseline test test-slow bench bench-app bench-class-load app-screenshot lint format golden docs docs-site lock clean app browser \
	wheel-check floors-check

# The exact versions of requirements.lock (every extra, the test and docs tools), then the project
# itself, editable, without resolving again. `make lock` refreshes the lock after pyproject.toml changes.
$(VENV)/.installed: pyproject.toml requirements.lock
	@PYBIN=$$(.ci/find-python) && echo "using $$PYBIN" && "$$PYBIN" -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	$(PY) -m pip install --quiet --no-deps -e .
	@touch $@

setup: $(VENV)/.installed

baseline: setup
	$(PY) -m sim hydra.run.dir=$(OUT)

# The classroom app (docs/app.md): make app [HOST=0.0.0.0] [PORT=8765]
app: setup
	$(PY) -m app --host $(HOST) --port $(PORT)

# Debian's Chromium, for the app's browser tests (run by `make test-slow`; Playwright drives it; it never downloads a browser).
browser:
	@if [ "$$SAHEL_SKIP_BROWSER" = 1 ]; then echo "SAHEL_SKIP_BROWSER=1: no browser needed"; \
	elif [ -x /usr/bin/chromium ]; then echo "chromium: /usr/bin/chromium"; else \
	  SUDO=$$([ "$$(id -u)" -eq 0 ] || echo sudo); \
	  $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	  $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium; fi

# the default suite on every core (pytest-xdist; about 4 minutes on 2 cores, 6.5 serially)
test: setup
	$(PY) -m pytest -q -m "not slow" -n auto --durations=15

test-slow: setup browser
	$(PY) -m pytest -q -m slow --durations=15

bench: setup
	$(PY) benchmarks/bench_kernel.py
	$(PY) benchmarks/bench_drivers.py
	$(PY) benchmarks/bench_rng.py
	$(PY) benchmarks/bench_sweep.py

bench-app: setup browser
	$(PY) benchmarks/bench_app.py

# 30 browser tabs on one app server, 8 of them playing: the latency of Step in an idle tab (a few minutes).
bench-class-load: setup browser
	$(PY) benchmarks/bench_class_load.py

# The pictures of the classroom app in README.md and docs/app.md (headless Chromium, 18 months of the baseline):
# a wide screen, a 1024x768 projector, and presentation mode on a 1366x768 one; and the workshop's pages
# of docs/workshop.md (docs/img/workshop_*.png, 1280x800: facilitator, team page, projector, debrief).
app-screenshot: setup browser
	$(PY) -m app.screenshot docs/img/app.png --steps 18
	$(PY) -m app.screenshot docs/img/app_1024x768.png --steps 18 --width 1024 --height 768
	$(PY) -m app.screenshot docs/img/app_present_1366x768.png --steps 18 --width 1366 --height 768 --present
	$(PY) -m app.screenshot docs/img/app_fr_1366x768.png --steps 18 --width 1366 --height 768 --lang fr
	$(PY) -m app.screenshot --workshop docs/img

# The package as a user installs it (docs/install.md): the wheel in a fresh venv, its commands from an empty folder.
wheel-check:
	bash .ci/wheel_check.sh

# The declared minimum versions of pyproject.toml tested: every direct dependency at its floor in a fresh venv.
floors-check: setup
	bash .ci/floors_check.sh

# requirements.lock from pyproject.toml (docs/install.md): the newest versions the floors allow, for
# every platform, Python 3.12 or newer; pins already in the lock are kept unless UPGRADE=--upgrade.
LOCK_CMD = uv pip compile pyproject.toml --extra all --extra dev --extra docs --universal --python-version 3.12 \
	-o requirements.lock
lock: setup
	$(PY) -m pip install --quiet "uv>=0.5"
	$(VENV)/bin/$(LOCK_CMD) $(UPGRADE)

# The documentation site (mkdocs.yml, docs/): built into site/, a broken link or a page missing from
# the navigation is an error.
docs-site: setup
	NO_MKDOCS_2_WARNING=1 $(VENV)/bin/mkdocs build --strict --quiet --site-dir site

lint: setup
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: setup
	$(PY) -m ruff format .

golden: setup
	$(PY) -m sim.golden --refresh

docs: setup
	$(PY) -m sim.paramdoc --write

clean:
	rm -rf $(VENV) outputs multirun site .pytest_cache .ruff_cache .hypothesis
