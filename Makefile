# Work Sync — developer commands. Needs only Python 3.11+ and make; everything else is installed here.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: run demo test lint bench chromium aui clean help

help:
	@echo "make demo   two simulated Jira sites + the app + a worker, installed and ready to click"
	@echo "make run    the app and a worker against the configured Jira (see README)"
	@echo "make test   lint, import contracts and the whole test suite (SQLite, PostgreSQL when running, Redis, Chromium)"
	@echo "make faults the convergence-under-chaos test with many examples"
	@echo "make bench  benchmarks that print figures"
	@echo "make aui    refresh the vendored AUI and jQuery from the npm registry (versions below)"

$(STAMP): pyproject.toml jirasim/pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is required")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]' -e ./jirasim  # the simulator is its own distribution
	@touch $@

run: $(STAMP)
	$(PY) -m plugin run

demo: $(STAMP)
	$(PY) -m demo  # demo/: it starts the simulator and the app and belongs to neither

# Browser tests drive Chromium: Debian's package where we may install it, else Playwright's own build.
chromium: $(STAMP)
	@if [ -x /usr/bin/chromium ] || ls $${PLAYWRIGHT_BROWSERS_PATH:-$$HOME/.cache/ms-playwright} 2>/dev/null | grep -q chromium; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else $(PY) -m playwright install chromium; fi

# Style (ruff), the dependency rules between packages (import-linter contracts in pyproject.toml) and types (mypy
# on all of plugin/, strict for engine.core; its configuration is in pyproject.toml).
lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy -p plugin

# The suite runs in TEST_JOBS processes (pytest-xdist; work stealing evens out the long engine tests). Its tests
# mostly wait — on HTTP, worker processes and Chromium — so two per core keep a 2-core machine busy. Each process
# leases its own Redis database and creates its own PostgreSQL database, so they never share state.
TEST_JOBS ?= 4
test: lint chromium
	$(PY) -m pytest -n $(TEST_JOBS) --dist worksteal $(PYTEST_ARGS)

# The convergence-under-chaos test with many more examples than CI runs, and the fault suite at full size
# (-s: it prints each scenario's time to converge after healing).
faults: $(STAMP)
	WORK_SYNC_CHAOS_EXAMPLES=25 WORK_SYNC_CHAOS_STEPS=40 WORK_SYNC_FAULTS_FULL=1 $(PY) -m pytest -s \
		tests/integration/test_engine_chaos.py tests/faults $(PYTEST_ARGS)

bench: $(STAMP)
	$(PY) -m bench

# AUI (Atlassian's UI library, Apache-2.0) and the jQuery it needs, vendored for the iframe pages: only the
# flat dist bundle, its icon fonts (woff; every browser we serve reads it) and the licences, without source maps.
AUI_VERSION    := 10.0.4
JQUERY_VERSION := 3.7.1
VENDOR         := plugin/static/vendor
aui:
	@command -v npm >/dev/null || { echo "make aui needs npm (Node.js)"; exit 1; }
	@set -e; tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	(cd "$$tmp" && npm pack --silent @atlassian/aui@$(AUI_VERSION) jquery@$(JQUERY_VERSION) >/dev/null); \
	mkdir -p "$$tmp/aui" "$$tmp/jquery"; \
	tar -xzf "$$tmp/atlassian-aui-$(AUI_VERSION).tgz" -C "$$tmp/aui"; \
	tar -xzf "$$tmp/jquery-$(JQUERY_VERSION).tgz" -C "$$tmp/jquery"; \
	rm -rf $(VENDOR)/aui $(VENDOR)/jquery; mkdir -p $(VENDOR)/aui/fonts $(VENDOR)/jquery; \
	cp "$$tmp"/aui/package/dist/aui/aui-prototyping.css "$$tmp"/aui/package/dist/aui/aui-prototyping.js $(VENDOR)/aui/; \
	cp "$$tmp"/aui/package/dist/aui/fonts/*.woff $(VENDOR)/aui/fonts/; \
	cp "$$tmp"/aui/package/LICENSE $(VENDOR)/aui/LICENSE; \
	cp "$$tmp"/jquery/package/dist/jquery.min.js $(VENDOR)/jquery/; \
	cp "$$tmp"/jquery/package/LICENSE.txt $(VENDOR)/jquery/LICENSE.txt; \
	for f in $(VENDOR)/aui/*.css $(VENDOR)/aui/*.js $(VENDOR)/jquery/*.js; do \
		grep -v 'sourceMappingURL=' "$$f" > "$$tmp/stripped" || true; cat "$$tmp/stripped" > "$$f"; done
	@du -sh $(VENDOR)/aui $(VENDOR)/jquery

clean:
	rm -rf $(VENV) instance .pytest_cache
