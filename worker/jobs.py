"""Thin RQ entry points: they take ids and call plain domain functions."""
from __future__ import annotations

from functools import cache

from plugin.connect import site_claims
from plugin.runtime import Runtime
from plugin.settings import Settings


@cache
def _runtime() -> Runtime:
    return Runtime.build(Settings.from_env())


def heartbeat(token: str) -> str:
    """Echo `token`: proves a worker is consuming the queue (used by /health and tests)."""
    return token


def prove_site_claim(tenant_id: int) -> str:
    """Activate a clientKey that claims a known site once a signed GET serverInfo there works with its secret."""
    runtime = _runtime()
    return site_claims.prove_claim(runtime.sessions, tenant_id, lambda tenant: runtime.jira(tenant).server_info())
