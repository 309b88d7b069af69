# `make` sets up .venv and builds _site/; `make test` sets up and runs every test;
# `make screenshots` writes PNGs of every page (360 and 1280 px, light and dark) into screenshots/,
# in Chromium unless ENGINE names another: make screenshots ENGINE=firefox (or ENGINE=webkit);
# `make docs` builds factsite's documentation (docs/, a factsite site) into docs/_site/.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt
# The browser tests' tools (vnu-jar, axe-core) exactly as package-lock.json pins them. No install
# scripts: vnu-jar's would download a Java runtime; the system's java is used instead.
NPM_STAMP := node_modules/.installed
# The address the site is published at, when it is not site.yaml's url: the Pages workflow passes
# the one GitHub reports, e.g. make BASE_URL=https://owner.github.io/repo/
BASE_URL ?=
URL_OPTION := $(if $(BASE_URL),--base-url '$(BASE_URL)')
ENGINE ?= chromium

.PHONY: all build check test screenshots clean docs
all: build

$(PY):
	$(PYTHON) -m venv $(VENV)

$(VENV)/.site-installed: requirements.txt constraints.txt | $(PY)
	$(PIP) -r requirements.txt
	touch $@

$(VENV)/.test-installed: requirements.txt requirements-dev.txt constraints.txt | $(PY)
	$(PIP) -r requirements-dev.txt
	touch $@ $(VENV)/.site-installed

$(NPM_STAMP): package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund
	touch $@

build: $(VENV)/.site-installed
	$(PY) build.py build $(URL_OPTION)

check: $(VENV)/.site-installed
	$(PY) build.py check $(URL_OPTION)

docs: $(VENV)/.site-installed
	$(PY) build.py build --site docs

test: $(VENV)/.test-installed $(NPM_STAMP)
	$(PY) -m pytest

screenshots: build $(VENV)/.test-installed
	PYTHONPATH=tests $(PY) -m browser.screenshots _site screenshots $(ENGINE)

clean:
	rm -rf _site .cache .pytest_cache screenshots docs/_site docs/.cache

# The benchmark compares with other tools, installed pinned in their own environment, bench/.venv,
# and runs Lighthouse (pinned in bench/package-lock.json, installed into bench/node_modules, not the
# tests' node_modules) with the system's Chromium (CHROME_PATH, else /usr/bin/chromium).
# Pass options with BENCH_ARGS, e.g. make bench BENCH_ARGS="--sizes 100,1000 --runs 3 --skip-lighthouse".
BENCH_VENV := bench/.venv
$(BENCH_VENV)/.installed: bench/requirements.txt
	$(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r bench/requirements.txt
	touch $@

BENCH_NPM_STAMP := bench/node_modules/.installed
$(BENCH_NPM_STAMP): bench/package.json bench/package-lock.json
	cd bench && npm ci --ignore-scripts --no-audit --no-fund
	touch $@

.PHONY: bench
bench: $(VENV)/.site-installed $(BENCH_VENV)/.installed $(BENCH_NPM_STAMP)
	$(PY) bench/run.py $(BENCH_ARGS)
