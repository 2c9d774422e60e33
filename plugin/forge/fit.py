"""Forge Invocation Tokens (FIT): every request Forge sends to our remote carries one as `Authorization: Bearer`.

A FIT is accepted only if it is RS256, signed by a key of Forge's JWKS (by `kid`), issued by
`forge/invocation-token` for our app id (`aud`), inside its `exp`/`nbf` window, and names an `apiBaseUrl` on
FORGE_API_HOSTS (so a token can never point our system-token calls at another host). What the context says
(cloudId, siteUrl, the page's project or issue) is read only from a verified token.
"""
from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import jwt as pyjwt

from plugin.errors import AuthError

ISSUER = "forge/invocation-token"
ALGORITHM = "RS256"
LEEWAY = 10  # seconds of clock skew; a FIT lives about 25 s
MAX_TOKEN = 16 * 1024
_INSTALLATION = re.compile(r"ari:cloud:ecosystem::installation/[0-9a-fA-F-]{36}")
_CLOUD_ID = re.compile(r"[0-9a-fA-F-]{36}")
_ACCOUNT_ID = re.compile(r"[A-Za-z0-9:_-]{1,128}")
_ENTITY_ID = re.compile(r"[0-9]{1,18}")
_PROJECT_KEY = re.compile(r"[A-Z][A-Z0-9_]{0,254}")
_ISSUE_KEY = re.compile(r"[A-Z][A-Z0-9_]{0,254}-[0-9]{1,18}")


@dataclass(frozen=True)
class Entity:
    """A project or issue the invoking page is about (context.extension)."""

    id: str | None
    key: str | None


@dataclass(frozen=True)
class Invocation:
    """What a verified FIT says: the installation, its site, and (UI invocations only) the user and the page."""

    installation_id: str
    cloud_id: str
    api_base_url: str
    app_id: str
    module_key: str | None = None
    site_url: str | None = None
    principal: str | None = None
    project: Entity | None = None
    issue: Entity | None = None
    claims: dict = field(default_factory=dict, repr=False, compare=False)


def bearer(header: str | None) -> str:
    """The token of an `Authorization: Bearer <token>` header, or AuthError."""
    if not header or not header.startswith("Bearer "):
        raise AuthError("missing Forge invocation token (Authorization: Bearer <FIT>)")
    token = header[len("Bearer "):].strip()
    if not token or len(token) > MAX_TOKEN:
        raise AuthError("Forge invocation token is empty or too long")
    return token


def api_base_url_allowed(url: str, hosts: tuple[str, ...], *, production: bool) -> bool:
    """True if `url` is an https URL on one of `hosts` (host or host:port); development also takes loopback."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return False
    host = (parts.hostname or "").lower()
    if not host or parts.username or parts.password or parts.query or parts.fragment or "\\" in url:
        return False
    if not production and parts.scheme in ("http", "https") and _loopback(host):
        return True
    if parts.scheme != "https":
        return False
    named = f"{host}:{port}" if port not in (None, 443) else host
    return named in hosts or (port == 443 and f"{host}:443" in hosts)


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def cloud_id_of(api_base_url: str) -> str:
    """The cloudId an `apiBaseUrl` names (`…/ex/jira/{cloudId}`), or AuthError."""
    segments = urlsplit(api_base_url).path.rstrip("/").split("/")
    if len(segments) < 4 or segments[-3:-1] != ["ex", "jira"] or not _CLOUD_ID.fullmatch(segments[-1]):
        raise AuthError("Forge invocation token apiBaseUrl is not a Jira API base URL (…/ex/jira/<cloudId>)")
    return segments[-1].lower()


def verify(token: str, keys, *, app_id: str | None, api_hosts: tuple[str, ...], production: bool,
           leeway: int = LEEWAY) -> Invocation:
    """The verified invocation of `token` (`keys.public_key(kid)` gives the RSA key); AuthError otherwise."""
    if not app_id:
        raise AuthError("Forge is not configured on this server (FORGE_APP_ID is unset)")
    try:
        header = pyjwt.get_unverified_header(token)
    except pyjwt.PyJWTError:
        raise AuthError("Forge invocation token is not a JWT") from None
    if header.get("alg") != ALGORITHM:
        raise AuthError(f"Forge invocation token must be signed with {ALGORITHM}")
    key = keys.public_key(header.get("kid"))
    try:
        claims = pyjwt.decode(token, key, algorithms=[ALGORITHM], audience=app_id, issuer=ISSUER, leeway=leeway,
                              options={"require": ["exp", "iss", "aud", "app"]})
    except pyjwt.ExpiredSignatureError:
        raise AuthError("Forge invocation token has expired") from None
    except pyjwt.ImmatureSignatureError:
        raise AuthError("Forge invocation token is not valid yet (nbf)") from None
    except pyjwt.InvalidAudienceError:
        raise AuthError("Forge invocation token is for another app (aud)") from None
    except pyjwt.InvalidIssuerError:
        raise AuthError(f"Forge invocation token issuer must be {ISSUER}") from None
    except pyjwt.PyJWTError as exc:
        raise AuthError(f"Forge invocation token is invalid: {exc}") from None
    return _invocation(claims, app_id, api_hosts, production)


def _invocation(claims: dict, app_id: str, api_hosts: tuple[str, ...], production: bool) -> Invocation:
    app = claims.get("app")
    if not isinstance(app, dict):
        raise AuthError("Forge invocation token has no app claim")
    if app.get("id") not in (None, app_id):
        raise AuthError("Forge invocation token app.id is not our app")
    installation = app.get("installationId")
    if not isinstance(installation, str) or not _INSTALLATION.fullmatch(installation):
        raise AuthError("Forge invocation token has no valid app.installationId")
    base = app.get("apiBaseUrl")
    if not isinstance(base, str) or len(base) > 512 or not api_base_url_allowed(base, api_hosts,
                                                                               production=production):
        raise AuthError("Forge invocation token apiBaseUrl is not on FORGE_API_HOSTS")
    base = base.rstrip("/")
    cloud_id = cloud_id_of(base)
    context = claims["context"] if isinstance(claims.get("context"), dict) else {}
    if context.get("cloudId") not in (None, "") and str(context["cloudId"]).lower() != cloud_id:
        raise AuthError("Forge invocation token context.cloudId does not match its apiBaseUrl")
    module = app["module"] if isinstance(app.get("module"), dict) else {}
    principal = claims.get("principal")
    if principal is not None and (not isinstance(principal, str) or not _ACCOUNT_ID.fullmatch(principal)):
        raise AuthError("Forge invocation token principal is not an accountId")
    site_url = context.get("siteUrl")
    extension = context["extension"] if isinstance(context.get("extension"), dict) else {}
    return Invocation(
        installation_id=installation, cloud_id=cloud_id, api_base_url=base, app_id=app_id,
        module_key=str(module.get("key") or context.get("moduleKey") or "")[:255] or None,
        site_url=site_url.rstrip("/") if isinstance(site_url, str) and site_url else None,
        principal=principal, project=_entity(extension.get("project"), _PROJECT_KEY),
        issue=_entity(extension.get("issue"), _ISSUE_KEY), claims=claims)


def _entity(value: object, key_pattern: re.Pattern) -> Entity | None:
    if not isinstance(value, dict):
        return None
    raw_id, raw_key = value.get("id"), value.get("key")
    entity_id = str(raw_id) if isinstance(raw_id, (str, int)) and not isinstance(raw_id, bool) else None
    key = raw_key if isinstance(raw_key, str) else None
    if entity_id is not None and not _ENTITY_ID.fullmatch(entity_id):
        raise AuthError("Forge invocation token context.extension names an invalid id")
    if key is not None and not key_pattern.fullmatch(key):
        raise AuthError("Forge invocation token context.extension names an invalid key")
    return Entity(entity_id, key) if entity_id or key else None
