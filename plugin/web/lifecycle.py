"""Connect lifecycle callbacks: installed and uninstalled (RS256, signed install), enabled and disabled (HS256)."""
from __future__ import annotations

import logging

from flask import Blueprint, g, request

from plugin.connect import tenants
from plugin.connect.signed_install import verify_signed_install
from plugin.connect.site_urls import SitePolicy
from plugin.errors import AuthError, WorkSyncError
from plugin.runtime import db, runtime
from plugin.web.auth import authenticate, received_request
from plugin.web.body import LIFECYCLE_MAX_BODY, cap_body, json_body

bp = Blueprint("lifecycle", __name__, url_prefix="/lifecycle")
bp.before_request(cap_body(LIFECYCLE_MAX_BODY))
log = logging.getLogger(__name__)


def _verified_install_claims() -> dict:
    rt = runtime()
    header = request.headers.get("Authorization", "")
    token = header[4:].strip() if header.startswith("JWT ") else None
    return verify_signed_install(token, rt.install_keys, received_request(), audience=rt.settings.base_url,
                                 base_path=rt.settings.base_path, leeway=rt.settings.jwt_leeway)


@bp.post("/installed")
def installed():
    """Create or update the tenant; a reinstall must be signed for the same clientKey."""
    settings = runtime().settings
    payload = tenants.validate_install_payload(json_body(), settings.app_key, SitePolicy.for_settings(settings))
    claims = _verified_install_claims()
    session = db()
    tenant = tenants.install(session, runtime().secrets, payload, claims["iss"])
    session.commit()
    log.info("installed for %s (tenant %s)", tenant.base_url, tenant.id)
    return "", 204


@bp.post("/uninstalled")
def uninstalled():
    """Disable the tenant and keep its data; idempotent, and quiet about our own failures."""
    payload = json_body()
    client_key = payload.get("clientKey")
    if not isinstance(client_key, str) or not client_key:
        raise AuthError("uninstall body has no clientKey")
    claims = _verified_install_claims()
    session = db()
    try:
        tenants.uninstall(session, client_key, claims["iss"])
        session.commit()
    except WorkSyncError:
        raise
    except Exception:  # Jira cannot do anything about our database; never fail the uninstall loudly.
        session.rollback()
        log.exception("recording uninstall failed for %s", client_key)
    return "", 204


def _set_enabled(enabled: bool):
    payload = json_body()
    authenticate(context_qsh=False, allow_query=False, allow_disabled=True)
    if payload.get("clientKey") not in (None, g.tenant.client_key):
        raise AuthError("lifecycle body clientKey does not match the JWT issuer")
    session = db()
    tenants.set_enabled(session, g.tenant, enabled)
    session.commit()
    return "", 204


@bp.post("/enabled")
def enabled():
    """Jira enabled the app on this site."""
    return _set_enabled(True)


@bp.post("/disabled")
def disabled():
    """Jira disabled the app on this site: we stop accepting its calls until it is enabled again."""
    return _set_enabled(False)
