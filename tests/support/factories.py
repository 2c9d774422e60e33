"""Rows for tests that need data in the database without going through Jira (domain and scale tests)."""
from __future__ import annotations

import itertools
import secrets

from sqlalchemy.orm import Session

from plugin.connect.secretbox import SecretBox
from plugin.models import Tenant, utcnow
from plugin.models.syncs import ACTIVE, Synchronization, pair_key

_numbers = itertools.count(1)


def make_tenant(session: Session, name: str | None = None, *, box: SecretBox | None = None, **values) -> Tenant:
    """An installed, enabled site `https://{name}.atlassian.net`."""
    name = name or f"site{next(_numbers)}"
    box = box or SecretBox(secrets.token_urlsafe(48))
    tenant = Tenant(client_key=f"client-{name}", base_url=f"https://{name}.atlassian.net",
                    shared_secret_encrypted=box.encrypt(secrets.token_urlsafe(32)), **values)
    session.add(tenant)
    session.flush()
    return tenant


def make_sync(session: Session, side1: tuple[Tenant, str, str], side2: tuple[Tenant, str, str], *,
              name: str | None = None, state: str = ACTIVE, running: bool = False, mode: str = "immediate",
              configuration_version: int | None = 1, created_by: str = "account-1",
              started: bool | None = None) -> Synchronization:
    """A synchronization between (tenant, project id, project key) pairs, in any state; `started` says whether it
    ran once (by default: when it runs)."""
    (tenant1, id1, key1), (tenant2, id2, key2) = side1, side2
    sync = Synchronization(
        name=name or f"Sync {next(_numbers)}", description="", mode=mode, state=state, running=running,
        configuration_version=configuration_version, side1_tenant_id=tenant1.id, side1_project_id=id1,
        side1_project_key=key1, side2_tenant_id=tenant2.id, side2_project_id=id2, side2_project_key=key2,
        pair_key=pair_key(tenant1.id, id1, tenant2.id, id2), created_by=created_by,
        first_started_at=utcnow() if (running if started is None else started) else None)
    session.add(sync)
    return sync
