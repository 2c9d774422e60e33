"""Tenants (installed Jira sites): lookups and the lifecycle state changes; plain functions over a session."""
from __future__ import annotations

import logging
import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from plugin.connect.secretbox import SecretBox
from plugin.connect.site_urls import SitePolicy, accepted_site_url
from plugin.errors import AuthError, Conflict, ValidationError
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
    """The active tenant whose baseUrl is `base_url` (never a replaced one, nor a claim awaiting proof)."""
    return session.scalars(select(Tenant).where(Tenant.base_url == base_url.rstrip("/"), Tenant.active)).one_or_none()


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


def install(session: Session, box: SecretBox, payload: dict, claims: dict) -> Tenant:
    """Create or update the tenant from a verified `installed` call (`payload` from validate_install_payload).

    A clientKey that claims a baseUrl another installed tenant holds is stored awaiting proof: it is not
    active and the holder stays as it was, until site_claims.prove_claim shows the new secret works there.
    """
    client_key = payload["clientKey"]
    if claims["iss"] != client_key:
        raise AuthError("install JWT issuer does not match the body's clientKey")
    tenant = find_tenant(session, client_key)
    if tenant is not None and tenant.kind != "connect":
        raise Conflict("this clientKey names a Forge installation here; a Connect install cannot take it over")
    _check_lifecycle_order(tenant, claims)
    holder = holder_of(session, payload["baseUrl"], other_than=client_key)  # before any change is flushed
    event = "reinstalled" if tenant is not None else "installed"
    if tenant is None:
        tenant = Tenant(client_key=client_key)
        session.add(tenant)
    tenant.base_url = payload["baseUrl"]
    tenant.display_url = payload["displayUrl"]
    tenant.shared_secret_encrypted = box.encrypt(payload["sharedSecret"])
    tenant.product_type = payload["productType"]
    tenant.installed = True
    tenant.enabled = True
    tenant.uninstalled_at = None
    tenant.replaced_by_client_key = None
    tenant.awaiting_proof = holder is not None
    tenant.last_lifecycle_iat = int(claims["iat"])
    tenant.updated_at = utcnow()
    session.flush()
    session.add(LifecycleEvent(tenant_id=tenant.id, event=event, detail=tenant.base_url))
    if holder is not None:
        session.add(LifecycleEvent(tenant_id=tenant.id, event="claim_pending", detail=holder.client_key))
        log.warning("clientKey %s installed for %s, which tenant %s holds: it stays inactive, and tenant %s "
                    "active, until its secret is proven on that site", client_key, tenant.base_url, holder.id,
                    holder.id)
    return tenant


def holder_of(session: Session, base_url: str, *, other_than: str) -> Tenant | None:
    """The installed tenant of another clientKey that holds `base_url` (enabled or not), if any."""
    return session.scalars(select(Tenant).where(
        Tenant.base_url == base_url, Tenant.client_key != other_than, Tenant.installed.is_(True),
        Tenant.awaiting_proof.is_(False), Tenant.replaced_by_client_key.is_(None),
    ).order_by(Tenant.id)).first()


def _check_lifecycle_order(tenant: Tenant | None, claims: dict, *, strict: bool = True) -> None:
    # An install with the iat of the last accepted call is refused too: Jira signs each call afresh, so it is a
    # copy. An uninstall (its body holds nothing the token does not sign) may share the second of the install.
    last = tenant.last_lifecycle_iat if tenant is not None else None
    if last is not None and (claims["iat"] <= last if strict else claims["iat"] < last):
        raise AuthError("lifecycle token is not newer than the last one accepted for this site (older, or as old)")


def uninstall(session: Session, client_key: str, claims: dict) -> Tenant | None:
    """Mark the tenant uninstalled and disabled, keeping its data; idempotent."""
    if claims["iss"] != client_key:
        raise AuthError("uninstall JWT issuer does not match the body's clientKey")
    tenant = find_tenant(session, client_key)
    if tenant is None:
        return None
    _check_lifecycle_order(tenant, claims, strict=False)
    tenant.last_lifecycle_iat = int(claims["iat"])
    if tenant.installed:
        tenant.installed = False
        tenant.enabled = False
        tenant.uninstalled_at = utcnow()
        session.add(LifecycleEvent(tenant_id=tenant.id, event="uninstalled"))
    return tenant


def set_enabled(session: Session, tenant: Tenant, enabled: bool) -> Tenant:
    """Record the `enabled`/`disabled` lifecycle call; a replaced tenant cannot be enabled again (Conflict)."""
    if enabled and tenant.replaced_by_client_key is not None:
        raise Conflict(f"this installation was replaced: clientKey {tenant.replaced_by_client_key} now holds "
                       f"{tenant.base_url}")
    if tenant.enabled != enabled:
        tenant.enabled = enabled
        tenant.updated_at = utcnow()
        session.add(LifecycleEvent(tenant_id=tenant.id, event="enabled" if enabled else "disabled"))
    return tenant


def shared_secret(tenant: Tenant, box: SecretBox) -> str:
    """The tenant's sharedSecret in clear, for signing and verifying."""
    return box.decrypt(tenant.shared_secret_encrypted)
