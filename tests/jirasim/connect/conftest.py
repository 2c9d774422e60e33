"""Fixtures of the Connect host tests: the tiny test Connect app, served and installed on the real simulator.

`simulator` (a fresh simulator per test) comes from tests/jirasim/conftest.py.
"""
import pytest

from tests.jirasim.connect.support import InstalledApp, running_test_app


@pytest.fixture
def connect_app(simulator):
    """The tiny test Connect app on a loopback port (not installed), trusting `simulator`'s key server."""
    with running_test_app(simulator.base_url) as app:
        yield app
        simulator.world.webhooks.flush(10)  # let deliveries land while the app still answers


@pytest.fixture
def installed_app(simulator, connect_app) -> InstalledApp:
    """The test Connect app installed on site acme of `simulator`."""
    installed = InstalledApp(simulator, connect_app)
    response = installed.install()
    assert response.status_code == 201, response.text
    return installed
