# The README's two commands: `make baseline` (set up, run the baseline scenario, write its
# tables and plots) and `make test`. Everything else is a helper of those two.
VENV := .venv
PY := $(VENV)/bin/python
OUT ?= outputs/baseline

.PHONY: setup baseline test test-slow bench lint golden docs clean

$(VENV)/.installed: pyproject.toml
	@PYBIN=$$(.ci/find-python) && echo "using $$PYBIN" && "$$PYBIN" -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	@touch $@

setup: $(VENV)/.installed

baseline: setup
	$(PY) -m sim hydra.run.dir=$(OUT)

test: setup
	$(PY) -m pytest -q -m "not slow"

test-slow: setup
	$(PY) -m pytest -q -m slow

bench: setup
	$(PY) benchmarks/bench_drivers.py

lint: setup
	$(PY) -m ruff check .

golden: setup
	$(PY) -m sim.golden --refresh

docs: setup
	$(PY) -m sim.paramdoc --write

clean:
	rm -rf $(VENV) outputs multirun .pytest_cache .ruff_cache .hypothesis
