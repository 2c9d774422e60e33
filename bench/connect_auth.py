"""How much the Connect layer costs per request: qsh, JWT verify/mint, a signed page load end to end."""
from __future__ import annotations

import logging
import secrets
import tempfile
from pathlib import Path

from bench.timing import rate
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
    from plugin.app import create_app
    from plugin.connect.secretbox import SecretBox
    from plugin.db import migrate
    from plugin.models import Tenant
    from plugin.settings import Settings

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.sqlite'}"
        migrate(url)
        key = secrets.token_urlsafe(48)
        settings = Settings(base_url="https://bench.example.com", instance_path=Path(tmp), database_url=url,
                            secret_key=key, redis_url="redis://127.0.0.1:1/0")
        app = create_app(settings)
        logging.getLogger().setLevel(logging.WARNING)  # create_app configured INFO logging; keep the figures readable
        secret = secrets.token_urlsafe(32)
        with app.extensions["work_sync"].sessions() as session:
            session.add(Tenant(client_key="c1", base_url="https://acme.example.net",
                               shared_secret_encrypted=SecretBox(key).encrypt(secret), product_type="jira"))
            session.commit()
        client = app.test_client()

        def load():
            path, query = "/pages/project-settings", "project.key=ACME&project.id=10000"
            token = connect_jwt.mint("c1", secret, "GET", path, query, subject="u1")
            response = client.get(f"{path}?{query}&jwt={token}", base_url=settings.base_url)
            assert response.status_code == 200

        rate("signed page load (SQLite, WSGI, template)", load)
        app.extensions["work_sync"].engine.dispose()
