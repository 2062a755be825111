# cpkit: two commands do everything on a fresh clone (Python 3.11 and make are all it needs).
#   make report   set up .venv, then build the report for YEAR (default 2025) from the shipped sample
#   make test     set up .venv, then lint and run the whole test suite with coverage (what CI runs)

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.cpkit-installed
YEAR ?= 2025
PERIOD ?= financial

# The DfE's SSDA903 validation rules (csc-validator-be-903) pin pandas<2 and numpy<1.25, so they get
# their own environment, run by cpkit.ssda903.validator in a subprocess. numpy 1.24 has no wheels
# after Python 3.11. Where it cannot be set up, `cpkit check` and the report say so and carry on.
VALIDATOR_PYTHON ?= $(shell command -v python3.11 || command -v python3.10 || command -v python3.9)
VALIDATOR_VENV := .venv-validator
VALIDATOR_STAMP := $(VALIDATOR_VENV)/.installed
VALIDATOR_PACKAGE := csc-validator-be-903==0.1.17

# Social Finance's cs-demand-model, the baseline benchmarks/bench_forecast.py compares the sufficiency forecast
# with, and whose package ships the fake returns some tests read. It also pins pandas<2: its own environment,
# from the package registry. Unlike the DfE rules it has no fallback: a benchmark or test that needs it fails.
CSDM_VENV := .venv-csdm
CSDM_STAMP := $(CSDM_VENV)/.installed
CSDM_PACKAGE := cs-demand-model==0.5.1

.PHONY: report test lint lab sample browser pdf-libs bench clean help validator csdm docs

help:
	@echo "make report [YEAR=2025 PERIOD=financial]  build reports/YEAR/ from the sample data"
	@echo "make test                                 lint and run every test (what CI runs)"
	@echo "make lab                                  open the notebooks in JupyterLab"
	@echo "make sample                               regenerate data/sample/ (seed 2025)"
	@echo "make bench                                run the speed and memory benchmarks"
	@echo "make validator                            set up .venv-validator with the DfE's SSDA903 validation rules"
	@echo "make docs                                 build the documentation site into site/ (MkDocs)"
	@echo "make csdm                                 set up .venv-csdm with cs-demand-model (benchmark baseline, sample returns)"

# The environment is rebuilt when pyproject.toml changes.
$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,lab]'
	@touch $(STAMP)

validator: $(VALIDATOR_STAMP)

$(VALIDATOR_STAMP):
	@if [ -z "$(VALIDATOR_PYTHON)" ]; then \
	  echo "No Python 3.9-3.11 found for the DfE validation rules: cpkit will say they were not run"; \
	else \
	  ( $(VALIDATOR_PYTHON) -m venv $(VALIDATOR_VENV) \
	    && $(VALIDATOR_VENV)/bin/python -m pip install --quiet '$(VALIDATOR_PACKAGE)' \
	    && $(VALIDATOR_VENV)/bin/python -c 'import lac_validator.rules.lac2025_26' \
	    && touch $(VALIDATOR_STAMP) ) \
	  || { rm -rf $(VALIDATOR_VENV); echo "The DfE validation rules could not be installed: cpkit will say they were not run"; }; \
	fi

csdm: $(CSDM_STAMP)

$(CSDM_STAMP):
	@test -n "$(VALIDATOR_PYTHON)" || { echo "cs-demand-model needs Python 3.9-3.11 (it pins pandas<2)"; exit 1; }
	rm -rf $(CSDM_VENV)
	$(VALIDATOR_PYTHON) -m venv $(CSDM_VENV)
	$(CSDM_VENV)/bin/python -m pip install --quiet '$(CSDM_PACKAGE)'
	$(CSDM_VENV)/bin/python -c 'import cs_demand_model, cs_demand_model_samples'
	@touch $(CSDM_STAMP)

report: $(STAMP) validator pdf-libs
	$(BIN)/cpkit report --year $(YEAR) --period $(PERIOD)

# WeasyPrint (annual-report.pdf) needs Pango from the system. Installed with apt where it can be; where it
# cannot, the report is still written, without the PDF, and the run says why.
pdf-libs:
	@ldconfig -p 2>/dev/null | grep -q 'libpangoft2-1.0' || { \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 fonts-liberation >/dev/null) \
	      || echo "Pango could not be installed: annual-report.pdf will not be made"; \
	  else echo "Pango is not installed and cannot be installed here: annual-report.pdf will not be made"; fi; }

# Chromium drives the accessibility (axe-core) tests. It comes from Debian's packages, never from a
# download of Playwright's own browser. Where it cannot be installed the axe tests skip and say why.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-liberation >/dev/null) \
	      || echo "Chromium could not be installed: accessibility tests will be skipped"; \
	  else echo "Chromium is not installed and cannot be installed here: accessibility tests will be skipped"; fi; }

lint: $(STAMP)
	$(BIN)/ruff check cpkit tests benchmarks
	$(BIN)/ruff format --check cpkit tests benchmarks

# --dist loadfile: each test file on one worker, so a file's shared real run (a module fixture) is made once;
# --no-loadscope-reorder keeps tests/conftest.py's order, which starts the two longest files first, one a worker.
test: $(STAMP) browser validator csdm pdf-libs
	$(BIN)/ruff check cpkit tests benchmarks
	$(BIN)/ruff format --check cpkit tests benchmarks
	$(BIN)/python -m pytest -n 2 --dist loadfile --no-loadscope-reorder --cov=cpkit --cov-report=term --durations=15

lab: $(STAMP)
	$(BIN)/jupyter lab notebooks $$([ "$$(id -u)" = 0 ] && echo --allow-root)

docs: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict

sample: $(STAMP)
	$(BIN)/cpkit sample --out data/sample --seed 2025

bench: $(STAMP) csdm
	$(BIN)/python benchmarks/bench_903.py
	$(BIN)/python benchmarks/bench_release.py
	$(BIN)/python benchmarks/bench_stack.py
	$(BIN)/python benchmarks/bench_kernel.py
	$(BIN)/python benchmarks/bench_report.py
	$(BIN)/python benchmarks/bench_forecast.py

clean:
	rm -rf $(VENV) $(VALIDATOR_VENV) $(CSDM_VENV) site reports/[0-9]* reports/_analyst .pytest_cache .ruff_cache .coverage .coverage.*
