"""A new clientKey on a known baseUrl (a site import or restore, or a forged install) becomes active only
once its shared secret is proven to work on that site; until then the tenant that held the site stays."""
from __future__ import annotations

import logging
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from plugin.errors import AuthError, NotFound, PermissionDenied
from plugin.models import LifecycleEvent, Tenant, utcnow

log = logging.getLogger(__name__)
# What the site answers when the claimant's secret does not work there (the site has no such installation).
REFUSALS = (AuthError, PermissionDenied, NotFound)


def prove_claim(sessions: sessionmaker[Session], tenant_id: int, probe: Callable[[Tenant], object]) -> str:
    """Settle the pending claim of tenant `tenant_id`: `probe(claimant)` calls the claimed site signed with it.

    Success retires the tenants that held the baseUrl and activates the claimant; a refusal (401, 403, 404)
    leaves everything as it was and records why; any other error propagates, so that the job is retried.
    Returns what happened: "proven", "refused", "nothing to prove" or "changed" (reinstalled meanwhile).
    """
    with sessions() as session:
        claimant = _pending(session, tenant_id)
    if claimant is None:
        return "nothing to prove"
    try:
        probe(claimant)
    except REFUSALS as exc:
        with sessions.begin() as session:
            current = _pending(session, tenant_id)
            if current is None or not _same_claim(current, claimant):
                return "changed"
            session.add(LifecycleEvent(tenant_id=current.id, event="claim_refused", detail=exc.message[:1000]))
        log.warning("clientKey %s could not prove it holds %s (%s); it stays inactive",
                    claimant.client_key, claimant.base_url, exc.message)
        return "refused"
    with sessions.begin() as session:
        current = _pending(session, tenant_id, lock=True)
        if current is None or not _same_claim(current, claimant):
            return "changed"
        retired = _retire_holders(session, current)
        current.awaiting_proof = False
        current.updated_at = utcnow()
        session.add(LifecycleEvent(tenant_id=current.id, event="claim_proven", detail=current.base_url))
    log.warning("clientKey %s proved it holds %s; the tenants that held it (%s) are replaced and disabled",
                claimant.client_key, claimant.base_url, ", ".join(str(t) for t in retired) or "none")
    return "proven"


def _pending(session: Session, tenant_id: int, lock: bool = False) -> Tenant | None:
    tenant = session.get(Tenant, tenant_id, with_for_update=lock)
    return tenant if tenant is not None and tenant.installed and tenant.awaiting_proof else None


def _same_claim(current: Tenant, probed: Tenant) -> bool:
    # A reinstall between the probe and now brought another secret or URL: its own proof job settles it.
    return (current.base_url, current.shared_secret_encrypted) == (probed.base_url, probed.shared_secret_encrypted)


def _retire_holders(session: Session, claimant: Tenant) -> list[int]:
    others = session.scalars(select(Tenant).where(
        Tenant.base_url == claimant.base_url, Tenant.id != claimant.id, Tenant.replaced_by_client_key.is_(None),
    ).with_for_update()).all()
    for other in others:
        other.enabled = False
        other.replaced_by_client_key = claimant.client_key
        other.updated_at = utcnow()
        session.add(LifecycleEvent(tenant_id=other.id, event="replaced", detail=claimant.client_key))
    session.flush()  # the holders stop being active before the claimant starts (one active tenant per baseUrl)
    return [other.id for other in others]
