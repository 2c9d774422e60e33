"""Decorators that authenticate Jira's calls: computed-qsh (pages, webhooks) and context-qsh (our JSON API)."""
from __future__ import annotations

from functools import wraps

from flask import g, request

from plugin.connect import jwt as connect_jwt
from plugin.connect.tenants import find_active_tenant, find_tenant, shared_secret
from plugin.errors import AuthError
from plugin.forge import installations, system_token
from plugin.web.context import db, runtime
from plugin.web.forge.auth import verified_invocation


def received_request() -> connect_jwt.Request:
    """The request as the client sent it (mount path included), for qsh checks."""
    return connect_jwt.Request(request.method, request.script_root + request.path,
                               request.query_string.decode("latin-1"))


def _token(allow_query: bool) -> str:
    header = request.headers.get("Authorization", "")
    if header.startswith("JWT "):
        return header[4:].strip()
    if allow_query and request.args.get("jwt"):
        return request.args["jwt"]
    raise AuthError("missing JWT (Authorization: JWT <token>)")


def authenticate(*, context_qsh: bool, allow_query: bool, allow_disabled: bool = False) -> connect_jwt.VerifiedToken:
    """Verify the request's HS256 token against its tenant's sharedSecret; set g.tenant and g.account_id."""
    token = _token(allow_query)
    rt = runtime()
    session = db()
    tenants = {}

    def secret_for(client_key: str) -> str | None:
        tenant = find_tenant(session, client_key) if allow_disabled else find_active_tenant(session, client_key)
        if tenant is None or not tenant.installed:
            return None
        tenants[client_key] = tenant
        return shared_secret(tenant, rt.secrets)

    verified = connect_jwt.verify(
        token, secret_for, received_request(),
        base_path=rt.settings.base_path, context_qsh=context_qsh, leeway=rt.settings.jwt_leeway,
    )
    g.tenant = tenants[verified.issuer]
    g.account_id = verified.subject
    g.jwt = verified
    return verified


def jira_request(view):
    """A call from Jira signed for this exact request, token in the header or the `jwt` parameter (iframe pages)."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        authenticate(context_qsh=False, allow_query=True)
        return view(*args, **kwargs)

    return wrapper


def jira_webhook(view):
    """A webhook from Jira: signed for this exact request, with the token in the Authorization header only."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        authenticate(context_qsh=False, allow_query=False)
        return view(*args, **kwargs)

    return wrapper


def forge_user() -> connect_jwt.VerifiedToken:
    """A Custom UI's `invokeRemote` call (`Authorization: Bearer <FIT>`): verified FIT of a known installation with a
    principal; sets g.tenant, g.account_id and g.jwt (its context names the page's project) as a context token does.
    Refused (401) when FORGE_APP_ID is unset."""
    rt = runtime()
    if not rt.settings.forge_enabled:
        raise AuthError("Bearer tokens are not accepted here (Forge is not configured); use Authorization: JWT")
    invocation = verified_invocation()
    if not invocation.principal:
        raise AuthError("Forge invocation token has no principal (user)")
    session = db()
    tenant = installations.known_installation(session, invocation)
    if installations.store_token(tenant, rt.secrets, system_token.received(request.headers.get(system_token.HEADER))):
        session.commit()
    project = invocation.project
    context = {"jira": {"project": {"id": project.id, "key": project.key}}} if project is not None else {}
    verified = connect_jwt.VerifiedToken(tenant.client_key, invocation.principal, {"context": context})
    g.tenant, g.account_id, g.jwt = tenant, invocation.principal, verified
    return verified


def page_user_request(view):
    """A call from our iframe's JavaScript with an `AP.context.getToken()` token (qsh = context-qsh)."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        if request.headers.get("Authorization", "").startswith("Bearer "):
            forge_user()
            return view(*args, **kwargs)
        verified = authenticate(context_qsh=True, allow_query=False)
        if not verified.subject:
            raise AuthError("context token has no user (sub)")
        return view(*args, **kwargs)

    return wrapper
