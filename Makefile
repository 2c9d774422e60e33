# Work Sync — developer commands. Needs only Python 3.11+ and make; everything else is installed here.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: run demo test lint bench chromium clean help

help:
	@echo "make demo   two simulated Jira sites + the app + a worker, installed and ready to click"
	@echo "make run    the app and a worker against the configured Jira (see README)"
	@echo "make test   lint, import contracts and the whole test suite (SQLite, PostgreSQL when running, Redis, Chromium)"
	@echo "make bench  benchmarks that print figures"

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is required")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $@

run: $(STAMP)
	$(PY) -m plugin run

demo: $(STAMP)
	$(PY) -m jirasim.demo

# Browser tests drive Chromium: Debian's package where we may install it, else Playwright's own build.
chromium: $(STAMP)
	@if [ -x /usr/bin/chromium ] || ls $${PLAYWRIGHT_BROWSERS_PATH:-$$HOME/.cache/ms-playwright} 2>/dev/null | grep -q chromium; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else $(PY) -m playwright install chromium; fi

# Style (ruff) and the dependency rules between packages (import-linter contracts in pyproject.toml).
lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

test: lint chromium
	$(PY) -m pytest $(PYTEST_ARGS)

bench: $(STAMP)
	$(PY) -m bench

clean:
	rm -rf $(VENV) instance .pytest_cache
