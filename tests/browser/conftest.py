"""One Chromium per test module (launching it costs more than a page), and patient expectations."""
import pytest
from playwright.sync_api import expect

from tests.support.browser import chromium
from tests.support.pages import WAIT_MS

# Pages wait for Jira (the simulator) and our API on a shared machine: allow more than Playwright's 5 s.
expect.set_options(timeout=WAIT_MS)


@pytest.fixture(scope="module")
def browser():
    """A headless Chromium shared by the tests of one module."""
    with chromium() as launched:
        yield launched
