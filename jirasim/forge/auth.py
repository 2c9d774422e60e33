"""Accept `Authorization: Bearer <app system token>` on the product API gateway, then enforce OAuth 2.0 scopes.

A user token of offline user impersonation acts as its person instead (Jira's permissions are that person's), and
only for the scopes the manifest marks `allowImpersonation: true`."""
from __future__ import annotations

from flask import g

from jirasim.errors import GatewayError
from jirasim.forge import scopes
from jirasim.forge.tokens import TokenError

UNAUTHORIZED = "Unauthorized"
SCOPE_MISMATCH = "Unauthorized; scope does not match"


def bearer_of(request) -> str | None:
    """The token of `Authorization: Bearer <token>`, or None."""
    header = request.headers.get("Authorization", "")
    return header[7:].strip() or None if header[:7].lower() == "bearer " else None


def installation_of(site, request, tokens):
    """(installation on `site`, token claims) of the request's Bearer token; GatewayError 401 when there is none."""
    token = bearer_of(request)
    if not token:
        raise GatewayError(401, UNAUTHORIZED)
    try:
        claims = tokens.verify(token)
    except TokenError:
        raise GatewayError(401, UNAUTHORIZED) from None
    inst = next((i for i in site.forge_apps.values() if i.installation_id == claims.get("installationId")), None)
    if inst is None or inst.cloud_id != claims.get("cloudId"):
        raise GatewayError(401, UNAUTHORIZED)
    return inst, claims


def authenticate_system_token(site, request, tokens, relative_path: str):
    """Who calls `relative_path` with a valid token of an installation on `site`: its Forge app user, or the person
    of a user token; else GatewayError."""
    inst, claims = installation_of(site, request, tokens)
    g.forge_app_account = inst.account_id  # the request log says which app made a call, as whomever it acts
    if claims.get("impersonation"):
        person = site.user(claims.get("sub"))
        if person is None or person.is_app or not person.active:
            raise GatewayError(401, UNAUTHORIZED)
        if scopes.check(inst.impersonation_scopes, request.method, relative_path):
            raise GatewayError(401, SCOPE_MISMATCH)
        return person
    if scopes.check(inst.scopes, request.method, relative_path):
        raise GatewayError(401, SCOPE_MISMATCH)
    return site.user(inst.account_id)
