"""Launch Chromium for browser tests: Debian's /usr/bin/chromium when present, else Playwright's own build."""
from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from playwright.sync_api import Browser, sync_playwright

from tests.support import services

DEBIAN_CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


@contextmanager
def chromium() -> Iterator[Browser]:
    """A headless Chromium, closed afterwards."""
    executable = DEBIAN_CHROMIUM if os.path.exists(DEBIAN_CHROMIUM) else None
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True, args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


def on_one_database():
    """Browser tests drive pages, not SQL: they run once, on PostgreSQL when it runs (else SQLite), not on each."""
    name = "postgresql" if services.REQUIRE_POSTGRES or services.postgres_available() else "sqlite"
    return pytest.mark.parametrize("database_url", [name], indirect=True)
