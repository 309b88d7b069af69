# `make` sets up .venv and builds _site/; `make test` sets up and runs every test.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt

.PHONY: all build check test clean
all: build

$(PY):
	$(PYTHON) -m venv $(VENV)

$(VENV)/.site-installed: requirements.txt constraints.txt | $(PY)
	$(PIP) -r requirements.txt
	touch $@

$(VENV)/.test-installed: requirements.txt requirements-dev.txt constraints.txt | $(PY)
	$(PIP) -r requirements-dev.txt
	touch $@ $(VENV)/.site-installed

build: $(VENV)/.site-installed
	$(PY) build.py

check: $(VENV)/.site-installed
	$(PY) build.py check

test: $(VENV)/.test-installed
	$(PY) -m pytest

clean:
	rm -rf _site .cache .pytest_cache

.PHONY: bench
bench: $(VENV)/.site-installed
	$(PY) bench/run.py
