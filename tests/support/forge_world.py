"""The generated Forge app installed on a simulated site: `python -m plugin forge-app`'s folder, installed from its
manifest on acme with the live app as its remote (Forge settings pointing at the simulator), and globex installed
through Connect — one synchronization may pair the two kinds."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests
from sqlalchemy import select

from plugin.connect.tenants import find_active_tenant_by_url
from plugin.forge.app import write
from plugin.models import Link, Tenant, utcnow
from plugin.models.syncs import Synchronization
from tests.support import npm, services
from tests.support.live_app import LiveApp, serving

APP_ID = "ari:cloud:ecosystem::app/3f0c4a8e-6b1d-4c2a-9e57-2d8a41f0b6c9"
FORGE_SITE, CONNECT_SITE = "acme", "globex"
DELIVERY = {"timeout": 5, "retry_delays": [0.05], "scatter": 0}


@dataclass
class ForgeInstalled:
    """The simulator, the live app, the generated app's folder and manifest, and acme's Forge installation."""

    sim: object
    live: LiveApp
    out: Path
    manifest: dict
    installation: dict

    @property
    def app_uuid(self) -> str:
        return self.manifest["app"]["id"].rsplit("/", 1)[-1]

    def flush(self) -> None:
        """Wait until every Forge invocation (retries included) and webhook is delivered."""
        answer = requests.post(f"{self.sim.base_url}/_sim/forge/flush", json={"timeout": 15}, timeout=30)
        assert answer.status_code == 200 and answer.json().get("flushed", True), answer.text

    def invocations(self) -> list[dict]:
        answer = requests.get(f"{self.sim.base_url}/_sim/forge/invocations", timeout=10).json()
        return answer if isinstance(answer, list) else answer.get("invocations", [])

    def forge_tenant(self, session) -> Tenant | None:
        return session.scalars(select(Tenant).where(
            Tenant.installation_id == self.installation["installationId"])).one_or_none()

    def running_sync(self, name: str = "acme ↔ globex") -> int:
        """A running synchronization of acme's ACME (the Forge site) with globex's GLOBEX (the Connect site)."""
        world = self.sim.world
        acme, globex = world.sites[FORGE_SITE].project("ACME"), world.sites[CONNECT_SITE].project("GLOBEX")
        with self.live.runtime.sessions.begin() as session:
            forge = self.forge_tenant(session)
            connect = find_active_tenant_by_url(session, self.sim.site_url(CONNECT_SITE))
            assert forge is not None and connect is not None
            sync = Synchronization(name=name, mode="immediate", state="active", running=True,
                                   first_started_at=datetime.now(UTC), side1_tenant_id=forge.id,
                                   side1_project_id=str(acme.id), side1_project_key="ACME",
                                   side2_tenant_id=connect.id, side2_project_id=str(globex.id),
                                   side2_project_key="GLOBEX", pair_key=f"forge-{name}", created_by="test")
            session.add(sync)
            session.flush()
            return sync.id

    def user(self, handle: str):
        """A human user of the Forge site by the local part of their e-mail address (alice, pat, dev)."""
        site = self.sim.world.sites[FORGE_SITE]
        return next(u for u in site.users.values() if u.email.startswith(handle + "@"))

    def linked(self, sync_id: int, acme_key: str, globex_key: str) -> None:
        """A linked pair of the synchronization: acme's issue `acme_key` (side 1) and globex's `globex_key`."""
        world = self.sim.world
        acme, globex = world.sites[FORGE_SITE].issue(acme_key), world.sites[CONNECT_SITE].issue(globex_key)
        with self.live.runtime.sessions.begin() as session:
            session.add(Link(sync_id=sync_id, side1_issue_id=acme.id, side1_issue_key=acme_key,
                             side2_issue_id=globex.id, side2_issue_key=globex_key, state="linked", origin_side=1,
                             base={}, last_synced_at=utcnow()))


@pytest.fixture
def forge_installed(settings, jira_sim, tmp_path):
    """The generated Forge app installed on acme (its lifecycle delivered), the Connect app on globex."""
    sim = jira_sim.base_url
    forge_settings = settings.with_(install_keys_url=f"{sim}/_keys", all_js_url=f"{sim}/_static/all.js",
                                    forge_app_id=APP_ID, forge_jwks_url=f"{sim}/_forge/.well-known/jwks.json",
                                    forge_api_hosts=(urlsplit(sim).netloc,))
    with serving(forge_settings) as live:
        out = tmp_path / "forge-app"
        written = write(out, live.base_url, live.settings.base_path, APP_ID)
        assert requests.post(f"{sim}/_sim/forge/settings", json=DELIVERY, timeout=10).status_code == 200
        loaded = requests.post(f"{sim}/_sim/forge/manifest-schema", json={"package_dir": str(npm.package_dir())},
                               timeout=30)
        assert loaded.status_code == 200, loaded.text  # the install is validated with Atlassian's schema
        installed = requests.post(f"{sim}/_sim/sites/{FORGE_SITE}/forge/install",
                                  json={"manifest": (out / "manifest.yml").read_text(), "app_dir": str(out)},
                                  timeout=30)
        assert installed.status_code == 201, installed.text
        connect = requests.post(f"{sim}/_sim/sites/{CONNECT_SITE}/install",
                                json={"descriptor_url": f"{live.base_url}/atlassian-connect.json"}, timeout=30)
        assert connect.status_code == 201, connect.text
        world = ForgeInstalled(jira_sim, live, out, written.manifest, installed.json())
        world.flush()
        yield world
    services.forget_jobs(settings.redis_url)
