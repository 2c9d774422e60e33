"""How much the Connect layer costs per request: qsh, JWT verify/mint, a signed page load end to end."""
from __future__ import annotations

import logging
import secrets
import tempfile
from pathlib import Path

from bench import results
from bench.timing import bare_flask_rate, rate
from plugin.connect import jwt as connect_jwt
from plugin.connect.qsh import qsh


def run() -> None:
    """Print throughput of the Connect authentication path."""
    query = "project.key=ACME&project.id=10000&lic=none&tz=Europe%2FBerlin&loc=en-US&xdm_e=https%3A%2F%2Facme"
    rate("qsh of a page URL", lambda: qsh("GET", "/app/pages/project-settings", query, "/app"))
    secret = secrets.token_urlsafe(32)
    token = connect_jwt.mint("client-1", secret, "GET", "/app/pages/project-settings", query, base_path="/app")
    request = connect_jwt.Request("GET", "/app/pages/project-settings", query)
    rate("mint an outbound JWT", lambda: connect_jwt.mint("work-sync", secret, "GET", "/rest/api/3/myself"))
    rate("verify a page JWT (no database)",
          lambda: connect_jwt.verify(token, lambda _: secret, request, base_path="/app"))
    _page_load()


def _page_load() -> None:
    """A signed page load and webhook ingest against a real install: the app installed into a simulated site (its
    page asks that site for the project), served by the WSGI test client (one web process, no HTTP in front)."""
    import requests

    from jirasim.testing import running_simulator
    from plugin.db import migrate
    from plugin.models import Tenant
    from tests.support.live_app import serving
    from tests.support.settings import settings_for

    with tempfile.TemporaryDirectory() as tmp, running_simulator(("acme",)) as sim:
        url = f"sqlite:///{Path(tmp) / 'bench.sqlite'}"
        migrate(url)
        settings = settings_for(Path(tmp), database_url=url, redis_url=None,
                                install_keys_url=f"{sim.base_url}/_keys", all_js_url=f"{sim.base_url}/_static/all.js")
        with serving(settings) as live:
            installed = requests.post(f"{sim.base_url}/_sim/sites/acme/install",
                                      json={"descriptor_url": f"{live.base_url}/atlassian-connect.json"}, timeout=30)
            assert installed.status_code == 201, installed.text
            logging.getLogger().setLevel(logging.WARNING)  # create_app configured INFO logging
            runtime = live.runtime
            with runtime.sessions() as session:
                tenant = session.query(Tenant).one()
                client_key, secret = tenant.client_key, runtime.secrets.decrypt(tenant.shared_secret_encrypted)
            client = live.app.test_client()
            base = live.base_url

            def load():
                path, query = "/pages/project-settings", "project.key=ACME&project.id=10000"
                token = connect_jwt.mint(client_key, secret, "GET", path, query, subject="u1")
                response = client.get(f"{path}?{query}&jwt={token}", base_url=base)
                assert response.status_code == 200, response.status_code

            page = rate("signed page load (SQLite, WSGI, template, GET project)", load)
            results.figure("Connect", "signed page load (asks the simulator for the project)", page, "/s",
                           "WSGI test client, one process, SQLite, loopback simulator")
            counter = iter(range(10**9))
            body = b'{"webhookEvent": "jira:issue_updated", "issue": {"id": "10001", "key": "ACME-1", ' \
                   b'"fields": {"project": {"id": "10000", "key": "ACME"}}}}'

            def ingest():
                token = connect_jwt.mint(client_key, secret, "POST", "/webhooks/issue-updated")
                response = client.post("/webhooks/issue-updated", data=body, content_type="application/json",
                                       base_url=base, headers={"Authorization": f"JWT {token}",
                                                               "X-Atlassian-Webhook-Identifier": f"b-{next(counter)}"})
                assert response.status_code == 204, response.status_code

            ours = rate("webhook ingest (JWT, inbox row, commit)", ingest, 2.0)
            plain = bare_flask_rate("bare Flask endpoint (same body, no work)", 2.0, data=body,
                                    content_type="application/json")
            how = "WSGI test client in one process, SQLite; each delivery a new id (no dedup shortcut)"
            results.figure("Ingest", "webhook ingest per web process", ours, "/s", how)
            results.figure("Ingest", "bare Flask endpoint in the same run", plain, "/s", how)
            results.figure("Ingest", "ingest ÷ bare Flask", ours / plain, "×", "the ratio is the figure")
