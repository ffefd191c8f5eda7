# bookchat: `make run` serves, `make test` runs the whole suite, `make check` lints.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test check e2e clean

# (Re)installs whenever pyproject.toml changes; a second `make` installs nothing.
$(INSTALLED): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

install: $(INSTALLED)

run: $(INSTALLED)
	$(VENV)/bin/bookchat serve --host $(HOST) --port $(PORT)

test: $(INSTALLED)
	$(PY) -m pytest

e2e: $(INSTALLED)
	$(PY) -m pytest -m e2e

check: $(INSTALLED)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
