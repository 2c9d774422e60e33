"""Fixtures of the real world: the Jira simulator over HTTP and the app served on loopback, installed into both sites.

Registered for the whole suite by `pytest_plugins` in tests/conftest.py.
"""
from __future__ import annotations

import time
from dataclasses import dataclass

import pytest
import requests

from jirasim.testing import running_simulator
from plugin.connect.tenants import find_active_tenant_by_url
from plugin.jira import JiraClient
from tests.support import services
from tests.support.live_app import LiveApp, serving

SITES = ("acme", "globex")


@dataclass
class Installed:
    """The simulator and the live app, with the app installed into every site."""

    sim: object
    live: LiveApp

    def site(self, name: str):
        """The simulator's Site object."""
        return self.sim.world.sites[name]

    def client(self, name: str) -> JiraClient:
        """The app's JiraClient for the tenant of site `name`, built from the stored tenant."""
        runtime = self.live.runtime
        with runtime.sessions() as session:
            tenant = find_active_tenant_by_url(session, self.sim.site_url(name))
            assert tenant is not None, f"{name} is not installed"
            return runtime.jira(tenant)

    def user(self, site: str, short_name: str):
        """A human user of a site by the local part of their e-mail address (alice, pat, dev)."""
        return next(u for u in self.site(site).users.values() if u.email.startswith(short_name + "@"))

    def as_user(self, site: str, short_name: str) -> requests.Session:
        """A requests session that acts in the simulator as a human user (Basic auth)."""
        session = requests.Session()
        session.auth = (self.user(site, short_name).email, "api-token")
        return session

    def reinstall(self, name: str) -> requests.Response:
        """Install the app into site `name` again, as an admin would a moment later.

        Jira's install token for a site is the same for every call within one second, and the app accepts a
        token once: the reinstall is made in the next second, when Jira would sign afresh.
        """
        started = int(time.time())
        while int(time.time()) == started:
            time.sleep(0.02)
        return requests.post(f"{self.sim.base_url}/_sim/sites/{name}/install",
                             json={"descriptor_url": f"{self.live.base_url}/atlassian-connect.json"}, timeout=30)

    def flush_webhooks(self) -> None:
        """Wait until the simulator has delivered every queued webhook."""
        assert requests.post(f"{self.sim.base_url}/_sim/webhooks/flush", json={"timeout": 10}).json()["flushed"]


@pytest.fixture
def jira_sim():
    """The Jira simulator with the sample sites acme and globex, on a loopback port."""
    with running_simulator(SITES) as running:
        yield running


@pytest.fixture
def live_app(settings, jira_sim):
    """The app on a real loopback port, trusting the simulator's install-key server and all.js."""
    with serving(settings.with_(install_keys_url=f"{jira_sim.base_url}/_keys",
                                all_js_url=f"{jira_sim.base_url}/_static/all.js")) as app:
        yield app
    services.forget_jobs(settings.redis_url)


@pytest.fixture
def installed(jira_sim, live_app) -> Installed:
    """Both simulator sites have installed the app from its descriptor URL."""
    for name in SITES:
        response = requests.post(f"{jira_sim.base_url}/_sim/sites/{name}/install",
                                 json={"descriptor_url": f"{live_app.base_url}/atlassian-connect.json"}, timeout=30)
        assert response.status_code == 201, response.text
    return Installed(jira_sim, live_app)
