"""Tenants (installed Jira sites): lookups and the lifecycle state changes; plain functions over a session."""
from __future__ import annotations

import logging
import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from plugin.connect.secretbox import SecretBox
from plugin.connect.site_urls import SitePolicy, accepted_site_url
from plugin.errors import AuthError, ValidationError
from plugin.models import LifecycleEvent, Tenant, utcnow

log = logging.getLogger(__name__)
CLIENT_KEY_WIDTH = 255  # the width of tenants.client_key
MIN_SECRET, MAX_SECRET = 16, 512
_PRODUCT_TYPE = re.compile(r"[a-z][a-z0-9_-]{0,31}")  # tenants.product_type is 32 wide


def find_tenant(session: Session, client_key: str) -> Tenant | None:
    """The tenant with this clientKey, installed or not."""
    return session.scalars(select(Tenant).where(Tenant.client_key == client_key)).one_or_none()


def find_active_tenant(session: Session, client_key: str) -> Tenant | None:
    """The tenant with this clientKey if it is installed and enabled."""
    tenant = find_tenant(session, client_key)
    return tenant if tenant is not None and tenant.active else None


def find_active_tenant_by_url(session: Session, base_url: str) -> Tenant | None:
    """The installed, enabled tenant whose baseUrl is `base_url`."""
    rows = session.scalars(select(Tenant).where(Tenant.base_url == base_url.rstrip("/"))).all()
    return next((t for t in rows if t.active), None)


def validate_install_payload(payload: object, app_key: str, policy: SitePolicy) -> dict:
    """The lifecycle body's fields we rely on, normalised, or ValidationError naming what is wrong.

    The install JWT's qsh covers the method and path, not the body: everything here is checked as untrusted
    input, and sized to fit its column (PostgreSQL refuses what SQLite would keep).
    """
    if not isinstance(payload, dict):
        raise ValidationError("lifecycle body must be a JSON object")
    errors = {}
    client_key = payload.get("clientKey")
    if not isinstance(client_key, str) or not client_key.strip():
        errors["clientKey"] = "required"
    elif len(client_key) > CLIENT_KEY_WIDTH or not client_key.isprintable():
        errors["clientKey"] = f"at most {CLIENT_KEY_WIDTH} printable characters"
    urls = {}
    for name, required in (("baseUrl", True), ("displayUrl", False)):
        value = payload.get(name)
        if value in (None, "") and not required:
            continue
        if value in (None, ""):
            errors[name] = "required"
            continue
        try:
            urls[name] = accepted_site_url(value, policy)
        except ValueError as exc:
            errors[name] = str(exc)
    secret = payload.get("sharedSecret")
    if not isinstance(secret, str) or not MIN_SECRET <= len(secret) <= MAX_SECRET:
        errors["sharedSecret"] = f"required ({MIN_SECRET} to {MAX_SECRET} characters)"
    product_type = payload.get("productType", "jira")
    if not isinstance(product_type, str) or not _PRODUCT_TYPE.fullmatch(product_type):
        errors["productType"] = "a product name of at most 32 letters"
    if payload.get("key") != app_key:
        errors["key"] = f"must be {app_key!r}"
    if errors:
        raise ValidationError("invalid lifecycle payload", errors=errors)
    return {"clientKey": client_key, "baseUrl": urls["baseUrl"], "displayUrl": urls.get("displayUrl"),
            "sharedSecret": secret, "productType": product_type}


def install(session: Session, box: SecretBox, payload: dict, token_issuer: str) -> Tenant:
    """Create or update the tenant from a verified `installed` call."""
    client_key = payload["clientKey"]
    if token_issuer != client_key:
        raise AuthError("install JWT issuer does not match the body's clientKey")
    secret = payload["sharedSecret"]
    base_url = payload["baseUrl"]
    display_url = payload["displayUrl"]
    tenant = find_tenant(session, client_key)
    event = "reinstalled" if tenant is not None else "installed"
    if tenant is None:
        tenant = Tenant(client_key=client_key)
        session.add(tenant)
    tenant.base_url = base_url
    tenant.display_url = display_url
    tenant.shared_secret_encrypted = box.encrypt(secret)
    tenant.product_type = payload["productType"]
    tenant.installed = True
    tenant.enabled = True
    tenant.uninstalled_at = None
    tenant.replaced_by_client_key = None
    tenant.updated_at = utcnow()
    session.flush()
    _retire_previous_tenants(session, tenant)
    session.add(LifecycleEvent(tenant_id=tenant.id, event=event, detail=base_url))
    return tenant


def _retire_previous_tenants(session: Session, tenant: Tenant) -> None:
    # A site import/restore arrives as a new clientKey on a known baseUrl. It must not inherit the old
    # tenant's synchronizations silently, and the old credentials now point at a different site: disable them.
    others = session.scalars(
        select(Tenant).where(Tenant.base_url == tenant.base_url, Tenant.id != tenant.id, Tenant.enabled.is_(True))
    ).all()
    for other in others:
        other.enabled = False
        other.replaced_by_client_key = tenant.client_key
        other.updated_at = utcnow()
        session.add(LifecycleEvent(tenant_id=other.id, event="replaced", detail=tenant.client_key))
        log.warning("site %s re-installed with a new clientKey; the previous tenant %s is disabled",
                    tenant.base_url, other.id)


def uninstall(session: Session, client_key: str, token_issuer: str) -> Tenant | None:
    """Mark the tenant uninstalled and disabled, keeping its data; idempotent."""
    if token_issuer != client_key:
        raise AuthError("uninstall JWT issuer does not match the body's clientKey")
    tenant = find_tenant(session, client_key)
    if tenant is None:
        return None
    if tenant.installed:
        tenant.installed = False
        tenant.enabled = False
        tenant.uninstalled_at = utcnow()
        session.add(LifecycleEvent(tenant_id=tenant.id, event="uninstalled"))
    return tenant


def set_enabled(session: Session, tenant: Tenant, enabled: bool) -> Tenant:
    """Record the `enabled`/`disabled` lifecycle call."""
    if tenant.enabled != enabled:
        tenant.enabled = enabled
        tenant.updated_at = utcnow()
        session.add(LifecycleEvent(tenant_id=tenant.id, event="enabled" if enabled else "disabled"))
    return tenant


def shared_secret(tenant: Tenant, box: SecretBox) -> str:
    """The tenant's sharedSecret in clear, for signing and verifying."""
    return box.decrypt(tenant.shared_secret_encrypted)
