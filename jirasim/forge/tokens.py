"""App system tokens (`x-forge-oauth-system`): JWTs apps treat as opaque, cached per installation, dead after `exp`;
and the user tokens of offline user impersonation, which act as one person of the installation's site."""
from __future__ import annotations

import secrets
import threading
import time

import jwt as pyjwt

ISSUER = "jirasim/forge-app-system-token"
AUDIENCE = "api.atlassian.com"


class TokenError(Exception):
    """A system token was refused (malformed, forged or expired)."""


class SystemTokens:
    """Mints and verifies system tokens; like Forge, hands out a cached token until half its lifetime is used."""

    def __init__(self):
        self.secret = secrets.token_urlsafe(48)
        self.lock = threading.Lock()
        self.cache: dict[str, tuple[str, float, float]] = {}

    def for_installation(self, inst, ttl: float) -> str:
        """A token for the installation's app user, valid for `ttl` seconds when new."""
        now = time.time()
        with self.lock:
            token, issued, expires = self.cache.get(inst.installation_id, ("", 0.0, 0.0))
            if token and now < issued + (expires - issued) / 2:
                return token
            claims = {"iss": ISSUER, "aud": AUDIENCE, "sub": inst.account_id, "iat": int(now),
                      "exp": int(now + ttl), "jti": secrets.token_hex(16),
                      "installationId": inst.installation_id, "cloudId": inst.cloud_id}
            token = pyjwt.encode(claims, self.secret, algorithm="HS256")
            self.cache[inst.installation_id] = (token, now, claims["exp"])
            return token

    def for_user(self, inst, account_id: str, ttl: float) -> str:
        """A new user token (offline user impersonation) acting as `account_id` for the installation."""
        now = time.time()
        claims = {"iss": ISSUER, "aud": AUDIENCE, "sub": account_id, "iat": int(now), "exp": int(now + ttl),
                  "jti": secrets.token_hex(16), "installationId": inst.installation_id, "cloudId": inst.cloud_id,
                  "impersonation": True}
        return pyjwt.encode(claims, self.secret, algorithm="HS256")

    def verify(self, token: str) -> dict:
        """The claims of a valid, unexpired token; TokenError otherwise."""
        try:
            return pyjwt.decode(token, self.secret, algorithms=["HS256"], audience=AUDIENCE, issuer=ISSUER,
                                options={"require": ["exp", "installationId"]})
        except pyjwt.ExpiredSignatureError:
            raise TokenError("token expired") from None
        except pyjwt.PyJWTError as exc:
            raise TokenError(f"invalid token: {exc}") from None

    def forget(self, installation_id: str) -> None:
        """Drop the cached token of an installation (uninstalled)."""
        with self.lock:
            self.cache.pop(installation_id, None)
