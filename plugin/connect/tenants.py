"""Tenants (installed Jira sites): lookups and the lifecycle state changes; plain functions over a session."""
from __future__ import annotations

import logging
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from plugin.connect.secretbox import SecretBox
from plugin.errors import AuthError, ValidationError
from plugin.models import LifecycleEvent, Tenant, utcnow

log = logging.getLogger(__name__)


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


def validate_install_payload(payload: object, app_key: str) -> dict:
    """The lifecycle body's fields we rely on, or ValidationError naming what is wrong."""
    if not isinstance(payload, dict):
        raise ValidationError("lifecycle body must be a JSON object")
    errors = {}
    for name in ("clientKey", "baseUrl"):
        if not isinstance(payload.get(name), str) or not payload[name].strip():
            errors[name] = "required"
    for name in ("baseUrl", "displayUrl"):
        value = payload.get(name)
        if isinstance(value, str) and value and urlsplit(value).scheme not in ("http", "https"):
            errors[name] = "must be an http(s) URL"
    if payload.get("key") != app_key:
        errors["key"] = f"must be {app_key!r}"
    if errors:
        raise ValidationError("invalid lifecycle payload", errors=errors)
    return payload


def install(session: Session, box: SecretBox, payload: dict, token_issuer: str) -> Tenant:
    """Create or update the tenant from a verified `installed` call."""
    client_key = payload["clientKey"]
    if token_issuer != client_key:
        raise AuthError("install JWT issuer does not match the body's clientKey")
    secret = payload.get("sharedSecret")
    if not isinstance(secret, str) or len(secret) < 16:
        raise ValidationError("invalid lifecycle payload", errors={"sharedSecret": "required (at least 16 characters)"})
    base_url = payload["baseUrl"].rstrip("/")
    display_url = (payload.get("displayUrl") or "").rstrip("/") or None
    tenant = find_tenant(session, client_key)
    event = "reinstalled" if tenant is not None else "installed"
    if tenant is None:
        tenant = Tenant(client_key=client_key)
        session.add(tenant)
    tenant.base_url = base_url
    tenant.display_url = display_url
    tenant.shared_secret_encrypted = box.encrypt(secret)
    tenant.product_type = str(payload.get("productType") or "jira")
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
