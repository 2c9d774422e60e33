"""Connect lifecycle callbacks: installed and uninstalled (RS256, signed install), enabled and disabled (HS256)."""
from __future__ import annotations

import logging
from typing import cast

from flask import Blueprint, g, request
from sqlalchemy.exc import IntegrityError

from plugin import jobs
from plugin.connect import tenants
from plugin.connect.replay import remember_install_token
from plugin.connect.signed_install import verify_signed_install
from plugin.connect.site_urls import SitePolicy
from plugin.errors import AuthError, Conflict, WorkSyncError
from plugin.queue import retry_after
from plugin.syncs.troubleshoot import notices
from plugin.web.auth import authenticate, received_request
from plugin.web.body import LIFECYCLE_MAX_BODY, cap_body, json_body
from plugin.web.context import db, runtime

bp = Blueprint("lifecycle", __name__, url_prefix="/lifecycle")
bp.before_request(cap_body(LIFECYCLE_MAX_BODY))
log = logging.getLogger(__name__)


def _verified_install_token() -> tuple[str, dict]:
    rt = runtime()
    header = request.headers.get("Authorization", "")
    token = header[4:].strip() if header.startswith("JWT ") else None
    claims = verify_signed_install(token, rt.install_keys, received_request(), audience=rt.settings.base_url,
                                   base_path=rt.settings.base_path, leeway=rt.settings.jwt_leeway)
    return cast(str, token), claims  # verified: verify_signed_install refuses a missing token


def _commit(session) -> None:
    try:
        session.commit()
    except IntegrityError:  # another lifecycle call for the same site or token committed first
        session.rollback()
        raise Conflict("another lifecycle call for this site was recorded at the same moment; try again") from None


@bp.post("/installed")
def installed():
    """Create or update the tenant; a new clientKey on a known site waits until its secret is proven there."""
    rt = runtime()
    payload = tenants.validate_install_payload(json_body(), rt.settings.app_key, SitePolicy.for_settings(rt.settings))
    token, claims = _verified_install_token()
    session = db()
    if not remember_install_token(session, token, claims, leeway=rt.settings.jwt_leeway):
        # The qsh covers method and path, not the body: a second body under one token may be anybody's.
        raise AuthError("this install token was already used; Jira signs every lifecycle call afresh")
    known = tenants.find_tenant(session, payload["clientKey"])
    inactive_before = known is not None and not known.active
    tenant = tenants.install(session, rt.secrets, payload, claims)
    if inactive_before and tenant.active:
        notices.site_changed(session, tenant, "site installed")
    _commit(session)
    log.info("installed for %s (tenant %s%s)", tenant.base_url, tenant.id,
             ", awaiting proof" if tenant.awaiting_proof else "")
    if tenant.awaiting_proof:
        _request_proof(tenant.id)
    return "", 204


def _request_proof(tenant_id: int) -> None:
    # After the commit, so the job sees the claim; the job runs after this answer, when Jira knows the secret.
    try:
        job = jobs.prove_site_claim(tenant_id)
        runtime().queues.enqueue(job.func, *job.args, job_id=job.id, queue=job.queue,
                                 retry=retry_after(10, 60, 300, 1800))
    except Exception:  # the claim stays pending (inactive, the holder unchanged) until the next install
        log.exception("could not enqueue the proof of tenant %s's claim", tenant_id)


@bp.post("/uninstalled")
def uninstalled():
    """Disable the tenant and keep its data; idempotent, and quiet about our own failures."""
    payload = json_body()
    client_key = payload.get("clientKey")
    if not isinstance(client_key, str) or not client_key:
        raise AuthError("uninstall body has no clientKey")
    token, claims = _verified_install_token()
    session = db()
    try:
        # The body holds nothing the token does not sign (clientKey = iss): a copy is a duplicate, answered as such.
        if remember_install_token(session, token, claims, leeway=runtime().settings.jwt_leeway):
            known = tenants.find_tenant(session, client_key)
            was_installed = known is not None and known.installed
            tenant = tenants.uninstall(session, client_key, claims)
            if was_installed and tenant is not None:
                notices.site_changed(session, tenant, "site uninstalled")
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
    before = g.tenant.enabled
    tenants.set_enabled(session, g.tenant, enabled)
    if before != enabled:
        notices.site_changed(session, g.tenant, "site enabled" if enabled else "site disabled")
    _commit(session)
    return "", 204


@bp.post("/enabled")
def enabled():
    """Jira enabled the app on this site (refused with 409 for a tenant another clientKey replaced)."""
    return _set_enabled(True)


@bp.post("/disabled")
def disabled():
    """Jira disabled the app on this site: we stop accepting its calls until it is enabled again."""
    return _set_enabled(False)
