"""POST /forge/lifecycle, /forge/events and /forge/scheduled: what Forge sends to our remote.

Every call is verified first (FIT, then a known installation except for lifecycle); any failure answers 401
and changes nothing. Events go into the inbox and mark dirty rows in one transaction, as Connect webhooks do,
and are answered well within Forge's 5 s: the work happens in the workers.
"""
from __future__ import annotations

import logging

from flask import Blueprint, abort, request
from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError, OperationalError

from plugin import jobs
from plugin.connect.site_urls import SitePolicy, accepted_site_url
from plugin.engine.intake import inbox
from plugin.errors import AuthError, Conflict, NotFound, PermissionDenied, TransientError, Unprocessable
from plugin.forge import events, installations, system_token
from plugin.jira import JiraClient
from plugin.jira.auth import BearerAuth
from plugin.models.syncs import ACTIVE, Synchronization
from plugin.web.body import WEBHOOK_MAX_BODY, cap_body, json_body
from plugin.web.context import db, runtime
from plugin.web.forge.auth import verified_invocation

bp = Blueprint("forge", __name__, url_prefix="/forge")
log = logging.getLogger(__name__)
PROBE_TIMEOUT = 3.0  # the lifecycle call reads serverInfo with the new token, well within Forge's 5 s


@bp.before_request
def _forge_enabled():
    if not runtime().settings.forge_enabled:
        abort(404)
    cap_body(WEBHOOK_MAX_BODY)()


def _token_header() -> system_token.SystemToken | None:
    return system_token.received(request.headers.get(system_token.HEADER))


@bp.post("/lifecycle")
def lifecycle():
    """installed / upgraded: the installation becomes or refreshes a tenant of kind forge, once its token has
    read the site's serverInfo through the FIT's apiBaseUrl (that call proves the site)."""
    invocation = verified_invocation()
    payload = events.payload_of(json_body())
    event = payload.get("eventType")
    if event not in events.LIFECYCLE_EVENTS:
        raise Unprocessable(f"lifecycle event must be one of {', '.join(events.LIFECYCLE_EVENTS)}",
                            [{"path": "payload.eventType", "message": "not a lifecycle event this endpoint takes"}])
    named = payload.get("id")
    if named not in (None, "") and str(named) not in (invocation.installation_id,
                                                      invocation.installation_id.rsplit("/", 1)[-1]):
        raise AuthError("lifecycle body names another installation than its invocation token")
    token = _token_header()
    if token is None:
        raise Unprocessable("the lifecycle call carries no app system token: the manifest's endpoint must set "
                            "auth.appSystemToken.enabled", [{"path": "headers.x-forge-oauth-system",
                                                             "message": "required"}])
    rt = runtime()
    client = JiraClient(invocation.api_base_url, auth=BearerAuth(lambda: token.value),
                        timeout=min(PROBE_TIMEOUT, rt.settings.jira_timeout))
    try:
        info = client.server_info()
        app_account = client.myself().get("accountId")
    except (AuthError, PermissionDenied, NotFound) as exc:
        # Forge grants the app user its permissions eventually: a 503 makes Forge deliver the event again.
        raise TransientError(f"the site refused the new installation's token ({exc.message}); Forge retries") \
            from None
    try:
        site_url = accepted_site_url(info.get("baseUrl") if isinstance(info, dict) else None,
                                     SitePolicy.for_settings(rt.settings))
    except ValueError as exc:
        raise Unprocessable(f"the site's serverInfo baseUrl is not accepted: {exc}") from None
    session = db()
    try:
        tenant = installations.install(session, rt.secrets, invocation, site_url, token,
                                       app_account if isinstance(app_account, str) else None,
                                       "upgraded" if event.endswith("upgraded:app") else "reinstalled")
        session.commit()
    except IntegrityError:
        session.rollback()
        raise Conflict("another lifecycle call for this installation was recorded at the same moment") from None
    log.info("Forge installation %s %s for %s (tenant %s)", invocation.installation_id, event, site_url, tenant.id)
    return "", 204


def _known():
    invocation = verified_invocation()
    session = db()
    tenant = installations.known_installation(session, invocation)
    if installations.store_token(tenant, runtime().secrets, _token_header()):
        session.flush()
    return session, tenant


@bp.post("/events")
def product_events():
    """A product event: into the inbox (once, by its identity) with the dirty marks, in one transaction."""
    session, tenant = _known()
    payload = events.payload_of(json_body())
    name = events.INBOX_EVENTS.get(payload.get("eventType"))
    if name is None:  # verified, but nothing we subscribe to: acknowledged, never retried
        session.commit()
        return "", 204
    key = events.identity(tenant.installation_id, payload)
    try:
        marked = inbox.receive(session, tenant, key, name, events.as_inbox_payload(payload, tenant.app_account_id))
        session.commit()
    except IntegrityError:  # the same event raced in through another process (a Forge retry): recorded already
        session.rollback()
        return "", 204
    except OperationalError:
        session.rollback()
        raise TransientError("the inbox is unavailable; Forge delivers the event again") from None
    runtime().queues.ring(k.job for k in marked)
    return "", 204


@bp.post("/scheduled")
def scheduled():
    """The scheduled trigger: the token refreshed, the polls of this installation's running synchronizations and
    the sweeper rung."""
    session, tenant = _known()
    S = Synchronization
    ids = session.scalars(select(S.id).where(S.deleted_at.is_(None), S.state == ACTIVE, S.running.is_(True),
                                             or_(S.side1_tenant_id == tenant.id, S.side2_tenant_id == tenant.id)))
    ids = list(ids)
    session.commit()
    runtime().queues.ring([*(jobs.poll_sync(sync_id) for sync_id in ids), jobs.sweep_now()])
    return "", 204
