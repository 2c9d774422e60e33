"""Fixtures of the real world: the Jira simulator over HTTP and the app served on loopback, installed into both sites.

Registered for the whole suite by `pytest_plugins` in tests/conftest.py.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests

from jirasim.testing import running_simulator
from plugin.connect.tenants import find_active_tenant_by_url
from plugin.forge.app import write
from plugin.jira import JiraClient
from tests.support import services
from tests.support.live_app import LiveApp, serving

SITES = ("acme", "globex")
KINDS = ("connect", "forge")
FORGE_APP_ID = "ari:cloud:ecosystem::app/7d2e5b90-1c4a-4f3e-8a61-5b0f9c2d7e14"
FORGE_DELIVERY = {"timeout": 5, "retry_delays": [0.05], "scatter": 0.05}

# The tests that run with side 1 (acme) installed either way, Connect or Forge (globex is always Connect):
# `pytestmark = SIDE1_KINDS` in their module. The Forge variant runs on SQLite only: what it adds is the
# front end (FITs, /forge/events, the system token on the gateway), which is the same code whatever the
# database, and running it on PostgreSQL too would add another full pass of the engine suite's minutes.
SIDE1_KINDS = pytest.mark.parametrize(("database_url", "side1_kind"), [
    pytest.param("sqlite", "connect", id="sqlite-connect"),
    pytest.param("postgresql", "connect", id="postgresql-connect"),
    pytest.param("sqlite", "forge", id="sqlite-forge"),
], indirect=True)


@dataclass
class Installed:
    """The simulator and the live app, with the app installed into every site."""

    sim: object
    live: LiveApp
    side1_kind: str = "connect"

    def kind(self, name: str) -> str:
        """How the app is installed on site `name`: "forge" (acme when side 1 is a Forge site) or "connect"."""
        return self.side1_kind if name == SITES[0] else "connect"

    def app_account(self, name: str) -> str:
        """The account id of our app's user on site `name` (the Connect add-on user or the Forge app user)."""
        if self.kind(name) == "forge":
            return self.site(name).forge_apps[FORGE_APP_ID].account_id
        return self.site(name).apps["work-sync"].account_id

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
def side1_kind(request) -> str:
    """How side 1's site (acme) installs the app: "connect" unless a test is parametrised (SIDE1_KINDS)."""
    kind = getattr(request, "param", "connect")
    assert kind in KINDS, kind
    return kind


@pytest.fixture
def live_app(settings, jira_sim, side1_kind):
    """The app on a real loopback port, trusting the simulator's install-key server and all.js (and, when side 1
    is a Forge site, the simulator's FIT keys and product API gateway, as an operator's FORGE_* settings do)."""
    sim = jira_sim.base_url
    forge = {} if side1_kind == "connect" else {
        "forge_app_id": FORGE_APP_ID, "forge_jwks_url": f"{sim}/_forge/.well-known/jwks.json",
        "forge_api_hosts": (urlsplit(sim).netloc,)}
    with serving(settings.with_(install_keys_url=f"{sim}/_keys", all_js_url=f"{sim}/_static/all.js",
                                **forge)) as app:
        yield app
    services.forget_jobs(settings.redis_url)


def install_forge(jira_sim, live_app: LiveApp, site: str, out: Path) -> dict:
    """`python -m plugin forge-app`'s folder written to `out` and installed on `site` from its manifest, the live
    app its remote; the installed lifecycle delivered. The simulator's Forge installation."""
    write(out, live_app.base_url, live_app.settings.base_path, FORGE_APP_ID)
    sim = jira_sim.base_url
    assert requests.post(f"{sim}/_sim/forge/settings", json=FORGE_DELIVERY, timeout=10).status_code == 200
    response = requests.post(f"{sim}/_sim/sites/{site}/forge/install",
                             json={"manifest": (out / "manifest.yml").read_text(), "app_dir": str(out)}, timeout=30)
    assert response.status_code == 201, response.text
    flushed = requests.post(f"{sim}/_sim/forge/flush", json={"timeout": 15}, timeout=30)
    assert flushed.status_code == 200, flushed.text
    return response.json()


@pytest.fixture
def installed(jira_sim, live_app, side1_kind, tmp_path) -> Installed:
    """Both simulator sites have installed the app: globex from its descriptor URL (Connect), acme so too or, when
    side 1 is a Forge site, from the generated Forge app's manifest."""
    for name in SITES:
        if name == SITES[0] and side1_kind == "forge":
            install_forge(jira_sim, live_app, name, tmp_path / "forge-app")
            continue
        response = requests.post(f"{jira_sim.base_url}/_sim/sites/{name}/install",
                                 json={"descriptor_url": f"{live_app.base_url}/atlassian-connect.json"}, timeout=30)
        assert response.status_code == 201, response.text
    world = Installed(jira_sim, live_app, side1_kind)
    with live_app.runtime.sessions() as session:
        tenant = find_active_tenant_by_url(session, jira_sim.site_url(SITES[0]))
        assert tenant is not None and tenant.kind == side1_kind, "side 1's site is not installed as it should be"
    return world
