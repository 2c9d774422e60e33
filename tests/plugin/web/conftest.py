"""Fixtures for web tests: an installed site that signs its calls like Jira."""
import pytest

from tests.support.constants import APP_BASE_URL
from tests.support.jira_site import SiteSigner, install


@pytest.fixture
def site(client, key_server) -> SiteSigner:
    """A Jira site that has installed the app through the signed `installed` lifecycle call."""
    # Loopback port 9 refuses connections: a page's call back to "Jira" fails fast and never leaves the machine.
    signer = SiteSigner(client_key="client-acme", base_url="http://127.0.0.1:9/acme",
                        app_base_url=APP_BASE_URL, display_url="https://jira.acme.com")
    response = install(client, key_server, signer)
    assert response.status_code == 204, response.get_json()
    return signer
