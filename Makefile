# PMF Workbook: the two commands most people need are
#
#   make demo    build the fictional demo council and run its latest quarter
#   make test    run the test suite
#
# Both set up what they need first (Debian packages, the .venv, axe-core) and
# are quick when that is already done. See README.md.

PYTHON ?= python3.11
VENV := .venv
VENV_PY := $(VENV)/bin/python
# Written after a successful install; older than pyproject.toml = reinstall.
VENV_STAMP := $(VENV)/.pmf-installed
# axe-core for the accessibility tests, pinned in package.json/package-lock.json.
AXE_JS := node_modules/axe-core/axe.min.js

# Prerequisites run in the order written (system before venv before tests).
.NOTPARALLEL:
.DEFAULT_GOAL := help
.PHONY: help venv system axe demo test bench clean distclean

help:
	@echo "make demo       build the demo council and run its latest quarter"
	@echo "make test       run the tests (installs what they need first)"
	@echo "make venv       create .venv and install pmf-workbook into it"
	@echo "make system     install the Debian packages (as root; otherwise prints the command)"
	@echo "make bench      run the benchmark (scripts/benchmark.py)"
	@echo "make clean      remove caches and build leftovers (keeps .venv, inputs, outputs)"
	@echo "make distclean  clean, and remove .venv and node_modules too"

system:
	@bash scripts/setup-system.sh

venv: $(VENV_STAMP)

$(VENV_STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "$(PYTHON) not found: run 'make system' (Debian 12 ships it as python3.11)" >&2; exit 1; }
	@if [ ! -x $(VENV_PY) ] || ! $(VENV_PY) -c "import sys; sys.exit(sys.version_info[:2] != (3, 11))" 2>/dev/null; then \
		echo "Creating $(VENV) with $(PYTHON)"; \
		rm -rf $(VENV) && $(PYTHON) -m venv $(VENV); \
	fi
	$(VENV_PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $@

axe: $(AXE_JS)

$(AXE_JS): package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo "npm not found: run 'make system'" >&2; exit 1; }
	npm ci --include=dev --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch $@

demo: system venv
	$(VENV)/bin/pmf demo

test: system venv axe
	$(VENV_PY) -m pytest -n 2 --dist loadfile -q

bench: venv
	$(VENV_PY) scripts/benchmark.py

clean:
	rm -rf .pytest_cache .hypothesis build dist *.egg-info
	find . -path ./$(VENV) -prune -o -path ./node_modules -prune -o \
		\( -name __pycache__ -o -name .ipynb_checkpoints \) -type d -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV) node_modules
