"""How much the Forge Remote path costs beside Connect's: a Forge Invocation Token verified per second (RS256 against
the JWKS, as every call from Forge is), and the latency from a person's edit on a Forge site to the partner's write
(the edit reaches us as a Forge product event, not a Connect webhook). Figures only."""
from __future__ import annotations

import uuid
from types import SimpleNamespace

from bench import results
from bench.engine import latency, world
from bench.timing import bare_flask_rate, rate
from jirasim.forge import fit as forge_fit
from jirasim.forge import keys as forge_keys
from plugin.forge import fit
from plugin.forge.jwks import Jwks

APP_ID = "ari:cloud:ecosystem::app/7d2e5b90-1c4a-4f3e-8a61-5b0f9c2d7e14"
HOSTS = ("api.atlassian.com",)


def _token() -> str:
    """A FIT as Forge signs it for an event delivered to our remote (the documented claims)."""
    installation = SimpleNamespace(
        app_id=APP_ID, app_version="1.0.0", installation_id=f"ari:cloud:ecosystem::installation/{uuid.uuid4()}",
        cloud_id=str(uuid.uuid4()), environment_id=str(uuid.uuid4()))
    claims = forge_fit.claims(installation, "https://api.atlassian.com", "core:endpoint", "work-sync-events",
                              ttl=3600)
    claims["app"]["apiBaseUrl"] = f"https://api.atlassian.com/ex/jira/{installation.cloud_id}"
    return forge_fit.mint(claims)


def verification() -> None:
    """FITs verified per second: signature, claims and apiBaseUrl, with the JWKS fetched once and cached."""
    document = forge_keys.jwks()
    keys = Jwks("https://forge.cdn.prod.atlassian-dev.net/.well-known/jwks.json",
                get=lambda url, timeout: SimpleNamespace(status_code=200, json=lambda: document))
    token = _token()

    def verify():
        fit.verify(token, keys, app_id=APP_ID, api_hosts=HOSTS, production=True)

    verify()
    per_second = rate("verify a Forge Invocation Token (RS256, cached JWKS)", verify)
    results.figure("Forge", "FIT verification per web process", per_second, "/s",
                   f"RS256 2048-bit signature, claims and apiBaseUrl checked, JWKS cached ({keys.fetches} fetch)")


def ingest() -> None:
    """Forge product events taken per web process (FIT verified, installation known, inbox row, commit), beside a
    bare Flask endpoint in the same run: the WSGI test client of the live app, as the Connect ingest is measured."""
    with world(0, side1_kind="forge") as engine:
        sim, live = engine.installed.sim, engine.installed.live
        installation = next(iter(sim.world.sites["acme"].forge_apps.values()))
        token = forge_fit.mint(forge_fit.claims(installation, sim.base_url, forge_fit.BACKEND_MODULE, "ws-events",
                                                ttl=3600))
        headers = {**forge_fit.headers(token, None), "Content-Type": "application/json"}
        client, counter = live.app.test_client(), iter(range(10**9))

        def event():
            number = next(counter)
            body = {"payload": {"eventType": "avi:jira:updated:issue", "timestamp": str(number),
                                "issue": {"id": "10001", "key": "ACME-1",
                                          "fields": {"project": {"id": "10000", "key": "ACME"}}},
                                "changelog": {"id": str(number), "items": [{"field": "summary"}]}}}
            response = client.post("/forge/events", json=body, headers=headers, base_url=live.base_url)
            assert response.status_code == 204, response.status_code

        ours = rate("Forge event ingest (FIT, installation, inbox row, commit)", event, 2.0)
        plain = bare_flask_rate("bare Flask endpoint (a body of the same size, no work)", 2.0,
                                json={"payload": {"eventType": "x" * 200}})
        how = "WSGI test client in one process, SQLite; each event a new identity (no dedup shortcut)"
        results.figure("Forge", "product event ingest per web process", ours, "/s", how)
        results.figure("Forge", "bare Flask endpoint in the same run", plain, "/s", how)
        results.figure("Forge", "Forge ingest ÷ bare Flask", ours / plain, "×", "the ratio is the figure")


def run() -> None:
    """Print the Forge path's figures."""
    verification()
    ingest()
    for workers, cases in ((1, ((10, 50),)), (2, ((10, 50), (50, 150)))):
        with world(workers, side1_kind="forge") as engine:
            sync_id = engine.synchronize()
            engine.settle(timeout=120)
            for per_second, changes in cases:
                latency(engine, sync_id, per_second, changes, via="side 1 on Forge (product events)",
                        suite="Forge")
