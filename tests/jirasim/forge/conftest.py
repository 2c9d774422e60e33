"""Fixtures of the Forge platform tests: a test remote and the test app, on a fresh simulator per test.

`simulator` (a fresh simulator per test) comes from tests/jirasim/conftest.py.
"""
import pytest
import requests

from tests.jirasim.forge.support import FAST, ForgeApp, running_remote
from tests.support import npm


@pytest.fixture
def forge_remote(simulator):
    """The test remote on a loopback port, trusting `simulator`'s JWKS; Forge's timeouts made short."""
    assert requests.post(f"{simulator.base_url}/_sim/forge/settings", json=FAST, timeout=5).status_code == 200
    with running_remote(simulator.base_url) as remote:
        yield remote
        simulator.world.forge.flush(10)  # let invocations land while the remote still answers


@pytest.fixture
def forge_app(simulator, forge_remote, tmp_path) -> ForgeApp:
    """The test app installed on acme, its Custom UI resource a small page in a temporary directory."""
    (tmp_path / "index.html").write_text("<html><head></head><body><p id=out>idle</p></body></html>")
    app = ForgeApp(simulator, forge_remote, resources={"main": str(tmp_path)})
    response = app.install()
    assert response.status_code == 201, response.text
    app.flush()
    return app


@pytest.fixture(scope="session")
def forge_manifest_package():
    """The unpacked @forge/manifest package at the pinned version (fetched from npm once, cached)."""
    return npm.package_dir()
