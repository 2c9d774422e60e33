"""Forge installations as tenants (kind "forge"): keyed by installationId, with the cloudId, the apiBaseUrl, the
site URL and the encrypted app system token. A new installationId for a known cloudId (a reinstall, a site
import) takes over the old tenant's synchronizations, but only once a call with its own token has proved the
site, as a Connect site claim does."""
from __future__ import annotations

import logging
import secrets
from datetime import UTC, datetime
from typing import cast

from sqlalchemy import CursorResult, or_, select, update
from sqlalchemy.orm import Session

from plugin.errors import AuthError, TokenExpired
from plugin.forge.fit import Invocation
from plugin.forge.system_token import Box, SystemToken, seal, unseal
from plugin.models import LifecycleEvent, Tenant, utcnow
from plugin.models.syncs import Synchronization
from plugin.models.tenants import KIND_FORGE

log = logging.getLogger(__name__)


def find_installation(session: Session, installation_id: str) -> Tenant | None:
    """The Forge tenant of this installation, installed or not."""
    return session.scalars(select(Tenant).where(Tenant.kind == KIND_FORGE,
                                                Tenant.installation_id == installation_id)).one_or_none()


def known_installation(session: Session, invocation: Invocation) -> Tenant:
    """The active tenant a verified invocation comes from, or AuthError (an unknown or replaced installation, or
    a token whose apiBaseUrl is not the one the installation was proven on)."""
    tenant = find_installation(session, invocation.installation_id)
    if tenant is None or not tenant.active:
        raise AuthError("Forge invocation token names no installation of this app that is known here")
    if tenant.cloud_id != invocation.cloud_id or tenant.api_base_url != invocation.api_base_url:
        raise AuthError("Forge invocation token names another site than its installation")
    return tenant


def install(session: Session, box: Box, invocation: Invocation, site_url: str, token: SystemToken,
            app_account_id: str | None, event: str) -> Tenant:
    """Create or refresh the tenant of a verified installed/upgraded call whose token was just proven on its
    site (the caller read `site_url` and `app_account_id` with `token` through the invocation's apiBaseUrl).

    Earlier installations on the same cloudId, and any tenant that held the site URL, are replaced and their
    synchronizations move to this one.
    """
    tenant = find_installation(session, invocation.installation_id)
    fresh = tenant is None
    if tenant is not None and tenant.replaced_by_client_key is not None:
        raise AuthError("this Forge installation was replaced by a newer one on its site")
    # The holders stop being active before this one starts (one active tenant per site URL).
    retired = _retire_holders(session, invocation.installation_id, invocation.cloud_id, site_url)
    if tenant is None:
        tenant = Tenant(client_key=invocation.installation_id, kind=KIND_FORGE,
                        installation_id=invocation.installation_id,
                        shared_secret_encrypted=box.encrypt(secrets.token_urlsafe(48)))
        session.add(tenant)
    tenant.cloud_id = invocation.cloud_id
    tenant.api_base_url = invocation.api_base_url
    tenant.base_url = site_url
    tenant.product_type = "jira"
    tenant.app_account_id = app_account_id or tenant.app_account_id
    tenant.installed = tenant.enabled = True
    tenant.awaiting_proof = False
    tenant.uninstalled_at = None
    store_token(tenant, box, token)
    tenant.updated_at = utcnow()
    session.flush()
    moved = _take_over(session, tenant, retired)
    session.add(LifecycleEvent(tenant_id=tenant.id, event="installed" if fresh else event, detail=site_url))
    if retired:
        session.add(LifecycleEvent(tenant_id=tenant.id, event="claim_proven",
                                   detail=f"{site_url}: took over {moved} synchronization(s)"))
        log.warning("Forge installation %s proved it holds %s (cloudId %s): tenants %s are replaced, %d "
                    "synchronization(s) moved", tenant.installation_id, site_url, tenant.cloud_id,
                    ", ".join(str(t.id) for t in retired), moved)
    return tenant


def _retire_holders(session: Session, client_key: str, cloud_id: str, site_url: str) -> list[Tenant]:
    holders = session.scalars(select(Tenant).where(
        or_(Tenant.cloud_id == cloud_id, Tenant.base_url == site_url),
        Tenant.client_key != client_key, Tenant.replaced_by_client_key.is_(None),
    ).with_for_update()).all()
    for other in holders:
        other.enabled = False
        other.replaced_by_client_key = client_key
        other.updated_at = utcnow()
        session.add(LifecycleEvent(tenant_id=other.id, event="replaced", detail=client_key))
    session.flush()
    return list(holders)


def _take_over(session: Session, tenant: Tenant, retired: list[Tenant]) -> int:
    ids = [other.id for other in retired]
    if not ids:
        return 0
    moved = 0
    for column in (Synchronization.side1_tenant_id, Synchronization.side2_tenant_id):
        moved += cast(CursorResult, session.execute(  # an UPDATE: a CursorResult
            update(Synchronization).where(column.in_(ids)).values({column: tenant.id})
            .execution_options(synchronize_session=False))).rowcount
    return moved


def store_token(tenant: Tenant, box: Box, token: SystemToken | None) -> bool:
    """Keep `token` (encrypted) if it lasts longer than the stored one; whether it was stored."""
    if token is None:
        return False
    current = _aware(tenant.system_token_expires_at)
    if current is not None and tenant.system_token_encrypted and current >= token.expires_at:
        return False
    tenant.system_token_encrypted, tenant.system_token_expires_at = seal(token, box)
    return True


def system_token(tenant: Tenant, box: Box, now: datetime | None = None) -> str:
    """The tenant's unexpired system token in clear, for a call to its apiBaseUrl; TokenExpired otherwise."""
    token = unseal(tenant.system_token_encrypted, tenant.system_token_expires_at, box)
    if token is None or token.expired(now):
        raise TokenExpired(f"the app system token of {tenant.base_url} has expired and the site has not called "
                           "in since: check that the app is enabled there and that its scheduled trigger runs",
                           site=tenant.base_url)
    return token.value


def _aware(moment: datetime | None) -> datetime | None:
    return moment.replace(tzinfo=UTC) if moment is not None and moment.tzinfo is None else moment
