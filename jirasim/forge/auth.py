"""Accept `Authorization: Bearer <app system token>` on the product API gateway, then enforce OAuth 2.0 scopes."""
from __future__ import annotations

from jirasim.errors import GatewayError
from jirasim.forge import scopes
from jirasim.forge.tokens import TokenError

UNAUTHORIZED = "Unauthorized"
SCOPE_MISMATCH = "Unauthorized; scope does not match"


def bearer_of(request) -> str | None:
    """The token of `Authorization: Bearer <token>`, or None."""
    header = request.headers.get("Authorization", "")
    return header[7:].strip() or None if header[:7].lower() == "bearer " else None


def authenticate_system_token(site, request, tokens, relative_path: str):
    """The Forge app user calling `relative_path` with a valid token of an installation on `site`; else GatewayError."""
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
    if scopes.check(inst.scopes, request.method, relative_path):
        raise GatewayError(401, SCOPE_MISMATCH)
    return site.user(inst.account_id)
